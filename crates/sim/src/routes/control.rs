//! `/_sim/*` producers: put events, raw text and inbox rows onto streams.
//! Only mounted with `--control` on a loopback address.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::extract::ApiJson;
use crate::catalog::{SEVERITIES, is_event_type, is_severity};
use crate::envelope::{self, Subject};
use crate::error::ApiError;
use crate::fixture::findings::Finding;
use crate::fixture::inbox::describe;
use crate::inbox::row_kind;
use crate::state::{AppState, NewNotification};
use crate::stream::Published;

/// Makes synthetic subjects unique across calls.
static SYNTHETIC: AtomicU64 = AtomicU64::new(1);

pub(crate) fn known_user(state: &AppState, user: Option<&str>) -> Result<(), ApiError> {
    match user {
        Some(id) if state.user(id).is_none() => {
            Err(ApiError::invalid(format!("unknown user {id:?}")))
        }
        _ => Ok(()),
    }
}

fn outcome(events: usize, published: Published) -> Json<Value> {
    Json(
        json!({ "events": events, "delivered": published.delivered, "dropped": published.dropped }),
    )
}

/// `POST /_sim/emit`: an envelope, a list, or `{"events": [...], "user"?}`.
pub(crate) async fn emit(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let (events, user) = match body {
        Value::Array(events) => (events, None),
        Value::Object(mut map) if map.get("events").is_some_and(Value::is_array) => {
            let user = match map.remove("user") {
                None | Some(Value::Null) => None,
                Some(Value::String(user)) => Some(user),
                Some(_) => return Err(ApiError::invalid("user must be a user id string")),
            };
            let events = match map.remove("events") {
                Some(Value::Array(events)) => events,
                _ => Vec::new(),
            };
            (events, user)
        }
        envelope @ Value::Object(_) => (vec![envelope], None),
        _ => {
            return Err(ApiError::invalid(
                "send an envelope, a list of envelopes or {\"events\": [...]}",
            ));
        }
    };
    known_user(&state, user.as_deref())?;
    if let Some(position) = events.iter().position(|e| !e.is_object()) {
        return Err(ApiError::invalid(format!(
            "event {position} is not a JSON object"
        )));
    }
    let mut total = Published::default();
    for event in &events {
        let published = state.publish(event, user.as_deref());
        total.delivered += published.delivered;
        total.dropped += published.dropped;
    }
    Ok(outcome(events.len(), total))
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawBody {
    text: String,
    user: Option<String>,
}

/// `POST /_sim/raw`: text written verbatim onto the streams.
pub(crate) async fn raw(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RawBody>,
) -> Result<Json<Value>, ApiError> {
    known_user(&state, body.user.as_deref())?;
    Ok(outcome(
        1,
        state.publish_raw(&body.text, body.user.as_deref()),
    ))
}

fn acme() -> Option<String> {
    Some("c-acme".to_string())
}

#[derive(Debug, Deserialize)]
pub(crate) struct FloodBody {
    count: u64,
    #[serde(default = "default_flood_type")]
    event_type: String,
    /// Missing means `c-acme`; an explicit `null` floods broadcasts.
    #[serde(default = "acme")]
    company_id: Option<String>,
    severity: Option<String>,
    user: Option<String>,
}

fn default_flood_type() -> String {
    "finding_updated".to_string()
}

/// The largest flood one request may ask for.
const MAX_FLOOD: u64 = 1_000_000;

/// `POST /_sim/flood`: `count` distinct synthetic thin envelopes, fast.
pub(crate) async fn flood(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<FloodBody>,
) -> Result<Json<Value>, ApiError> {
    if !(1..=MAX_FLOOD).contains(&body.count) {
        return Err(ApiError::invalid(format!(
            "count must be from 1 to {MAX_FLOOD}"
        )));
    }
    if body.event_type.is_empty() {
        return Err(ApiError::invalid("event_type must not be empty"));
    }
    if let Some(severity) = body.severity.as_deref().filter(|s| !is_severity(s)) {
        return Err(ApiError::invalid(format!("unknown severity {severity:?}")));
    }
    known_user(&state, body.user.as_deref())?;
    let count = body.count;
    let total = tokio::task::spawn_blocking(move || {
        let mut total = Published::default();
        let first = SYNTHETIC.fetch_add(count, Ordering::Relaxed);
        for n in first..first + count {
            let id = format!("f-flood-{n}");
            let severity = body.severity.as_deref().unwrap_or(SEVERITIES[(n % 6) as usize]);
            let envelope = envelope::thin(
                &body.event_type,
                body.company_id.as_deref(),
                Subject { kind: "finding", id: &id },
                Some("u-lee"),
                json!({ "finding_id": id, "title": format!("Synthetic finding {n}"), "severity": severity }),
            );
            let published = state.publish(&envelope, body.user.as_deref());
            total.delivered += published.delivered;
            total.dropped += published.dropped;
        }
        total
    })
    .await
    .map_err(|e| ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "error", e.to_string()))?;
    Ok(outcome(count as usize, total))
}

