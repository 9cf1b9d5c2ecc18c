//! REST conformance over real HTTP: identity, auth, preferences,
//! and JSON errors for every kind of bad input.

mod common;

use std::time::Duration;

use common::{Sim, start, start_control};
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
    let matrix = json!({"preferences": {"finding_created": false, "email.sla_breached": true, "webhook.report_generated": false}});
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

#[tokio::test]
async fn preferences_accept_the_revised_catalog_and_refuse_removed_types() {
    let sim = sim().await;
    let revised = json!({"preferences": {
        "finding_retested": false,
        "in_app.finding_note_added": true,
        "email.finding_rescan_requested": false,
        "slack.approval_exception_expired": true,
        "teams.remote_scan_completed": false,
        "webhook.sla_escalated": true,
        "company_deleted": false,
        "in_app.assessment_run_completed": true,
        "email.findings_archived": false,
        "report_generated": true,
        "slack.vcs_pull_request": false,
        "sast_dispatched": true,
    }});
    let (status, echoed) = put_preferences(&sim, "demo-ana", &revised).await;
    assert_eq!((status, &echoed), (200, &revised));
    // Names the catalog revision removed are unknown types now.
    let removed = [
        "sla_warning",
        "in_app.scan_failed",
        "email.report_ready",
        "finding_comment_added",
        "slack.approval_granted",
        "teams.maintenance_scheduled",
        "webhook.pull_request_opened",
    ];
    for key in removed {
        let body = json!({"preferences": {key: false, "finding_created": true}});
        let (status, error) = put_preferences(&sim, "demo-ana", &body).await;
        assert_eq!(
            (status, error["error"].as_str()),
            (422, Some("invalid")),
            "{key}"
        );
    }
    let (_, stored) = sim
        .get_json("demo-ana", "/api/v1/notifications/preferences")
        .await;
    assert_eq!(stored, revised, "a refused body stores nothing");
}

#[test]
fn effective_preference_lookup_namespaced_beats_legacy_missing_enabled() {
    use std::collections::BTreeMap;
    let matrix: BTreeMap<String, bool> = [
        ("sla_breached", false),
        ("in_app.sla_breached", true),
        ("email.report_generated", false),
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
        "report_generated"
    ));
    assert!(pmap_sim::preference_enabled(
        &matrix,
        "in_app",
        "report_generated"
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

/// Status and error code of a control request.
async fn answer(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON answer");
    (status, body["error"].as_str().unwrap_or("").to_string())
}

#[tokio::test]
async fn control_answers_only_a_loopback_host_header() {
    let sim = sim().await;
    let port = sim.url.rsplit(':').next().expect("port").to_string();
    for foreign in [
        format!("evil.test:{port}"),
        "evil.test".to_string(),
        format!("127.0.0.1.evil.test:{port}"),
        format!("localhost.evil.test:{port}"),
    ] {
        let stats = sim
            .http
            .get(format!("{}/_sim/stats", sim.url))
            .header("host", &foreign);
        assert_eq!(answer(stats).await, (403, "forbidden".into()), "{foreign}");
        let revoke = sim
            .http
            .post(format!("{}/_sim/revoke", sim.url))
            .header("host", &foreign)
            .json(&json!({"token": "demo-ana"}));
        assert_eq!(answer(revoke).await, (403, "forbidden".into()), "{foreign}");
    }
    assert_eq!(
        sim.get("demo-ana", "/api/v1/me").await.status(),
        200,
        "a refused revoke changed nothing"
    );
    for loopback in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        let stats = sim
            .http
            .get(format!("{}/_sim/stats", sim.url))
            .header("host", &loopback)
            .send()
            .await
            .expect("answered");
        assert_eq!(stats.status(), 200, "{loopback}");
    }
}

#[tokio::test]
async fn control_posts_without_a_json_content_type_are_refused_with_415() {
    let sim = sim().await;
    let url = format!("{}/_sim/revoke", sim.url);
    let refused = [
        // What a cross-site page can send without a preflight.
        sim.http.post(&url),
        sim.http
            .post(&url)
            .header("content-type", "text/plain")
            .body(r#"{"token":"demo-ana"}"#),
        sim.http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("token=demo-ana"),
    ];
    for request in refused {
        assert_eq!(
            answer(request).await,
            (415, "unsupported_media_type".into())
        );
    }
    let drop = sim.http.post(format!("{}/_sim/drop", sim.url));
    assert_eq!(answer(drop).await, (415, "unsupported_media_type".into()));
    assert_eq!(
        sim.get("demo-ana", "/api/v1/me").await.status(),
        200,
        "no refused revoke took effect"
    );
    let json = sim
        .http
        .post(&url)
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"token":"demo-ana"}"#);
    assert_eq!(answer(json).await.0, 200);
    assert_eq!(sim.get("demo-ana", "/api/v1/me").await.status(), 401);
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
