//! How `watch` prints effects: JSON objects for scripts, short readable
//! lines for people.

use chrono::{DateTime, Local, Utc};
use companion_core::engine::PAUSED_INDEFINITELY;
use companion_core::{ConnectionState, Effect, EffectSink, Input};
use serde_json::{Value, json};

use crate::output::{self, Format, terminal};

pub struct EffectPrinter {
    format: Format,
}

impl EffectPrinter {
    pub fn new(format: Format) -> Self {
        EffectPrinter { format }
    }
}

impl EffectPrinter {
    /// Prints one effect; also used before the engine exists, for the
    /// "reconnecting" state while the user cannot be identified yet.
    pub fn show(&self, effect: &Effect) {
        match self.format {
            Format::Json => output::json_line(&to_json(effect)),
            Format::Text => {
                if let Some(text) = to_text(effect) {
                    output::line(&format!("{}  {text}", Local::now().format("%H:%M:%S")));
                }
            }
        }
    }
}

impl EffectSink for EffectPrinter {
    fn apply(&mut self, effect: &Effect) {
        self.show(effect);
    }

    /// In JSON, one line when the user's server matrix has been read and is
    /// about to apply (`{"observed":"server_prefs","keys":N}`): pop-up cells
    /// that follow the server decide by it from the next event on.
    fn observe(&mut self, input: &Input) {
        if let (Format::Json, Input::ServerPrefs(matrix)) = (self.format, input) {
            output::json_line(&json!({"observed": "server_prefs", "keys": matrix.len()}));
        }
    }
}

/// `{"effect":"notify",…}`, `{"effect":"badge","unread":7}`,
/// `{"effect":"connection","state":"live"}`, and so on.
pub fn to_json(effect: &Effect) -> Value {
    match effect {
        Effect::Notify(popup) => {
            let mut value = json!({"effect": "notify"});
            if let (Value::Object(target), Ok(Value::Object(fields))) =
                (&mut value, serde_json::to_value(popup))
            {
                target.extend(fields);
            }
            value
        }
        Effect::PlaySound { event_type } => json!({"effect": "sound", "event_type": event_type}),
        Effect::SetBadge(unread) => json!({"effect": "badge", "unread": unread}),
        Effect::SetConnection(state) => {
            let mut value = json!({"effect": "connection"});
            if let (Value::Object(target), Ok(Value::Object(fields))) =
                (&mut value, serde_json::to_value(state))
            {
                target.extend(fields);
            }
            value
        }
        Effect::SetPause(until) => {
            json!({"effect": "pause", "paused": until.is_some(), "until": until})
        }
        Effect::OpenUrl(url) => json!({"effect": "open", "url": url}),
        Effect::MarkRead(id) => json!({"effect": "mark_read", "id": id}),
        Effect::MarkAllRead => json!({"effect": "mark_all_read"}),
        Effect::FetchSummary => json!({"effect": "fetch_summary"}),
        Effect::FetchCalendar => json!({"effect": "fetch_calendar"}),
        Effect::FetchInboxHead => json!({"effect": "fetch_inbox_head"}),
        Effect::FetchServerPrefs => json!({"effect": "fetch_server_prefs"}),
        Effect::ScheduleTick(at) => json!({"effect": "schedule_tick", "at": at}),
        Effect::PersistLedger => json!({"effect": "persist_ledger"}),
        Effect::SetSnoozed(count) => json!({"effect": "snoozed", "count": count}),
        Effect::TypeSeen(event_type) => json!({"effect": "type_seen", "event_type": event_type}),
        Effect::Reconnect => json!({"effect": "reconnect"}),
    }
}

