//! Catch-up. The stream has no replay, so after a reconnect that followed a
//! gap the engine says, in one pop-up, what reached the inbox meanwhile:
//! "3 new while you were away".
//!
//! - **Baseline**: the newest inbox row this client has accounted for, by
//!   the server's `created_at` (so the two clocks never meet): rows seen in
//!   `notification_created` frames and in inbox heads (`GET
//!   /notifications?read=false`, fetched on every open). Until a frame or a
//!   head has been seen there is no baseline, and nothing counts as new.
//! - **Owed**: each open of the stream after the first freezes the
//!   baseline. The next head with unread rows newer than it, leaving out
//!   rows the new stream has already shown, gives the pop-up and settles
//!   the debt. A head with nothing new leaves it owed (an answer to an
//!   older request may arrive late), until the next open freezes it again.
//! - **Which rows**: those a live `notification_created` would pop up for:
//!   each row through the cells of its own type (a row without one, the
//!   `notification_created` cell), the server's in-app cell they follow,
//!   its group's scope unless off, and the minimum severity.
//!   Quiet hours and pause hold the pop-up back like any other; critical
//!   and urgent rows may break through. Open goes to the inbox.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::gate::{Gate, gate};
use super::text::clip;
use super::{Effect, Engine, EngineConfig, Popup, PopupKind, Scope, ScopeGroup};
use crate::event::{Envelope, EventType, Severity, inbox_link};
use crate::rest::{InboxPage, InboxRow};

/// Rows shown live since the last open that are remembered, so a head
/// does not count them again; beyond this the oldest are forgotten.
const LIVE_KEPT: usize = 256;
/// How many kinds of event the body names before "and N more".
const BODY_KINDS: usize = 3;
const MAX_BODY: usize = 300;

#[derive(Debug, Default)]
pub(crate) struct CatchUp {
    /// Whether a frame or a head has given a baseline yet.
    known: bool,
    /// The newest `created_at` accounted for; `None` with `known` means
    /// the inbox had no unread rows.
    newest: Option<DateTime<Utc>>,
    opened_before: bool,
    /// While a catch-up is owed: rows created after this are new (all
    /// rows when it is `None`).
    owed: Option<Option<DateTime<Utc>>>,
    /// Ids of rows the stream has shown since the last open.
    live: VecDeque<String>,
}

/// What a head holds that is new since the baseline.
struct NewRows<'a> {
    rows: Vec<&'a InboxRow>,
    /// The head was one page of several and every row on it is new: there
    /// may be more than it shows.
    at_least: bool,
}

impl CatchUp {
    pub(crate) fn stream_opened(&mut self) {
        if self.opened_before && self.known {
            self.owed = Some(self.newest);
            self.live.clear();
        }
        self.opened_before = true;
    }

    /// A `notification_created` for this user reached us on the stream.
    pub(crate) fn saw(&mut self, envelope: &Envelope) {
        let Some(row) = envelope.notification() else {
            return;
        };
        let created = envelope.row_created_at().and_then(parse_time);
        if let Some(created) = created {
            self.known = true;
            self.newest = self.newest.max(Some(created));
        }
        if let Some(id) = row.id.as_str() {
            if self.live.len() == LIVE_KEPT {
                self.live.pop_front();
            }
            self.live.push_back(id.to_owned());
        }
    }

    /// Takes in a head; returns its new rows when a catch-up is owed and
    /// some are new (which settles the debt).
    fn head<'a>(&mut self, page: &'a InboxPage) -> Option<NewRows<'a>> {
        let newest_in_head = page
            .items
            .iter()
            .filter_map(|r| parse_time(&r.created_at))
            .max();
        let owed = self.owed.filter(|_| self.known);
        self.known = true;
        self.newest = self.newest.max(newest_in_head);
        let cutoff = owed?;
        let is_new = |row: &&InboxRow| {
            !row.read
                && parse_time(&row.created_at).is_some_and(|t| cutoff.is_none_or(|c| t > c))
                && !self.live.contains(&row.id)
        };
        let rows: Vec<&InboxRow> = page.items.iter().filter(is_new).collect();
        if rows.is_empty() {
            return None;
        }
        self.owed = None;
        let at_least = page.next_cursor.is_some() && rows.len() == page.items.len();
        Some(NewRows { rows, at_least })
    }
}

