//! `GET /api/v1/calendar`: dated items in a window.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::extract::{ApiQuery, parse_flag};
use crate::auth::Caller;
use crate::calendar::{CalendarQuery, items_for, window};
use crate::error::ApiError;
use crate::state::AppState;
use crate::time::format_instant;

#[derive(Debug, Deserialize)]
pub(crate) struct CalendarParams {
    from: Option<String>,
    to: Option<String>,
    company_id: Option<String>,
    mine: Option<String>,
}

pub(crate) async fn calendar(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<CalendarParams>,
) -> Result<Json<Value>, ApiError> {
    let now = Utc::now();
    let (from, to) =
        window(params.from.as_deref(), params.to.as_deref(), now).map_err(ApiError::bad_request)?;
    let query = CalendarQuery {
        from,
        to,
        company_id: params.company_id.filter(|c| !c.is_empty()),
        mine: parse_flag("mine", params.mine.as_deref())?.unwrap_or(false),
    };
    let added = state.added_findings().clone();
    let items = items_for(&state.shared().fixture, &added, &caller.user, &query, now);
    Ok(Json(json!({
        "from": format_instant(from),
        "to": format_instant(to),
        "items": items,
    })))
}
