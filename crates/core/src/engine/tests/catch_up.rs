//! Rule 11: after a reconnect that followed a gap, one "N new while you were
//! away" pop-up built from the unread inbox rows newer than the last one
//! seen; nothing when nothing is new; preferences, quiet hours and pause
//! apply.

use chrono::NaiveTime;
use serde_json::json;

use super::*;
use crate::engine::{FailureKind, PopupKind, QuietHours, UserAction};
use crate::event::Severity;
use crate::rest::{InboxPage, InboxRow};

/// An inbox row created `secs` after T0.
fn row(id: &str, event_type: &str, secs: i64, severity: &str, read: bool) -> InboxRow {
    serde_json::from_value(json!({
        "id": id, "user_id": ME, "type": "alert", "event_type": event_type,
        "title": format!("Row {id}"), "body": "", "read": read,
        "data": {"finding_id": format!("f-{id}"), "severity": severity},
        "created_at": at(secs).to_rfc3339(),
    }))
    .expect("an inbox row")
}

fn unread(id: &str, secs: i64) -> InboxRow {
    row(id, "finding_assigned", secs, "medium", false)
}

fn head(items: Vec<InboxRow>) -> Input {
    Input::InboxHead(InboxPage {
        items,
        next_cursor: None,
    })
}

/// The signed-in user's `notification_created` for row `id`, created at
/// T0 + `secs`.
fn live(id: &str, secs: i64) -> Input {
    frame(
        json!({"type": "notification_created", "company_id": "c-acme", "payload": {
        "user_id": ME, "notification": {"id": id, "user_id": ME, "type": "alert",
        "event_type": "finding_assigned", "title": format!("Row {id}"), "body": "",
        "data": {"finding_id": format!("f-{id}"), "severity": "medium"}, "read": false,
        "created_at": at(secs).to_rfc3339()}}}),
    )
}

fn gap() -> [Input; 2] {
    [
        Input::StreamFailed {
            kind: FailureKind::Network("reset".into()),
            attempt: 1,
            retry_at: None,
        },
        Input::StreamOpened,
    ]
}

/// Feeds `inputs` at T0 + 1000 s onwards and returns the catch-up pop-ups.
fn catch_ups(engine: &mut Engine, inputs: Vec<Input>) -> Vec<Popup> {
    let mut shown = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let effects = engine.handle(input, at(1000 + i as i64));
        shown.extend(
            popups(&effects)
                .into_iter()
                .filter(|p| p.kind == PopupKind::CatchUp),
        );
    }
    shown
}

fn titles_of(popups: &[Popup]) -> Vec<&str> {
    popups.iter().map(|p| p.title.as_str()).collect()
}

#[test]
fn a_reconnect_counts_unread_rows_newer_than_the_last_one_seen() {
    let mut engine = engine();
    let mut inputs = vec![
        Input::StreamOpened,
        head(vec![unread("old-2", -50), unread("old-1", -100)]),
        live("seen", 10),
    ];
    inputs.extend(gap());
    inputs.push(head(vec![
        row("g3", "sla_breached", 40, "high", false),
        row("g2", "finding_assigned", 35, "low", true),
        unread("g1", 30),
        unread("seen", 10),
        unread("old-2", -50),
    ]));
    let shown = catch_ups(&mut engine, inputs);
    assert_eq!(titles_of(&shown), ["2 new while you were away"]);
    let popup = &shown[0];
    assert_eq!(popup.body, "1 SLA breached · 1 finding assigned");
    assert_eq!(
        popup.url.as_deref(),
        Some(&*format!("{ORIGIN}/notifications"))
    );
    assert_eq!(popup.severity, Some(Severity::High));
    assert_eq!(popup.notification_id, None);
    assert!(!popup.sound);
    assert_eq!(engine.stats().catch_ups, 1);
}

#[test]
fn nothing_is_shown_when_nothing_is_new() {
    let cases: Vec<(&str, Vec<Input>)> = vec![
        (
            "first connection: old unread rows are not news",
            vec![Input::StreamOpened, head(vec![unread("old", -10)])],
        ),
        ("a reconnect with nothing new", {
            let mut v = vec![Input::StreamOpened, head(vec![unread("old", -10)])];
            v.extend(gap());
            v.push(head(vec![unread("old", -10)]));
            v
        }),
        ("rows read while away", {
            let mut v = vec![Input::StreamOpened, head(vec![])];
            v.extend(gap());
            v.push(head(vec![]));
            v
        }),
        ("no baseline yet: the first head never answered", {
            let mut v = vec![Input::StreamOpened];
            v.extend(gap());
            v.push(head(vec![unread("g1", 30)]));
            v
        }),
    ];
    for (label, inputs) in cases {
        let mut engine = engine();
        assert_eq!(catch_ups(&mut engine, inputs), [], "{label}");
    }
}

#[test]
fn rows_the_new_stream_showed_before_the_head_are_not_counted_again() {
    let mut engine = engine();
    let mut inputs = vec![Input::StreamOpened, head(vec![unread("old", -10)])];
    inputs.extend(gap());
    inputs.push(live("fresh", 50));
    inputs.push(head(vec![
        unread("fresh", 50),
        unread("g1", 30),
        unread("old", -10),
    ]));
    let shown = catch_ups(&mut engine, inputs);
    assert_eq!(titles_of(&shown), ["1 new while you were away"]);
    assert_eq!(
        shown[0].notification_id.as_deref(),
        Some("g1"),
        "one row can be marked read from the pop-up"
    );
}

