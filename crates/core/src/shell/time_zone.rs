//! The local time zone quiet hours and "until tomorrow" are read in: one
//! rule for every front end.
//!
//! 1. `TZ`, when it names a zone: `Europe/Berlin`, POSIX's
//!    `:Europe/Berlin`, or a path into a zoneinfo directory
//!    (`:/usr/share/zoneinfo/Europe/Berlin`). An empty `TZ`, or one that
//!    points at the system's own file (`:/etc/localtime`), defers to the
//!    system zone; so does one that names no zone we know (a POSIX rule
//!    such as `CET-1CEST,M3.5.0,M10.5.0/3`), with a warning.
//! 2. The system zone, as `iana-time-zone` reads it.
//! 3. UTC, with a warning.

use chrono_tz::Tz;

/// The environment variable read first.
const TZ_VAR: &str = "TZ";

/// The zone this process runs in, by the rule above.
pub fn local_time_zone() -> Tz {
    let tz = std::env::var(TZ_VAR).ok();
    resolve(tz.as_deref(), || iana_time_zone::get_timezone().ok())
}

/// The rule itself, with `TZ`'s value and the system's zone passed in.
fn resolve(tz: Option<&str>, system: impl FnOnce() -> Option<String>) -> Tz {
    match tz.map(read_tz) {
        Some(TzValue::Zone(zone)) => return zone,
        Some(TzValue::Unknown) => tracing::warn!(tz, "TZ names no known time zone; ignored"),
        Some(TzValue::System) | None => {}
    }
    let system = system();
    match system.as_deref().map(str::parse::<Tz>) {
        Some(Ok(zone)) => zone,
        _ => {
            tracing::warn!(zone = ?system, "unknown local time zone; using UTC");
            chrono_tz::UTC
        }
    }
}

/// What a `TZ` value says.
enum TzValue {
    Zone(Tz),
    /// Empty, or the system's own zone file.
    System,
    Unknown,
}

fn read_tz(value: &str) -> TzValue {
    let value = value.trim();
    let name = value.strip_prefix(':').unwrap_or(value);
    let name = match name.split_once("zoneinfo/") {
        Some((_, zone)) => zone,
        None if name.is_empty() || name.starts_with('/') => return TzValue::System,
        None => name,
    };
    name.parse().map_or(TzValue::Unknown, TzValue::Zone)
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::New_York;
    use chrono_tz::Asia::Tokyo;
    use chrono_tz::Europe::Berlin;

    use super::*;

    #[test]
    fn tz_first_then_the_system_zone_then_utc() {
        let new_york = Some("America/New_York");
        let cases = [
            (Some("Europe/Berlin"), new_york, Berlin),
            (Some(":Europe/Berlin"), new_york, Berlin),
            (Some("UTC"), new_york, chrono_tz::UTC),
            (Some(":/usr/share/zoneinfo/Asia/Tokyo"), new_york, Tokyo),
            (Some("/usr/share/zoneinfo/Asia/Tokyo"), new_york, Tokyo),
            // Deferring to the system zone.
            (Some(":/etc/localtime"), new_york, New_York),
            (Some(""), new_york, New_York),
            (Some("  "), new_york, New_York),
            (Some("Mars/Olympus_Mons"), new_york, New_York),
            (Some("CET-1CEST,M3.5.0,M10.5.0/3"), new_york, New_York),
            (None, new_york, New_York),
            // Nothing usable: UTC.
            (None, None, chrono_tz::UTC),
            (None, Some("Not/A_Zone"), chrono_tz::UTC),
            (Some("Mars/Olympus_Mons"), None, chrono_tz::UTC),
        ];
        for (tz, system, want) in cases {
            let got = resolve(tz, || system.map(str::to_owned));
            assert_eq!(got, want, "TZ={tz:?}, system zone {system:?}");
        }
    }
}
