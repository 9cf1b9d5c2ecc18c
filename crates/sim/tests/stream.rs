//! SSE conformance over real sockets: framing, heartbeats, scope and
//! owner-only notification events.

mod common;

use std::time::{Duration, Instant};

use common::{Sim, Sse, start_control, thin};
use serde_json::json;

async fn sim() -> Sim {
    start_control(Duration::from_millis(200), 256).await
}

#[tokio::test]
async fn stream_sends_headers_then_ping_then_heartbeats_at_the_cadence() {
    let sim = sim().await;
    let response = sim.get("demo-ana", "/api/v1/events").await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(header("content-type").as_deref(), Some("text/event-stream"));
    assert_eq!(header("cache-control").as_deref(), Some("no-cache"));
    let mut sse = Sse::new(response);
    assert_eq!(
        sse.next_block().await.as_deref(),
        Some("event: ping\ndata: {\"type\":\"ping\"}")
    );
    let started = Instant::now();
    for _ in 0..3 {
        assert_eq!(sse.next_block().await.as_deref(), Some(": heartbeat"));
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(500),
        "three 200 ms heartbeats took {elapsed:?}"
    );
}

#[tokio::test]
async fn stream_accepts_the_access_token_query_parameter() {
    let sim = sim().await;
    let response = sim
        .http
        .get(format!("{}/api/v1/events?access_token=demo-ben", sim.url))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let mut sse = Sse::new(response);
    assert!(
        sse.next_block()
            .await
            .is_some_and(|b| b.starts_with("event: ping"))
    );
    let bad = sim
        .http
        .get(format!("{}/api/v1/events?access_token=nope", sim.url))
        .send()
        .await
        .expect("answered");
    assert_eq!(bad.status(), 401);
}

#[tokio::test]
async fn event_frames_are_one_data_line_without_event_or_id() {
    let sim = sim().await;
    let mut ana = sim.stream("demo-ana").await;
    let envelope = thin("finding_assigned", Some("c-acme"), "f-102");
    sim.control("/_sim/emit", envelope.clone()).await;
    let block = loop {
        let block = ana.next_block().await.expect("open");
        if !block.starts_with(':') {
            break block;
        }
    };
    assert!(!block.contains('\n'), "one line: {block}");
    let data = block.strip_prefix("data: ").expect("data field");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(data).expect("JSON"),
        envelope
    );
}

#[tokio::test]
async fn company_scope_isolates_ana_and_ben_and_broadcasts_reach_all() {
    let sim = sim().await;
    let mut ana = sim.stream("demo-ana").await;
    let mut ben = sim.stream("demo-ben").await;
    let mut admin = sim.stream("demo-admin").await;
    sim.control(
        "/_sim/emit",
        thin("finding_created", Some("c-initech"), "f-initech-1"),
    )
    .await;
    sim.control(
        "/_sim/emit",
        thin("finding_created", Some("c-globex"), "f-globex-1"),
    )
    .await;
    sim.marker("broadcast-1").await;
    assert_eq!(ben.next_subject().await, "f-initech-1");
    assert_eq!(
        ben.next_subject().await,
        "broadcast-1",
        "ben never sees globex"
    );
    assert_eq!(
        ana.next_subject().await,
        "f-globex-1",
        "ana never sees initech"
    );
    assert_eq!(ana.next_subject().await, "broadcast-1");
    for expected in ["f-initech-1", "f-globex-1", "broadcast-1"] {
        assert_eq!(
            admin.next_subject().await,
            expected,
            "admin gets everything"
        );
    }
}

#[tokio::test]
async fn rich_payloads_are_scoped_by_tenant_and_sent_verbatim() {
    let sim = sim().await;
    let mut ana = sim.stream("demo-ana").await;
    let rich = json!({"schema_version": 1, "type": "scan_completed", "timestamp": "2026-11-24T09:15:02.123456789Z",
        "tenant": "c-initech", "correlation_id": "c1", "subject": {"type": "scan", "id": "s-9"}, "actor": null, "data": {}});
    let mut mine = rich.clone();
    mine["tenant"] = json!("c-acme");
    mine["subject"]["id"] = json!("s-10");
    sim.control("/_sim/emit", json!([rich, mine.clone()])).await;
    assert_eq!(ana.next_event().await, mine);
}

#[tokio::test]
async fn notification_events_go_only_to_their_owner() {
    let sim = sim().await;
    let mut ana = sim.stream("demo-ana").await;
    let mut ben = sim.stream("demo-ben").await;
    let mut admin = sim.stream("demo-admin").await;
    let mut note = thin("notification_created", None, "n-x");
    note["payload"]["user_id"] = json!("u-ana");
    note["payload"]["notification"] = json!({"id": "n-x"});
    sim.control("/_sim/emit", note.clone()).await;
    sim.marker("after-note").await;
    assert_eq!(ana.next_event().await, note);
    assert_eq!(ana.next_subject().await, "after-note");
    assert_eq!(
        ben.next_subject().await,
        "after-note",
        "not ben's notification"
    );
    assert_eq!(admin.next_subject().await, "after-note", "not even admin's");
}

