//! The tray through its real protocol: the app's StatusNotifierItem
//! registers with a watcher on the test bus; its icon file carries the
//! badge; its dbusmenu lists the actions, and clicking Mark all read there
//! reads everything on the server and clears the badge.

mod support;

use pmap_testkit::eventually;
use support::rig::{rig, status_line_shows};
use support::sim::ANA;

/// The badge's fill colour (`src/tray/badge.rs`).
const BADGE_RED: [u8; 3] = [0xd1, 0x24, 0x2f];

fn badge_pixels(rgba: &[u8]) -> usize {
    rgba.chunks(4)
        .filter(|p| p[..3] == BADGE_RED && p[3] == 255)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn tray_shows_state_and_badge_and_mark_all_read_clears_both() {
    let rig = rig(None).await;
    let (sim, tray) = (&rig.sim, &rig.tray);
    let unread = sim.unread(ANA).await;
    assert!(unread > 0, "the fixture gives Ana unread rows");

    let line = status_line_shows(tray, "Live").await;
    assert!(
        line.contains(&format!("Ana Analyst on {}", sim.url)),
        "{line}"
    );
    let status: String = tray.property("Status").await;
    assert_eq!(status, "Active");
    let (_, rgba, width) = tray.icon_rgba().await;
    assert_eq!(width, 64);
    assert!(
        badge_pixels(&rgba) > 50,
        "an unread badge is drawn on the icon"
    );

    // The second line names the soonest personal deadline still ahead,
    // from the server's calendar.
    let calendar = sim.get("/api/v1/calendar?mine=true", ANA).await;
    let now = chrono::Utc::now();
    let soonest = calendar["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| {
            let at: chrono::DateTime<chrono::Utc> = i["at"].as_str()?.parse().ok()?;
            (at > now).then(|| (at, i["title"].as_str().unwrap_or_default().to_owned()))
        })
        .min()
        .expect("the fixture has deadlines ahead");
    let next = eventually("the tray to show the next deadline", || async {
        let label = tray.menu().await.get(1).map(|e| e.label.clone())?;
        label.starts_with("Next:").then_some(label)
    })
    .await;
    assert!(
        next.contains(&format!(" for {}", soonest.1)),
        "{next} names {}",
        soonest.1
    );

    let labels: Vec<String> = tray
        .menu()
        .await
        .into_iter()
        .skip(2)
        .map(|e| e.label)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        labels,
        [
            "Open inbox",
            "Calendar",
            "Mark all read",
            "Pause for 1 hour",
            "Pause until tomorrow",
            "Resume notifications",
            "Preferences",
            "Sign out",
            "Quit"
        ]
    );

    tray.click("Mark all read").await;
    eventually(
        "the server, the badge and the status line to clear",
        || async {
            let (_, rgba, _) = tray.icon_rgba().await;
            let line = tray.menu().await[0].label.clone();
            (sim.unread(ANA).await == 0 && badge_pixels(&rgba) == 0 && !line.contains("unread"))
                .then_some(())
        },
    )
    .await;
}

/// Turned on, the calendar file holds the personal deadlines as iCalendar
/// and follows the server: a deadline added there is in the file after
/// the next calendar fetch (a reconnect brings one at once).
#[tokio::test(flavor = "multi_thread")]
async fn the_calendar_file_follows_the_servers_personal_calendar() {
    let rig = rig(Some(serde_json::json!({"calendar_file": true}))).await;
    let (sim, desktop) = (&rig.sim, &rig.desktop);
    let file = desktop.path("data/pmap-companion/deadlines.ics");
    let events = |text: &str| text.matches("BEGIN:VEVENT").count();
    let calendar = sim.get("/api/v1/calendar?mine=true", ANA).await;
    let personal = calendar["items"].as_array().expect("items").len();
    let first = eventually("the calendar file to be written", || async {
        std::fs::read_to_string(&file).ok()
    })
    .await;
    assert!(first.starts_with("BEGIN:VCALENDAR\r\n"), "{first}");
    assert_eq!(events(&first), personal, "one event per personal deadline");

    let due = chrono::Utc::now() + chrono::Duration::hours(30);
    sim.control(
        "deadline",
        serde_json::json!({"user": "u-ana", "title": "Deadline added on the server",
            "due_at": due.to_rfc3339()}),
    )
    .await;
    sim.control("drop", serde_json::json!({})).await;
    let updated = eventually("the file to show the added deadline", || async {
        let text = std::fs::read_to_string(&file).ok()?;
        text.contains("Deadline added on the server")
            .then_some(text)
    })
    .await;
    assert_eq!(events(&updated), personal + 1);
}
