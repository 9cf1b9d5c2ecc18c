//! Command-line flags. The token is never one of them: it comes from the
//! keyring, the sign-in form, or (for tests and headless use) `PMAP_TOKEN`.

use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Parser)]
#[command(name = "pmap-companion", version, about = "PMAP Companion tray app")]
pub struct Args {
    /// Run against an in-process simulator with demo activity, signed in
    /// as Ana Analyst (nothing is written to the keyring).
    #[arg(long)]
    pub demo: bool,
    /// Server base URL, overriding the saved one (tests point the app at a
    /// live simulator with it; the token then comes from `PMAP_TOKEN`).
    #[arg(long, env = "PMAP_SERVER", hide = true)]
    pub server: Option<String>,
    /// Open this view at start (WebDriver needs a window to attach to).
    #[arg(long, value_enum, hide = true)]
    pub open: Option<View>,
    /// Run as the window process the app starts (see `window`).
    #[arg(long = "window-process", hide = true)]
    pub window_process: bool,
}

/// The flag the app starts its window process with.
pub const WINDOW_PROCESS_FLAG: &str = "--window-process";

/// The window's views; the string form is the page's hash (`#inbox`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Inbox,
    Calendar,
    Preferences,
    Status,
    SignIn,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Inbox => "inbox",
            View::Calendar => "calendar",
            View::Preferences => "preferences",
            View::Status => "status",
            View::SignIn => "sign_in",
        }
    }
}
