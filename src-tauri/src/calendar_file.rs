//! The personal deadlines as an iCalendar file under the XDG data
//! directory (`deadlines.ics`), kept up to date for a calendar app (GNOME
//! Calendar, Thunderbird, Evolution) that subscribes to it as a local file.
//! Off by default; Preferences turns it on and shows the path. Turning it
//! off removes the file, so no calendar keeps showing stale deadlines.

use chrono::Utc;
use companion_core::ics;
use companion_core::store::json_file;
use serde::Serialize;
use tauri::AppHandle;

use crate::error::{AppError, Result};
use crate::state::{AppState, lock};

/// What Preferences shows.
#[derive(Clone, Debug, Serialize)]
pub struct CalendarFile {
    pub enabled: bool,
    /// `None` when there is no data directory.
    pub path: Option<String>,
}

pub fn current(app: &AppHandle) -> CalendarFile {
    let shared = app.shared();
    CalendarFile {
        enabled: lock(&shared.config).calendar_file,
        path: shared
            .paths
            .as_ref()
            .map(|p| p.calendar_file.display().to_string()),
    }
}

/// Turns the file on (written now) or off (removed), and saves the choice.
pub fn set(app: &AppHandle, enabled: bool) -> Result<CalendarFile> {
    let shared = app.shared();
    let paths = shared
        .paths
        .as_ref()
        .ok_or_else(|| AppError::Io("there is no data directory to keep the file in".into()))?;
    {
        let mut config = lock(&shared.config);
        config.calendar_file = enabled;
        if !shared.args.demo {
            json_file::save(&paths.config_file, &*config)?;
        }
    }
    if enabled {
        write(app)?;
    } else {
        match std::fs::remove_file(&paths.calendar_file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(AppError::Io(error.to_string())),
        }
    }
    Ok(current(app))
}

/// Rewrites the file from the last calendar, if it is on and signed in.
pub fn write(app: &AppHandle) -> Result<()> {
    let shared = app.shared();
    let (enabled, leads) = {
        let config = lock(&shared.config);
        (
            config.calendar_file,
            config.prefs.reminder_leads_mins.clone(),
        )
    };
    let Some(paths) = shared.paths.as_ref().filter(|_| enabled) else {
        return Ok(());
    };
    let (origin, deadlines) = {
        let status = lock(&shared.status);
        let Some(account) = &status.account else {
            return Ok(());
        };
        (account.origin.clone(), status.deadlines.clone())
    };
    let text = ics::deadlines_ics(&deadlines, &origin, &leads, Utc::now());
    json_file::write_atomically(&paths.calendar_file, text.as_bytes())?;
    Ok(())
}
