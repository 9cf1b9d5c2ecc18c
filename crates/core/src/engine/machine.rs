//! The [`Engine`] itself: its state, the dispatch of each [`Input`], and the
//! timers that turn into `ScheduleTick`.

use chrono::{DateTime, TimeDelta, Utc};

use super::badge::{Badge, Change};
use super::catch_up::CatchUp;
use super::connection::ConnectionState;
use super::dedup::Dedup;
use super::links::on_server_origin;
use super::network::{NetworkReach, shown};
use super::pause;
use super::reminders::Reminders;
use super::storm::Storm;
use super::text::storm_popup;
use super::timer::Deadline;
use super::{
    Effect, EngineConfig, EngineStats, Input, PAUSED_INDEFINITELY, ReminderLedger, UserAction,
};
use std::collections::BTreeMap;

use crate::preferences::{SeenTypes, ServerChannel, server_enabled};

/// After `finding_*`/`sla_*` events the calendar is refetched at most this often.
pub(crate) const CALENDAR_DEBOUNCE: TimeDelta = TimeDelta::seconds(30);
/// The calendar is also refetched this often while connected.
pub(crate) const CALENDAR_PERIOD: TimeDelta = TimeDelta::minutes(15);

/// The decision engine. Feed it inputs with the current time; carry out the
/// effects it returns. See the [module docs](super) for the rules.
pub struct Engine {
    pub(crate) config: EngineConfig,
    pub(crate) ledger: ReminderLedger,
    pub(crate) stats: EngineStats,
    /// The stream's own state.
    connection: ConnectionState,
    /// The state last announced (`SetConnection`); `None` before the first.
    announced: Option<ConnectionState>,
    /// What the operating system says of the network (`Full` until told).
    pub(crate) reach: NetworkReach,
    pub(crate) badge: Badge,
    pub(crate) dedup: Dedup,
    pub(crate) storm: Storm,
    /// Event types outside the catalog the stream has shown (bounded).
    pub(crate) seen_types: SeenTypes,
    /// The user's server matrix, once read (its `in_app` cells gate the
    /// pop-up cells that follow the server).
    pub(crate) server_prefs: Option<BTreeMap<String, bool>>,
    /// What the inbox gained while the stream was down.
    pub(crate) catch_up: CatchUp,
    pub(crate) calendar_soon: Deadline,
    calendar_periodic: Deadline,
    pub(crate) reminders: Reminders,
    /// Re-evaluate reminders at this instant (or when `reminders_dirty`).
    pub(crate) reminder_check: Option<DateTime<Utc>>,
    pub(crate) reminders_dirty: bool,
    /// Look at the morning agenda again at this instant.
    pub(crate) agenda_check: Option<DateTime<Utc>>,
    /// Look at the snoozed pop-ups again at this instant.
    pub(crate) snooze_check: Option<DateTime<Utc>>,
    /// The snoozes changed since they were last looked at.
    pub(crate) snoozes_dirty: bool,
    /// Whether the count of snoozes from the ledger has been told.
    pub(crate) snoozes_announced: bool,
    /// The latest `now` seen, to notice the clock going backwards.
    last_now: Option<DateTime<Utc>>,
    /// `Some(until)` while paused; [`PAUSED_INDEFINITELY`] until resumed.
    pub(crate) paused_until: Option<DateTime<Utc>>,
    /// The desktop's do-not-disturb (the notification server's `Inhibited`).
    pub(crate) desktop_inhibited: bool,
    /// The instant of the last `ScheduleTick` emitted.
    scheduled: Option<DateTime<Utc>>,
}

impl Engine {
    /// A fresh engine; `ledger` is what the shell persisted last time.
    pub fn new(config: EngineConfig, ledger: ReminderLedger) -> Self {
        Engine {
            config,
            ledger,
            stats: EngineStats::default(),
            connection: ConnectionState::Connecting,
            announced: None,
            reach: NetworkReach::Full,
            badge: Badge::default(),
            dedup: Dedup::default(),
            storm: Storm::default(),
            seen_types: SeenTypes::default(),
            server_prefs: None,
            catch_up: CatchUp::default(),
            calendar_soon: Deadline::default(),
            calendar_periodic: Deadline::default(),
            reminders: Reminders::default(),
            reminder_check: None,
            reminders_dirty: true,
            agenda_check: None,
            snooze_check: None,
            snoozes_dirty: true,
            snoozes_announced: false,
            last_now: None,
            paused_until: None,
            desktop_inhibited: false,
            scheduled: None,
        }
    }

