//! Wall-clock times in the user's zone, turned into instants one way for
//! every rule that names one (the end of quiet hours, "until tomorrow
//! 08:00"): the first moment the wall clock reads that time or later.
//!
//! On a DST day that means: a time the clocks pass twice (they go back)
//! is its first occurrence; a time the clocks jump over (they go forward)
//! is the jump itself, the first instant the wall clock shows a later
//! time. So 02:30 on a day that skips 02:00–03:00 is 03:00.

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// The longest gap the tz database knows is a day (Samoa skipped
/// 2011-12-30 when it crossed the date line).
const LONGEST_GAP_MINUTES: i64 = 26 * 60;

/// The first instant at which the wall clock in `tz` reads `time` on
/// `date`, or later. `None` only outside chrono's range.
pub(crate) fn wall_clock_instant(
    date: NaiveDate,
    time: NaiveTime,
    tz: Tz,
) -> Option<DateTime<Utc>> {
    let wall = date.and_time(time);
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
        LocalResult::None => end_of_gap(wall, tz),
    }
}

/// `wall` was skipped by a jump forward. Gaps end on a whole minute, so the
/// first minute after `wall` that exists is where the gap ends, and the
/// instant it names is the jump.
fn end_of_gap(wall: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    let minute = wall.with_second(0)?.with_nanosecond(0)?;
    (1..=LONGEST_GAP_MINUTES).find_map(|m| {
        let probe = minute.checked_add_signed(TimeDelta::minutes(m))?;
        tz.from_local_datetime(&probe)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("valid RFC 3339")
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("valid date")
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    #[test]
    fn wall_clock_times_resolve_to_their_first_moment_on_dst_days() {
        use chrono_tz::Europe::Berlin;
        let cases = [
            // An ordinary winter and summer day: UTC+1, UTC+2.
            ("2026-01-10", hm(8, 0), Berlin, "2026-01-10T07:00:00Z"),
            ("2026-07-10", hm(8, 0), Berlin, "2026-07-10T06:00:00Z"),
            // 2026-03-29 skips 02:00–03:00: skipped times are the jump, 03:00 CEST.
            ("2026-03-29", hm(2, 0), Berlin, "2026-03-29T01:00:00Z"),
            ("2026-03-29", hm(2, 10), Berlin, "2026-03-29T01:00:00Z"),
            ("2026-03-29", hm(2, 59), Berlin, "2026-03-29T01:00:00Z"),
            ("2026-03-29", hm(3, 0), Berlin, "2026-03-29T01:00:00Z"),
            ("2026-03-29", hm(8, 0), Berlin, "2026-03-29T06:00:00Z"),
            // 2026-10-25 passes 02:00–03:00 twice: the first time, still CEST.
            ("2026-10-25", hm(2, 30), Berlin, "2026-10-25T00:30:00Z"),
            ("2026-10-25", hm(8, 0), Berlin, "2026-10-25T07:00:00Z"),
            // Samoa skipped all of 2011-12-30: its 08:00 is the next midnight (UTC+14).
            (
                "2011-12-30",
                hm(8, 0),
                chrono_tz::Pacific::Apia,
                "2011-12-30T10:00:00Z",
            ),
        ];
        for (date, time, tz, want) in cases {
            assert_eq!(
                wall_clock_instant(day(date), time, tz),
                Some(utc(want)),
                "{date} {time} {tz}"
            );
        }
    }
}
