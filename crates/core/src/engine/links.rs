//! The one check on a link the user asks to open: it must be on the
//! server's origin. Shells open what this allows and nothing else, so a
//! pop-up, an inbox row or the webview can never send the user elsewhere.
//!
//! Origins are compared as `url::Url::origin()` sees them (scheme, host,
//! port after parsing), not as strings: an explicit default port and host
//! case do not matter, and `https://pmap.example.com@evil.com` or
//! `https://pmap.example.com.evil.com` are simply other hosts.

use url::Url;

/// `url`, normalised, when it is on `origin`; `None` when it is not, does
/// not parse, carries credentials, or holds whitespace or control
/// characters (links the engine builds never do; the URL parser would
/// silently drop some of them).
pub(crate) fn on_server_origin(origin: &str, url: &str) -> Option<Url> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let server = Url::parse(origin).ok()?.origin();
    let link = Url::parse(url).ok()?;
    let credentials = !link.username().is_empty() || link.password().is_some();
    (server.is_tuple() && link.origin() == server && !credentials).then_some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://pmap.example.com";

    #[test]
    fn open_accepts_only_the_server_origin() {
        let cases = [
            ("https://pmap.example.com/findings/f-1", true),
            ("https://pmap.example.com", true),
            ("https://pmap.example.com:443/findings/f-1", true),
            ("https://PMAP.Example.COM/findings/f-1", true),
            ("https://pmap.example.com@evil.com/", false),
            ("https://pmap.example.com:443@evil.com/", false),
            ("https://user:pw@pmap.example.com/findings/f-1", false),
            ("https://user@pmap.example.com/findings/f-1", false),
            ("http://pmap.example.com/findings/f-1", false),
            ("wss://pmap.example.com/findings/f-1", false),
            ("https://pmap.example.com:8443/findings/f-1", false),
            ("https://eu.pmap.example.com/findings/f-1", false),
            ("https://pmap.example.com./findings/f-1", false),
            ("https://pmap.example.com.evil.com/findings/f-1", false),
            ("https://pmap.example.comevil.com/", false),
            ("https://evil.com/https://pmap.example.com/", false),
            ("https://evil.com/?u=https://pmap.example.com", false),
            ("https://pmap.example.com/x\nSet-Cookie: a", false),
            ("https://pmap.example.com/x y", false),
            ("javascript:alert(1)", false),
            ("data:text/html,https://pmap.example.com", false),
            ("/findings/f-1", false),
            ("", false),
        ];
        for (url, want) in cases {
            assert_eq!(on_server_origin(ORIGIN, url).is_some(), want, "{url}");
        }
    }

    #[test]
    fn the_server_origin_may_itself_be_spelled_differently() {
        for origin in ["https://pmap.example.com/", "https://PMAP.example.com:443"] {
            let link = on_server_origin(origin, "https://pmap.example.com/scans/s-1");
            assert!(link.is_some(), "{origin}");
        }
        let loopback = on_server_origin("http://127.0.0.1:8080", "http://127.0.0.1:8080/x");
        assert!(loopback.is_some());
        assert!(on_server_origin("not a url", "https://pmap.example.com/").is_none());
        assert!(
            on_server_origin("file:///srv", "file:///srv/x").is_none(),
            "opaque origin"
        );
    }

    #[test]
    fn what_is_allowed_comes_back_normalised() {
        let link = on_server_origin(ORIGIN, "https://PMAP.example.com:443/findings/f-1");
        assert_eq!(
            link.map(String::from).as_deref(),
            Some("https://pmap.example.com/findings/f-1")
        );
    }
}
