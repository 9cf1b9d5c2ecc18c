//! Per-user inbox rows and the rules for paging through them.
//!
//! Rows are kept newest first and every `created_at` is unique within a
//! user's inbox, so a page cursor (the `created_at` of the last row shown)
//! always names exactly one position: the next page is everything strictly
//! older, no matter how many rows arrive in between.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::time::Timestamp;

/// One notification in a user's inbox.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InboxRow {
    pub(crate) id: String,
    pub(crate) user_id: String,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) event_type: String,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) data: RowData,
    pub(crate) read: bool,
    pub(crate) created_at: Timestamp,
}

/// What a row points at; absent keys are left out of the JSON.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct RowData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) finding_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scan_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) approval_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) report_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) asset_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) severity: Option<String>,
}

/// The row type (`alert`, `info`, `reminder`) an event type's inbox row
/// gets, or `None` for a type that creates no rows. PROTOCOL.md fixes which
/// types create rows; the row type for each is the simulator's choice:
/// something to act on now is an alert, something that lapsed and needs a
/// second look is a reminder.
pub(crate) fn row_kind(event_type: &str) -> Option<&'static str> {
    Some(match event_type {
        "finding_assigned" | "sla_breached" | "sla_escalated" | "approval_requested" => "alert",
        "approval_expired" | "approval_exception_expired" => "reminder",
        "finding_created"
        | "finding_status_changed"
        | "finding_retested"
        | "finding_note_added"
        | "scan_completed"
        | "report_generated"
        | "approval_approved"
        | "approval_rejected"
        | "approval_cancelled" => "info",
        _ => return None,
    })
}

/// Which rows one page request wants.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageQuery {
    pub(crate) limit: usize,
    pub(crate) cursor: Option<DateTime<Utc>>,
    pub(crate) read: Option<bool>,
    pub(crate) event_type: Option<String>,
}

/// One page of rows and where the next one starts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Page {
    pub(crate) items: Vec<InboxRow>,
    pub(crate) next_cursor: Option<Timestamp>,
}

/// The outcome of marking one row read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkRead {
    Marked,
    AlreadyRead,
    NotFound,
}

/// Every user's inbox.
#[derive(Debug, Default)]
pub(crate) struct Inbox {
    by_user: HashMap<String, Vec<InboxRow>>,
}

impl Inbox {
    /// Adds a row, moving its `created_at` forward by a nanosecond at a
    /// time until it is unique for the user. Returns the row as stored.
    pub(crate) fn insert(&mut self, mut row: InboxRow) -> InboxRow {
        let rows = self.by_user.entry(row.user_id.clone()).or_default();
        while rows.iter().any(|r| r.created_at == row.created_at) {
            row.created_at = Timestamp(row.created_at.0 + Duration::nanoseconds(1));
        }
        let at = rows.partition_point(|r| r.created_at > row.created_at);
        rows.insert(at, row.clone());
        row
    }

    pub(crate) fn page(&self, user_id: &str, query: &PageQuery) -> Page {
        let mut matching = self
            .rows(user_id)
            .iter()
            .filter(|r| query.cursor.is_none_or(|cursor| r.created_at.0 < cursor))
            .filter(|r| query.read.is_none_or(|read| r.read == read))
            .filter(|r| {
                query
                    .event_type
                    .as_deref()
                    .is_none_or(|t| r.event_type == t)
            });
        let items: Vec<InboxRow> = matching.by_ref().take(query.limit).cloned().collect();
        let more = matching.next().is_some();
        let next_cursor = if more {
            items.last().map(|r| r.created_at)
        } else {
            None
        };
        Page { items, next_cursor }
    }

    /// `(total, unread)` for the user.
    pub(crate) fn summary(&self, user_id: &str) -> (usize, usize) {
        let rows = self.rows(user_id);
        (rows.len(), rows.iter().filter(|r| !r.read).count())
    }

