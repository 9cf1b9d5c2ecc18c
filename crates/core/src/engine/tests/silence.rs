//! Rules 4–6: the preference matrix, quiet hours and pause, storm coalescing.

use chrono::NaiveTime;

use super::*;
use crate::engine::{PAUSED_INDEFINITELY, PopupKind, QuietHours, UserAction};
use crate::event::Severity;

fn sounds(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::PlaySound { event_type } => Some(event_type.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn default_matrix_pops_up_attention_events_and_sounds_for_the_serious_ones() {
    // (type, severity, pop-ups, sounds)
    let cases = [
        ("sla_breached", "high", 1, 1),
        ("sla_breached", "low", 1, 0),
        ("sla_escalated", "critical", 1, 0),
        ("sla_escalated", "medium", 1, 0),
        ("finding_rescan_requested", "low", 1, 0),
        ("approval_requested", "medium", 1, 0),
        ("finding_updated", "critical", 0, 0),
        ("finding_created", "urgent", 0, 0),
        ("finding_status_changed", "high", 0, 0),
        ("asset_updated", "low", 0, 0),
    ];
    for (ty, severity, want_popups, want_sounds) in cases {
        let mut engine = engine();
        let effects = engine.handle(domain(ty, "f-1", severity, "c1"), at(0));
        assert_eq!(popups(&effects).len(), want_popups, "{ty} {severity}");
        assert_eq!(sounds(&effects).len(), want_sounds, "{ty} {severity}");
    }
    let mut engine = engine();
    let urgent = engine.handle(assigned("f-2", "urgent", &[ME], "c2"), at(0));
    assert_eq!(sounds(&urgent), ["finding_assigned"]);
    assert!(popups(&urgent)[0].sound && popups(&urgent)[0].urgent);
}

#[test]
fn severityless_events_pass_the_minimum_severity_filter() {
    let mut engine = engine_with(LocalPrefs {
        min_severity_popup: Severity::Critical,
        ..LocalPrefs::default()
    });
    let report = frame(
        serde_json::json!({"type": "report_generated", "company_id": "c-acme",
        "payload": {"report_id": "r-1", "name": "Q4 pentest"}}),
    );
    assert_eq!(
        titles(&engine.handle(report, at(0))),
        ["Report generated: Q4 pentest"]
    );
    let high = engine.handle(domain("sla_breached", "f-1", "high", "c1"), at(1));
    assert_eq!(popups(&high), []);
    assert_eq!(engine.stats().suppressed_prefs, 1);
}

fn quiet_prefs(breakthrough: bool) -> LocalPrefs {
    LocalPrefs {
        quiet_hours: Some(QuietHours {
            start: NaiveTime::from_hms_opt(22, 0, 0).expect("valid"),
            end: NaiveTime::from_hms_opt(7, 0, 0).expect("valid"),
        }),
        breakthrough,
        ..LocalPrefs::default()
    }
}

#[test]
fn quiet_hours_cross_midnight_in_local_zone_and_urgent_breaks_through() {
    // T0 is 12:00 UTC = 13:00 in Berlin: +8 h = 21:00, +10 h = 23:00, +18 h = 07:00 local.
    // (breakthrough, severity, offset hours, pop-ups)
    let cases = [
        (true, "high", 10, 0),
        (true, "critical", 10, 1),
        (true, "urgent", 15, 1),
        (false, "urgent", 10, 0),
        (true, "high", 18, 1),
        (true, "high", 8, 1),
    ];
    for (breakthrough, severity, hours, want) in cases {
        let mut config = config(plain_prefs(quiet_prefs(breakthrough)));
        config.time_zone = chrono_tz::Europe::Berlin;
        let mut engine = Engine::new(config, ReminderLedger::new());
        let effects = engine.handle(assigned("f-1", severity, &[ME], "c1"), at(hours * 3600));
        assert_eq!(
            popups(&effects).len(),
            want,
            "{breakthrough} {severity} +{hours}h"
        );
        let quiet = u64::from(want == 0);
        assert_eq!(
            engine.stats().suppressed_quiet,
            quiet,
            "{breakthrough} {severity} +{hours}h"
        );
        if want == 0 {
            assert!(
                sounds(&effects).is_empty(),
                "no sound in quiet hours either"
            );
        }
    }
}

#[test]
fn pause_expires_at_the_first_input_at_or_after_its_end() {
    let mut engine = engine();
    let pause = engine.handle(
        Input::User(UserAction::Pause {
            until: Some(at(60)),
        }),
        at(0),
    );
    assert_eq!(
        pause,
        [Effect::SetPause(Some(at(60))), Effect::ScheduleTick(at(60))]
    );
    let during = engine.handle(assigned("f-1", "high", &[ME], "c1"), at(30));
    assert_eq!(popups(&during), []);
    assert_eq!(engine.stats().suppressed_paused, 1);
    let urgent = engine.handle(assigned("f-2", "urgent", &[ME], "c2"), at(31));
    assert_eq!(
        popups(&urgent).len(),
        1,
        "critical/urgent break through pause"
    );
    let tick = engine.handle(Input::Tick, at(60));
    assert_eq!(tick.first(), Some(&Effect::SetPause(None)));
    let after = engine.handle(assigned("f-3", "high", &[ME], "c3"), at(61));
    assert_eq!(popups(&after).len(), 1);
}

#[test]
fn pause_until_tomorrow_ends_at_eight_in_the_configured_zone() {
    // T0 is 07:00 in New York: tomorrow 08:00 there, not 08:00 UTC.
    let mut config = config(plain_prefs(LocalPrefs::default()));
    config.time_zone = chrono_tz::America::New_York;
    let mut engine = Engine::new(config, ReminderLedger::new());
    let until: DateTime<Utc> = "2026-11-25T13:00:00Z".parse().expect("instant");
    let pause = engine.handle(Input::User(UserAction::PauseUntilTomorrow), at(0));
    assert_eq!(
        pause,
        [Effect::SetPause(Some(until)), Effect::ScheduleTick(until)]
    );
    let during = engine.handle(
        assigned("f-1", "high", &[ME], "c1"),
        until - TimeDelta::seconds(1),
    );
    assert_eq!(popups(&during), []);
    let tick = engine.handle(Input::Tick, until);
    assert_eq!(tick.first(), Some(&Effect::SetPause(None)));
}

#[test]
fn pause_for_a_while_counts_from_the_engine_now() {
    let mut engine = engine();
    let pause = engine.handle(Input::User(UserAction::PauseFor { minutes: 60 }), at(30));
    assert_eq!(
        pause,
        [
            Effect::SetPause(Some(at(30 + 3600))),
            Effect::ScheduleTick(at(30 + 3600))
        ]
    );
    let none = engine.handle(Input::User(UserAction::PauseFor { minutes: 0 }), at(40));
    assert_eq!(
        untimed(none),
        [Effect::SetPause(None)],
        "zero minutes resumes"
    );
}

#[test]
fn pause_without_end_lasts_until_resume() {
    let mut engine = engine();
    let pause = engine.handle(Input::User(UserAction::Pause { until: None }), at(0));
    assert_eq!(pause, [Effect::SetPause(Some(PAUSED_INDEFINITELY))]);
    let much_later = engine.handle(assigned("f-1", "high", &[ME], "c1"), at(86_400 * 30));
    assert_eq!(popups(&much_later), []);
    let resume = engine.handle(Input::User(UserAction::Resume), at(86_400 * 30));
    assert_eq!(untimed(resume), [Effect::SetPause(None)]);
    let again = engine.handle(Input::User(UserAction::Resume), at(86_400 * 30));
    assert_eq!(untimed(again), [], "resume when not paused changes nothing");
    let past = engine.handle(
        Input::User(UserAction::Pause { until: Some(at(0)) }),
        at(60),
    );
    assert_eq!(untimed(past), [], "a pause ending in the past is no pause");
}

#[test]
fn storm_coalesces_into_one_summary_per_window() {
    let mut engine = engine();
    let mut shown = Vec::new();
    let mut scheduled = Vec::new();
    for i in 0..15 {
        let effects = engine.handle(assigned(&format!("f-{i}"), "high", &[ME], "c"), at(0));
        shown.extend(popups(&effects));
        scheduled.extend(ticks(&effects));
    }
    assert_eq!(shown.len(), 3);
    assert!(
        scheduled.contains(&at(10)),
        "window end is scheduled: {scheduled:?}"
    );
    assert_eq!(popups(&engine.handle(Input::Tick, at(9))), []);
    let end = popups(&engine.handle(Input::Tick, at(10)));
    assert_eq!(end.len(), 1);
    assert_eq!(end[0].kind, PopupKind::StormSummary);
    assert_eq!(end[0].title, "12 more findings assigned");
    assert_eq!(
        popups(&engine.handle(Input::Tick, at(11))),
        [],
        "one summary per window"
    );
    assert_eq!(engine.stats().coalesced, 12);
    assert_eq!(engine.stats().storm_summaries, 1);
}

#[test]
fn storm_summary_of_mixed_types_counts_notifications_and_comes_before_new_popups() {
    let mut engine = engine();
    for i in 0..3 {
        engine.handle(assigned(&format!("f-{i}"), "high", &[ME], "c"), at(0));
    }
    engine.handle(domain("sla_breached", "f-8", "low", "s1"), at(1));
    engine.handle(domain("sla_escalated", "f-9", "low", "s2"), at(2));
    // No tick arrived; the next event after the window closes it first.
    let effects = engine.handle(assigned("f-new", "high", &[ME], "c"), at(30));
    let shown = popups(&effects);
    assert_eq!(shown.len(), 2);
    assert_eq!(shown[0].title, "2 more notifications");
    assert_eq!(shown[1].title, "Assigned to you: Issue f-new");
}