    /// Applies one input at time `now` and returns what to do, in order.
    pub fn handle(&mut self, input: Input, now: DateTime<Utc>) -> Vec<Effect> {
        let mut out = Vec::new();
        if self.last_now.is_some_and(|last| now < last) {
            tracing::debug!(%now, "clock went backwards");
            self.reminders_dirty = true;
        }
        self.last_now = Some(now);
        let is_tick = input == Input::Tick;

        self.expire_pause(now, &mut out);
        if let Some(summary) = self.storm.close_if_over(now) {
            self.emit_storm_summary(&summary, &mut out);
        }
        match input {
            Input::Connecting => self.set_connection(ConnectionState::Connecting, &mut out),
            Input::StreamOpened => self.on_stream_opened(now, &mut out),
            Input::Frame { event, data } => {
                self.on_frame(&event.text(), &data.text(), now, &mut out)
            }
            Input::Heartbeat => self.stats.heartbeats += 1,
            Input::FrameTooLarge { .. } => self.stats.oversized += 1,
            Input::StreamFailed {
                kind,
                attempt,
                retry_at,
            } => {
                let state = ConnectionState::after_failure(&kind, attempt, retry_at);
                if state.is_stopped() {
                    self.calendar_soon.clear();
                    self.calendar_periodic.clear();
                    self.badge.refetch.clear();
                }
                self.set_connection(state, &mut out);
            }
            Input::Summary { unread, .. } => {
                if let Some(n) = self.badge.set_exact(unread) {
                    out.push(Effect::SetBadge(n));
                }
            }
            Input::InboxHead(page) => self.on_inbox_head(&page, now, &mut out),
            Input::Calendar(items) => {
                self.reminders.set_items(items);
                let reminders = &self.reminders;
                if self.ledger.prune(now, |id| reminders.contains(id)) {
                    out.push(Effect::PersistLedger);
                }
                self.reminders_dirty = true;
            }
            Input::ServerPrefs(matrix) => self.server_prefs = Some(matrix),
            Input::DesktopInhibited(on) => {
                if on != self.desktop_inhibited {
                    self.desktop_inhibited = on;
                    // What was held may go now, or must wait.
                    self.reminders_dirty = true;
                    self.snoozes_dirty = true;
                }
            }
            Input::Tick => {}
            Input::User(action) => self.on_user(action, now, &mut out),
            Input::PrefsChanged(prefs) => {
                self.config.prefs = *prefs;
                self.reminders_dirty = true;
            }
            Input::System(event) => self.on_system(event, &mut out),
        }
        self.fire_fetches(now, &mut out);
        // Before the reminders, which clear the dirty flag both look at.
        self.run_agenda(now, &mut out);
        self.run_reminders(now, &mut out);
        if self.snoozes_dirty || self.snooze_check.is_some_and(|at| now >= at) {
            self.snoozes_dirty = false;
            self.run_snoozes(now, &mut out);
        }
        self.schedule(is_tick, &mut out);
        if out.contains(&Effect::FetchSummary) {
            self.badge.fetching();
        }
        out
    }

    /// The reminder ledger, for the shell to persist after `PersistLedger`.
    pub fn ledger(&self) -> &ReminderLedger {
        &self.ledger
    }

    pub fn stats(&self) -> &EngineStats {
        &self.stats
    }

    /// The state shown: the stream's, or `Offline` over it.
    pub fn connection(&self) -> &ConnectionState {
        self.announced.as_ref().unwrap_or(&self.connection)
    }

