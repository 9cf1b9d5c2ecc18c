//! Event types outside the catalog that the stream has shown, so the
//! preference grid can offer them before the server's matrix mentions them.

use std::collections::VecDeque;

use crate::event::{Envelope, EventType};

/// How many names are kept: a server that invents a name per event cannot
/// grow the set (or the grid) past this; the oldest name makes room.
const KEPT: usize = 32;

/// A small bounded set of event types the catalog does not know, oldest
/// first.
#[derive(Clone, Debug, Default)]
pub struct SeenTypes {
    names: VecDeque<EventType>,
}

impl SeenTypes {
    /// Remembers `ty` if the catalog does not know it; `true` if it is new.
    pub fn record(&mut self, ty: &EventType) -> bool {
        if !matches!(ty, EventType::Unknown(_)) || self.names.contains(ty) {
            return false;
        }
        if self.names.len() == KEPT {
            self.names.pop_front();
        }
        self.names.push_back(ty.clone());
        true
    }

    /// Remembers the types one SSE frame shows: the envelope's, and for
    /// `notification_created` the inbox row's `event_type` (approvals and
    /// escalations reach a client only that way).
    /// Returns the ones not seen before.
    pub fn record_envelope(&mut self, envelope: &Envelope<'_>) -> Vec<EventType> {
        let row_type = envelope
            .notification()
            .and_then(|row| row.event_type.as_str())
            .filter(|name| !name.is_empty())
            .map(EventType::from_wire);
        std::iter::once(envelope.event_type.clone())
            .chain(row_type)
            .filter(|ty| self.record(ty))
            .collect()
    }

    pub fn types(&self) -> impl Iterator<Item = &EventType> {
        self.names.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Decoded;

    fn names(seen: &SeenTypes) -> Vec<&str> {
        seen.types().map(EventType::as_str).collect()
    }

    fn record(seen: &mut SeenTypes, data: &str) -> Vec<String> {
        let Ok(Decoded::Event(envelope)) = Envelope::decode(data) else {
            panic!("an event: {data}");
        };
        let new = seen.record_envelope(&envelope);
        new.iter().map(|ty| ty.as_str().to_owned()).collect()
    }

    #[test]
    fn only_types_outside_the_catalog_are_kept_once_each() {
        let mut seen = SeenTypes::default();
        let empty: [&str; 0] = [];
        assert_eq!(
            record(&mut seen, r#"{"type":"finding_assigned","payload":{}}"#),
            empty
        );
        assert_eq!(
            record(&mut seen, r#"{"type":"quantum_leap","payload":{}}"#),
            ["quantum_leap"]
        );
        assert_eq!(
            record(&mut seen, r#"{"type":"quantum_leap","payload":{}}"#),
            empty
        );
        assert_eq!(
            record(
                &mut seen,
                r#"{"type":"notification_created","payload":{"user_id":"u-ana",
                   "notification":{"id":"n-1","event_type":"policy_violated"}}}"#,
            ),
            ["policy_violated"]
        );
        assert_eq!(names(&seen), ["quantum_leap", "policy_violated"]);
    }

    #[test]
    fn the_set_stays_bounded_and_drops_the_oldest() {
        let mut seen = SeenTypes::default();
        for n in 0..KEPT + 5 {
            seen.record(&EventType::from_wire(&format!("invented_{n}")));
        }
        let kept = names(&seen);
        assert_eq!(kept.len(), KEPT);
        assert_eq!(kept.first(), Some(&"invented_5"));
        assert_eq!(
            kept.last(),
            Some(&format!("invented_{}", KEPT + 4).as_str())
        );
    }
}
