//! `GET /api/v1/events`: the realtime SSE stream.

use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::extract::ApiQuery;
use crate::auth::{Token, bearer};
use crate::error::ApiError;
use crate::state::AppState;
use crate::stream::connection;

#[derive(Debug, Deserialize)]
pub(crate) struct EventsParams {
    access_token: Option<String>,
}

/// Authenticates (header first, then `?access_token=`), fails closed when
/// the user's scope is unavailable, then registers a stream with the hub.
pub(crate) async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<EventsParams>,
) -> Response {
    let counters = &state.shared().counters;
    let token = bearer(&headers).or_else(|| params.access_token.map(Token::new));
    let Some((token, user)) = token.and_then(|t| state.authenticate(&t).map(|u| (t, u))) else {
        counters.unauthorized.fetch_add(1, Ordering::Relaxed);
        tracing::info!("stream refused: bad token");
        return ApiError::unauthorized().into_response();
    };
    if state.scope_failed(user.id) {
        counters.unavailable.fetch_add(1, Ordering::Relaxed);
        tracing::info!(user = user.id, "stream refused: scope unavailable");
        return ApiError::scope_unavailable().into_response();
    }
    let subscription = state
        .hub()
        .subscribe(user.id, token.clone(), user.scope.clone());
    // A revoke or scope fault that landed between the checks above and the
    // subscription closed the streams it saw, not this one: check again.
    if state.authenticate(&token).is_none() {
        counters.unauthorized.fetch_add(1, Ordering::Relaxed);
        return ApiError::unauthorized().into_response();
    }
    if state.scope_failed(user.id) {
        counters.unavailable.fetch_add(1, Ordering::Relaxed);
        return ApiError::scope_unavailable().into_response();
    }
    counters.ok.fetch_add(1, Ordering::Relaxed);
    counters.opened.fetch_add(1, Ordering::Relaxed);
    tracing::info!(
        connection = subscription.id,
        user = user.id,
        "stream opened"
    );
    let body = Body::from_stream(connection::body(subscription, state.shared().heartbeat));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}
