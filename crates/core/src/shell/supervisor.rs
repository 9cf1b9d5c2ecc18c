//! The SSE supervisor: keeps exactly one subscription to `/api/v1/events`
//! open, reconnecting with full-jitter backoff, and reports what happens as
//! [`StreamEvent`]s. It holds no product rules; the engine decides what a
//! failure means for the user.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Response, StatusCode, header};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use crate::engine::FailureKind;
use crate::rest::{Client, retry_after};
use crate::sse::backoff::{Backoff, BackoffPolicy};
use crate::sse::{Parser, SseItem};

/// Knobs with PMAP's defaults; tests shorten them.
#[derive(Clone, Debug)]
pub struct StreamSettings {
    /// Nothing heard (no frame, no comment) for this long → reconnect.
    pub idle_timeout: Duration,
    /// No response headers this long after asking (connecting included) →
    /// reconnect. A server or proxy that accepts and never answers, or a
    /// connection a suspend left half-open, shows as Reconnecting, not as
    /// a Connecting that never ends.
    pub answer_timeout: Duration,
    /// How long to wait after something other than an event stream
    /// answered (a captive portal): minutes, not the backoff's seconds.
    pub portal_retry: Duration,
    /// Largest event data accepted; bigger events are skipped and counted.
    pub max_frame: usize,
    pub backoff: BackoffPolicy,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            idle_timeout: Duration::from_secs(45),
            answer_timeout: Duration::from_secs(15),
            portal_retry: Duration::from_secs(5 * 60),
            max_frame: 1 << 20,
            backoff: BackoffPolicy::default(),
        }
    }
}

/// What the supervisor observed, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamEvent {
    Connecting,
    Opened,
    /// What the parser made of one network chunk, in order.
    Items(Vec<SseItem>),
    /// The stream failed. `retry_in` is `None` when the supervisor has
    /// stopped for good (401, 403).
    Failed {
        kind: FailureKind,
        attempt: u32,
        retry_in: Option<Duration>,
    },
}

/// Runs until a terminal failure or until the receiver is dropped.
/// `reconnect_now` cuts a backoff wait short and drops an open stream for a
/// fresh one (resume, network change): a stream that outlived a suspend is
/// usually a half-open connection the idle watchdog would take 45 s to
/// notice. A signal during a connection attempt is kept for the stream it
/// opens, which may predate the change.
pub async fn supervise(
    client: Client,
    settings: StreamSettings,
    events: mpsc::Sender<StreamEvent>,
    reconnect_now: Arc<Notify>,
) {
    let mut backoff = Backoff::new(settings.backoff.clone());
    let mut server_retry: Option<Duration> = None;
    loop {
        if events.send(StreamEvent::Connecting).await.is_err() {
            return;
        }
        // Monotonic tokio time, not the shell's `Clock`: how long a stream
        // stayed up resets the backoff and must not jump with the wall clock.
        let opened_at = Instant::now();
        let answer = tokio::time::timeout(settings.answer_timeout, client.open_stream()).await;
        let outcome = match answer {
            Ok(Ok(response)) => match classify(&response, &settings) {
                Opening::Stream => {
                    if events.send(StreamEvent::Opened).await.is_err() {
                        return;
                    }
                    read_stream(
                        response,
                        &settings,
                        &events,
                        &mut server_retry,
                        &reconnect_now,
                    )
                    .await
                }
                Opening::Fail(failure) => failure,
            },
            Ok(Err(error)) => Failure::retry(FailureKind::Network(error.to_string())),
            Err(_) => Failure::retry(FailureKind::Network(format!(
                "no answer within {} s of asking for the stream",
                settings.answer_timeout.as_secs_f64()
            ))),
        };
        if outcome.restart {
            tracing::info!("reconnecting at once: the system resumed or the network changed");
            continue;
        }
        let Some(kind) = outcome.kind else { return };
        backoff.stream_ended_after(opened_at.elapsed());
        let attempt = backoff.attempt() + 1;
        if outcome.terminal {
            let _ = events
                .send(StreamEvent::Failed {
                    kind,
                    attempt,
                    retry_in: None,
                })
                .await;
            return;
        }
        let floor = outcome.retry_after.max(server_retry);
        let jittered = backoff.next_delay(rand::random::<f64>(), floor);
        let delay = outcome.fixed_delay.unwrap_or(jittered);
        tracing::info!(
            ?kind,
            attempt,
            delay_ms = delay.as_millis() as u64,
            "event stream down; reconnecting"
        );
        if events
            .send(StreamEvent::Failed {
                kind,
                attempt,
                retry_in: Some(delay),
            })
            .await
            .is_err()
        {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = reconnect_now.notified() => {}
            _ = events.closed() => return,
        }
    }
}

