//! How the desktop knows the app: the id of its desktop entry.
//!
//! The packages install `/usr/share/applications/pmap-companion.desktop`
//! (Tauri names it after `productName`), with `Icon=pmap-companion` and
//! `StartupWMClass=pmap-companion` (GTK's window class is the program's
//! name). Pop-ups name the entry in their `desktop-entry` hint and the
//! dock badge in its `application://` URI, so a desktop files both under
//! the installed app. `tests/desktop_files.rs` fails if the packaging
//! files and this id drift apart.

/// The desktop file id, without `.desktop`.
pub const DESKTOP_ID: &str = "pmap-companion";
