//! Deep links into the PMAP web UI, and the check that keeps `Open` there.
//!
//! Links are only ever built on the configured server origin, with the id as
//! one percent-encoded path segment, so an id such as `../admin` or
//! `x?y#z` cannot point anywhere but the intended page.

/// `/findings/{id}`-style link for a subject, else the inbox.
pub(crate) fn deep_link(origin: &str, subject: Option<(&str, &str)>) -> String {
    let path =
        subject.and_then(|(ty, id)| Some(format!("/{}/{}", collection(ty)?, encode_segment(id)?)));
    format!("{origin}{}", path.as_deref().unwrap_or("/notifications"))
}

/// The inbox page, for pop-ups about many things at once.
pub(crate) fn inbox(origin: &str) -> String {
    format!("{origin}/notifications")
}

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

/// The web UI's collection for a canonical subject type.
fn collection(subject_type: &str) -> Option<&'static str> {
    Some(match subject_type {
        "finding" => "findings",
        "scan" => "scans",
        "approval" => "approvals",
        "report" => "reports",
        "project" => "projects",
        "asset" => "assets",
        _ => return None,
    })
}

/// Percent-encodes everything but RFC 3986 unreserved characters. `.` and
/// `..` alone are dot segments even when encoded, so they get no link.
fn encode_segment(id: &str) -> Option<String> {
    if id.is_empty() || id == "." || id == ".." {
        return None;
    }
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://pmap.example.com";

    #[test]
    fn deep_links_follow_the_protocol_paths() {
        let cases = [
            (
                Some(("finding", "f-102")),
                "https://pmap.example.com/findings/f-102",
            ),
            (Some(("scan", "s-1")), "https://pmap.example.com/scans/s-1"),
            (
                Some(("approval", "a-1")),
                "https://pmap.example.com/approvals/a-1",
            ),
            (
                Some(("report", "r-1")),
                "https://pmap.example.com/reports/r-1",
            ),
            (
                Some(("project", "p-1")),
                "https://pmap.example.com/projects/p-1",
            ),
            (
                Some(("asset", "as-1")),
                "https://pmap.example.com/assets/as-1",
            ),
            (
                Some(("company", "c-1")),
                "https://pmap.example.com/notifications",
            ),
            (None, "https://pmap.example.com/notifications"),
        ];
        for (subject, want) in cases {
            assert_eq!(deep_link(ORIGIN, subject), want, "{subject:?}");
        }
    }

    #[test]
    fn hostile_ids_cannot_escape_their_segment() {
        let cases = [
            ("../x", "https://pmap.example.com/findings/..%2Fx"),
            ("a b?c#d", "https://pmap.example.com/findings/a%20b%3Fc%23d"),
            ("%2e%2e", "https://pmap.example.com/findings/%252e%252e"),
            ("ü", "https://pmap.example.com/findings/%C3%BC"),
            ("..", "https://pmap.example.com/notifications"),
            (".", "https://pmap.example.com/notifications"),
            ("", "https://pmap.example.com/notifications"),
        ];
        for (id, want) in cases {
            assert_eq!(deep_link(ORIGIN, Some(("finding", id))), want, "{id:?}");
        }
    }

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
