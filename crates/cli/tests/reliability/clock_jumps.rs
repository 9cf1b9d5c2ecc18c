//! System-clock jumps through the engine's clock seam: the core shell runs
//! in-process with a [`ShiftedClock`] against the real sim over real
//! sockets. The clock jumps forwards (suspend/resume) and backwards (NTP
//! correction); whenever it revisits a time it has already been at, no
//! reminder may fire again — the ledger remembers each one.

use chrono::Duration;
use companion_core::engine::{
    AgendaPrefs, Effect, Engine, EngineConfig, LocalPrefs, PopupKind, ReminderLedger,
};
use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::{self, Shell, ShiftedClock, StreamSettings};
use companion_core::sse::backoff::BackoffPolicy;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::support::*;
use super::{Book, Outcome, Tracked};

/// Offsets from the real time, in hours, visited in this order.
const JUMPS: [i64; 7] = [36, 0, 36, -72, 36, 61, 12];

pub struct ClockRun {
    pub jumps: usize,
    /// Reminder pop-ups (single or digest) seen in all.
    pub reminders: usize,
    /// Every pop-up the shell raised, as `pmap-cli watch` prints it.
    pub popups: Vec<Value>,
}

/// The effects of a running shell, received in order.
struct Effects {
    rx: mpsc::UnboundedReceiver<Effect>,
    seen: Vec<Effect>,
}

impl Effects {
    async fn wait_for(&mut self, what: &str, pred: impl Fn(&Effect) -> bool) {
        if let Err(missed) = self.try_wait_for(what, pred).await {
            panic!("{missed}");
        }
    }

    async fn try_wait_for(
        &mut self,
        what: &str,
        pred: impl Fn(&Effect) -> bool,
    ) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + patience();
        loop {
            let effect = match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(effect)) => effect,
                Ok(None) => return Err(format!("the shell stopped before {what}")),
                Err(_) => return Err(format!("timed out waiting for {what}")),
            };
            let done = pred(&effect);
            self.seen.push(effect);
            if done {
                return Ok(());
            }
        }
    }

    fn reminders(&self) -> usize {
        self.seen
            .iter()
            .filter(|e| {
                matches!(e, Effect::Notify(p)
                    if matches!(p.kind, PopupKind::Reminder | PopupKind::ReminderDigest))
            })
            .count()
    }

    /// Emits two fences and waits for the second: every input the engine
    /// handled at the current clock (the first fence at the latest) has
    /// produced all its effects by then.
    async fn settle(&mut self, sim: &Sim, book: &mut Book) -> Result<(), String> {
        let first = Tracked::fence(&format!("clock-{}", book.next));
        let second = Tracked::fence(&format!("clock-{}", book.next + 1));
        book.next += 2;
        let subject = second.subject.clone();
        for fence in [first, second] {
            let id = fence.subject.clone();
            if !book.emit(sim, fence).await {
                return Err(format!("the sim did not deliver the fence {id}"));
            }
        }
        self.try_wait_for(&format!("the fence {subject}"), |e| {
            matches!(e, Effect::Notify(p) if p.url.as_deref().is_some_and(|u| u.ends_with(&subject)))
        })
        .await
    }
}

/// Plays the jumps, recording fences and faults in `book` (its own: the
/// reconciliation at the end covers exactly this run's events).
pub async fn play(book: &mut Book) -> ClockRun {
    let sim = Sim::start(&["--heartbeat-secs", "0.2"]).await;
    let server = ServerUrl::parse(&sim.url()).expect("sim URL");
    let client =
        Client::new(server.clone(), Token::new("demo-ana").expect("token")).expect("client");
    let me = client.me().await.expect("/me");
    let config = EngineConfig {
        user_id: me.id,
        server_origin: server.origin(),
        companies: me.companies.into_iter().map(|c| (c.id, c.name)).collect(),
        // Coalescing off: every fence must show, whatever the clock says.
        // The agenda off: whether it comes depends on the hour the suite
        // runs at, and the engine's own tables cover it.
        prefs: LocalPrefs {
            storm_max: 1_000_000,
            agenda: AgendaPrefs {
                enabled: false,
                ..AgendaPrefs::default()
            },
            ..LocalPrefs::default()
        },
        time_zone: chrono_tz::UTC,
    };
    let state = tempfile::tempdir().expect("tempdir");
    let ledger_file = state.path().join("reminders.json");
    let clock = ShiftedClock::default();
    let (tx, rx) = mpsc::unbounded_channel();
    let shell = Shell {
        client,
        engine: Engine::new(config, ReminderLedger::new()),
        sink: move |effect: &Effect| {
            let _ = tx.send(effect.clone());
        },
        clock: clock.clone(),
        settings: StreamSettings {
            idle_timeout: std::time::Duration::from_secs(2),
            max_frame: 1 << 20,
            backoff: BackoffPolicy {
                base: std::time::Duration::from_millis(50),
                cap: std::time::Duration::from_millis(500),
                ..BackoffPolicy::default()
            },
            ..StreamSettings::default()
        },
        ledger_file: Some(ledger_file.clone()),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let (_controls, inputs) = shell::controls();
    let running = tokio::spawn(shell::run(shell, inputs, async {
        let _ = stopped.await;
    }));
    let mut effects = Effects {
        rx,
        seen: Vec::new(),
    };
    effects
        .wait_for("the first ledger write", |e| *e == Effect::PersistLedger)
        .await;
    if let Err(missed) = effects.settle(&sim, book).await {
        panic!("before any jump: {missed}");
    }

    let mut offset = 0;
    let mut furthest = 0;
    for target in JUMPS {
        let mut step = Outcome::new(format!("clock jump to {target:+} h"));
        let before = effects.reminders();
        clock.shift(Duration::hours(target - offset));
        offset = target;
        step.waited("the engine settled", effects.settle(&sim, book).await);
        let fired = effects.reminders() - before;
        if target <= furthest {
            step.compare("reminders re-fired on a time already visited", 0, fired);
        } else if target >= 36 && furthest < 36 {
            step.compare("the next day's reminders fired", true, fired > 0);
        }
        furthest = furthest.max(target);
        book.record(step);
    }

    let _ = stop.send(());
    let (_, stats) = running.await.expect("the shell ran");
    let shown = effects.reminders() as u64;
    let last = book
        .outcomes
        .last_mut()
        .expect("a step for each clock jump");
    last.compare(
        "reminders the engine counted against those shown",
        shown,
        stats.reminders + stats.reminder_digests,
    );
    let ledger: Value = std::fs::read(&ledger_file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null);
    last.compare(
        "a reminder ledger with entries on disk",
        true,
        ledger["entries"].as_object().is_some_and(|e| !e.is_empty()),
    );
    let popups: Vec<Value> = effects
        .seen
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(popup) => {
                let mut line = serde_json::to_value(popup).expect("popup JSON");
                line["effect"] = "notify".into();
                Some(line)
            }
            _ => None,
        })
        .collect();
    ClockRun {
        jumps: JUMPS.len(),
        reminders: effects.reminders(),
        popups,
    }
}
