//! The tray menu and what its items do. Each item hands a user action to
//! the core or opens a window view; none holds a product rule.

use companion_core::UserAction;
use companion_core::engine::NextDeadline;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::{AppHandle, Wry};

use crate::cli::View;
use crate::state::AppState;
use crate::status::Status;
use crate::{signin, window};

pub struct TrayMenu {
    menu: Menu<Wry>,
    status: MenuItem<Wry>,
    next: MenuItem<Wry>,
    mark_all_read: MenuItem<Wry>,
    pause_hour: MenuItem<Wry>,
    pause_tomorrow: MenuItem<Wry>,
    resume: MenuItem<Wry>,
    sign: MenuItem<Wry>,
}

impl TrayMenu {
    pub fn new(app: &AppHandle) -> tauri::Result<TrayMenu> {
        let item = |id: &str, text: &str| MenuItem::with_id(app, id, text, true, None::<&str>);
        let status = MenuItem::with_id(app, "status", "PMAP Companion", false, None::<&str>)?;
        let next = MenuItem::with_id(app, "next", NO_DEADLINE, false, None::<&str>)?;
        let open_inbox = item("open_inbox", "Open inbox")?;
        let calendar = item("calendar", "Calendar")?;
        let mark_all_read = item("mark_all_read", "Mark all read")?;
        let pause_hour = item("pause_hour", "Pause for 1 hour")?;
        let pause_tomorrow = item("pause_tomorrow", "Pause until tomorrow")?;
        let resume = item("resume", "Resume notifications")?;
        let preferences = item("preferences", "Preferences")?;
        let sign = item("sign", "Sign in…")?;
        let quit = item("quit", "Quit")?;
        let menu = Menu::with_items(
            app,
            &[
                &status,
                &next,
                &PredefinedMenuItem::separator(app)?,
                &open_inbox,
                &calendar,
                &mark_all_read,
                &PredefinedMenuItem::separator(app)?,
                &pause_hour,
                &pause_tomorrow,
                &resume,
                &PredefinedMenuItem::separator(app)?,
                &preferences,
                &sign,
                &quit,
            ],
        )?;
        Ok(TrayMenu {
            menu,
            status,
            next,
            mark_all_read,
            pause_hour,
            pause_tomorrow,
            resume,
            sign,
        })
    }

    pub fn menu(&self) -> &Menu<Wry> {
        &self.menu
    }

    /// Updates labels and which items apply now.
    pub fn show(&self, status: &Status, tooltip: &str, next: &str) {
        let signed_in = status.signed_in();
        let paused = status.pause.is_paused();
        let results = [
            self.status.set_text(tooltip.replace('\n', " · ")),
            self.next.set_text(next),
            self.sign
                .set_text(if signed_in { "Sign out" } else { "Sign in…" }),
            self.mark_all_read
                .set_enabled(signed_in && status.unread.unwrap_or(0) > 0),
            self.pause_hour.set_enabled(signed_in),
            self.pause_tomorrow.set_enabled(signed_in),
            self.resume.set_enabled(signed_in && paused),
        ];
        for result in results {
            if let Err(error) = result {
                tracing::warn!(%error, "could not update the tray menu");
            }
        }
    }
}

const NO_DEADLINE: &str = "No deadlines ahead";

/// The "Next:" line; marked within the deadline's last hour.
pub fn next_line(next: Option<NextDeadline>) -> String {
    match next {
        Some(next) if next.urgent => format!("⚠ {}", next.text),
        Some(next) => next.text,
        None => NO_DEADLINE.to_owned(),
    }
}

pub fn on_event(app: &AppHandle, id: &str) {
    tracing::debug!(item = id, "tray menu");
    match id {
        "open_inbox" => window::open(app, View::Inbox),
        "calendar" => window::open(app, View::Calendar),
        "preferences" => window::open(app, View::Preferences),
        "mark_all_read" => app.act(UserAction::MarkAllRead),
        "pause_hour" => app.act(UserAction::PauseFor { minutes: 60 }),
        // The engine resolves "tomorrow" (08:00 in the session's time zone).
        "pause_tomorrow" => app.act(UserAction::PauseUntilTomorrow),
        "resume" => app.act(UserAction::Resume),
        "sign" => {
            if app.status().signed_in() {
                let app = app.clone();
                tauri::async_runtime::spawn(async move { signin::sign_out(&app).await });
            } else {
                window::open(app, View::SignIn);
            }
        }
        "quit" => app.exit(0),
        _ => {}
    }
}
