//! Rules 1–3: decoding, ownership, dedup and "one real change, one pop-up".

use serde_json::json;

use super::*;
use crate::engine::{Effect, PopupKind};

#[test]
fn malformed_frames_are_counted_and_skipped() {
    let mut engine = engine();
    let bad = [
        "",
        "{",
        "[]",
        "\"finding_assigned\"",
        r#"{"payload":{}}"#,
        r#"{"type":null,"payload":{}}"#,
        r#"{"type":"finding_assigned","payload":7}"#,
    ];
    for data in bad {
        let input = Input::Frame {
            event: "message".into(),
            data: data.into(),
        };
        assert_eq!(untimed(engine.handle(input, at(0))), [], "{data:?}");
    }
    assert_eq!(engine.stats().malformed, bad.len() as u64);
    assert_eq!(engine.stats().frames, bad.len() as u64);
}

#[test]
fn ping_frames_are_ignored() {
    let mut engine = engine();
    let cases = [
        ("ping", r#"{"type":"ping"}"#),
        ("message", r#"{"type":"ping"}"#),
        ("ping", ""),
    ];
    for (event, data) in cases {
        let input = Input::Frame {
            event: event.into(),
            data: data.into(),
        };
        assert_eq!(engine.handle(input, at(0)), [], "{event} {data:?}");
    }
    assert_eq!(engine.stats().pings, 3);
    assert_eq!(engine.stats().malformed, 0);
}

#[test]
fn unknown_types_pop_up_only_when_explicitly_enabled() {
    let unknown =
        || frame(json!({"type": "quantum_leap", "company_id": null, "payload": {"title": "Q"}}));
    let mut default = engine();
    assert_eq!(popups(&default.handle(unknown(), at(0))), []);
    assert_eq!(default.stats().suppressed_prefs, 1);

    let mut prefs = LocalPrefs::default();
    prefs.popup.insert("quantum_leap".into(), true);
    let mut opted_in = engine_with(prefs);
    assert_eq!(
        titles(&opted_in.handle(unknown(), at(0))),
        ["Quantum leap: Q"]
    );
}

#[test]
fn foreign_notifications_are_dropped_and_counted() {
    let mut engine = engine();
    engine.handle(
        Input::Summary {
            total: 9,
            unread: 4,
        },
        at(0),
    );
    let foreign = [
        created_for("u-ben", "n-1", "f-1", "high", false),
        frame(
            json!({"type": "notification_read", "payload": {"notification_id": "n-1", "user_id": "u-ben"}}),
        ),
        frame(
            json!({"type": "notification_all_read", "payload": {"user_id": "u-ben", "updated": 4}}),
        ),
        frame(json!({"type": "notification_all_read", "payload": {"updated": 4}})),
    ];
    let count = foreign.len() as u64;
    for input in foreign {
        assert_eq!(untimed(engine.handle(input, at(1))), []);
    }
    assert_eq!(engine.stats().foreign_notifications, count);
    assert_eq!(engine.unread(), Some(4));
}

#[test]
fn repeated_frames_are_duplicates() {
    let mut engine = engine();
    let first = engine.handle(assigned("f-1", "high", &[ME], "c-1"), at(0));
    let again = engine.handle(assigned("f-1", "high", &[ME], "c-1"), at(1));
    let rerun = engine.handle(created("n-1", "f-9", "low"), at(2));
    let rerun_again = engine.handle(created("n-1", "f-9", "low"), at(3));
    assert_eq!(popups(&first).len(), 1);
    assert_eq!(untimed(again), []);
    assert_eq!(popups(&rerun).len(), 1);
    assert_eq!(untimed(rerun_again), []);
    assert_eq!(engine.stats().duplicates, 2);
}

#[test]
fn someone_elses_assignment_does_not_pop_up() {
    let mut engine = engine();
    let cases = [(vec!["u-ben"], 0), (vec![], 0), (vec!["u-ben", ME], 1)];
    for (i, (assignees, want)) in cases.into_iter().enumerate() {
        let effects = engine.handle(
            assigned("f-1", "high", &assignees, &format!("c{i}")),
            at(i as i64 * 60),
        );
        assert_eq!(popups(&effects).len(), want, "{assignees:?}");
    }
}

#[test]
fn one_real_change_gives_one_popup_in_either_order() {
    // (first input, second input, seconds between, popups, title of the one shown)
    let notification_first = (
        created("n-1", "f-1", "high"),
        assigned("f-1", "high", &[ME], "c1"),
    );
    let domain_first = (
        assigned("f-1", "high", &[ME], "c1"),
        created("n-1", "f-1", "high"),
    );
    let cases = [
        (
            "notification first",
            notification_first.clone(),
            3,
            vec!["Assigned to you: Issue f-1"],
        ),
        (
            "domain first",
            domain_first.clone(),
            3,
            vec!["Assigned to you: Issue f-1"],
        ),
        (
            "exactly 10 s apart",
            domain_first,
            10,
            vec!["Assigned to you: Issue f-1"],
        ),
        (
            "notification first, 11 s apart",
            notification_first,
            11,
            vec!["Assigned to you: Issue f-1", "Assigned to you: Issue f-1"],
        ),
    ];
    for (name, (first, second), gap, want) in cases {
        let mut engine = engine();
        let mut shown = popups(&engine.handle(first, at(0)));
        shown.extend(popups(&engine.handle(second, at(gap))));
        let got: Vec<_> = shown.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(got, want, "{name}");
        assert!(shown.iter().all(|p| p.kind == PopupKind::Event));
    }
}

#[test]
fn notification_shown_first_keeps_its_mark_read_action() {
    let mut engine = engine();
    let shown = popups(&engine.handle(created("n-1", "f-1", "high"), at(0)));
    let later = engine.handle(assigned("f-1", "high", &[ME], "c1"), at(2));
    assert_eq!(shown[0].notification_id.as_deref(), Some("n-1"));
    assert_eq!(popups(&later), []);
    assert_eq!(engine.stats().merged, 1);
}

#[test]
fn suppressed_domain_event_still_counts_on_the_badge() {
    let mut engine = engine();
    engine.handle(
        Input::Summary {
            total: 10,
            unread: 5,
        },
        at(0),
    );
    engine.handle(assigned("f-1", "high", &[ME], "c1"), at(1));
    let effects = engine.handle(created("n-1", "f-1", "high"), at(2));
    assert_eq!(popups(&effects), []);
    assert!(effects.contains(&Effect::SetBadge(6)));
}

#[test]
fn rich_payload_frames_are_decided_like_thin_ones() {
    let mut engine = engine();
    let rich = frame(
        json!({"schema_version": 1, "type": "sla_breached", "tenant": "c-globex",
        "timestamp": "2026-11-24T12:00:00Z", "correlation_id": "r1",
        "subject": {"type": "finding", "id": "f-5"}, "actor": null,
        "data": {"title": "Weak TLS", "severity": "high"}}),
    );
    let shown = popups(&engine.handle(rich, at(0)));
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "SLA breached: Weak TLS");
    assert_eq!(shown[0].body, "High · Globex");
    assert_eq!(
        shown[0].url.as_deref(),
        Some("https://pmap.example.com/findings/f-5")
    );
}

#[test]
fn a_type_outside_the_catalog_is_announced_once_for_the_preference_grid() {
    let mut engine = engine();
    let unknown =
        || frame(json!({"type": "compliance_check_failed", "company_id": "c-acme", "payload": {}}));
    let seen = |effects: Vec<Effect>| {
        effects
            .into_iter()
            .filter(|e| matches!(e, Effect::TypeSeen(_)))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        seen(engine.handle(unknown(), at(0))),
        [Effect::TypeSeen("compliance_check_failed".into())]
    );
    assert_eq!(seen(engine.handle(unknown(), at(1))), []);
    assert_eq!(
        seen(engine.handle(assigned("f-1", "high", &[ME], "c-1"), at(2))),
        [],
        "catalog types are not announced"
    );
}
