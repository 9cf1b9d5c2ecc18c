//! The connection state the tray and UI show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::FailureKind;

/// Where the stream stands. Serialized with a `"state"` tag:
/// `{"state":"reconnecting","attempt":2,"next_at":"…"}`,
/// `{"state":"portal","message":"…","next_at":"…"}`,
/// `{"state":"error","message":"…"}`, `{"state":"offline"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Wire", from = "Wire")]
pub enum ConnectionState {
    Connecting,
    Live,
    Reconnecting {
        attempt: u32,
        next_at: Option<DateTime<Utc>>,
    },
    /// The server rejected the token: the user must sign in again.
    SignedOut,
    /// A failure retrying will not fix; the text says what to do.
    Error(String),
    /// Something other than PMAP answered (a captive portal's login page, a
    /// proxy's error): retried slowly, in minutes, until the network lets
    /// the stream through. `message` says what answered.
    Portal {
        message: String,
        next_at: Option<DateTime<Utc>>,
    },
    /// The operating system reports no network (NetworkManager: no
    /// connectivity, asleep or disconnected). Shown instead of the stream's
    /// own state until the network returns; never over `SignedOut`/`Error`.
    Offline,
}

impl ConnectionState {
    /// The state a failed attempt leaves us in. Only 401 and 403 stop the
    /// shell from retrying; everything else is worth another attempt, a
    /// captive portal's answer a slow one.
    pub fn after_failure(
        kind: &FailureKind,
        attempt: u32,
        retry_at: Option<DateTime<Utc>>,
    ) -> Self {
        match kind {
            FailureKind::Unauthorized => ConnectionState::SignedOut,
            FailureKind::Forbidden => ConnectionState::Error(
                "forbidden (403): this account may not receive live events; ask an admin"
                    .to_owned(),
            ),
            FailureKind::Network(_)
            | FailureKind::Server(_)
            | FailureKind::Protocol(_)
            | FailureKind::Stalled => ConnectionState::Reconnecting {
                attempt,
                next_at: retry_at,
            },
            FailureKind::Portal(message) => ConnectionState::Portal {
                message: message.clone(),
                next_at: retry_at,
            },
        }
    }

    /// Signed out or in error: nothing should be fetched until the user acts.
    pub fn is_stopped(&self) -> bool {
        matches!(self, ConnectionState::SignedOut | ConnectionState::Error(_))
    }
}

/// The serde shape: an internally tagged mirror, because serde cannot tag a
/// newtype variant holding a bare string.
#[derive(Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Wire {
    Connecting,
    Live,
    Reconnecting {
        attempt: u32,
        next_at: Option<DateTime<Utc>>,
    },
    SignedOut,
    Error {
        message: String,
    },
    Portal {
        message: String,
        next_at: Option<DateTime<Utc>>,
    },
    Offline,
}

impl From<ConnectionState> for Wire {
    fn from(state: ConnectionState) -> Self {
        match state {
            ConnectionState::Connecting => Wire::Connecting,
            ConnectionState::Live => Wire::Live,
            ConnectionState::Reconnecting { attempt, next_at } => {
                Wire::Reconnecting { attempt, next_at }
            }
            ConnectionState::SignedOut => Wire::SignedOut,
            ConnectionState::Error(message) => Wire::Error { message },
            ConnectionState::Portal { message, next_at } => Wire::Portal { message, next_at },
            ConnectionState::Offline => Wire::Offline,
        }
    }
}

impl From<Wire> for ConnectionState {
    fn from(wire: Wire) -> Self {
        match wire {
            Wire::Connecting => ConnectionState::Connecting,
            Wire::Live => ConnectionState::Live,
            Wire::Reconnecting { attempt, next_at } => {
                ConnectionState::Reconnecting { attempt, next_at }
            }
            Wire::SignedOut => ConnectionState::SignedOut,
            Wire::Error { message } => ConnectionState::Error(message),
            Wire::Portal { message, next_at } => ConnectionState::Portal { message, next_at },
            Wire::Offline => ConnectionState::Offline,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_a_state_tag() {
        let cases = [
            (ConnectionState::Live, r#"{"state":"live"}"#),
            (ConnectionState::SignedOut, r#"{"state":"signed_out"}"#),
            (
                ConnectionState::Reconnecting {
                    attempt: 2,
                    next_at: None,
                },
                r#"{"state":"reconnecting","attempt":2,"next_at":null}"#,
            ),
            (
                ConnectionState::Error("x".into()),
                r#"{"state":"error","message":"x"}"#,
            ),
            (
                ConnectionState::Portal {
                    message: "html".into(),
                    next_at: None,
                },
                r#"{"state":"portal","message":"html","next_at":null}"#,
            ),
            (ConnectionState::Offline, r#"{"state":"offline"}"#),
        ];
        for (state, json) in cases {
            assert_eq!(serde_json::to_string(&state).expect("ser"), json);
            assert_eq!(
                serde_json::from_str::<ConnectionState>(json).expect("de"),
                state
            );
        }
    }

    #[test]
    fn only_auth_failures_stop_retrying() {
        let cases = [
            (FailureKind::Unauthorized, ConnectionState::SignedOut),
            (
                FailureKind::Network("reset".into()),
                ConnectionState::Reconnecting {
                    attempt: 3,
                    next_at: None,
                },
            ),
            (
                FailureKind::Server(503),
                ConnectionState::Reconnecting {
                    attempt: 3,
                    next_at: None,
                },
            ),
            (
                FailureKind::Stalled,
                ConnectionState::Reconnecting {
                    attempt: 3,
                    next_at: None,
                },
            ),
        ];
        for (kind, want) in cases {
            assert_eq!(
                ConnectionState::after_failure(&kind, 3, None),
                want,
                "{kind:?}"
            );
        }
        assert!(ConnectionState::after_failure(&FailureKind::Forbidden, 1, None).is_stopped());
    }

    #[test]
    fn a_captive_portal_is_its_own_state_and_keeps_retrying() {
        let text = "the server answered text/html instead of a stream: a captive portal or proxy?";
        let state = ConnectionState::after_failure(&FailureKind::Portal(text.into()), 2, None);
        assert_eq!(
            state,
            ConnectionState::Portal {
                message: text.into(),
                next_at: None
            }
        );
        assert!(!state.is_stopped());
    }
}
