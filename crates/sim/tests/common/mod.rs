//! Shared test plumbing: a real simulator on an ephemeral port, a client,
//! and a raw SSE reader that waits on bytes (never on sleeps).

#![allow(dead_code)]

use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use pmap_sim::{RunningSim, SimConfig};
use serde_json::{Value, json};

pub use pmap_testkit::within;

pub struct Sim {
    pub sim: RunningSim,
    pub url: String,
    pub http: reqwest::Client,
}

pub async fn start(config: SimConfig) -> Sim {
    let sim = pmap_sim::start(config).await.expect("simulator starts");
    let url = sim.url();
    Sim {
        sim,
        url,
        http: reqwest::Client::new(),
    }
}

/// A control-enabled simulator with the given heartbeat and buffer.
pub async fn start_control(heartbeat: Duration, buffer: usize) -> Sim {
    start(SimConfig {
        control: true,
        heartbeat,
        buffer,
        ..SimConfig::default()
    })
    .await
}

impl Sim {
    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET is answered")
    }

    pub async fn get_json(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self.get(token, path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    pub async fn post(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .expect("POST is answered")
    }

    /// POSTs a control body and returns the JSON answer, expecting 200.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .expect("control call is answered");
        assert_eq!(response.status(), 200, "{path} {body}");
        response.json().await.expect("control JSON")
    }

    pub async fn stats(&self) -> Value {
        let response = self
            .http
            .get(format!("{}/_sim/stats", self.url))
            .send()
            .await
            .expect("stats answered");
        response.json().await.expect("stats JSON")
    }

    /// Opens a stream and waits for its ping, so it is registered.
    pub async fn stream(&self, token: &str) -> Sse {
        let response = self.get(token, "/api/v1/events").await;
        assert_eq!(response.status(), 200);
        let mut sse = Sse::new(response);
        let ping = sse.next_block().await.expect("ping frame");
        assert_eq!(ping, "event: ping\ndata: {\"type\":\"ping\"}");
        sse
    }

    /// Emits a broadcast marker event with a recognisable subject id.
    pub async fn marker(&self, id: &str) {
        self.control("/_sim/emit", thin("finding_updated", None, id))
            .await;
    }
}

/// A thin envelope for tests.
pub fn thin(event_type: &str, company_id: Option<&str>, subject_id: &str) -> Value {
    json!({
        "type": event_type,
        "company_id": company_id,
        "payload": {
            "finding_id": subject_id, "severity": "high", "schema_version": 1,
            "correlation_id": format!("corr-{subject_id}"), "subject_type": "finding",
            "subject_id": subject_id, "actor_type": "user", "actor_id": "u-lee",
            "timestamp": "2026-11-24T09:15:02.123456789Z"
        }
    })
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// Reads an SSE body as raw bytes and splits it into blank-line blocks.
pub struct Sse {
    bytes: ByteStream,
    buffer: Vec<u8>,
}

impl Sse {
    pub fn new(response: reqwest::Response) -> Self {
        Self {
            bytes: Box::pin(response.bytes_stream()),
            buffer: Vec::new(),
        }
    }

    /// The next block (frame or comment) without its terminating blank
    /// line; `None` when the server closed the stream.
    pub async fn next_block(&mut self) -> Option<String> {
        within("the stream to produce something", self.read_block()).await
    }

    async fn read_block(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
                return Some(String::from_utf8_lossy(&block[..end]).into_owned());
            }
            match self.bytes.next().await {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(_)) | None => return None,
            }
        }
    }

    /// The next data event's JSON, skipping comments.
    pub async fn next_event(&mut self) -> Value {
        loop {
            let block = self.next_block().await.expect("stream still open");
            if block.starts_with(':') {
                continue;
            }
            let data = block
                .strip_prefix("data: ")
                .expect("event frames are one data line");
            return serde_json::from_str(data).expect("data is JSON");
        }
    }

    /// The subject id of the next data event.
    pub async fn next_subject(&mut self) -> String {
        let event = self.next_event().await;
        event["payload"]["subject_id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the server closes the stream (comments may come first).
    pub async fn expect_closed(&mut self) {
        while let Some(block) = self.next_block().await {
            assert!(
                block.starts_with(':') || block.starts_with("data:"),
                "{block}"
            );
        }
    }
}

/// `2026-11-24T09:15:02.123456789Z`-shaped.
pub fn is_nanos_utc(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 30
        && text.ends_with('Z')
        && bytes[19] == b'.'
        && bytes[20..29].iter().all(u8::is_ascii_digit)
        && chrono_like(&text[..19])
}

fn chrono_like(prefix: &str) -> bool {
    prefix.len() == 19 && prefix.as_bytes()[10] == b'T'
}
