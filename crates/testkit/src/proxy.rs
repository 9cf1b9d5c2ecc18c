//! A small HTTP proxy on loopback that records every request line and
//! every byte a client sends through it, so a test can prove what a proxy
//! would see. It tunnels `CONNECT host:port` to `127.0.0.1:port` whatever
//! the host (so a test can use a name that resolves nowhere) and answers
//! anything else with 502, never forwarding it.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running recording proxy; it stops with the test's runtime.
#[derive(Clone, Debug)]
pub struct RecordingProxy {
    url: String,
    seen: Arc<Mutex<Seen>>,
}

#[derive(Debug, Default)]
struct Seen {
    request_lines: Vec<String>,
    bytes: Vec<u8>,
}

impl RecordingProxy {
    /// Listens on an ephemeral loopback port.
    pub async fn start() -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("proxy addr"));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let recorder = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(serve(client, recorder.clone()));
            }
        });
        RecordingProxy { url, seen }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request line received, in order (`CONNECT pmap.test:443 HTTP/1.1`).
    pub fn request_lines(&self) -> Vec<String> {
        self.lock().request_lines.clone()
    }

    /// Whether `needle` ever crossed the proxy in clear, in any request
    /// head or tunnelled byte from a client.
    pub fn saw(&self, needle: &str) -> bool {
        let seen = self.lock();
        let needle = needle.as_bytes();
        seen.bytes.windows(needle.len()).any(|w| w == needle)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn serve(mut client: TcpStream, seen: Arc<Mutex<Seen>>) {
    let record = |bytes: &[u8]| {
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.bytes.extend_from_slice(bytes);
    };
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match client.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    record(&head);
    let text = String::from_utf8_lossy(&head);
    let line = text.lines().next().unwrap_or_default().to_owned();
    seen.lock()
        .unwrap_or_else(|e| e.into_inner())
        .request_lines
        .push(line.clone());
    let target = line
        .strip_prefix("CONNECT ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|authority| authority.rsplit_once(':'))
        .map(|(_, port)| format!("127.0.0.1:{port}"));
    let Some(target) = target else {
        let _ = client
            .write_all(
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            )
            .await;
        return;
    };
    let Ok(mut server) = TcpStream::connect(&target).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_err()
    {
        return;
    }
    // A client sends nothing after the head until it has the 200, so the
    // head holds no tunnel bytes. Client → server is recorded; the other
    // way is only copied.
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.split();
    let upstream = async {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    record(&buf[..n]);
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
        let _ = server_write.shutdown().await;
    };
    let downstream = async {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}
