//! What every `/_sim/*` request must show before a control handler runs.
//!
//! The control endpoints listen on loopback only, but a web page the user
//! opens can still reach loopback: through DNS rebinding (a name of the
//! page's own that now resolves to 127.0.0.1, so the browser sends that
//! name as `Host`), or with a cross-site "simple" POST, which a browser
//! sends without asking first as long as its content type is a form or
//! plain text. So a control request is refused unless
//!
//! - its `Host` names loopback (`127.0.0.1`, `localhost` or `[::1]`, any
//!   port): 403 `forbidden`; and
//! - a POST says `Content-Type: application/json`, which a cross-site page
//!   cannot send without a CORS preflight the sim never grants: 415
//!   `unsupported_media_type`.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The middleware on the control router.
pub(crate) async fn control_guard(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if !host.is_some_and(is_loopback_host) {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "control endpoints answer only a loopback Host (127.0.0.1, localhost or [::1])",
        )
        .into_response();
    }
    if request.method() == Method::POST && !is_json(&request) {
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "control POSTs must send Content-Type: application/json (a body of {} where none is needed)",
        )
        .into_response();
    }
    next.run(request).await
}

/// `127.0.0.1`, `localhost` or `[::1]`, each with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        // `[::1]:8080` splits after the bracket; a bare `[::1]` does not
        // split at a port (its last colon is inside the brackets).
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost")
}

/// `application/json`, parameters (`; charset=utf-8`) allowed.
fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_pass() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost",
            "LOCALHOST:1",
            "[::1]",
            "[::1]:9",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for refused in [
            "evil.test",
            "evil.test:8080",
            "127.0.0.1.evil.test",
            "localhost.evil.test:80",
            "127.0.0.2",
            "[::2]:80",
            "::1",
            "127.0.0.1:",
            "127.0.0.1:80x",
            "",
        ] {
            assert!(!is_loopback_host(refused), "{refused}");
        }
    }
}
