//! The imperative shell around the engine: feeds it what the supervisor, the
//! REST client, the timer and the user produce, performs the IO effects it
//! returns, and hands every effect to the [`EffectSink`].
//!
//! Every wall-clock reading it hands the engine comes from its [`Clock`];
//! tokio's timers only do the sleeping.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc};

use super::clock::Clock;
use super::sink::EffectSink;
use super::supervisor::{StreamEvent, StreamSettings, supervise};
use crate::engine::{
    ConnectionState, Effect, Engine, EngineStats, Input, LocalPrefs, SystemEvent, UserAction,
};
use crate::error::Error;
use crate::rest::{CalendarQuery, Client, InboxQuery};
use crate::sse::SseItem;
use crate::store::json_file;

/// Reads retried on transient failures before waiting for the next trigger.
const FETCH_ATTEMPTS: u32 = 5;
/// Unread rows read for a catch-up: one page, the protocol's largest.
const INBOX_HEAD: u32 = 100;

/// Why [`run`] returned.
#[derive(Clone, Debug, PartialEq)]
pub enum Exit {
    /// The server rejected the token: sign in again.
    SignedOut,
    /// The stream stopped for good (403).
    Stopped(String),
    /// The caller asked to stop.
    Shutdown,
}

/// Handles the caller keeps to talk to a running shell.
#[derive(Clone, Debug)]
pub struct Controls {
    actions: mpsc::Sender<Input>,
    reconnect: Arc<Notify>,
}

impl Controls {
    /// Passes a user action (pause, mark read, …) to the engine.
    pub async fn act(&self, action: UserAction) {
        let _ = self.actions.send(Input::User(action)).await;
    }

    /// Applies new local preferences (pop-up/sound matrix, quiet hours, …)
    /// without restarting the stream.
    pub async fn set_prefs(&self, prefs: LocalPrefs) {
        let _ = self
            .actions
            .send(Input::PrefsChanged(Box::new(prefs)))
            .await;
    }

    /// The desktop's do-not-disturb went on or off.
    pub async fn desktop_inhibited(&self, on: bool) {
        let _ = self.actions.send(Input::DesktopInhibited(on)).await;
    }

    /// Drops the stream, if one is open, and connects again now, cutting
    /// any back-off wait short.
    pub fn reconnect_now(&self) {
        self.reconnect.notify_one();
    }

    /// Tells the engine what the operating system said (resume, network);
    /// the engine decides whether that means `Offline` or a reconnect.
    pub async fn system(&self, event: SystemEvent) {
        let _ = self.actions.send(Input::System(event)).await;
    }

    /// Resolves once the shell has stopped listening (its session ended).
    pub async fn closed(&self) {
        self.actions.closed().await
    }
}

/// Everything [`run`] needs.
pub struct Shell<S, C> {
    pub client: Client,
    pub engine: Engine,
    pub sink: S,
    pub clock: C,
    pub settings: StreamSettings,
    /// Where the reminder ledger is persisted.
    pub ledger_file: Option<PathBuf>,
}

/// Creates the control handles and the receiving ends `run` consumes.
pub fn controls() -> (Controls, ControlInputs) {
    let (actions, actions_rx) = mpsc::channel(64);
    let reconnect = Arc::new(Notify::new());
    (
        Controls {
            actions,
            reconnect: reconnect.clone(),
        },
        ControlInputs {
            actions: actions_rx,
            reconnect,
        },
    )
}

pub struct ControlInputs {
    actions: mpsc::Receiver<Input>,
    reconnect: Arc<Notify>,
}

