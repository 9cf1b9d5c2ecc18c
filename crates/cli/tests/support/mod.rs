//! Test rig: a real `pmap-sim` process on an ephemeral loopback port and a
//! real `pmap-cli watch --format json` process talking to it. Tests wait on
//! lines the CLI prints (explicit signals), with the workspace's one
//! patience ([`pmap_testkit::patience`]) only as a safety net; nothing
//! sleeps to synchronise.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Stdio;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

pub use pmap_testkit::{patience, within};

pub fn cli_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pmap-cli"))
}

/// `pmap-sim` sits next to `pmap-cli` in the workspace target directory
/// (`make test` builds the whole workspace first).
pub fn sim_bin() -> PathBuf {
    let path = cli_bin().with_file_name("pmap-sim");
    assert!(
        path.exists(),
        "{} is missing: run `cargo build -p pmap-sim` (make test does)",
        path.display()
    );
    path
}

/// A running simulator process.
pub struct Sim {
    child: Child,
    pub addr: String,
    args: Vec<String>,
    http: reqwest::Client,
    /// With `--tls`: the file holding this run's CA certificate.
    pub ca_file: Option<PathBuf>,
    /// Holds `ca_file`.
    _tls_dir: Option<tempfile::TempDir>,
}

impl Sim {
    /// Starts `pmap-sim --control` with extra flags on an ephemeral port.
    pub async fn start(extra: &[&str]) -> Sim {
        let args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let (child, addr, _) = spawn_sim("127.0.0.1:0", &args).await;
        Sim {
            child,
            addr,
            args,
            http: reqwest::Client::new(),
            ca_file: None,
            _tls_dir: None,
        }
    }

    /// Starts `pmap-sim --control --tls`, its CA written to a temporary
    /// file ([`Sim::ca_file`]) that this rig's own requests trust.
    pub async fn start_tls(extra: &[&str]) -> Sim {
        let dir = tempfile::tempdir().expect("tempdir");
        let ca_file = dir.path().join("ca.pem");
        let mut args = vec![
            "--tls".to_owned(),
            "--tls-ca-out".to_owned(),
            ca_file.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let (child, addr, named) = spawn_sim("127.0.0.1:0", &args).await;
        assert_eq!(
            named.as_ref(),
            Some(&ca_file),
            "the ready line names the CA file"
        );
        let pem = std::fs::read(&ca_file).expect("the CA file was written");
        let ca = reqwest::Certificate::from_pem(&pem).expect("a PEM certificate");
        let http = reqwest::Client::builder()
            .add_root_certificate(ca)
            .no_proxy()
            .build()
            .expect("https client");
        Sim {
            child,
            addr,
            args,
            http,
            ca_file: Some(ca_file),
            _tls_dir: Some(dir),
        }
    }

    pub fn url(&self) -> String {
        let scheme = if self.ca_file.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// SIGKILL: no graceful close, as if the server crashed.
    pub async fn kill(&mut self) {
        self.child.kill().await.expect("kill pmap-sim");
    }

    /// Starts a fresh process on the same port (fresh fixture state).
    pub async fn restart(&mut self) {
        let (child, addr, _) = spawn_sim(&self.addr, &self.args).await;
        assert_eq!(addr, self.addr);
        self.child = child;
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.url()))
            .json(&body)
            .send()
            .await
            .expect("control call");
        let status = response.status();
        let text = response.text().await.expect("control body");
        assert!(status.is_success(), "{path} answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn get(&self, path: &str, token: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.url()))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET");
        assert!(
            response.status().is_success(),
            "{path} answered {}",
            response.status()
        );
        response.json().await.expect("JSON body")
    }

    pub async fn stats(&self) -> Value {
        self.get("/_sim/stats", "").await
    }

    pub async fn unread(&self, token: &str) -> u64 {
        self.get("/api/v1/notifications/summary", token).await["unread"]
            .as_u64()
            .expect("unread")
    }

    /// Emits one thin envelope to every stream that may see it.
    pub async fn emit(&self, envelope: Value) -> Value {
        self.post("/_sim/emit", envelope).await
    }
}

