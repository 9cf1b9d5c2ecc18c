//! Where the config and the reminder ledger live: the XDG config and state
//! directories (`$XDG_CONFIG_HOME/pmap-companion`, `$XDG_STATE_HOME/...`).

use std::path::PathBuf;

use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct Paths {
    pub config_file: PathBuf,
    pub ledger_file: PathBuf,
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
        })
    }
}
