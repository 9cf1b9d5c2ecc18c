//! The operations calendar: which dated things a user sees in a window.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Months, Utc};
use serde::Serialize;

use crate::fixture::directory::company_name;
use crate::fixture::findings::{Finding, is_terminal};
use crate::fixture::{Fixture, User};
use crate::time::{Timestamp, parse_bound};

/// The longest window one request may ask for.
pub(crate) const MAX_WINDOW_DAYS: i64 = 366;

/// One dated entry on the calendar.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalendarItem {
    pub(crate) id: String,
    pub(crate) kind: &'static str,
    pub(crate) title: String,
    pub(crate) at: Timestamp,
    pub(crate) all_day: bool,
    pub(crate) entity_type: &'static str,
    pub(crate) entity_id: String,
    pub(crate) severity: Option<&'static str>,
    pub(crate) status: &'static str,
    pub(crate) company_id: &'static str,
    pub(crate) company_name: &'static str,
}

/// A validated request.
#[derive(Debug, Clone)]
pub(crate) struct CalendarQuery {
    pub(crate) from: DateTime<Utc>,
    pub(crate) to: DateTime<Utc>,
    pub(crate) company_id: Option<String>,
    pub(crate) mine: bool,
}

/// Resolves `from`/`to` (dates or date-times) against the defaults
/// now − 1 month and now + 2 months, and checks the window.
pub(crate) fn window(
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let from = match from {
        None => now.checked_sub_months(Months::new(1)).unwrap_or(now),
        Some(text) => parse_bound(text)
            .and_then(|b| b.start())
            .ok_or_else(|| format!("from={text:?} is not an RFC 3339 date or date-time"))?,
    };
    let to = match to {
        None => now.checked_add_months(Months::new(2)).unwrap_or(now),
        Some(text) => parse_bound(text)
            .and_then(|b| b.end())
            .ok_or_else(|| format!("to={text:?} is not an RFC 3339 date or date-time"))?,
    };
    if to < from {
        return Err("to is before from".to_string());
    }
    if to - from > Duration::days(MAX_WINDOW_DAYS) {
        return Err(format!("the window is longer than {MAX_WINDOW_DAYS} days"));
    }
    Ok((from, to))
}

fn item(
    kind: &'static str,
    entity_type: &'static str,
    entity_id: &str,
    company_id: &'static str,
    title: String,
    at: DateTime<Utc>,
) -> CalendarItem {
    CalendarItem {
        id: format!("{kind}:{entity_id}"),
        kind,
        title,
        at: Timestamp(at),
        all_day: matches!(kind, "project_start" | "project_end" | "agreement_expiry"),
        entity_type,
        entity_id: entity_id.to_string(),
        severity: None,
        status: "",
        company_id,
        company_name: company_name(company_id).unwrap_or(company_id),
    }
}

/// Finding deadlines: SLA for live findings, retests for any finding.
fn finding_items<'a>(
    findings: impl Iterator<Item = &'a Finding>,
) -> Vec<(CalendarItem, &'a [&'static str])> {
    let mut items = Vec::new();
    for f in findings {
        let deadlines = [
            (
                "sla_deadline",
                f.sla_due.filter(|_| !is_terminal(f.status)),
                "SLA deadline",
            ),
            ("retest_due", f.retest_due, "Retest due"),
        ];
        for (kind, at, label) in deadlines {
            let Some(at) = at else { continue };
            let mut entry = item(
                kind,
                "finding",
                &f.id,
                f.company_id,
                format!("{label}: {}", f.title),
                at,
            );
            entry.severity = Some(f.severity);
            entry.status = f.status;
            items.push((entry, f.assignees.as_slice()));
        }
    }
    items
}

