//! "One real change, one pop-up."
//!
//! Two mechanisms: an exact-repeat filter (a bounded set of the event
//! identities seen lately, `recent.rs`, for producers or proxies that send
//! a frame twice), and pairing: PMAP announces one change both as a domain
//! event (`finding_assigned`) and as the `notification_created` it writes
//! to the inbox. Whichever of the pair pops up first claims the subject for
//! [`PAIR_WINDOW`]; the other stays silent (its badge effect still applies).

use std::borrow::Cow;
use std::hash::Hash;
use std::num::NonZeroUsize;

use chrono::{DateTime, TimeDelta, Utc};
use lru::LruCache;
use siphasher::sip128::{Hasher128, SipHasher13};

use super::recent::{Identity, Recent};

use crate::event::{Envelope, EventType};

/// How long one side of a notification/domain pair silences the other.
pub(crate) const PAIR_WINDOW: TimeDelta = TimeDelta::seconds(10);

/// Identities remembered: at least the last this many (see `recent.rs`).
const SEEN_CAPACITY: usize = 4096;
const CLAIM_CAPACITY: NonZeroUsize = NonZeroUsize::new(1024).expect("non-zero");

/// Who claimed a subject's pop-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Notification,
    Domain,
}

/// Each identity `(type, subject, discriminator)` is kept as one keyed
/// 128-bit SipHash rather than three strings: remembering a frame then
/// allocates nothing. Two identities collide with odds of about 2⁻¹²⁸ per
/// pair (the key is random per process, so no producer can aim for it).
pub(crate) struct Dedup {
    seen: Recent,
    key: (u64, u64),
    claims: LruCache<(String, String), (DateTime<Utc>, Side)>,
}

impl Default for Dedup {
    fn default() -> Self {
        Dedup {
            seen: Recent::new(SEEN_CAPACITY),
            key: rand::random(),
            claims: LruCache::new(CLAIM_CAPACITY),
        }
    }
}

impl Dedup {
    /// Records the event and says whether it was already seen.
    ///
    /// Identity is `(type, subject, correlation id)`. Inbox rows have their
    /// own unique id, which is enough. Without a correlation id the producer
    /// timestamp stands in; with neither, two frames cannot be told apart
    /// from two real changes, so nothing is treated as a repeat.
    pub fn is_repeat(&mut self, envelope: &Envelope<'_>) -> bool {
        let Some((ty, subject, discriminator)) = identity(envelope) else {
            return false;
        };
        let mut hasher = SipHasher13::new_with_keys(self.key.0, self.key.1);
        (ty, &*subject, &*discriminator).hash(&mut hasher);
        let identity: Identity = hasher.finish128().as_u128();
        self.seen.check_in(identity)
    }

    /// Whether the other side of the pair already popped up for `subject`.
    pub fn claimed_by_other(
        &mut self,
        subject: &(String, String),
        side: Side,
        now: DateTime<Utc>,
    ) -> bool {
        match self.claims.get(subject) {
            Some((at, by)) => *by != side && (now - *at).abs() <= PAIR_WINDOW,
            None => false,
        }
    }

    /// Claims `subject` for this side from `now`.
    pub fn claim(&mut self, subject: (String, String), side: Side, now: DateTime<Utc>) {
        self.claims.put(subject, (now, side));
    }
}

/// `(type, subject id, discriminator)`, borrowed from the frame.
fn identity<'e>(envelope: &'e Envelope<'_>) -> Option<(&'e str, Cow<'e, str>, Cow<'e, str>)> {
    let ty = envelope.event_type.as_str();
    let row_id = match envelope.event_type {
        EventType::NotificationCreated | EventType::NotificationRead => envelope.notification_id(),
        _ => None,
    };
    if let Some(id) = row_id {
        return Some((ty, id, Cow::Borrowed("")));
    }
    let subject = envelope.subject_id().unwrap_or_default();
    let discriminator = envelope.correlation_id().or_else(|| envelope.timestamp())?;
    Some((ty, subject, discriminator))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Decoded;

    fn env(data: &str) -> Envelope<'_> {
        match Envelope::decode(data) {
            Ok(Decoded::Event(e)) => e,
            other => panic!("not an event: {other:?}"),
        }
    }

    #[test]
    fn repeats_are_detected_by_identity() {
        let mut d = Dedup::default();
        let a = env(
            r#"{"type":"finding_updated","payload":{"finding_id":"f-1","correlation_id":"c1"}}"#,
        );
        let b = env(
            r#"{"type":"finding_updated","payload":{"finding_id":"f-1","correlation_id":"c2"}}"#,
        );
        let bare = env(r#"{"type":"finding_updated","payload":{"finding_id":"f-1"}}"#);
        let row = env(r#"{"type":"notification_created","payload":{"notification":{"id":"n-1"}}}"#);
        assert!(!d.is_repeat(&a));
        assert!(d.is_repeat(&a));
        assert!(!d.is_repeat(&b));
        assert!(!d.is_repeat(&bare));
        assert!(!d.is_repeat(&bare), "no discriminator: never a repeat");
        assert!(!d.is_repeat(&row));
        assert!(d.is_repeat(&row));
    }

    #[test]
    fn the_seen_set_is_bounded() {
        let mut d = Dedup::default();
        for i in 0..10_000 {
            let frame = format!(
                r#"{{"type":"scan_completed","payload":{{"scan_id":"s","correlation_id":"{i}"}}}}"#
            );
            let e = env(&frame);
            assert!(!d.is_repeat(&e));
        }
        assert!((SEEN_CAPACITY..=2 * SEEN_CAPACITY).contains(&d.seen.len()));
    }

    #[test]
    fn a_claim_silences_only_the_other_side_within_the_window() {
        let mut d = Dedup::default();
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).expect("in range");
        let subject = ("finding".to_owned(), "f-1".to_owned());
        d.claim(subject.clone(), Side::Notification, t0);
        assert!(d.claimed_by_other(&subject, Side::Domain, t0 + TimeDelta::seconds(10)));
        assert!(!d.claimed_by_other(&subject, Side::Domain, t0 + TimeDelta::seconds(11)));
        assert!(!d.claimed_by_other(&subject, Side::Notification, t0));
        assert!(!d.claimed_by_other(&("finding".into(), "f-2".into()), Side::Domain, t0));
    }
}
