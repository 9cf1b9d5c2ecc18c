//! The fault schedule against the `pmap-cli watch` process: 20 drops,
//! 1 000 malformed frames, frames over the size cap, a stall longer than the
//! idle watchdog, 3 sim restarts, a 50 000-event flood, and a revoked token
//! followed by a new login (a new watch process on the same home, so the
//! reminder ledger carries over).

use std::cell::Cell;

use serde_json::{Value, json};

use super::support::*;
use super::{Book, PEAK_RSS_BOUND_KIB, Tracked, home_with_prefs};

const SIM_FLAGS: &[&str] = &["--heartbeat-secs", "0.2"];
const WATCH_FLAGS: &[&str] = &[
    "--idle-timeout",
    "1.5",
    "--backoff-base",
    "0.05",
    "--backoff-max",
    "0.5",
    "--max-frame",
    "65536",
];
/// Events of the mix per batch (each batch ends with an awaited fence).
const BATCH: usize = 12;
const ANA: &str = "demo-ana";

/// What the schedule observed, for the final reconciliation.
pub struct CliRun {
    /// Every notify line of both watch processes.
    pub popups: Vec<Value>,
    pub malformed: u64,
    pub peak_rss_kib: u64,
}

pub async fn play(book: &mut Book) -> CliRun {
    let mut sim = Sim::start(SIM_FLAGS).await;
    let mut a = Watch::start_in(&sim, ANA, WATCH_FLAGS, home_with_prefs()).await;
    a.wait_live().await;
    a.wait_badge(sim.unread(ANA).await).await;
    // The calendar and summary replies race; the ledger write may come first.
    a.saw_or_wait_for("the first reminder ledger write", |v| {
        is_effect(v, "persist_ledger")
    })
    .await;
    book.batch(&sim, &mut a, BATCH).await;

    for drop in 1..=20 {
        // Every fifth drop also loses three inbox announcements: only the
        // summary refetch on reconnect can make the badge exact.
        let lost_rows = drop % 5 == 0;
        if lost_rows {
            sim.post(
                "/_sim/inbox",
                json!({"user": "u-ana", "count": 3, "emit": false}),
            )
            .await;
        }
        sim.post("/_sim/drop", json!({})).await;
        reconnected(&mut a).await;
        if lost_rows {
            a.wait_badge(sim.unread(ANA).await).await;
        }
        book.repeat_last_delivered(&sim).await;
        book.batch(&sim, &mut a, BATCH).await;
        book.fault(format!("drop {drop}"), true);
    }

    let garbage: String = (0..1000)
        .map(|i| format!("data: {{not json {i}\n\n"))
        .collect();
    raw(&sim, garbage).await;
    book.batch(&sim, &mut a, BATCH).await;
    book.fault("1000 malformed frames", true);
    let pad = "x".repeat(96 * 1024);
    let oversized: String = (0..3)
        .map(|_| format!("data: {{\"type\":\"finding_created\",\"pad\":\"{pad}\"}}\n\n"))
        .collect();
    raw(&sim, oversized).await;
    book.batch(&sim, &mut a, BATCH).await;
    book.fault("3 frames over the size cap", true);

    sim.post("/_sim/stall", json!({"seconds": 3})).await;
    reconnected(&mut a).await;
    book.batch(&sim, &mut a, BATCH).await;
    book.fault("a 3 s stall (idle watchdog 1.5 s)", true);

    for restart in 1..=3 {
        sim.post("/_sim/inbox", json!({"user": "u-ana", "count": 2}))
            .await;
        a.wait_badge(sim.unread(ANA).await).await;
        sim.kill().await;
        a.wait_for("reconnecting", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
        sim.restart().await; // fresh fixture: the two rows are gone
        a.wait_live().await;
        // The badge follows the new server, and the new fixture's deadlines
        // (they moved) fire their reminders and are recorded, in either order.
        let unread = sim.unread(ANA).await;
        let seen = Cell::new((false, false));
        a.wait_for("the exact badge and the ledger write", |v| {
            let (badge, ledger) = seen.get();
            let badge = badge || (is_effect(v, "badge") && v["unread"] == unread);
            let ledger = ledger || is_effect(v, "persist_ledger");
            seen.set((badge, ledger));
            badge && ledger
        })
        .await;
        book.repeat_last_delivered(&sim).await;
        book.batch(&sim, &mut a, BATCH).await;
        book.fault(format!("sim restart {restart}"), true);
    }

    // A flood with events of the mix emitted while it is being published:
    // those the sim dropped for back-pressure are owed nothing.
    let (flood, ()) = tokio::join!(
        sim.post("/_sim/flood", json!({"count": 50_000, "user": "u-ana"})),
        async {
            for _ in 0..40 {
                let event = Tracked::nth(book.next);
                book.next += 1;
                book.emit(&sim, event).await;
            }
        }
    );
    book.batch(&sim, &mut a, BATCH).await;
    let flood_frames =
        flood["delivered"].as_u64().unwrap_or(0) + flood["dropped"].as_u64().unwrap_or(0);
    assert_eq!(flood_frames, 50_000, "{flood}");
    book.fault("a 50 000-event flood", true);
    let peak_a = peak_rss_kib(a.pid());

    sim.post("/_sim/revoke", json!({"token": ANA})).await;
    a.wait_for("signed out", |v| {
        is_effect(v, "connection") && v["state"] == "signed_out"
    })
    .await;
    let first = a.finish().await;
    assert_eq!(first.code, 3, "a revoked token ends watch as signed out");
    sim.post("/_sim/restore", json!({"token": ANA})).await;
    let mut b = Watch::start_in(&sim, ANA, WATCH_FLAGS, first.home).await;
    b.wait_live().await;
    b.wait_badge(sim.unread(ANA).await).await;
    book.batch(&sim, &mut b, BATCH).await;
    // Reading a row over REST announces notification_read: the badge follows.
    let rows = sim
        .post("/_sim/inbox", json!({"user": "u-ana", "count": 3}))
        .await;
    let id = rows["items"][0]["id"].as_str().expect("row id");
    sim.post_as(&format!("/api/v1/notifications/{id}/read"), ANA)
        .await;
    let unread = sim.unread(ANA).await;
    b.wait_badge(unread).await;
    book.fault("revoked token, then a new login", true);
    let peak_b = peak_rss_kib(b.pid());
    let second = b.stop().await;
    assert_eq!(second.code, 0);

    let reminders: Vec<&Value> = popups(&second.lines)
        .into_iter()
        .filter(|p| p["kind"] == "reminder" || p["kind"] == "reminder_digest")
        .collect();
    assert!(
        reminders.is_empty(),
        "the ledger re-fired after a new login: {reminders:#?}"
    );
    let last_badge = second
        .lines
        .iter()
        .rev()
        .find(|v| is_effect(v, "badge"))
        .map(|v| v["unread"].clone());
    assert_eq!(last_badge, Some(json!(unread)), "badge equals the summary");

    // Older engines count an oversized frame as malformed, newer ones apart.
    let stat = |name: &str| {
        first.stats[name].as_u64().unwrap_or(0) + second.stats[name].as_u64().unwrap_or(0)
    };
    assert_eq!(
        stat("malformed") + stat("oversized"),
        1003,
        "1 000 malformed + 3 oversized frames: {} / {}",
        first.stats,
        second.stats
    );
    assert_eq!(
        stat("duplicates"),
        book.repeats_delivered,
        "every repeat dropped"
    );
    let peak_rss_kib = peak_a.max(peak_b);
    assert!(
        peak_rss_kib < PEAK_RSS_BOUND_KIB,
        "peak RSS {peak_rss_kib} KiB over the {PEAK_RSS_BOUND_KIB} KiB bound"
    );
    CliRun {
        popups: first
            .lines
            .iter()
            .chain(&second.lines)
            .filter(|v| is_effect(v, "notify"))
            .cloned()
            .collect(),
        malformed: stat("malformed") + stat("oversized"),
        peak_rss_kib,
    }
}

async fn reconnected(watch: &mut Watch) {
    watch
        .wait_for("reconnecting", |v| {
            is_effect(v, "connection") && v["state"] == "reconnecting"
        })
        .await;
    watch.wait_live().await;
}

async fn raw(sim: &Sim, text: String) {
    let answer = sim
        .post("/_sim/raw", json!({"text": text, "user": "u-ana"}))
        .await;
    assert_eq!(answer["delivered"], 1, "{answer}");
}
