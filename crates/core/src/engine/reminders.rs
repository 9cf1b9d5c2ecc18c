//! Which deadline reminders are due, computed from the personal calendar,
//! the lead times and the ledger. Pure bookkeeping: the engine decides how
//! (and whether, in quiet hours) to show them.

use chrono::{DateTime, TimeDelta, Utc};

use super::ReminderLedger;
use super::timer::before;
use crate::event::CalendarItem;

/// A reminder whose fire time passed more than this long ago was missed
/// (machine asleep, app closed) and goes into a digest.
pub(crate) const MISSED_AFTER: TimeDelta = TimeDelta::minutes(5);

/// Deadlines further in the past than this get no reminders at all: a first
/// start does not dig up month-old overdue items.
pub(crate) const HORIZON: TimeDelta = TimeDelta::days(7);

/// One item with at least one unfired lead whose time has come.
#[derive(Debug)]
pub(crate) struct Due<'a> {
    pub item: &'a CalendarItem,
    /// When the closest due lead fired; earlier leads are superseded.
    pub fire_at: DateTime<Utc>,
    /// Every due lead, to mark them all as done together.
    pub leads: Vec<i64>,
}

impl Due<'_> {
    pub fn missed(&self, now: DateTime<Utc>) -> bool {
        self.fire_at < before(now, MISSED_AFTER)
    }
}

fn by_length_then_bytes(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The reminder-bearing items of the latest calendar.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reminders {
    items: Vec<CalendarItem>,
    /// The items' entity ids, sorted by length, then bytes: every finding
    /// frame that is not the user's asks about its entity, so that is a
    /// binary search, not a walk over the calendar, and most steps are
    /// settled by the length alone (no `memcmp`).
    entities: Vec<String>,
    /// False until the first calendar arrives: nothing is pruned before.
    pub known: bool,
}

impl Reminders {
    pub fn set_items(&mut self, items: Vec<CalendarItem>) {
        self.items = items
            .into_iter()
            .filter(|i| i.kind.has_reminders())
            .collect();
        self.entities = self.items.iter().map(|i| i.entity_id.clone()).collect();
        self.entities
            .sort_unstable_by(|a, b| by_length_then_bytes(a, b));
        self.entities.dedup();
        self.known = true;
    }

    pub fn items(&self) -> &[CalendarItem] {
        &self.items
    }

    /// Whether a personal deadline is about this entity (a finding id).
    pub fn is_about_entity(&self, entity_id: &str) -> bool {
        self.entities
            .binary_search_by(|id| by_length_then_bytes(id, entity_id))
            .is_ok()
    }

    pub fn contains(&self, item_id: &str) -> bool {
        self.items.iter().any(|i| i.id == item_id)
    }

    /// Items with unfired leads at or before `now`.
    pub fn due(&self, now: DateTime<Utc>, leads: &[i64], ledger: &ReminderLedger) -> Vec<Due<'_>> {
        let horizon = before(now, HORIZON);
        self.items
            .iter()
            .filter(|item| item.at >= horizon)
            .filter_map(|item| {
                let due: Vec<(i64, DateTime<Utc>)> = unique(leads)
                    .filter_map(|lead| Some((lead, fire_time(item.at, lead)?)))
                    .filter(|(lead, at)| *at <= now && !ledger.has_fired(&item.id, item.at, *lead))
                    .collect();
                let fire_at = due.iter().map(|(_, at)| *at).max()?;
                Some(Due {
                    item,
                    fire_at,
                    leads: due.into_iter().map(|(lead, _)| lead).collect(),
                })
            })
            .collect()
    }

    /// The next instant after `now` at which some reminder falls due.
    pub fn next_fire(
        &self,
        now: DateTime<Utc>,
        leads: &[i64],
        ledger: &ReminderLedger,
    ) -> Option<DateTime<Utc>> {
        self.items
            .iter()
            .flat_map(|item| {
                unique(leads)
                    .filter(|lead| !ledger.has_fired(&item.id, item.at, *lead))
                    .filter_map(|lead| fire_time(item.at, lead))
            })
            .filter(|at| *at > now)
            .min()
    }
}

