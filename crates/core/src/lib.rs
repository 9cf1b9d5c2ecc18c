//! # companion-core
//!
//! The brain of PMAP Companion, shared by the tray app and `pmap-cli`. It has
//! no Tauri or GTK dependency.
//!
//! It is split the way the product thinks:
//!
//! - [`event`] is the vocabulary: the event catalog, severities, the thin
//!   and rich envelopes, calendar items.
//! - [`engine`] is a **functional core**: [`Engine::handle`] takes one
//!   [`Input`] and the current time and returns [`Effect`]s. It owns every
//!   product rule (preference matrix, quiet hours, dedup, storm coalescing,
//!   the exact badge, reminders) and no sockets, timers, files or clocks, so
//!   each rule is a table-driven unit test.
//! - [`sse`] parses `text/event-stream` byte by byte (WHATWG rules,
//!   comments reported for the idle watchdog) and computes reconnect delays.
//! - [`preferences`] is the preference grid: local and server channels,
//!   preference keys, the server matrix's lookup rule, the rows to show.
//! - [`ics`] writes personal deadlines as an RFC 5545 calendar.
//! - [`rest`] is the HTTP client for PROTOCOL.md's endpoints.
//! - [`net`] is how that client reaches a server on a company network:
//!   the trust store (system, `SSL_CERT_FILE`, a company CA file), the
//!   explained certificate refusals, and the proxy rules.
//! - [`store`] keeps config and the reminder ledger in atomic JSON files and
//!   the token in the OS keyring.
//! - [`shell`] is the **imperative shell**: session start-up shared by both
//!   front ends (who the user is, the local time zone, the ledger), the SSE
//!   supervisor (one connection, backoff, watchdog), the runner that
//!   performs effects, and the [`EffectSink`] through which effects reach
//!   the CLI or the tray.

pub mod engine;
pub mod error;
pub mod event;
pub mod ics;
pub mod net;
pub mod preferences;
pub mod rest;
pub mod shell;
pub mod sse;
pub mod store;

pub use engine::{
    ConnectionState, Effect, Engine, EngineConfig, FailureKind, Input, LocalPrefs, NetworkReach,
    Popup, PopupKind, SystemEvent, UserAction,
};
pub use error::{Error, Result};
pub use event::{Envelope, EventType, Severity};
/// `Zeroizing`, for front ends that hold a token before it is a `Token`
/// (a prompt, stdin).
pub use secrecy::zeroize;
pub use shell::EffectSink;
