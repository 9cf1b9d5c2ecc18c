//! Resume and roaming: a real `pmap-cli watch` whose system bus
//! (`DBUS_SYSTEM_BUS_ADDRESS`) is a private one where the test plays logind
//! and NetworkManager. The client reconnects at once on resume even in the
//! middle of a back-off far longer than the test's patience, shows
//! `offline` while NetworkManager reports no connectivity, and reconnects
//! as soon as it returns.

mod support;

use chrono::{DateTime, Utc};
use pmap_testkit::system_bus::{
    CONNECTIVITY_FULL, CONNECTIVITY_NONE, Logind, NetworkManager, PrivateBus, prepare_for_sleep,
};
use serde_json::{Value, json};
use support::*;

const SIM_FAST: &[&str] = &["--heartbeat-secs", "0.2"];
/// A back-off no test waits out: delays up to ten minutes, and with the
/// server's `retry: 600000` below, never less.
const LONG_BACKOFF: &[&str] = &["--backoff-base", "600", "--backoff-max", "600"];

fn is_state(v: &Value, state: &str) -> bool {
    is_effect(v, "connection") && v["state"] == state
}

/// The services up, then `watch` started on their bus and subscribed.
async fn start(sim: &Sim, bus: &PrivateBus, extra: &[&str]) -> (Watch, Logind, NetworkManager) {
    let logind = Logind::start(&bus.address).await;
    let mut nm = NetworkManager::start(&bus.address).await;
    let env = [("DBUS_SYSTEM_BUS_ADDRESS", bus.address.as_str())];
    let mut watch = Watch::start_with_env(sim, "demo-ana", extra, &env).await;
    nm.read_by_client().await;
    watch.wait_live().await;
    (watch, logind, nm)
}

#[tokio::test]
async fn resume_reconnects_at_once_in_the_middle_of_a_long_back_off() {
    let sim = Sim::start(SIM_FAST).await;
    let bus = PrivateBus::start();
    let (mut watch, logind, _nm) = start(&sim, &bus, LONG_BACKOFF).await;

    // The server asks for ten minutes between attempts (the SSE `retry:`
    // field, a floor under the jittered delay); a marker event sent after
    // it shows the client has read it.
    sim.post("/_sim/raw", json!({"text": "retry: 600000\n\n"}))
        .await;
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
    // The stream is cut and refused (503) for a moment.
    sim.post("/_sim/scope-fail", json!({"user": "u-ana", "on": true}))
        .await;
    let line = watch
        .wait_for("reconnecting", |v| is_state(v, "reconnecting"))
        .await;
    let next_at: DateTime<Utc> = line["next_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("next_at");
    let wait = (next_at - Utc::now()).to_std().unwrap_or_default();
    assert!(
        wait > patience(),
        "the next attempt must be beyond the test's patience: {line}"
    );
    sim.post("/_sim/scope-fail", json!({"user": "u-ana", "on": false}))
        .await;

    // Going to sleep changes nothing; a stranger's "resume" is not logind's.
    logind.prepare_for_sleep(true).await;
    prepare_for_sleep(&bus.stranger().await, false).await;
    logind.prepare_for_sleep(false).await;

    watch
        .wait_for("the reconnect", |v| is_effect(v, "reconnect"))
        .await;
    watch.wait_live().await;
    let reconnects = watch
        .seen
        .iter()
        .filter(|v| is_effect(v, "reconnect"))
        .count();
    assert_eq!(reconnects, 1, "only logind's resume counts");
    assert_eq!(sim.stats().await["connections_opened"], 2);
}

#[tokio::test]
async fn no_connectivity_shows_offline_and_its_return_reconnects() {
    let sim = Sim::start(SIM_FAST).await;
    let bus = PrivateBus::start();
    let (mut watch, _logind, nm) = start(&sim, &bus, LONG_BACKOFF).await;

    nm.set_connectivity(CONNECTIVITY_NONE).await;
    watch.wait_for("offline", |v| is_state(v, "offline")).await;

    nm.set_connectivity(CONNECTIVITY_FULL).await;
    watch
        .wait_for("the reconnect", |v| is_effect(v, "reconnect"))
        .await;
    watch
        .wait_for("a new connection", |v| is_state(v, "connecting"))
        .await;
    watch.wait_live().await;
    assert_eq!(
        sim.stats().await["connections_opened"],
        2,
        "the stream was opened again"
    );
    assert_eq!(watch.stop().await.code, 0);
}

#[tokio::test]
async fn without_a_system_bus_watch_runs_as_before() {
    let sim = Sim::start(SIM_FAST).await;
    let env = [("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")];
    let mut watch = Watch::start_with_env(&sim, "demo-ana", &[], &env).await;
    watch.wait_live_and_exact(&sim, "demo-ana").await;
    assert_eq!(watch.stop().await.code, 0);
}
