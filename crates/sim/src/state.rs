//! Shared server state: the fixture, the mutable inbox and preferences,
//! token and scope faults, the stream hub and request counters.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::auth::Token;
use crate::envelope::{self, Audience, Subject};
use crate::fixture::findings::Finding;
use crate::fixture::{Fixture, User};
use crate::inbox::{Inbox, InboxRow, RowData};
use crate::stream::{Hub, Published};
use crate::time::Timestamp;

/// Cheap to clone; every handler gets one.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    inner: Arc<Shared>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) started: DateTime<Utc>,
    pub(crate) heartbeat: Duration,
    pub(crate) fixture: Fixture,
    pub(crate) hub: Arc<Hub>,
    pub(crate) counters: StreamCounters,
    inbox: Mutex<Inbox>,
    preferences: Mutex<HashMap<String, BTreeMap<String, bool>>>,
    faults: Mutex<Faults>,
    /// Findings added through `/_sim/deadline`, after the fixture's.
    added_findings: Mutex<Vec<Finding>>,
    next_row: AtomicU64,
}

/// Tokens revoked and users whose scope "cannot be resolved".
#[derive(Debug, Default)]
struct Faults {
    revoked: HashSet<Token>,
    scope_failed: HashSet<String>,
    /// How many upcoming REST requests answer 503.
    rest_failures: u32,
}

/// How `GET /api/v1/events` requests ended, and how many inbox pages were
/// served, for `/_sim/stats`.
#[derive(Debug, Default)]
pub(crate) struct StreamCounters {
    pub(crate) opened: AtomicU64,
    pub(crate) ok: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
    pub(crate) unavailable: AtomicU64,
    /// `GET /api/v1/notifications` answers: a test knows a client's
    /// request was served, so what it holds is fixed.
    pub(crate) inbox_pages: AtomicU64,
    /// `GET /api/v1/notifications/preferences` answers, likewise.
    pub(crate) preference_reads: AtomicU64,
}

