//! `pmap-cli calendar` against a live `pmap-sim`: personal deadlines by
//! default, every kind on request, each item's page, and the iCalendar
//! export read back by an independent parser.

mod support;

use support::*;

#[tokio::test]
async fn calendar_shows_personal_deadlines_by_default_and_everything_on_request() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let mine = json_of(&sim, &home, &["calendar"]).await;
    let items = mine["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["kind"] == "sla_deadline" || i["kind"] == "retest_due"),
        "{mine}"
    );
    let everything = json_of(&sim, &home, &["calendar", "--all-kinds"]).await;
    assert!(everything["items"].as_array().expect("items").len() > items.len());
    // Each item carries its page on the server, or null when it has none.
    let mut linked = 0;
    for item in everything["items"].as_array().expect("items") {
        match (item["entity_type"].as_str(), item["entity_id"].as_str()) {
            (Some("finding"), Some(id)) => {
                assert_eq!(
                    item["url"],
                    format!("{}/findings/{id}", sim.url()),
                    "{item}"
                );
                linked += 1;
            }
            _ => assert!(item["url"].is_string() || item["url"].is_null(), "{item}"),
        }
    }
    assert!(linked > 0, "the fixture has deadlines on findings");
    let (code, _, stderr) = run_cli(
        &sim,
        &home,
        "demo-ana",
        &["calendar", "--from", "2026-12-01", "--to", "2026-11-01"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(stderr.contains("400"), "{stderr}");
}

#[tokio::test]
async fn calendar_as_ics_holds_one_event_per_personal_deadline_that_a_parser_reads_back() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let mine = json_of(&sim, &home, &["calendar"]).await;
    let items = mine["items"].as_array().expect("items");
    assert!(!items.is_empty(), "the fixture has personal deadlines");
    let (code, stdout, stderr) =
        run_cli(&sim, &home, "demo-ana", &["--format", "ics", "calendar"]).await;
    assert_eq!(code, 0, "{stderr}");
    let calendar = ical::IcalParser::new(std::io::BufReader::new(stdout.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("parses as iCalendar");
    let prop = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(calendar.events.len(), items.len(), "one VEVENT per item");
    let host = sim.url().trim_start_matches("http://").to_owned();
    let mut uids: Vec<String> = Vec::new();
    for (event, item) in calendar.events.iter().zip(items) {
        let uid = prop(&event.properties, "UID").expect("UID");
        let id = item["id"].as_str().expect("id");
        assert!(uid.ends_with(&format!("@{host}")), "{uid}");
        assert!(uid.starts_with(id) || uid.contains('%'), "{uid} names {id}");
        uids.push(uid);
        let summary = prop(&event.properties, "SUMMARY").expect("SUMMARY");
        let title = item["title"].as_str().expect("title");
        assert!(summary.ends_with(title), "{summary} / {title}");
        assert!(prop(&event.properties, "DTSTART").is_some());
        assert_eq!(event.alarms.len(), 3, "the default reminder leads");
    }
    let count = uids.len();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), count, "UIDs are unique");

    // Only the calendar has an iCalendar form, and only of deadlines.
    let (code, _, stderr) = run_cli(&sim, &home, "demo-ana", &["--format", "ics", "inbox"]).await;
    assert_ne!(code, 0);
    assert!(stderr.contains("for `calendar` only"), "{stderr}");
    let (code, _, stderr) = run_cli(
        &sim,
        &home,
        "demo-ana",
        &["--format", "ics", "calendar", "--all-kinds"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(stderr.contains("personal deadlines only"), "{stderr}");
}
