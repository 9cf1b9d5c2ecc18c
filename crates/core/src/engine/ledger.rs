//! The reminder ledger: which `(calendar item, lead)` reminders already
//! fired, persisted by the shell so restarts never repeat one.
//!
//! Each entry also remembers the deadline it was fired for. If the server
//! moves a deadline, the item's reminders start afresh for the new time
//! rather than staying silent because an old deadline was reminded.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::snooze::Snoozed;
use serde::{Deserialize, Serialize};

/// Hard bound on entries, whatever the calendar holds.
const MAX_ENTRIES: usize = 10_000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderLedger {
    #[serde(default)]
    entries: BTreeMap<String, LedgerEntry>,
    /// The local date of the last morning agenda shown (or skipped as empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    agenda_day: Option<NaiveDate>,
    /// Pop-ups the user snoozed, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    snoozed: Vec<Snoozed>,
}

/// The reminders fired for one calendar item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The deadline these leads were fired for.
    pub at: DateTime<Utc>,
    /// Lead times in minutes.
    #[serde(default)]
    pub leads: BTreeSet<i64>,
}

impl ReminderLedger {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The pop-ups waiting to come back, oldest first.
    pub fn snoozed(&self) -> &[Snoozed] {
        &self.snoozed
    }

    /// Adds one, dropping the oldest beyond `max`.
    pub(crate) fn snooze(&mut self, snoozed: Snoozed, max: usize) {
        self.snoozed.push(snoozed);
        let excess = self.snoozed.len().saturating_sub(max);
        self.snoozed.drain(..excess);
    }

    pub(crate) fn retain_snoozed(&mut self, keep: impl FnMut(&Snoozed) -> bool) {
        self.snoozed.retain(keep);
    }

    /// The local date whose morning agenda was last shown.
    pub fn agenda_day(&self) -> Option<NaiveDate> {
        self.agenda_day
    }

    pub(crate) fn record_agenda(&mut self, day: NaiveDate) {
        self.agenda_day = Some(day);
    }

    /// Whether the reminder `lead` minutes before `at` already fired.
    pub fn has_fired(&self, item_id: &str, at: DateTime<Utc>, lead: i64) -> bool {
        self.entries
            .get(item_id)
            .is_some_and(|entry| entry.at == at && entry.leads.contains(&lead))
    }

    /// Records leads as fired (a moved deadline replaces the old entry).
    pub(crate) fn record(&mut self, item_id: &str, at: DateTime<Utc>, leads: &[i64]) {
        let entry = self
            .entries
            .entry(item_id.to_owned())
            .or_insert_with(|| LedgerEntry {
                at,
                leads: BTreeSet::new(),
            });
        if entry.at != at {
            *entry = LedgerEntry {
                at,
                leads: BTreeSet::new(),
            };
        }
        entry.leads.extend(leads.iter().copied());
        self.enforce_bound();
    }

    /// Forgets items that left the calendar and whose deadline has passed;
    /// they can never fire again. Items still in the calendar are kept even
    /// when long overdue, so a clock jumping back and forth cannot make one
    /// fire twice (the calendar window bounds how many there are). Returns
    /// whether anything was removed.
    pub(crate) fn prune(&mut self, now: DateTime<Utc>, in_calendar: impl Fn(&str) -> bool) -> bool {
        let before = self.entries.len();
        self.entries
            .retain(|id, entry| in_calendar(id) || entry.at >= now);
        before != self.entries.len()
    }

    /// Drops the oldest deadlines beyond [`MAX_ENTRIES`].
    fn enforce_bound(&mut self) {
        while self.entries.len() > MAX_ENTRIES {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.at)
                .map(|(id, _)| id.clone());
            match oldest {
                Some(id) => self.entries.remove(&id),
                None => break,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).expect("in range")
    }

    #[test]
    fn recorded_leads_are_remembered_per_deadline() {
        let mut ledger = ReminderLedger::new();
        ledger.record("sla-1", t(24), &[1440, 60]);
        assert!(ledger.has_fired("sla-1", t(24), 60));
        assert!(!ledger.has_fired("sla-1", t(24), 0));
        assert!(!ledger.has_fired("sla-2", t(24), 60));
        ledger.record("sla-1", t(48), &[1440]);
        assert!(
            !ledger.has_fired("sla-1", t(24), 60),
            "moved deadline starts afresh"
        );
        assert!(ledger.has_fired("sla-1", t(48), 1440));
    }

    #[test]
    fn prune_forgets_only_items_gone_from_the_calendar_after_their_deadline() {
        let mut ledger = ReminderLedger::new();
        ledger.record("gone-past", t(-1), &[0]);
        ledger.record("gone-future", t(5), &[1440]);
        ledger.record("kept-overdue", t(-24 * 30), &[0]);
        assert!(ledger.prune(t(0), |id| id == "kept-overdue"));
        assert_eq!(ledger.len(), 2);
        assert!(ledger.has_fired("kept-overdue", t(-24 * 30), 0));
        assert!(ledger.has_fired("gone-future", t(5), 1440));
        assert!(!ledger.prune(t(0), |id| id == "kept-overdue"));
    }

    #[test]
    fn ledger_round_trips_through_json() {
        let mut ledger = ReminderLedger::new();
        ledger.record("sla-1", t(0), &[60, 0]);
        let json = serde_json::to_string(&ledger).expect("ser");
        let back: ReminderLedger = serde_json::from_str(&json).expect("de");
        assert_eq!(back, ledger);
        let empty: ReminderLedger = serde_json::from_str("{}").expect("lenient");
        assert!(empty.is_empty());
    }
}
