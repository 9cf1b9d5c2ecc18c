//! Desktop notifications through notify-rust (freedesktop D-Bus on Linux):
//! title, body, urgency from severity, app name and icon, and the actions
//! **Open** and **Mark read**. What the user picks goes back to the engine
//! as a [`UserAction`], so the same rules (same-origin links, the badge)
//! apply as for the tray and the window.
//!
//! One thread shows pop-ups in the order the engine raised them. The
//! freedesktop daemon sends `ActionInvoked` to the connection that created
//! the notification, so each notification with actions keeps its own
//! connection and a small thread waiting on it until an action or close.
//! The engine's storm limit bounds how many exist at once.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use companion_core::{Popup, UserAction};
use notify_rust::{Hint, Notification, Urgency};
use tauri::{AppHandle, Manager};

use crate::app;

pub const APP_NAME: &str = "PMAP Companion";
pub const ACTION_OPEN: &str = "open";
pub const ACTION_MARK_READ: &str = "mark_read";
/// The freedesktop sound theme name used when a pop-up should be heard.
const SOUND: &str = "message-new-instant";

pub struct Notifier {
    queue: mpsc::Sender<Popup>,
}

impl Notifier {
    /// Starts the thread that shows pop-ups one at a time, in order.
    pub fn start(app: AppHandle) -> Notifier {
        let (queue, popups) = mpsc::channel::<Popup>();
        let spawned = std::thread::Builder::new()
            .name("notifier".into())
            .spawn(move || {
                let icon = write_icon(&app);
                for popup in popups {
                    show(&app, &popup, icon.as_deref());
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "could not start the notifier thread");
        }
        Notifier { queue }
    }

    /// Queues `popup` without blocking the caller.
    pub fn show(&self, popup: &Popup) {
        if self.queue.send(popup.clone()).is_err() {
            tracing::warn!("the notifier thread is gone; pop-up dropped");
        }
    }
}

/// Shows one pop-up; if it has actions, a small thread waits for them.
fn show(app: &AppHandle, popup: &Popup, icon: Option<&Path>) {
    let handle = match build(popup, icon).show() {
        Ok(handle) => handle,
        Err(error) => return tracing::warn!(%error, "could not show a notification"),
    };
    let (url, id) = (popup.url.clone(), popup.notification_id.clone());
    if url.is_none() && id.is_none() {
        return;
    }
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || handle.wait_for_action(|action| on_action(&app, action, url, id)));
    if let Err(error) = spawned {
        tracing::warn!(%error, "could not wait for notification actions");
    }
}

/// The notification for a pop-up, with actions only where they can work.
pub fn build(popup: &Popup, icon: Option<&Path>) -> Notification {
    let mut n = Notification::new();
    n.appname(APP_NAME)
        .summary(&popup.title)
        .body(&popup.body)
        .hint(Hint::DesktopEntry("pmap-companion".into()))
        .urgency(if popup.urgent {
            Urgency::Critical
        } else {
            Urgency::Normal
        });
    if let Some(icon) = icon {
        n.icon(&icon.to_string_lossy());
    }
    if popup.url.is_some() {
        n.action(ACTION_OPEN, "Open");
    }
    if popup.notification_id.is_some() {
        n.action(ACTION_MARK_READ, "Mark read");
    }
    if popup.sound {
        n.sound_name(SOUND);
    }
    n
}

fn on_action(app: &AppHandle, action: &str, url: Option<String>, id: Option<String>) {
    tracing::info!(action, "notification action");
    match (action, url, id) {
        (ACTION_OPEN, Some(url), id) => {
            app::act(app, UserAction::Open { url });
            if let Some(id) = id {
                app::act(app, UserAction::MarkRead(id));
            }
        }
        (ACTION_MARK_READ, _, Some(id)) => app::act(app, UserAction::MarkRead(id)),
        _ => {}
    }
}

/// Writes the bundled icon under the app's cache dir once per start.
fn write_icon(app: &AppHandle) -> Option<PathBuf> {
    let dir = app.path().app_cache_dir().ok()?;
    let path = dir.join("pmap-companion.png");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, include_bytes!("../../icons/128x128.png")));
    match written {
        Ok(()) => Some(path),
        Err(error) => {
            tracing::warn!(%error, "could not write the notification icon");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use companion_core::PopupKind;

    fn popup(urgent: bool, url: Option<&str>, id: Option<&str>) -> Popup {
        Popup {
            kind: PopupKind::Event,
            event_type: Some("finding_assigned".into()),
            title: "Finding assigned".into(),
            body: "SQL injection".into(),
            severity: None,
            urgent,
            url: url.map(str::to_owned),
            notification_id: id.map(str::to_owned),
            sound: false,
        }
    }

    #[test]
    fn urgent_popups_are_critical_and_actions_follow_what_the_popup_has() {
        let full = build(
            &popup(true, Some("https://x/findings/1"), Some("n-1")),
            None,
        );
        assert!(full.hints.contains(&Hint::Urgency(Urgency::Critical)));
        assert_eq!(full.actions, ["open", "Open", "mark_read", "Mark read"]);
        let bare = build(&popup(false, None, None), None);
        assert!(bare.hints.contains(&Hint::Urgency(Urgency::Normal)));
        assert!(bare.actions.is_empty());
        assert_eq!(bare.appname, APP_NAME);
    }
}