#[derive(Debug, Deserialize)]
pub(crate) struct InboxBody {
    user: String,
    #[serde(default = "one")]
    count: usize,
    event_type: Option<String>,
    title: Option<String>,
    severity: Option<String>,
    #[serde(default = "yes")]
    emit: bool,
}

fn one() -> usize {
    1
}

fn yes() -> bool {
    true
}

/// `POST /_sim/inbox`: new rows for a user, announced unless `emit: false`.
pub(crate) async fn inbox(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<InboxBody>,
) -> Result<Json<Value>, ApiError> {
    let user = state
        .user(&body.user)
        .cloned()
        .ok_or_else(|| ApiError::invalid(format!("unknown user {:?}", body.user)))?;
    if !(1..=1000).contains(&body.count) {
        return Err(ApiError::invalid("count must be from 1 to 1000"));
    }
    let event_type = body
        .event_type
        .unwrap_or_else(|| "finding_assigned".to_string());
    if !is_event_type(&event_type) {
        return Err(ApiError::invalid(format!(
            "unknown event type {event_type:?}"
        )));
    }
    let kind = row_kind(&event_type)
        .ok_or_else(|| ApiError::invalid(format!("{event_type:?} creates no inbox rows")))?;
    if let Some(severity) = body.severity.as_deref().filter(|s| !is_severity(s)) {
        return Err(ApiError::invalid(format!("unknown severity {severity:?}")));
    }
    let findings: Vec<_> = state
        .shared()
        .fixture
        .findings
        .iter()
        .filter(|f| user.scope.sees(f.company_id))
        .collect();
    let mut rows = Vec::with_capacity(body.count);
    for serial in 0..body.count {
        let Some(finding) = findings.get(serial % findings.len().max(1)) else {
            return Err(ApiError::invalid("the user sees no findings"));
        };
        let (title, text, mut data) = describe(&event_type, finding, serial);
        if let Some(severity) = &body.severity {
            data.severity = Some(severity.clone());
        }
        let new = NewNotification {
            user_id: user.id.to_string(),
            kind,
            event_type: event_type.clone(),
            title: body.title.clone().unwrap_or(title),
            body: text,
            data,
            company_id: Some(finding.company_id.to_string()),
        };
        rows.push(state.create_notification(new, body.emit));
    }
    Ok(Json(json!({ "items": rows })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeadlineBody {
    user: String,
    title: String,
    /// When the SLA falls due (RFC 3339).
    due_at: chrono::DateTime<chrono::Utc>,
    severity: Option<String>,
}

/// `POST /_sim/deadline {"user", "title", "due_at", "severity"?}`: a new
/// open finding in the user's first company, assigned to them, with its
/// SLA due at `due_at`: a change to their personal calendar.
pub(crate) async fn deadline(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<DeadlineBody>,
) -> Result<Json<Value>, ApiError> {
    let user = state
        .user(&body.user)
        .cloned()
        .ok_or_else(|| ApiError::invalid(format!("unknown user {:?}", body.user)))?;
    let severity = match body.severity.as_deref() {
        None => "high",
        Some(text) => SEVERITIES
            .iter()
            .copied()
            .find(|s| *s == text)
            .ok_or_else(|| ApiError::invalid(format!("unknown severity {text:?}")))?,
    };
    let company = user
        .scope
        .companies()
        .first()
        .map(|c| c.id)
        .ok_or_else(|| ApiError::invalid("the user sees no company"))?;
    let id = format!("f-added-{}", SYNTHETIC.fetch_add(1, Ordering::Relaxed));
    state.added_findings().push(Finding {
        id: id.clone(),
        company_id: company,
        title: body.title,
        severity,
        status: "open",
        assignees: vec![user.id],
        sla_due: Some(body.due_at),
        retest_due: None,
    });
    Ok(Json(
        json!({ "finding_id": id, "calendar_item_id": format!("sla_deadline:{id}") }),
    ))
}
