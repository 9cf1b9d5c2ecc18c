//! Reliability soak: `pmap-cli watch` against `pmap-sim` while a fault
//! schedule plays, then the core shell in-process under system-clock jumps.
//! At the end every event the sim delivered to the connection must have
//! produced exactly the pop-up the preference matrix demands (no loss, no
//! duplicates), the badge must equal the summary endpoint, the reminder
//! ledger must never re-fire, and memory must stay under [`PEAK_RSS_BOUND_KIB`].
//!
//! The issue's intervals are scaled so the whole suite takes well under a
//! minute: the idle watchdog is 1.5 s instead of 45 s and the stall 3 s
//! instead of 30 s (kept at twice the watchdog, so the stall must be
//! detected), the frame cap is 64 KiB instead of 1 MiB (frames over it are
//! 96 KiB), heartbeats come every 0.2 s, and back-off is 0.05–0.5 s.
//!
//! Events are designed so the expected decision is computable: unique
//! subjects and correlation ids, a mix of types and severities checked
//! against a stated preference matrix ([`PREFS`]), storm coalescing off.
//! Frames the sim dropped for back-pressure (its emit answer says so) were
//! never delivered and must not pop up.

mod support;

use std::collections::HashMap;

use companion_core::Severity;
use pmap_testkit::eventually;
use serde_json::{Value, json};
use support::*;
use tokio::io::AsyncWriteExt;

#[path = "reliability/clock_jumps.rs"]
mod clock_jumps;
#[path = "reliability/schedule.rs"]
mod schedule;
#[path = "reliability/verdict.rs"]
mod verdict;

use verdict::{Outcome, Verdict};

/// Peak resident memory any watch process may reach during the soak.
pub const PEAK_RSS_BOUND_KIB: u64 = 48 * 1024;

/// The local preference matrix the suite runs under (config.json `prefs`).
const PREFS: &str = r#"{"prefs": {
    "storm_max": 1000000,
    "min_severity_popup": "medium",
    "popup": {"scan_completed": true, "sla_escalated": false}
}}"#;

/// One emitted event and the decision [`PREFS`] demands for it.
#[derive(Clone, Debug)]
pub struct Tracked {
    /// The subject id; the pop-up's deep link ends with it.
    pub subject: String,
    pub envelope: Value,
    pub popup: bool,
}

impl Tracked {
    /// The `n`th event of the mix (kinds cycle, severities cycle slower).
    pub fn nth(n: usize) -> Tracked {
        let severity = Severity::ALL[(n / 6) % Severity::ALL.len()];
        let medium_or_more = severity >= Severity::Medium;
        let severity = severity.as_str();
        let finding = format!("f-rel-{n}");
        match n % 6 {
            // Assigned to Ana: default on, filtered by minimum severity.
            0 => Tracked::finding(
                &finding,
                "finding_assigned",
                severity,
                &["u-ana"],
                medium_or_more,
            ),
            // Someone else's assignment: never Ana's pop-up.
            1 => Tracked::finding(&finding, "finding_assigned", "urgent", &["u-ben"], false),
            // Severity-less and switched on in the matrix: always.
            2 => Tracked::scan(&format!("s-rel-{n}")),
            // Switched off in the matrix, whatever the severity.
            3 => Tracked::finding(&finding, "sla_escalated", "urgent", &[], false),
            // A breach of Ana's finding (the default scope is her own
            // findings): default on, filtered by minimum severity.
            4 => Tracked::finding(
                &finding,
                "sla_breached",
                severity,
                &["u-ana"],
                medium_or_more,
            ),
            // Default off.
            _ => Tracked::finding(&finding, "finding_updated", "critical", &[], false),
        }
    }

    /// An event that always pops up: ends a batch, so its pop-up proves that
    /// everything emitted before it was decided.
    pub fn fence(label: &str) -> Tracked {
        Tracked::finding(
            &format!("f-fence-{label}"),
            "finding_assigned",
            "high",
            &["u-ana"],
            true,
        )
    }

    fn finding(id: &str, ty: &str, severity: &str, assignees: &[&str], popup: bool) -> Tracked {
        let mut payload = json!({"finding_id": id, "title": format!("Reliability {id}"),
            "severity": severity, "schema_version": 1, "correlation_id": format!("corr-{id}"),
            "subject_type": "finding", "subject_id": id, "actor_type": "user", "actor_id": "u-lee",
            "timestamp": "2026-11-24T09:15:02.123456789Z"});
        if !assignees.is_empty() {
            payload["assignee_ids"] = json!(assignees);
        }
        Tracked {
            subject: id.to_owned(),
            envelope: json!({"type": ty, "company_id": "c-acme", "payload": payload}),
            popup,
        }
    }

