//! Rule 11: the morning agenda. One pop-up on working days at a set local
//! time ("Today: 3 deadlines (1 overdue), 2 retests due"), built from the
//! personal calendar. A start later in the day brings it at start-up; it
//! comes once per day (the day is kept in the ledger, so a restart does not
//! repeat it); pause and quiet hours hold it until they end, that same day.
//! A day with nothing due gets no pop-up.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::gate::{Gate, gate, gate_ends};
use super::local_time::wall_clock_instant;
use super::quiet_hours::hh_mm;
use super::text::agenda_popup;
use super::{Effect, Engine};
use crate::event::{CalendarItem, CalendarKind};

/// When the agenda comes. Serde fills anything missing with the default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaPrefs {
    pub enabled: bool,
    /// Local wall-clock time, `"09:00"`.
    #[serde(with = "hh_mm")]
    pub at: NaiveTime,
    /// The working days, `["Mon", …]`.
    pub days: Vec<Weekday>,
}

impl Default for AgendaPrefs {
    fn default() -> Self {
        AgendaPrefs {
            enabled: true,
            at: NaiveTime::from_hms_opt(9, 0, 0).expect("a valid time"),
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
        }
    }
}

impl AgendaPrefs {
    /// When `date`'s agenda is due, if `date` is a working day.
    fn due_on(&self, date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
        if !self.enabled || !self.days.contains(&date.weekday()) {
            return None;
        }
        wall_clock_instant(date, self.at, tz)
    }

    /// The first agenda time after `now` (a week holds every working day).
    fn next_after(&self, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let today = now.with_timezone(&tz).date_naive();
        today
            .iter_days()
            .take(8)
            .filter_map(|date| self.due_on(date, tz))
            .find(|at| *at > now)
    }
}

/// What one day holds: the deadlines and retests due by its end.
#[derive(Clone, Debug, Default)]
pub(crate) struct AgendaDay<'a> {
    pub deadlines: Vec<&'a CalendarItem>,
    pub overdue: usize,
    pub retests: Vec<&'a CalendarItem>,
}

impl<'a> AgendaDay<'a> {
    /// Due before the end of `today` in `tz`, overdue ones included.
    pub fn of(items: &'a [CalendarItem], now: DateTime<Utc>, today: NaiveDate, tz: Tz) -> Self {
        let end = today
            .succ_opt()
            .and_then(|tomorrow| wall_clock_instant(tomorrow, NaiveTime::MIN, tz))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let mut day = AgendaDay::default();
        for item in items.iter().filter(|i| i.at < end) {
            match item.kind {
                CalendarKind::SlaDeadline => {
                    day.overdue += usize::from(item.at < now);
                    day.deadlines.push(item);
                }
                CalendarKind::RetestDue => day.retests.push(item),
                _ => {}
            }
        }
        day
    }

    pub fn is_empty(&self) -> bool {
        self.deadlines.is_empty() && self.retests.is_empty()
    }
}

impl Engine {
    /// Shows today's agenda when it is due and not shown yet; keeps
    /// `agenda_check` at the next instant worth looking again.
    pub(crate) fn run_agenda(&mut self, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        let check_due = self.agenda_check.is_some_and(|at| now >= at);
        if !self.reminders_dirty && !check_due {
            return;
        }
        let tz = self.config.time_zone;
        let prefs = &self.config.prefs.agenda;
        let today = now.with_timezone(&tz).date_naive();
        let due_today = prefs
            .due_on(today, tz)
            .filter(|at| now >= *at && self.ledger.agenda_day() < Some(today));
        let mut release = None;
        // Until the calendar is known there is nothing to count; its
        // arrival marks the reminders dirty and brings us back.
        if due_today.is_some() && self.reminders.known {
            if gate(&self.config, self.held_until(), now, false) == Gate::Open {
                let items = self.reminders.items();
                let day = AgendaDay::of(items, now, today, tz);
                if !day.is_empty() {
                    self.stats.popups += 1;
                    out.push(Effect::Notify(agenda_popup(&day, now)));
                }
                self.ledger.record_agenda(today);
                out.push(Effect::PersistLedger);
            } else {
                // Held: look again when the hold ends, if that is still today.
                release = gate_ends(&self.config, self.held_until(), now)
                    .filter(|end| end.with_timezone(&tz).date_naive() == today);
            }
        }
        let next = self.config.prefs.agenda.next_after(now, tz);
        self.agenda_check = release.into_iter().chain(next).min();
    }
}