/// How one connection ended. `kind: None` means the receiver went away;
/// `restart` that a fresh stream was asked for (no failure, no back-off).
struct Failure {
    kind: Option<FailureKind>,
    terminal: bool,
    retry_after: Option<Duration>,
    /// Wait exactly this long instead of backing off (a captive portal).
    fixed_delay: Option<Duration>,
    restart: bool,
}

impl Failure {
    fn retry(kind: FailureKind) -> Failure {
        Failure {
            kind: Some(kind),
            terminal: false,
            retry_after: None,
            fixed_delay: None,
            restart: false,
        }
    }
    fn terminal(kind: FailureKind) -> Failure {
        Failure {
            terminal: true,
            ..Failure::retry(kind)
        }
    }
    fn portal(answered: &str, settings: &StreamSettings) -> Failure {
        Failure {
            fixed_delay: Some(settings.portal_retry),
            ..Failure::retry(FailureKind::Portal(format!(
                "the server answered {answered} instead of a stream: a captive portal or proxy?"
            )))
        }
    }
    fn receiver_gone() -> Failure {
        Failure {
            kind: None,
            terminal: true,
            retry_after: None,
            fixed_delay: None,
            restart: false,
        }
    }
    fn restart() -> Failure {
        Failure {
            kind: None,
            terminal: false,
            retry_after: None,
            fixed_delay: None,
            restart: true,
        }
    }
}

enum Opening {
    Stream,
    Fail(Failure),
}

/// 200 + `text/event-stream` opens. A 204, a redirect or another content
/// type is not PMAP answering (PMAP never sends them on this endpoint) but
/// a captive portal or a proxy: WHATWG would stop for good, which would
/// leave a laptop that joined a hotel network dead until restarted, so it
/// is retried, slowly. Other statuses are PMAP's: 401 signs out, 403
/// stops, 429/5xx retry after the server's `Retry-After`.
fn classify(response: &Response, settings: &StreamSettings) -> Opening {
    let status = response.status();
    let retry_after = retry_after(response).map(Duration::from_secs);
    let failure = match status {
        StatusCode::OK => {
            let content_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let essence = content_type.split(';').next().unwrap_or("").trim();
            if essence.eq_ignore_ascii_case("text/event-stream") {
                return Opening::Stream;
            }
            let shown: String = essence.chars().take(60).collect();
            match shown.as_str() {
                "" => Failure::portal("without a content type", settings),
                _ => Failure::portal(&shown, settings),
            }
        }
        StatusCode::NO_CONTENT => Failure::portal("204 No Content", settings),
        s if s.is_redirection() => {
            Failure::portal(&format!("a redirect ({})", s.as_u16()), settings)
        }
        StatusCode::UNAUTHORIZED => Failure::terminal(FailureKind::Unauthorized),
        StatusCode::FORBIDDEN => Failure::terminal(FailureKind::Forbidden),
        s => Failure {
            retry_after,
            ..Failure::retry(FailureKind::Server(s.as_u16()))
        },
    };
    Opening::Fail(failure)
}

async fn read_stream(
    response: Response,
    settings: &StreamSettings,
    events: &mpsc::Sender<StreamEvent>,
    server_retry: &mut Option<Duration>,
    reconnect_now: &Notify,
) -> Failure {
    let mut body = response.bytes_stream();
    let mut parser = Parser::new(settings.max_frame);
    let mut items = Vec::new();
    loop {
        let next = tokio::select! {
            next = tokio::time::timeout(settings.idle_timeout, body.next()) => next,
            _ = reconnect_now.notified() => return Failure::restart(),
        };
        let chunk = match next {
            Err(_) => return Failure::retry(FailureKind::Stalled),
            Ok(None) => {
                return Failure::retry(FailureKind::Network("the server closed the stream".into()));
            }
            Ok(Some(Err(e))) => {
                return Failure::retry(FailureKind::Network(e.without_url().to_string()));
            }
            Ok(Some(Ok(chunk))) => chunk,
        };
        parser.feed(&chunk, &mut items);
        for item in &items {
            if let SseItem::Retry(ms) = item {
                *server_retry = Some(Duration::from_millis(*ms).min(settings.backoff.cap));
            }
        }
        // One message per network chunk, not per frame: under load each
        // cross-task hand-off costs far more than deciding a frame.
        if !items.is_empty()
            && events
                .send(StreamEvent::Items(std::mem::take(&mut items)))
                .await
                .is_err()
        {
            return Failure::receiver_gone();
        }
    }
}
