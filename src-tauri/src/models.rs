//! What the webview receives, shaped for it. Every label, channel and link
//! in these values comes from companion-core, so `ui/` keeps no copy of a
//! protocol fact: it shows `label`, opens `url`, and lists the columns and
//! severities it is given.

use std::collections::BTreeMap;

use companion_core::engine::SoundSetting;
use companion_core::event::{CalendarItem, EventType, Severity};
use companion_core::preferences::{Channel, GridRow};
use companion_core::rest::{Calendar, InboxPage, InboxRow};
use serde::Serialize;

/// The vocabulary the UI labels things with (the `catalog` command).
#[derive(Serialize)]
pub struct Catalog {
    /// The catalog's event types, in catalog order.
    pub event_types: Vec<EventTypeLabel>,
    /// The severity scale, lowest first.
    pub severities: Vec<SeverityLabel>,
    /// The preference grid's columns.
    pub channels: Vec<Column>,
}

#[derive(Serialize)]
pub struct EventTypeLabel {
    pub id: String,
    pub label: String,
    pub group: &'static str,
}

impl EventTypeLabel {
    fn new(ty: &EventType) -> EventTypeLabel {
        EventTypeLabel {
            id: ty.as_str().to_owned(),
            label: ty.title_label(),
            group: ty.group().label(),
        }
    }
}

#[derive(Serialize)]
pub struct SeverityLabel {
    pub id: &'static str,
    pub label: &'static str,
}

/// One column of the preference grid.
#[derive(Serialize)]
pub struct Column {
    pub id: &'static str,
    pub label: &'static str,
    /// Kept on this machine (pop-up, sound) rather than on the server.
    pub local: bool,
}

impl Catalog {
    pub fn build() -> Catalog {
        Catalog {
            event_types: EventType::ALL.iter().map(EventTypeLabel::new).collect(),
            severities: Severity::ALL
                .into_iter()
                .map(|s| SeverityLabel {
                    id: s.as_str(),
                    label: s.display_name(),
                })
                .collect(),
            channels: columns(),
        }
    }
}

fn columns() -> Vec<Column> {
    Channel::all()
        .map(|channel| Column {
            id: channel.as_str(),
            label: channel.label(),
            local: matches!(channel, Channel::Local(_)),
        })
        .collect()
}

/// The Preferences view's grid (the `preference_grid` command).
#[derive(Serialize)]
pub struct PreferenceGrid {
    pub columns: Vec<Column>,
    pub rows: Vec<PreferenceRow>,
    /// Why the server's cells could not be read; they are shown disabled.
    pub server_error: Option<String>,
}

/// One event type's row: each cell keyed by its column's id.
#[derive(Serialize)]
pub struct PreferenceRow {
    #[serde(flatten)]
    pub event_type: EventTypeLabel,
    pub cells: BTreeMap<&'static str, bool>,
    /// The pop-up cell as set: `server` (follows the in-app cell), `on`, `off`.
    pub popup_cell: &'static str,
}

impl PreferenceGrid {
    pub fn new(rows: Vec<GridRow>, server_error: Option<String>) -> PreferenceGrid {
        let rows = rows
            .into_iter()
            .map(|row| {
                let mut cells = BTreeMap::from([
                    ("popup", row.popup),
                    // A sound that plays for critical events only is on.
                    ("sound", row.sound != SoundSetting::Off),
                ]);
                cells.extend(row.server.iter().map(|(c, on)| (c.as_str(), *on)));
                PreferenceRow {
                    event_type: EventTypeLabel::new(&row.event_type),
                    cells,
                    popup_cell: row.popup_cell.as_str(),
                }
            })
            .collect();
        PreferenceGrid {
            columns: columns(),
            rows,
            server_error,
        }
    }
}

/// An inbox row with the label of its type and the page it opens.
#[derive(Serialize)]
pub struct InboxRowView {
    #[serde(flatten)]
    pub row: InboxRow,
    pub event_label: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct InboxPageView {
    pub items: Vec<InboxRowView>,
    pub next_cursor: Option<String>,
}

impl InboxPageView {
    pub fn new(page: InboxPage, origin: &str) -> InboxPageView {
        let items = page
            .items
            .into_iter()
            .map(|row| InboxRowView {
                event_label: EventType::from_wire(&row.event_type).title_label(),
                url: row.url(origin),
                row,
            })
            .collect();
        InboxPageView {
            items,
            next_cursor: page.next_cursor,
        }
    }
}

/// A calendar item with the label of its kind, whether it is a personal
/// deadline (shown overdue once passed), and its page, if it has one.
#[derive(Serialize)]
pub struct CalendarItemView {
    #[serde(flatten)]
    pub item: CalendarItem,
    pub kind_label: &'static str,
    pub deadline: bool,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct CalendarView {
    pub from: String,
    pub to: String,
    pub items: Vec<CalendarItemView>,
}

impl CalendarView {
    pub fn new(calendar: Calendar, origin: &str) -> CalendarView {
        let items = calendar
            .items
            .into_iter()
            .map(|item| CalendarItemView {
                kind_label: item.kind.display_name(),
                deadline: item.kind.has_reminders(),
                url: item.url(origin),
                item,
            })
            .collect();
        CalendarView {
            from: calendar.from,
            to: calendar.to,
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn an_inbox_row_reaches_the_ui_with_its_label_and_link() {
        let row: InboxRow = serde_json::from_value(json!({
            "id": "n-1", "event_type": "finding_rescan_requested", "title": "Rescan",
            "data": {"finding_id": "f-9"}, "read": false, "created_at": "2026-11-24T09:15:02Z"
        }))
        .expect("a row");
        let page = InboxPage {
            items: vec![row],
            next_cursor: None,
        };
        let json = serde_json::to_value(InboxPageView::new(page, "https://pmap.example.com"))
            .expect("serialize");
        let item = &json["items"][0];
        assert_eq!(item["id"], "n-1", "the row's own fields stay at the top");
        assert_eq!(item["event_label"], "Finding rescan requested");
        assert_eq!(item["url"], "https://pmap.example.com/findings/f-9");
    }

    #[test]
    fn the_grid_lists_every_column_and_labels_unknown_types() {
        let rows = companion_core::preferences::grid(
            &Default::default(),
            &BTreeMap::from([("webhook.quantum_leap".to_owned(), false)]),
            [],
        );
        let json = serde_json::to_value(PreferenceGrid::new(rows, None)).expect("serialize");
        let ids: Vec<&Value> = json["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .map(|c| &c["id"])
            .collect();
        assert_eq!(
            ids,
            [
                "popup", "sound", "in_app", "email", "slack", "teams", "webhook"
            ]
        );
        let rows = json["rows"].as_array().expect("rows");
        let leap = rows.last().expect("a row");
        assert_eq!(leap["id"], "quantum_leap");
        assert_eq!(leap["label"], "Quantum leap");
        assert_eq!(leap["group"], "Other");
        assert_eq!(leap["cells"]["webhook"], false);
        assert_eq!(leap["cells"]["email"], true);
        let assigned = rows
            .iter()
            .find(|r| r["id"] == "finding_assigned")
            .expect("row");
        assert_eq!(
            assigned["cells"]["sound"], true,
            "critical-only counts as on"
        );
    }
}
