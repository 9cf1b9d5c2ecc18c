//! Where the config, the reminder ledger and the calendar file live: the XDG
//! config, state and data directories (`$XDG_CONFIG_HOME/pmap-companion`,
//! `$XDG_STATE_HOME/...`, `$XDG_DATA_HOME/...`).

use std::path::PathBuf;

use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct Paths {
    pub config_file: PathBuf,
    pub ledger_file: PathBuf,
    /// The personal deadlines as iCalendar, for a calendar app to subscribe
    /// to (written only when the user turns it on).
    pub calendar_file: PathBuf,
}

impl Paths {
    pub fn from_env() -> Result<Paths> {
        let dirs =
            directories::ProjectDirs::from("", "", "pmap-companion").ok_or(Error::NoConfigDir)?;
        let state = dirs
            .state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf();
        Ok(Paths {
            config_file: dirs.config_dir().join("config.json"),
            ledger_file: state.join("reminders.json"),
            calendar_file: dirs.data_dir().join("deadlines.ics"),
        })
    }
}
