//! The unread badge. The server's summary is the truth; stream events move
//! the count optimistically in between, and each such move schedules a
//! debounced refetch so dropped frames cannot leave the badge wrong for long.

use chrono::{DateTime, TimeDelta, Utc};

use super::timer::Deadline;

/// At most one summary refetch per this delay after stream changes.
pub(crate) const SUMMARY_DEBOUNCE: TimeDelta = TimeDelta::seconds(2);

#[derive(Clone, Debug, Default)]
pub(crate) struct Badge {
    /// `None` until the first summary: we never invent a count.
    unread: Option<u64>,
    /// The value last sent with `SetBadge`.
    shown: Option<u64>,
    pub refetch: Deadline,
}

impl Badge {
    pub fn unread(&self) -> Option<u64> {
        self.unread
    }

    /// Takes the server's count as exact.
    pub fn set_exact(&mut self, unread: u64) -> Option<u64> {
        self.unread = Some(unread);
        self.changed()
    }

    /// Applies an optimistic change from the stream and schedules a refetch.
    pub fn adjust(&mut self, change: Change, now: DateTime<Utc>) -> Option<u64> {
        self.unread = match (change, self.unread) {
            (Change::Increment, Some(n)) => Some(n.saturating_add(1)),
            (Change::Decrement, Some(n)) => Some(n.saturating_sub(1)),
            (Change::Clear, _) => Some(0),
            (_, None) => None,
        };
        self.refetch.arm(now, SUMMARY_DEBOUNCE);
        self.changed()
    }

    /// The value to send with `SetBadge`, if it differs from the last one sent.
    fn changed(&mut self) -> Option<u64> {
        if self.unread == self.shown {
            return None;
        }
        self.shown = self.unread;
        self.unread
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Increment,
    Decrement,
    Clear,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_reports_only_changes_including_the_first() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("in range");
        let mut b = Badge::default();
        assert_eq!(
            b.adjust(Change::Increment, now),
            None,
            "unknown stays unknown"
        );
        assert_eq!(b.set_exact(0), Some(0));
        assert_eq!(b.set_exact(0), None);
        assert_eq!(b.adjust(Change::Increment, now), Some(1));
        assert_eq!(b.adjust(Change::Decrement, now), Some(0));
        assert_eq!(b.adjust(Change::Decrement, now), None, "saturates at zero");
        assert_eq!(b.set_exact(7), Some(7));
        assert_eq!(b.adjust(Change::Clear, now), Some(0));
        assert_eq!(b.refetch.due(), Some(now + SUMMARY_DEBOUNCE));
    }
}
