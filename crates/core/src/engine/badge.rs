//! The unread badge. The server's summary is the truth; stream events move
//! the count optimistically in between, and each such move schedules a
//! debounced refetch so dropped frames cannot leave the badge wrong for long.
//!
//! A server drops frames for a client that falls behind, without telling it
//! (PROTOCOL.md, "Back-pressure"), so a dropped `notification_created` moves
//! nothing. Traffic is the only hint: every [`RECONCILE_EVERY`] frames since
//! the last exact count also schedule a refetch. After a flood the badge is
//! therefore exact within one debounce of the last frame, however slow the
//! client was, and a quiet stream costs nothing.
//!
//! A summary answers for the moment the server read it. One that arrives
//! after the stream already moved the count was read before that move (a
//! row read while the fetch was in flight), so it is not applied; the
//! refetch the move scheduled brings the exact count.

use chrono::{DateTime, TimeDelta, Utc};

use super::timer::Deadline;

/// At most one summary refetch per this delay after stream changes.
pub(crate) const SUMMARY_DEBOUNCE: TimeDelta = TimeDelta::seconds(2);

/// Frames after which the count is reconciled even if none moved it: fewer
/// than any server queue a client could overflow.
pub(crate) const RECONCILE_EVERY: u32 = 64;

#[derive(Clone, Debug, Default)]
pub(crate) struct Badge {
    /// `None` until the first summary: we never invent a count.
    unread: Option<u64>,
    /// The value last sent with `SetBadge`.
    shown: Option<u64>,
    /// Frames received since the last exact count or reconciliation.
    frames_since_exact: u32,
    /// The stream moved the count since the last summary was asked for.
    moved_since_fetch: bool,
    pub refetch: Deadline,
}

impl Badge {
    pub fn unread(&self) -> Option<u64> {
        self.unread
    }

    /// Takes the server's count as exact, unless the stream has moved the
    /// count since it was asked for (a refetch is then pending).
    pub fn set_exact(&mut self, unread: u64) -> Option<u64> {
        if self.moved_since_fetch && self.unread.is_some() {
            return None;
        }
        self.unread = Some(unread);
        self.frames_since_exact = 0;
        self.changed()
    }

    /// A summary was just asked for: its answer will include every move
    /// seen so far.
    pub fn fetching(&mut self) {
        self.moved_since_fetch = false;
    }

    /// Counts one received frame of any kind; every [`RECONCILE_EVERY`]th
    /// schedules a refetch, in case the server dropped some for us.
    pub fn count_frame(&mut self, now: DateTime<Utc>) {
        self.frames_since_exact += 1;
        if self.frames_since_exact >= RECONCILE_EVERY {
            self.frames_since_exact = 0;
            self.refetch.arm(now, SUMMARY_DEBOUNCE);
        }
    }

    /// Applies an optimistic change from the stream and schedules a refetch.
    pub fn adjust(&mut self, change: Change, now: DateTime<Utc>) -> Option<u64> {
        self.unread = match (change, self.unread) {
            (Change::Increment, Some(n)) => Some(n.saturating_add(1)),
            (Change::Decrement, Some(n)) => Some(n.saturating_sub(1)),
            (Change::Clear, _) => Some(0),
            (_, None) => None,
        };
        self.moved_since_fetch = true;
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
        b.fetching();
        assert_eq!(b.set_exact(7), Some(7));
        assert_eq!(b.adjust(Change::Clear, now), Some(0));
        assert_eq!(b.refetch.due(), Some(now + SUMMARY_DEBOUNCE));
    }

    #[test]
    fn a_summary_asked_for_before_the_stream_moved_the_count_is_not_applied() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("in range");
        let mut b = Badge::default();
        b.set_exact(16);
        b.fetching();
        // A row is read while that fetch is in flight.
        assert_eq!(b.adjust(Change::Decrement, now), Some(15));
        assert_eq!(b.set_exact(16), None, "the answer predates the read");
        assert_eq!(b.unread(), Some(15));
        assert_eq!(b.refetch.due(), Some(now + SUMMARY_DEBOUNCE));
        b.fetching();
        assert_eq!(b.set_exact(14), Some(14), "a fetch after the move is exact");
    }

    #[test]
    fn a_run_of_frames_schedules_a_refetch_even_when_none_moved_the_count() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("in range");
        let mut b = Badge::default();
        b.set_exact(3);
        for _ in 1..RECONCILE_EVERY {
            b.count_frame(now);
        }
        assert_eq!(b.refetch.due(), None, "a quiet stream costs nothing");
        b.count_frame(now);
        assert_eq!(b.refetch.due(), Some(now + SUMMARY_DEBOUNCE));
        // An exact count starts the run again.
        b.refetch.clear();
        b.count_frame(now);
        b.set_exact(4);
        for _ in 1..RECONCILE_EVERY {
            b.count_frame(now);
        }
        assert_eq!(b.refetch.due(), None);
    }
}
