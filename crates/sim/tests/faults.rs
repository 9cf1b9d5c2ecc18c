//! Fault injection over real sockets: lag drops, stalls, drops, revoked
//! tokens and unavailable scope.

mod common;

use std::time::{Duration, Instant};

use common::{Sim, start_control, thin};
use serde_json::{Value, json};

#[tokio::test]
async fn a_lagging_reader_loses_frames_alone_and_stats_count_them() {
    let sim = start_control(Duration::from_secs(20), 16).await;
    let mut reader = sim.stream("demo-ana").await;
    let _stuck = sim.stream("demo-ana").await; // pinged, then never read again
    let padding = "x".repeat(64 * 1024);
    let mut batches = 0;
    loop {
        let events: Vec<Value> = (0..8)
            .map(|n| {
                let mut event = thin(
                    "finding_updated",
                    Some("c-acme"),
                    &format!("f-lag-{batches}-{n}"),
                );
                event["payload"]["padding"] = json!(padding);
                event
            })
            .collect();
        let outcome = sim.control("/_sim/emit", json!({"events": events})).await;
        for n in 0..8 {
            assert_eq!(
                reader.next_subject().await,
                format!("f-lag-{batches}-{n}"),
                "the reader misses nothing"
            );
        }
        batches += 1;
        if outcome["dropped"].as_u64() > Some(0) {
            break;
        }
        assert!(
            batches < 256,
            "128 MiB never filled the stuck client's buffers"
        );
    }
    let stats = sim.stats().await;
    let connections = stats["connections"].as_array().expect("connections");
    assert_eq!(connections.len(), 2);
    let (reader_stats, stuck_stats) = (&connections[0], &connections[1]);
    assert_eq!(reader_stats["user"], "u-ana");
    assert_eq!(reader_stats["frames_dropped"], 0);
    assert_eq!(reader_stats["frames_sent"], json!(1 + 8 * batches));
    assert!(reader_stats["bytes_sent"].as_u64() > Some(64 * 1024 * 8 * batches));
    assert!(stuck_stats["frames_dropped"].as_u64() > Some(0));
    assert_eq!(stats["frames_dropped"], stuck_stats["frames_dropped"]);
    assert_eq!(stats["connections_opened"], 2);
    assert_eq!(
        stats["stream_requests"],
        json!({"200": 2, "401": 0, "503": 0})
    );
}

#[tokio::test]
async fn stall_silences_open_streams_heartbeats_included() {
    let sim = start_control(Duration::from_millis(200), 256).await;
    let mut stalled = sim.stream("demo-ana").await;
    assert_eq!(stalled.next_block().await.as_deref(), Some(": heartbeat"));
    let asked = Instant::now();
    let answer = sim.control("/_sim/stall", json!({"seconds": 1.5})).await;
    assert_eq!(answer["stalled"], 1);
    let mut fresh = sim.stream("demo-ana").await;
    sim.marker("during-stall").await;
    assert_eq!(
        fresh.next_subject().await,
        "during-stall",
        "streams opened later are not stalled"
    );
    assert_eq!(fresh.next_block().await.as_deref(), Some(": heartbeat"));
    // A heartbeat written just before the stall may still be in flight;
    // after the stall ends the queued frame goes first, so a stall that
    // leaked heartbeats would show several of them here, not one.
    let mut first = stalled
        .next_block()
        .await
        .expect("stream survives the stall");
    if first == ": heartbeat" {
        first = stalled
            .next_block()
            .await
            .expect("stream survives the stall");
    }
    let silent_for = asked.elapsed();
    assert!(
        silent_for >= Duration::from_millis(1400),
        "output resumed after {silent_for:?}"
    );
    assert!(
        first.contains("during-stall"),
        "queued frames follow the stall: {first}"
    );
}

#[tokio::test]
async fn drop_closes_every_open_stream() {
    let sim = start_control(Duration::from_millis(200), 256).await;
    let mut ana = sim.stream("demo-ana").await;
    let mut ben = sim.stream("demo-ben").await;
    assert_eq!(sim.control("/_sim/drop", json!({})).await["closed"], 2);
    ana.expect_closed().await;
    ben.expect_closed().await;
    let again = sim.stream("demo-ana").await;
    drop(again);
}

#[tokio::test]
async fn revoked_tokens_get_401_and_their_streams_close_until_restored() {
    let sim = start_control(Duration::from_millis(200), 256).await;
    let mut ana = sim.stream("demo-ana").await;
    let mut ben = sim.stream("demo-ben").await;
    assert_eq!(
        sim.control("/_sim/revoke", json!({"token": "demo-ana"}))
            .await["closed"],
        1
    );
    ana.expect_closed().await;
    assert_eq!(sim.get("demo-ana", "/api/v1/me").await.status(), 401);
    let refused = sim.get("demo-ana", "/api/v1/events").await;
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["error"], "unauthorized");
    sim.marker("still-alive").await;
    assert_eq!(
        ben.next_subject().await,
        "still-alive",
        "other tokens unaffected"
    );
    assert_eq!(sim.stats().await["stream_requests"]["401"], 1);
    sim.control("/_sim/restore", json!({"token": "demo-ana"}))
        .await;
    assert_eq!(sim.get("demo-ana", "/api/v1/me").await.status(), 200);
    let _back = sim.stream("demo-ana").await;
    let unknown = sim
        .http
        .post(format!("{}/_sim/revoke", sim.url))
        .json(&json!({"token": "nope"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn scope_failure_closes_streams_and_answers_503_with_retry_after() {
    let sim = start_control(Duration::from_millis(200), 256).await;
    let mut ana = sim.stream("demo-ana").await;
    let mut ben = sim.stream("demo-ben").await;
    assert_eq!(
        sim.control("/_sim/scope-fail", json!({"user": "u-ana", "on": true}))
            .await["closed"],
        1
    );
    ana.expect_closed().await;
    let refused = sim.get("demo-ana", "/api/v1/events").await;
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["error"], "scope_unavailable");
    assert_eq!(
        sim.get("demo-ana", "/api/v1/me").await.status(),
        200,
        "REST still works"
    );
    sim.marker("ben-fine").await;
    assert_eq!(ben.next_subject().await, "ben-fine");
    assert_eq!(sim.stats().await["stream_requests"]["503"], 1);
    sim.control("/_sim/scope-fail", json!({"user": "u-ana", "on": false}))
        .await;
    let _back = sim.stream("demo-ana").await;
}

#[tokio::test]
async fn shutdown_closes_streams_and_stops_the_server() {
    let Sim { sim, url, http } = start_control(Duration::from_secs(20), 256).await;
    let response = http
        .get(format!("{url}/api/v1/events"))
        .bearer_auth("demo-ana")
        .send()
        .await
        .expect("answered");
    let mut sse = common::Sse::new(response);
    assert!(sse.next_block().await.is_some());
    common::within("the shutdown", sim.shutdown()).await;
    sse.expect_closed().await;
    assert!(
        http.get(format!("{url}/api/v1/me")).send().await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn rest_fail_answers_503_for_the_next_requests_only() {
    let sim = start_control(Duration::from_secs(20), 256).await;
    assert_eq!(
        sim.control("/_sim/rest-fail", json!({"count": 2})).await["armed"],
        2
    );
    for _ in 0..2 {
        let response = sim.get("demo-ana", "/api/v1/notifications/summary").await;
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "1");
    }
    let response = sim.get("demo-ana", "/api/v1/notifications/summary").await;
    assert_eq!(response.status(), 200);
}
