//! The preference matrix as the user sees and edits it: the channels, the
//! keys that name a cell, the rule that reads a cell of the server's
//! matrix, and the event type × channel grid both front ends show.
//!
//! One grid holds two kinds of channel: this desktop's own (`popup`,
//! `sound`: [`LocalPrefs`](crate::engine::LocalPrefs) in the config, applied
//! by the engine) and the server's (`in_app`, `email`, `slack`, `teams`,
//! `webhook`: the server's matrix, edited through the preferences API).

mod channel;
mod grid;
mod key;
mod seen;

pub use channel::{Channel, LocalChannel, ServerChannel, UnknownChannel};
pub use grid::{GridRow, grid};
pub use key::{KeyError, PreferenceKey, server_enabled};
pub use seen::SeenTypes;
