//! Rule 11: the morning agenda, once per working day, at its local time.

use chrono::{DateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde_json::json;

use super::*;
use crate::engine::{AgendaPrefs, PopupKind, QuietHours, UserAction};
use crate::event::CalendarItem;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("valid RFC 3339")
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

fn item(id: &str, kind: &str, at: &str) -> CalendarItem {
    serde_json::from_value(
        json!({"id": id, "kind": kind, "title": format!("Fix {id}"), "at": at,
        "entity_type": "finding", "entity_id": format!("f-{id}"), "severity": "high"}),
    )
    .expect("valid calendar item")
}

/// An engine in `tz` with the agenda at `at` on `days`.
fn agenda_engine(tz: Tz, at: NaiveTime, days: &[Weekday], ledger: ReminderLedger) -> Engine {
    agenda_engine_with(tz, at, days, LocalPrefs::default(), ledger)
}

fn agenda_engine_with(
    tz: Tz,
    at: NaiveTime,
    days: &[Weekday],
    mut prefs: LocalPrefs,
    ledger: ReminderLedger,
) -> Engine {
    prefs.agenda = AgendaPrefs {
        enabled: true,
        at,
        days: days.to_vec(),
    };
    // The reminders have their own tables; none here.
    prefs.reminder_leads_mins = Vec::new();
    let mut config = config(prefs);
    config.time_zone = tz;
    Engine::new(config, ledger)
}

const WORKING: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// Tuesday 2026-11-24 in Berlin (UTC+1): one deadline today, one overdue,
/// one retest today; a deadline and a retest tomorrow.
fn tuesday() -> Vec<CalendarItem> {
    vec![
        item("late", "sla_deadline", "2026-11-23T10:00:00Z"),
        item("today", "sla_deadline", "2026-11-24T14:00:00Z"),
        item("retest", "retest_due", "2026-11-24T22:59:00Z"),
        item("tomorrow", "sla_deadline", "2026-11-24T23:00:00Z"),
        item("retest-2", "retest_due", "2026-11-25T09:00:00Z"),
    ]
}

fn agenda_titles(effects: &[Effect]) -> Vec<String> {
    popups(effects)
        .into_iter()
        .filter(|p| p.kind == PopupKind::Agenda)
        .map(|p| p.title)
        .collect()
}

#[test]
fn the_agenda_comes_once_at_its_local_time_on_a_working_day() {
    let berlin = chrono_tz::Europe::Berlin;
    let mut engine = agenda_engine(berlin, hm(9, 0), &WORKING, ReminderLedger::new());
    // 08:00 in Berlin: not yet; the tick is set for 09:00 (08:00 UTC).
    let early = engine.handle(Input::Calendar(tuesday()), utc("2026-11-24T07:00:00Z"));
    assert_eq!(agenda_titles(&early), Vec::<String>::new());
    assert_eq!(ticks(&early), [utc("2026-11-24T08:00:00Z")]);
    // (now, agenda titles, persisted)
    let cases = [
        ("2026-11-24T07:59:59Z", vec![], false),
        (
            "2026-11-24T08:00:00Z",
            vec!["Today: 2 deadlines (1 overdue), 1 retest due"],
            true,
        ),
        ("2026-11-24T08:00:00Z", vec![], false),
        ("2026-11-24T16:00:00Z", vec![], false),
        ("2026-11-24T22:59:59Z", vec![], false),
    ];
    for (now, want, persisted) in cases {
        let effects = engine.handle(Input::Tick, utc(now));
        assert_eq!(agenda_titles(&effects), want, "{now}");
        assert_eq!(effects.contains(&Effect::PersistLedger), persisted, "{now}");
    }
    assert_eq!(
        engine.ledger().agenda_day(),
        Some("2026-11-24".parse().expect("date"))
    );
    // After midnight in Berlin it is Wednesday: the next one is at 09:00.
    let wednesday = engine.handle(Input::Tick, utc("2026-11-24T23:00:01Z"));
    assert_eq!(agenda_titles(&wednesday), Vec::<String>::new());
    let shown = engine.handle(Input::Tick, utc("2026-11-25T08:00:00Z"));
    assert_eq!(
        agenda_titles(&shown),
        ["Today: 3 deadlines (3 overdue), 2 retests due"]
    );
}

#[test]
fn the_popup_lists_the_soonest_items_and_opens_the_calendar() {
    let mut engine = agenda_engine(chrono_tz::UTC, hm(9, 0), &WORKING, ReminderLedger::new());
    let effects = engine.handle(Input::Calendar(tuesday()), utc("2026-11-24T09:00:00Z"));
    let popup = popups(&effects).pop().expect("the agenda");
    assert_eq!(popup.kind, PopupKind::Agenda);
    assert_eq!(popup.url, None, "Open shows the app's calendar");
    assert!(!popup.sound && !popup.urgent);
    assert_eq!(popup.title, "Today: 3 deadlines (1 overdue), 1 retest due");
    let lines: Vec<&str> = popup.body.lines().collect();
    assert_eq!(
        lines,
        [
            "Overdue: Fix late",
            "Due in 5 h: Fix today",
            "Due in 14 h: Fix retest",
            "Due in 14 h: Fix tomorrow"
        ],
        "in UTC, 23:00 is still today; soonest first"
    );
}

#[test]
fn a_later_start_brings_it_at_start_up_and_a_restart_does_not_repeat_it() {
    let berlin = chrono_tz::Europe::Berlin;
    let mut first = agenda_engine(berlin, hm(9, 0), &WORKING, ReminderLedger::new());
    // Started at 13:00: nothing until the calendar is known, then at once.
    let started = first.handle(Input::StreamOpened, utc("2026-11-24T12:00:00Z"));
    assert_eq!(agenda_titles(&started), Vec::<String>::new());
    let known = first.handle(Input::Calendar(tuesday()), utc("2026-11-24T12:00:01Z"));
    assert_eq!(agenda_titles(&known).len(), 1);
    // A restart the same day, with the ledger the shell persisted.
    let ledger = first.ledger().clone();
    let mut second = agenda_engine(berlin, hm(9, 0), &WORKING, ledger);
    let again = second.handle(Input::Calendar(tuesday()), utc("2026-11-24T15:00:00Z"));
    assert_eq!(agenda_titles(&again), Vec::<String>::new());
    // The next working day it comes again, also after a restart.
    let ledger = second.ledger().clone();
    let mut third = agenda_engine(berlin, hm(9, 0), &WORKING, ledger);
    let next_day = third.handle(Input::Calendar(tuesday()), utc("2026-11-25T09:30:00Z"));
    assert_eq!(agenda_titles(&next_day).len(), 1);
}

#[test]
fn weekends_get_none_and_an_empty_day_is_skipped_without_a_popup() {
    let mut engine = agenda_engine(chrono_tz::UTC, hm(9, 0), &WORKING, ReminderLedger::new());
    // Saturday 2026-11-28: nothing, and the next tick is Monday 09:00.
    let saturday = engine.handle(Input::Calendar(tuesday()), utc("2026-11-28T10:00:00Z"));
    assert_eq!(agenda_titles(&saturday), Vec::<String>::new());
    assert_eq!(ticks(&saturday), [utc("2026-11-30T09:00:00Z")]);
    // Monday with an empty calendar: no pop-up, but the day counts as done.
    let monday = engine.handle(Input::Calendar(Vec::new()), utc("2026-11-30T09:00:00Z"));
    assert_eq!(agenda_titles(&monday), Vec::<String>::new());
    assert!(monday.contains(&Effect::PersistLedger));
    let later = engine.handle(Input::Calendar(tuesday()), utc("2026-11-30T09:05:00Z"));
    assert_eq!(
        agenda_titles(&later),
        Vec::<String>::new(),
        "once a day, even if items arrive later"
    );
    // Turned off: never, and no tick for it.
    let mut off = engine_with(LocalPrefs {
        reminder_leads_mins: Vec::new(),
        ..LocalPrefs::default()
    });
    let effects = off.handle(Input::Calendar(tuesday()), utc("2026-11-24T10:00:00Z"));
    assert_eq!(agenda_titles(&effects), Vec::<String>::new());
    assert_eq!(ticks(&effects), Vec::<DateTime<Utc>>::new());
}

#[test]
fn quiet_hours_hold_it_until_they_end_and_a_pause_past_midnight_skips_the_day() {
    let prefs = LocalPrefs {
        quiet_hours: Some(QuietHours {
            start: hm(7, 0),
            end: hm(10, 0),
        }),
        ..LocalPrefs::default()
    };
    let mut engine = agenda_engine_with(
        chrono_tz::UTC,
        hm(9, 0),
        &WORKING,
        prefs,
        ReminderLedger::new(),
    );
    let held = engine.handle(Input::Calendar(tuesday()), utc("2026-11-24T09:00:00Z"));
    assert_eq!(agenda_titles(&held), Vec::<String>::new());
    assert_eq!(
        ticks(&held),
        [utc("2026-11-24T10:00:00Z")],
        "when quiet ends"
    );
    let released = engine.handle(Input::Tick, utc("2026-11-24T10:00:00Z"));
    assert_eq!(agenda_titles(&released).len(), 1);

    // Paused until after midnight: Wednesday's comes, Tuesday's never.
    let mut paused = agenda_engine(chrono_tz::UTC, hm(9, 0), &WORKING, ReminderLedger::new());
    paused.handle(
        Input::User(UserAction::Pause {
            until: Some(utc("2026-11-25T08:00:00Z")),
        }),
        utc("2026-11-24T08:00:00Z"),
    );
    let cases = [
        ("2026-11-24T08:00:01Z", 0),
        ("2026-11-24T09:00:00Z", 0),
        ("2026-11-24T23:59:59Z", 0),
        ("2026-11-25T08:00:00Z", 0),
        ("2026-11-25T09:00:00Z", 1),
    ];
    paused.handle(Input::Calendar(tuesday()), utc("2026-11-24T08:00:00Z"));
    for (now, want) in cases {
        let effects = paused.handle(Input::Tick, utc(now));
        assert_eq!(agenda_titles(&effects).len(), want, "{now}");
    }
}

#[test]
fn today_is_the_local_date_across_midnight_in_a_far_zone() {
    // Kiritimati is UTC+14: its Wednesday 09:00 is Tuesday 19:00 UTC.
    let kiritimati = chrono_tz::Pacific::Kiritimati;
    let mut engine = agenda_engine(kiritimati, hm(9, 0), &WORKING, ReminderLedger::new());
    let items = vec![
        // Wednesday 23:59 local: today.
        item("last-minute", "sla_deadline", "2026-11-25T09:59:00Z"),
        // Thursday 00:00 local: not today.
        item("thursday", "sla_deadline", "2026-11-25T10:00:00Z"),
    ];
    let effects = engine.handle(Input::Calendar(items), utc("2026-11-24T19:00:00Z"));
    assert_eq!(agenda_titles(&effects), ["Today: 1 deadline"]);
    assert_eq!(
        engine.ledger().agenda_day(),
        Some("2026-11-25".parse().expect("date")),
        "the local date, not UTC's Tuesday"
    );
}

#[test]
fn dst_days_use_the_first_moment_the_wall_clock_reads_the_time() {
    let berlin = chrono_tz::Europe::Berlin;
    let every_day = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let items = || {
        vec![
            item("spring", "sla_deadline", "2026-03-29T12:00:00Z"),
            item("autumn", "sla_deadline", "2026-10-25T12:00:00Z"),
        ]
    };
    // 2026-03-29 skips 02:00–03:00: 02:30 is the jump, 01:00 UTC.
    let mut spring = agenda_engine(berlin, hm(2, 30), &every_day, ReminderLedger::new());
    let before = spring.handle(Input::Calendar(items()), utc("2026-03-29T00:30:00Z"));
    assert_eq!(ticks(&before), [utc("2026-03-29T01:00:00Z")]);
    let shown = spring.handle(Input::Tick, utc("2026-03-29T01:00:00Z"));
    assert_eq!(agenda_titles(&shown).len(), 1);
    // 2026-10-25 passes 02:30 twice: the first time, and only once.
    let mut autumn = agenda_engine(berlin, hm(2, 30), &every_day, ReminderLedger::new());
    let cases = [
        ("2026-10-25T00:29:59Z", 0),
        ("2026-10-25T00:30:00Z", 1),
        ("2026-10-25T01:30:00Z", 0),
    ];
    autumn.handle(Input::Calendar(items()), utc("2026-10-24T23:00:00Z"));
    for (now, want) in cases {
        let effects = autumn.handle(Input::Tick, utc(now));
        assert_eq!(agenda_titles(&effects).len(), want, "{now}");
    }
}

#[test]
fn a_clock_that_goes_back_does_not_bring_it_twice() {
    let mut engine = agenda_engine(chrono_tz::UTC, hm(9, 0), &WORKING, ReminderLedger::new());
    let cases = [
        ("2026-11-24T09:00:00Z", 1),
        ("2026-11-24T08:00:00Z", 0),
        ("2026-11-23T12:00:00Z", 0),
        ("2026-11-24T09:00:00Z", 0),
        ("2026-11-25T09:00:00Z", 1),
    ];
    engine.handle(Input::Calendar(tuesday()), utc("2026-11-24T08:59:00Z"));
    for (now, want) in cases {
        let effects = engine.handle(Input::Tick, utc(now));
        assert_eq!(agenda_titles(&effects).len(), want, "{now}");
    }
}
