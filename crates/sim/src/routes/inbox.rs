//! `/api/v1/notifications*`: paging, summary, mark read, read all.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::extract::{ApiPath, ApiQuery, parse_flag};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::inbox::{MarkRead, Page, PageQuery};
use crate::state::AppState;
use crate::time::parse_instant;

const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 100;

#[derive(Debug, Deserialize)]
pub(crate) struct ListParams {
    limit: Option<String>,
    cursor: Option<String>,
    read: Option<String>,
    event_type: Option<String>,
}

fn page_query(params: ListParams) -> Result<PageQuery, ApiError> {
    let limit = match params.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "limit={text:?} must be a whole number from 1 to {MAX_LIMIT}"
                ))
            })?,
    };
    let cursor = match params.cursor.as_deref() {
        None => None,
        Some(text) => Some(parse_instant(text).ok_or_else(|| {
            ApiError::bad_request(format!(
                "cursor={text:?} is not a created_at timestamp from a previous page"
            ))
        })?),
    };
    let event_type = match params.event_type {
        Some(t) if t.is_empty() => {
            return Err(ApiError::bad_request("event_type must not be empty"));
        }
        other => other,
    };
    Ok(PageQuery {
        limit,
        cursor,
        read: parse_flag("read", params.read.as_deref())?,
        event_type,
    })
}

pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Page>, ApiError> {
    let query = page_query(params)?;
    let page = state.inbox().page(caller.user.id, &query);
    state
        .shared()
        .counters
        .inbox_pages
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(Json(page))
}

pub(crate) async fn summary(State(state): State<AppState>, caller: Caller) -> Json<Value> {
    let (total, unread) = state.inbox().summary(caller.user.id);
    Json(json!({ "total": total, "unread": unread }))
}

pub(crate) async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let user_id = caller.user.id;
    let outcome = state.inbox().mark_read(user_id, &id);
    match outcome {
        MarkRead::NotFound => Err(ApiError::not_found(format!(
            "no notification {id:?} in your inbox"
        ))),
        MarkRead::AlreadyRead => Ok(StatusCode::NO_CONTENT),
        MarkRead::Marked => {
            state.emit_inbox_change(
                "notification_read",
                user_id,
                json!({ "notification_id": id }),
            );
            Ok(StatusCode::NO_CONTENT)
        }
    }
}

pub(crate) async fn read_all(State(state): State<AppState>, caller: Caller) -> Json<Value> {
    let user_id = caller.user.id;
    let updated = state.inbox().read_all(user_id);
    if updated > 0 {
        state.emit_inbox_change(
            "notification_all_read",
            user_id,
            json!({ "updated": updated }),
        );
    }
    Json(json!({ "updated": updated }))
}
