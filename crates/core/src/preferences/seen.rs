//! Event types outside the catalog that the stream has shown, so the
//! preference grid can offer them before the server's matrix mentions them.

use std::collections::VecDeque;

use serde_json::Value;

use crate::event::{Decoded, Envelope, EventType};

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
    /// Remembers `ty` if the catalog does not know it.
    pub fn record(&mut self, ty: &EventType) {
        if !matches!(ty, EventType::Unknown(_)) || self.names.contains(ty) {
            return;
        }
        if self.names.len() == KEPT {
            self.names.pop_front();
        }
        self.names.push_back(ty.clone());
    }

    /// Remembers the types one SSE frame shows: the envelope's, and for
    /// `notification_created` the inbox row's `event_type` (approvals and
    /// escalations reach a client only that way).
    pub fn record_frame(&mut self, data: &str) {
        let Ok(Decoded::Event(envelope)) = Envelope::decode(data) else {
            return;
        };
        self.record(&envelope.event_type);
        let row_type = envelope
            .notification()
            .and_then(|row| row.get("event_type"))
            .and_then(Value::as_str);
        if let Some(name) = row_type.filter(|name| !name.is_empty()) {
            self.record(&EventType::from_wire(name));
        }
    }

    pub fn types(&self) -> impl Iterator<Item = &EventType> {
        self.names.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(seen: &SeenTypes) -> Vec<&str> {
        seen.types().map(EventType::as_str).collect()
    }

    #[test]
    fn only_types_outside_the_catalog_are_kept_once_each() {
        let mut seen = SeenTypes::default();
        seen.record_frame(r#"{"type":"finding_assigned","payload":{}}"#);
        seen.record_frame(r#"{"type":"quantum_leap","payload":{}}"#);
        seen.record_frame(r#"{"type":"quantum_leap","payload":{}}"#);
        seen.record_frame(r#"{"type":"ping"}"#);
        seen.record_frame("{not json");
        seen.record_frame(
            r#"{"type":"notification_created","payload":{"user_id":"u-ana",
               "notification":{"id":"n-1","event_type":"policy_violated"}}}"#,
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
