//! Calendar conformance: window defaults and validation, scope, company
//! filter and personal mode.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::{Sim, is_nanos_utc, start_control};
use serde_json::Value;

async fn sim() -> Sim {
    start_control(Duration::from_secs(20), 256).await
}

fn at(text: &Value) -> DateTime<Utc> {
    text.as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .expect("an RFC 3339 timestamp")
}

fn items(calendar: &Value) -> &Vec<Value> {
    calendar["items"].as_array().expect("items list")
}

const TERMINAL: [&str; 4] = ["closed", "resolved", "accepted_risk", "false_positive"];

#[tokio::test]
async fn calendar_defaults_to_one_month_back_two_ahead_sorted_with_all_fields() {
    let sim = sim().await;
    let (status, calendar) = sim.get_json("demo-admin", "/api/v1/calendar").await;
    assert_eq!(status, 200);
    let (from, to) = (at(&calendar["from"]), at(&calendar["to"]));
    assert!(is_nanos_utc(calendar["from"].as_str().unwrap_or_default()));
    let now = Utc::now();
    let back = (now - from).num_days();
    let ahead = (to - now).num_days();
    assert!((27..=31).contains(&back), "from is ~1 month back: {back}");
    assert!((58..=62).contains(&ahead), "to is ~2 months ahead: {ahead}");
    let items = items(&calendar);
    let kinds: HashSet<&str> = items.iter().filter_map(|i| i["kind"].as_str()).collect();
    for kind in [
        "project_start",
        "project_end",
        "scan_scheduled",
        "scan_running",
        "sla_deadline",
        "retest_due",
        "agreement_expiry",
    ] {
        assert!(kinds.contains(kind), "{kind} present");
    }
    for item in items {
        for key in [
            "id",
            "kind",
            "title",
            "at",
            "all_day",
            "entity_type",
            "entity_id",
            "severity",
            "status",
            "company_id",
            "company_name",
        ] {
            assert!(item.get(key).is_some(), "{key} in {item}");
        }
        assert!(is_nanos_utc(item["at"].as_str().unwrap_or_default()));
        let when = at(&item["at"]);
        assert!(from <= when && when <= to);
        let is_finding = item["entity_type"] == "finding";
        assert_eq!(item["severity"].is_string(), is_finding, "{item}");
        if item["kind"] == "sla_deadline" {
            assert!(
                !TERMINAL.contains(&item["status"].as_str().unwrap_or_default()),
                "{item}"
            );
        }
    }
    assert!(
        items.windows(2).all(|w| at(&w[0]["at"]) <= at(&w[1]["at"])),
        "sorted by at"
    );
}

#[tokio::test]
async fn calendar_validates_its_window() {
    let sim = sim().await;
    let bad = [
        "from=2026-11-02&to=2026-11-01",
        "from=2026-01-01&to=2027-01-03",
        "from=tomorrow",
        "to=2026-13-01",
        "mine=perhaps",
    ];
    for query in bad {
        let (status, body) = sim
            .get_json("demo-ana", &format!("/api/v1/calendar?{query}"))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("bad_request")),
            "{query}"
        );
    }
    let (status, body) = sim
        .get_json("demo-ana", "/api/v1/calendar?from=2026-11-01&to=2026-11-30")
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["from"], "2026-11-01T00:00:00.000000000Z");
    assert_eq!(body["to"], "2026-11-30T23:59:59.999999999Z");
    let (status, body) = sim
        .get_json(
            "demo-ana",
            "/api/v1/calendar?from=2026-11-01T10:00:00%2B02:00&to=2026-11-02T00:00:00Z",
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["from"], "2026-11-01T08:00:00.000000000Z");
}

#[tokio::test]
async fn analysts_only_see_their_companies_and_filters_narrow() {
    let sim = sim().await;
    let (_, ana) = sim.get_json("demo-ana", "/api/v1/calendar").await;
    assert!(
        items(&ana)
            .iter()
            .all(|i| matches!(i["company_id"].as_str(), Some("c-acme" | "c-globex")))
    );
    let (_, ben) = sim.get_json("demo-ben", "/api/v1/calendar").await;
    assert!(!items(&ben).is_empty());
    assert!(
        items(&ben)
            .iter()
            .all(|i| i["company_id"] == "c-initech" && i["company_name"] == "Initech")
    );
    let (_, globex) = sim
        .get_json("demo-ana", "/api/v1/calendar?company_id=c-globex")
        .await;
    assert!(!items(&globex).is_empty());
    assert!(items(&globex).iter().all(|i| i["company_id"] == "c-globex"));
    let (status, hidden) = sim
        .get_json("demo-ana", "/api/v1/calendar?company_id=c-initech")
        .await;
    assert_eq!(status, 200);
    assert!(
        items(&hidden).is_empty(),
        "an invisible company is just empty"
    );
}

