//! The user's settings: which server, and the local preference matrix.
//! Never the token (see `keyring.rs`).

use serde::{Deserialize, Serialize};

use crate::engine::LocalPrefs;
use crate::net::Network;

/// `config.json`. Every field has a default, so an older or partial file
/// still loads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Base URL of the PMAP server, e.g. `https://pmap.example.com`.
    pub server: Option<String>,
    /// Local channels (pop-up, sound), severities, quiet hours, reminders.
    pub prefs: LocalPrefs,
    /// Keep the personal deadlines in `Paths::calendar_file` (iCalendar)
    /// for a calendar app to subscribe to. Off by default.
    pub calendar_file: bool,
    /// `ca_file` and `proxy`, at the top level of the file.
    #[serde(flatten)]
    pub network: Network,
}
