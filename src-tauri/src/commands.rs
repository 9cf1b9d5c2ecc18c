//! Everything the webview may call. Each command reads through the
//! signed-in session's REST client or hands an action to the engine; the
//! token never appears in an argument going back to JavaScript.

use std::collections::BTreeMap;

use companion_core::engine::{LocalPrefs, SoundSetting};
use companion_core::rest::{Calendar, CalendarQuery, Client, InboxPage, InboxQuery, Preferences};
use companion_core::store::json_file;
use companion_core::{EventType, Severity, UserAction};
use serde::Serialize;
use tauri::AppHandle;

use crate::app::{self, lock};
use crate::autostart;
use crate::error::{AppError, Result};
use crate::signin::{self, SignedIn};
use crate::status::Status;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        status,
        inbox,
        mark_read,
        mark_all_read,
        open_link,
        calendar,
        catalog,
        server_prefs,
        save_server_prefs,
        local_prefs,
        save_local_prefs,
        autostart_enabled,
        set_autostart,
        pause,
        resume,
        sign_in,
        sign_out,
    ]
}

fn client(app: &AppHandle) -> Result<Client> {
    lock(&app::shared(app).session)
        .as_ref()
        .map(|s| s.client.clone())
        .ok_or(AppError::NotSignedIn)
}

#[tauri::command]
fn status(app: AppHandle) -> Status {
    app::status(&app)
}

#[tauri::command]
async fn inbox(
    app: AppHandle,
    cursor: Option<String>,
    unread_only: bool,
    event_type: Option<String>,
    limit: Option<u32>,
) -> Result<InboxPage> {
    let query = InboxQuery {
        limit: Some(limit.unwrap_or(25).clamp(1, 100)),
        cursor,
        read: unread_only.then_some(false),
        event_type: event_type.filter(|t| !t.is_empty()),
    };
    Ok(client(&app)?.inbox(&query).await?)
}

#[tauri::command]
fn mark_read(app: AppHandle, id: String) {
    app::act(&app, UserAction::MarkRead(id));
}

#[tauri::command]
fn mark_all_read(app: AppHandle) {
    app::act(&app, UserAction::MarkAllRead);
}

/// Opens a deep link; the engine refuses anything off the server's origin.
#[tauri::command]
fn open_link(app: AppHandle, url: String) {
    app::act(&app, UserAction::Open { url });
}

#[tauri::command]
async fn calendar(
    app: AppHandle,
    from: Option<String>,
    to: Option<String>,
    mine: bool,
) -> Result<Calendar> {
    let query = CalendarQuery {
        from,
        to,
        company_id: None,
        mine,
    };
    Ok(client(&app)?.calendar(&query).await?)
}

#[derive(Serialize)]
struct EventTypeInfo {
    id: String,
    label: String,
    default_popup: bool,
    default_sound: bool,
}

#[derive(Serialize)]
struct Catalog {
    event_types: Vec<EventTypeInfo>,
    severities: Vec<&'static str>,
}

/// The event types and severities the preference grid is built from.
#[tauri::command]
fn catalog() -> Catalog {
    let defaults = LocalPrefs::default();
    Catalog {
        event_types: EventType::ALL
            .iter()
            .map(|ty| EventTypeInfo {
                id: ty.as_str().to_owned(),
                label: ty.label(),
                default_popup: defaults.popup_on(ty),
                default_sound: defaults.sound_setting(ty) != SoundSetting::Off,
            })
            .collect(),
        severities: Severity::ALL.iter().map(|s| s.as_str()).collect(),
    }
}

#[tauri::command]
async fn server_prefs(app: AppHandle) -> Result<Preferences> {
    Ok(client(&app)?.preferences().await?)
}

#[tauri::command]
async fn save_server_prefs(
    app: AppHandle,
    preferences: BTreeMap<String, bool>,
) -> Result<Preferences> {
    let prefs = Preferences { preferences };
    Ok(client(&app)?.put_preferences(&prefs).await?)
}

#[tauri::command]
fn local_prefs(app: AppHandle) -> LocalPrefs {
    lock(&app::shared(&app).config).prefs.clone()
}

/// Saves the local matrix (pop-up, sound, severities, quiet hours,
/// reminders) and hands it to the running engine.
#[tauri::command]
async fn save_local_prefs(app: AppHandle, prefs: LocalPrefs) -> Result<LocalPrefs> {
    {
        let shared = app::shared(&app);
        let mut config = lock(&shared.config);
        config.prefs = prefs.clone();
        if let Some(paths) = shared.paths.as_ref().filter(|_| !shared.args.demo) {
            json_file::save(&paths.config_file, &*config)?;
        }
    }
    if let Some(controls) = app::controls(&app) {
        controls.set_prefs(prefs.clone()).await;
    }
    Ok(prefs)
}

#[tauri::command]
fn autostart_enabled() -> bool {
    autostart::enabled()
}

#[tauri::command]
fn set_autostart(enabled: bool) -> Result<bool> {
    autostart::set(enabled).map_err(|e| AppError::Io(e.to_string()))?;
    Ok(autostart::enabled())
}

/// Pauses pop-ups for `minutes` (none or fewer resumes), or until resumed
/// when `None`.
#[tauri::command]
fn pause(app: AppHandle, minutes: Option<i64>) {
    let action = match minutes {
        Some(m) => UserAction::PauseFor {
            minutes: u32::try_from(m.max(0)).unwrap_or(u32::MAX),
        },
        None => UserAction::Pause { until: None },
    };
    app::act(&app, action);
}

#[tauri::command]
fn resume(app: AppHandle) {
    app::act(&app, UserAction::Resume);
}

#[tauri::command]
async fn sign_in(app: AppHandle, server: String, token: String) -> Result<SignedIn> {
    signin::sign_in(&app, &server, &token).await
}

#[tauri::command]
async fn sign_out(app: AppHandle) {
    signin::sign_out(&app).await;
}
