//! When a pause the user asked for ends. "For an hour" counts from `now`;
//! "until tomorrow" is a wall-clock time in the configured zone, so it
//! ends at 08:00 on the user's clock whatever UTC says and whatever DST
//! does overnight.

use chrono::{DateTime, Days, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::local_time::wall_clock_instant;

/// "Until tomorrow" ends at this local time.
pub(crate) const TOMORROW_AT: NaiveTime = NaiveTime::from_hms_opt(8, 0, 0).expect("valid time");

/// 08:00 on the next calendar day in `tz` (so just after midnight it is
/// the morning after next, as the menu item says), resolved as
/// [`wall_clock_instant`] does on DST days: the first moment the wall
/// clock reads 08:00 or later.
pub(crate) fn tomorrow_morning(now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    now.with_timezone(&tz)
        .date_naive()
        .checked_add_days(Days::new(1))
        .and_then(|tomorrow| wall_clock_instant(tomorrow, TOMORROW_AT, tz))
        // Only past chrono's last representable day.
        .unwrap_or(now + TimeDelta::days(1))
}

/// `minutes` from `now`.
pub(crate) fn minutes_from(now: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
    now + TimeDelta::minutes(minutes.into())
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;

    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("valid RFC 3339")
    }

    #[test]
    fn until_tomorrow_is_eight_on_the_next_local_day() {
        let cases = [
            // 13:00 CET → 08:00 CET the next day.
            ("2026-11-24T12:00:00Z", Berlin, "2026-11-25T07:00:00Z"),
            // A minute before local midnight: the next morning, 8 h later.
            ("2026-11-24T22:59:00Z", Berlin, "2026-11-25T07:00:00Z"),
            // A minute after local midnight: the day after, 31 h later.
            ("2026-11-24T23:01:00Z", Berlin, "2026-11-26T07:00:00Z"),
            // 22:00 on the 24th in New York is already the 25th in UTC;
            // tomorrow is the local 25th.
            ("2026-11-25T03:00:00Z", New_York, "2026-11-25T13:00:00Z"),
            // The evening before clocks go forward (2026-03-29): 08:00 CEST,
            // 9 h after 22:00 CET.
            ("2026-03-28T21:00:00Z", Berlin, "2026-03-29T06:00:00Z"),
            // The evening before clocks go back (2026-10-25): 08:00 CET,
            // 11 h after 22:00 CEST.
            ("2026-10-24T20:00:00Z", Berlin, "2026-10-25T07:00:00Z"),
            // New York's change (2026-03-08), and the UTC zone.
            ("2026-03-08T03:30:00Z", New_York, "2026-03-08T12:00:00Z"),
            (
                "2026-11-24T23:59:00Z",
                chrono_tz::UTC,
                "2026-11-25T08:00:00Z",
            ),
            // Samoa skipped 2011-12-30, so its "tomorrow 08:00" is the
            // first moment after the jump: 2011-12-31 00:00 (UTC+14).
            (
                "2011-12-29T22:00:00Z",
                chrono_tz::Pacific::Apia,
                "2011-12-30T10:00:00Z",
            ),
        ];
        for (now, tz, want) in cases {
            assert_eq!(tomorrow_morning(utc(now), tz), utc(want), "{now} in {tz}");
        }
    }

    #[test]
    fn for_a_while_counts_from_now() {
        let now = utc("2026-11-24T12:00:00Z");
        assert_eq!(minutes_from(now, 60), utc("2026-11-24T13:00:00Z"));
        assert_eq!(minutes_from(now, 0), now);
    }
}
