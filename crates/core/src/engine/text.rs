//! Pop-up wording. Titles say what happened to what ("Assigned to you: SQL
//! injection in /login"); bodies give severity and company so a glance is
//! enough to decide whether to open it.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, Utc};

use super::agenda::AgendaDay;
use super::storm::StormSummary;
use super::{EngineConfig, Popup, PopupKind};
use crate::event::{CalendarItem, Envelope, EventType, Severity, deep_link, inbox_link};

const MAX_TITLE: usize = 120;
const MAX_BODY: usize = 300;
/// How many reminders a digest names before "and N more".
const DIGEST_LINES: usize = 4;

/// The pop-up for one server event.
pub(crate) fn event_popup(
    env: &Envelope<'_>,
    config: &EngineConfig,
    severity: Option<Severity>,
    sound: bool,
) -> Popup {
    let subject = env.subject();
    let what = env
        .title()
        .or_else(|| subject.as_ref().map(|(_, id)| id.clone()));
    let title = match (&env.event_type, what) {
        (EventType::NotificationCreated, Some(what)) => what,
        (EventType::NotificationCreated, None) => "New notification".to_owned(),
        (ty, Some(what)) => format!("{}: {what}", headline(ty)),
        (ty, None) => headline(ty),
    };
    let meta = meta_line(
        severity,
        env.company_id.as_deref().map(|id| config.company_name(id)),
    );
    let body = match env.body() {
        Some(text) if meta.is_empty() => text,
        Some(text) => format!("{text}\n{meta}"),
        None if meta.is_empty() => "PMAP".to_owned(),
        None => meta,
    };
    Popup {
        kind: PopupKind::Event,
        event_type: Some(env.event_type.as_str().to_owned()),
        title: clip(&title, MAX_TITLE),
        body: clip(&body, MAX_BODY),
        severity,
        urgent: severity.is_some_and(Severity::is_critical_or_urgent),
        url: Some(deep_link(
            config.origin(),
            subject.as_ref().map(|(t, i)| (t.as_str(), i.as_str())),
        )),
        notification_id: env
            .notification_id()
            .filter(|_| env.event_type == EventType::NotificationCreated)
            .map(Cow::into_owned),
        sound,
    }
}

/// "12 more findings assigned" / "12 more notifications".
pub(crate) fn storm_popup(summary: &StormSummary, config: &EngineConfig) -> Popup {
    let what = match (&summary.only_type, summary.count) {
        (Some(ty), 1) => ty.label(),
        (Some(ty), _) => ty.plural_label(),
        (None, 1) => "notification".to_owned(),
        (None, _) => "notifications".to_owned(),
    };
    Popup {
        kind: PopupKind::StormSummary,
        event_type: summary.only_type.as_ref().map(|ty| ty.as_str().to_owned()),
        title: format!("{} more {what}", summary.count),
        body: "Held back during a burst of activity; the inbox has them all.".to_owned(),
        severity: None,
        urgent: summary.urgent,
        url: Some(inbox_link(config.origin())),
        notification_id: None,
        sound: summary.sound.is_some(),
    }
}

/// "Due in 1 h: Weak TLS" with "SLA deadline · Critical · Acme Corp".
pub(crate) fn reminder_popup(
    item: &CalendarItem,
    config: &EngineConfig,
    now: DateTime<Utc>,
) -> Popup {
    let company = item
        .company_name
        .as_deref()
        .or_else(|| item.company_id.as_deref().map(|id| config.company_name(id)));
    let meta = meta_line(item.severity, company);
    let body = if meta.is_empty() {
        item.kind.display_name().to_owned()
    } else {
        format!("{} · {meta}", item.kind.display_name())
    };
    Popup {
        kind: PopupKind::Reminder,
        event_type: None,
        title: clip(&reminder_line(item, now), MAX_TITLE),
        body: clip(&body, MAX_BODY),
        severity: item.severity,
        urgent: item.severity.is_some_and(Severity::is_critical_or_urgent),
        url: Some(
            item.url(config.origin())
                .unwrap_or_else(|| inbox_link(config.origin())),
        ),
        notification_id: None,
        sound: false,
    }
}

