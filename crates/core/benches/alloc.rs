//! Heap allocations per frame, counted by a global allocator that wraps the
//! system one. No timing: a count does not care how busy the machine is.
//!
//! Four figures, each after a warm-up long enough to fill the engine's
//! bounded caches (the dedup set reuses its tables once it has turned over):
//! - `decode`: `Envelope::decode` alone on the flood frame;
//! - `engine`: `Engine::handle` on the flood frame (`finding_updated`, the
//!   common case that pops nothing up), excluding building the `Input`;
//! - `engine_mix`: the same over the mix of the `decide` bench (pop-ups,
//!   inbox rows, reads, someone else's notifications, rich frames);
//! - `sse_parser`: `Parser::feed` turning the flood's bytes, in 16 KiB
//!   network chunks, into messages (a frame whose line lies whole in a
//!   chunk shares it; the few cut by a chunk boundary are copied).
//!
//! `cargo bench -p companion-core --bench alloc [-- --frames N --out FILE]`
//! prints one JSON object and, with `--out`, writes it there too.

#![allow(unsafe_code)] // a global allocator is an `unsafe impl`; it only counts and forwards

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use chrono::TimeDelta;
use companion_core::engine::Input;

mod common;
use common::{ME, flood_frame, t0};
use companion_core::event::Envelope;
use companion_core::sse::Parser;

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is a relaxed atomic and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` via `alloc`/`realloc` above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One frame of the `decide` bench's mix (kept in step with benches/decide.rs).
fn mixed_frame(i: usize) -> String {
    let f = format!("f-{}", i % 250);
    match i % 20 {
        0..=4 => flood_frame(i),
        5..=7 => format!(
            r#"{{"type":"finding_assigned","company_id":"c-acme","payload":{{"finding_id":"{f}","title":"Stored XSS","severity":"high","assignee_ids":["{}"],"correlation_id":"corr-{i}","subject_type":"finding","subject_id":"{f}"}}}}"#,
            if i.is_multiple_of(3) { ME } else { "u-ben" }
        ),
        8 | 9 => format!(
            r#"{{"schema_version":1,"type":"sla_breached","tenant":"c-acme","timestamp":"2026-11-24T09:15:02Z","correlation_id":"corr-{i}","subject":{{"type":"finding","id":"{f}"}},"actor":null,"data":{{"title":"Weak TLS","severity":"high"}}}}"#
        ),
        10..=14 => format!(
            r#"{{"type":"notification_created","company_id":"c-acme","payload":{{"user_id":"{ME}","notification":{{"id":"n-{i}","user_id":"{ME}","event_type":"finding_assigned","title":"Assigned to you","data":{{"finding_id":"{f}","severity":"high"}},"read":false}}}}}}"#
        ),
        15 | 16 => format!(
            r#"{{"type":"notification_read","company_id":null,"payload":{{"notification_id":"n-{}","user_id":"{ME}"}}}}"#,
            i.saturating_sub(5)
        ),
        17 => format!(
            r#"{{"type":"notification_created","company_id":"c-acme","payload":{{"user_id":"u-ben","notification":{{"id":"n-ben-{i}","user_id":"u-ben"}}}}}}"#
        ),
        18 => format!(
            r#"{{"type":"asset_updated","company_id":"c-acme","payload":{{"asset_id":"as-{}","correlation_id":"corr-{i}"}}}}"#,
            i % 40
        ),
        _ => r#"{"type":"ping"}"#.to_owned(),
    }
}

fn frames_of(make: fn(usize) -> String, from: usize, count: usize) -> Vec<Input> {
    (from..from + count)
        .map(|n| Input::Frame {
            event: "message".into(),
            data: make(n).into(),
        })
        .collect()
}

/// Allocations per input of `Engine::handle` over `measured`, after `warm`.
fn engine_allocations(warm: Vec<Input>, measured: Vec<Input>) -> f64 {
    let mut engine = common::engine(&[("c-acme", "Acme Corp")], t0());
    let mut at = t0();
    for input in warm {
        at += TimeDelta::milliseconds(1);
        drop(engine.handle(input, at));
    }
    let count = measured.len();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for input in measured {
        at += TimeDelta::milliseconds(1);
        drop(std::hint::black_box(engine.handle(input, at)));
    }
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / count as f64
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut frames, mut out) = (20_000, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--frames" => frames = args.next().and_then(|n| n.parse().ok()).unwrap_or(frames),
            "--out" => out = args.next(),
            _ => {} // `cargo bench` passes `--bench`
        }
    }
    let warm = 5_000; // more than one dedup generation (4 096)

    let data: Vec<String> = (0..frames).map(flood_frame).collect();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for frame in &data {
        let _ = std::hint::black_box(Envelope::decode(std::hint::black_box(frame)));
    }
    let decode = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / frames as f64;

    let engine_flood = engine_allocations(
        frames_of(flood_frame, 0, warm),
        frames_of(flood_frame, warm, frames),
    );
    let engine_mix = engine_allocations(
        frames_of(mixed_frame, 0, warm),
        frames_of(mixed_frame, warm, frames),
    );

    let wire: Vec<u8> = data
        .iter()
        .flat_map(|d| format!("data: {d}\n\n").into_bytes())
        .collect();
    let mut parser = Parser::new(1 << 20);
    let mut items = Vec::with_capacity(frames);
    let chunks: Vec<Bytes> = wire.chunks(16 * 1024).map(Bytes::copy_from_slice).collect();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for chunk in &chunks {
        parser.feed(chunk, &mut items);
    }
    let sse_parser = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / frames as f64;
    assert_eq!(items.len(), frames, "every frame parsed");

    let result = format!(
        "{{\"frames\": {frames}, \"warm_up\": {warm}, \"decode\": {decode:.3}, \"engine\": {engine_flood:.3}, \"engine_mix\": {engine_mix:.3}, \"sse_parser\": {sse_parser:.3}}}"
    );
    println!("{result}");
    if let Some(path) = out {
        std::fs::write(&path, format!("{result}\n")).expect("the --out file is writable");
    }
}
