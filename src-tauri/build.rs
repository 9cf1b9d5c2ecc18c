//! Generates an `allow-<command>` permission for each of the app's own
//! commands. With this manifest, Tauri checks every command against the
//! capabilities (capabilities/default.json grants them to the main window
//! only); a command missing from this list cannot be called at all.

// `COMMANDS`: the one list, shared with `src/commands.rs`.
include!("src/commands/names.rs");

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build: app manifest and capabilities");
}