fn logistics_items(fixture: &Fixture, now: DateTime<Utc>) -> Vec<CalendarItem> {
    let mut items = Vec::new();
    for p in &fixture.projects {
        for (kind, at, label) in [
            ("project_start", p.starts, "starts"),
            ("project_end", p.ends, "ends"),
        ] {
            let mut entry = item(
                kind,
                "project",
                &p.id,
                p.company_id,
                format!("{} {label}", p.name),
                at,
            );
            entry.status = p.status(now);
            items.push(entry);
        }
    }
    for s in &fixture.scans {
        let kind = if s.status == "running" {
            "scan_running"
        } else {
            "scan_scheduled"
        };
        let mut entry = item(kind, "scan", &s.id, s.company_id, s.name.clone(), s.at);
        entry.status = s.status;
        items.push(entry);
    }
    for a in &fixture.agreements {
        let title = format!("{} expires", a.name);
        let mut entry = item(
            "agreement_expiry",
            "agreement",
            &a.id,
            a.company_id,
            title,
            a.expires,
        );
        entry.status = a.status(now);
        items.push(entry);
    }
    items
}

/// The items `user` sees for `query`, sorted by `at` (then id).
///
/// A `company_id` the user cannot see gives an empty list rather than an
/// error, so the answer never reveals which companies exist.
/// The items `user` sees; `added` are findings made through `/_sim/deadline`.
pub(crate) fn items_for(
    fixture: &Fixture,
    added: &[Finding],
    user: &User,
    query: &CalendarQuery,
    now: DateTime<Utc>,
) -> Vec<CalendarItem> {
    let deadlines = finding_items(fixture.findings.iter().chain(added));
    let mut items: Vec<CalendarItem> = if query.mine {
        let mut seen = HashSet::new();
        deadlines
            .into_iter()
            .filter(|(_, assignees)| assignees.contains(&user.id))
            .map(|(entry, _)| entry)
            .filter(|entry| seen.insert(entry.id.clone()))
            .collect()
    } else {
        let mut all: Vec<CalendarItem> = deadlines.into_iter().map(|(entry, _)| entry).collect();
        all.extend(logistics_items(fixture, now));
        all
    };
    items.retain(|entry| {
        user.scope.sees(entry.company_id)
            && query
                .company_id
                .as_deref()
                .is_none_or(|c| entry.company_id == c)
            && query.from <= entry.at.0
            && entry.at.0 <= query.to
    });
    items.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_defaults_and_validation() {
        let now = Utc::now();
        let (from, to) = window(None, None, now).expect("defaults are valid");
        assert!(from < now && now < to);
        assert!(window(Some("2026-11-02"), Some("2026-11-01"), now).is_err());
        assert!(window(Some("2026-01-01"), Some("2027-01-03"), now).is_err());
        assert!(window(Some("2026-01-01"), Some("2026-12-31"), now).is_ok());
        assert!(window(Some("soon"), None, now).is_err());
    }

    #[test]
    fn personal_mode_is_only_direct_live_deadlines_deduplicated() {
        let now = Utc::now();
        let fixture = Fixture::generate(now);
        let ana = fixture
            .users
            .iter()
            .find(|u| u.id == "u-ana")
            .expect("ana exists");
        let (from, to) = window(None, None, now).expect("defaults are valid");
        let query = CalendarQuery {
            from,
            to,
            company_id: None,
            mine: true,
        };
        let items = items_for(&fixture, &[], ana, &query, now);
        let ids: HashSet<_> = items.iter().map(|i| i.id.clone()).collect();
        assert_eq!(ids.len(), items.len());
        assert!(
            ids.contains("sla_deadline:f-101"),
            "multi-assignee item present"
        );
        assert!(ids.contains("sla_deadline:f-102"), "overdue item present");
        assert!(ids.contains("retest_due:f-103"));
        assert!(
            !ids.contains("sla_deadline:f-105"),
            "terminal finding excluded"
        );
        assert!(
            items
                .iter()
                .all(|i| matches!(i.kind, "sla_deadline" | "retest_due"))
        );
        assert!(items.windows(2).all(|w| w[0].at <= w[1].at));
    }
}
