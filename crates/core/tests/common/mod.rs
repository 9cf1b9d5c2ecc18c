//! Small real HTTP servers on loopback that answer what PMAP's simulator
//! never would. Each counts the connections it saw.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use companion_core::sse::backoff::BackoffPolicy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves `reply(n)` to the n-th connection (0-based); `None` = keep the
/// socket open and silent.
pub async fn canned(
    reply: impl Fn(usize) -> Option<String> + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let reply = reply(n);
            tokio::spawn(async move {
                let mut request = vec![0u8; 4096];
                let _ = socket.read(&mut request).await;
                match reply {
                    Some(text) => {
                        let _ = socket.write_all(text.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    }
                    None => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.read(&mut request).await; // hold the socket, say nothing
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), count)
}

/// Accepts connections, reads what the client sends, and never writes a
/// byte: a server or proxy that hangs, or a connection a suspend left
/// half-open. Counts the connections.
pub async fn silent() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut sink = vec![0u8; 4096];
                while matches!(socket.read(&mut sink).await, Ok(n) if n > 0) {}
            });
        }
    });
    (format!("http://{addr}"), count)
}

/// A complete HTTP/1.1 response that closes the connection.
pub fn response(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Reconnects after 10–50 ms, so a test sees several attempts at once.
pub fn fast_backoff() -> BackoffPolicy {
    BackoffPolicy {
        base: std::time::Duration::from_millis(10),
        cap: std::time::Duration::from_millis(50),
        ..BackoffPolicy::default()
    }
}

/// Runs the SSE supervisor on `client` until the stream opens; any failure
/// on the way fails the test.
pub async fn wait_opened(client: companion_core::rest::Client, what: &str) {
    use companion_core::shell::{StreamEvent, StreamSettings, supervise};
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let settings = StreamSettings {
        backoff: fast_backoff(),
        ..StreamSettings::default()
    };
    let task = tokio::spawn(supervise(
        client,
        settings,
        tx,
        Arc::new(tokio::sync::Notify::new()),
    ));
    loop {
        let event = pmap_testkit::within(what, rx.recv())
            .await
            .expect("supervisor alive");
        assert!(
            !matches!(event, StreamEvent::Failed { .. }),
            "the stream failed: {event:?}"
        );
        if event == StreamEvent::Opened {
            break;
        }
    }
    task.abort();
}
