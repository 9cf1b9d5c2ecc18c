//! What an event or an inbox row is about, and where the web UI shows it.
//!
//! One table holds the protocol's facts about subjects: the canonical type,
//! the id key producers name it by (`finding_id`), the other spellings of
//! its type, and its web UI page (`/findings/{id}`). Decoding, dedup,
//! pop-up links and the rows and calendar items the UI shows all read it,
//! so a new kind of subject is one line here.
//!
//! Links are only ever built on the configured server origin, with the id as
//! one percent-encoded path segment, so an id such as `../admin` or `x?y#z`
//! cannot point anywhere but the intended page.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::envelope::string_of;
use super::wire::Scalar;

/// One kind of subject, as PROTOCOL.md names it.
struct SubjectKind {
    /// The canonical type (`"finding"`), what dedup and links compare.
    name: &'static str,
    /// The id key in a payload or an inbox row's `data`.
    id_key: &'static str,
    /// The web UI collection: the page is `/{page}/{id}`.
    page: &'static str,
    /// Other spellings producers use for the type.
    aliases: &'static [&'static str],
}

/// How many kinds of subject there are (and id keys a payload may carry).
pub(crate) const ID_KEYS: usize = 6;

/// In order of preference when a payload names several ids.
const SUBJECTS: [SubjectKind; ID_KEYS] = [
    SubjectKind {
        name: "finding",
        id_key: "finding_id",
        page: "findings",
        aliases: &["findings"],
    },
    SubjectKind {
        name: "scan",
        id_key: "scan_id",
        page: "scans",
        aliases: &["scans"],
    },
    SubjectKind {
        name: "approval",
        id_key: "approval_request_id",
        page: "approvals",
        aliases: &["approvals", "approval_request", "approval_requests"],
    },
    SubjectKind {
        name: "report",
        id_key: "report_id",
        page: "reports",
        aliases: &["reports"],
    },
    SubjectKind {
        name: "project",
        id_key: "project_id",
        page: "projects",
        aliases: &["projects"],
    },
    SubjectKind {
        name: "asset",
        id_key: "asset_id",
        page: "assets",
        aliases: &["assets"],
    },
];

/// The inbox page: where a link about no one subject goes.
const INBOX_PATH: &str = "/notifications";

/// The kind a type names, in any case and with surrounding spaces (the
/// table is lower case, so this is `to_ascii_lowercase` without the copy:
/// every frame's scope check asks).
fn kind_named(subject_type: &str) -> Option<&'static SubjectKind> {
    let wanted = subject_type.trim();
    SUBJECTS.iter().find(|kind| {
        std::iter::once(&kind.name)
            .chain(kind.aliases)
            .any(|name| name.eq_ignore_ascii_case(wanted))
    })
}

/// Whether a subject type is, canonically, the kind `name` (lower case,
/// `"finding"`).
pub(crate) fn is_kind(subject_type: &str, name: &str) -> bool {
    kind_named(subject_type).map_or_else(
        || subject_type.trim().eq_ignore_ascii_case(name),
        |kind| kind.name == name,
    )
}

/// `(type, id)` from the first id key a payload or row `data` names.
pub(crate) fn subject_from_ids(map: &Map<String, Value>) -> Option<(String, String)> {
    SUBJECTS
        .iter()
        .find_map(|kind| string_of(map.get(kind.id_key)).map(|id| (kind.name.to_owned(), id)))
}

/// Which of [`ID_KEYS`] slots an id key (`"scan_id"`) fills, in the
/// table's order of preference.
pub(crate) fn id_slot(key: &str) -> Option<usize> {
    SUBJECTS.iter().position(|kind| kind.id_key == key)
}

/// `(type, id)` from the first id slot a decoded payload or row `data`
/// fills (the slots follow [`id_slot`]); borrowed, for the hot path.
pub(crate) fn subject_from_slots<'s>(
    ids: &'s [Scalar<'_>; ID_KEYS],
) -> Option<(&'static str, Cow<'s, str>)> {
    SUBJECTS
        .iter()
        .zip(ids)
        .find_map(|(kind, value)| value.id().map(|id| (kind.name, id)))
}