#[tokio::test]
async fn mark_read_and_read_all_emit_to_the_owner_only() {
    let sim = sim().await;
    let mut ana = sim.stream("demo-ana").await;
    let mut ben = sim.stream("demo-ben").await;
    let (_, page) = sim
        .get_json("demo-ana", "/api/v1/notifications?read=false&limit=1")
        .await;
    let id = page["items"][0]["id"]
        .as_str()
        .expect("unread row")
        .to_string();
    assert_eq!(
        sim.post("demo-ana", &format!("/api/v1/notifications/{id}/read"))
            .await
            .status(),
        204
    );
    let event = ana.next_event().await;
    assert_eq!(event["type"], "notification_read");
    assert_eq!(event["payload"]["notification_id"], json!(id));
    assert_eq!(event["payload"]["user_id"], "u-ana");
    for key in [
        "schema_version",
        "correlation_id",
        "subject_type",
        "subject_id",
        "actor_type",
        "actor_id",
        "timestamp",
    ] {
        assert!(event["payload"].get(key).is_some(), "{key}");
    }
    assert_eq!(
        sim.post("demo-ana", &format!("/api/v1/notifications/{id}/read"))
            .await
            .status(),
        204
    );
    let (_, summary) = sim
        .get_json("demo-ana", "/api/v1/notifications/summary")
        .await;
    let updated: serde_json::Value = sim
        .post("demo-ana", "/api/v1/notifications/read-all")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(updated["updated"], summary["unread"]);
    let event = ana.next_event().await;
    assert_eq!(
        event["type"], "notification_all_read",
        "no event for the already-read row came first"
    );
    assert_eq!(event["payload"]["updated"], summary["unread"]);
    assert_eq!(event["payload"]["user_id"], "u-ana");
    sim.marker("after-reads").await;
    assert_eq!(ben.next_subject().await, "after-reads");
}

#[tokio::test]
async fn created_inbox_rows_are_announced_unless_emit_is_false() {
    let sim = sim().await;
    let mut ana = sim.stream("demo-ana").await;
    let mut ben = sim.stream("demo-ben").await;
    let silent = sim
        .control(
            "/_sim/inbox",
            json!({"user": "u-ana", "emit": false, "title": "lost frame"}),
        )
        .await;
    let loud = sim
        .control(
            "/_sim/inbox",
            json!({"user": "u-ana", "event_type": "sla_breached", "severity": "urgent"}),
        )
        .await;
    let event = ana.next_event().await;
    assert_eq!(event["type"], "notification_created");
    assert_eq!(
        event["payload"]["notification"], loud["items"][0],
        "the silent row was not announced"
    );
    assert_eq!(event["payload"]["user_id"], "u-ana");
    assert_eq!(loud["items"][0]["data"]["severity"], "urgent");
    assert_eq!(loud["items"][0]["type"], "alert");
    assert_eq!(silent["items"][0]["title"], "lost frame");
    sim.marker("after-rows").await;
    assert_eq!(ben.next_subject().await, "after-rows");
}

#[tokio::test]
async fn raw_text_and_floods_reach_the_streams() {
    // A long heartbeat so no comment lands between the two raw writes.
    let sim = start_control(Duration::from_secs(20), 256).await;
    let mut ana = sim.stream("demo-ana").await;
    sim.control(
        "/_sim/raw",
        json!({"text": "event: odd\r\nid: 7\r\ndata: {}\r\n\r\n"}),
    )
    .await;
    sim.control(
        "/_sim/raw",
        json!({"text": "data: garbage\n\n", "user": "u-ana"}),
    )
    .await;
    let block = ana.next_block().await.expect("raw frame");
    assert!(
        block.starts_with("event: odd\r\nid: 7\r\ndata: {}\r\n\r\ndata: garbage"),
        "{block:?}"
    );
    let flood = sim.control("/_sim/flood", json!({"count": 50})).await;
    assert_eq!(flood["events"], 50);
    let mut subjects = std::collections::HashSet::new();
    for _ in 0..50 {
        let event = ana.next_event().await;
        assert_eq!(event["type"], "finding_updated");
        assert_eq!(event["company_id"], "c-acme");
        subjects.insert(event["payload"]["subject_id"].to_string());
    }
    assert_eq!(subjects.len(), 50, "distinct subjects");
}

#[tokio::test]
async fn rate_load_streams_acme_updates_with_increasing_ids() {
    let config = pmap_sim::SimConfig {
        rate: Some(200.0),
        ..pmap_sim::SimConfig::default()
    };
    let sim = common::start(config).await;
    let mut ana = sim.stream("demo-ana").await;
    let mut last: Option<u64> = None;
    for _ in 0..40 {
        let event = ana.next_event().await;
        assert_eq!(event["type"], "finding_updated");
        assert_eq!(event["company_id"], "c-acme");
        let id = event["payload"]["subject_id"]
            .as_str()
            .and_then(|s| s.strip_prefix("f-rate-"))
            .and_then(|n| n.parse::<u64>().ok());
        let id = id.expect("subject ids are f-rate-<n>");
        assert!(
            last.is_none_or(|prev| id == prev + 1),
            "ids increase by one: {last:?} then {id}"
        );
        last = Some(id);
    }
    let mut ben = sim.stream("demo-ben").await;
    sim.sim.shutdown().await;
    ben.expect_closed().await;
}

#[tokio::test]
async fn raw_frames_can_be_five_mebibytes_and_start_with_a_bom() {
    let sim = start_control(Duration::from_secs(20), 256).await;
    let mut ana = sim.stream("demo-ana").await;
    let big = format!("\u{feff}data: {}\n\n", "y".repeat(5 * 1024 * 1024));
    let answer = sim.control("/_sim/raw", json!({"text": big})).await;
    assert_eq!(answer["delivered"], 1);
    let block = ana.next_block().await.expect("the big frame");
    assert_eq!(block.len() + 2, big.len());
    assert!(block.starts_with("\u{feff}data: yyy"));
}
