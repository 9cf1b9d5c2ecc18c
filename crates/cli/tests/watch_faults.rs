//! `pmap-cli watch` against a live `pmap-sim`, under each fault the issue
//! names. Every test asserts both that the client survived and that nothing
//! was lost or doubled.

mod support;

use serde_json::{Value, json};
use support::*;

/// Short intervals so faults resolve in well under a second each.
const FAST: &[&str] = &[
    "--idle-timeout",
    "2",
    "--backoff-base",
    "0.05",
    "--backoff-max",
    "0.5",
];
const SIM_FAST: &[&str] = &["--heartbeat-secs", "0.2"];

fn event_popups_for<'a>(lines: &'a [Value], finding: &str) -> Vec<&'a Value> {
    popups(lines)
        .into_iter()
        .filter(|p| {
            p["kind"] == "event"
                && p["url"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(&format!("/findings/{finding}")))
        })
        .collect()
}

#[tokio::test]
async fn watch_goes_live_and_the_badge_equals_the_summary() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch
        .wait_for("connecting", |v| {
            is_effect(v, "connection") && v["state"] == "connecting"
        })
        .await;
    watch.wait_live_and_exact(&sim, "demo-ana").await;
    assert_eq!(watch.stop().await.code, 0, "Ctrl-C/SIGTERM is a clean exit");
}

#[tokio::test]
async fn critical_assignment_pops_up_with_link_severity_and_sound() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live().await;
    sim.emit(assigned_to_ana("f-crit-1", "critical", "corr-crit-1"))
        .await;
    let popup = watch
        .wait_for("the pop-up", |v| {
            is_effect(v, "notify") && v["kind"] == "event"
        })
        .await;
    assert_eq!(popup["severity"], "critical");
    assert_eq!(popup["urgent"], true);
    assert_eq!(popup["url"], format!("{}/findings/f-crit-1", sim.url()));
    assert!(
        popup["title"]
            .as_str()
            .expect("title")
            .contains("Test finding f-crit-1"),
        "{popup}"
    );
    watch
        .wait_for("the sound", |v| {
            is_effect(v, "sound") && v["event_type"] == "finding_assigned"
        })
        .await;
}

#[tokio::test]
async fn reconnect_after_drop_refetches_the_summary_so_the_badge_is_exact() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    let before = watch.wait_live_and_exact(&sim, "demo-ana").await;
    // Three rows whose notification_created frames are lost.
    sim.post(
        "/_sim/inbox",
        json!({"user": "u-ana", "count": 3, "emit": false}),
    )
    .await;
    sim.post("/_sim/drop", json!({})).await;
    watch
        .wait_for("reconnecting", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
    watch.wait_live().await;
    watch.wait_badge(before + 3).await;
    assert_eq!(
        sim.stats().await["connections_opened"],
        2,
        "exactly one reconnect"
    );
}

#[tokio::test]
async fn killed_and_restarted_sim_is_reconnected_and_the_badge_follows_the_new_server() {
    let mut sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live().await;
    let fixture_unread = sim.unread("demo-ana").await;
    sim.post("/_sim/inbox", json!({"user": "u-ana", "count": 2}))
        .await;
    watch.wait_badge(fixture_unread + 2).await;
    sim.kill().await;
    watch
        .wait_for("reconnecting", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
    sim.restart().await; // a fresh fixture: the two new rows are gone
    watch.wait_live().await;
    watch.wait_badge(fixture_unread).await;
}

#[tokio::test]
async fn a_stalled_stream_is_dropped_by_the_idle_watchdog_and_reopened() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(
        &sim,
        "demo-ana",
        &["--idle-timeout", "1", "--backoff-base", "0.05"],
    )
    .await;
    watch.wait_live().await;
    sim.post("/_sim/stall", json!({"seconds": 600})).await;
    watch
        .wait_for("reconnecting", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
    watch.wait_live().await;
    // The new stream works: an event emitted now pops up.
    sim.emit(assigned_to_ana("f-after-stall", "high", "corr-stall"))
        .await;
    watch
        .wait_for("a pop-up on the new stream", |v| {
            is_effect(v, "notify") && v["kind"] == "event"
        })
        .await;
    assert_eq!(sim.stats().await["connections_opened"], 2);
}

#[tokio::test]
async fn a_revoked_token_signs_out_once_without_a_retry_storm() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live().await;
    sim.post("/_sim/revoke", json!({"token": "demo-ana"})).await;
    watch
        .wait_for("signed out", |v| {
            is_effect(v, "connection") && v["state"] == "signed_out"
        })
        .await;
    assert_eq!(
        watch.finish().await.code,
        3,
        "signed out is a distinct non-zero exit"
    );
    assert_eq!(
        sim.stats().await["stream_requests"]["401"],
        1,
        "no retries after a 401"
    );
}

