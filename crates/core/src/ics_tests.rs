//! The export read back by an independent parser (the `ical` crate).

use std::io::BufReader;

use super::*;
use crate::event::CalendarKind;

fn item(id: &str, kind: CalendarKind, at: &str, extra: serde_json::Value) -> CalendarItem {
    let mut json =
        serde_json::json!({"id": id, "kind": kind, "title": format!("Title of {id}"), "at": at});
    if let (Some(json), serde_json::Value::Object(extra)) = (json.as_object_mut(), extra) {
        json.extend(extra);
    }
    serde_json::from_value(json).expect("valid item")
}

fn now() -> DateTime<Utc> {
    "2026-11-27T08:00:00Z".parse().expect("now")
}

const ORIGIN: &str = "https://pmap.example.com:8443";

/// One event's properties as (name, value) pairs, and its alarms' TRIGGERs.
type ParsedEvent = (Vec<(String, String)>, Vec<String>);

/// Every event, as `ical` reads it.
fn parse(text: &str) -> Vec<ParsedEvent> {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("parses as iCalendar");
    assert!(calendars.next().is_none(), "exactly one calendar");
    let names: Vec<&str> = calendar
        .properties
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert!(
        names.contains(&"VERSION") && names.contains(&"PRODID"),
        "{names:?}"
    );
    calendar
        .events
        .into_iter()
        .map(|event| {
            let props = event
                .properties
                .into_iter()
                .map(|p| (p.name, p.value.unwrap_or_default()))
                .collect();
            let triggers = event
                .alarms
                .into_iter()
                .flat_map(|alarm| alarm.properties)
                .filter(|p| p.name == "TRIGGER")
                .map(|p| p.value.unwrap_or_default())
                .collect();
            (props, triggers)
        })
        .collect()
}

/// An RFC 5545 duration (`-P1D`, `-PT3600S`, `P0D`) in seconds.
fn duration_secs(text: &str) -> i64 {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut total = 0;
    let mut number = String::new();
    for c in rest
        .strip_prefix('P')
        .expect("a duration starts with P")
        .chars()
    {
        let unit = match c {
            '0'..='9' => {
                number.push(c);
                continue;
            }
            'T' => continue,
            'W' => 604_800,
            'D' => 86_400,
            'H' => 3_600,
            'M' => 60,
            'S' => 1,
            other => panic!("{other} in {text}"),
        };
        total += number.parse::<i64>().expect("a number") * unit;
        number.clear();
    }
    sign * total
}

fn value<'a>(props: &'a [(String, String)], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn each_deadline_is_one_event_that_an_independent_parser_reads_back() {
    let items = [
        item(
            "sla-f-1",
            CalendarKind::SlaDeadline,
            "2026-11-27T15:30:00Z",
            serde_json::json!({"entity_type": "finding", "entity_id": "f-1", "severity": "critical", "company_name": "Acme"}),
        ),
        item(
            "retest-f-2",
            CalendarKind::RetestDue,
            "2026-11-28T00:00:00Z",
            serde_json::json!({"all_day": true, "entity_type": "finding", "entity_id": "f-2"}),
        ),
        item(
            "scan-1",
            CalendarKind::ScanScheduled,
            "2026-11-27T10:00:00Z",
            serde_json::json!({}),
        ),
    ];
    let text = deadlines_ics(&items, ORIGIN, &[1440, 60, 0, 60], now());
    assert!(text.contains("\r\n"), "CRLF line endings");
    let events = parse(&text);
    assert_eq!(events.len(), 2, "one event per personal deadline, no scan");

    let (sla, alarms) = &events[0];
    assert_eq!(value(sla, "UID"), Some("sla-f-1@pmap.example.com:8443"));
    assert_eq!(value(sla, "DTSTART"), Some("20261127T153000Z"));
    assert_eq!(
        value(sla, "SUMMARY"),
        Some("SLA deadline: Title of sla-f-1")
    );
    assert_eq!(
        value(sla, "URL"),
        Some("https://pmap.example.com:8443/findings/f-1")
    );
    assert_eq!(value(sla, "CATEGORIES"), Some("critical"));
    assert_eq!(value(sla, "DESCRIPTION"), Some("Acme"));
    assert_eq!(value(sla, "DTSTAMP"), Some("20261127T080000Z"));
    let offsets: Vec<i64> = alarms.iter().map(|t| duration_secs(t)).collect();
    assert_eq!(
        offsets,
        [-86_400, -3_600, 0],
        "one alarm per distinct lead: {alarms:?}"
    );

    let (retest, _) = &events[1];
    assert_eq!(
        value(retest, "DTSTART"),
        Some("20261128"),
        "all day: a DATE"
    );
    assert_eq!(
        value(retest, "CATEGORIES"),
        None,
        "no severity, no category"
    );
}

#[test]
fn hostile_text_stays_inside_its_property_and_uids_stay_unique() {
    let items = [
        item(
            "a;b,c\\d\r\nUID:forged",
            CalendarKind::SlaDeadline,
            "2026-11-27T15:30:00Z",
            serde_json::json!({"title": "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged; a, b\u{1b}]0;t\u{7}\rz"}),
        ),
        item(
            "a;b,c\\d",
            CalendarKind::SlaDeadline,
            "2026-11-27T15:30:00Z",
            serde_json::json!({}),
        ),
    ];
    let text = deadlines_ics(&items, ORIGIN, &[60], now());
    let controls: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\r' | '\n'))
        .collect();
    assert!(controls.is_empty(), "TEXT allows no controls: {controls:?}");
    assert!(
        !text.replace("\r\n", "").contains(['\r', '\n']),
        "only CRLF ends a line"
    );
    let events = parse(&text);
    assert_eq!(
        events.len(),
        2,
        "a title cannot end its event or start another"
    );
    let uids: Vec<&str> = events.iter().filter_map(|(p, _)| value(p, "UID")).collect();
    assert_eq!(uids.len(), 2);
    assert_ne!(uids[0], uids[1]);
    assert!(
        uids.iter().all(|u| u.bytes().all(|b| b.is_ascii_graphic())),
        "{uids:?}"
    );
    let summaries: Vec<usize> = events
        .iter()
        .map(|(p, _)| p.iter().filter(|(n, _)| n == "SUMMARY").count())
        .collect();
    assert_eq!(summaries, [1, 1], "the forged SUMMARY stayed text");
}

#[test]
fn the_same_item_keeps_its_uid_and_another_server_gets_another() {
    let items = [item(
        "sla-f-1",
        CalendarKind::SlaDeadline,
        "2026-11-27T15:30:00Z",
        serde_json::json!({}),
    )];
    let uid_on = |origin: &str, now: DateTime<Utc>| {
        let events = parse(&deadlines_ics(&items, origin, &[], now));
        value(&events[0].0, "UID").map(str::to_owned)
    };
    let later = now() + chrono::TimeDelta::days(3);
    assert_eq!(uid_on(ORIGIN, now()), uid_on(ORIGIN, later));
    assert_ne!(
        uid_on(ORIGIN, now()),
        uid_on("https://other.example", now())
    );
}
