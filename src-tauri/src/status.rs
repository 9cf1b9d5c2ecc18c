//! What the tray, its status line and the Status view show: one snapshot,
//! written by the sink and the session, read by everyone else.

use std::collections::VecDeque;

use chrono::{DateTime, Local, Utc};
use companion_core::ConnectionState;
use companion_core::engine::{NextDeadline, PAUSED_INDEFINITELY, is_bidi_control, next_deadline};
use companion_core::event::CalendarItem;
use companion_core::rest::Company;
use serde::Serialize;

/// How many reconnects the Status view lists.
const RECONNECTS_KEPT: usize = 10;

/// The signed-in user and where.
#[derive(Clone, Debug, Serialize)]
pub struct Account {
    pub server: String,
    pub origin: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// False in `--demo`, with `PMAP_TOKEN`, or when the keyring refused it.
    pub token_saved: bool,
    /// The companies the user's scope covers, for the views' filters.
    pub companies: Vec<Company>,
}

/// Pop-ups paused, and until when.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "paused", content = "until", rename_all = "snake_case")]
pub enum Pause {
    No,
    Until(DateTime<Utc>),
    UntilResumed,
}

impl Pause {
    pub fn from_effect(until: Option<DateTime<Utc>>) -> Pause {
        match until {
            None => Pause::No,
            Some(t) if t == PAUSED_INDEFINITELY => Pause::UntilResumed,
            Some(t) => Pause::Until(t),
        }
    }

    pub fn is_paused(self) -> bool {
        self != Pause::No
    }
}

/// One time the stream dropped and was retried.
#[derive(Clone, Debug, Serialize)]
pub struct Reconnect {
    pub at: DateTime<Utc>,
    pub attempt: u32,
    pub next_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub account: Option<Account>,
    /// The server the sign-in form offers: the one given (`--server`,
    /// `PMAP_SERVER`) or saved, then the last one signed in to. Signing
    /// out keeps it, as the config does.
    pub server: Option<String>,
    pub connection: ConnectionState,
    pub unread: Option<u64>,
    /// A pop-up about a critical or urgent inbox row was shown since the
    /// unread count was last zero: the dock badge asks for attention
    /// until all is read.
    pub attention: bool,
    pub pause: Pause,
    pub last_event_at: Option<DateTime<Utc>>,
    pub reconnects: VecDeque<Reconnect>,
    pub version: &'static str,
    pub demo: bool,
    /// Something the user should know, e.g. "the keyring is locked: …".
    pub notice: Option<String>,
    /// Snoozed pop-ups waiting to come back.
    pub snoozed: u64,
    /// The personal deadlines of the last calendar, for the tray's "Next:"
    /// line (the window fetches its own).
    #[serde(skip)]
    pub deadlines: Vec<CalendarItem>,
}

impl Status {
    pub fn new(demo: bool) -> Status {
        Status {
            account: None,
            server: None,
            connection: ConnectionState::SignedOut,
            unread: None,
            attention: false,
            pause: Pause::No,
            last_event_at: None,
            reconnects: VecDeque::new(),
            version: env!("CARGO_PKG_VERSION"),
            demo,
            notice: None,
            snoozed: 0,
            deadlines: Vec::new(),
        }
    }

    /// The soonest deadline still ahead, worded for the tray menu.
    pub fn next_deadline(&self, now: DateTime<Utc>) -> Option<NextDeadline> {
        if !self.signed_in() {
            return None;
        }
        next_deadline(&self.deadlines, now)
    }

    pub fn signed_in(&self) -> bool {
        self.account.is_some() && self.connection != ConnectionState::SignedOut
    }

    /// The server's unread count; reading everything ends the call for
    /// attention.
    pub fn set_unread(&mut self, unread: u64) {
        self.unread = Some(unread);
        if unread == 0 {
            self.attention = false;
        }
    }

    /// The window's title: with no tray it is where the count shows.
    pub fn window_title(&self) -> String {
        match self.unread.filter(|n| *n > 0) {
            Some(unread) => format!("PMAP Companion ({unread} unread)"),
            None => "PMAP Companion".to_owned(),
        }
    }

    pub fn record_connection(&mut self, state: &ConnectionState, now: DateTime<Utc>) {
        if let ConnectionState::Reconnecting { attempt, next_at } = state {
            if self.reconnects.len() == RECONNECTS_KEPT {
                self.reconnects.pop_front();
            }
            self.reconnects.push_back(Reconnect {
                at: now,
                attempt: *attempt,
                next_at: *next_at,
            });
        }
        self.connection = state.clone();
    }

