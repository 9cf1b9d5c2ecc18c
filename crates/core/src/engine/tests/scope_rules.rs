//! Rule 4a and the matrix a row goes through: whose events pop up (scope),
//! an inbox row decided by its own type, the server's `in_app` cells, and
//! muted companies.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::engine::{PopupCell, Scope, ScopeGroup};
use crate::event::{CalendarItem, EventType};

/// `ty` on the stream about `finding` in `company`, assigned to `assignees`.
fn about(ty: &str, finding: &str, company: &str, assignees: &[&str], corr: &str) -> Input {
    frame(json!({"type": ty, "company_id": company, "payload": {
        "finding_id": finding, "title": format!("Issue {finding}"), "severity": "high",
        "assignee_ids": assignees, "correlation_id": corr,
        "subject_type": "finding", "subject_id": finding}}))
}

/// An inbox row for the user, of `event_type`, about `finding`.
fn row(id: &str, event_type: &str, finding: &str) -> Input {
    frame(
        json!({"type": "notification_created", "company_id": "c-acme", "payload": {
        "user_id": ME, "notification": {"id": id, "user_id": ME, "type": "alert",
        "event_type": event_type, "title": format!("Row {id}"), "body": "",
        "data": {"finding_id": finding, "severity": "high"}, "read": false,
        "created_at": "2026-11-24T12:00:00Z"}}}),
    )
}

fn shipped() -> LocalPrefs {
    // The agenda off; the scopes as shipped.
    let mut prefs = LocalPrefs::default();
    prefs.agenda.enabled = false;
    prefs
}

fn engine_with_scope(prefs: LocalPrefs) -> Engine {
    Engine::new(config(prefs), ReminderLedger::new())
}

fn count(engine: &mut Engine, input: Input, secs: i64) -> usize {
    popups(&engine.handle(input, at(secs))).len()
}

#[test]
fn by_default_a_breach_pops_up_only_for_the_findings_owner() {
    let mut engine = engine_with_scope(shipped());
    let cases = [
        // (input, pop-ups)
        (about("sla_breached", "f-1", "c-acme", &["u-lee"], "c1"), 0),
        (about("sla_breached", "f-2", "c-acme", &[ME], "c2"), 1),
        (
            about("sla_breached", "f-3", "c-acme", &["u-lee", ME], "c3"),
            1,
        ),
        (about("sla_breached", "f-4", "c-acme", &[], "c4"), 0),
        // Not a finding group: no scope, the matrix alone decides.
        (
            frame(json!({"type": "report_generated", "company_id": "c-acme",
            "payload": {"report_id": "r-1", "title": "Monthly", "correlation_id": "c5"}})),
            1,
        ),
    ];
    for (i, (input, want)) in cases.into_iter().enumerate() {
        assert_eq!(count(&mut engine, input, 20 * i as i64), want, "case {i}");
    }
    assert_eq!(engine.stats().suppressed_scope, 2);
}

#[test]
fn a_finding_on_the_users_own_calendar_is_theirs_too() {
    let mut engine = engine_with_scope(shipped());
    let item: CalendarItem = serde_json::from_value(json!({"id": "sla_deadline:f-9",
        "kind": "sla_deadline", "at": "2026-11-25T12:00:00Z", "entity_type": "finding",
        "entity_id": "f-9"}))
    .expect("item");
    engine.handle(Input::Calendar(vec![item]), at(0));
    assert_eq!(
        count(
            &mut engine,
            about("sla_breached", "f-9", "c-acme", &["u-lee"], "c1"),
            1
        ),
        1
    );
}

#[test]
fn each_scope_setting_widens_or_silences_its_group_rows_included() {
    let other = || about("sla_breached", "f-1", "c-acme", &["u-lee"], "c1");
    let cases = [
        (Scope::Mine, other(), 0),
        (Scope::MyCompanies, other(), 1),
        (Scope::Off, other(), 0),
        // A row is addressed to the user: "mine" by definition; "off" is off.
        (Scope::Mine, row("n-1", "sla_breached", "f-1"), 1),
        (Scope::MyCompanies, row("n-1", "sla_breached", "f-1"), 1),
        (Scope::Off, row("n-1", "sla_breached", "f-1"), 0),
    ];
    for (i, (scope, input, want)) in cases.into_iter().enumerate() {
        let mut prefs = shipped();
        prefs.scope.set(ScopeGroup::Findings, scope);
        let mut engine = engine_with_scope(prefs);
        assert_eq!(count(&mut engine, input, 0), want, "case {i}: {scope:?}");
    }
}

