//! REST conformance over real HTTP: identity, auth, inbox, preferences,
//! and JSON errors for every kind of bad input.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{Sim, is_nanos_utc, start, start_control};
use pmap_sim::SimConfig;
use serde_json::{Value, json};

async fn sim() -> Sim {
    start_control(Duration::from_secs(20), 256).await
}

#[tokio::test]
async fn me_describes_each_fixture_user() {
    let sim = sim().await;
    let cases = [
        (
            "demo-admin",
            "u-admin",
            "admin",
            vec!["c-acme", "c-globex", "c-initech"],
        ),
        ("demo-ana", "u-ana", "analyst", vec!["c-acme", "c-globex"]),
        ("demo-ben", "u-ben", "analyst", vec!["c-initech"]),
    ];
    for (token, id, role, companies) in cases {
        let (status, me) = sim.get_json(token, "/api/v1/me").await;
        assert_eq!(status, 200);
        assert_eq!(me["id"], id);
        assert_eq!(me["role"], role);
        assert!(me["email"].is_string() && me["name"].is_string());
        let ids: Vec<&str> = me["companies"]
            .as_array()
            .expect("companies list")
            .iter()
            .map(|c| {
                assert!(c["name"].is_string());
                c["id"].as_str().expect("company id")
            })
            .collect();
        assert_eq!(ids, companies);
    }
    let (_, ana) = sim.get_json("demo-ana", "/api/v1/me").await;
    assert_eq!(ana["name"], "Ana Analyst");
    assert_eq!(
        ana["companies"][0],
        json!({"id": "c-acme", "name": "Acme Corp"})
    );
}

#[tokio::test]
async fn missing_or_bad_tokens_get_401_json_everywhere() {
    let sim = sim().await;
    for path in [
        "/api/v1/me",
        "/api/v1/notifications",
        "/api/v1/calendar",
        "/api/v1/events",
    ] {
        let bare = sim
            .http
            .get(format!("{}{path}", sim.url))
            .send()
            .await
            .expect("answered");
        assert_eq!(bare.status(), 401, "{path}");
        let body: Value = bare.json().await.expect("JSON error");
        assert_eq!(body["error"], "unauthorized");
        assert!(body["message"].is_string());
        let (status, body) = sim.get_json("demo-nobody", path).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized")),
            "{path}"
        );
    }
    let basic = sim
        .http
        .get(format!("{}/api/v1/me", sim.url))
        .basic_auth("demo-ana", Some("x"))
        .send()
        .await
        .expect("answered");
    assert_eq!(basic.status(), 401);
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

async fn put_preferences(sim: &Sim, token: &str, body: &Value) -> (u16, Value) {
    let response = sim
        .http
        .put(format!("{}/api/v1/notifications/preferences", sim.url))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("PUT answered");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[tokio::test]
async fn preferences_round_trip_and_replace_the_whole_matrix() {
    let sim = sim().await;
    let (status, stored) = sim
        .get_json("demo-ana", "/api/v1/notifications/preferences")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        stored["preferences"]["asset_updated"], false,
        "legacy key as stored"
    );
    assert_eq!(
        stored["preferences"]["in_app.asset_updated"], true,
        "namespaced key as stored"
    );
    let matrix = json!({"preferences": {"finding_created": false, "email.sla_breached": true, "webhook.report_ready": false}});
    let (status, echoed) = put_preferences(&sim, "demo-ana", &matrix).await;
    assert_eq!((status, &echoed), (200, &matrix));
    let (_, stored) = sim
        .get_json("demo-ana", "/api/v1/notifications/preferences")
        .await;
    assert_eq!(stored, matrix, "PUT replaces, it does not merge");
    let (_, ben) = sim
        .get_json("demo-ben", "/api/v1/notifications/preferences")
        .await;
    assert_ne!(ben, matrix);
}

#[tokio::test]
async fn preferences_reject_unknown_types_channels_and_values_with_422() {
    let sim = sim().await;
    let bad = [
        json!({"preferences": {"coffee_ready": true}}),
        json!({"preferences": {"pager.finding_created": true}}),
        json!({"preferences": {"in_app.coffee_ready": true}}),
        json!({"preferences": {"finding_created": "yes"}}),
        json!({"preferences": ["finding_created"]}),
        json!({"finding_created": true}),
    ];
    for body in bad {
        let (status, error) = put_preferences(&sim, "demo-ana", &body).await;
        assert_eq!(
            (status, error["error"].as_str()),
            (422, Some("invalid")),
            "{body}"
        );
    }
    let (_, stored) = sim
        .get_json("demo-ana", "/api/v1/notifications/preferences")
        .await;
    assert_eq!(
        stored["preferences"]["asset_updated"], false,
        "nothing stored on failure"
    );
}