    /// "Live", "Reconnecting (attempt 3)", "Signed out", …
    pub fn state_text(&self) -> String {
        if self.account.is_none() {
            return "Signed out".to_owned();
        }
        let state = match &self.connection {
            ConnectionState::Connecting => "Connecting".to_owned(),
            ConnectionState::Live => "Live".to_owned(),
            ConnectionState::Reconnecting { attempt, .. } => {
                format!("Reconnecting (attempt {attempt})")
            }
            ConnectionState::SignedOut => "Signed out".to_owned(),
            ConnectionState::Error(message) => format!("Stopped: {message}"),
            ConnectionState::Portal { message, .. } => format!("Not reaching PMAP: {message}"),
            ConnectionState::Offline => "Offline (no network)".to_owned(),
        };
        match self.pause {
            Pause::No => state,
            Pause::UntilResumed => format!("{state}, paused"),
            Pause::Until(t) => format!(
                "{state}, paused until {}",
                t.with_timezone(&Local).format("%a %H:%M")
            ),
        }
    }

    /// The tooltip: state, server and last event time, one per line.
    pub fn tooltip(&self) -> String {
        let mut lines = vec![format!("PMAP Companion: {}", self.state_text())];
        if let Some(account) = &self.account {
            // The name is the server's text: no bidi control may reorder
            // the line (see `is_bidi_control`).
            let name: String = account
                .name
                .chars()
                .filter(|c| !is_bidi_control(*c))
                .collect();
            lines.push(format!("{name} on {}", account.server));
        }
        if let Some(unread) = self.unread.filter(|n| *n > 0) {
            lines.push(format!("{unread} unread"));
        }
        if self.snoozed > 0 {
            lines.push(format!("{} snoozed", self.snoozed));
        }
        lines.push(match self.last_event_at {
            Some(t) => format!(
                "Last event {}",
                t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S")
            ),
            None => "No events yet".to_owned(),
        });
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account {
            server: "https://pmap.example.com".into(),
            origin: "https://pmap.example.com".into(),
            user_id: "u-ana".into(),
            name: "Ana Analyst".into(),
            email: "ana@example.com".into(),
            token_saved: true,
            companies: Vec::new(),
        }
    }

    #[test]
    fn tooltip_names_state_server_and_last_event() {
        let mut status = Status::new(false);
        assert!(status.tooltip().starts_with("PMAP Companion: Signed out"));
        status.account = Some(account());
        status.connection = ConnectionState::Live;
        status.unread = Some(4);
        let tip = status.tooltip();
        assert!(tip.contains("Live"), "{tip}");
        assert!(
            tip.contains("Ana Analyst on https://pmap.example.com"),
            "{tip}"
        );
        assert!(tip.contains("4 unread"), "{tip}");
        assert!(tip.contains("No events yet"), "{tip}");
        status.account.as_mut().expect("account").name = "\u{202E}tsylanA anA".into();
        let tip = status.tooltip();
        assert!(
            tip.contains("\ntsylanA anA on https://pmap.example.com\n")
                && !tip.chars().any(is_bidi_control),
            "a bidi override in the server's name is dropped: {tip:?}"
        );
        status.pause = Pause::UntilResumed;
        assert!(status.state_text().ends_with("paused"));
        status.connection = ConnectionState::Offline;
        assert_eq!(status.state_text(), "Offline (no network), paused");
    }

    #[test]
    fn the_window_title_carries_the_unread_count() {
        let mut status = Status::new(false);
        assert_eq!(status.window_title(), "PMAP Companion");
        status.set_unread(7);
        assert_eq!(status.window_title(), "PMAP Companion (7 unread)");
        status.set_unread(0);
        assert_eq!(status.window_title(), "PMAP Companion");
    }

    #[test]
    fn attention_lasts_until_everything_is_read() {
        let mut status = Status::new(false);
        status.set_unread(3);
        status.attention = true;
        status.set_unread(2);
        assert!(status.attention, "one row read, others still unread");
        status.set_unread(0);
        assert!(!status.attention);
    }

    #[test]
    fn keeps_only_the_last_reconnects() {
        let mut status = Status::new(false);
        for attempt in 0..25 {
            let state = ConnectionState::Reconnecting {
                attempt,
                next_at: None,
            };
            status.record_connection(&state, Utc::now());
        }
        assert_eq!(status.reconnects.len(), RECONNECTS_KEPT);
        assert_eq!(status.reconnects.back().map(|r| r.attempt), Some(24));
    }
}
