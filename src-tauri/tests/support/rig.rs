//! One live rig per test: a headless desktop, a simulator, the
//! notification and tray observers, and the real app signed in as Ana.

use pmap_testkit::eventually;

use super::app::App;
use super::desktop::{Desktop, Keyring};
use super::notifications::{Notifications, Shown};
use super::sim::{ANA, Sim};
use super::tray::{Item, Panel};

/// The desktop, simulator, observers and app, with Ana live.
pub struct Rig {
    pub app: App,
    pub sim: Sim,
    pub notes: Notifications,
    pub tray: Item,
    pub desktop: Desktop,
}

pub async fn rig(config: Option<serde_json::Value>) -> Rig {
    rig_in_zone(config, "UTC").await
}

/// [`rig`], with the app started under `TZ=time_zone`.
pub async fn rig_in_zone(config: Option<serde_json::Value>, time_zone: &'static str) -> Rig {
    let mut desktop = Desktop::start(Keyring::Missing);
    desktop.time_zone = time_zone;
    if let Some(config) = config {
        desktop.write_config(config);
    }
    let sim = Sim::start().await;
    let notes = Notifications::watch(&desktop.bus).await;
    let mut panel = Panel::start(&desktop.bus).await;
    let app = App::launch(&desktop, &sim.url, Some(ANA), &[]);
    sim.wait_for_stream("u-ana").await;
    let tray = panel.item().await;
    std::mem::forget(panel);
    let unread = sim.unread(ANA).await;
    status_line_shows(&tray, &format!("{unread} unread")).await;
    Rig {
        app,
        sim,
        notes,
        tray,
        desktop,
    }
}

/// Waits until the tray's status line (its tooltip text) contains `text`.
pub async fn status_line_shows(tray: &Item, text: &str) -> String {
    eventually(&format!("the status line to show {text:?}"), || async {
        let line = tray.menu().await.first().map(|e| e.label.clone())?;
        line.contains(text).then_some(line)
    })
    .await
}

/// The next pop-up whose summary mentions `title` (start-up reminder
/// digests and other pop-ups before it are returned in `before`).
pub async fn popup_about(notes: &mut Notifications, title: &str) -> (Shown, Vec<Shown>) {
    let mut before = Vec::new();
    loop {
        let shown = notes
            .next(pmap_testkit::patience())
            .await
            .unwrap_or_else(|| panic!("no pop-up about {title:?}; saw {before:#?}"));
        if shown.summary.contains(title) || shown.body.contains(title) {
            return (shown, before);
        }
        before.push(shown);
    }
}
