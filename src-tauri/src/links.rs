//! Deep links open in the system browser, and only on the server's origin:
//! a pop-up or inbox row can never send the user somewhere else.

use url::Url;

/// Whether `url` has exactly the origin `origin` (scheme, host, port).
pub fn same_origin(url: &str, origin: &str) -> bool {
    match (Url::parse(url), Url::parse(origin)) {
        (Ok(url), Ok(origin)) => url.origin() == origin.origin(),
        _ => false,
    }
}

/// Opens `url` in the browser if it is same-origin; logs and refuses otherwise.
pub fn open(url: &str, origin: &str) {
    if !same_origin(url, origin) {
        tracing::warn!(
            url,
            origin,
            "refused to open a link outside the server's origin"
        );
        return;
    }
    if let Err(error) = open::that_detached(url) {
        tracing::warn!(%error, url, "could not open the browser");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_exact_origin_passes() {
        let origin = "https://pmap.example.com";
        let cases = [
            ("https://pmap.example.com/findings/f-1", true),
            ("https://pmap.example.com:443/notifications", true),
            ("http://pmap.example.com/findings/f-1", false),
            ("https://pmap.example.com.evil.test/x", false),
            ("https://evil.test/?u=https://pmap.example.com", false),
            ("https://pmap.example.com:8443/x", false),
            ("javascript:alert(1)", false),
            ("not a url", false),
        ];
        for (url, want) in cases {
            assert_eq!(same_origin(url, origin), want, "{url}");
        }
    }
}
