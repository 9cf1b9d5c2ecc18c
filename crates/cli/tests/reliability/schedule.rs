//! The fault schedule against the `pmap-cli watch` process: 20 drops,
//! 1 000 malformed frames, frames over the size cap, a stall longer than the
//! idle watchdog, 3 sim restarts, a 50 000-event flood, and a revoked token
//! followed by a new login (a new watch process on the same home, so the
//! reminder ledger carries over).

use std::cell::Cell;

use serde_json::{Value, json};

use super::support::*;
use super::{Book, Outcome, PEAK_RSS_BOUND_KIB, Tracked, home_with_prefs};

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
    let mut warm_up = Outcome::new("warm-up");
    book.batch(&sim, &mut a, BATCH, &mut warm_up).await;
    assert!(warm_up.survived(), "before any fault: {warm_up:#?}");

    for drop in 1..=20 {
        let mut step = Outcome::new(format!("drop {drop}"));
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
        step.waited("a reconnect", reconnected(&mut a).await);
        if lost_rows {
            let unread = sim.unread(ANA).await;
            step.waited("the summary's badge", badge(&mut a, unread).await);
        }
        book.repeat_last_delivered(&sim).await;
        book.batch(&sim, &mut a, BATCH, &mut step).await;
        book.record(step);
    }

    let mut step = Outcome::new("1000 malformed frames");
    let garbage: String = (0..1000)
        .map(|i| format!("data: {{not json {i}\n\n"))
        .collect();
    step.compare("raw writes delivered", 1, raw(&sim, garbage).await);
    book.batch(&sim, &mut a, BATCH, &mut step).await;
    book.record(step);

    let mut step = Outcome::new("3 frames over the size cap");
    let pad = "x".repeat(96 * 1024);
    let oversized: String = (0..3)
        .map(|_| format!("data: {{\"type\":\"finding_created\",\"pad\":\"{pad}\"}}\n\n"))
        .collect();
    step.compare("raw writes delivered", 1, raw(&sim, oversized).await);
    book.batch(&sim, &mut a, BATCH, &mut step).await;
    book.record(step);

    let mut step = Outcome::new("a 3 s stall (idle watchdog 1.5 s)");
    sim.post("/_sim/stall", json!({"seconds": 3})).await;
    step.waited("a reconnect", reconnected(&mut a).await);
    book.batch(&sim, &mut a, BATCH, &mut step).await;
    book.record(step);

    for restart in 1..=3 {
        let mut step = Outcome::new(format!("sim restart {restart}"));
        sim.post("/_sim/inbox", json!({"user": "u-ana", "count": 2}))
            .await;
        let unread = sim.unread(ANA).await;
        step.waited("the badge with two new rows", badge(&mut a, unread).await);
        sim.kill().await;
        step.waited("reconnecting", state(&mut a, "reconnecting").await);
        sim.restart().await; // fresh fixture: the two rows are gone
        step.waited("live again", state(&mut a, "live").await);
        // The badge follows the new server, and the new fixture's deadlines
        // (they moved) fire their reminders and are recorded, in either order.
        let unread = sim.unread(ANA).await;
        let seen = Cell::new((false, false));
        let both = a
            .try_wait_for("the new server's badge and the ledger write", |v| {
                let (badge, ledger) = seen.get();
                let badge = badge || (is_effect(v, "badge") && v["unread"] == unread);
                let ledger = ledger || is_effect(v, "persist_ledger");
                seen.set((badge, ledger));
                badge && ledger
            })
            .await;
        step.waited("the new server's badge and the ledger write", both);
        book.repeat_last_delivered(&sim).await;
        book.batch(&sim, &mut a, BATCH, &mut step).await;
        book.record(step);
    }

    // A flood with events of the mix emitted while it is being published:
    // those the sim dropped for back-pressure are owed nothing.
    let mut step = Outcome::new("a 50 000-event flood");
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
    book.batch(&sim, &mut a, BATCH, &mut step).await;
    let flood_frames =
        flood["delivered"].as_u64().unwrap_or(0) + flood["dropped"].as_u64().unwrap_or(0);
    step.compare("flood frames published", 50_000, flood_frames);
    let peak_a = peak_rss_kib(a.pid());
    step.compare(
        "peak RSS within the bound",
        true,
        peak_a < PEAK_RSS_BOUND_KIB,
    );
    book.record(step);

    let mut step = Outcome::new("revoked token, then a new login");
    sim.post("/_sim/revoke", json!({"token": ANA})).await;
    step.waited("signed out", state(&mut a, "signed_out").await);
    let first = a.finish().await;
    step.compare("exit code of the signed-out watch", 3, first.code);
    sim.post("/_sim/restore", json!({"token": ANA})).await;
    let mut b = Watch::start_in(&sim, ANA, WATCH_FLAGS, first.home).await;
    step.waited("live after the new login", state(&mut b, "live").await);
    let unread = sim.unread(ANA).await;
    step.waited("the badge after the new login", badge(&mut b, unread).await);
    book.batch(&sim, &mut b, BATCH, &mut step).await;
    // Reading a row over REST announces notification_read: the badge follows.
    let rows = sim
        .post("/_sim/inbox", json!({"user": "u-ana", "count": 3}))
        .await;
    let id = rows["items"][0]["id"].as_str().expect("row id");
    sim.post_as(&format!("/api/v1/notifications/{id}/read"), ANA)
        .await;
    let unread = sim.unread(ANA).await;
    // The count passed through `unread` on its way up (three new rows), so
    // waiting for that value proves nothing: a fence behind the read does.
    book.batch(&sim, &mut b, 0, &mut step).await;
    step.compare(
        "badge once the stream passed the read",
        json!(unread).to_string(),
        last_badge(&b.seen),
    );
    let peak_b = peak_rss_kib(b.pid());
    step.compare(
        "peak RSS within the bound",
        true,
        peak_b < PEAK_RSS_BOUND_KIB,
    );
    let second = b.stop().await;
    step.compare("exit code after SIGTERM", 0, second.code);
    let refired = popups(&second.lines)
        .into_iter()
        .filter(|p| p["kind"] == "reminder" || p["kind"] == "reminder_digest")
        .count();
    step.compare("reminders re-fired after the new login", 0, refired);
    step.compare(
        "last badge against the summary",
        json!(unread).to_string(),
        last_badge(&second.lines),
    );
    // Older engines count an oversized frame as malformed, newer ones apart.
    let stat = |name: &str| {
        first.stats[name].as_u64().unwrap_or(0) + second.stats[name].as_u64().unwrap_or(0)
    };
    step.compare(
        "repeats dropped as duplicates",
        book.repeats_delivered,
        stat("duplicates"),
    );
    book.record(step);
    book.step("3 frames over the size cap").compare(
        "frames skipped as malformed or oversized (1 000 + 3)",
        1003,
        stat("malformed") + stat("oversized"),
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
        peak_rss_kib: peak_a.max(peak_b),
    }
}