/// What a person watching wants to see; bookkeeping effects are omitted.
fn to_text(effect: &Effect) -> Option<String> {
    Some(match effect {
        Effect::Notify(popup) => {
            let level = popup.severity.map(|s| s.as_str()).unwrap_or("info");
            let link = popup
                .url
                .as_deref()
                .map(|u| format!("  <{}>", terminal::visible(u)))
                .unwrap_or_default();
            // Digest bodies have one line per reminder: indent them under
            // the time. Those newlines are the only ones kept.
            let body = popup
                .body
                .split('\n')
                .map(terminal::visible)
                .collect::<Vec<_>>()
                .join("\n            ");
            let title = terminal::visible(&popup.title);
            format!("[{level}] {title} — {body}{link}")
        }
        Effect::PlaySound { event_type } => {
            format!("(sound: {})", terminal::visible(event_type))
        }
        Effect::SetBadge(0) => "badge: no unread notifications".to_owned(),
        Effect::SetBadge(n) => format!("badge: {n} unread"),
        Effect::SetConnection(state) => format!("connection: {}", describe(state)),
        Effect::SetPause(None) => "notifications resumed".to_owned(),
        Effect::SetPause(Some(until)) if *until == PAUSED_INDEFINITELY => {
            "notifications paused".to_owned()
        }
        Effect::SetPause(Some(until)) => format!("notifications paused until {}", local(*until)),
        Effect::OpenUrl(url) => format!("open {}", terminal::visible(url)),
        Effect::Reconnect => {
            "reconnecting now (the system resumed or the network changed)".to_owned()
        }
        _ => return None,
    })
}

fn describe(state: &ConnectionState) -> String {
    match state {
        ConnectionState::Connecting => "connecting…".to_owned(),
        ConnectionState::Live => "live".to_owned(),
        ConnectionState::Reconnecting {
            attempt,
            next_at: Some(at),
        } => {
            let secs = (*at - Utc::now()).num_milliseconds().max(0) as f64 / 1000.0;
            format!("reconnecting (attempt {attempt}, next try in {secs:.1} s)")
        }
        ConnectionState::Reconnecting {
            attempt,
            next_at: None,
        } => format!("reconnecting (attempt {attempt})"),
        ConnectionState::Portal { message, next_at } => {
            let next = next_at
                .map(|at| {
                    format!(
                        " (next try at {})",
                        at.with_timezone(&Local).format("%H:%M:%S")
                    )
                })
                .unwrap_or_default();
            format!("not reaching PMAP: {}{next}", terminal::visible(message))
        }
        ConnectionState::SignedOut => "signed out (the token was rejected)".to_owned(),
        ConnectionState::Error(reason) => format!("stopped: {}", terminal::visible(reason)),
        ConnectionState::Offline => "offline (no network)".to_owned(),
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%a %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use companion_core::{Popup, PopupKind};

    use super::*;

    #[test]
    fn a_catch_up_prints_as_one_line_with_the_inbox_link() {
        let popup = Popup {
            kind: PopupKind::CatchUp,
            event_type: None,
            title: "3 new while you were away".into(),
            body: "2 findings assigned · 1 SLA breached".into(),
            severity: None,
            urgent: false,
            url: Some("https://pmap.example.com/notifications".into()),
            notification_id: None,
            sound: false,
        };
        let text = to_text(&Effect::Notify(popup.clone())).expect("shown");
        assert_eq!(
            text,
            "[info] 3 new while you were away — 2 findings assigned · 1 SLA breached  \
             <https://pmap.example.com/notifications>"
        );
        let json = to_json(&Effect::Notify(popup));
        assert_eq!(json["effect"], "notify");
        assert_eq!(json["kind"], "catch_up");
    }

    #[test]
    fn offline_and_an_immediate_reconnect_read_plainly() {
        assert_eq!(
            to_text(&Effect::SetConnection(ConnectionState::Offline)).as_deref(),
            Some("connection: offline (no network)")
        );
        assert_eq!(
            to_json(&Effect::SetConnection(ConnectionState::Offline)),
            json!({"effect": "connection", "state": "offline"})
        );
        assert_eq!(to_json(&Effect::Reconnect), json!({"effect": "reconnect"}));
    }
}
