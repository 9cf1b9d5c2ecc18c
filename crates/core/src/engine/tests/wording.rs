//! Rule 11: pop-up text and deep links.

use serde_json::json;

use super::*;
use crate::engine::PopupKind;
use crate::engine::text::is_bidi_control;
use crate::event::Severity;

#[test]
fn assignment_popup_says_what_and_where() {
    let mut engine = engine();
    let input = frame(
        json!({"type": "finding_assigned", "company_id": "c-acme", "payload": {
        "finding_id": "f-102", "title": "SQL injection in /login", "severity": "critical",
        "assignee_ids": [ME], "correlation_id": "3f1c", "subject_type": "finding", "subject_id": "f-102"}}),
    );
    let popup = popups(&engine.handle(input, at(0))).remove(0);
    assert_eq!(
        popup,
        Popup {
            kind: PopupKind::Event,
            event_type: Some("finding_assigned".into()),
            title: "Assigned to you: SQL injection in /login".into(),
            body: "Critical · Acme Corp".into(),
            severity: Some(Severity::Critical),
            urgent: true,
            url: Some("https://pmap.example.com/findings/f-102".into()),
            notification_id: None,
            sound: true,
        }
    );
}

#[test]
fn event_titles_and_links_per_type() {
    // (frame, title, body, url path)
    let cases = [
        (
            json!({"type": "sla_breached", "company_id": "c-globex", "payload": {"finding_id": "f-1", "title": "Weak TLS", "severity": "high"}}),
            "SLA breached: Weak TLS",
            "High · Globex",
            "/findings/f-1",
        ),
        (
            json!({"type": "report_generated", "company_id": "c-other", "payload": {"report_id": "r 1", "title": "Q4 pentest"}}),
            "Report generated: Q4 pentest",
            "c-other",
            "/reports/r%201",
        ),
        (
            json!({"type": "scan_completed", "company_id": null, "payload": {"scan_id": "../x"}}),
            "Scan completed: ../x",
            "PMAP",
            "/scans/..%2Fx",
        ),
        (
            json!({"type": "approval_requested", "company_id": "c-acme", "payload": {"approval_request_id": "a-9", "title": "Accept risk", "severity": "low"}}),
            "Approval requested: Accept risk",
            "Low · Acme Corp",
            "/approvals/a-9",
        ),
        (
            json!({"type": "sla_escalated", "company_id": "c-acme", "payload": {"title": "No subject"}}),
            "SLA escalated: No subject",
            "Acme Corp",
            "/notifications",
        ),
    ];
    // scan_completed pops up only when switched on; the rest by default.
    let mut prefs = LocalPrefs::default();
    prefs.popup.insert("scan_completed".into(), true);
    for (data, title, body, path) in cases {
        let mut engine = engine_with(prefs.clone());
        let popup = popups(&engine.handle(frame(data.clone()), at(0))).remove(0);
        assert_eq!(popup.title, title, "{data}");
        assert_eq!(popup.body, body, "{data}");
        assert_eq!(popup.url, Some(format!("{ORIGIN}{path}")), "{data}");
    }
}

#[test]
fn notification_popup_uses_the_row_and_carries_its_id() {
    let mut engine = engine();
    let input = frame(
        json!({"type": "notification_created", "company_id": "c-acme", "payload": {
        "user_id": ME, "notification": {"id": "n-42", "user_id": ME, "type": "alert",
        "event_type": "sla_escalated", "title": "SLA escalated: Weak TLS", "body": "Fix by Friday",
        "data": {"finding_id": "f-7", "severity": "medium"}, "read": false}}}),
    );
    let popup = popups(&engine.handle(input, at(0))).remove(0);
    assert_eq!(popup.title, "SLA escalated: Weak TLS");
    assert_eq!(popup.body, "Fix by Friday\nMedium · Acme Corp");
    assert_eq!(popup.notification_id.as_deref(), Some("n-42"));
    assert_eq!(
        popup.url.as_deref(),
        Some("https://pmap.example.com/findings/f-7")
    );
}

#[test]
fn links_are_built_on_the_origin_even_with_a_trailing_slash() {
    let mut config = config(LocalPrefs::default());
    config.server_origin = "https://pmap.example.com/".into();
    let mut engine = Engine::new(config, ReminderLedger::new());
    let popup = popups(&engine.handle(assigned("f-1", "high", &[ME], "c"), at(0))).remove(0);
    assert_eq!(
        popup.url.as_deref(),
        Some("https://pmap.example.com/findings/f-1")
    );
}

#[test]
fn hostile_titles_are_clipped() {
    let mut engine = engine();
    let long = "x".repeat(10_000);
    let input =
        frame(json!({"type": "sla_breached", "payload": {"finding_id": "f-1", "title": long}}));
    let popup = popups(&engine.handle(input, at(0))).remove(0);
    assert!(popup.title.chars().count() <= 121);
}

#[test]
fn bidi_controls_in_server_text_are_dropped() {
    let mut engine = engine();
    // U+202E (right-to-left override) would show "Invoice exe.pdf"; the
    // isolates and embeddings are dropped as well. Hebrew stays.
    let title = "Invoice \u{202E}fdp.exe \u{2067}x\u{2069} \u{202B}y\u{202C} שלום";
    let input =
        frame(json!({"type": "sla_breached", "payload": {"finding_id": "f-1", "title": title}}));
    let popup = popups(&engine.handle(input, at(0))).remove(0);
    assert_eq!(popup.title, "SLA breached: Invoice fdp.exe x y שלום");
    let text = format!("{}{}", popup.title, popup.body);
    assert!(!text.chars().any(is_bidi_control), "{popup:?}");
}

#[test]
fn effects_print_as_tagged_json_lines() {
    let cases = [
        (Effect::SetBadge(3), r#"{"effect":"set_badge","value":3}"#),
        (Effect::FetchSummary, r#"{"effect":"fetch_summary"}"#),
        (
            Effect::PlaySound {
                event_type: "sla_breached".into(),
            },
            r#"{"effect":"play_sound","value":{"event_type":"sla_breached"}}"#,
        ),
        (
            Effect::SetPause(None),
            r#"{"effect":"set_pause","value":null}"#,
        ),
    ];
    for (effect, json) in cases {
        assert_eq!(serde_json::to_string(&effect).expect("serialize"), json);
        assert_eq!(
            serde_json::from_str::<Effect>(json).expect("deserialize"),
            effect
        );
    }
}