#[tokio::test]
async fn scope_failure_backs_off_honouring_retry_after_then_recovers() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live().await;
    sim.post("/_sim/scope-fail", json!({"user": "u-ana", "on": true}))
        .await;
    // Attempt 1 is the closed stream; the following ones are 503 answers.
    for attempt in 2..=3 {
        let line = watch
            .wait_for("a 503 back-off", |v| {
                is_effect(v, "connection") && v["attempt"] == attempt
            })
            .await;
        let received = chrono::Utc::now();
        let next_at: chrono::DateTime<chrono::Utc> = line["next_at"]
            .as_str()
            .expect("next_at")
            .parse()
            .expect("RFC 3339");
        // Retry-After: 1 is a floor; the FAST back-off alone would be ≤ 0.5 s.
        assert!(
            next_at - received > chrono::Duration::milliseconds(600),
            "{line} received at {received}"
        );
    }
    sim.post("/_sim/scope-fail", json!({"user": "u-ana", "on": false}))
        .await;
    watch.wait_live().await;
    let requests = &sim.stats().await["stream_requests"];
    assert!(
        requests["503"].as_u64().expect("503 count") >= 2,
        "{requests}"
    );
}

#[tokio::test]
async fn malformed_and_oversized_frames_are_skipped_counted_and_memory_stays_bounded() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live().await;
    sim.post("/_sim/raw", json!({"text": "data: {not json\n\n"}))
        .await;
    let huge = format!(
        "data: {{\"type\":\"finding_created\",\"pad\":\"{}\"}}\n\n",
        "x".repeat(5 << 20)
    );
    sim.post("/_sim/raw", json!({"text": huge})).await;
    sim.emit(assigned_to_ana("f-after-garbage", "high", "corr-garbage"))
        .await;
    watch
        .wait_for("the pop-up after the garbage", |v| {
            is_effect(v, "notify")
                && v["url"]
                    .as_str()
                    .is_some_and(|u| u.ends_with("/f-after-garbage"))
        })
        .await;
    let peak_kib = peak_rss_kib(watch.pid());
    let Finished {
        code, stats, lines, ..
    } = watch.stop().await;
    assert_eq!(code, 0);
    assert_eq!(stats["malformed"], 1, "{stats}");
    assert_eq!(stats["oversized"], 1, "{stats}");
    assert!(
        lines
            .iter()
            .filter(|v| is_effect(v, "connection") && v["state"] == "live")
            .count()
            == 1,
        "no reconnect needed"
    );
    // A 5 MiB frame never sits in memory whole (the cap is 1 MiB).
    assert!(peak_kib < 48 * 1024, "peak RSS {peak_kib} KiB");
}

#[tokio::test]
async fn the_same_event_after_a_reconnect_pops_up_once() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live().await;
    let event = assigned_to_ana("f-dup", "high", "corr-dup");
    sim.emit(event.clone()).await;
    watch
        .wait_for("the first pop-up", |v| {
            is_effect(v, "notify") && v["kind"] == "event"
        })
        .await;
    sim.post("/_sim/drop", json!({})).await;
    watch
        .wait_for("reconnecting", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
    watch.wait_live().await;
    sim.emit(event).await;
    sim.emit(assigned_to_ana("f-marker", "high", "corr-marker"))
        .await;
    watch
        .wait_for("the marker pop-up", |v| {
            is_effect(v, "notify") && v["url"].as_str().is_some_and(|u| u.ends_with("/f-marker"))
        })
        .await;
    let Finished { stats, lines, .. } = watch.stop().await;
    assert_eq!(event_popups_for(&lines, "f-dup").len(), 1, "{lines:#?}");
    assert_eq!(stats["duplicates"], 1);
}

