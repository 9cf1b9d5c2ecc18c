//! Inbox conformance over real HTTP: cursor paging, filters, summary,
//! mark read and read-all.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{Sim, is_nanos_utc, start_control};
use serde_json::{Value, json};

async fn sim() -> Sim {
    start_control(Duration::from_secs(20), 256).await
}

#[tokio::test]
async fn inbox_pages_default_to_25_newest_first_with_nanosecond_cursors() {
    let sim = sim().await;
    let (status, page) = sim.get_json("demo-ana", "/api/v1/notifications").await;
    assert_eq!(status, 200);
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 25);
    let times: Vec<&str> = items
        .iter()
        .map(|r| r["created_at"].as_str().expect("created_at"))
        .collect();
    assert!(times.iter().all(|t| is_nanos_utc(t)), "{times:?}");
    assert!(
        times.windows(2).all(|w| w[0] > w[1]),
        "newest first, unique"
    );
    assert_eq!(page["next_cursor"], json!(times[24]));
    for row in items {
        assert_eq!(row["user_id"], "u-ana");
        assert!(matches!(
            row["type"].as_str(),
            Some("alert" | "info" | "reminder")
        ));
        for key in ["id", "event_type", "title", "body", "data", "read"] {
            assert!(row.get(key).is_some(), "{key}");
        }
    }
    let (_, next) = sim
        .get_json(
            "demo-ana",
            &format!("/api/v1/notifications?cursor={}", times[24]),
        )
        .await;
    let next_items = next["items"].as_array().expect("items");
    assert!(!next_items.is_empty());
    assert!(
        next_items
            .iter()
            .all(|r| r["created_at"].as_str() < Some(times[24]))
    );
}

#[tokio::test]
async fn inbox_rejects_bad_limits_and_cursors_with_400_json() {
    let sim = sim().await;
    for query in [
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=ten",
        "cursor=yesterday",
        "read=maybe",
    ] {
        let (status, body) = sim
            .get_json("demo-ana", &format!("/api/v1/notifications?{query}"))
            .await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"], "bad_request", "{query}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    for limit in [1, 100] {
        let (status, _) = sim
            .get_json("demo-ana", &format!("/api/v1/notifications?limit={limit}"))
            .await;
        assert_eq!(status, 200);
    }
}

#[tokio::test]
async fn inbox_filters_by_read_state_and_event_type() {
    let sim = sim().await;
    let (_, unread) = sim
        .get_json("demo-ana", "/api/v1/notifications?read=false&limit=100")
        .await;
    let (_, read) = sim
        .get_json("demo-ana", "/api/v1/notifications?read=true&limit=100")
        .await;
    let (_, summary) = sim
        .get_json("demo-ana", "/api/v1/notifications/summary")
        .await;
    let unread = unread["items"].as_array().expect("items").clone();
    let read = read["items"].as_array().expect("items").clone();
    assert!(unread.iter().all(|r| r["read"] == false) && !unread.is_empty());
    assert!(read.iter().all(|r| r["read"] == true) && !read.is_empty());
    assert_eq!(summary["unread"], json!(unread.len()));
    assert_eq!(summary["total"], json!(unread.len() + read.len()));
    let (_, assigned) = sim
        .get_json(
            "demo-ana",
            "/api/v1/notifications?event_type=finding_assigned&limit=100",
        )
        .await;
    let assigned = assigned["items"].as_array().expect("items");
    assert!(!assigned.is_empty());
    assert!(
        assigned
            .iter()
            .all(|r| r["event_type"] == "finding_assigned")
    );
}

#[tokio::test]
async fn rows_are_made_only_for_the_types_that_create_inbox_rows() {
    let sim = sim().await;
    let expired = sim
        .control(
            "/_sim/inbox",
            json!({"user": "u-ana", "event_type": "approval_exception_expired"}),
        )
        .await;
    let row = &expired["items"][0];
    assert_eq!(row["event_type"], "approval_exception_expired");
    assert_eq!(row["type"], "reminder");
    assert!(row["data"]["approval_request_id"].is_string(), "{row}");
    for event_type in [
        "finding_updated",
        "asset_created",
        "vcs_push",
        "scan_failed",
    ] {
        let response = sim
            .http
            .post(format!("{}/_sim/inbox", sim.url))
            .json(&json!({"user": "u-ana", "event_type": event_type}))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 422, "{event_type}");
    }
}

