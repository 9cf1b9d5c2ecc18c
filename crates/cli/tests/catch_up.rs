//! Catch-up: `pmap-cli watch` against a live `pmap-sim` whose stream is
//! refused for a while (`/_sim/scope-fail`) while inbox rows are created.
//! On the reconnect it prints one "N new while you were away" line with
//! the right N; after a gap with nothing new it prints none.

mod support;

use serde_json::{Value, json};
use support::*;

const FAST: &[&str] = &[
    "--idle-timeout",
    "2",
    "--backoff-base",
    "0.05",
    "--backoff-max",
    "0.5",
];
const SIM_FAST: &[&str] = &["--heartbeat-secs", "0.2"];

fn is_catch_up(v: &Value) -> bool {
    is_effect(v, "notify") && v["kind"] == "catch_up"
}

fn is_state(v: &Value, state: &str) -> bool {
    is_effect(v, "connection") && v["state"] == state
}

async fn inbox_pages(sim: &Sim) -> u64 {
    sim.stats().await["inbox_pages"]
        .as_u64()
        .expect("inbox_pages")
}

/// Waits until the server has answered more than `before` inbox pages:
/// the head a client asked for on opening is then fixed, whenever it is
/// read.
async fn head_served(sim: &Sim, before: u64) {
    pmap_testkit::eventually("the inbox head to be served", || async {
        (inbox_pages(sim).await > before).then_some(())
    })
    .await;
}

/// Refuses the stream while `rows_while_down` rows are created, then
/// waits for it to be live again and for its inbox head to be served.
async fn gap(sim: &Sim, watch: &mut Watch, rows_while_down: usize) {
    sim.post("/_sim/scope-fail", json!({"user": "u-ana", "on": true}))
        .await;
    watch
        .wait_for("the stream down", |v| is_state(v, "reconnecting"))
        .await;
    if rows_while_down > 0 {
        sim.post(
            "/_sim/inbox",
            json!({"user": "u-ana", "count": rows_while_down}),
        )
        .await;
    }
    let pages = inbox_pages(sim).await;
    sim.post("/_sim/scope-fail", json!({"user": "u-ana", "on": false}))
        .await;
    watch.wait_live().await;
    head_served(sim, pages).await;
}

#[tokio::test]
async fn a_reconnect_after_a_gap_prints_one_catch_up_with_the_rows_created_meanwhile() {
    let sim = Sim::start(SIM_FAST).await;
    let mut watch = Watch::start(&sim, "demo-ana", FAST).await;
    watch.wait_live_and_exact(&sim, "demo-ana").await;
    head_served(&sim, 0).await;
    // A row seen live: the last one the client knows of.
    sim.post("/_sim/inbox", json!({"user": "u-ana", "count": 1}))
        .await;
    watch
        .wait_for("the live row's pop-up", |v| {
            is_effect(v, "notify") && v["kind"] == "event"
        })
        .await;

    // A gap with nothing new (its head is served before the next gap, so
    // it can hold none of the next gap's rows), then one with three rows.
    gap(&sim, &mut watch, 0).await;
    gap(&sim, &mut watch, 3).await;
    let line = watch.wait_for("the catch-up line", is_catch_up).await;
    assert_eq!(line["title"], "3 new while you were away", "{line}");
    assert_eq!(line["body"], "3 findings assigned", "{line}");
    assert_eq!(line["url"], format!("{}/notifications", sim.url()));

    // A later marker: anything owed has been printed by the time it shows.
    sim.emit(assigned_to_ana("f-marker", "high", "corr-marker"))
        .await;
    watch
        .wait_for("the marker pop-up", |v| {
            is_effect(v, "notify")
                && v["url"]
                    .as_str()
                    .is_some_and(|u| u.ends_with("/findings/f-marker"))
        })
        .await;
    let finished = watch.stop().await;
    let catch_ups: Vec<_> = finished.lines.iter().filter(|v| is_catch_up(v)).collect();
    assert_eq!(catch_ups.len(), 1, "{catch_ups:#?}");
    assert_eq!(finished.stats["catch_ups"], 1);
}