/// 50 000 SLA breaches (they pop up by default) arrive faster than the
/// client reads on a loaded machine: the server drops what its queue cannot
/// hold, possibly the five inbox rows' announcements created right after.
/// Pop-ups are coalesced, and the badge is exact anyway: a run of frames
/// makes the client reconcile it from the summary.
#[tokio::test]
async fn a_flood_is_coalesced_and_the_badge_is_exact_at_the_end() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live().await;
    sim.post("/_sim/flood", json!({"count": 50_000, "event_type": "sla_breached", "company_id": "c-acme", "user": "u-ana"}))
        .await;
    sim.post("/_sim/inbox", json!({"user": "u-ana", "count": 5}))
        .await;
    let unread = sim.unread("demo-ana").await;
    watch.wait_badge(unread).await;
    watch
        .saw_or_wait_for("a storm summary", |v| {
            is_effect(v, "notify") && v["kind"] == "storm_summary"
        })
        .await;
    let stats_before_stop = sim.stats().await;
    let Finished { stats, lines, .. } = watch.stop().await;
    let events = popups(&lines)
        .iter()
        .filter(|p| p["kind"] == "event")
        .count() as u64;
    let summaries = stats["storm_summaries"].as_u64().expect("storm_summaries");
    assert!(
        events <= 3 * (summaries + 1),
        "{events} pop-ups for {summaries} storm windows"
    );
    // Nothing lost inside the client: every frame the server sent was read
    // (frames the server dropped for lag are counted there, not here).
    let sent = stats_before_stop["connections"][0]["frames_sent"]
        .as_u64()
        .expect("frames_sent");
    assert_eq!(
        stats["frames"].as_u64().expect("frames"),
        sent,
        "client {stats} vs server {stats_before_stop}"
    );
}

#[tokio::test]
async fn reminders_fire_once_across_a_restart_of_the_cli() {
    let sim = Sim::start(SIM_FAST).await;
    let mut first = Watch::start(&sim, "demo-ana", FAST).await;
    first
        .wait_for("the missed-deadline digest", |v| {
            is_effect(v, "notify") && v["kind"] == "reminder_digest"
        })
        .await;
    first
        .wait_for("the ledger write", |v| is_effect(v, "persist_ledger"))
        .await;
    let first = first.stop().await;
    assert!(
        first.stats["reminder_digests"].as_u64() >= Some(1),
        "{}",
        first.stats
    );

    let mut second = Watch::start_in(&sim, "demo-ana", FAST, first.home).await;
    second.wait_live_and_exact(&sim, "demo-ana").await;
    sim.emit(assigned_to_ana("f-marker", "high", "corr-marker-2"))
        .await;
    second
        .wait_for("the marker pop-up", |v| {
            is_effect(v, "notify") && v["kind"] == "event"
        })
        .await;
    let Finished { stats, lines, .. } = second.stop().await;
    let reminders: Vec<_> = popups(&lines)
        .into_iter()
        .filter(|p| p["kind"] != "event")
        .collect();
    assert!(reminders.is_empty(), "re-fired: {reminders:#?}");
    assert_eq!(stats["reminders"], 0);
}

#[tokio::test]
async fn watch_started_while_the_server_is_down_waits_and_then_goes_live() {
    let mut sim = Sim::start(SIM_FAST).await;
    sim.kill().await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch
        .wait_for("waiting for the server", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
    sim.restart().await;
    watch.wait_live_and_exact(&sim, "demo-ana").await;
}

#[tokio::test]
async fn watch_with_a_rejected_token_exits_signed_out_at_once() {
    let sim = Sim::start(SIM_FAST).await;
    let watch = Watch::start(&sim, "not-a-token", FAST).await;
    assert_eq!(watch.finish().await.code, 3);
    assert_eq!(
        sim.stats().await["stream_requests"]["401"],
        0,
        "it never opened the stream"
    );
}

#[tokio::test]
async fn a_failed_summary_fetch_after_reconnect_is_retried_so_the_badge_is_exact() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    let before = watch.wait_live_and_exact(&sim, "demo-ana").await;
    sim.post(
        "/_sim/inbox",
        json!({"user": "u-ana", "count": 2, "emit": false}),
    )
    .await;
    // The reconnect's summary (and calendar) fetches fail once each.
    sim.post("/_sim/rest-fail", json!({"count": 2})).await;
    sim.post("/_sim/drop", json!({})).await;
    watch
        .wait_for("reconnecting", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
    watch.wait_live().await;
    watch.wait_badge(before + 2).await;
}