/// Maps the spellings producers use onto one name per kind of thing; a type
/// the table does not know is only trimmed and lowercased.
pub(crate) fn canonical_subject_type(raw: &str) -> String {
    kind_named(raw).map_or_else(
        || raw.trim().to_ascii_lowercase(),
        |kind| kind.name.to_owned(),
    )
}

/// The web UI page of one subject on `origin`, if that kind has a page.
pub(crate) fn page_link(origin: &str, subject_type: &str, id: &str) -> Option<String> {
    let kind = kind_named(subject_type)?;
    let id = encode_segment(id)?;
    Some(format!(
        "{}/{}/{id}",
        origin.trim_end_matches('/'),
        kind.page
    ))
}

/// The inbox page on `origin`, for pop-ups about many things at once.
pub(crate) fn inbox_link(origin: &str) -> String {
    format!("{}{INBOX_PATH}", origin.trim_end_matches('/'))
}

/// The subject's page, else the inbox.
pub(crate) fn deep_link(origin: &str, subject: Option<(&str, &str)>) -> String {
    subject
        .and_then(|(ty, id)| page_link(origin, ty, id))
        .unwrap_or_else(|| inbox_link(origin))
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
            (Some(("finding", "f-102")), "/findings/f-102"),
            (Some(("scan", "s-1")), "/scans/s-1"),
            (Some(("approval", "a-1")), "/approvals/a-1"),
            (Some(("approval_request", "a-2")), "/approvals/a-2"),
            (Some(("report", "r-1")), "/reports/r-1"),
            (Some(("project", "p-1")), "/projects/p-1"),
            (Some(("Assets", "as-1")), "/assets/as-1"),
            (Some(("company", "c-1")), "/notifications"),
            (None, "/notifications"),
        ];
        for (subject, path) in cases {
            assert_eq!(
                deep_link(ORIGIN, subject),
                format!("{ORIGIN}{path}"),
                "{subject:?}"
            );
        }
        assert_eq!(
            deep_link("https://pmap.example.com/", Some(("scan", "s-1"))),
            "https://pmap.example.com/scans/s-1",
            "a trailing slash on the origin is not doubled"
        );
    }

    #[test]
    fn kinds_are_matched_in_any_case_and_spelling() {
        let cases = [
            ("finding", "finding", true),
            (" Findings ", "finding", true),
            ("APPROVAL_REQUESTS", "approval", true),
            ("scan", "finding", false),
            ("Agreement", "agreement", true),
            ("agreements", "agreement", false),
        ];
        for (raw, name, want) in cases {
            assert_eq!(is_kind(raw, name), want, "{raw:?} is {name:?}");
            assert_eq!(canonical_subject_type(raw) == name, want, "{raw:?}");
        }
    }

    #[test]
    fn a_subject_without_a_page_has_no_page_link() {
        assert_eq!(page_link(ORIGIN, "agreement", "ag-1"), None);
        assert_eq!(page_link(ORIGIN, "finding", ""), None);
    }

    #[test]
    fn hostile_ids_cannot_escape_their_segment() {
        let cases = [
            ("../x", "/findings/..%2Fx"),
            ("a b?c#d", "/findings/a%20b%3Fc%23d"),
            ("%2e%2e", "/findings/%252e%252e"),
            ("ü", "/findings/%C3%BC"),
            ("..", "/notifications"),
            (".", "/notifications"),
            ("", "/notifications"),
        ];
        for (id, path) in cases {
            let link = deep_link(ORIGIN, Some(("finding", id)));
            assert_eq!(link, format!("{ORIGIN}{path}"), "{id:?}");
        }
    }

    #[test]
    fn ids_are_found_in_the_tables_order_of_preference() {
        let data = |json: &str| -> Map<String, Value> {
            serde_json::from_str(json).expect("a JSON object")
        };
        let cases = [
            (
                r#"{"scan_id":"s-1","finding_id":"f-1"}"#,
                Some(("finding", "f-1")),
            ),
            (
                r#"{"approval_request_id":"a-1"}"#,
                Some(("approval", "a-1")),
            ),
            (r#"{"asset_id":7}"#, Some(("asset", "7"))),
            (r#"{"company_id":"c-1"}"#, None),
        ];
        for (json, want) in cases {
            let want = want.map(|(t, i)| (t.to_owned(), i.to_owned()));
            assert_eq!(subject_from_ids(&data(json)), want, "{json}");
        }
    }
}