    fn scan(id: &str) -> Tracked {
        Tracked {
            subject: id.to_owned(),
            envelope: json!({"type": "scan_completed", "company_id": "c-acme", "payload": {
                "scan_id": id, "name": "Nightly", "schema_version": 1,
                "correlation_id": format!("corr-{id}"), "subject_type": "scan", "subject_id": id,
                "actor_type": "system", "actor_id": "scanner",
                "timestamp": "2026-11-24T09:15:02.123456789Z"}}),
            popup: true,
        }
    }
}

/// Everything emitted, whether the sim delivered it, and each fault step's
/// outcome.
#[derive(Default)]
pub struct Book {
    sent: Vec<(Tracked, bool)>,
    next: usize,
    /// Exact repeats delivered on purpose (the client must drop each).
    pub repeats_delivered: u64,
    pub outcomes: Vec<Outcome>,
    /// The fault whose step expects the impossible (test-only): proves the
    /// verdict can report a failure.
    sabotaged: Option<&'static str>,
}

impl Book {
    pub fn sabotaging(fault: &'static str) -> Book {
        Book {
            sabotaged: Some(fault),
            ..Book::default()
        }
    }

    /// Emits one event to Ana's stream; records whether it was delivered.
    pub async fn emit(&mut self, sim: &Sim, event: Tracked) -> bool {
        let delivered = deliver(sim, &event).await.is_some();
        self.sent.push((event, delivered));
        delivered
    }

    /// Re-sends an already delivered event verbatim.
    pub async fn repeat_last_delivered(&mut self, sim: &Sim) {
        let Some((event, _)) = self.sent.iter().rev().find(|(_, d)| *d).cloned() else {
            return;
        };
        if deliver(sim, &event).await.is_some() {
            self.repeats_delivered += 1;
        }
    }

    /// `count` events of the mix, then a fence whose pop-up is awaited;
    /// records in `step` that the fence popped up exactly once.
    pub async fn batch(&mut self, sim: &Sim, watch: &mut Watch, count: usize, step: &mut Outcome) {
        for _ in 0..count {
            let event = Tracked::nth(self.next);
            self.next += 1;
            self.emit(sim, event).await;
        }
        // After a flood the stream's queue may still be full: the sim drops
        // what it cannot queue, so offer the fence until it is taken.
        let fence = Tracked::fence(&self.next.to_string());
        self.next += 1;
        eventually("the stream to take the fence", || deliver(sim, &fence)).await;
        self.sent.push((fence.clone(), true));
        let subject = fence.subject.as_str();
        let awaited = watch
            .try_wait_for(&format!("the fence {subject}"), |v| {
                popup_subject(v).as_deref() == Some(subject)
            })
            .await;
        step.waited("the batch's fence popped up", awaited);
        let shown = watch
            .seen
            .iter()
            .filter(|v| popup_subject(v).as_deref() == Some(subject))
            .count();
        let expected = if self.sabotaged == Some(step.fault.as_str()) {
            2 // deliberately wrong: one event, one pop-up
        } else {
            1
        };
        step.compare("pop-ups of the fence", expected, shown);
    }

    /// Records a finished step.
    pub fn record(&mut self, step: Outcome) {
        self.outcomes.push(step);
    }

    /// The recorded step for `fault`, to add a check known only later.
    pub fn step(&mut self, fault: &str) -> &mut Outcome {
        self.outcomes
            .iter_mut()
            .find(|o| o.fault == fault)
            .unwrap_or_else(|| panic!("no step named {fault:?}"))
    }

    /// Compares the pop-ups in `lines` with the decisions owed; returns the
    /// subjects whose pop-up was lost and those shown more than owed.
    pub fn reconcile(&self, lines: &[Value]) -> (Vec<String>, Vec<String>) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for line in lines {
            if let Some(subject) = popup_subject(line) {
                *seen.entry(subject).or_default() += 1;
            }
        }
        let mut lost = Vec::new();
        let mut doubled = Vec::new();
        for (event, delivered) in &self.sent {
            let owed = usize::from(*delivered && event.popup);
            let got = seen.get(&event.subject).copied().unwrap_or(0);
            if got < owed {
                lost.push(event.subject.clone());
            } else if got > owed {
                doubled.push(format!("{} ({got} for {owed} owed)", event.subject));
            }
        }
        (lost, doubled)
    }

    pub fn delivered(&self) -> usize {
        self.sent.iter().filter(|(_, d)| *d).count()
    }

    pub fn owed(&self) -> usize {
        self.sent.iter().filter(|(e, d)| *d && e.popup).count()
    }
}

