//! The SSE supervisor against small real HTTP servers on loopback that
//! answer what PMAP's simulator never would: wrong content types, 204,
//! silence, `Retry-After`. Each server counts the requests it saw.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use companion_core::FailureKind;
use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::{StreamEvent, StreamSettings, supervise};
use companion_core::sse::SseItem;
use tokio::sync::{Notify, mpsc};

mod common;

use common::{canned, response};

fn settings() -> StreamSettings {
    StreamSettings {
        idle_timeout: Duration::from_millis(300),
        max_frame: 1 << 20,
        backoff: common::fast_backoff(),
    }
}

fn start(url: &str) -> mpsc::Receiver<StreamEvent> {
    let client = Client::new(
        ServerUrl::parse(url).expect("url"),
        Token::new("t").expect("token"),
    )
    .expect("client");
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(supervise(client, settings(), tx, Arc::new(Notify::new())));
    rx
}

/// Collects events until the first `Failed`, which is returned.
async fn until_failure(
    rx: &mut mpsc::Receiver<StreamEvent>,
    seen: &mut Vec<StreamEvent>,
) -> StreamEvent {
    loop {
        let event = pmap_testkit::within("a stream event", rx.recv())
            .await
            .expect("supervisor alive");
        if matches!(event, StreamEvent::Failed { .. }) {
            return event;
        }
        seen.push(event);
    }
}

#[tokio::test]
async fn a_wrong_content_type_stops_reconnection() {
    let (url, count) = canned(|_| {
        Some(response(
            "200 OK",
            "content-type: text/html\r\n",
            "<html>portal</html>",
        ))
    })
    .await;
    let mut rx = start(&url);
    let failure = until_failure(&mut rx, &mut Vec::new()).await;
    assert!(
        matches!(
            failure,
            StreamEvent::Failed {
                kind: FailureKind::Protocol(_),
                retry_in: None,
                ..
            }
        ),
        "{failure:?}"
    );
    assert!(rx.recv().await.is_none(), "the supervisor ended");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn no_content_204_stops_reconnection() {
    let (url, count) =
        canned(|_| Some("HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".into())).await;
    let mut rx = start(&url);
    let failure = until_failure(&mut rx, &mut Vec::new()).await;
    assert!(
        matches!(failure, StreamEvent::Failed { retry_in: None, .. }),
        "{failure:?}"
    );
    assert!(rx.recv().await.is_none());
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn unauthorized_stops_and_forbidden_stops() {
    for (status, expected) in [
        ("401 Unauthorized", FailureKind::Unauthorized),
        ("403 Forbidden", FailureKind::Forbidden),
    ] {
        let body = r#"{"error":"x","message":"y"}"#;
        let (url, count) =
            canned(move |_| Some(response(status, "content-type: application/json\r\n", body)))
                .await;
        let mut rx = start(&url);
        let failure = until_failure(&mut rx, &mut Vec::new()).await;
        assert_eq!(
            failure,
            StreamEvent::Failed {
                kind: expected,
                attempt: 1,
                retry_in: None
            }
        );
        assert!(rx.recv().await.is_none());
        assert_eq!(count.load(Ordering::SeqCst), 1, "{status}: no retry");
    }
}

#[tokio::test]
async fn retry_after_on_503_is_honoured_as_the_delay_floor() {
    let (url, _) = canned(|_| {
        Some(response(
            "503 Service Unavailable",
            "retry-after: 7\r\n",
            "{}",
        ))
    })
    .await;
    let mut rx = start(&url);
    let failure = until_failure(&mut rx, &mut Vec::new()).await;
    let StreamEvent::Failed {
        kind,
        retry_in: Some(delay),
        ..
    } = failure
    else {
        panic!("{failure:?}")
    };
    assert_eq!(kind, FailureKind::Server(503));
    assert!(delay >= Duration::from_secs(7), "{delay:?}");
}

#[tokio::test]
async fn a_silent_stream_is_declared_stalled_and_retried() {
    let (url, count) = canned(|_| None).await;
    let mut rx = start(&url);
    let mut seen = Vec::new();
    let failure = until_failure(&mut rx, &mut seen).await;
    assert!(
        matches!(
            failure,
            StreamEvent::Failed {
                kind: FailureKind::Stalled,
                retry_in: Some(_),
                ..
            }
        ),
        "{failure:?}"
    );
    assert_eq!(seen, vec![StreamEvent::Connecting, StreamEvent::Opened]);
    // It tries again: a second connection arrives.
    let again = until_failure(&mut rx, &mut Vec::new()).await;
    assert!(matches!(
        again,
        StreamEvent::Failed {
            kind: FailureKind::Stalled,
            ..
        }
    ));
    assert!(count.load(Ordering::SeqCst) >= 2);
}

#[tokio::test]
async fn comments_are_reported_and_the_stream_end_is_a_retryable_failure() {
    let body = "\u{feff}: heartbeat\r\n\r\nevent: ping\r\ndata: {\"type\":\"ping\"}\r\n\r\n: heartbeat\n\ndata: x\n";
    let (url, _) = canned(move |_| {
        Some(response(
            "200 OK",
            "content-type: text/event-stream; charset=utf-8\r\n",
            body,
        ))
    })
    .await;
    let mut rx = start(&url);
    let mut seen = Vec::new();
    let failure = until_failure(&mut rx, &mut seen).await;
    assert!(
        matches!(
            failure,
            StreamEvent::Failed {
                kind: FailureKind::Network(_),
                retry_in: Some(_),
                ..
            }
        ),
        "{failure:?}"
    );
    let items: Vec<_> = seen
        .into_iter()
        .flat_map(|e| match e {
            StreamEvent::Items(items) => items,
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(
        items.len(),
        3,
        "two comments and the ping; the unterminated event is discarded: {items:?}"
    );
    assert!(matches!(&items[0], SseItem::Comment(c) if c == "heartbeat"));
    assert!(matches!(&items[1], SseItem::Message(m) if m.event == "ping"));
}
