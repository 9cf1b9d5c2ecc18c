//! A live pmap-sim on an ephemeral loopback port, with its control
//! endpoints, for the app to talk to.

use pmap_sim::{RunningSim, SimConfig};
use serde_json::{Value, json};

pub const ANA: &str = "demo-ana";

pub struct Sim {
    pub running: RunningSim,
    pub url: String,
    http: reqwest::Client,
}

impl Sim {
    pub async fn start() -> Sim {
        Sim::start_with(SimConfig {
            control: true,
            ..SimConfig::default()
        })
        .await
    }

    /// Serving https with a certificate from its own CA (`running.ca_pem()`).
    pub async fn start_tls() -> Sim {
        Sim::start_with(SimConfig {
            control: true,
            tls: Some(pmap_sim::TlsConfig::default()),
            ..SimConfig::default()
        })
        .await
    }

    async fn start_with(config: SimConfig) -> Sim {
        let running = pmap_sim::start(config).await.expect("start the simulator");
        let url = running.url();
        // The test's own calls trust the sim's CA, when it has one.
        let mut http = reqwest::Client::builder();
        if let Some(pem) = running.ca_pem() {
            let ca = reqwest::Certificate::from_pem(pem.as_bytes()).expect("the sim's CA");
            http = http.add_root_certificate(ca);
        }
        Sim {
            running,
            url,
            http: http.build().expect("HTTP client"),
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
            .error_for_status()
            .expect("GET status")
            .json()
            .await
            .expect("JSON")
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}/_sim/{path}", self.url))
            .json(&body)
            .send()
            .await
            .expect("POST control")
            .error_for_status()
            .expect("control status");
        response.json().await.unwrap_or(Value::Null)
    }

    pub async fn unread(&self, token: &str) -> u64 {
        self.get("/api/v1/notifications/summary", token).await["unread"]
            .as_u64()
            .expect("unread")
    }

    /// Marks everything read for the token's user, as another client of
    /// the same account would; the stream announces it.
    pub async fn read_all(&self, token: &str) {
        self.http
            .post(format!("{}/api/v1/notifications/read-all", self.url))
            .bearer_auth(token)
            .send()
            .await
            .expect("POST read-all")
            .error_for_status()
            .expect("read-all status");
    }

    /// Creates one inbox row for `user`, announced on the stream with
    /// `notification_created`; returns the row.
    pub async fn inbox_row(
        &self,
        user: &str,
        event_type: &str,
        severity: &str,
        title: &str,
    ) -> Value {
        let body =
            json!({"user": user, "event_type": event_type, "severity": severity, "title": title});
        self.control("inbox", body).await["items"][0].clone()
    }

    /// Waits until `user` has an open event stream.
    pub async fn wait_for_stream(&self, user: &str) {
        pmap_testkit::eventually(&format!("{user} to open a stream"), || async {
            let stats = self
                .http
                .get(format!("{}/_sim/stats", self.url))
                .send()
                .await
                .ok()?
                .json::<Value>()
                .await
                .ok()?;
            stats["connections"]
                .as_array()?
                .iter()
                .any(|c| c["user"] == user)
                .then_some(())
        })
        .await
    }
}