#[tokio::test]
async fn inbox_paging_stays_stable_while_rows_arrive() {
    let sim = sim().await;
    let (_, all) = sim
        .get_json("demo-ana", "/api/v1/notifications?limit=100")
        .await;
    let before: Vec<Value> = all["items"].as_array().expect("items")[..20]
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    let (_, first) = sim
        .get_json("demo-ana", "/api/v1/notifications?limit=10")
        .await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("more pages")
        .to_string();
    let created = sim
        .control("/_sim/inbox", json!({"user": "u-ana", "count": 3}))
        .await;
    assert_eq!(created["items"].as_array().map(Vec::len), Some(3));
    let (_, second) = sim
        .get_json(
            "demo-ana",
            &format!("/api/v1/notifications?limit=10&cursor={cursor}"),
        )
        .await;
    let ids: Vec<Value> = first["items"]
        .as_array()
        .into_iter()
        .chain(second["items"].as_array())
        .flatten()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(
        ids, before,
        "pages after an insert continue exactly where they were"
    );
    let (_, head) = sim
        .get_json("demo-ana", "/api/v1/notifications?limit=3")
        .await;
    let mut newest_first = created["items"].as_array().expect("created rows").clone();
    newest_first.reverse();
    assert_eq!(head["items"], Value::Array(newest_first));
}

#[tokio::test]
async fn inbox_walks_to_the_end_with_null_next_cursor() {
    let sim = sim().await;
    let mut seen = HashSet::new();
    let mut path = "/api/v1/notifications?limit=7".to_string();
    loop {
        let (status, page) = sim.get_json("demo-ben", &path).await;
        assert_eq!(status, 200);
        for row in page["items"].as_array().expect("items") {
            assert!(
                seen.insert(row["id"].as_str().expect("id").to_string()),
                "no duplicates"
            );
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/notifications?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    let (_, summary) = sim
        .get_json("demo-ben", "/api/v1/notifications/summary")
        .await;
    assert_eq!(summary["total"], json!(seen.len()));
}

#[tokio::test]
async fn mark_read_is_204_and_404_for_rows_of_others() {
    let sim = sim().await;
    let (_, page) = sim
        .get_json("demo-ana", "/api/v1/notifications?read=false&limit=1")
        .await;
    let id = page["items"][0]["id"]
        .as_str()
        .expect("an unread row")
        .to_string();
    let (_, before) = sim
        .get_json("demo-ana", "/api/v1/notifications/summary")
        .await;
    let ben = sim
        .post("demo-ben", &format!("/api/v1/notifications/{id}/read"))
        .await;
    assert_eq!(ben.status(), 404, "someone else's row is not found");
    let body: Value = ben.json().await.expect("JSON error");
    assert_eq!(body["error"], "not_found");
    assert_eq!(
        sim.post("demo-ana", "/api/v1/notifications/n-nope/read")
            .await
            .status(),
        404
    );
    assert_eq!(
        sim.post("demo-ana", &format!("/api/v1/notifications/{id}/read"))
            .await
            .status(),
        204
    );
    assert_eq!(
        sim.post("demo-ana", &format!("/api/v1/notifications/{id}/read"))
            .await
            .status(),
        204
    );
    let (_, after) = sim
        .get_json("demo-ana", "/api/v1/notifications/summary")
        .await;
    assert_eq!(
        after["unread"].as_u64(),
        before["unread"].as_u64().map(|n| n - 1)
    );
}

#[tokio::test]
async fn read_all_reports_updated_count_and_zeroes_unread() {
    let sim = sim().await;
    let (_, before) = sim
        .get_json("demo-ben", "/api/v1/notifications/summary")
        .await;
    let response = sim.post("demo-ben", "/api/v1/notifications/read-all").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["updated"], before["unread"]);
    let (_, after) = sim
        .get_json("demo-ben", "/api/v1/notifications/summary")
        .await;
    assert_eq!(after, json!({"total": before["total"], "unread": 0}));
    let again: Value = sim
        .post("demo-ben", "/api/v1/notifications/read-all")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(again["updated"], 0);
    let (_, ana) = sim
        .get_json("demo-ana", "/api/v1/notifications/summary")
        .await;
    assert_ne!(ana["unread"], 0, "other users are untouched");
}