/// Runs until signed out, stopped for good, or `shutdown` resolves. Returns
/// the engine's counters alongside the reason.
pub async fn run<S: EffectSink, C: Clock>(
    shell: Shell<S, C>,
    inputs: ControlInputs,
    shutdown: impl std::future::Future<Output = ()>,
) -> (Exit, EngineStats) {
    let Shell {
        client,
        mut engine,
        mut sink,
        clock,
        settings,
        ledger_file,
    } = shell;
    let ControlInputs {
        actions: mut action_rx,
        reconnect,
    } = inputs;
    // Small: each message is one network chunk's frames (a few hundred KiB
    // at most), and a slow consumer should push back on the socket (the
    // server then drops frames for us, which the summary refetch repairs)
    // rather than queue them here.
    let (stream_tx, mut stream_rx) = mpsc::channel(8);
    let supervisor = tokio::spawn(supervise(
        client.clone(),
        settings,
        stream_tx,
        reconnect.clone(),
    ));
    let (fetched_tx, mut fetched_rx) = mpsc::channel::<Input>(16);
    let io = Io {
        client,
        fetched: fetched_tx,
        ledger_file,
        reconnect,
    };
    let mut timer: Option<DateTime<Utc>> = None;
    tokio::pin!(shutdown);

    let exit = loop {
        let sleep = timer.map(|at| (at - clock.now()).to_std().unwrap_or_default());
        // Unbiased on purpose: under a flood the stream is always ready, and
        // a fixed order would starve summary results and timers.
        let next = tokio::select! {
            _ = &mut shutdown => break Exit::Shutdown,
            event = stream_rx.recv() => match event {
                Some(event) => Next::Stream(event),
                None => break terminal_exit(engine.connection()),
            },
            Some(input) = fetched_rx.recv() => Next::Input(input),
            Some(input) = action_rx.recv() => Next::Input(input),
            _ = tokio::time::sleep(sleep.unwrap_or_default()), if sleep.is_some() => {
                timer = None;
                Next::Input(Input::Tick)
            }
        };
        let mut step = Step {
            engine: &mut engine,
            sink: &mut sink,
            io: &io,
            timer: &mut timer,
        };
        match next {
            // The frames of one network chunk arrived together: one clock
            // reading serves them all (under a flood, reading it per frame
            // was a visible share of the time).
            Next::Stream(event) => {
                let now = clock.now();
                for input in stream_inputs(event, now) {
                    step.apply(input, now);
                }
            }
            Next::Input(input) => step.apply(input, clock.now()),
        }
    };
    supervisor.abort();
    (exit, engine.stats().clone())
}

/// What woke the runner up.
enum Next {
    Stream(StreamEvent),
    Input(Input),
}

/// One input through the engine, and its effects out.
struct Step<'a, S> {
    engine: &'a mut Engine,
    sink: &'a mut S,
    io: &'a Io,
    timer: &'a mut Option<DateTime<Utc>>,
}

impl<S: EffectSink> Step<'_, S> {
    fn apply(&mut self, input: Input, now: DateTime<Utc>) {
        self.sink.observe(&input);
        for effect in self.engine.handle(input, now) {
            match &effect {
                Effect::ScheduleTick(at) => *self.timer = Some(*at),
                other => self.io.perform(other, self.engine),
            }
            self.sink.apply(&effect);
        }
    }
}

/// `now` is the shell's clock: a retry delay becomes an instant the engine
/// compares with the `now` it is handed, so both come from the same clock.
fn stream_inputs(event: StreamEvent, now: DateTime<Utc>) -> impl Iterator<Item = Input> {
    let (items, single) = match event {
        StreamEvent::Connecting => (Vec::new(), Some(Input::Connecting)),
        StreamEvent::Opened => (Vec::new(), Some(Input::StreamOpened)),
        StreamEvent::Items(items) => (items, None),
        StreamEvent::Failed {
            kind,
            attempt,
            retry_in,
        } => {
            let retry_at = retry_in
                .and_then(|d| chrono::Duration::from_std(d).ok())
                .map(|d| now + d);
            let failed = Input::StreamFailed {
                kind,
                attempt,
                retry_at,
            };
            (Vec::new(), Some(failed))
        }
    };
    single
        .into_iter()
        .chain(items.into_iter().filter_map(item_input))
}