/// `at - lead minutes`, or `None` if that leaves chrono's range.
fn fire_time(at: DateTime<Utc>, lead_mins: i64) -> Option<DateTime<Utc>> {
    at.checked_sub_signed(TimeDelta::try_minutes(lead_mins)?)
}

fn unique(leads: &[i64]) -> impl Iterator<Item = i64> + '_ {
    leads
        .iter()
        .enumerate()
        .filter(|(i, lead)| !leads[..*i].contains(lead))
        .map(|(_, lead)| *lead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::CalendarKind;

    fn t(mins: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + mins * 60, 0).expect("in range")
    }

    fn item(id: &str, at: DateTime<Utc>, kind: CalendarKind) -> CalendarItem {
        serde_json::from_value(serde_json::json!({"id": id, "at": at, "kind": kind, "title": id}))
            .expect("valid item")
    }

    const LEADS: [i64; 3] = [1440, 60, 0];

    #[test]
    fn entities_are_those_of_the_reminder_bearing_items() {
        let on = |entity: &str, kind| {
            let mut i = item(&format!("{kind:?}:{entity}"), t(30), kind);
            i.entity_id = entity.to_owned();
            i
        };
        let mut r = Reminders::default();
        r.set_items(vec![
            on("f-9", CalendarKind::SlaDeadline),
            on("f-2", CalendarKind::RetestDue),
            on("f-9", CalendarKind::RetestDue),
            on("s-1", CalendarKind::ScanScheduled),
        ]);
        assert!(r.is_about_entity("f-9"));
        assert!(r.is_about_entity("f-2"));
        assert!(
            !r.is_about_entity("s-1"),
            "a scheduled scan has no reminders"
        );
        assert!(!r.is_about_entity("f-1"));
        r.set_items(Vec::new());
        assert!(!r.is_about_entity("f-9"), "a new calendar replaces the old");
    }

    #[test]
    fn closest_due_lead_fires_and_supersedes_earlier_ones() {
        let mut r = Reminders::default();
        r.set_items(vec![item("a", t(30), CalendarKind::SlaDeadline)]);
        let ledger = ReminderLedger::new();
        let due = r.due(t(0), &LEADS, &ledger);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].fire_at, t(-30), "the 1 h lead is the closest");
        assert_eq!(due[0].leads, [1440, 60]);
        assert!(due[0].missed(t(0)));
        assert_eq!(r.next_fire(t(0), &LEADS, &ledger), Some(t(30)));
    }

    #[test]
    fn only_deadline_kinds_within_the_horizon_get_reminders() {
        let mut r = Reminders::default();
        r.set_items(vec![
            item("scan", t(10), CalendarKind::ScanScheduled),
            item("old", t(-8 * 1440), CalendarKind::RetestDue),
            item("retest", t(10), CalendarKind::RetestDue),
        ]);
        let due = r.due(t(0), &LEADS, &ReminderLedger::new());
        let ids: Vec<_> = due.iter().map(|d| d.item.id.as_str()).collect();
        assert_eq!(ids, ["retest"]);
        assert!(!r.contains("scan"));
    }

    #[test]
    fn fired_leads_are_not_due_again_and_extreme_leads_do_not_panic() {
        let mut r = Reminders::default();
        r.set_items(vec![item("a", t(0), CalendarKind::SlaDeadline)]);
        let mut ledger = ReminderLedger::new();
        ledger.record("a", t(0), &[1440, 60, 0]);
        assert!(r.due(t(5), &LEADS, &ledger).is_empty());
        assert_eq!(
            r.next_fire(t(5), &[i64::MAX, i64::MIN, 60, 60], &ledger),
            None
        );
        assert!(
            r.due(t(5), &[i64::MIN, i64::MAX], &ReminderLedger::new())
                .is_empty()
        );
    }
}
