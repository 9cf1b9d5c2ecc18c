//! Everything the webview may call. Each command reads through the
//! signed-in session's REST client or hands an action to the engine; the
//! token never appears in an argument going back to JavaScript.

use std::collections::BTreeMap;

use companion_core::engine::LocalPrefs;
use companion_core::preferences::{self, PreferenceKey, ServerChannel};
use companion_core::rest::{CalendarQuery, Client, InboxQuery};
use companion_core::store::{OtherTokens, json_file};
use companion_core::zeroize::Zeroizing;
use companion_core::{EventType, UserAction};
use tauri::AppHandle;

use crate::autostart;
use crate::calendar_file::{self, CalendarFile};
use crate::error::{AppError, Result};
use crate::models::{CalendarView, Catalog, InboxPageView, PreferenceGrid};
use crate::signin::{self, SignedIn};
use crate::state::{AppState, lock};
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
        preference_grid,
        set_server_preference,
        local_prefs,
        save_local_prefs,
        autostart_enabled,
        set_autostart,
        calendar_file,
        set_calendar_file,
        pause,
        resume,
        sign_in,
        sign_out,
        stored_servers,
    ]
}

fn client(app: &AppHandle) -> Result<Client> {
    lock(&app.shared().session)
        .as_ref()
        .map(|s| s.client.clone())
        .ok_or(AppError::NotSignedIn)
}

#[tauri::command]
fn status(app: AppHandle) -> Status {
    app.status()
}

#[tauri::command]
async fn inbox(
    app: AppHandle,
    cursor: Option<String>,
    unread_only: bool,
    event_type: Option<String>,
    limit: Option<u32>,
) -> Result<InboxPageView> {
    let query = InboxQuery {
        limit: Some(limit.unwrap_or(25).clamp(1, 100)),
        cursor,
        read: unread_only.then_some(false),
        event_type: event_type.filter(|t| !t.is_empty()),
    };
    let client = client(&app)?;
    let page = client.inbox(&query).await?;
    Ok(InboxPageView::new(page, &client.server().origin()))
}

#[tauri::command]
fn mark_read(app: AppHandle, id: String) {
    app.act(UserAction::MarkRead(id));
}

#[tauri::command]
fn mark_all_read(app: AppHandle) {
    app.act(UserAction::MarkAllRead);
}

/// Opens a deep link; the engine refuses anything off the server's origin.
#[tauri::command]
fn open_link(app: AppHandle, url: String) {
    app.act(UserAction::Open { url });
}

#[tauri::command]
async fn calendar(
    app: AppHandle,
    from: Option<String>,
    to: Option<String>,
    mine: bool,
    company_id: Option<String>,
) -> Result<CalendarView> {
    let query = CalendarQuery {
        from,
        to,
        company_id: company_id.filter(|c| !c.is_empty()),
        mine,
    };
    let client = client(&app)?;
    let calendar = client.calendar(&query).await?;
    Ok(CalendarView::new(calendar, &client.server().origin()))
}

/// The labels the UI shows: event types, groups, severities, channels.
#[tauri::command]
fn catalog() -> Catalog {
    Catalog::build()
}

/// The Preferences grid: every catalog type, then the other types the
/// server's matrix names or the stream has shown. Without the server's
/// matrix the local cells still show and `server_error` says why.
#[tauri::command]
async fn preference_grid(app: AppHandle) -> PreferenceGrid {
    let matrix = match client(&app) {
        Ok(client) => client.preferences().await.map_err(AppError::from),
        Err(error) => Err(error),
    };
    let (matrix, server_error) = match matrix {
        Ok(prefs) => (prefs.preferences, None),
        Err(error) => (BTreeMap::new(), Some(error.to_string())),
    };
    let shared = app.shared();
    let local = lock(&shared.config).prefs.clone();
    let seen: Vec<EventType> = lock(&shared.seen_types).types().cloned().collect();
    PreferenceGrid::new(preferences::grid(&local, &matrix, &seen), server_error)
}

/// Sets one server cell; the server may refuse a type it does not know.
#[tauri::command]
async fn set_server_preference(
    app: AppHandle,
    channel: ServerChannel,
    event_type: String,
    on: bool,
) -> Result<()> {
    let key = PreferenceKey::server(channel, EventType::from_wire(&event_type));
    client(&app)?.set_preference(&key, on).await?;
    Ok(())
}

#[tauri::command]
fn local_prefs(app: AppHandle) -> LocalPrefs {
    lock(&app.shared().config).prefs.clone()
}

/// Saves the local matrix (pop-up, sound, severities, quiet hours,
/// reminders) and hands it to the running engine.
#[tauri::command]
async fn save_local_prefs(app: AppHandle, prefs: LocalPrefs) -> Result<LocalPrefs> {
    {
        let shared = app.shared();
        let mut config = lock(&shared.config);
        config.prefs = prefs.clone();
        if let Some(paths) = shared.paths.as_ref().filter(|_| !shared.args.demo) {
            json_file::save(&paths.config_file, &*config)?;
        }
    }
    if let Some(controls) = app.controls() {
        controls.set_prefs(prefs.clone()).await;
    }
    Ok(prefs)
}

