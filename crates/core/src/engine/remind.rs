//! Showing deadline reminders: once each, never in a burst, never lost.
//!
//! Choices:
//! - Fresh reminders (fire time within the last 5 min) pop up one by one,
//!   unless more than `storm_max` are fresh at once; then they join the digest.
//! - Missed ones (asleep, app closed, clock jump) are gathered into one
//!   `ReminderDigest` per input; a lone missed reminder shows as a normal
//!   reminder with its current wording ("Overdue: …").
//! - During quiet hours or pause a reminder is *held*: not shown and not
//!   recorded, and re-checked when the hold ends, where it shows (usually
//!   in the digest, being late by then). Critical/urgent deadlines break
//!   through like events do. A reminder is recorded in the ledger exactly
//!   when it is shown, so it can be neither lost nor doubled.

use chrono::{DateTime, Utc};

use super::gate::{Gate, gate, gate_ends};
use super::text::{digest_popup, reminder_popup};
use super::{Effect, Engine};
use crate::event::{CalendarItem, Severity};

impl Engine {
    pub(crate) fn run_reminders(&mut self, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        let check_due = self.reminder_check.is_some_and(|at| now >= at);
        if !self.reminders_dirty && !check_due {
            return;
        }
        self.reminders_dirty = false;
        let leads = self.config.prefs.reminder_leads_mins.clone();
        let mut held = false;
        let mut fresh: Vec<(CalendarItem, Vec<i64>)> = Vec::new();
        let mut missed: Vec<(CalendarItem, Vec<i64>)> = Vec::new();
        for due in self.reminders.due(now, &leads, &self.ledger) {
            let urgent = due
                .item
                .severity
                .is_some_and(Severity::is_critical_or_urgent);
            if gate(&self.config, self.held_until(), now, urgent) != Gate::Open {
                held = true;
                continue;
            }
            let entry = (due.item.clone(), due.leads.clone());
            if due.missed(now) {
                missed.push(entry)
            } else {
                fresh.push(entry)
            }
        }
        if fresh.len() > usize::try_from(self.config.prefs.storm_max).unwrap_or(usize::MAX) {
            missed.append(&mut fresh);
        }
        for (item, _) in &fresh {
            self.stats.popups += 1;
            self.stats.reminders += 1;
            self.push_reminder(reminder_popup(item, &self.config, now), out);
        }
        match missed.as_slice() {
            [] => {}
            [(item, _)] => {
                self.stats.popups += 1;
                self.stats.reminders += 1;
                self.push_reminder(reminder_popup(item, &self.config, now), out);
            }
            many => {
                let items: Vec<&CalendarItem> = many.iter().map(|(item, _)| item).collect();
                self.stats.popups += 1;
                self.stats.reminder_digests += 1;
                out.push(Effect::Notify(digest_popup(&items, now)));
            }
        }
        let shown = fresh.iter().chain(&missed);
        let mut recorded = false;
        for (item, leads) in shown {
            self.ledger.record(&item.id, item.at, leads);
            recorded = true;
        }
        if recorded {
            out.push(Effect::PersistLedger);
        }
        let release = if held {
            gate_ends(&self.config, self.held_until(), now)
        } else {
            None
        };
        let next_fire = self.reminders.next_fire(now, &leads, &self.ledger);
        self.reminder_check = release.into_iter().chain(next_fire).min();
    }

    /// A reminder pop-up, with its severity's sound when reminders sound.
    fn push_reminder(&mut self, mut popup: crate::engine::Popup, out: &mut Vec<Effect>) {
        let prefs = &self.config.prefs;
        popup.sound = prefs.reminder_sound && prefs.sound_name(popup.severity).is_some();
        let sound = popup.sound;
        out.push(Effect::Notify(popup));
        if sound {
            self.stats.sounds += 1;
            out.push(Effect::PlaySound {
                event_type: "reminder".into(),
            });
        }
    }
}
