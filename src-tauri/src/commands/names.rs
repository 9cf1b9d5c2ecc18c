// Included by `build.rs` (which generates an `allow-` permission for each
// name) and by `commands.rs` (which dispatches them), so the two cannot
// differ. Plain comments only: this file is `include!`d as items.

/// Every command the window may call, by the name JavaScript uses. The
/// capability grants each to the main window (a unit test in
/// `commands.rs` keeps capabilities/default.json in step).
pub const COMMANDS: &[&str] = &[
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