#[test]
fn an_inbox_row_follows_the_cells_of_its_own_type() {
    // (approval_requested cell, notification_created cell, pop-ups)
    let cases = [
        (PopupCell::Server, PopupCell::Server, 1),
        (PopupCell::Off, PopupCell::On, 0),
        (PopupCell::On, PopupCell::Off, 1),
        (PopupCell::Server, PopupCell::Off, 1),
    ];
    for (own, generic, want) in cases {
        let mut prefs = shipped();
        prefs.set_popup_cell(&EventType::ApprovalRequested, own);
        prefs.set_popup_cell(&EventType::NotificationCreated, generic);
        let mut engine = engine_with_scope(prefs);
        let input = row("n-1", "approval_requested", "f-1");
        assert_eq!(count(&mut engine, input, 0), want, "{own:?} {generic:?}");
    }
    // A row of a type that pops nothing up by default stays quiet; a row
    // without a type falls back to the notification_created cell.
    let mut engine = engine_with_scope(shipped());
    assert_eq!(
        count(&mut engine, row("n-2", "finding_updated", "f-2"), 0),
        0
    );
    let untyped = frame(
        json!({"type": "notification_created", "company_id": "c-acme",
        "payload": {"user_id": ME, "notification": {"id": "n-3", "user_id": ME,
        "title": "Something", "data": {}, "read": false}}}),
    );
    assert_eq!(count(&mut engine, untyped, 20), 1);
}

#[test]
fn the_servers_in_app_cell_silences_the_cells_that_follow_it() {
    let matrix = |entries: &[(&str, bool)]| -> BTreeMap<String, bool> {
        entries.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    };
    // (server matrix, local cell, pop-ups)
    let cases = [
        (matrix(&[]), PopupCell::Server, 1),
        (
            matrix(&[("in_app.sla_breached", false)]),
            PopupCell::Server,
            0,
        ),
        (matrix(&[("sla_breached", false)]), PopupCell::Server, 0),
        (
            matrix(&[("sla_breached", false), ("in_app.sla_breached", true)]),
            PopupCell::Server,
            1,
        ),
        (
            matrix(&[("email.sla_breached", false)]),
            PopupCell::Server,
            1,
        ),
        (matrix(&[("in_app.sla_breached", false)]), PopupCell::On, 1),
        (matrix(&[]), PopupCell::Off, 0),
    ];
    for (i, (server, cell, want)) in cases.into_iter().enumerate() {
        let mut prefs = shipped();
        prefs.set_popup_cell(&EventType::SlaBreached, cell);
        let mut engine = engine_with_scope(prefs);
        engine.handle(Input::ServerPrefs(server.clone()), at(0));
        let mine = about("sla_breached", "f-1", "c-acme", &[ME], "c1");
        assert_eq!(count(&mut engine, mine, 1), want, "case {i}");
        // The row of the same type goes through the same cells.
        let mut prefs = shipped();
        prefs.set_popup_cell(&EventType::SlaBreached, cell);
        let mut rows = engine_with_scope(prefs);
        rows.handle(Input::ServerPrefs(server), at(0));
        let shown = count(&mut rows, row("n-1", "sla_breached", "f-1"), 1);
        assert_eq!(shown, want, "row, case {i}");
    }
}

#[test]
fn a_muted_company_neither_pops_up_nor_sounds() {
    let mut prefs = shipped();
    prefs.muted_companies.insert("c-acme".into());
    let mut engine = engine_with_scope(prefs);
    let acme = engine.handle(about("sla_breached", "f-1", "c-acme", &[ME], "c1"), at(0));
    assert!(popups(&acme).is_empty());
    assert!(!acme.iter().any(|e| matches!(e, Effect::PlaySound { .. })));
    let globex = engine.handle(
        about("sla_breached", "f-2", "c-globex", &[ME], "c2"),
        at(20),
    );
    assert_eq!(popups(&globex).len(), 1);
    assert_eq!(engine.stats().suppressed_muted, 1);
}