/// One pop-up for reminders missed while the machine slept or the app was
/// closed; it names the first few and counts the rest.
pub(crate) fn digest_popup(items: &[&CalendarItem], now: DateTime<Utc>) -> Popup {
    let lines = first_lines(items, now);
    let severity = items.iter().filter_map(|i| i.severity).max();
    Popup {
        kind: PopupKind::ReminderDigest,
        event_type: None,
        title: format!("{} deadline reminders", items.len()),
        body: clip(&lines.join("\n"), MAX_BODY),
        severity,
        urgent: severity.is_some_and(Severity::is_critical_or_urgent),
        url: None,
        notification_id: None,
        sound: false,
    }
}

/// "Today: 3 deadlines (1 overdue), 2 retests due", and the first few
/// items, soonest first.
pub(crate) fn agenda_popup(day: &AgendaDay, now: DateTime<Utc>) -> Popup {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = Vec::new();
    if !day.deadlines.is_empty() {
        let mut part = plural(day.deadlines.len(), "deadline", "deadlines");
        if day.overdue > 0 {
            part.push_str(&format!(" ({} overdue)", day.overdue));
        }
        parts.push(part);
    }
    if !day.retests.is_empty() {
        parts.push(plural(day.retests.len(), "retest due", "retests due"));
    }
    let mut items: Vec<&CalendarItem> = day.deadlines.iter().chain(&day.retests).copied().collect();
    items.sort_by_key(|i| i.at);
    let lines = first_lines(&items, now);
    Popup {
        kind: PopupKind::Agenda,
        event_type: None,
        title: format!("Today: {}", parts.join(", ")),
        body: clip(&lines.join("\n"), MAX_BODY),
        severity: items.iter().filter_map(|i| i.severity).max(),
        urgent: false,
        url: None,
        notification_id: None,
        sound: false,
    }
}

/// The next personal deadline at a glance, for a tray menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextDeadline {
    /// "Next: SLA deadline for SQL injection in /login — in 3 h".
    pub text: String,
    /// Within the last hour before it.
    pub urgent: bool,
}

/// The soonest SLA deadline or retest still ahead of `now`, if any.
pub fn next_deadline(items: &[CalendarItem], now: DateTime<Utc>) -> Option<NextDeadline> {
    let item = items
        .iter()
        .filter(|i| i.kind.has_reminders() && i.at >= now)
        .min_by_key(|i| i.at)?;
    let left = item.at - now;
    let minutes = (left.num_seconds() as f64 / 60.0).round() as i64;
    let when = match minutes {
        m if m < 1 => "now".to_owned(),
        m if m < 60 => format!("in {m} min"),
        m if m < 48 * 60 => format!("in {} h", (m as f64 / 60.0).round() as i64),
        m => format!("in {} days", (m as f64 / 1440.0).round() as i64),
    };
    let title = if item.title.trim().is_empty() {
        item.kind.display_name().to_owned()
    } else {
        format!("{} for {}", item.kind.display_name(), clip(&item.title, 60))
    };
    Some(NextDeadline {
        text: format!("Next: {title} — {when}"),
        urgent: left <= TimeDelta::hours(1),
    })
}

/// A line per item for the first few, then "and N more".
fn first_lines(items: &[&CalendarItem], now: DateTime<Utc>) -> Vec<String> {
    let mut lines: Vec<String> = items
        .iter()
        .take(DIGEST_LINES)
        .map(|i| reminder_line(i, now))
        .collect();
    if items.len() > DIGEST_LINES {
        lines.push(format!("and {} more", items.len() - DIGEST_LINES));
    }
    lines
}

/// "Due in 24 h: …", "Due in 45 min: …", "Due now: …", "Overdue: …".
fn reminder_line(item: &CalendarItem, now: DateTime<Utc>) -> String {
    let title = if item.title.trim().is_empty() {
        item.kind.display_name()
    } else {
        item.title.as_str()
    };
    format!("{}: {title}", due_phrase(item.at - now))
}

fn due_phrase(remaining: TimeDelta) -> String {
    let minutes = (remaining.num_seconds() as f64 / 60.0).round() as i64;
    match minutes {
        m if m < -1 => "Overdue".to_owned(),
        m if m < 1 => "Due now".to_owned(),
        m if m < 60 => format!("Due in {m} min"),
        m if m < 48 * 60 => format!("Due in {} h", (m as f64 / 60.0).round() as i64),
        m => format!("Due in {} days", (m as f64 / 1440.0).round() as i64),
    }
}

