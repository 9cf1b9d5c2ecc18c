//! Rule 13: a snoozed pop-up comes back once after the delay, unless its
//! row was read; it survives a restart; pause holds it.

use super::*;
use crate::engine::{PopupKind, UserAction};

const SNOOZE: i64 = 600;

fn snoozing_engine(ledger: ReminderLedger) -> Engine {
    let mut prefs = plain_prefs(LocalPrefs::default());
    prefs.snooze_secs = SNOOZE as u64;
    Engine::new(config(prefs), ledger)
}

/// The pop-up for the user's inbox row `id` about `finding`.
fn shown(engine: &mut Engine, id: &str, finding: &str, secs: i64) -> Popup {
    let effects = engine.handle(created(id, finding, "high"), at(secs));
    popups(&effects).pop().expect("the row pops up")
}

fn snooze(popup: &Popup) -> Input {
    Input::User(UserAction::Snooze {
        popup: popup.clone(),
    })
}

fn counts(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SetSnoozed(n) => Some(*n),
            _ => None,
        })
        .collect()
}

#[test]
fn a_snoozed_popup_comes_back_once_after_the_delay() {
    let mut engine = snoozing_engine(ReminderLedger::new());
    let popup = shown(&mut engine, "n-1", "f-1", 0);
    let snoozed = engine.handle(snooze(&popup), at(10));
    assert_eq!(counts(&snoozed), [1]);
    assert!(snoozed.contains(&Effect::PersistLedger));
    assert!(snoozed.contains(&Effect::ScheduleTick(at(10 + SNOOZE))));
    // (now, pop-ups)
    let cases = [
        (10 + SNOOZE - 1, 0),
        (10 + SNOOZE, 1),
        (10 + SNOOZE + 1, 0),
        (10 + 5 * SNOOZE, 0),
    ];
    for (now, want) in cases {
        let effects = engine.handle(Input::Tick, at(now));
        assert_eq!(popups(&effects).len(), want, "+{now}s");
        if want == 1 {
            assert_eq!(
                popups(&effects)[0],
                popup,
                "the same pop-up, actions and all"
            );
            assert_eq!(counts(&effects), [0]);
        }
    }
    assert!(engine.ledger().snoozed().is_empty());
}

#[test]
fn reading_the_row_meanwhile_cancels_the_snooze() {
    let read_here = Input::User(UserAction::MarkRead("n-1".into()));
    let read_elsewhere = frame(serde_json::json!({"type": "notification_read",
        "company_id": "c-acme", "payload": {"user_id": ME, "notification_id": "n-1"}}));
    let all_read = Input::User(UserAction::MarkAllRead);
    let other_read = Input::User(UserAction::MarkRead("n-other".into()));
    // (the read, whether the pop-up still comes back)
    let cases = [
        (read_here, false),
        (read_elsewhere, false),
        (all_read, false),
        (other_read, true),
    ];
    for (i, (read, back)) in cases.into_iter().enumerate() {
        let mut engine = snoozing_engine(ReminderLedger::new());
        let popup = shown(&mut engine, "n-1", "f-1", 0);
        engine.handle(snooze(&popup), at(10));
        engine.handle(read, at(20));
        let effects = engine.handle(Input::Tick, at(10 + SNOOZE));
        assert_eq!(popups(&effects).len(), usize::from(back), "case {i}");
    }
}

#[test]
fn a_snooze_survives_a_restart_and_is_counted_at_start() {
    let mut first = snoozing_engine(ReminderLedger::new());
    let popup = shown(&mut first, "n-1", "f-1", 0);
    first.handle(snooze(&popup), at(10));
    // The ledger round-trips through its file's JSON.
    let json = serde_json::to_string(first.ledger()).expect("ledger JSON");
    let ledger: ReminderLedger = serde_json::from_str(&json).expect("ledger back");
    let mut second = snoozing_engine(ledger);
    let started = second.handle(Input::Connecting, at(20));
    assert_eq!(counts(&started), [1], "the tray learns the count at start");
    assert!(started.contains(&Effect::ScheduleTick(at(10 + SNOOZE))));
    let back = second.handle(Input::Tick, at(10 + SNOOZE));
    assert_eq!(popups(&back), [popup]);
    // Restarted after the delay has passed: it comes at start.
    let mut third = snoozing_engine(serde_json::from_str(&json).expect("ledger"));
    let late = third.handle(Input::Connecting, at(10 * SNOOZE));
    assert_eq!(popups(&late).len(), 1);
}

#[test]
fn a_pause_holds_a_due_snooze_until_it_ends() {
    let mut engine = snoozing_engine(ReminderLedger::new());
    let popup = shown(&mut engine, "n-1", "f-1", 0);
    engine.handle(snooze(&popup), at(10));
    engine.handle(
        Input::User(UserAction::Pause {
            until: Some(at(2 * SNOOZE)),
        }),
        at(20),
    );
    assert!(popups(&engine.handle(Input::Tick, at(10 + SNOOZE))).is_empty());
    let resumed = engine.handle(Input::Tick, at(2 * SNOOZE));
    assert_eq!(popups(&resumed).len(), 1);
    assert_eq!(popups(&resumed)[0].kind, PopupKind::Event);
}

#[test]
fn snoozes_are_bounded_and_the_oldest_goes_first() {
    let mut engine = snoozing_engine(ReminderLedger::new());
    let popup = shown(&mut engine, "n-1", "f-1", 0);
    for i in 0..150 {
        let mut copy = popup.clone();
        copy.notification_id = Some(format!("n-{i}"));
        engine.handle(snooze(&copy), at(10 + i));
    }
    let kept = engine.ledger().snoozed();
    assert_eq!(kept.len(), 100);
    assert_eq!(kept[0].popup.notification_id.as_deref(), Some("n-50"));
}
