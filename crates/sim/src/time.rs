//! Timestamps as the protocol writes them: RFC 3339, UTC, nine fraction digits.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// A UTC instant that serializes as `2026-11-24T09:15:02.123456789Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Timestamp(pub(crate) DateTime<Utc>);

impl Timestamp {
    pub(crate) fn now() -> Self {
        Self(Utc::now())
    }

    pub(crate) fn format(&self) -> String {
        format_instant(self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.format())
    }
}

pub(crate) fn format_instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// Parses an RFC 3339 date-time (any offset, converted to UTC).
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// A calendar bound: a full date-time, or a bare date (`2026-11-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    Instant(DateTime<Utc>),
    Date(NaiveDate),
}

pub(crate) fn parse_bound(text: &str) -> Option<Bound> {
    if let Some(at) = parse_instant(text) {
        return Some(Bound::Instant(at));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(Bound::Date)
}

impl Bound {
    /// The first instant the bound covers (a date starts at midnight UTC).
    pub(crate) fn start(self) -> Option<DateTime<Utc>> {
        match self {
            Bound::Instant(at) => Some(at),
            Bound::Date(day) => day.and_hms_opt(0, 0, 0).map(|at| at.and_utc()),
        }
    }

    /// The last instant the bound covers (a date ends at 23:59:59.999999999).
    pub(crate) fn end(self) -> Option<DateTime<Utc>> {
        match self {
            Bound::Instant(at) => Some(at),
            Bound::Date(day) => day
                .and_hms_nano_opt(23, 59, 59, 999_999_999)
                .map(|at| at.and_utc()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_nine_fraction_digits_and_z() {
        let at = parse_instant("2026-11-24T10:15:02.5+01:00").expect("valid instant");
        assert_eq!(format_instant(at), "2026-11-24T09:15:02.500000000Z");
    }

    #[test]
    fn bare_dates_cover_the_whole_utc_day() {
        let bound = parse_bound("2026-11-01").expect("valid date");
        assert_eq!(
            bound.start().map(format_instant).as_deref(),
            Some("2026-11-01T00:00:00.000000000Z")
        );
        assert_eq!(
            bound.end().map(format_instant).as_deref(),
            Some("2026-11-01T23:59:59.999999999Z")
        );
    }

    #[test]
    fn garbage_is_not_a_bound() {
        for text in ["", "yesterday", "2026-13-01", "2026-11-01T25:00:00Z"] {
            assert_eq!(parse_bound(text), None, "{text}");
        }
    }
}
