//! Rule 10: deadline reminders fire once each, never in a burst, never lost.

use chrono::{DateTime, NaiveTime, Utc};
use serde_json::json;

use super::*;
use crate::engine::{PopupKind, QuietHours, UserAction};
use crate::event::CalendarItem;

const HOUR: i64 = 3600;

fn item(id: &str, kind: &str, at: DateTime<Utc>, severity: &str) -> CalendarItem {
    serde_json::from_value(json!({"id": id, "kind": kind, "title": format!("Fix {id}"), "at": at,
        "all_day": false, "entity_type": "finding", "entity_id": format!("f-{id}"),
        "severity": severity, "status": "open", "company_id": "c-acme", "company_name": "Acme Corp"}))
    .expect("valid calendar item")
}

fn calendar(items: &[CalendarItem]) -> Input {
    Input::Calendar(items.to_vec())
}

#[test]
fn each_lead_fires_once_and_persists_the_ledger() {
    let mut engine = engine();
    let deadline = at(25 * HOUR);
    let first = engine.handle(
        calendar(&[item("a", "sla_deadline", deadline, "high")]),
        at(0),
    );
    assert_eq!(first, [Effect::ScheduleTick(at(HOUR))]);
    // (tick at, titles, persisted)
    let cases = [
        (HOUR, vec!["Due in 24 h: Fix a"], true),
        (HOUR, vec![], false),
        (HOUR + 60, vec![], false),
        (24 * HOUR, vec!["Due in 1 h: Fix a"], true),
        (25 * HOUR, vec!["Due now: Fix a"], true),
        (26 * HOUR, vec![], false),
    ];
    for (now, want, persisted) in cases {
        let effects = engine.handle(Input::Tick, at(now));
        assert_eq!(titles(&effects), want, "+{now}s");
        assert_eq!(
            effects.contains(&Effect::PersistLedger),
            persisted,
            "+{now}s"
        );
    }
    assert!(engine.ledger().has_fired("a", deadline, 1440));
    assert!(engine.ledger().has_fired("a", deadline, 0));
}

#[test]
fn only_the_closest_of_several_due_leads_fires() {
    let mut engine = engine();
    let deadline = at(30 * 60);
    let effects = engine.handle(calendar(&[item("a", "retest_due", deadline, "low")]), at(0));
    let shown = popups(&effects);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].kind, PopupKind::Reminder);
    assert_eq!(shown[0].title, "Due in 30 min: Fix a");
    assert_eq!(shown[0].body, "Retest due · Low · Acme Corp");
    assert_eq!(
        shown[0].url.as_deref(),
        Some("https://pmap.example.com/findings/f-a")
    );
    assert!(
        engine.ledger().has_fired("a", deadline, 1440),
        "the earlier lead is done too"
    );
    assert!(ticks(&effects).contains(&deadline));
}

#[test]
fn missed_reminders_gather_into_one_digest_per_input() {
    let mut engine = engine();
    let items: Vec<_> = (1..=5)
        .map(|i| item(&format!("m{i}"), "sla_deadline", at(-i * HOUR), "high"))
        .collect();
    let effects = engine.handle(calendar(&items), at(0));
    let shown = popups(&effects);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].kind, PopupKind::ReminderDigest);
    assert_eq!(shown[0].title, "5 deadline reminders");
    assert!(
        shown[0].body.starts_with("Overdue: Fix m1\n"),
        "{}",
        shown[0].body
    );
    assert!(shown[0].body.ends_with("and 1 more"), "{}", shown[0].body);
    assert_eq!(
        popups(&engine.handle(calendar(&items), at(60))),
        [],
        "never twice"
    );
}

#[test]
fn ledger_survives_a_restart() {
    let items = [item("a", "sla_deadline", at(HOUR), "high")];
    let mut before = engine();
    assert_eq!(popups(&before.handle(calendar(&items), at(0))).len(), 1);
    let saved = serde_json::to_string(before.ledger()).expect("serialize ledger");
    let ledger: ReminderLedger = serde_json::from_str(&saved).expect("load ledger");
    let mut after = Engine::new(config(plain_prefs(LocalPrefs::default())), ledger);
    assert_eq!(popups(&after.handle(calendar(&items), at(120))), []);
    assert_eq!(
        titles(&after.handle(Input::Tick, at(HOUR))),
        ["Due now: Fix a"]
    );
}

