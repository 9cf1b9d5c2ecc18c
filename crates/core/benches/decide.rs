//! Decode + decide throughput of the pure engine over a realistic mix of
//! thin and rich frames (assignments, updates, SLA events, inbox rows and
//! their reads, someone else's notifications, the odd ping and bad frame).
//!
//! `cargo bench -p companion-core --bench decide` reports events/s.

use std::hint::black_box;

use chrono::TimeDelta;
use companion_core::engine::Input;

mod common;
use common::{ME, t0};
use companion_core::event::{Envelope, Severity};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

const FRAMES: usize = 2_000;

fn frame_data(i: usize) -> String {
    let finding = format!("f-{}", i % 250);
    let corr = format!("corr-{i}");
    let severity = Severity::ALL[i % Severity::ALL.len()].as_str();
    let company = ["c-acme", "c-globex"][i % 2];
    let value: Value = match i % 20 {
        0..=4 => json!({"type": "finding_updated", "company_id": company, "payload": {
            "finding_id": finding, "title": "SQL injection in /login", "severity": severity,
            "schema_version": 1, "correlation_id": corr, "subject_type": "finding",
            "subject_id": finding, "actor_type": "user", "actor_id": "u-lee",
            "timestamp": "2026-11-24T09:15:02.123456789Z"}}),
        5..=7 => json!({"type": "finding_assigned", "company_id": company, "payload": {
            "finding_id": finding, "title": "Stored XSS in comments", "severity": severity,
            "assignee_ids": if i.is_multiple_of(3) { vec![ME] } else { vec!["u-ben"] },
            "correlation_id": corr, "subject_type": "finding", "subject_id": finding}}),
        8 | 9 => json!({"schema_version": 1, "type": "sla_breached", "tenant": company,
            "timestamp": "2026-11-24T09:15:02.123456789Z", "correlation_id": corr,
            "subject": {"type": "finding", "id": finding}, "actor": null,
            "data": {"title": "Weak TLS configuration", "severity": severity}}),
        10 => json!({"schema_version": 1, "type": "scan_completed", "tenant": company,
            "timestamp": "2026-11-24T09:15:02.123456789Z", "correlation_id": corr,
            "subject": {"type": "scan", "id": format!("s-{i}")}, "actor": {"type": "system", "id": "scanner"},
            "data": {"name": "Nightly external"}}),
        11..=14 => json!({"type": "notification_created", "company_id": company, "payload": {
            "user_id": ME, "notification": {"id": format!("n-{i}"), "user_id": ME, "type": "alert",
            "event_type": "finding_assigned", "title": "Assigned to you: Stored XSS",
            "body": "Please triage today", "data": {"finding_id": finding, "severity": severity},
            "read": false, "created_at": "2026-11-24T09:15:02.123456789Z"}}}),
        15 | 16 => json!({"type": "notification_read", "company_id": null, "payload": {
            "notification_id": format!("n-{}", i.saturating_sub(5)), "user_id": ME}}),
        17 => json!({"type": "notification_created", "company_id": company, "payload": {
            "user_id": "u-ben", "notification": {"id": format!("n-ben-{i}"), "user_id": "u-ben"}}}),
        18 => json!({"type": "asset_updated", "company_id": company, "payload": {
            "asset_id": format!("as-{}", i % 40), "name": "api.acme.test", "correlation_id": corr}}),
        _ if i % 40 == 19 => return "{not json".to_owned(),
        _ => json!({"type": "ping"}),
    };
    value.to_string()
}

fn frames() -> Vec<Input> {
    (0..FRAMES)
        .map(|i| Input::Frame {
            event: "message".into(),
            data: frame_data(i).into(),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = frames();
    let texts: Vec<String> = (0..FRAMES).map(frame_data).collect();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(FRAMES as u64));
    group.bench_function("decode_only", |b| {
        b.iter(|| {
            for data in &texts {
                let _ = black_box(Envelope::decode(black_box(data)));
            }
        })
    });
    group.bench_function("decode_and_decide", |b| {
        b.iter_batched(
            || {
                (
                    common::engine(&[("c-acme", "Acme Corp"), ("c-globex", "Globex")], t0()),
                    inputs.clone(),
                )
            },
            |(mut engine, inputs)| {
                for (i, input) in inputs.into_iter().enumerate() {
                    // Frames 20 ms apart: storm windows open and close as in a busy hour.
                    let now = t0() + TimeDelta::milliseconds(20 * i as i64);
                    black_box(engine.handle(input, now));
                }
                engine
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
