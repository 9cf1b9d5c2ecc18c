//! Everything that can happen to the engine, as plain values.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::network::SystemEvent;
use super::{LocalPrefs, Popup};
use crate::event::{CalendarItem, FrameText};
use crate::rest::InboxPage;

/// One thing the shell observed or the user did. The shell passes `now`
/// alongside, so the engine never reads a clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "input", content = "value", rename_all = "snake_case")]
pub enum Input {
    /// The shell starts a connection attempt.
    Connecting,
    /// HTTP 200 with `text/event-stream` arrived.
    StreamOpened,
    /// One SSE message: its event name (`"message"` by default) and data,
    /// as the stream's bytes (a slice of the network chunk, not a copy).
    Frame {
        event: FrameText,
        data: FrameText,
    },
    /// A comment line (`: heartbeat`) was seen.
    Heartbeat,
    /// An event larger than the frame cap was skipped by the parser.
    FrameTooLarge {
        bytes: usize,
    },
    /// The stream ended or could not be opened.
    StreamFailed {
        kind: FailureKind,
        attempt: u32,
        retry_at: Option<DateTime<Utc>>,
    },
    /// `GET /notifications/summary` answered.
    Summary {
        total: u64,
        unread: u64,
    },
    /// `GET /notifications?read=false` answered (the inbox head).
    InboxHead(InboxPage),
    /// `GET /calendar?mine=true` answered.
    Calendar(Vec<CalendarItem>),
    /// `GET /notifications/preferences` answered: the user's server matrix.
    ServerPrefs(BTreeMap<String, bool>),
    /// The desktop's do-not-disturb went on or off (the notification
    /// server's `Inhibited` property): held back like a pause, with the
    /// same critical break-through.
    DesktopInhibited(bool),
    /// A `ScheduleTick` came due (or a periodic wake-up).
    Tick,
    User(UserAction),
    /// Boxed: the preferences are the largest input by far, and every
    /// frame's input is as large as the largest (and moved a few times).
    PrefsChanged(Box<LocalPrefs>),
    /// The operating system resumed from sleep or its network changed.
    System(SystemEvent),
}

/// Why the stream is not live.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum FailureKind {
    /// 401: the token is missing, invalid or revoked.
    Unauthorized,
    /// 403: the account may not use the stream.
    Forbidden,
    Network(String),
    Server(u16),
    /// Wrong content type, oversized frame, or another protocol breach.
    Protocol(String),
    /// Something answered the stream request that is not an event stream
    /// (a 204, a redirect, an HTML page): a captive portal or a proxy in
    /// the way, most likely. The text says what came back.
    Portal(String),
    /// Nothing heard for the idle timeout.
    Stalled,
}

/// What the user asked for from the tray, a notification or the UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", content = "value", rename_all = "snake_case")]
pub enum UserAction {
    /// Silence pop-ups and sounds until `until`; `None` = until `Resume`.
    Pause {
        until: Option<DateTime<Utc>>,
    },
    /// Silence them for this many minutes from now.
    PauseFor {
        minutes: u32,
    },
    /// Silence them until 08:00 tomorrow in the configured time zone.
    PauseUntilTomorrow,
    Resume,
    /// Mark one inbox row read (by id).
    MarkRead(String),
    MarkAllRead,
    Open {
        url: String,
    },
    /// Hold this pop-up back for `snooze_secs`, then raise it again once.
    Snooze {
        popup: Popup,
    },
}