fn item_input(item: SseItem) -> Option<Input> {
    Some(match item {
        SseItem::Message(m) => Input::Frame {
            event: m.event,
            data: m.data,
        },
        SseItem::Comment(_) => Input::Heartbeat,
        SseItem::Oversized { bytes } => {
            tracing::warn!(bytes, "skipped an event over the frame size cap");
            Input::FrameTooLarge { bytes }
        }
        SseItem::Retry(_) => return None,
    })
}

fn terminal_exit(state: &ConnectionState) -> Exit {
    match state {
        ConnectionState::SignedOut => Exit::SignedOut,
        ConnectionState::Error(reason) => Exit::Stopped(reason.clone()),
        other => Exit::Stopped(format!("the event stream stopped ({other:?})")),
    }
}

/// The IO half of effect execution: REST calls run as tasks whose results
/// come back as inputs; the ledger is written in place (it is small).
struct Io {
    client: Client,
    fetched: mpsc::Sender<Input>,
    ledger_file: Option<PathBuf>,
    /// The supervisor's "reconnect now" signal.
    reconnect: Arc<Notify>,
}

impl Io {
    fn perform(&self, effect: &Effect, engine: &Engine) {
        match effect {
            Effect::FetchSummary => self.fetch(|client| async move {
                client.summary().await.map(|s| Input::Summary {
                    total: s.total,
                    unread: s.unread,
                })
            }),
            Effect::FetchCalendar => self.fetch(|client| async move {
                let query = CalendarQuery {
                    mine: true,
                    ..CalendarQuery::default()
                };
                client
                    .calendar(&query)
                    .await
                    .map(|c| Input::Calendar(c.items))
            }),
            Effect::FetchInboxHead => self.fetch(|client| async move {
                let query = InboxQuery {
                    limit: Some(INBOX_HEAD),
                    read: Some(false),
                    ..InboxQuery::default()
                };
                client.inbox(&query).await.map(Input::InboxHead)
            }),
            Effect::FetchServerPrefs => self.fetch(|client| async move {
                client
                    .preferences()
                    .await
                    .map(|p| Input::ServerPrefs(p.preferences))
            }),
            Effect::MarkRead(id) => {
                let id = id.clone();
                self.call(move |client| async move { client.mark_read(&id).await })
            }
            Effect::MarkAllRead => {
                self.call(|client| async move { client.read_all().await.map(drop) })
            }
            Effect::Reconnect => self.reconnect.notify_one(),
            Effect::PersistLedger => {
                if let Some(path) = &self.ledger_file
                    && let Err(error) = json_file::save(path, engine.ledger())
                {
                    tracing::error!(%error, "could not save the reminder ledger");
                }
            }
            _ => {}
        }
    }

    /// Runs a read in the background and feeds its result back as an input.
    /// Transient failures (network, 5xx, 429) are retried a few times with
    /// growing delays, so one hiccup right after a reconnect cannot leave
    /// the badge stale until the next event.
    fn fetch<F, Fut>(&self, request: F)
    where
        F: Fn(Client) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<Input, Error>> + Send,
    {
        let client = self.client.clone();
        let fetched = self.fetched.clone();
        tokio::spawn(async move {
            let mut delay = Duration::from_secs(1);
            for attempt in 1..=FETCH_ATTEMPTS {
                match request(client.clone()).await {
                    Ok(input) => {
                        let _ = fetched.send(input).await;
                        return;
                    }
                    Err(error @ (Error::Network { .. } | Error::Unavailable { .. }))
                        if attempt < FETCH_ATTEMPTS =>
                    {
                        tracing::warn!(%error, attempt, "fetch failed; retrying");
                        tokio::time::sleep(delay).await;
                        delay *= 2;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "fetch failed; the next reconnect or refetch retries");
                        return;
                    }
                }
            }
        });
    }

    fn call<F, Fut>(&self, request: F)
    where
        F: FnOnce(Client) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<(), Error>> + Send,
    {
        let client = self.client.clone();
        tokio::spawn(async move {
            if let Err(error) = request(client).await {
                tracing::warn!(%error, "request failed");
            }
        });
    }
}