impl Engine {
    /// The inbox head answered: settle an owed catch-up if it holds news.
    pub(crate) fn on_inbox_head(
        &mut self,
        page: &InboxPage,
        now: DateTime<Utc>,
        out: &mut Vec<Effect>,
    ) {
        let Some(new) = self.catch_up.head(page) else {
            return;
        };
        let prefs = &self.config.prefs;
        let rows: Vec<&InboxRow> = new
            .rows
            .into_iter()
            .filter(|row| {
                let ty = match row.event_type.as_str() {
                    "" => EventType::NotificationCreated,
                    name => EventType::from_wire(name),
                };
                let silenced = ScopeGroup::of(ty.group())
                    .is_some_and(|group| prefs.scope.get(group) == Scope::Off);
                !silenced
                    && prefs
                        .channels_with(&ty, severity(row), self.server_in_app(&ty))
                        .popup
            })
            .collect();
        if rows.is_empty() {
            self.stats.suppressed_prefs += 1;
            return;
        }
        let urgent = rows
            .iter()
            .any(|row| severity(row).is_some_and(Severity::is_critical_or_urgent));
        match gate(&self.config, self.held_until(), now, urgent) {
            Gate::Open => {}
            Gate::Quiet => {
                self.stats.suppressed_quiet += 1;
                return;
            }
            Gate::Paused => {
                self.stats.suppressed_paused += 1;
                return;
            }
        }
        self.stats.popups += 1;
        self.stats.catch_ups += 1;
        out.push(Effect::Notify(catch_up_popup(
            &rows,
            new.at_least,
            &self.config,
        )));
    }
}

/// "3 new while you were away", with "2 findings assigned · 1 SLA
/// breached" below.
fn catch_up_popup(rows: &[&InboxRow], at_least: bool, config: &EngineConfig) -> Popup {
    let plus = if at_least { "+" } else { "" };
    let severity = rows.iter().filter_map(|row| severity(row)).max();
    Popup {
        kind: PopupKind::CatchUp,
        event_type: None,
        title: format!("{}{plus} new while you were away", rows.len()),
        body: clip(&kinds_line(rows), MAX_BODY),
        severity,
        urgent: severity.is_some_and(Severity::is_critical_or_urgent),
        url: Some(inbox_link(config.origin())),
        notification_id: match rows {
            [only] => Some(only.id.clone()),
            _ => None,
        },
        sound: false,
    }
}

/// The kinds of event among `rows`, most frequent first.
fn kinds_line(rows: &[&InboxRow]) -> String {
    let mut kinds: Vec<(EventType, usize)> = Vec::new();
    for row in rows {
        let ty = EventType::from_wire(&row.event_type);
        match kinds.iter_mut().find(|(k, _)| *k == ty) {
            Some((_, n)) => *n += 1,
            None => kinds.push((ty, 1)),
        }
    }
    // Stable: equal counts keep the newest-first order of the head.
    kinds.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let mut parts: Vec<String> = kinds
        .iter()
        .take(BODY_KINDS)
        .map(|(ty, n)| match n {
            1 => format!("1 {}", ty.label()),
            n => format!("{n} {}", ty.plural_label()),
        })
        .collect();
    let rest: usize = kinds.iter().skip(BODY_KINDS).map(|(_, n)| n).sum();
    if rest > 0 {
        parts.push(format!("{rest} more"));
    }
    parts.join(" · ")
}

fn severity(row: &InboxRow) -> Option<Severity> {
    row.data
        .get("severity")
        .and_then(|v| v.as_str())
        .and_then(Severity::parse)
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
