//! The tray icon: its look and badge, its menu, and what each item does.
//!
//! On Linux the icon is a StatusNotifierItem (libayatana-appindicator) and
//! the menu is exported over `com.canonical.dbusmenu`. AppIndicator has no
//! tooltip, so the tooltip's text (state, server, last event) is also the
//! menu's first, disabled line, where every desktop shows it. `host`
//! tells whether any panel shows the item at all.

mod badge;
pub mod host;
mod look;
mod menu;

use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;

use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

pub use look::Look;
pub use menu::TrayMenu;

use crate::state::AppState;
use crate::status::Status;

pub const TRAY_ID: &str = "pmap-companion";

/// What the tray shows now, to skip redundant icon writes (on Linux each
/// `set_icon` writes a PNG file for the indicator to read).
#[derive(Default)]
struct Shown {
    icon: Option<(Look, u64)>,
    text: Option<String>,
}

pub struct Tray {
    menu: TrayMenu,
    shown: Mutex<Shown>,
}

/// Creates the tray icon and its menu; call once from `setup`.
pub fn build(app: &AppHandle, status: &Status) -> tauri::Result<()> {
    let menu = TrayMenu::new(app)?;
    let look = Look::of(status);
    let unread = status.unread.unwrap_or(0);
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(look::icon(look, unread)?)
        .tooltip(status.tooltip())
        .menu(menu.menu())
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| menu::on_event(app, event.id().as_ref()))
        .build(app)?;
    app.manage(Tray {
        menu,
        shown: Mutex::new(Shown {
            icon: Some((look, unread)),
            text: None,
        }),
    });
    refresh(app, status);
    keep_next_line_current(app.clone());
    Ok(())
}

/// Brings the icon, badge, tooltip and menu in line with `status`.
pub fn refresh(app: &AppHandle, status: &Status) {
    let Some(tray_state) = app.try_state::<Tray>() else {
        return;
    };
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let mut shown = crate::state::lock(&tray_state.shown);
    let icon = (Look::of(status), status.unread.unwrap_or(0));
    if shown.icon != Some(icon) {
        match look::icon(icon.0, icon.1) {
            Ok(image) => {
                if let Err(error) = tray.set_icon(Some(image)) {
                    tracing::warn!(%error, "could not update the tray icon");
                }
                shown.icon = Some(icon);
            }
            Err(error) => tracing::error!(%error, "could not render the tray icon"),
        }
    }
    let tooltip = status.tooltip();
    let next = menu::next_line(status.next_deadline(Utc::now()));
    let text = format!("{tooltip}\n{next}");
    if shown.text.as_deref() != Some(text.as_str()) {
        let _ = tray.set_tooltip(Some(&text));
        tray_state.menu.show(status, &tooltip, &next);
        shown.text = Some(text);
    }
}

/// How often the "Next: … in 3 h" line is brought up to date.
const NEXT_LINE_PERIOD: Duration = Duration::from_secs(30);

/// Keeps the time-relative menu line current while the app runs.
fn keep_next_line_current(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut every = tokio::time::interval(NEXT_LINE_PERIOD);
        loop {
            every.tick().await;
            let status = app.status();
            refresh(&app, &status);
        }
    });
}
