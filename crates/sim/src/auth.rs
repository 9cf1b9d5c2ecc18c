//! Who is calling: bearer tokens resolved to fixture users.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::fixture::User;
use crate::state::AppState;

/// A bearer token. Its `Debug` prints `***` so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct Token(String);

impl Token {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The token from `Authorization: Bearer <token>`, if well-formed.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<Token> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| Token::new(token))
}

/// The authenticated caller of a REST endpoint (header auth only).
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) user: User,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        let user = state
            .authenticate(&token)
            .ok_or_else(ApiError::unauthorized)?;
        if state.take_rest_failure() {
            return Err(ApiError::unavailable());
        }
        Ok(Caller { user })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_print() {
        let token = Token::new("demo-ana");
        assert_eq!(format!("{token:?}"), "Token(***)");
    }
}
