//! The dock badge: the unread count on the app's launcher, published as
//! the `com.canonical.Unity.LauncherEntry` `Update` signal that GNOME's
//! docks (Dash to Dock, Ubuntu Dock) and KDE's task managers show. It is
//! published whether or not there is a tray: on stock GNOME, without a
//! tray, it is the one badge the user sees.
//!
//! The signal names the app by its desktop entry
//! (`application://pmap-companion.desktop`) and carries `count`,
//! `count-visible` and `urgent` (a pop-up about a critical or urgent inbox
//! row was shown since everything was last read).
//! One task owns a session-bus connection and sends a signal only when
//! the badge changed, so a burst of status updates is one signal.

use std::collections::HashMap;

use tauri::{AppHandle, Manager};
use tokio::sync::watch;
use zbus::Connection;
use zbus::zvariant::Value;

use crate::desktop_entry::DESKTOP_ID;
use crate::status::Status;

const INTERFACE: &str = "com.canonical.Unity.LauncherEntry";
/// Any path will do: docks match the signal by its `app_uri`.
const PATH: &str = "/io/github/pmap/Companion/LauncherEntry";

/// What the dock shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Badge {
    pub count: u64,
    pub urgent: bool,
}

impl Badge {
    pub fn of(status: &Status) -> Badge {
        let count = status.unread.unwrap_or(0);
        Badge {
            count,
            urgent: status.attention && count > 0,
        }
    }

    /// The signal's properties, typed as the LauncherEntry API has them.
    fn properties(self) -> HashMap<&'static str, Value<'static>> {
        HashMap::from([
            (
                "count",
                Value::from(i64::try_from(self.count).unwrap_or(i64::MAX)),
            ),
            ("count-visible", Value::from(self.count > 0)),
            ("urgent", Value::from(self.urgent)),
        ])
    }
}

/// The handle `refresh` hands new badges to.
pub struct Dock {
    badge: watch::Sender<Option<Badge>>,
}

impl Dock {
    /// Starts the task that publishes the badge.
    pub fn start() -> Dock {
        let (badge, changes) = watch::channel(None);
        tauri::async_runtime::spawn(publish(changes));
        Dock { badge }
    }
}

/// Brings the dock badge in line with `status`.
pub fn refresh(app: &AppHandle, status: &Status) {
    let Some(dock) = app.try_state::<Dock>() else {
        return;
    };
    let badge = Badge::of(status);
    dock.badge.send_if_modified(|shown| {
        let changed = *shown != Some(badge);
        *shown = Some(badge);
        changed
    });
}

async fn publish(mut changes: watch::Receiver<Option<Badge>>) {
    let connection = match Connection::session().await {
        Ok(connection) => connection,
        Err(error) => {
            tracing::warn!(%error, "no session bus; no dock badge");
            return;
        }
    };
    let app_uri = format!("application://{DESKTOP_ID}.desktop");
    loop {
        let badge = *changes.borrow_and_update();
        if let Some(badge) = badge {
            let sent = connection
                .emit_signal(
                    None::<()>,
                    PATH,
                    INTERFACE,
                    "Update",
                    &(app_uri.as_str(), badge.properties()),
                )
                .await;
            match sent {
                Ok(()) => tracing::debug!(?badge, "dock badge"),
                Err(error) => tracing::warn!(%error, "could not update the dock badge"),
            }
        }
        if changes.changed().await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_badge_counts_unread_and_asks_for_attention_only_while_unread() {
        let mut status = Status::new(false);
        assert_eq!(Badge::of(&status), Badge::default(), "signed out: none");
        status.set_unread(4);
        status.attention = true;
        assert_eq!(
            Badge::of(&status),
            Badge {
                count: 4,
                urgent: true
            }
        );
        status.set_unread(0);
        assert_eq!(Badge::of(&status), Badge::default());
    }

    #[test]
    fn properties_are_typed_as_the_launcher_entry_api_has_them() {
        let props = Badge {
            count: 12,
            urgent: false,
        }
        .properties();
        assert_eq!(props["count"], Value::I64(12));
        assert_eq!(props["count-visible"], Value::Bool(true));
        assert_eq!(props["urgent"], Value::Bool(false));
        let hidden = Badge::default().properties();
        assert_eq!(hidden["count-visible"], Value::Bool(false));
    }
}
