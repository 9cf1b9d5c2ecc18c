//! The check that keeps `Open` on the server's origin. The links themselves
//! are built from the subject table in `event/subject.rs`.

/// Whether `url` is on the server origin: equal to it or below it with a `/`
/// right after (so `https://pmap.example.com.evil` and `…@evil` fail), with
/// no whitespace or control characters.
pub(crate) fn is_same_origin(origin: &str, url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) || origin.is_empty() {
        return false;
    }
    match url.strip_prefix(origin) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
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
            ("https://pmap.example.com.evil.net/x", false),
            ("https://pmap.example.com@evil.net/", false),
            ("http://pmap.example.com/findings/f-1", false),
            ("https://pmap.example.com/x\nSet-Cookie", false),
            ("javascript:alert(1)", false),
        ];
        for (url, want) in cases {
            assert_eq!(is_same_origin(ORIGIN, url), want, "{url}");
        }
    }
}