/// Emits `event` to Ana's stream; `Some` if the sim delivered it, `None`
/// if it dropped it for back-pressure.
async fn deliver(sim: &Sim, event: &Tracked) -> Option<()> {
    let answer = sim
        .post(
            "/_sim/emit",
            json!({"events": [event.envelope], "user": "u-ana"}),
        )
        .await;
    (answer["delivered"] == 1).then_some(())
}

/// The subject id at the end of an event pop-up's deep link.
pub fn popup_subject(line: &Value) -> Option<String> {
    if !is_effect(line, "notify") || line["kind"] != "event" {
        return None;
    }
    let url = line["url"].as_str()?;
    let subject = url.rsplit('/').next()?;
    (subject.starts_with("f-rel-")
        || subject.starts_with("s-rel-")
        || subject.starts_with("f-fence-"))
    .then(|| subject.to_owned())
}

/// A home whose config.json holds [`PREFS`].
pub fn home_with_prefs() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("config").join("pmap-companion");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("config.json"), PREFS).expect("config.json");
    home
}

/// Plays the CLI's fault schedule, then the clock jumps, and computes the
/// verdict from the steps' outcomes and the pop-up reconciliation.
async fn play(sabotaged: Option<&'static str>) -> (Verdict, String) {
    let started = std::time::Instant::now();
    let mut book = sabotaged.map(Book::sabotaging).unwrap_or_default();
    let cli = schedule::play(&mut book).await;
    let (mut lost, mut duplicates) = book.reconcile(&cli.popups);
    let mut clock_book = sabotaged.map(Book::sabotaging).unwrap_or_default();
    let clock = clock_jumps::play(&mut clock_book).await;
    let (clock_lost, clock_duplicates) = clock_book.reconcile(&clock.popups);
    lost.extend(clock_lost);
    duplicates.extend(clock_duplicates);
    let detail = format!(
        "reliability: {} events delivered ({} dropped by the sim for back-pressure), {} pop-ups owed, {} repeats dropped, {} malformed frames \
         skipped, {} reminders fired then never again across {} clock jumps, peak RSS {} KiB \
         (bound {} KiB), {:.1} s",
        book.delivered() + clock_book.delivered(),
        book.sent.len() - book.delivered(),
        book.owed() + clock_book.owed(),
        book.repeats_delivered,
        cli.malformed,
        clock.reminders,
        clock.jumps,
        cli.peak_rss_kib,
        PEAK_RSS_BOUND_KIB,
        started.elapsed().as_secs_f64()
    );
    let mut outcomes = book.outcomes;
    outcomes.extend(clock_book.outcomes);
    let verdict = Verdict {
        outcomes,
        lost,
        duplicates,
    };
    (verdict, detail)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_survives_the_fault_schedule_without_losing_or_doubling_a_popup() {
    let (verdict, detail) = play(None).await;
    // Straight to the terminal, past the test harness's output capture, so
    // `make test` shows the summary.
    let mut out = tokio::io::stdout();
    let _ = out
        .write_all(format!("{}\n{detail}\n", verdict.line()).as_bytes())
        .await;
    let _ = out.flush().await;
    assert!(
        verdict.passed(),
        "{}\n{}",
        verdict.line(),
        verdict.failures()
    );
}

/// The fault whose step the verdict test sabotages.
const SABOTAGED: &str = "drop 7";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verdict_reports_a_step_whose_expectation_was_not_met() {
    let (verdict, _) = play(Some(SABOTAGED)).await;
    let failed: Vec<&str> = verdict
        .outcomes
        .iter()
        .filter(|o| !o.survived())
        .map(|o| o.fault.as_str())
        .collect();
    assert_eq!(failed, [SABOTAGED], "{}", verdict.failures());
    assert!(
        verdict.line().starts_with("faults survived: 34/35,"),
        "{}",
        verdict.line()
    );
    assert!(!verdict.passed());
    assert!(
        verdict
            .failures()
            .contains("expected pop-ups of the fence: 2"),
        "{}",
        verdict.failures()
    );
}
