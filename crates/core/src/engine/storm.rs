//! Storm coalescing: a burst of events gives a few pop-ups and one summary,
//! not a wall of notifications.
//!
//! A window opens at the first pop-up after a quiet spell and lasts
//! `storm_window_secs`. The first `storm_max` pop-ups in it show; the rest
//! are held and counted, and when the window ends exactly one summary pop-up
//! says how many were held ("12 more findings assigned").

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::timer::after;
use crate::event::EventType;

/// What a window held back, reported once when it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StormSummary {
    pub count: u64,
    /// Set when every held event had this one type.
    pub only_type: Option<EventType>,
    pub urgent: bool,
    /// The event type of a held event that wanted a sound, if any did.
    pub sound: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Storm {
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    shown: u32,
    held: BTreeMap<EventType, u64>,
    held_urgent: bool,
    held_sound: Option<String>,
}

impl Storm {
    /// Whether one more pop-up may show now. Call [`Storm::close_if_over`]
    /// first so an expired window's summary goes out before new pop-ups.
    pub fn admit(&mut self, now: DateTime<Utc>, max: u32, window: TimeDelta) -> bool {
        if self.window.is_none() {
            self.window = Some((now, after(now, window)));
            self.shown = 0;
        }
        if self.shown < max {
            self.shown += 1;
            true
        } else {
            false
        }
    }

    /// Counts a pop-up that was not admitted.
    pub fn hold(&mut self, ty: &EventType, urgent: bool, sound: bool) {
        *self.held.entry(ty.clone()).or_default() += 1;
        self.held_urgent |= urgent;
        if sound && self.held_sound.is_none() {
            self.held_sound = Some(ty.as_str().to_owned());
        }
    }

    /// When a tick is needed: the end of a window that holds something.
    pub fn due(&self) -> Option<DateTime<Utc>> {
        match self.window {
            Some((_, end)) if !self.held.is_empty() => Some(end),
            _ => None,
        }
    }

    /// Ends the window if it is over (or if the clock went back before its
    /// start) and returns its summary when it held anything.
    pub fn close_if_over(&mut self, now: DateTime<Utc>) -> Option<StormSummary> {
        let (start, end) = self.window?;
        if now < end && now >= start {
            return None;
        }
        self.window = None;
        self.shown = 0;
        if self.held.is_empty() {
            return None;
        }
        let held = std::mem::take(&mut self.held);
        let only_type = (held.len() == 1)
            .then(|| held.keys().next().cloned())
            .flatten();
        Some(StormSummary {
            count: held.values().sum(),
            only_type,
            urgent: std::mem::take(&mut self.held_urgent),
            sound: self.held_sound.take(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).expect("in range")
    }

    const W: TimeDelta = TimeDelta::seconds(10);

    #[test]
    fn storm_admits_max_then_holds_and_summarises_once() {
        let mut s = Storm::default();
        let admitted: Vec<bool> = (0..5).map(|i| s.admit(t(i), 3, W)).collect();
        assert_eq!(admitted, [true, true, true, false, false]);
        s.hold(&EventType::FindingAssigned, false, false);
        s.hold(&EventType::FindingAssigned, true, true);
        assert_eq!(s.due(), Some(t(10)));
        assert_eq!(s.close_if_over(t(9)), None);
        let summary = s.close_if_over(t(10)).expect("window over");
        assert_eq!(summary.count, 2);
        assert_eq!(summary.only_type, Some(EventType::FindingAssigned));
        assert!(summary.urgent);
        assert_eq!(summary.sound.as_deref(), Some("finding_assigned"));
        assert_eq!(
            s.close_if_over(t(11)),
            None,
            "never two summaries per window"
        );
        assert_eq!(s.due(), None);
    }

    #[test]
    fn mixed_types_have_no_single_type() {
        let mut s = Storm::default();
        s.admit(t(0), 0, W);
        s.hold(&EventType::FindingAssigned, false, false);
        s.hold(&EventType::SlaBreached, false, false);
        let summary = s.close_if_over(t(20)).expect("over");
        assert_eq!(summary.only_type, None);
        assert_eq!(summary.count, 2);
    }

    #[test]
    fn clock_going_back_closes_the_window() {
        let mut s = Storm::default();
        s.admit(t(0), 0, W);
        s.hold(&EventType::ScanCompleted, false, false);
        assert!(s.close_if_over(t(-100)).is_some());
        assert!(s.admit(t(-100), 1, W));
    }
}
