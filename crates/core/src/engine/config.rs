//! What the engine needs to know about the signed-in user and their machine.

use chrono_tz::Tz;

use super::LocalPrefs;

/// Fixed for one signed-in session; the shell builds it from `/api/v1/me`.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineConfig {
    /// The signed-in user (`/me` `id`): `notification_*` for anyone else is
    /// dropped, and `finding_assigned` pops up only when it names this user.
    pub user_id: String,
    /// `https://pmap.example.com`, no trailing slash. Deep links are built on
    /// it and nothing else, and `Open` only accepts URLs under it.
    pub server_origin: String,
    /// `(id, name)` of the user's companies, to name them in pop-up text.
    pub companies: Vec<(String, String)>,
    pub prefs: LocalPrefs,
    /// The local zone quiet hours and "until tomorrow" are read in; the
    /// shell's session start-up fills it by one rule (`TZ`, else the system
    /// zone, else UTC: `shell::local_time_zone`).
    pub time_zone: Tz,
}

impl EngineConfig {
    /// The origin without any trailing slash, whatever the caller passed.
    pub(crate) fn origin(&self) -> &str {
        self.server_origin.trim_end_matches('/')
    }

    /// The company's display name, falling back to its id.
    pub(crate) fn company_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.companies
            .iter()
            .find(|(cid, _)| cid == id)
            .map_or(id, |(_, name)| name.as_str())
    }
}
