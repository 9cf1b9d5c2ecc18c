//! Engine behaviour tests: one file per group of rules, each test a table of
//! `(input, fake now) → effects`. Time starts at [`T0`], a Tuesday noon UTC.

mod agenda_rules;
mod badge_connection;
mod catch_up;
mod pipeline;
mod reminder_rules;
mod scope_rules;
mod silence;
mod snooze_rules;
mod sound_and_dnd;
mod system;
mod wording;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::{Effect, Engine, EngineConfig, Input, LocalPrefs, Popup, ReminderLedger};

pub(super) const ME: &str = "u-ana";
pub(super) const ORIGIN: &str = "https://pmap.example.com";

/// 2026-11-24T12:00:00Z.
pub(super) fn t0() -> DateTime<Utc> {
    "2026-11-24T12:00:00Z".parse().expect("valid instant")
}

/// `T0 + secs`.
pub(super) fn at(secs: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(secs)
}

pub(super) fn config(prefs: LocalPrefs) -> EngineConfig {
    EngineConfig {
        user_id: ME.to_owned(),
        server_origin: ORIGIN.to_owned(),
        companies: vec![
            ("c-acme".into(), "Acme Corp".into()),
            ("c-globex".into(), "Globex".into()),
        ],
        prefs,
        time_zone: chrono_tz::UTC,
    }
}

/// An engine with default preferences, but without the morning agenda
/// (it would come at T0, a Tuesday noon, in every table) and with every
/// group's scope at "my companies" (events about someone else's findings
/// would be left out): both rules have their own tables
/// (`agenda_rules`, `scope_rules`).
pub(super) fn engine() -> Engine {
    engine_with(LocalPrefs::default())
}

/// [`engine`] with `prefs`, the agenda off and the scopes wide.
pub(super) fn engine_with(prefs: LocalPrefs) -> Engine {
    Engine::new(config(plain_prefs(prefs)), ReminderLedger::new())
}

pub(super) fn plain_prefs(mut prefs: LocalPrefs) -> LocalPrefs {
    prefs.agenda.enabled = false;
    prefs.scope = crate::engine::Scopes {
        findings: crate::engine::Scope::MyCompanies,
        approvals: crate::engine::Scope::MyCompanies,
        scans: crate::engine::Scope::MyCompanies,
    };
    prefs
}

/// A default (`message`) SSE frame carrying `data`.
pub(super) fn frame(data: Value) -> Input {
    Input::Frame {
        event: "message".into(),
        data: data.to_string().into(),
    }
}

/// `finding_assigned` (thin) for `finding` to `assignees`.
pub(super) fn assigned(finding: &str, severity: &str, assignees: &[&str], corr: &str) -> Input {
    frame(
        json!({"type": "finding_assigned", "company_id": "c-acme", "payload": {
        "finding_id": finding, "title": format!("Issue {finding}"), "severity": severity,
        "assignee_ids": assignees, "correlation_id": corr,
        "subject_type": "finding", "subject_id": finding}}),
    )
}

/// The signed-in user's `notification_created` about `finding`.
pub(super) fn created(id: &str, finding: &str, severity: &str) -> Input {
    created_for(ME, id, finding, severity, false)
}

pub(super) fn created_for(
    user: &str,
    id: &str,
    finding: &str,
    severity: &str,
    read: bool,
) -> Input {
    frame(
        json!({"type": "notification_created", "company_id": "c-acme", "payload": {
        "user_id": user, "notification": {"id": id, "user_id": user, "type": "alert",
        "event_type": "finding_assigned", "title": format!("Assigned to you: Issue {finding}"),
        "body": "", "data": {"finding_id": finding, "severity": severity}, "read": read,
        "created_at": "2026-11-24T12:00:00Z"}}}),
    )
}

/// A domain event of `ty` about `finding`, with a fresh correlation id.
pub(super) fn domain(ty: &str, finding: &str, severity: &str, corr: &str) -> Input {
    frame(json!({"type": ty, "company_id": "c-acme", "payload": {
        "finding_id": finding, "title": format!("Issue {finding}"), "severity": severity,
        "correlation_id": corr}}))
}

pub(super) fn popups(effects: &[Effect]) -> Vec<Popup> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn titles(effects: &[Effect]) -> Vec<String> {
    popups(effects).into_iter().map(|p| p.title).collect()
}

/// Effects without `ScheduleTick`, for rules that are not about timers.
pub(super) fn untimed(effects: Vec<Effect>) -> Vec<Effect> {
    effects
        .into_iter()
        .filter(|e| !matches!(e, Effect::ScheduleTick(_)))
        .collect()
}

pub(super) fn ticks(effects: &[Effect]) -> Vec<DateTime<Utc>> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::ScheduleTick(at) => Some(*at),
            _ => None,
        })
        .collect()
}