#[test]
fn reminders_are_held_in_quiet_hours_and_shown_once_when_they_end() {
    // T0 is 12:00 UTC; quiet 22:00–07:00 UTC; deadlines at 23:00 (lead 0).
    let prefs = LocalPrefs {
        quiet_hours: Some(QuietHours {
            start: NaiveTime::from_hms_opt(22, 0, 0).expect("valid"),
            end: NaiveTime::from_hms_opt(7, 0, 0).expect("valid"),
        }),
        reminder_leads_mins: vec![0],
        ..LocalPrefs::default()
    };
    let mut engine = engine_with(prefs);
    let items = [
        item("q", "sla_deadline", at(11 * HOUR), "high"),
        item("c", "sla_deadline", at(11 * HOUR), "critical"),
    ];
    engine.handle(calendar(&items), at(0));
    let night = engine.handle(Input::Tick, at(11 * HOUR));
    assert_eq!(
        titles(&night),
        ["Due now: Fix c"],
        "critical breaks through"
    );
    assert_eq!(
        ticks(&night),
        [at(19 * HOUR)],
        "released when quiet hours end"
    );
    assert_eq!(popups(&engine.handle(Input::Tick, at(15 * HOUR))), []);
    let morning = engine.handle(Input::Tick, at(19 * HOUR));
    assert_eq!(titles(&morning), ["Overdue: Fix q"]);
    assert_eq!(popups(&engine.handle(Input::Tick, at(20 * HOUR))), []);
}

#[test]
fn reminders_are_held_while_paused_and_shown_on_resume() {
    let mut engine = engine();
    engine.handle(Input::User(UserAction::Pause { until: None }), at(0));
    engine.handle(
        calendar(&[item("p", "retest_due", at(HOUR), "medium")]),
        at(0),
    );
    assert_eq!(popups(&engine.handle(Input::Tick, at(HOUR))), []);
    let resumed = engine.handle(Input::User(UserAction::Resume), at(2 * HOUR));
    assert_eq!(titles(&resumed), ["Overdue: Fix p"]);
}

#[test]
fn clock_jumps_never_refire_or_burst() {
    let mut engine = engine();
    let items: Vec<_> = (0..20)
        .map(|i| item(&format!("j{i}"), "sla_deadline", at((i + 1) * HOUR), "high"))
        .collect();
    // The 24 h leads of all twenty are already due: one fresh reminder, one digest.
    let first = engine.handle(calendar(&items), at(0));
    assert_eq!(popups(&first).len(), 2, "{:?}", titles(&first));
    // Far forward: every deadline passed while "asleep" → one digest.
    let forward = engine.handle(Input::Tick, at(3 * 24 * HOUR));
    assert_eq!(popups(&forward).len(), 1, "{:?}", titles(&forward));
    // Back, forward a year (beyond every horizon), back again: nothing fires twice.
    for now in [
        at(-24 * HOUR),
        at(365 * 24 * HOUR),
        at(0),
        at(3 * 24 * HOUR),
    ] {
        engine.handle(calendar(&items), now);
        let effects = engine.handle(Input::Tick, now);
        assert_eq!(popups(&effects), [], "at {now}");
    }
}

#[test]
fn a_moved_deadline_is_reminded_again() {
    let mut engine = engine();
    engine.handle(
        calendar(&[item("a", "sla_deadline", at(HOUR), "high")]),
        at(0),
    );
    let moved = engine.handle(
        calendar(&[item("a", "sla_deadline", at(3 * HOUR), "high")]),
        at(60),
    );
    assert_eq!(titles(&moved), ["Due in 3 h: Fix a"]);
}

#[test]
fn ledger_forgets_items_gone_from_the_calendar_after_their_deadline() {
    let mut engine = engine();
    engine.handle(
        calendar(&[item("old", "sla_deadline", at(-HOUR), "high")]),
        at(0),
    );
    assert_eq!(engine.ledger().len(), 1);
    let effects = engine.handle(calendar(&[]), at(60));
    assert!(effects.contains(&Effect::PersistLedger));
    assert!(engine.ledger().is_empty());
}

#[test]
fn other_kinds_and_extreme_values_give_no_reminders_and_no_panic() {
    let prefs = LocalPrefs {
        reminder_leads_mins: vec![i64::MAX, i64::MIN, 0, 0],
        ..LocalPrefs::default()
    };
    let mut engine = engine_with(prefs);
    let mut far = item("far", "sla_deadline", at(0), "high");
    far.at = DateTime::<Utc>::MAX_UTC;
    let mut early = item("early", "sla_deadline", at(0), "high");
    early.at = DateTime::<Utc>::MIN_UTC;
    let items = [item("scan", "scan_scheduled", at(0), "high"), far, early];
    for now in [at(0), DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
        let effects = engine.handle(calendar(&items), now);
        engine.handle(Input::Tick, now);
        assert!(popups(&effects).len() <= 1);
    }
}
