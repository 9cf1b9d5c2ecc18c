//! Generates an `allow-<command>` permission for each of the app's own
//! commands. With this manifest, Tauri checks every command against the
//! capabilities (capabilities/default.json grants them to the main window
//! only); a command missing from this list cannot be called at all.

/// Every `#[tauri::command]` in `src/commands.rs`, in the same order
/// (a unit test there keeps the two lists and the capability in step).
const COMMANDS: &[&str] = &[
    "status",
    "inbox",
    "mark_read",
    "mark_all_read",
    "open_link",
    "calendar",
    "catalog",
    "preference_grid",
    "set_server_preference",
    "local_prefs",
    "save_local_prefs",
    "autostart_enabled",
    "set_autostart",
    "calendar_file",
    "set_calendar_file",
    "pause",
    "resume",
    "sign_in",
    "sign_out",
    "stored_servers",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build: app manifest and capabilities");
}