#[test]
fn an_inbox_that_was_empty_makes_every_unread_row_news() {
    let mut engine = engine();
    let mut inputs = vec![Input::StreamOpened, head(vec![])];
    inputs.extend(gap());
    inputs.push(head(vec![unread("g2", 40), unread("g1", 30)]));
    let shown = catch_ups(&mut engine, inputs);
    assert_eq!(titles_of(&shown), ["2 new while you were away"]);
    assert_eq!(shown[0].body, "2 findings assigned");
}

#[test]
fn a_late_head_with_nothing_new_leaves_the_catch_up_owed_and_one_is_shown_once() {
    let mut engine = engine();
    let mut inputs = vec![Input::StreamOpened, head(vec![unread("old", -10)])];
    inputs.extend(gap());
    // The answer to the first open's request, arriving late.
    inputs.push(head(vec![unread("old", -10)]));
    inputs.push(head(vec![unread("g1", 30), unread("old", -10)]));
    // Another answer holding the same rows: already accounted for.
    inputs.push(head(vec![unread("g1", 30), unread("old", -10)]));
    let shown = catch_ups(&mut engine, inputs);
    assert_eq!(titles_of(&shown), ["1 new while you were away"]);
}

#[test]
fn a_full_page_of_news_says_at_least() {
    let mut engine = engine();
    let mut inputs = vec![Input::StreamOpened, head(vec![])];
    inputs.extend(gap());
    inputs.push(Input::InboxHead(InboxPage {
        items: vec![unread("g2", 40), unread("g1", 30)],
        next_cursor: Some(at(30).to_rfc3339()),
    }));
    let shown = catch_ups(&mut engine, inputs);
    assert_eq!(titles_of(&shown), ["2+ new while you were away"]);
}

#[test]
fn preferences_quiet_hours_and_pause_hold_the_catch_up_back() {
    let quiet_all_day = Some(QuietHours {
        start: NaiveTime::from_hms_opt(0, 0, 0).expect("valid"),
        end: NaiveTime::from_hms_opt(23, 59, 0).expect("valid"),
    });
    let assignments_off = LocalPrefs {
        popup: [("finding_assigned".to_owned(), false)].into(),
        ..LocalPrefs::default()
    };
    let generic_rows_off = LocalPrefs {
        popup: [("notification_created".to_owned(), false)].into(),
        ..LocalPrefs::default()
    };
    let high_only = LocalPrefs {
        min_severity_popup: Severity::High,
        ..LocalPrefs::default()
    };
    let quiet = LocalPrefs {
        quiet_hours: quiet_all_day,
        ..LocalPrefs::default()
    };
    let quiet_no_breakthrough = LocalPrefs {
        quiet_hours: quiet_all_day,
        breakthrough: false,
        ..LocalPrefs::default()
    };
    let medium = || vec![unread("g1", 30)];
    let with_critical = || {
        vec![
            row("g2", "sla_breached", 40, "critical", false),
            unread("g1", 30),
        ]
    };
    /// (label, prefs, paused, rows, title shown)
    type Case = (
        &'static str,
        LocalPrefs,
        bool,
        Vec<InboxRow>,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "defaults",
            LocalPrefs::default(),
            false,
            medium(),
            Some("1 new while you were away"),
        ),
        (
            "the rows' own type off",
            assignments_off,
            false,
            medium(),
            None,
        ),
        (
            "the generic row cell does not decide typed rows",
            generic_rows_off,
            false,
            medium(),
            Some("1 new while you were away"),
        ),
        (
            "a type that pops nothing up by default",
            LocalPrefs::default(),
            false,
            vec![row("g3", "finding_updated", 30, "high", false)],
            None,
        ),
        (
            "below the minimum severity",
            high_only.clone(),
            false,
            medium(),
            None,
        ),
        (
            "only what passes the minimum counts",
            high_only,
            false,
            with_critical(),
            Some("1 new while you were away"),
        ),
        ("quiet hours", quiet.clone(), false, medium(), None),
        (
            "critical breaks through quiet hours",
            quiet,
            false,
            with_critical(),
            Some("2 new while you were away"),
        ),
        (
            "unless breakthrough is off",
            quiet_no_breakthrough,
            false,
            with_critical(),
            None,
        ),
        ("paused", LocalPrefs::default(), true, medium(), None),
        (
            "critical breaks through a pause",
            LocalPrefs::default(),
            true,
            with_critical(),
            Some("2 new while you were away"),
        ),
    ];
    for (label, prefs, paused, rows, want) in cases {
        let mut engine = engine_with(prefs);
        let mut inputs = vec![Input::StreamOpened, head(vec![])];
        if paused {
            inputs.push(Input::User(UserAction::Pause { until: None }));
        }
        inputs.extend(gap());
        inputs.push(head(rows));
        let shown = catch_ups(&mut engine, inputs);
        assert_eq!(
            titles_of(&shown),
            want.into_iter().collect::<Vec<_>>(),
            "{label}"
        );
    }
}

/// A group whose scope is off counts for nothing in a catch-up; the others
/// still do.
#[test]
fn rows_of_a_group_whose_scope_is_off_are_left_out() {
    let mut prefs = LocalPrefs::default();
    prefs.agenda.enabled = false;
    prefs.scope.findings = crate::engine::Scope::Off;
    let mut engine = Engine::new(config(prefs), ReminderLedger::new());
    let mut inputs = vec![Input::StreamOpened, head(vec![])];
    inputs.extend(gap());
    inputs.push(head(vec![
        unread("g1", 30),
        row("g2", "report_generated", 40, "high", false),
    ]));
    let shown = catch_ups(&mut engine, inputs);
    assert_eq!(titles_of(&shown), ["1 new while you were away"]);
}