/// The process, its `host:port`, and the CA file its ready line names.
async fn spawn_sim(addr: &str, extra: &[String]) -> (Child, String, Option<PathBuf>) {
    let mut child = Command::new(sim_bin())
        .args(["--addr", addr, "--control"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn pmap-sim");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = within("pmap-sim to report its address", lines.next_line())
        .await
        .expect("read pmap-sim stdout")
        .expect("pmap-sim printed a line");
    if let Some(addr) = line.strip_prefix("listening on http://") {
        return (child, addr.to_owned(), None);
    }
    let (addr, ca) = line
        .strip_prefix("listening on https://")
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|rest| rest.split_once(" (CA certificate in "))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    (child, addr.to_owned(), Some(PathBuf::from(ca)))
}

/// A running `pmap-cli watch --format json` with its own XDG directories.
pub struct Watch {
    child: Child,
    lines: mpsc::UnboundedReceiver<Value>,
    /// Every line seen so far, in order.
    pub seen: Vec<Value>,
    pub home: tempfile::TempDir,
}

impl Watch {
    pub async fn start(sim: &Sim, token: &str, extra: &[&str]) -> Watch {
        Watch::start_in(sim, token, extra, tempfile::tempdir().expect("tempdir")).await
    }

    /// Starts with extra environment (a system bus address, …).
    pub async fn start_with_env(
        sim: &Sim,
        token: &str,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Watch {
        let home = tempfile::tempdir().expect("tempdir");
        let mut command = cli(&home);
        command.envs(env.iter().copied());
        Watch::spawn(sim, token, extra, home, command)
    }

    /// Starts with an existing home (to test what survives a restart).
    pub async fn start_in(
        sim: &Sim,
        token: &str,
        extra: &[&str],
        home: tempfile::TempDir,
    ) -> Watch {
        let command = cli(&home);
        Watch::spawn(sim, token, extra, home, command)
    }

    fn spawn(
        sim: &Sim,
        token: &str,
        extra: &[&str],
        home: tempfile::TempDir,
        mut command: Command,
    ) -> Watch {
        command
            .env("PMAP_TOKEN", token)
            .args(["--server", &sim.url(), "--format", "json", "watch"])
            .args(extra);
        let mut child = command
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn pmap-cli");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                let value =
                    serde_json::from_str(&line).unwrap_or_else(|_| json!({"unparsed": line}));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
            home,
        }
    }

    /// Waits for the next line matching `pred`; lines before it are kept in `seen`.
    /// Like [`Watch::wait_for`], but an already-seen line also counts: for
    /// effects whose order against other effects is not fixed (replies to
    /// concurrent fetches).
    pub async fn saw_or_wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(line) = self.seen.iter().find(|v| pred(v)) {
            return line.clone();
        }
        self.wait_for(what, pred).await
    }

    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_for(what, pred)
            .await
            .unwrap_or_else(|missed| panic!("{missed}"))
    }

    /// Like [`Watch::wait_for`], but a line that never comes is returned as
    /// an error naming what was awaited and the last lines seen, for
    /// callers that record the failure and go on.
    pub async fn try_wait_for(
        &mut self,
        what: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Result<Value, String> {
        let deadline = tokio::time::Instant::now() + patience();
        loop {
            let line = match tokio::time::timeout_at(deadline, self.lines.recv()).await {
                Ok(Some(line)) => line,
                Ok(None) => {
                    return Err(format!(
                        "pmap-cli exited before {what}; last lines: {:#?}",
                        self.tail()
                    ));
                }
                Err(_) => {
                    return Err(format!(
                        "timed out waiting for {what}; last lines: {:#?}",
                        self.tail()
                    ));
                }
            };
            self.seen.push(line.clone());
            if pred(&line) {
                return Ok(line);
            }
        }
    }

    pub async fn wait_live(&mut self) {
        self.wait_for("connection live", |v| {
            is_effect(v, "connection") && v["state"] == "live"
        })
        .await;
    }

    /// Waits until the stream is live and the badge equals the server's
    /// unread count for `token`; returns that count.
    pub async fn wait_live_and_exact(&mut self, sim: &Sim, token: &str) -> u64 {
        self.wait_live().await;
        let unread = sim.unread(token).await;
        self.wait_badge(unread).await;
        unread
    }

    /// Waits for the badge to show `unread`.
    pub async fn wait_badge(&mut self, unread: u64) {
        self.wait_for(&format!("badge {unread}"), |v| {
            is_effect(v, "badge") && v["unread"] == unread
        })
        .await;
    }

    /// Sends SIGTERM and waits for the exit.
    pub async fn stop(self) -> Finished {
        let pid = self.child.id().expect("running");
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
        self.finish().await
    }

    /// Waits for the process to exit on its own.
    pub async fn finish(mut self) -> Finished {
        let status = within("pmap-cli to exit", self.child.wait())
            .await
            .expect("wait");
        while let Some(line) = self.lines.recv().await {
            self.seen.push(line);
        }
        let stats = self
            .seen
            .iter()
            .rev()
            .find_map(|v| v.get("stats").cloned())
            .unwrap_or(Value::Null);
        Finished {
            code: status.code().unwrap_or(-1),
            stats,
            lines: self.seen,
            home: self.home,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }

    fn tail(&self) -> Vec<&Value> {
        self.seen.iter().rev().take(12).rev().collect()
    }
}

/// What a finished `watch` left behind.
pub struct Finished {
    pub code: i32,
    /// The engine counters printed on exit.
    pub stats: Value,
    pub lines: Vec<Value>,
    /// Its config/state directories, to start another run on them.
    pub home: tempfile::TempDir,
}

/// A `pmap-cli` command with isolated config/state directories.
pub fn cli(home: &tempfile::TempDir) -> Command {
    let mut command = Command::new(cli_bin());
    command
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("PMAP_TOKEN")
        .env_remove("PMAP_SERVER")
        .env("RUST_LOG", "warn")
        // No resume or network hints from the machine's own system bus
        // unless a test plays logind and NetworkManager on a private one.
        .env(
            "DBUS_SYSTEM_BUS_ADDRESS",
            "unix:path=/nonexistent/pmap-test-system-bus",
        )
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// `pmap-cli --server <sim> ARGS` with `token` in the environment: its
/// exit code, stdout and stderr.
pub async fn run_cli(
    sim: &Sim,
    home: &tempfile::TempDir,
    token: &str,
    args: &[&str],
) -> (i32, String, String) {
    let output = cli(home)
        .env("PMAP_TOKEN", token)
        .args(["--server", &sim.url()])
        .args(args)
        .output()
        .await
        .expect("run pmap-cli");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `pmap-cli --format json ARGS` as Ana, which must succeed: what it printed.
pub async fn json_of(sim: &Sim, home: &tempfile::TempDir, args: &[&str]) -> Value {
    let mut full = vec!["--format", "json"];
    full.extend_from_slice(args);
    let (code, stdout, stderr) = run_cli(sim, home, "demo-ana", &full).await;
    assert_eq!(code, 0, "{args:?} failed: {stderr}");
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {stdout}"))
}

/// `pmap-cli --format json status` against `server` as Ana: the variables
/// named in `cleared` (either case) removed, then `env` set. Its exit
/// code, the JSON it printed, and its stderr.
pub async fn status_json(
    home: &tempfile::TempDir,
    server: &str,
    cleared: &[&str],
    env: &[(&str, &str)],
) -> (i32, Option<Value>, String) {
    let mut command = cli(home);
    command
        .env("PMAP_TOKEN", "demo-ana")
        .args(["--server", server, "--format", "json", "status"]);
    for var in cleared {
        command.env_remove(var).env_remove(var.to_lowercase());
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().await.expect("run pmap-cli");
    (
        output.status.code().unwrap_or(-1),
        serde_json::from_slice(&output.stdout).ok(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub fn is_effect(value: &Value, name: &str) -> bool {
    value["effect"] == name
}

pub fn popups(lines: &[Value]) -> Vec<&Value> {
    lines.iter().filter(|v| is_effect(v, "notify")).collect()
}

/// A thin finding_assigned envelope for Ana in Acme.
pub fn assigned_to_ana(id: &str, severity: &str, correlation: &str) -> Value {
    json!({"type": "finding_assigned", "company_id": "c-acme", "payload": {
        "finding_id": id, "title": format!("Test finding {id}"), "severity": severity,
        "assignee_ids": ["u-ana"], "schema_version": 1, "correlation_id": correlation,
        "subject_type": "finding", "subject_id": id, "actor_type": "user", "actor_id": "u-lee",
        "timestamp": "2026-11-24T09:15:02.123456789Z"}})
}

impl Sim {
    /// An authenticated POST as `token` (no body); panics unless it succeeds.
    pub async fn post_as(&self, path: &str, token: &str) {
        let response = self
            .http
            .post(format!("{}{path}", self.url()))
            .bearer_auth(token)
            .send()
            .await
            .expect("POST");
        assert!(
            response.status().is_success(),
            "{path} answered {}",
            response.status()
        );
    }
}

/// Peak resident set (VmHWM) of a running process, in KiB.
pub fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}
