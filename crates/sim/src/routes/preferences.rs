//! `/api/v1/notifications/preferences`: the caller's stored matrix.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::extract::ApiJson;
use crate::auth::Caller;
use crate::catalog::check_preference_key;
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) async fn get(State(state): State<AppState>, caller: Caller) -> Json<Value> {
    let stored = state
        .preferences()
        .get(caller.user.id)
        .cloned()
        .unwrap_or_default();
    state
        .shared()
        .counters
        .preference_reads
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Json(json!({ "preferences": stored }))
}

/// Checks a whole body before anything is stored, so a bad key leaves the
/// previous matrix untouched.
fn validate(body: &Value) -> Result<BTreeMap<String, bool>, ApiError> {
    let map = body
        .get("preferences")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::invalid("the body must be {\"preferences\": {key: bool}}"))?;
    let mut matrix = BTreeMap::new();
    for (key, value) in map {
        check_preference_key(key).map_err(ApiError::invalid)?;
        let enabled = value.as_bool().ok_or_else(|| {
            ApiError::invalid(format!("the value of {key:?} must be true or false"))
        })?;
        matrix.insert(key.clone(), enabled);
    }
    Ok(matrix)
}

pub(crate) async fn put(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let matrix = validate(&body)?;
    state
        .preferences()
        .insert(caller.user.id.to_string(), matrix.clone());
    Ok(Json(json!({ "preferences": matrix })))
}
