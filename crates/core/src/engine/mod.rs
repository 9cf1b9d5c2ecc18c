//! The decision engine: a synchronous state machine that turns what the
//! shell observed ([`Input`]) into what the shell should do ([`Effect`]).
//!
//! It owns no sockets, timers, files or clocks; `now` is always a parameter,
//! so every rule below is tested with a table of fake times:
//!
//! 1. decode the frame (malformed ones are counted and skipped);
//! 2. drop `notification_*` meant for another user;
//! 3. drop exact repeats, and pair a `notification_created` with the domain
//!    event it describes so one real change gives one pop-up;
//! 4. apply the local preference matrix ([`LocalPrefs`]);
//! 5. hold back during quiet hours and pause (critical/urgent may break through;
//!    "until tomorrow" is 08:00 in the configured zone, DST-safe);
//! 6. fold bursts into one storm summary per window;
//! 7. keep the badge exact (server summary, debounced refetches);
//! 8. track the connection state (`Offline` when the system says so, and
//!    reconnect at once on resume or when the network returns);
//! 9. refetch the calendar;
//! 10. fire deadline reminders once each, with a persisted ledger;
//! 11. show the morning agenda once per working day.
//! 12. after a reconnect that followed a gap, one "N new while you were
//!     away" pop-up from the inbox head.

mod agenda;
mod badge;
mod catch_up;
mod config;
mod connection;
mod decide;
mod dedup;
mod effect;
mod gate;
mod input;
mod ledger;
mod links;
mod local_time;
mod machine;
mod network;
mod pause;
mod prefs;
mod quiet_hours;
mod recent;
mod remind;
mod reminders;
mod scope;
mod snooze;
mod stats;
mod storm;
mod text;
mod timer;

pub use agenda::AgendaPrefs;
pub use config::EngineConfig;
pub use connection::ConnectionState;
pub use effect::{Effect, PAUSED_INDEFINITELY, Popup, PopupKind};
pub use input::{FailureKind, Input, UserAction};
pub use ledger::{LedgerEntry, ReminderLedger};
pub use machine::Engine;
pub use network::{NetworkReach, SystemEvent};
pub use prefs::{DEFAULT_SOUND, LocalPrefs, PopupCell, SoundSetting};
pub use quiet_hours::QuietHours;
pub use scope::{Scope, ScopeGroup, Scopes};
pub use snooze::Snoozed;
pub use stats::EngineStats;
pub use text::{NextDeadline, is_bidi_control, next_deadline};

#[cfg(test)]
mod tests;
