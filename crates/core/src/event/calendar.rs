//! Items of the operations calendar (`GET /api/v1/calendar?mine=true`).
//!
//! Reminders are computed from these; the shell deserializes the REST answer
//! into [`CalendarPage`] and hands the items to the engine. Every field but
//! `id` and `at` has a default so one odd item cannot hide the others.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Severity;
use super::severity::deserialize_lenient;
use super::subject::page_link;

/// What a calendar item marks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarKind {
    ProjectStart,
    ProjectEnd,
    ScanScheduled,
    ScanRunning,
    SlaDeadline,
    RetestDue,
    AgreementExpiry,
    /// A kind added to the server after this client was built.
    #[default]
    #[serde(other)]
    Other,
}

impl CalendarKind {
    /// Only personal deadlines get local reminders.
    pub fn has_reminders(self) -> bool {
        matches!(self, CalendarKind::SlaDeadline | CalendarKind::RetestDue)
    }

    /// How a reminder names the deadline ("SLA deadline").
    pub fn display_name(self) -> &'static str {
        match self {
            CalendarKind::ProjectStart => "Project start",
            CalendarKind::ProjectEnd => "Project end",
            CalendarKind::ScanScheduled => "Scan scheduled",
            CalendarKind::ScanRunning => "Scan running",
            CalendarKind::SlaDeadline => "SLA deadline",
            CalendarKind::RetestDue => "Retest due",
            CalendarKind::AgreementExpiry => "Agreement expiry",
            CalendarKind::Other => "Deadline",
        }
    }
}

/// One item of the calendar, mirroring PROTOCOL.md.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarItem {
    pub id: String,
    #[serde(default)]
    pub kind: CalendarKind,
    #[serde(default)]
    pub title: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub all_day: bool,
    #[serde(default)]
    pub entity_type: String,
    #[serde(default)]
    pub entity_id: String,
    #[serde(default, deserialize_with = "deserialize_lenient")]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub company_id: Option<String>,
    #[serde(default)]
    pub company_name: Option<String>,
}

impl CalendarItem {
    /// The web UI page of the item's entity on `origin`, if it has one (an
    /// agreement, say, has none).
    pub fn url(&self, origin: &str) -> Option<String> {
        page_link(origin, &self.entity_type, &self.entity_id)
    }
}

/// The whole calendar answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarPage {
    pub from: String,
    pub to: String,
    pub items: Vec<CalendarItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_item_deserializes() {
        let json = r#"{"id":"sla-f-1","kind":"sla_deadline","title":"Weak TLS","at":"2026-11-24T09:15:02.123456789Z",
            "all_day":false,"entity_type":"finding","entity_id":"f-1","severity":"critical","status":"open",
            "company_id":"c-acme","company_name":"Acme Corp"}"#;
        let item: CalendarItem = serde_json::from_str(json).expect("valid item");
        assert_eq!(item.kind, CalendarKind::SlaDeadline);
        assert_eq!(item.severity, Some(Severity::Critical));
        assert!(item.kind.has_reminders());
        assert_eq!(
            item.url("https://pmap.example.com").as_deref(),
            Some("https://pmap.example.com/findings/f-1")
        );
    }

    #[test]
    fn unknown_kind_and_severity_do_not_fail_the_item() {
        let json = r#"{"id":"x","kind":"eclipse","at":"2026-11-24T09:15:02Z","severity":"weird"}"#;
        let item: CalendarItem = serde_json::from_str(json).expect("lenient item");
        assert_eq!(item.kind, CalendarKind::Other);
        assert_eq!(item.severity, None);
        assert!(!item.kind.has_reminders());
        assert_eq!(item.url("https://pmap.example.com"), None, "no entity");
    }
}
