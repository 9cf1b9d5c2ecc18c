//! A sound per severity (or none), reminders that may sound, and the
//! desktop's do-not-disturb held like a pause.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::*;
use crate::engine::DEFAULT_SOUND;
use crate::event::CalendarItem;
use crate::event::Severity;

fn sounds(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::PlaySound { .. }))
        .count()
}

#[test]
fn each_severity_has_its_sound_name_and_an_empty_one_is_silence() {
    let mut prefs = LocalPrefs::default();
    prefs
        .sound_names
        .insert("critical".into(), "alarm-clock-elapsed".into());
    prefs.sound_names.insert("urgent".into(), String::new());
    let cases = [
        (Some(Severity::Critical), Some("alarm-clock-elapsed")),
        (Some(Severity::Urgent), None),
        (Some(Severity::High), Some(DEFAULT_SOUND)),
        (None, Some(DEFAULT_SOUND)),
    ];
    for (severity, want) in cases {
        assert_eq!(prefs.sound_name(severity), want, "{severity:?}");
    }
    // Silence wins over the sound cell: an urgent assignment pops up quietly.
    let mut engine = engine_with(prefs);
    let urgent = engine.handle(assigned("f-1", "urgent", &[ME], "c1"), at(0));
    assert_eq!((popups(&urgent).len(), sounds(&urgent)), (1, 0));
    let critical = engine.handle(assigned("f-2", "critical", &[ME], "c2"), at(20));
    assert_eq!((popups(&critical).len(), sounds(&critical)), (1, 1));
}

fn deadline_in(mins: i64) -> CalendarItem {
    let at: DateTime<Utc> = t0() + chrono::TimeDelta::minutes(mins);
    serde_json::from_value(
        json!({"id": "sla-1", "kind": "sla_deadline", "title": "Fix it",
        "at": at, "entity_type": "finding", "entity_id": "f-1", "severity": "high"}),
    )
    .expect("item")
}

#[test]
fn reminders_sound_only_when_asked_to() {
    for (reminder_sound, want) in [(false, 0), (true, 1)] {
        let mut engine = engine_with(LocalPrefs {
            reminder_sound,
            ..LocalPrefs::default()
        });
        let effects = engine.handle(Input::Calendar(vec![deadline_in(60)]), at(0));
        assert_eq!(popups(&effects).len(), 1, "the 1 h reminder");
        assert_eq!(sounds(&effects), want, "reminder_sound {reminder_sound}");
        assert_eq!(popups(&effects)[0].sound, reminder_sound);
    }
}

#[test]
fn the_desktops_do_not_disturb_holds_popups_like_a_pause() {
    let mut engine = engine();
    engine.handle(Input::DesktopInhibited(true), at(0));
    let held = engine.handle(assigned("f-1", "high", &[ME], "c1"), at(1));
    assert!(popups(&held).is_empty());
    assert_eq!(engine.stats().suppressed_paused, 1);
    // Critical breaks through, as in a pause.
    let critical = engine.handle(assigned("f-2", "critical", &[ME], "c2"), at(2));
    assert_eq!(popups(&critical).len(), 1);
    // A reminder due meanwhile waits, and comes when the desktop lifts it.
    let waiting = engine.handle(Input::Calendar(vec![deadline_in(60)]), at(3));
    assert!(popups(&waiting).is_empty());
    let lifted = engine.handle(Input::DesktopInhibited(false), at(4));
    assert_eq!(popups(&lifted).len(), 1);
    let after = engine.handle(assigned("f-3", "high", &[ME], "c3"), at(20));
    assert_eq!(popups(&after).len(), 1);
}