#[test]
fn effective_preference_lookup_namespaced_beats_legacy_missing_enabled() {
    use std::collections::BTreeMap;
    let matrix: BTreeMap<String, bool> = [
        ("sla_breached", false),
        ("in_app.sla_breached", true),
        ("email.report_ready", false),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert!(pmap_sim::preference_enabled(
        &matrix,
        "in_app",
        "sla_breached"
    ));
    assert!(!pmap_sim::preference_enabled(
        &matrix,
        "slack",
        "sla_breached"
    ));
    assert!(!pmap_sim::preference_enabled(
        &matrix,
        "email",
        "report_ready"
    ));
    assert!(pmap_sim::preference_enabled(
        &matrix,
        "in_app",
        "report_ready"
    ));
    assert!(pmap_sim::preference_enabled(
        &matrix,
        "teams",
        "scan_completed"
    ));
}

#[tokio::test]
async fn bad_input_always_gets_a_json_error() {
    let sim = sim().await;
    let prefs = format!("{}/api/v1/notifications/preferences", sim.url);
    let send = |request: reqwest::RequestBuilder| async move {
        let response = request.send().await.expect("answered");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("every error is JSON");
        assert!(
            body["error"].is_string() && body["message"].is_string(),
            "{body}"
        );
        (
            status,
            body["error"].as_str().unwrap_or_default().to_string(),
        )
    };
    let malformed = sim
        .http
        .put(&prefs)
        .bearer_auth("demo-ana")
        .header("content-type", "application/json")
        .body("{\"preferences\":");
    assert_eq!(send(malformed).await, (400, "bad_request".into()));
    let oversized = format!(
        "{{\"preferences\":{{\"x\":\"{}\"}}}}",
        "a".repeat(70 * 1024)
    );
    let big = sim
        .http
        .put(&prefs)
        .bearer_auth("demo-ana")
        .header("content-type", "application/json")
        .body(oversized);
    assert_eq!(send(big).await, (413, "payload_too_large".into()));
    let wrong_method = sim
        .http
        .delete(format!("{}/api/v1/me", sim.url))
        .bearer_auth("demo-ana");
    assert_eq!(send(wrong_method).await, (405, "method_not_allowed".into()));
    let unknown = sim
        .http
        .get(format!("{}/api/v2/everything", sim.url))
        .bearer_auth("demo-ana");
    assert_eq!(send(unknown).await, (404, "not_found".into()));
    let bad_control = sim
        .http
        .post(format!("{}/_sim/flood", sim.url))
        .header("content-type", "application/json")
        .body("[1,");
    assert_eq!(send(bad_control).await, (400, "bad_request".into()));
    let wrong_shape = sim
        .http
        .post(format!("{}/_sim/stall", sim.url))
        .json(&json!({"seconds": "long"}));
    assert_eq!(send(wrong_shape).await, (422, "invalid".into()));
}

#[tokio::test]
async fn control_endpoints_are_404_without_the_flag() {
    let sim = start(SimConfig::default()).await;
    for path in [
        "/_sim/emit",
        "/_sim/drop",
        "/_sim/stall",
        "/_sim/revoke",
        "/_sim/scope-fail",
        "/_sim/inbox",
        "/_sim/flood",
        "/_sim/raw",
    ] {
        let response = sim
            .http
            .post(format!("{}{path}", sim.url))
            .json(&json!({}))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 404, "{path}");
    }
    let (status, body) = sim.get_json("demo-admin", "/_sim/stats").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn control_refuses_to_start_on_a_non_loopback_address() {
    let config = SimConfig {
        control: true,
        addr: "0.0.0.0:0".parse().expect("addr"),
        ..SimConfig::default()
    };
    let error = pmap_sim::start(config)
        .await
        .expect_err("control must stay on loopback");
    assert!(
        matches!(error, pmap_sim::SimError::ControlNotLoopback(_)),
        "{error}"
    );
}
