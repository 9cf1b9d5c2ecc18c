//! The configured server and the token used to talk to it.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;
use reqwest::header::HeaderValue;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// A personal API token. Prints as `***` in `Debug`, so it cannot reach a log
/// by accident, and is zeroized when dropped, like every copy this crate
/// makes of it: the `Authorization` value is built in a zeroizing buffer
/// and handed to reqwest marked sensitive ([`Token::bearer`]); the keyring
/// gets it by reference ([`Token::expose`]).
#[derive(Clone)]
pub struct Token(SecretString);

impl Token {
    /// Trims surrounding whitespace (a token pasted with a newline is
    /// common). `None` when nothing is left, or when what is left cannot be
    /// sent in a header (anything but printable ASCII and spaces).
    pub fn new(raw: &str) -> Option<Token> {
        let trimmed = raw.trim();
        let sendable = trimmed.bytes().all(|b| (b' '..=b'~').contains(&b));
        (!trimmed.is_empty() && sendable).then(|| Token(SecretString::from(trimmed.to_owned())))
    }

    /// `Bearer <token>`, marked sensitive: hyper never logs it, its `Debug`
    /// shows `Sensitive`, and HTTP/2 keeps it out of the header table.
    /// reqwest owns this copy from here on; the one built here is zeroized.
    pub(crate) fn bearer(&self) -> HeaderValue {
        let text = Zeroizing::new(format!("Bearer {}", self.0.expose_secret()));
        let mut value =
            HeaderValue::from_str(&text).expect("Token::new admits only header-safe bytes");
        value.set_sensitive(true);
        value
    }

    /// The secret itself, for the keyring only.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// A validated server base URL: https anywhere, plain http only on loopback
/// (a token must never cross a network in clear text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerUrl(Url);

impl ServerUrl {
    pub fn parse(raw: &str) -> Result<ServerUrl> {
        let bad = |reason: &str| Error::BadServerUrl {
            url: raw.to_owned(),
            reason: reason.to_owned(),
        };
        let url = Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
        if url.cannot_be_a_base() || url.host_str().is_none() {
            return Err(bad("expected something like https://pmap.example.com"));
        }
        // Both may carry a secret: report the URL without them.
        let refuse = |reason: &str| Error::BadServerUrl {
            url: without_secrets(&url),
            reason: reason.to_owned(),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse(
                "credentials in the URL are not allowed; sign in with a token instead",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(refuse("the server URL must not carry a query or fragment"));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(bad("plain http is only allowed on loopback; use https")),
            _ => return Err(bad("the scheme must be https")),
        }
        Ok(ServerUrl(url))
    }

    /// The URL itself.
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// `scheme://host[:port]`: where deep links may point.
    pub fn origin(&self) -> String {
        self.0.origin().ascii_serialization()
    }

    /// An API URL: base path + fixed segments + (percent-encoded) id segments.
    pub(crate) fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

/// `url` without user, password, query and fragment, for error messages.
fn without_secrets(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_debug_never_shows_the_secret() {
        let token = Token::new("  s3cret-token\n").expect("non-empty");
        assert_eq!(format!("{token:?}"), "Token(***)");
        assert_eq!(token.bearer(), "Bearer s3cret-token");
        assert!(Token::new(" \n").is_none());
    }

    #[test]
    fn the_bearer_header_is_sensitive_and_debug_hides_it() {
        let bearer = Token::new("s3cret-token").expect("non-empty").bearer();
        assert!(bearer.is_sensitive());
        assert!(!format!("{bearer:?}").contains("s3cret"), "{bearer:?}");
    }

    #[test]
    fn a_token_that_cannot_be_sent_in_a_header_is_refused() {
        for bad in ["to\nken", "to\u{1b}ken", "tökén", "tab\there"] {
            assert!(Token::new(bad).is_none(), "{bad:?}");
        }
        assert!(Token::new("a b~!").is_some());
    }

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        for ok in [
            "https://pmap.example.com",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(ServerUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://pmap.example.com",
            "ftp://x",
            "pmap.example.com",
            "https://u:p@x.com",
            "https://x.com/?t=1",
            "",
        ] {
            assert!(ServerUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_refused_url_is_reported_without_the_secrets_it_carried() {
        for raw in [
            "https://ana:s3cret@pmap.example.com",
            "https://s3cret@pmap.example.com",
            "https://pmap.example.com/?token=s3cret",
            "https://pmap.example.com/#s3cret",
        ] {
            let error = ServerUrl::parse(raw).expect_err(raw);
            let message = error.to_string();
            assert!(!message.contains("s3cret"), "{message}");
            assert!(message.contains("pmap.example.com"), "{message}");
        }
    }

    #[test]
    fn endpoints_keep_a_base_path_and_encode_ids() {
        let server = ServerUrl::parse("https://x.com/pmap/").expect("valid");
        let url = server.endpoint(&["api", "v1", "notifications", "../../admin", "read"]);
        assert_eq!(
            url.as_str(),
            "https://x.com/pmap/api/v1/notifications/..%2F..%2Fadmin/read"
        );
        assert_eq!(server.origin(), "https://x.com");
        assert_eq!(server.to_string(), "https://x.com/pmap");
    }
}
