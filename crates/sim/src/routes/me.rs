//! `GET /api/v1/me`: who the token belongs to.

use axum::Json;
use serde_json::{Value, json};

use crate::auth::Caller;

pub(crate) async fn me(caller: Caller) -> Json<Value> {
    let user = caller.user;
    Json(json!({
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "companies": user.scope.companies(),
    }))
}
