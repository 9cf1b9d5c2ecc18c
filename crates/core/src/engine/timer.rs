//! One-shot deadlines that stay sane when the system clock jumps.
//!
//! The engine keeps several (summary refetch, calendar refetch, storm window
//! end …). Each is armed relative to `now`; if the clock later goes backwards
//! a deadline could end up hours away, so `fire` pulls it back to at most its
//! own delay from `now`. Arithmetic saturates instead of panicking.

use chrono::{DateTime, TimeDelta, Utc};

/// `now + delay`, saturating at the end of time.
pub(crate) fn after(now: DateTime<Utc>, delay: TimeDelta) -> DateTime<Utc> {
    now.checked_add_signed(delay)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `now - delay`, saturating at the start of time.
pub(crate) fn before(now: DateTime<Utc>, delay: TimeDelta) -> DateTime<Utc> {
    now.checked_sub_signed(delay)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A deadline that is either armed at an instant or idle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Deadline {
    due: Option<DateTime<Utc>>,
}

impl Deadline {
    /// Arms at `now + delay` unless already armed: a burst of triggers gives
    /// one action per delay, not one per trigger.
    pub fn arm(&mut self, now: DateTime<Utc>, delay: TimeDelta) {
        if self.due.is_none() {
            self.due = Some(after(now, delay));
        }
    }

    /// Re-arms at `now + delay`, replacing any pending instant.
    pub fn reset(&mut self, now: DateTime<Utc>, delay: TimeDelta) {
        self.due = Some(after(now, delay));
    }

    pub fn clear(&mut self) {
        self.due = None;
    }

    pub fn due(&self) -> Option<DateTime<Utc>> {
        self.due
    }

    /// Disarms and returns `true` when due at `now`. A deadline more than
    /// `delay` ahead means the clock went backwards: it is pulled in.
    /// (Asked on every input: the common answer, "armed, not due, not too
    /// far", costs one subtraction, which cannot overflow.)
    pub fn fire(&mut self, now: DateTime<Utc>, delay: TimeDelta) -> bool {
        match self.due {
            Some(due) if now >= due => {
                self.due = None;
                true
            }
            Some(due) if due.signed_duration_since(now) > delay => {
                self.due = Some(after(now, delay));
                false
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).expect("in range")
    }

    #[test]
    fn arm_keeps_the_first_instant_and_fire_disarms() {
        let mut d = Deadline::default();
        d.arm(t(0), TimeDelta::seconds(2));
        d.arm(t(1), TimeDelta::seconds(2));
        assert_eq!(d.due(), Some(t(2)));
        assert!(!d.fire(t(1), TimeDelta::seconds(2)));
        assert!(d.fire(t(2), TimeDelta::seconds(2)));
        assert_eq!(d.due(), None);
        assert!(!d.fire(t(3), TimeDelta::seconds(2)));
    }

    #[test]
    fn clock_going_backwards_pulls_the_deadline_in() {
        let mut d = Deadline::default();
        d.arm(t(0), TimeDelta::seconds(2));
        assert!(!d.fire(t(-3600), TimeDelta::seconds(2)));
        assert_eq!(d.due(), Some(t(-3598)));
    }

    #[test]
    fn a_deadline_near_the_end_of_time_is_not_pulled_in() {
        let mut d = Deadline::default();
        d.arm(DateTime::<Utc>::MAX_UTC, TimeDelta::days(1));
        let near_end = DateTime::<Utc>::MAX_UTC - TimeDelta::hours(1);
        assert!(!d.fire(near_end, TimeDelta::days(1)));
        assert_eq!(d.due(), Some(DateTime::<Utc>::MAX_UTC));
        assert!(!d.fire(DateTime::<Utc>::MIN_UTC, TimeDelta::days(1)));
        assert_eq!(
            d.due(),
            Some(after(DateTime::<Utc>::MIN_UTC, TimeDelta::days(1)))
        );
    }

    #[test]
    fn arithmetic_saturates_at_the_ends_of_time() {
        assert_eq!(
            after(DateTime::<Utc>::MAX_UTC, TimeDelta::seconds(1)),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            before(DateTime::<Utc>::MIN_UTC, TimeDelta::seconds(1)),
            DateTime::<Utc>::MIN_UTC
        );
    }
}
