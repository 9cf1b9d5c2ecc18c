//! Rule 13: snooze. "Snooze" on an event pop-up or a reminder holds it back
//! for `snooze_secs` (1 h by default) and then raises it again, once,
//! unless its inbox row was read in the meantime. Snoozes live in the
//! ledger, so a restart keeps them; pause and quiet hours hold a due one
//! until they end (critical and urgent break through, as ever). The shell
//! is told how many are waiting (`SetSnoozed`), for the tray menu.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::gate::{Gate, gate, gate_ends};
use super::timer::after;
use super::{Effect, Engine, Popup};

/// At most this many snoozes are kept; the oldest goes first.
pub(crate) const MAX_SNOOZED: usize = 100;
/// The longest a snooze may last, whatever the setting says.
const LONGEST: TimeDelta = TimeDelta::days(7);

/// One held pop-up and when it comes back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snoozed {
    pub popup: Popup,
    pub until: DateTime<Utc>,
}

impl Engine {
    pub(crate) fn snooze(&mut self, popup: Popup, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        let secs = i64::try_from(self.config.prefs.snooze_secs).unwrap_or(i64::MAX);
        let delay = TimeDelta::try_seconds(secs)
            .unwrap_or(LONGEST)
            .clamp(TimeDelta::seconds(1), LONGEST);
        self.ledger.snooze(
            Snoozed {
                popup,
                until: after(now, delay),
            },
            MAX_SNOOZED,
        );
        self.snoozes_changed(out);
    }

    /// The row `id` was read (here or elsewhere): its snooze is dropped.
    pub(crate) fn forget_snoozes_of(&mut self, id: Option<&str>, out: &mut Vec<Effect>) {
        let before = self.ledger.snoozed().len();
        self.ledger
            .retain_snoozed(|s| match (id, &s.popup.notification_id) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(read), Some(row)) => read != row,
            });
        if self.ledger.snoozed().len() != before {
            self.snoozes_changed(out);
        }
    }

    /// Raises the snoozes that are due, unless held; keeps `snooze_check`
    /// at the next instant worth looking again.
    pub(crate) fn run_snoozes(&mut self, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        if !self.snoozes_announced {
            self.snoozes_announced = true;
            if !self.ledger.snoozed().is_empty() {
                out.push(Effect::SetSnoozed(self.ledger.snoozed().len() as u64));
            }
        }
        let mut held_until: Option<DateTime<Utc>> = None;
        let mut raised = Vec::new();
        for snoozed in self.ledger.snoozed() {
            if snoozed.until > now {
                continue;
            }
            match gate(&self.config, self.held_until(), now, snoozed.popup.urgent) {
                Gate::Open => raised.push(snoozed.clone()),
                Gate::Quiet | Gate::Paused => {
                    let end = gate_ends(&self.config, self.held_until(), now);
                    held_until = held_until.into_iter().chain(end).min();
                }
            }
        }
        if !raised.is_empty() {
            self.ledger.retain_snoozed(|s| !raised.contains(s));
            for snoozed in raised {
                self.stats.popups += 1;
                out.push(Effect::Notify(snoozed.popup));
            }
            self.snoozes_changed(out);
        }
        let next = self
            .ledger
            .snoozed()
            .iter()
            .map(|s| s.until)
            .filter(|until| *until > now)
            .min();
        self.snooze_check = next.into_iter().chain(held_until).min();
    }

    fn snoozes_changed(&mut self, out: &mut Vec<Effect>) {
        out.push(Effect::SetSnoozed(self.ledger.snoozed().len() as u64));
        out.push(Effect::PersistLedger);
        self.snoozes_dirty = true;
    }
}