/// An inbox row to create.
#[derive(Debug, Clone)]
pub(crate) struct NewNotification {
    pub(crate) user_id: String,
    /// The row type, from [`row_kind`](crate::inbox::row_kind): only types
    /// that create rows have one.
    pub(crate) kind: &'static str,
    pub(crate) event_type: String,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) data: RowData,
    pub(crate) company_id: Option<String>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    pub(crate) fn new(heartbeat: Duration, buffer: usize) -> Self {
        let started = Utc::now();
        let mut fixture = Fixture::generate(started);
        let inbox = std::mem::take(&mut fixture.inbox);
        let preferences = std::mem::take(&mut fixture.preferences);
        Self {
            inner: Arc::new(Shared {
                started,
                heartbeat,
                fixture,
                hub: Hub::new(buffer),
                counters: StreamCounters::default(),
                inbox: Mutex::new(inbox),
                preferences: Mutex::new(preferences),
                faults: Mutex::new(Faults::default()),
                added_findings: Mutex::new(Vec::new()),
                // Seeded from the start time so a restarted simulator never
                // reuses an inbox id a client has already seen (a real server
                // keeps its ids across restarts; clients dedup on them).
                next_row: AtomicU64::new(u64::try_from(started.timestamp_micros()).unwrap_or(1000)),
            }),
        }
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.inner
    }

    pub(crate) fn hub(&self) -> &Arc<Hub> {
        &self.inner.hub
    }

    pub(crate) fn added_findings(&self) -> MutexGuard<'_, Vec<Finding>> {
        lock(&self.inner.added_findings)
    }

    pub(crate) fn inbox(&self) -> MutexGuard<'_, Inbox> {
        lock(&self.inner.inbox)
    }

    pub(crate) fn preferences(&self) -> MutexGuard<'_, HashMap<String, BTreeMap<String, bool>>> {
        lock(&self.inner.preferences)
    }

    pub(crate) fn user(&self, user_id: &str) -> Option<&User> {
        self.inner.fixture.users.iter().find(|u| u.id == user_id)
    }

    /// The user a token belongs to, unless it is unknown or revoked.
    pub(crate) fn authenticate(&self, token: &Token) -> Option<User> {
        if lock(&self.inner.faults).revoked.contains(token) {
            return None;
        }
        self.inner
            .fixture
            .users
            .iter()
            .find(|u| u.token == token.expose())
            .cloned()
    }

    fn is_known_token(&self, token: &Token) -> bool {
        self.inner
            .fixture
            .users
            .iter()
            .any(|u| u.token == token.expose())
    }

    /// Revokes a token and closes its streams; false for unknown tokens.
    pub(crate) fn revoke(&self, token: Token) -> Option<usize> {
        if !self.is_known_token(&token) {
            return None;
        }
        lock(&self.inner.faults).revoked.insert(token.clone());
        Some(self.inner.hub.close_token(&token))
    }

    pub(crate) fn restore(&self, token: &Token) -> bool {
        lock(&self.inner.faults).revoked.remove(token);
        self.is_known_token(token)
    }

    pub(crate) fn scope_failed(&self, user_id: &str) -> bool {
        lock(&self.inner.faults).scope_failed.contains(user_id)
    }

    /// Turns the scope fault on (closing the user's streams) or off.
    pub(crate) fn set_scope_fail(&self, user_id: &str, on: bool) -> usize {
        let mut faults = lock(&self.inner.faults);
        if on {
            faults.scope_failed.insert(user_id.to_string());
            drop(faults);
            self.inner.hub.close_user(user_id)
        } else {
            faults.scope_failed.remove(user_id);
            0
        }
    }

    /// Makes the next `count` authenticated REST requests answer 503.
    pub(crate) fn fail_rest(&self, count: u32) {
        lock(&self.inner.faults).rest_failures = count;
    }

    /// Consumes one injected REST failure, if any is pending.
    pub(crate) fn take_rest_failure(&self) -> bool {
        let mut faults = lock(&self.inner.faults);
        let pending = faults.rest_failures > 0;
        faults.rest_failures = faults.rest_failures.saturating_sub(1);
        pending
    }

    /// Sends an envelope to the streams its scope allows.
    pub(crate) fn publish(&self, envelope: &Value, only_user: Option<&str>) -> Published {
        let mut audience = Audience::of(envelope);
        audience.only_user = only_user.map(str::to_string);
        self.inner
            .hub
            .publish(&audience, &envelope::frame(envelope))
    }

    /// Writes text verbatim onto every stream (or one user's).
    pub(crate) fn publish_raw(&self, text: &str, only_user: Option<&str>) -> Published {
        let audience = Audience {
            raw: true,
            only_user: only_user.map(str::to_string),
            ..Audience::default()
        };
        let frame = bytes::Bytes::copy_from_slice(text.as_bytes());
        self.inner.hub.publish(&audience, &frame)
    }

    /// Stores a new inbox row and, if `emit`, announces it to its owner.
    pub(crate) fn create_notification(&self, new: NewNotification, emit: bool) -> InboxRow {
        let serial = self.inner.next_row.fetch_add(1, Ordering::Relaxed);
        let short = new.user_id.trim_start_matches("u-").to_string();
        let row = InboxRow {
            id: format!("n-{short}-{serial}"),
            user_id: new.user_id.clone(),
            kind: new.kind,
            event_type: new.event_type,
            title: new.title,
            body: new.body,
            data: new.data,
            read: false,
            created_at: Timestamp::now(),
        };
        let row = self.inbox().insert(row);
        if emit {
            let envelope = envelope::thin(
                "notification_created",
                new.company_id.as_deref(),
                Subject {
                    kind: "notification",
                    id: &row.id,
                },
                None,
                json!({ "notification": row, "user_id": row.user_id }),
            );
            self.publish(&envelope, None);
        }
        row
    }

    /// Announces a change the user made to their own inbox.
    pub(crate) fn emit_inbox_change(&self, event_type: &str, user_id: &str, fields: Value) {
        let subject = Subject {
            kind: "notification",
            id: user_id,
        };
        let mut envelope = envelope::thin(event_type, None, subject, Some(user_id), fields);
        if let Some(payload) = envelope.get_mut("payload").and_then(Value::as_object_mut) {
            payload.insert("user_id".into(), json!(user_id));
            if let Some(id) = payload.get("notification_id").cloned() {
                payload.insert("subject_id".into(), id);
            }
        }
        self.publish(&envelope, None);
    }
}