#[tauri::command]
fn calendar_file(app: AppHandle) -> CalendarFile {
    calendar_file::current(&app)
}

#[tauri::command]
fn set_calendar_file(app: AppHandle, enabled: bool) -> Result<CalendarFile> {
    calendar_file::set(&app, enabled)
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

/// The longest pause the window may ask for: 7 days. Longer is a mistake,
/// and pausing until resumed is there for "for good".
const MAX_PAUSE_MINUTES: i64 = 7 * 24 * 60;

/// Pauses pop-ups for `minutes`, or until resumed when `None`. A value
/// out of range is refused with an error for the caller; the app keeps
/// running as it was.
#[tauri::command]
fn pause(app: AppHandle, minutes: Option<i64>) -> Result<()> {
    app.act(pause_action(minutes)?);
    Ok(())
}

/// The engine action for a pause of `minutes` (1 to [`MAX_PAUSE_MINUTES`]),
/// or until resumed when `None`.
fn pause_action(minutes: Option<i64>) -> Result<UserAction> {
    let Some(minutes) = minutes else {
        return Ok(UserAction::Pause { until: None });
    };
    u32::try_from(minutes)
        .ok()
        .filter(|m| (1..=MAX_PAUSE_MINUTES).contains(&i64::from(*m)))
        .map(|minutes| UserAction::PauseFor { minutes })
        .ok_or(AppError::PauseOutOfRange {
            minutes,
            max: MAX_PAUSE_MINUTES,
        })
}

#[tauri::command]
fn resume(app: AppHandle) {
    app.act(UserAction::Resume);
}

#[tauri::command]
async fn sign_in(
    app: AppHandle,
    server: String,
    token: String,
    others: Option<OtherTokens>,
    ca_file: Option<String>,
) -> Result<SignedIn> {
    // The IPC layer hands over a plain String: wipe it when done.
    let token = Zeroizing::new(token);
    signin::sign_in(&app, &server, &token, others, ca_file.as_deref()).await
}

#[tauri::command]
async fn stored_servers() -> Result<Vec<String>> {
    signin::stored_servers().await
}

#[tauri::command]
async fn sign_out(app: AppHandle) {
    signin::sign_out(&app).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The comma-separated items between `start` and the next `end` in
    /// `text`, unquoted.
    fn list_in(text: &str, start: &str, end: &str) -> Vec<String> {
        let from = text.find(start).expect("start") + start.len();
        let body = &text[from..][..text[from..].find(end).expect("end")];
        body.split(',')
            .map(|item| item.trim().trim_matches('"'))
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Every command the handler registers has a generated permission
    /// (build.rs) and is granted to the main window (the capability), and
    /// the window is granted nothing else but listening to events.
    #[test]
    fn the_handler_the_manifest_and_the_capability_name_the_same_commands() {
        let registered = list_in(include_str!("commands.rs"), "generate_handler![", "]");
        let manifest = list_in(include_str!("../build.rs"), "COMMANDS: &[&str] = &[", "];");
        assert_eq!(
            registered, manifest,
            "build.rs lists every registered command"
        );
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).expect("JSON");
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .map(|p| p.as_str().expect("a permission name").to_owned())
            .collect();
        let mut want: Vec<String> = manifest
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .chain([
                "core:event:allow-listen".into(),
                "core:event:allow-unlisten".into(),
            ])
            .collect();
        granted.sort();
        want.sort();
        assert_eq!(granted, want);
    }

    #[test]
    fn pause_takes_one_minute_to_seven_days_or_until_resumed() {
        let refused = |m: i64| matches!(pause_action(Some(m)), Err(AppError::PauseOutOfRange { minutes, .. }) if minutes == m);
        for m in [
            i64::MIN,
            -1,
            0,
            MAX_PAUSE_MINUTES + 1,
            i64::from(u32::MAX),
            i64::MAX,
        ] {
            assert!(refused(m), "{m} minutes was accepted");
        }
        for m in [1, 60, MAX_PAUSE_MINUTES] {
            assert!(
                matches!(pause_action(Some(m)), Ok(UserAction::PauseFor { minutes }) if i64::from(minutes) == m),
                "{m} minutes was refused"
            );
        }
        assert!(matches!(
            pause_action(None),
            Ok(UserAction::Pause { until: None })
        ));
    }

    #[test]
    fn an_out_of_range_pause_reaches_javascript_as_a_message() {
        let error = pause_action(Some(0)).expect_err("zero minutes");
        let json = serde_json::to_string(&error).expect("serialises");
        assert!(json.contains("10080"), "{json}");
    }
}