#[tokio::test]
async fn personal_mode_lists_only_direct_live_deadlines_deduplicated() {
    let sim = sim().await;
    let (status, mine) = sim.get_json("demo-ana", "/api/v1/calendar?mine=true").await;
    assert_eq!(status, 200);
    let (_, all) = sim.get_json("demo-ana", "/api/v1/calendar").await;
    let mine = items(&mine);
    let ids: Vec<&str> = mine.iter().filter_map(|i| i["id"].as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "deduplicated");
    assert!(
        mine.iter()
            .all(|i| matches!(i["kind"].as_str(), Some("sla_deadline" | "retest_due")))
    );
    assert!(
        unique.contains("sla_deadline:f-101"),
        "multi-assignee deadline once"
    );
    assert!(
        unique.contains("sla_deadline:f-102"),
        "overdue deadline kept"
    );
    assert!(unique.contains("retest_due:f-103"));
    assert!(
        !unique.contains("sla_deadline:f-105"),
        "terminal (accepted_risk) excluded"
    );
    assert!(
        !unique.contains("sla_deadline:f-109"),
        "colleague's finding excluded"
    );
    let everyone: HashSet<&str> = items(&all)
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(
        everyone.contains("sla_deadline:f-109"),
        "but the team calendar has it"
    );
    assert!(
        !everyone.contains("sla_deadline:f-105"),
        "terminal excluded there too"
    );
    assert!(unique.is_subset(&everyone));
    let now = Utc::now();
    assert!(mine.iter().any(|i| at(&i["at"]) < now), "some overdue");
    for item in mine {
        assert!(item["severity"].is_string() && item["company_name"].is_string());
        if item["kind"] == "sla_deadline" {
            assert!(!TERMINAL.contains(&item["status"].as_str().unwrap_or_default()));
        }
    }
    assert!(
        mine.windows(2).all(|w| at(&w[0]["at"]) <= at(&w[1]["at"])),
        "sorted"
    );
    let (_, ben) = sim.get_json("demo-ben", "/api/v1/calendar?mine=true").await;
    let ben_ids: HashSet<&str> = items(&ben)
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(ben_ids.contains("sla_deadline:f-107") && ben_ids.contains("retest_due:f-108"));
    assert!(ben_ids.is_disjoint(&unique));
}

#[tokio::test]
async fn an_added_deadline_joins_the_assignees_personal_calendar_only() {
    let sim = sim().await;
    let due = Utc::now() + chrono::Duration::hours(5);
    let added = sim
        .control(
            "/_sim/deadline",
            serde_json::json!({"user": "u-ana", "title": "Added SQL injection",
                "due_at": due.to_rfc3339(), "severity": "critical"}),
        )
        .await;
    let item_id = added["calendar_item_id"].as_str().expect("item id");
    let (_, mine) = sim.get_json("demo-ana", "/api/v1/calendar?mine=true").await;
    let found: Vec<&Value> = items(&mine).iter().filter(|i| i["id"] == item_id).collect();
    assert_eq!(found.len(), 1, "{mine}");
    assert_eq!(found[0]["kind"], "sla_deadline");
    assert_eq!(found[0]["severity"], "critical");
    assert_eq!(found[0]["title"], "SLA deadline: Added SQL injection");
    assert_eq!(at(&found[0]["at"]), due);
    let (_, ben) = sim.get_json("demo-ben", "/api/v1/calendar?mine=true").await;
    assert!(items(&ben).iter().all(|i| i["id"] != item_id));
    // Bad input is refused with a JSON error.
    for body in [
        serde_json::json!({"user": "u-nobody", "title": "x", "due_at": due.to_rfc3339()}),
        serde_json::json!({"user": "u-ana", "title": "x", "due_at": "tomorrow"}),
        serde_json::json!({"user": "u-ana", "title": "x", "due_at": due.to_rfc3339(), "severity": "dire"}),
    ] {
        let response = reqwest::Client::new()
            .post(format!("{}/_sim/deadline", sim.url))
            .json(&body)
            .send()
            .await
            .expect("answered");
        assert!(
            response.status().is_client_error(),
            "{body}: {}",
            response.status()
        );
    }
}
