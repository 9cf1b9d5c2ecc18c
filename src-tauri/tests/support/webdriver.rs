//! A small W3C WebDriver client over HTTP, driving the real app window
//! through tauri-driver and WebKitWebDriver.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

use super::app::BIN;
use super::desktop::Desktop;

pub struct Driver {
    child: Child,
    http: reqwest::Client,
    base: String,
    session: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Driver {
    /// Starts tauri-driver on this desktop and a session that launches the
    /// app with `args`; `env` reaches the app (server, token).
    pub async fn start(desktop: &Desktop, env: &[(&str, &str)], args: &[&str]) -> Driver {
        let (port, native) = (free_port(), free_port());
        let log = std::fs::File::create(desktop.path("tauri-driver.log")).expect("log");
        let child = desktop
            .command("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(env.iter().copied())
            .env("BROWSER", "true")
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start tauri-driver (cargo install tauri-driver --locked)");
        let http = reqwest::Client::builder()
            .timeout(pmap_testkit::patience() * 3)
            .build()
            .expect("HTTP client");
        let base = format!("http://127.0.0.1:{port}");
        pmap_testkit::eventually("tauri-driver to answer", || async {
            http.get(format!("{base}/status"))
                .send()
                .await
                .ok()
                .map(drop)
        })
        .await;
        let caps = json!({"capabilities": {"alwaysMatch": {
            "tauri:options": {"application": BIN, "args": args}
        }}});
        let mut driver = Driver {
            child,
            http,
            base,
            session: String::new(),
        };
        let created = driver.send("POST", "/session", Some(caps)).await;
        driver.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        driver
    }

    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body.unwrap_or(json!({}))),
        };
        let response: Value = request
            .send()
            .await
            .expect("WebDriver request")
            .json()
            .await
            .expect("WebDriver JSON");
        response["value"].clone()
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let value = self
            .send(method, &format!("/session/{}{path}", self.session), body)
            .await;
        if let Some(error) = value.get("error") {
            panic!("WebDriver {path}: {error}: {}", value["message"]);
        }
        value
    }

    /// Runs `script` (a function body; `arguments` available) in the page.
    pub async fn js(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/async", Some(json!({
            "script": format!("const done = arguments[arguments.length - 1]; \
                Promise.resolve((async () => {{ {script} }})()).then(done, e => done('ERROR: ' + e));"),
            "args": args,
        })))
        .await
    }

    /// Polls `script` until it returns something truthy.
    pub async fn wait(&self, what: &str, script: &str) -> Value {
        pmap_testkit::eventually(what, || async {
            let value = self.js(script, json!([])).await;
            let truthy = !matches!(&value, Value::Null | Value::Bool(false))
                && value != json!(0)
                && value != json!("");
            truthy.then_some(value)
        })
        .await
    }

    /// Clicks the element `css` selects, first scrolled to the middle of
    /// the view: WebDriver only scrolls it to an edge, where a sticky
    /// header may cover it ("element click intercepted").
    pub async fn click(&self, css: &str) {
        self.js(
            "document.querySelector(arguments[0])?.scrollIntoView({block: 'center'});",
            json!([css]),
        )
        .await;
        let found = self
            .cmd(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_owned();
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})))
            .await;
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        // The app turns GTK's GL off (src/memory.rs), so WebKit paints
        // without compositing, and WebKitWebDriver answers a screenshot only
        // after the next paint: on a page where nothing changes, never. An
        // invisible outline, toggled until the shot is taken, repaints it.
        self.js(
            "window.__repaint = setInterval(() => { const s = document.documentElement.style; \
               s.outline = s.outline ? '' : '1px solid transparent'; }, 200);",
            json!([]),
        )
        .await;
        let data = self.cmd("GET", "/screenshot", None).await;
        self.js(
            "clearInterval(window.__repaint); document.documentElement.style.outline = '';",
            json!([]),
        )
        .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("base64"))
            .expect("decode screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// With `PMAP_SCREENSHOTS=1`, saves the view as `docs/screenshots/<name>.png`.
pub async fn doc_screenshot(driver: &Driver, name: &str) {
    if std::env::var_os("PMAP_SCREENSHOTS").is_none() {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    // Let layout and paint settle after the last DOM change.
    driver
        .js(
            "await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));",
            json!([]),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    driver.screenshot(&dir.join(format!("{name}.png"))).await;
}
