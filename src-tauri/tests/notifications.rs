//! Pop-ups end to end: the real app on a headless desktop against a live
//! simulator; notifications observed on D-Bus, actions clicked the way the
//! notification daemon reports them, effects checked on the server and on
//! the tray (its status line carries the unread count the badge shows).

mod support;

use pmap_testkit::eventually;
use support::app::{launcher_env, opened_urls};
use support::rig::{popup_about, rig, rig_in_zone, status_line_shows};
use support::sim::ANA;

#[tokio::test(flavor = "multi_thread")]
async fn critical_assignment_pops_up_and_mark_read_reaches_server_and_badge() {
    let rig = rig(None).await;
    let (sim, mut notes, tray) = (rig.sim, rig.notes, rig.tray);
    let before = sim.unread(ANA).await;

    let title = "Critical SQL injection in /login";
    let row = sim
        .inbox_row("u-ana", "finding_assigned", "critical", title)
        .await;
    let (shown, _) = popup_about(&mut notes, title).await;
    assert_eq!(shown.app_name, "PMAP Companion");
    assert_eq!(shown.urgency, Some(2), "critical → urgency critical");
    assert_eq!(
        shown.actions,
        [
            "open",
            "Open",
            "mark_read",
            "Mark read",
            "snooze",
            "Snooze 1 h"
        ]
    );
    assert!(
        shown.listening,
        "the app asked for the pop-up before it listened for clicks on it"
    );
    status_line_shows(&tray, &format!("{} unread", before + 1)).await;

    // One click, with no wait for the app to be ready: it listened first.
    notes.invoke(shown.id, "mark_read").await;
    eventually("the server to see the row read", || async {
        (sim.unread(ANA).await == before).then_some(())
    })
    .await;
    let page = sim.get("/api/v1/notifications?limit=5", ANA).await;
    let ours = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["id"] == row["id"]);
    assert_eq!(
        ours.map(|r| r["read"].clone()),
        Some(serde_json::json!(true))
    );
    status_line_shows(&tray, &format!("{before} unread")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn paused_from_the_tray_nothing_pops_up_until_resumed_and_tomorrow_is_eight() {
    let rig = rig(None).await;
    let (sim, mut notes, tray) = (rig.sim, rig.notes, rig.tray);
    tray.click("Pause for 1 hour").await;
    status_line_shows(&tray, "paused until").await;

    let before = sim.unread(ANA).await;
    sim.inbox_row("u-ana", "finding_assigned", "high", "Held while paused")
        .await;
    // The badge counts it, so the app has handled the event by now.
    status_line_shows(&tray, &format!("{} unread", before + 1)).await;

    tray.click("Resume notifications").await;
    eventually("the tray to resume", || async {
        (!tray.menu().await[0].label.contains("paused")).then_some(())
    })
    .await;
    sim.inbox_row("u-ana", "finding_assigned", "high", "Shown after resume")
        .await;
    let (_, before_marker) = popup_about(&mut notes, "Shown after resume").await;
    assert!(
        before_marker
            .iter()
            .all(|s| !s.summary.contains("Held while paused")),
        "a pop-up escaped the pause: {before_marker:#?}"
    );

    // "Until tomorrow" is resolved by the engine: 08:00 in the app's zone
    // (the test desktop's TZ=UTC), shown as e.g. "paused until Wed 08:00".
    tray.click("Pause until tomorrow").await;
    let line = status_line_shows(&tray, "paused until").await;
    let until = line.split("paused until ").nth(1).unwrap_or_default();
    assert_eq!(until.get(4..9), Some("08:00"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_hours_in_the_tz_zone_hold_high_events_and_let_critical_break_through() {
    // Quiet from an hour ago to two hours from now on the wall clock of
    // TZ=Pacific/Kiritimati (UTC+14, so never the machine's own zone's
    // hours): only an app that reads TZ sees it is quiet now.
    let zone = chrono_tz::Pacific::Kiritimati;
    let now = chrono::Utc::now().with_timezone(&zone);
    let hh_mm = |t: chrono::DateTime<chrono_tz::Tz>| t.format("%H:%M").to_string();
    let config = serde_json::json!({"prefs": {
        "quiet_hours": {"start": hh_mm(now - chrono::Duration::hours(1)),
                        "end": hh_mm(now + chrono::Duration::hours(2))},
        "breakthrough": true
    }});
    let rig = rig_in_zone(Some(config), "Pacific/Kiritimati").await;
    let (sim, mut notes, tray) = (rig.sim, rig.notes, rig.tray);
    let before = sim.unread(ANA).await;
    sim.inbox_row("u-ana", "finding_assigned", "high", "Quiet high finding")
        .await;
    status_line_shows(&tray, &format!("{} unread", before + 1)).await;
    sim.inbox_row(
        "u-ana",
        "finding_assigned",
        "critical",
        "Loud critical finding",
    )
    .await;
    let (shown, earlier) = popup_about(&mut notes, "Loud critical finding").await;
    assert_eq!(shown.urgency, Some(2));
    assert!(
        earlier
            .iter()
            .all(|s| !s.summary.contains("Quiet high finding")),
        "quiet hours let a high event through: {earlier:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn open_action_hands_the_deep_link_on_the_servers_origin_to_the_desktop() {
    let rig = rig(None).await;
    let (sim, mut notes) = (rig.sim, rig.notes);
    let title = "Exposed admin panel on intranet";
    let row = sim
        .inbox_row("u-ana", "finding_assigned", "critical", title)
        .await;
    let (shown, _) = popup_about(&mut notes, title).await;
    assert!(
        shown.listening,
        "the app asked for the pop-up before it listened for clicks on it"
    );
    // One click, the moment the pop-up shows: a click is never lost.
    notes.invoke(shown.id, "open").await;
    let finding = row["data"]["finding_id"].as_str().expect("finding id");
    let expected = format!("{}/findings/{finding}", sim.url);
    eventually(
        &format!("the launcher to be asked to open {expected}"),
        || async { opened_urls(&rig.desktop).contains(&expected).then_some(()) },
    )
    .await;
    assert!(
        opened_urls(&rig.desktop)
            .iter()
            .all(|url| url.starts_with(&format!("{}/", sim.url))),
        "only the server's origin is ever opened"
    );
    // The app was started with PMAP_TOKEN; nothing it starts inherits it,
    // and it is gone from what the kernel shows of its own environment.
    let inherited = launcher_env(&rig.desktop);
    assert!(
        inherited.lines().any(|line| line.starts_with("PATH=")),
        "recorded: {inherited}"
    );
    assert!(!inherited.contains("PMAP_TOKEN"), "recorded: {inherited}");
    assert!(!inherited.contains(ANA), "the browser inherited the token");
    let own = std::fs::read(format!("/proc/{}/environ", rig.app.pid())).expect("environ");
    assert!(
        !own.windows(ANA.len()).any(|w| w == ANA.as_bytes()),
        "the token is still in the app's environment"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_a_title_reaches_the_daemon_escaped_as_text() {
    let rig = rig(None).await;
    let (sim, mut notes) = (rig.sim, rig.notes);
    let title = r#"<b>x</b> & <a href="https://evil.test/">y</a>"#;
    sim.inbox_row("u-ana", "finding_assigned", "critical", title)
        .await;
    let escaped = "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href=";
    let (shown, _) = popup_about(&mut notes, escaped).await;
    let text = format!("{}\n{}", shown.summary, shown.body);
    assert!(text.contains(escaped), "{shown:#?}");
    assert!(
        !text.contains("<a"),
        "raw markup reached the daemon: {shown:#?}"
    );
}

/// The morning agenda at a test-scaled time: a few seconds ahead on the
/// desktop's clock (TZ=UTC), every day of the week. It comes once the time
/// is reached, counts the server's personal calendar, and offers Open.
#[tokio::test(flavor = "multi_thread")]
async fn the_morning_agenda_pops_up_at_its_time_with_the_days_deadlines() {
    use chrono::{Duration, Utc};
    let now = Utc::now();
    let at = now + Duration::seconds(4);
    let hh_mm_ss = at.format("%H:%M:%S").to_string();
    let config = serde_json::json!({"prefs": {"agenda": {
        "enabled": true,
        "at": hh_mm_ss,
        "days": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }}});
    let rig = rig(Some(config)).await;
    let (sim, mut notes) = (rig.sim, rig.notes);
    let (shown, _) = popup_about(&mut notes, "Today:").await;
    let seen = Utc::now();
    // Past midnight the time names tomorrow; today's came at start-up.
    if at.date_naive() == now.date_naive() {
        let due = at.with_timezone(&Utc).format("%H:%M:%S").to_string();
        assert!(
            seen.format("%H:%M:%S").to_string() >= due,
            "the agenda came at {seen}, before its time {due}"
        );
    }
    assert_eq!(shown.actions, ["open", "Open"], "Open shows the calendar");
    // "Today: N deadline(s)…": N is what the server's personal calendar
    // has due before the end of the day.
    let calendar = sim.get("/api/v1/calendar?mine=true", ANA).await;
    let end_of_day = (seen.date_naive() + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc();
    let deadlines = calendar["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] == "sla_deadline")
        .filter(|i| {
            i["at"]
                .as_str()
                .and_then(|at| at.parse::<chrono::DateTime<Utc>>().ok())
                .is_some_and(|at| at < end_of_day)
        })
        .count();
    assert!(deadlines > 0, "the fixture has deadlines due by today");
    let counted = shown
        .summary
        .strip_prefix("Today: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok());
    assert_eq!(counted, Some(deadlines), "{}", shown.summary);
}

/// Snooze, at a test-scaled delay: the pop-up comes back once, and the
/// snooze survives a restart of the app (it lives in the ledger). The app
/// is stopped as soon as the snooze is on disk and started again; the
/// pop-up's return is counted up to a marker pop-up after it.
#[tokio::test(flavor = "multi_thread")]
async fn a_snoozed_popup_comes_back_once_even_across_a_restart() {
    let config = serde_json::json!({"prefs": {"snooze_secs": 6}});
    let mut rig = rig(Some(config)).await;
    let title = "Snoozed critical finding";
    rig.sim
        .inbox_row("u-ana", "finding_assigned", "critical", title)
        .await;
    let (shown, _) = popup_about(&mut rig.notes, title).await;
    assert!(
        shown
            .actions
            .windows(2)
            .any(|a| a == ["snooze", "Snooze 6 s"]),
        "{:?}",
        shown.actions
    );
    rig.notes.invoke(shown.id, "snooze").await;
    let ledger = rig.desktop.path("state/pmap-companion/reminders.json");
    eventually("the snooze to reach the ledger", || async {
        let text = std::fs::read_to_string(&ledger).ok()?;
        text.contains(title).then_some(())
    })
    .await;
    rig.app.stop();
    let _again = support::app::App::launch(&rig.desktop, &rig.sim.url, Some(ANA), &[]);
    rig.sim.wait_for_stream("u-ana").await;
    let (back, _) = popup_about(&mut rig.notes, title).await;
    assert_eq!(back.summary, shown.summary);
    // Once: nothing more about it before a marker that comes after.
    let marker = "Marker after the snooze";
    rig.sim
        .inbox_row("u-ana", "finding_assigned", "high", marker)
        .await;
    let (_, between) = popup_about(&mut rig.notes, marker).await;
    assert!(
        between.iter().all(|s| !s.summary.contains(title)),
        "it came back more than once: {between:#?}"
    );
}
