//! The dock badge and the desktop without a tray, through their real
//! protocols: `com.canonical.Unity.LauncherEntry` `Update` signals on the
//! test bus (what GNOME's docks and KDE's task managers read), and the
//! app's windows on the X display. A test with the Panel has a tray; one
//! without it is stock GNOME, where no StatusNotifierWatcher runs.

mod support;

use support::app::App;
use support::desktop::{Desktop, Keyring};
use support::dock::Dock;
use support::rig::status_line_shows;
use support::sim::{ANA, Sim};
use support::tray::Panel;
use support::windows::{visible_titles, wait_for_title};

const APP_URI: &str = "application://pmap-companion.desktop";

#[tokio::test(flavor = "multi_thread")]
async fn with_a_tray_the_dock_badge_follows_unread_and_asks_for_attention_on_critical() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start().await;
    let mut dock = Dock::watch(&desktop.bus).await;
    let mut panel = Panel::start(&desktop.bus).await;
    let _app = App::launch(&desktop, &sim.url, Some(ANA), &[]);
    let tray = panel.item().await;
    let unread = sim.unread(ANA).await;
    assert!(unread > 0, "the fixture gives Ana unread rows");

    let shown = dock
        .until("the server's unread count", |u| u.count == unread as i64)
        .await;
    assert_eq!(shown.app_uri, APP_URI);
    assert!(shown.count_visible && !shown.urgent, "{shown:?}");
    // With a tray the window waits to be asked for; by now the app has
    // been live long enough to have shown one.
    assert_eq!(visible_titles(&desktop), Vec::<String>::new());

    sim.inbox_row("u-ana", "finding_assigned", "critical", "Critical RCE")
        .await;
    let urgent = dock.until("an urgent badge", |u| u.urgent).await;
    assert_eq!(urgent.count, unread as i64 + 1);
    assert!(urgent.count_visible);

    tray.click("Mark all read").await;
    let cleared = dock.until("a cleared badge", |u| u.count == 0).await;
    assert_eq!(
        (cleared.count_visible, cleared.urgent),
        (false, false),
        "{cleared:?}"
    );
    status_line_shows(&tray, "Live").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_tray_the_window_opens_with_the_count_in_its_title_and_the_dock_shows_it() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start().await;
    let mut dock = Dock::watch(&desktop.bus).await;
    let _app = App::launch(&desktop, &sim.url, Some(ANA), &[]);
    let unread = sim.unread(ANA).await;
    assert!(unread > 0, "the fixture gives Ana unread rows");

    let shown = dock
        .until("the server's unread count", |u| u.count == unread as i64)
        .await;
    assert_eq!(shown.app_uri, APP_URI);
    assert!(shown.count_visible, "{shown:?}");
    wait_for_title(&desktop, &format!("PMAP Companion ({unread} unread)")).await;

    // Read elsewhere (the web app): the stream says so, and the title and
    // the dock follow.
    sim.read_all(ANA).await;
    let cleared = dock.until("a cleared badge", |u| u.count == 0).await;
    assert!(!cleared.count_visible, "{cleared:?}");
    wait_for_title(&desktop, "PMAP Companion").await;
}
