//! Roaming and catch-up in the tray, end to end. The test desktop's
//! private bus is also the app's system bus (`DBUS_SYSTEM_BUS_ADDRESS`),
//! where the test plays NetworkManager: no connectivity shows Offline on
//! the tray; when it returns the app reconnects, and the rows that arrived
//! while its stream was down come as one "N new while you were away"
//! pop-up whose Open goes to the inbox.

mod support;

use pmap_testkit::eventually;
use pmap_testkit::system_bus::{CONNECTIVITY_FULL, CONNECTIVITY_NONE, NetworkManager};
use serde_json::json;
use support::app::{App, opened_urls};
use support::desktop::{Desktop, Keyring};
use support::notifications::Notifications;
use support::rig::{popup_about, status_line_shows};
use support::sim::{ANA, Sim};
use support::tray::Panel;

#[tokio::test(flavor = "multi_thread")]
async fn offline_shows_on_the_tray_and_the_networks_return_brings_one_catch_up() {
    let desktop = Desktop::start(Keyring::Missing);
    let mut nm = NetworkManager::start(&desktop.bus).await;
    let sim = Sim::start().await;
    let mut notes = Notifications::watch(&desktop.bus).await;
    let mut panel = Panel::start(&desktop.bus).await;
    let _app = App::launch(&desktop, &sim.url, Some(ANA), &[]);
    sim.wait_for_stream("u-ana").await;
    nm.read_by_client().await;
    let tray = panel.item().await;
    std::mem::forget(panel);
    status_line_shows(&tray, "Live").await;
    // The first inbox head is served, and a row is seen live: the app
    // knows what it has seen.
    eventually("the first inbox head to be served", || async {
        let stats = sim.get("/_sim/stats", ANA).await;
        (stats["inbox_pages"].as_u64() >= Some(1)).then_some(())
    })
    .await;
    sim.inbox_row("u-ana", "finding_assigned", "high", "Seen live")
        .await;
    popup_about(&mut notes, "Seen live").await;

    nm.set_connectivity(CONNECTIVITY_NONE).await;
    status_line_shows(&tray, "Offline").await;
    // Meanwhile the stream is cut and refused, and two rows arrive.
    sim.control("scope-fail", json!({"user": "u-ana", "on": true}))
        .await;
    sim.control("inbox", json!({"user": "u-ana", "count": 2}))
        .await;
    sim.control("scope-fail", json!({"user": "u-ana", "on": false}))
        .await;

    nm.set_connectivity(CONNECTIVITY_FULL).await;
    let (shown, _) = popup_about(&mut notes, "new while you were away").await;
    assert_eq!(shown.summary, "2 new while you were away", "{shown:#?}");
    assert_eq!(shown.actions, ["open", "Open"]);
    status_line_shows(&tray, "Live").await;

    notes.invoke(shown.id, "open").await;
    let inbox = format!("{}/notifications", sim.url);
    eventually(
        &format!("the launcher to be asked to open {inbox}"),
        || async { opened_urls(&desktop).contains(&inbox).then_some(()) },
    )
    .await;
}
