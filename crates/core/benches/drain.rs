//! How fast the client's own code drains a queued flood, without a socket:
//! the sim's flood frames as one byte stream, cut in 256 KiB chunks (what
//! the sim sends a backlog as), fed through the SSE parser, decoded and
//! decided as `pmap-cli watch` does, with a clock read per chunk.
//!
//! `cargo bench -p companion-core --bench drain [-- --frames N --rounds R]`
//! prints ns per frame for each stage. A timing, never a test.

use std::hint::black_box;
use std::time::Instant;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use companion_core::engine::Input;

mod common;
use common::flood_frame;
use companion_core::event::Envelope;
use companion_core::sse::{Parser, SseItem};

fn per_frame(frames: usize, rounds: usize, mut run: impl FnMut()) -> f64 {
    if rounds == 0 {
        return f64::NAN;
    }
    run(); // warm-up
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        run();
        best = best.min(start.elapsed().as_nanos() as f64 / frames as f64);
    }
    best
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut frames, mut rounds, mut only) = (200_000, 5, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--frames" => frames = args.next().and_then(|n| n.parse().ok()).unwrap_or(frames),
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds),
            // One stage alone (parse, decode, handle, drain), for a profiler.
            "--only" => only = args.next(),
            _ => {} // `cargo bench` passes `--bench`
        }
    }
    let rounds_of = |stage: &str| match &only {
        Some(name) if name != stage => 0,
        _ => rounds,
    };
    let data: Vec<String> = (0..frames).map(flood_frame).collect();
    let wire: Vec<u8> = data
        .iter()
        .flat_map(|d| format!("data: {d}\n\n").into_bytes())
        .collect();
    let chunks: Vec<Bytes> = wire
        .chunks(256 * 1024)
        .map(Bytes::copy_from_slice)
        .collect();

    let parse = per_frame(frames, rounds_of("parse"), || {
        let mut parser = Parser::new(1 << 20);
        let mut items = Vec::new();
        for chunk in &chunks {
            parser.feed(chunk, &mut items);
            black_box(&items);
            items.clear();
        }
    });
    let decode = per_frame(frames, rounds_of("decode"), || {
        for frame in &data {
            let _ = black_box(Envelope::decode(black_box(frame)));
        }
    });
    let inputs: Vec<Input> = data
        .iter()
        .map(|d| Input::Frame {
            event: "message".into(),
            data: d.clone().into(),
        })
        .collect();
    let mut engine = common::engine(&[("c-acme", "Acme Corp")], Utc::now());
    let now = Utc::now();
    let handle = per_frame(frames, rounds_of("handle"), || {
        for input in &inputs {
            black_box(engine.handle(input.clone(), now));
        }
    });
    let drain = per_frame(frames, rounds_of("drain"), || {
        let mut parser = Parser::new(1 << 20);
        let mut items = Vec::new();
        for chunk in &chunks {
            parser.feed(chunk, &mut items);
            let now: DateTime<Utc> = Utc::now();
            for item in items.drain(..) {
                if let SseItem::Message(m) = item {
                    let input = Input::Frame {
                        event: m.event,
                        data: m.data,
                    };
                    black_box(engine.handle(input, now));
                }
            }
        }
    });
    println!(
        "frames {frames}, best of {rounds}: parse {parse:.0} ns, decode {decode:.0} ns, \
         handle (decode + decide) {handle:.0} ns, \
         drain (parse + decode + decide) {drain:.0} ns = {:.2} M frames/s",
        1e3 / drain
    );
}