    pub(crate) fn mark_read(&mut self, user_id: &str, id: &str) -> MarkRead {
        let row = self
            .by_user
            .get_mut(user_id)
            .and_then(|rows| rows.iter_mut().find(|r| r.id == id));
        match row {
            None => MarkRead::NotFound,
            Some(row) if row.read => MarkRead::AlreadyRead,
            Some(row) => {
                row.read = true;
                MarkRead::Marked
            }
        }
    }

    /// Marks every unread row read; returns how many changed.
    pub(crate) fn read_all(&mut self, user_id: &str) -> usize {
        let Some(rows) = self.by_user.get_mut(user_id) else {
            return 0;
        };
        let mut updated = 0;
        for row in rows.iter_mut().filter(|r| !r.read) {
            row.read = true;
            updated += 1;
        }
        updated
    }

    fn rows(&self, user_id: &str) -> &[InboxRow] {
        self.by_user.get(user_id).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, at: DateTime<Utc>, read: bool) -> InboxRow {
        InboxRow {
            id: id.to_string(),
            user_id: "u-ana".to_string(),
            kind: "info",
            event_type: "scan_completed".to_string(),
            title: id.to_string(),
            body: String::new(),
            data: RowData::default(),
            read,
            created_at: Timestamp(at),
        }
    }

    #[test]
    fn only_the_protocol_row_types_create_rows() {
        let rows = [
            "finding_created",
            "finding_assigned",
            "finding_status_changed",
            "finding_retested",
            "finding_note_added",
            "scan_completed",
            "sla_breached",
            "sla_escalated",
            "report_generated",
        ];
        let approvals = crate::catalog::EVENT_TYPES
            .iter()
            .filter(|t| t.starts_with("approval_"));
        for event_type in rows.iter().chain(approvals) {
            assert!(row_kind(event_type).is_some(), "{event_type}");
        }
        for event_type in [
            "finding_updated",
            "asset_created",
            "notification_created",
            "vcs_push",
        ] {
            assert_eq!(row_kind(event_type), None, "{event_type}");
        }
    }

    #[test]
    fn colliding_created_at_is_bumped_by_one_nanosecond() {
        let at = Utc::now();
        let mut inbox = Inbox::default();
        inbox.insert(row("a", at, false));
        let second = inbox.insert(row("b", at, false));
        let third = inbox.insert(row("c", at, false));
        assert_eq!(second.created_at.0 - at, Duration::nanoseconds(1));
        assert_eq!(third.created_at.0 - at, Duration::nanoseconds(2));
    }

    #[test]
    fn pages_are_newest_first_and_strictly_older_than_the_cursor() {
        let at = Utc::now();
        let mut inbox = Inbox::default();
        for n in 0..5 {
            inbox.insert(row(&format!("r{n}"), at + Duration::seconds(n), n % 2 == 0));
        }
        let query = PageQuery {
            limit: 2,
            ..PageQuery::default()
        };
        let first = inbox.page("u-ana", &query);
        let ids: Vec<_> = first.items.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["r4", "r3"]);
        let cursor = first.next_cursor.map(|c| c.0);
        let second = inbox.page(
            "u-ana",
            &PageQuery {
                cursor,
                ..query.clone()
            },
        );
        let ids: Vec<_> = second.items.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["r2", "r1"]);
        let cursor = second.next_cursor.map(|c| c.0);
        let last = inbox.page("u-ana", &PageQuery { cursor, ..query });
        assert_eq!(last.items.len(), 1);
        assert!(last.next_cursor.is_none());
    }

    #[test]
    fn mark_read_reports_unknown_already_read_and_marked() {
        let mut inbox = Inbox::default();
        inbox.insert(row("a", Utc::now(), false));
        assert_eq!(inbox.mark_read("u-ben", "a"), MarkRead::NotFound);
        assert_eq!(inbox.mark_read("u-ana", "a"), MarkRead::Marked);
        assert_eq!(inbox.mark_read("u-ana", "a"), MarkRead::AlreadyRead);
        assert_eq!(inbox.summary("u-ana"), (1, 0));
    }
}
