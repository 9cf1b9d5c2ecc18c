//! Serde types for the REST endpoints of PROTOCOL.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::event::CalendarItem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Company {
    pub id: String,
    pub name: String,
}

/// `GET /api/v1/me`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub companies: Vec<Company>,
}

/// `GET /api/v1/notifications/summary`: the badge's source of truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub total: u64,
    pub unread: u64,
}

/// One inbox row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxRow {
    pub id: String,
    #[serde(default)]
    pub user_id: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub event_type: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub data: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub read: bool,
    pub created_at: String,
}

impl InboxRow {
    /// The web UI page of what the row is about (its `data` names it by id),
    /// else the inbox, on `origin`.
    pub fn url(&self, origin: &str) -> String {
        let subject = crate::event::subject_from_ids(&self.data);
        let subject = subject.as_ref().map(|(ty, id)| (ty.as_str(), id.as_str()));
        crate::event::deep_link(origin, subject)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub items: Vec<InboxRow>,
    pub next_cursor: Option<String>,
}

/// Filters and paging for `GET /api/v1/notifications`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InboxQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub read: Option<bool>,
    pub event_type: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    pub preferences: BTreeMap<String, bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadAll {
    pub updated: u64,
}

/// `GET /api/v1/calendar`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    pub from: String,
    pub to: String,
    pub items: Vec<CalendarItem>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CalendarQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub company_id: Option<String>,
    pub mine: bool,
}

/// The JSON error body every endpoint uses.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct ApiError {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inbox_row_links_to_its_subject_or_the_inbox() {
        let cases = [
            (
                r#"{"approval_request_id":"a-1","severity":"high"}"#,
                "/approvals/a-1",
            ),
            (r#"{"report_id":"r 1"}"#, "/reports/r%201"),
            (r#"{"severity":"low"}"#, "/notifications"),
        ];
        for (data, path) in cases {
            let row: InboxRow = serde_json::from_str(&format!(
                r#"{{"id":"n-1","created_at":"2026-11-24T09:15:02Z","data":{data}}}"#
            ))
            .expect("an inbox row");
            assert_eq!(
                row.url("https://pmap.example.com"),
                format!("https://pmap.example.com{path}"),
                "{data}"
            );
        }
    }
}
