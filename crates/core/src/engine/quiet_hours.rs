//! Quiet hours: a local-time window, possibly crossing midnight, during which
//! pop-ups and sounds are held back.
//!
//! We convert `now` to the user's zone and compare wall-clock times, so a DST
//! change moves the window with the clock on the wall, as people expect.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::local_time::wall_clock_instant;

/// `start..end` in local time; `22:00..07:00` crosses midnight. An empty
/// window (`start == end`) is never quiet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    #[serde(with = "hh_mm")]
    pub start: NaiveTime,
    #[serde(with = "hh_mm")]
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether `now` falls inside the window in `tz`.
    pub fn contains(&self, now: DateTime<Utc>, tz: Tz) -> bool {
        let time = now.with_timezone(&tz).time();
        if self.start <= self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }

    /// When the current quiet period ends (`None` when not quiet), so held
    /// reminders can be released on time.
    pub fn current_end(&self, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        if !self.contains(now, tz) {
            return None;
        }
        let today = now.with_timezone(&tz).date_naive();
        [today.pred_opt(), Some(today), today.succ_opt()]
            .into_iter()
            .flatten()
            .filter_map(|date| wall_clock_instant(date, self.end, tz))
            .find(|end| *end > now)
    }
}

/// `"22:00"` on the wire; seconds are accepted on input.
pub(crate) mod hh_mm {
    use super::*;

    pub fn serialize<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&time.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let raw = String::deserialize(d)?;
        NaiveTime::parse_from_str(raw.trim(), "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(raw.trim(), "%H:%M:%S"))
            .map_err(|_| {
                serde::de::Error::custom(format!("expected a time like \"22:00\", got {raw:?}"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("valid RFC 3339")
    }

    #[test]
    fn quiet_hours_cross_midnight_in_local_zone() {
        let quiet = QuietHours {
            start: hm(22, 0),
            end: hm(7, 0),
        };
        let tz = chrono_tz::Europe::Berlin; // UTC+1 in winter
        let cases = [
            ("2026-01-10T20:59:00Z", false), // 21:59 local
            ("2026-01-10T21:00:00Z", true),  // 22:00 local
            ("2026-01-10T23:30:00Z", true),  // 00:30 local
            ("2026-01-11T05:59:00Z", true),  // 06:59 local
            ("2026-01-11T06:00:00Z", false), // 07:00 local
            ("2026-01-11T12:00:00Z", false),
        ];
        for (now, want) in cases {
            assert_eq!(quiet.contains(utc(now), tz), want, "{now}");
        }
    }

    #[test]
    fn same_day_window_and_empty_window() {
        let lunch = QuietHours {
            start: hm(12, 0),
            end: hm(13, 0),
        };
        assert!(lunch.contains(utc("2026-06-01T12:30:00Z"), chrono_tz::UTC));
        assert!(!lunch.contains(utc("2026-06-01T13:00:00Z"), chrono_tz::UTC));
        let empty = QuietHours {
            start: hm(9, 0),
            end: hm(9, 0),
        };
        assert!(!empty.contains(utc("2026-06-01T09:00:00Z"), chrono_tz::UTC));
    }

    #[test]
    fn quiet_hours_follow_the_wall_clock_across_dst() {
        let quiet = QuietHours {
            start: hm(22, 0),
            end: hm(7, 0),
        };
        let tz = chrono_tz::America::New_York;
        // 06:30 local both days: EDT (UTC-4) after the March change, EST (UTC-5) before.
        assert!(quiet.contains(utc("2026-03-07T11:30:00Z"), tz));
        assert!(quiet.contains(utc("2026-03-08T10:30:00Z"), tz));
        // 07:30 local on the DST day is no longer quiet.
        assert!(!quiet.contains(utc("2026-03-08T11:30:00Z"), tz));
    }

    #[test]
    fn current_end_is_the_next_local_end_time() {
        let quiet = QuietHours {
            start: hm(22, 0),
            end: hm(7, 0),
        };
        let tz = chrono_tz::Europe::Berlin;
        assert_eq!(
            quiet.current_end(utc("2026-01-10T22:00:00Z"), tz),
            Some(utc("2026-01-11T06:00:00Z"))
        );
        assert_eq!(
            quiet.current_end(utc("2026-01-11T03:00:00Z"), tz),
            Some(utc("2026-01-11T06:00:00Z"))
        );
        assert_eq!(quiet.current_end(utc("2026-01-11T12:00:00Z"), tz), None);
        // A window ending inside the spring-forward gap ends right after it.
        let gap = QuietHours {
            start: hm(1, 0),
            end: hm(2, 30),
        };
        assert_eq!(
            gap.current_end(utc("2026-03-29T00:30:00Z"), tz),
            Some(utc("2026-03-29T01:00:00Z"))
        );
    }

    #[test]
    fn wire_format_is_hours_and_minutes() {
        let quiet: QuietHours =
            serde_json::from_str(r#"{"start":"22:00","end":"07:00:00"}"#).expect("parse");
        assert_eq!(
            quiet,
            QuietHours {
                start: hm(22, 0),
                end: hm(7, 0)
            }
        );
        assert_eq!(
            serde_json::to_string(&quiet).expect("ser"),
            r#"{"start":"22:00","end":"07:00"}"#
        );
        assert!(serde_json::from_str::<QuietHours>(r#"{"start":"25:00","end":"07:00"}"#).is_err());
    }
}
