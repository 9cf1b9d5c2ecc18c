//! Personal deadlines as an RFC 5545 calendar, for the calendar the analyst
//! already plans in (GNOME Calendar, Thunderbird, Outlook): `pmap-cli
//! calendar --format ics` prints it, and the tray app can keep a file of it
//! up to date.
//!
//! Each deadline is one `VEVENT`:
//! - `UID`: the item id and the server's origin, so the same deadline keeps
//!   its UID across exports and two servers' items never collide;
//! - `DTSTART`: the instant in UTC, or a `DATE` for an all-day item;
//! - `SUMMARY`: the kind and the title ("SLA deadline: Weak TLS");
//! - `URL`: the deep link on the server, when the item has a page;
//! - `CATEGORIES`: the severity;
//! - one `VALARM` per reminder lead, so the calendar reminds as the app does.

use chrono::{DateTime, Utc};
use icalendar::{Alarm, Calendar, Component, EventLike, Trigger};

use crate::event::CalendarItem;

/// The calendar's name in the apps that show it.
pub const CALENDAR_NAME: &str = "PMAP deadlines";

/// The personal deadlines among `items` (SLA due, retest due) as an
/// iCalendar document, CRLF line endings and all.
pub fn deadlines_ics(
    items: &[CalendarItem],
    origin: &str,
    reminder_leads_mins: &[i64],
    now: DateTime<Utc>,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(CALENDAR_NAME);
    for item in items.iter().filter(|i| i.kind.has_reminders()) {
        calendar.push(event(item, origin, reminder_leads_mins, now));
    }
    // `Calendar`'s own PRODID names the crate; this one names the app.
    calendar.done().to_string().replacen(
        "PRODID:ICALENDAR-RS",
        concat!(
            "PRODID:-//PMAP Companion//",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        ),
        1,
    )
}

fn event(item: &CalendarItem, origin: &str, leads: &[i64], now: DateTime<Utc>) -> icalendar::Event {
    let mut event = icalendar::Event::new();
    event
        .uid(&uid(&item.id, origin))
        .timestamp(now)
        .summary(&text(&format!(
            "{}: {}",
            item.kind.display_name(),
            item.title
        )));
    if item.all_day {
        event.starts(item.at.date_naive());
    } else {
        event.starts(item.at);
    }
    if let Some(url) = item.url(origin) {
        event.url(&url);
    }
    if let Some(severity) = item.severity {
        event.add_property("CATEGORIES", severity.as_str());
    }
    if let Some(company) = &item.company_name {
        event.description(&text(company));
    }
    let mut seen = Vec::new();
    for &lead in leads {
        if seen.contains(&lead) {
            continue;
        }
        seen.push(lead);
        let Some(before) = chrono::TimeDelta::try_minutes(lead) else {
            continue;
        };
        let reminder = text(&format!("{}: {}", item.kind.display_name(), item.title));
        event.alarm(Alarm::display(&reminder, Trigger::before_start(before)));
    }
    event.done()
}

/// Server text as an iCalendar TEXT value may hold it: line breaks become
/// `\n` (the writer escapes them), and other control characters, which
/// TEXT does not allow and a terminal would obey, become U+FFFD.
fn text(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' => '\n',
            '\n' => c,
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// `<id>@<host[:port]>`, the id percent-encoded down to characters any
/// calendar keeps as they are.
fn uid(item_id: &str, origin: &str) -> String {
    let host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let mut uid = String::with_capacity(item_id.len() + host.len() + 1);
    for byte in item_id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            uid.push(char::from(byte));
        } else {
            uid.push_str(&format!("%{byte:02X}"));
        }
    }
    uid.push('@');
    uid.push_str(host);
    uid
}

#[cfg(test)]
#[path = "ics_tests.rs"]
mod tests;
