//! Everything the engine asks the shell to do, as plain values. The CLI
//! prints these as JSON lines, so their serde form is part of its output.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ConnectionState;
use crate::event::Severity;

/// `SetPause` carries this instant for "paused until you resume", because the
/// effect's `None` already means "not paused".
pub const PAUSED_INDEFINITELY: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;

/// One instruction for the shell, in the order the engine emits them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "effect", content = "value", rename_all = "snake_case")]
pub enum Effect {
    /// Show a desktop notification.
    Notify(Popup),
    /// Play the alert sound for this event type (the wire name, or
    /// `"reminder"`). Authoritative: `Popup::sound` only mirrors it.
    PlaySound {
        event_type: String,
    },
    /// The unread count to show (the shell renders 1–99, `99+`, hidden at 0).
    SetBadge(u64),
    SetConnection(ConnectionState),
    /// `None` = not paused; `Some(t)` = paused until `t`
    /// ([`PAUSED_INDEFINITELY`] = until the user resumes).
    SetPause(Option<DateTime<Utc>>),
    FetchSummary,
    FetchCalendar,
    /// `GET /notifications/preferences`, answered as `Input::ServerPrefs`.
    FetchServerPrefs,
    /// `GET /notifications?read=false`, answered as `Input::InboxHead`.
    FetchInboxHead,
    /// Send `Input::Tick` at (or soon after) this instant. It always names the
    /// engine's earliest pending deadline, so a shell may keep one timer and
    /// replace it on every `ScheduleTick`.
    ScheduleTick(DateTime<Utc>),
    /// Open this URL in the browser. The engine has checked that it is on the
    /// server's origin and normalised it; shells open it as it is.
    OpenUrl(String),
    /// `POST /notifications/{id}/read`.
    MarkRead(String),
    /// `POST /notifications/read-all`.
    MarkAllRead,
    /// The reminder ledger changed; write `Engine::ledger()` to disk.
    PersistLedger,
    /// How many snoozed pop-ups are waiting to come back.
    SetSnoozed(u64),
    /// Drop the stream, if one is open, and connect again now without
    /// waiting out a back-off: the system resumed or the network came back.
    Reconnect,
    /// The stream showed an event type outside the catalog for the first
    /// time (the wire name), so a preference grid can offer it. Emitted
    /// once per name while the engine's bounded set remembers it.
    TypeSeen(String),
}

/// What a pop-up is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PopupKind {
    /// One server event.
    Event,
    /// "12 more findings assigned": the events a storm window held back.
    StormSummary,
    /// A local reminder before (or at) a personal deadline.
    Reminder,
    /// Several reminders missed while asleep or closed, shown once.
    ReminderDigest,
    /// The morning agenda: the day's deadlines. Open shows the app's
    /// calendar (it has no `url`).
    Agenda,
    /// "3 new while you were away": unread inbox rows that arrived while
    /// the stream was down. Open goes to the inbox.
    CatchUp,
}

/// A desktop notification, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Popup {
    pub kind: PopupKind,
    /// The event type wire name, when the pop-up is about one type.
    pub event_type: Option<String>,
    pub title: String,
    pub body: String,
    pub severity: Option<Severity>,
    /// Critical or urgent: shells may use an urgent notification level.
    pub urgent: bool,
    /// Deep link under the server origin; `Open` goes here.
    pub url: Option<String>,
    /// The inbox row to mark read from the pop-up's "Mark read" action.
    pub notification_id: Option<String>,
    /// Whether a `PlaySound` effect accompanies this pop-up.
    pub sound: bool,
}