/// The count the last badge line showed, as JSON text (`null` if none).
fn last_badge(lines: &[Value]) -> String {
    lines
        .iter()
        .rev()
        .find(|v| is_effect(v, "badge"))
        .map_or(Value::Null, |v| v["unread"].clone())
        .to_string()
}

/// Waits for a drop to be noticed and the stream to be live again.
async fn reconnected(watch: &mut Watch) -> Result<(), String> {
    state(watch, "reconnecting").await?;
    state(watch, "live").await
}

async fn state(watch: &mut Watch, state: &str) -> Result<(), String> {
    watch
        .try_wait_for(&format!("connection {state}"), |v| {
            is_effect(v, "connection") && v["state"] == state
        })
        .await
        .map(drop)
}

async fn badge(watch: &mut Watch, unread: u64) -> Result<(), String> {
    watch
        .try_wait_for(&format!("badge {unread}"), |v| {
            is_effect(v, "badge") && v["unread"] == unread
        })
        .await
        .map(drop)
}

/// Writes `text` to Ana's stream as is; the number of streams it reached.
async fn raw(sim: &Sim, text: String) -> u64 {
    let answer = sim
        .post("/_sim/raw", json!({"text": text, "user": "u-ana"}))
        .await;
    answer["delivered"].as_u64().unwrap_or(0)
}
