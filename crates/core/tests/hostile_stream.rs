//! Hostile streams, property-based: whatever bytes a server sends, in
//! whatever pieces, the SSE parser and the engine never panic, count each
//! message once, and every pop-up they make stays clipped, free of bidi
//! controls and on the server's origin.
//!
//! The streams start from well-formed frames of every shape the client
//! reads (thin and rich, inbox rows, broadcasts, pings), with titles and
//! ids drawn from hostile text. They are then mutated (bytes flipped,
//! inserted, cut and repeated; JSON nested deep; numbers and escapes at
//! their edges), framed with every SSE line ending, comment and field,
//! and cut at random points. The seed is fixed so every run checks the
//! same cases; `PROPTEST_SEED=N` tries others.

use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use companion_core::engine::{Effect, Input, is_bidi_control};
use companion_core::sse::{Parser, SseItem};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

// Ana's engine as after a connect, on this origin: what the benches use.
#[path = "../benches/common/mod.rs"]
mod bench_common;

const ORIGIN: &str = "https://pmap.example.com";

/// One frame of each shape, `{t}` standing for a title and `{i}` for an id.
const TEMPLATES: &[&str] = &[
    r#"{"type":"finding_assigned","company_id":"c-acme","payload":{"finding_id":"{i}","title":"{t}","severity":"critical","assignee_ids":["u-ana"],"correlation_id":"{i}-c"}}"#,
    r#"{"type":"notification_created","company_id":"c-acme","payload":{"notification":{"id":"{i}","user_id":"u-ana","event_type":"sla_breached","title":"{t}","body":"{t}","data":{"finding_id":"{i}","severity":"high"},"read":false,"created_at":"2026-11-24T11:00:00Z"}}}"#,
    r#"{"schema_version":1,"type":"sla_breached","timestamp":"2026-11-24T11:00:00Z","tenant":"c-acme","correlation_id":"{i}","subject":{"type":"finding","id":"{i}"},"actor":null,"data":{"title":"{t}","severity":"urgent","assignee_ids":["u-ana"]}}"#,
    r#"{"type":"scan_completed","company_id":null,"payload":{"scan_id":"{i}","title":"{t}","severity":1e999}}"#,
    r#"{"type":"approval_requested","company_id":7,"payload":{"approval_request_id":"{i}","approver_ids":["u-ana"],"title":"{t}","data":[1,{"a":[[]]}]}}"#,
    r#"{"type":"{t}","company_id":"c-acme","payload":{"subject_type":"{t}","subject_id":"{i}","severity":"{t}"}}"#,
    r#"{"type":"ping"}"#,
    r#"{"type":"finding_updated","payload":"{t}"}"#,
];

/// Bytes worth inserting: JSON's and SSE's structure, escapes, controls,
/// bidi overrides, and bytes that are not UTF-8.
const SPICE: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b":",
    b",",
    b"\n",
    b"\r",
    b"\r\n",
    b"\0",
    b"\\u0000",
    b"\\ud800",
    b"\\udfff\\ud800",
    b"\\u202e",
    b"\xe2\x80\xae",
    b"\xff",
    b"\xc3",
    b"\xf0\x9f",
    b"-0",
    b"1e-999",
    b"18446744073709551616",
    b"null",
    b"true",
    b"\x1b]8;;https://evil.test\x1b\\",
    b"data: ",
    b": ",
    b"event: x\n",
    b"id: \0\n",
];

#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Insert { at: usize, spice: usize },
    Cut { at: usize, len: usize },
    Repeat { at: usize, len: usize },
    Nest { depth: usize },
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ./-]{0,24}",
        "\\PC{0,40}",
        "[\u{202A}-\u{202E}\u{2066}-\u{2069}a-z<>&'\u{1b}\u{9b}]{0,30}",
        (1usize..20_000).prop_map(|n| "x".repeat(n)),
        Just(String::new()),
    ]
}

/// A JSON string body for `text`: what a server's encoder would write.
fn json_inner(text: &str) -> String {
    let quoted = serde_json::to_string(text).expect("a string encodes");
    quoted[1..quoted.len() - 1].to_owned()
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), 0..SPICE.len()).prop_map(|(at, spice)| Mutation::Insert { at, spice }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Cut { at, len }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Repeat { at, len }),
        (1usize..3000).prop_map(|depth| Mutation::Nest { depth }),
    ]
}

fn mutate(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = data.len().max(1);
        match *m {
            Mutation::Flip { at, byte } => {
                if !data.is_empty() {
                    data[at % len] = byte;
                }
            }
            Mutation::Insert { at, spice } => {
                let at = at % (data.len() + 1);
                data.splice(at..at, SPICE[spice].iter().copied());
            }
            Mutation::Cut { at, len: cut } => {
                let at = at % len;
                let end = (at + cut).min(data.len());
                data.drain(at.min(end)..end);
            }
            Mutation::Repeat { at, len: span } => {
                let at = at % len;
                let end = (at + span).min(data.len());
                let copy = data.get(at..end).unwrap_or_default().to_vec();
                data.splice(end..end, copy);
            }
            Mutation::Nest { depth } => {
                let mut nested = b"{\"type\":\"finding_updated\",\"payload\":".to_vec();
                nested.extend(std::iter::repeat_n(b'[', depth));
                nested.extend(std::iter::repeat_n(b']', depth));
                nested.push(b'}');
                data = nested;
            }
        }
    }
    data
}

