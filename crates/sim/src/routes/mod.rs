//! The HTTP surface: which path goes to which handler, body limits, and
//! JSON answers for unknown paths and wrong methods.

mod calendar;
mod control;
mod events;
mod extract;
mod faults;
mod guard;
mod inbox;
mod me;
mod preferences;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::trace::TraceLayer;

use crate::error::{method_not_allowed, route_not_found};
use crate::state::AppState;

/// Request bodies of the public API are small JSON documents.
const API_BODY_LIMIT: usize = 64 * 1024;
/// Control bodies may carry big frames (a 5 MiB raw frame, long lists).
const CONTROL_BODY_LIMIT: usize = 32 * 1024 * 1024;

fn api() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(me::me))
        .route("/api/v1/events", get(events::events))
        .route("/api/v1/notifications", get(inbox::list))
        .route("/api/v1/notifications/summary", get(inbox::summary))
        .route("/api/v1/notifications/read-all", post(inbox::read_all))
        .route("/api/v1/notifications/{id}/read", post(inbox::mark_read))
        .route(
            "/api/v1/notifications/preferences",
            get(preferences::get).put(preferences::put),
        )
        .route("/api/v1/calendar", get(calendar::calendar))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
}

fn control() -> Router<AppState> {
    Router::new()
        .route("/_sim/emit", post(control::emit))
        .route("/_sim/raw", post(control::raw))
        .route("/_sim/flood", post(control::flood))
        .route("/_sim/inbox", post(control::inbox))
        .route("/_sim/deadline", post(control::deadline))
        .route("/_sim/drop", post(faults::drop_streams))
        .route("/_sim/stall", post(faults::stall))
        .route("/_sim/revoke", post(faults::revoke))
        .route("/_sim/restore", post(faults::restore))
        .route("/_sim/scope-fail", post(faults::scope_fail))
        .route("/_sim/rest-fail", post(faults::rest_fail))
        .route("/_sim/stats", get(faults::stats))
        .layer(DefaultBodyLimit::max(CONTROL_BODY_LIMIT))
        // Loopback Host and a JSON POST, before any handler (guard.rs).
        .route_layer(axum::middleware::from_fn(guard::control_guard))
}

/// The whole app. Spans record method and path only: never the query
/// string (it may hold `access_token`) nor headers.
pub(crate) fn router(state: AppState, control_enabled: bool) -> Router {
    let mut app = api();
    if control_enabled {
        app = app.merge(control());
    }
    app.fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
            tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}
