//! `/_sim/*` faults and observation: drop, stall, revoke, restore,
//! scope-fail and stats.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::control::known_user;
use super::extract::ApiJson;
use crate::auth::Token;
use crate::error::ApiError;
use crate::state::AppState;

/// `POST /_sim/drop`: close every open stream.
pub(crate) async fn drop_streams(State(state): State<AppState>) -> Json<Value> {
    let closed = state.hub().close_all();
    tracing::info!(closed, "control: dropped all streams");
    Json(json!({ "closed": closed }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct StallBody {
    seconds: f64,
}

/// `POST /_sim/stall`: silence the streams open now for `seconds`.
pub(crate) async fn stall(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<StallBody>,
) -> Result<Json<Value>, ApiError> {
    let duration = Duration::try_from_secs_f64(body.seconds)
        .ok()
        .filter(|d| *d <= Duration::from_secs(3600))
        .ok_or_else(|| ApiError::invalid("seconds must be from 0 to 3600"))?;
    let stalled = state.hub().stall_all(duration);
    tracing::info!(stalled, seconds = body.seconds, "control: stalled streams");
    Ok(Json(json!({ "stalled": stalled })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenBody {
    token: String,
}

/// `POST /_sim/revoke`: the token answers 401 from now on; its streams close.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<Json<Value>, ApiError> {
    let closed = state
        .revoke(Token::new(body.token))
        .ok_or_else(|| ApiError::not_found("no such token"))?;
    tracing::info!(closed, "control: token revoked");
    Ok(Json(json!({ "closed": closed })))
}

/// `POST /_sim/restore`: undo a revoke.
pub(crate) async fn restore(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<Json<Value>, ApiError> {
    if !state.restore(&Token::new(body.token)) {
        return Err(ApiError::not_found("no such token"));
    }
    tracing::info!("control: token restored");
    Ok(Json(json!({ "restored": true })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ScopeFailBody {
    user: String,
    on: bool,
}

/// `POST /_sim/scope-fail`: on closes the user's streams and refuses new
/// ones with 503; off lets them back in.
pub(crate) async fn scope_fail(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ScopeFailBody>,
) -> Result<Json<Value>, ApiError> {
    known_user(&state, Some(&body.user))?;
    let closed = state.set_scope_fail(&body.user, body.on);
    tracing::info!(
        user = body.user,
        on = body.on,
        closed,
        "control: scope fault"
    );
    Ok(Json(json!({ "closed": closed })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct RestFailBody {
    count: u32,
}

/// `POST /_sim/rest-fail {"count"}`: the next `count` authenticated REST
/// requests (any user, stream excluded) answer 503 with `Retry-After: 1`.
pub(crate) async fn rest_fail(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RestFailBody>,
) -> Json<Value> {
    state.fail_rest(body.count);
    tracing::info!(count = body.count, "control: REST failures armed");
    Json(json!({ "armed": body.count }))
}

/// `GET /_sim/stats`: open connections and counters.
pub(crate) async fn stats(State(state): State<AppState>) -> Json<Value> {
    let counters = &state.shared().counters;
    let load = |n: &std::sync::atomic::AtomicU64| n.load(Ordering::Relaxed);
    Json(json!({
        "connections": state.hub().stats(),
        "connections_opened": load(&counters.opened),
        "stream_requests": {
            "200": load(&counters.ok),
            "401": load(&counters.unauthorized),
            "503": load(&counters.unavailable),
        },
        "frames_dropped": state.hub().frames_dropped(),
        "inbox_pages": load(&counters.inbox_pages),
        "preference_reads": load(&counters.preference_reads),
        "started_at": crate::time::format_instant(state.shared().started),
    }))
}