/// One SSE event around `data`, with the line ending and extra fields
/// the case chose.
fn frame(data: &[u8], ending: &[u8], extras: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let fields: [&[u8]; 4] = [b": heartbeat", b"event: message", b"retry: 1000", b"id: 42"];
    for (bit, field) in fields.iter().enumerate() {
        if extras & (1 << bit) != 0 {
            out.extend_from_slice(field);
            out.extend_from_slice(ending);
        }
    }
    // A data line may itself hold line ends (a mutation put them there):
    // each line becomes a `data:` line, as a server splitting it would.
    for line in data.split(|b| *b == b'\n') {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line);
        out.extend_from_slice(ending);
    }
    out.extend_from_slice(ending);
    out
}

#[derive(Clone, Debug)]
struct Case {
    frames: Vec<(usize, String, String, Vec<Mutation>, usize, u8)>,
    cuts: Vec<usize>,
    max_frame: usize,
}

fn case() -> impl Strategy<Value = Case> {
    let one = (
        0..TEMPLATES.len(),
        hostile_text(),
        hostile_text(),
        prop::collection::vec(mutation(), 0..4),
        0usize..3,
        any::<u8>(),
    );
    (
        prop::collection::vec(one, 1..12),
        prop::collection::vec(any::<usize>(), 0..16),
        prop_oneof![Just(512usize), Just(64 * 1024), Just(1 << 20)],
    )
        .prop_map(|(frames, cuts, max_frame)| Case {
            frames,
            cuts,
            max_frame,
        })
}

fn wire(case: &Case) -> Vec<u8> {
    let endings: [&[u8]; 3] = [b"\n", b"\r\n", b"\r"];
    let mut out = Vec::new();
    for (template, title, id, mutations, ending, extras) in &case.frames {
        let data = TEMPLATES[*template]
            .replace("{t}", &json_inner(title))
            .replace("{i}", &json_inner(id));
        let data = mutate(data.into_bytes(), mutations);
        out.extend(frame(&data, endings[*ending], *extras));
    }
    out
}

fn check_effects(effects: &[Effect]) -> Result<(), TestCaseError> {
    for effect in effects {
        match effect {
            Effect::Notify(popup) => {
                prop_assert!(popup.title.chars().count() <= 121, "{popup:?}");
                prop_assert!(popup.body.chars().count() <= 301, "{popup:?}");
                let text = format!("{}{}", popup.title, popup.body);
                prop_assert!(!text.chars().any(is_bidi_control), "{popup:?}");
                if let Some(url) = &popup.url {
                    prop_assert!(url.starts_with(&format!("{ORIGIN}/")), "{url}");
                }
            }
            Effect::OpenUrl(url) => {
                prop_assert!(url.starts_with(&format!("{ORIGIN}/")), "{url}")
            }
            _ => {}
        }
    }
    Ok(())
}

fn seed() -> u64 {
    std::env::var("PROPTEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x504d_4150)
}

proptest! {
    #![proptest_config(Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(seed()),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn any_stream_is_read_without_a_panic_and_every_message_counted_once(case in case()) {
        let bytes = wire(&case);
        let mut cuts: Vec<usize> = case.cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.push(bytes.len());
        cuts.sort_unstable();
        let t0: DateTime<Utc> = "2026-11-24T12:00:00Z".parse().expect("instant");
        let mut engine = bench_common::engine(&[("c-acme", "Acme Corp")], t0);
        let mut parser = Parser::new(case.max_frame);
        let (mut messages, mut oversized, mut comments) = (0u64, 0u64, 0u64);
        let mut items = Vec::new();
        let mut start = 0;
        for (n, end) in cuts.into_iter().enumerate() {
            parser.feed(&Bytes::copy_from_slice(&bytes[start..end]), &mut items);
            start = end;
            let now = t0 + TimeDelta::seconds(n as i64);
            for item in items.drain(..) {
                let input = match item {
                    SseItem::Message(m) => {
                        messages += 1;
                        Input::Frame { event: m.event, data: m.data }
                    }
                    SseItem::Comment(_) => {
                        comments += 1;
                        Input::Heartbeat
                    }
                    SseItem::Oversized { bytes } => {
                        oversized += 1;
                        Input::FrameTooLarge { bytes }
                    }
                    SseItem::Retry(_) => continue,
                };
                check_effects(&engine.handle(input, now))?;
            }
            check_effects(&engine.handle(Input::Tick, now))?;
        }
        let stats = engine.stats();
        prop_assert_eq!(stats.frames, messages);
        prop_assert_eq!(stats.oversized, oversized);
        prop_assert_eq!(stats.heartbeats, comments);
        prop_assert!(stats.malformed <= messages);
    }
}
