//! The one window, in a process of its own. The app (tray, session,
//! pop-ups) never loads a webview: opening the window starts this same
//! program as the window process, and closing the window ends it, so the
//! memory WebKit takes (its libraries' pages, Mesa, its web and network
//! processes) goes with it and the tray returns to its idle size.
//!
//! - `host`: the app's side. It starts the process, answers the page's
//!   calls through the commands and passes on the title (with the unread
//!   count, which is where a desktop without a tray shows it) and events.
//! - `process`: the window process, a Tauri app with one window whose
//!   every command is forwarded to the app.
//! - `wire`: their messages, one JSON object a line over a socket pair.
//! - `shows`: which "show this view" requests the process answered, so a
//!   click on Open as the window was closing opens a new one.

mod host;
mod process;
mod shows;
mod wire;

pub use host::{WindowHost, open, relay, update};
pub use process::run as run_process;

pub const LABEL: &str = "main";