/// What the pop-up's title is about, for each kind of event.
fn headline(ty: &EventType) -> String {
    match ty {
        EventType::FindingAssigned => "Assigned to you".to_owned(),
        EventType::FindingCreated => "New finding".to_owned(),
        EventType::FindingNoteAdded => "New note".to_owned(),
        other => other.title_label(),
    }
}

/// "Critical · Acme Corp", leaving out what is unknown.
fn meta_line(severity: Option<Severity>, company: Option<&str>) -> String {
    [severity.map(Severity::display_name), company]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Cuts at a character boundary so a hostile title cannot flood the
/// desktop, and drops the explicit bidi controls, so it cannot make a
/// pop-up read backwards either.
pub(crate) fn clip(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 4 + 3));
    for (n, c) in s.chars().filter(|c| !is_bidi_control(*c)).enumerate() {
        if n == max_chars {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// The explicit bidi formatting characters of Unicode's bidi algorithm
/// (UAX #9): embeddings, overrides, isolates and their ends. In server
/// text they can reorder what follows ("Invoice \u{202E}fdp.exe" shows as
/// "Invoice exe.pdf"); right-to-left scripts still lay out without them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_deadline_is_the_soonest_ahead_and_urgent_in_its_last_hour() {
        let now: DateTime<Utc> = "2026-11-24T12:00:00Z".parse().expect("now");
        let item = |id: &str, kind: &str, mins: i64| -> CalendarItem {
            serde_json::from_value(serde_json::json!({"id": id, "kind": kind,
                "title": format!("Fix {id}"), "at": now + TimeDelta::minutes(mins)}))
            .expect("item")
        };
        let cases = [
            (vec![], None),
            (vec![item("past", "sla_deadline", -5)], None),
            (vec![item("scan", "scan_scheduled", 5)], None),
            (
                vec![
                    item("later", "sla_deadline", 185),
                    item("soon", "retest_due", 61),
                ],
                Some(("Next: Retest due for Fix soon — in 1 h", false)),
            ),
            (
                vec![item("a", "sla_deadline", 60)],
                Some(("Next: SLA deadline for Fix a — in 1 h", true)),
            ),
            (
                vec![item("a", "sla_deadline", 0)],
                Some(("Next: SLA deadline for Fix a — now", true)),
            ),
            (
                vec![item("a", "sla_deadline", 3 * 1440)],
                Some(("Next: SLA deadline for Fix a — in 3 days", false)),
            ),
        ];
        for (items, want) in cases {
            let got = next_deadline(&items, now);
            let got = got.as_ref().map(|n| (n.text.as_str(), n.urgent));
            assert_eq!(got, want, "{items:?}");
        }
    }

    #[test]
    fn due_phrases_round_to_human_units() {
        let cases = [
            (TimeDelta::hours(24), "Due in 24 h"),
            (TimeDelta::minutes(24 * 60 - 3), "Due in 24 h"),
            (TimeDelta::hours(1), "Due in 1 h"),
            (TimeDelta::minutes(45), "Due in 45 min"),
            (TimeDelta::seconds(10), "Due now"),
            (TimeDelta::seconds(-50), "Due now"),
            (TimeDelta::minutes(-90), "Overdue"),
            (TimeDelta::days(3), "Due in 3 days"),
        ];
        for (remaining, want) in cases {
            assert_eq!(due_phrase(remaining), want, "{remaining}");
        }
    }

    #[test]
    fn long_text_is_clipped_on_a_char_boundary() {
        assert_eq!(clip("ééé", 2), "éé…");
        assert_eq!(clip("ok", 2), "ok");
        assert_eq!(clip("", 2), "");
        assert_eq!(clip("abc", 0), "…");
        assert_eq!(headline(&EventType::SlaBreached), "SLA breached");
        assert_eq!(headline(&EventType::FindingNoteAdded), "New note");
        assert_eq!(headline(&EventType::Unknown("ci_thing".into())), "CI thing");
    }
}