    /// The unread count, once the server has told us.
    pub fn unread(&self) -> Option<u64> {
        self.badge.unread()
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    fn set_connection(&mut self, state: ConnectionState, out: &mut Vec<Effect>) {
        self.connection = state;
        self.announce_connection(out);
    }

    /// Emits `SetConnection` when the state to show has changed.
    pub(crate) fn announce_connection(&mut self, out: &mut Vec<Effect>) {
        let state = shown(&self.connection, self.reach);
        if self.announced.as_ref() != Some(&state) {
            self.announced = Some(state.clone());
            out.push(Effect::SetConnection(state));
        }
    }

    /// No replay on the stream: refresh everything through REST now.
    fn on_stream_opened(&mut self, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        self.set_connection(ConnectionState::Live, out);
        self.catch_up.stream_opened();
        self.badge.refetch.clear();
        self.calendar_soon.clear();
        self.calendar_periodic.reset(now, CALENDAR_PERIOD);
        out.extend([
            Effect::FetchSummary,
            Effect::FetchCalendar,
            Effect::FetchInboxHead,
            Effect::FetchServerPrefs,
        ]);
    }

    fn on_user(&mut self, action: UserAction, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        match action {
            UserAction::Pause { until } => {
                self.pause(until.unwrap_or(PAUSED_INDEFINITELY), now, out)
            }
            UserAction::PauseFor { minutes } => {
                self.pause(pause::minutes_from(now, minutes), now, out)
            }
            UserAction::PauseUntilTomorrow => {
                let until = pause::tomorrow_morning(now, self.config.time_zone);
                self.pause(until, now, out)
            }
            UserAction::Resume => self.resume(out),
            UserAction::MarkRead(id) => {
                self.forget_snoozes_of(Some(&id), out);
                out.push(Effect::MarkRead(id));
            }
            UserAction::MarkAllRead => {
                self.forget_snoozes_of(None, out);
                out.push(Effect::MarkAllRead);
            }
            UserAction::Snooze { popup } => self.snooze(popup, now, out),
            UserAction::Open { url } => match on_server_origin(self.config.origin(), &url) {
                Some(link) => out.push(Effect::OpenUrl(link.into())),
                None => {
                    self.stats.rejected_urls += 1;
                    tracing::warn!(%url, "refused to open a URL outside the server origin");
                }
            },
        }
    }

    /// A pause that ends at or before `now` is no pause.
    fn pause(&mut self, until: DateTime<Utc>, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        if until <= now {
            self.resume(out);
        } else {
            self.paused_until = Some(until);
            self.reminders_dirty = true;
            out.push(Effect::SetPause(Some(until)));
        }
    }

    fn resume(&mut self, out: &mut Vec<Effect>) {
        if self.paused_until.take().is_some() {
            self.reminders_dirty = true;
            out.push(Effect::SetPause(None));
        }
    }

    /// A pause ends at the first input at or after its end.
    fn expire_pause(&mut self, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        if self.paused_until.is_some_and(|until| now >= until) {
            self.resume(out);
        }
    }

    pub(crate) fn emit_storm_summary(
        &mut self,
        summary: &super::storm::StormSummary,
        out: &mut Vec<Effect>,
    ) {
        let popup = storm_popup(summary, &self.config);
        self.stats.popups += 1;
        self.stats.storm_summaries += 1;
        out.push(Effect::Notify(popup));
        if let Some(event_type) = summary.sound.clone() {
            self.stats.sounds += 1;
            out.push(Effect::PlaySound { event_type });
        }
    }

    /// Debounced and periodic refetches that have come due.
    fn fire_fetches(&mut self, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        if self.badge.refetch.fire(now, super::badge::SUMMARY_DEBOUNCE) {
            out.push(Effect::FetchSummary);
        }
        let soon = self.calendar_soon.fire(now, CALENDAR_DEBOUNCE);
        let periodic = self.calendar_periodic.fire(now, CALENDAR_PERIOD);
        if soon || periodic {
            self.calendar_soon.clear();
            self.calendar_periodic.reset(now, CALENDAR_PERIOD);
            out.push(Effect::FetchCalendar);
            if periodic {
                // The server matrix changes rarely; read it as often.
                out.push(Effect::FetchServerPrefs);
            }
        }
    }

    /// Emits `ScheduleTick` for the earliest pending deadline when it differs
    /// from the last one sent. A tick consumes the shell's timer, so after a
    /// tick the next deadline is always sent again.
    fn schedule(&mut self, is_tick: bool, out: &mut Vec<Effect>) {
        let pause_end = self
            .paused_until
            .filter(|until| *until != PAUSED_INDEFINITELY);
        let next = [
            pause_end,
            self.storm.due(),
            self.badge.refetch.due(),
            self.calendar_soon.due(),
            self.calendar_periodic.due(),
            self.reminder_check,
            self.agenda_check,
            self.snooze_check,
        ]
        .into_iter()
        .flatten()
        .min();
        if is_tick {
            self.scheduled = None;
        }
        if next != self.scheduled {
            self.scheduled = next;
            if let Some(at) = next {
                out.push(Effect::ScheduleTick(at));
            }
        }
    }

    /// Applies an optimistic badge change from the stream.
    pub(crate) fn adjust_badge(
        &mut self,
        change: Change,
        now: DateTime<Utc>,
        out: &mut Vec<Effect>,
    ) {
        if let Some(n) = self.badge.adjust(change, now) {
            out.push(Effect::SetBadge(n));
        }
    }

    /// What holds pop-ups back like a pause: the user's pause, or the
    /// desktop's do-not-disturb, which lasts until the desktop lifts it.
    pub(crate) fn held_until(&self) -> Option<DateTime<Utc>> {
        if self.desktop_inhibited {
            Some(PAUSED_INDEFINITELY)
        } else {
            self.paused_until
        }
    }

    /// The server's `in_app` cell for `ty`; on until the matrix is read.
    pub(crate) fn server_in_app(&self, ty: &crate::event::EventType) -> bool {
        self.server_prefs
            .as_ref()
            .is_none_or(|m| server_enabled(m, ServerChannel::InApp, ty))
    }

    /// Whether the stream is signed out or in error (no fetches then).
    pub(crate) fn stopped(&self) -> bool {
        self.connection.is_stopped()
    }
}
