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

use common::{canned, response, silent};

/// Short enough that a test sees the next attempt at once; the portal's
/// slow retry is shortened like the rest.
const PORTAL_RETRY: Duration = Duration::from_millis(20);

fn settings() -> StreamSettings {
    StreamSettings {
        idle_timeout: Duration::from_millis(300),
        answer_timeout: Duration::from_millis(300),
        portal_retry: PORTAL_RETRY,
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

/// Fails unless the next failure is a portal answer naming `answered`,
/// retried after the portal delay, and a new attempt follows it.
async fn expect_portal_then_retry(rx: &mut mpsc::Receiver<StreamEvent>, answered: &str) {
    let failure = until_failure(rx, &mut Vec::new()).await;
    let StreamEvent::Failed {
        kind: FailureKind::Portal(message),
        retry_in,
        ..
    } = &failure
    else {
        panic!("not a portal failure: {failure:?}")
    };
    assert_eq!(
        message,
        &format!("the server answered {answered} instead of a stream: a captive portal or proxy?")
    );
    assert_eq!(
        *retry_in,
        Some(PORTAL_RETRY),
        "the portal's own, slow, retry"
    );
    let next = pmap_testkit::within("the next attempt", rx.recv()).await;
    assert_eq!(next, Some(StreamEvent::Connecting));
}

#[tokio::test]
async fn a_captive_portal_page_is_reported_as_such_and_retried_slowly() {
    let (url, count) = canned(|_| {
        Some(response(
            "200 OK",
            "content-type: text/html; charset=utf-8\r\n",
            "<html>Welcome to Hotel Wi-Fi</html>",
        ))
    })
    .await;
    let mut rx = start(&url);
    expect_portal_then_retry(&mut rx, "text/html").await;
    expect_portal_then_retry(&mut rx, "text/html").await;
    assert!(count.load(Ordering::SeqCst) >= 2, "it asked again");
}

#[tokio::test]
async fn no_content_and_redirects_are_portal_answers_too() {
    for (reply, answered) in [
        (
            "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned(),
            "204 No Content",
        ),
        (
            response("302 Found", "location: http://portal.example/login\r\n", ""),
            "a redirect (302)",
        ),
    ] {
        let (url, count) = canned(move |_| Some(reply.clone())).await;
        let mut rx = start(&url);
        expect_portal_then_retry(&mut rx, answered).await;
        pmap_testkit::eventually("a second request", || {
            let seen = count.load(Ordering::SeqCst);
            async move { (seen >= 2).then_some(()) }
        })
        .await;
    }
}

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_is_a_failure_then_a_new_attempt() {
    let (url, count) = silent().await;
    let mut rx = start(&url);
    let mut seen = Vec::new();
    let failure = until_failure(&mut rx, &mut seen).await;
    assert_eq!(seen, vec![StreamEvent::Connecting], "never opened");
    let StreamEvent::Failed {
        kind: FailureKind::Network(reason),
        retry_in: Some(_),
        ..
    } = &failure
    else {
        panic!("{failure:?}")
    };
    assert!(reason.contains("no answer"), "{reason}");
    let next = pmap_testkit::within("a new attempt", rx.recv()).await;
    assert_eq!(next, Some(StreamEvent::Connecting));
    let again = until_failure(&mut rx, &mut Vec::new()).await;
    assert!(matches!(again, StreamEvent::Failed { .. }), "{again:?}");
    assert!(count.load(Ordering::SeqCst) >= 2);
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
