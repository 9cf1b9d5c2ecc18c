//! The app's [`EffectSink`]: where the engine's decisions reach the
//! desktop. It keeps the status snapshot current (tray look, badge,
//! tooltip, the event types the stream has shown), raises pop-ups, opens
//! the links the engine allowed, and tells an open window what changed.
//! The shell has already done the IO effects.

use chrono::{DateTime, TimeDelta, Utc};
use companion_core::{Effect, EffectSink, EventType, Input};
use tauri::{AppHandle, Manager};

use crate::notify::Notifier;
use crate::state::{AppState, lock};
use crate::status::Pause;
use crate::{calendar_file, links, window};

/// Under a burst of events the "last event" time is recorded for each but
/// shown (tray relabel, window event) at most this often.
const LAST_EVENT_REFRESH: TimeDelta = TimeDelta::seconds(1);

pub struct AppSink {
    app: AppHandle,
    last_shown: Option<DateTime<Utc>>,
}

impl AppSink {
    pub fn new(app: AppHandle) -> AppSink {
        AppSink {
            app,
            last_shown: None,
        }
    }
}

impl EffectSink for AppSink {
    fn observe(&mut self, input: &Input) {
        let event = match input {
            Input::Frame { event, .. } => event,
            Input::Calendar(items) => {
                let deadlines = items.iter().filter(|i| i.kind.has_reminders()).cloned();
                self.app.update(|s| s.deadlines = deadlines.collect());
                if let Err(error) = calendar_file::write(&self.app) {
                    tracing::warn!(%error, "could not write the calendar file");
                }
                return;
            }
            _ => return,
        };
        if event == "ping" {
            return;
        }
        let now = Utc::now();
        if self
            .last_shown
            .is_some_and(|t| now - t < LAST_EVENT_REFRESH)
        {
            lock(&self.app.shared().status).last_event_at = Some(now);
        } else {
            self.last_shown = Some(now);
            self.app.update(|s| s.last_event_at = Some(now));
        }
    }

    fn apply(&mut self, effect: &Effect) {
        match effect {
            Effect::Notify(popup) => {
                // A critical or urgent inbox row, not a reminder: reading
                // everything is what ends the call for attention.
                let unread_row = popup.notification_id.is_some();
                if popup.urgent && unread_row && !self.app.status().attention {
                    self.app.update(|s| s.attention = true);
                }
                self.app.state::<Notifier>().show(popup);
            }
            // The pop-up carries the sound as a `sound-name` hint, so the
            // notification server plays it with the desktop's sound theme.
            Effect::PlaySound { event_type } => tracing::debug!(event_type, "sound"),
            Effect::SetBadge(unread) => self.app.update(|s| s.set_unread(*unread)),
            Effect::SetSnoozed(count) => self.app.update(|s| s.snoozed = *count),
            Effect::SetConnection(state) => {
                self.app.update(|s| s.record_connection(state, Utc::now()))
            }
            Effect::SetPause(until) => self.app.update(|s| s.pause = Pause::from_effect(*until)),
            Effect::FetchInboxHead | Effect::MarkRead(_) | Effect::MarkAllRead => {
                window::relay(&self.app, "inbox-changed", ());
            }
            Effect::FetchCalendar => {
                window::relay(&self.app, "calendar-changed", ());
            }
            Effect::OpenUrl(url) => links::open(url),
            Effect::TypeSeen(name) => {
                lock(&self.app.shared().seen_types).record(&EventType::from_wire(name));
            }
            Effect::FetchSummary
            | Effect::FetchServerPrefs
            | Effect::ScheduleTick(_)
            | Effect::PersistLedger
            | Effect::Reconnect => {}
        }
    }
}
