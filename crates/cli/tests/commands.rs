//! The one-shot commands (`inbox`, `read`, `read-all`, `prefs`, `status`)
//! and `watch --raw`, against a live `pmap-sim` (`calendar`: calendar.rs).

mod support;

use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn inbox_pages_filter_and_all_match_the_server() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let first = json_of(&sim, &home, &["inbox", "--limit", "5"]).await;
    assert_eq!(first["items"].as_array().expect("items").len(), 5);
    assert!(first["next_cursor"].is_string());
    let all = json_of(&sim, &home, &["inbox", "--all", "--limit", "7"]).await;
    let total = sim.get("/api/v1/notifications/summary", "demo-ana").await["total"]
        .as_u64()
        .expect("total");
    assert_eq!(all["items"].as_array().expect("items").len() as u64, total);
    assert!(all["next_cursor"].is_null());
    let unread = json_of(&sim, &home, &["inbox", "--unread", "--limit", "100"]).await;
    assert!(
        unread["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|r| r["read"] == false)
    );
    assert_eq!(
        unread["items"].as_array().expect("items").len() as u64,
        sim.unread("demo-ana").await
    );
    // Each row carries the page the app opens for it, on the server.
    for row in all["items"].as_array().expect("items") {
        let url = row["url"]
            .as_str()
            .unwrap_or_else(|| panic!("no url: {row}"));
        let want = match row["data"]["finding_id"].as_str() {
            Some(finding) => format!("{}/findings/{finding}", sim.url()),
            None => url.to_owned(),
        };
        assert_eq!(url, want, "{row}");
        assert!(url.starts_with(&format!("{}/", sim.url())), "{row}");
    }
    let other = json_of(&sim, &home, &["inbox", "--type", "quantum_leap"]).await;
    assert_eq!(
        other["items"],
        json!([]),
        "a type this client does not know is the server's to filter by"
    );
}

#[tokio::test]
async fn read_and_read_all_change_the_servers_summary() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let before = sim.unread("demo-ana").await;
    let unread = json_of(&sim, &home, &["inbox", "--unread", "--limit", "1"]).await;
    let id = unread["items"][0]["id"]
        .as_str()
        .expect("an unread row")
        .to_owned();
    json_of(&sim, &home, &["read", &id]).await;
    assert_eq!(sim.unread("demo-ana").await, before - 1);
    let all = json_of(&sim, &home, &["read-all"]).await;
    assert_eq!(all["updated"], before - 1);
    assert_eq!(sim.unread("demo-ana").await, 0);
}

#[tokio::test]
async fn reading_someone_elses_row_fails_with_a_clear_message() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let (code, _, _) = run_cli(&sim, &home, "demo-ben", &["read", "no-such-row"]).await;
    assert_ne!(code, 0);
    let (code, _, stderr) = run_cli(&sim, &home, "demo-ana", &["read", "no-such-row"]).await;
    assert_ne!(code, 0);
    assert!(stderr.contains("not found (404)"), "{stderr}");
}

#[tokio::test]
async fn prefs_set_writes_local_cells_to_config_and_server_cells_to_the_server() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let grid = json_of(&sim, &home, &["prefs", "get"]).await;
    assert_eq!(
        grid["grid"]["finding_updated"]["popup"], false,
        "noise is off by default"
    );
    // Ana's stored matrix: asset_updated=false (legacy), in_app.asset_updated=true.
    assert_eq!(
        grid["grid"]["asset_updated"]["in_app"], true,
        "namespaced beats legacy"
    );
    assert_eq!(
        grid["grid"]["asset_updated"]["email"], false,
        "legacy applies to other channels"
    );
    assert_eq!(
        grid["grid"]["scan_completed"]["email"], true,
        "missing key = enabled"
    );
    json_of(
        &sim,
        &home,
        &["prefs", "set", "popup.finding_updated", "on"],
    )
    .await;
    json_of(&sim, &home, &["prefs", "set", "email.sla_breached", "off"]).await;
    let grid = json_of(&sim, &home, &["prefs", "get"]).await;
    assert_eq!(grid["grid"]["finding_updated"]["popup"], true);
    assert_eq!(grid["grid"]["sla_breached"]["email"], false);
    let server = sim
        .get("/api/v1/notifications/preferences", "demo-ana")
        .await;
    assert_eq!(server["preferences"]["email.sla_breached"], false);
    assert!(
        server["preferences"].get("popup.finding_updated").is_none(),
        "local cells stay local"
    );
    let (code, _, stderr) = run_cli(
        &sim,
        &home,
        "demo-ana",
        &["prefs", "set", "fax.sla_breached", "on"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(stderr.contains("unknown channel"), "{stderr}");
}

/// The catalog is open: `prefs set` sends a type it does not know to the
/// server, which decides; its 422 reaches the user naming the key.
#[tokio::test]
async fn prefs_set_leaves_unknown_types_to_the_server_and_reports_its_refusal() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let path = "/api/v1/notifications/preferences";
    json_of(
        &sim,
        &home,
        &["prefs", "set", "webhook.finding_rescan_requested", "off"],
    )
    .await;
    let stored = sim.get(path, "demo-ana").await;
    assert_eq!(
        stored["preferences"]["webhook.finding_rescan_requested"], false,
        "a known type on the webhook channel is stored"
    );
    let (code, _, stderr) = run_cli(
        &sim,
        &home,
        "demo-ana",
        &["prefs", "set", "email.quantum_leap", "off"],
    )
    .await;
    assert_ne!(code, 0, "the server's refusal is a failure");
    assert!(
        stderr.contains("422") && stderr.contains("\"email.quantum_leap\""),
        "the server's 422, naming the key: {stderr}"
    );
    assert_eq!(
        sim.get(path, "demo-ana").await,
        stored,
        "a refused key leaves the matrix as it was"
    );
    json_of(&sim, &home, &["prefs", "set", "popup.quantum_leap", "on"]).await;
    let grid = json_of(&sim, &home, &["prefs", "get"]).await;
    assert_eq!(
        grid["local"]["popup"]["quantum_leap"], true,
        "a local cell for an unknown type is this machine's to keep"
    );
}

#[tokio::test]
async fn a_local_popup_preference_changes_what_watch_pops_up() {
    let sim = Sim::start(&["--heartbeat-secs", "0.2"]).await;
    let home = tempfile::tempdir().expect("tempdir");
    json_of(
        &sim,
        &home,
        &["prefs", "set", "popup.finding_assigned", "off"],
    )
    .await;
    let mut watch = Watch::start_in(&sim, "demo-ana", &[], home).await;
    watch.wait_live().await;
    sim.emit(assigned_to_ana("f-silenced", "high", "corr-silenced"))
        .await;
    let mut report = assigned_to_ana("r-1", "high", "corr-report");
    report["type"] = json!("report_generated");
    report["payload"] = json!({"report_id": "r-1", "title": "Q4 pentest report", "subject_type": "report", "subject_id": "r-1", "correlation_id": "corr-report"});
    sim.emit(report).await;
    let popup = watch
        .wait_for("the report pop-up", |v| {
            is_effect(v, "notify") && v["kind"] == "event"
        })
        .await;
    assert_eq!(
        popup["event_type"], "report_generated",
        "the silenced assignment did not pop up first"
    );
    let finished = watch.stop().await;
    assert_eq!(finished.stats["suppressed_prefs"], 1, "{}", finished.stats);
}

#[tokio::test]
async fn status_reports_the_user_and_unread_count() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let status = json_of(&sim, &home, &["status"]).await;
    assert_eq!(status["user"]["id"], "u-ana");
    assert_eq!(status["token_source"], "PMAP_TOKEN");
    assert_eq!(status["unread"], sim.unread("demo-ana").await);
}

#[tokio::test]
async fn missing_server_and_token_give_clear_errors() {
    let home = tempfile::tempdir().expect("tempdir");
    let output = cli(&home).args(["inbox"]).output().await.expect("run");
    assert_ne!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no server configured"));
    let output = cli(&home)
        .args(["--server", "http://pmap.example.com", "inbox"])
        .output()
        .await
        .expect("run");
    assert!(String::from_utf8_lossy(&output.stderr).contains("only allowed on loopback"));
}

#[tokio::test]
async fn raw_watch_prints_what_the_whatwg_parser_produced() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let mut child = cli(&home)
        .env("PMAP_TOKEN", "demo-ana")
        .args(["--server", &sim.url(), "watch", "--raw"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let mut next = async || -> Value {
        let line = within("the next raw event", lines.next_line())
            .await
            .expect("read")
            .expect("a line");
        serde_json::from_str(&line).expect("JSON")
    };
    assert_eq!(
        next().await,
        json!({"event": "ping", "data": "{\"type\":\"ping\"}", "id": ""})
    );
    let text = "event: custom\r\nid: 42\r\ndata: a\r\ndata:  b\r\n\r\n: note\rretry: x1\rfoo: bar\rdata: c\r\rid: bad\0id\ndata\n\n";
    sim.post("/_sim/raw", json!({"text": text})).await;
    assert_eq!(
        next().await,
        json!({"event": "custom", "data": "a\n b", "id": "42"})
    );
    assert_eq!(
        next().await,
        json!({"event": "message", "data": "c", "id": "42"})
    );
    assert_eq!(
        next().await,
        json!({"event": "message", "data": "", "id": "42"})
    );
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().expect("pid").to_string()])
        .status();
    let status = within("pmap-cli to exit", child.wait())
        .await
        .expect("status");
    assert_eq!(status.code(), Some(0), "Ctrl-C exits 0");
}

#[tokio::test]
async fn the_token_never_reaches_logs_even_at_trace_level() {
    let sim = Sim::start(&["--heartbeat-secs", "0.2"]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let mut child = cli(&home)
        .env("PMAP_TOKEN", "demo-ana")
        .env("RUST_LOG", "trace")
        .args(["--server", &sim.url(), "--format", "json", "watch"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let mut printed = String::new();
    // Run until the stream is live and a heartbeat or two went by, then stop.
    sim.emit(assigned_to_ana("f-trace", "high", "corr-trace"))
        .await;
    loop {
        let line = within("a pop-up or badge line", lines.next_line())
            .await
            .expect("read")
            .expect("line");
        printed.push_str(&line);
        if line.contains("\"notify\"") || line.contains("\"badge\"") {
            break;
        }
    }
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().expect("pid").to_string()])
        .status();
    let output = within("pmap-cli to exit", child.wait_with_output())
        .await
        .expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("TRACE") || stderr.contains("DEBUG"),
        "trace logging was on"
    );
    assert!(!stderr.contains("demo-ana"), "token in logs");
    assert!(!printed.contains("demo-ana"), "token in output");
}

#[tokio::test]
async fn the_token_leaves_the_environment_once_read() {
    let sim = Sim::start(&[]).await;
    let token = "demo-ana";
    let mut watch = Watch::start(&sim, token, &[]).await;
    // Live proves the token was read and used.
    watch.wait_live().await;
    // What the kernel shows of the process's environment (`ps e`), and so
    // the start of what a child would have inherited.
    let environ = std::fs::read(format!("/proc/{}/environ", watch.pid())).expect("environ");
    let has = |needle: &[u8]| environ.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"XDG_CONFIG_HOME="), "read the right environment");
    assert!(
        !has(token.as_bytes()),
        "the token is still in the environment"
    );
}

/// Idle means idle: once live, with no system bus to listen to (the test
/// points at none), `watch` is down to its one thread. A helper thread
/// left behind would wake on its own timer (the async-io backend of zbus
/// left a `blocking` pool thread waking twice a second, for good).
#[tokio::test]
async fn an_idle_watch_is_down_to_its_own_thread() {
    let sim = Sim::start(&[]).await;
    let mut watch = Watch::start(&sim, "demo-ana", &[]).await;
    watch.wait_live().await;
    let threads = || {
        std::fs::read_dir(format!("/proc/{}/task", watch.pid()))
            .map(|tasks| tasks.count())
            .unwrap_or(0)
    };
    // Short-lived helpers (a blocking-pool thread that resolved the
    // address) end on their own; what stays is the runtime's thread.
    pmap_testkit::eventually("watch to be down to one thread", || async {
        (threads() == 1).then_some(())
    })
    .await;
}

#[tokio::test]
async fn prefs_set_scope_mute_and_a_popup_cell_that_follows_the_server() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = || -> Value {
        serde_json::from_slice(
            &std::fs::read(home.path().join("config/pmap-companion/config.json")).expect("config"),
        )
        .expect("config JSON")
    };
    json_of(&sim, &home, &["prefs", "scope", "findings", "my_companies"]).await;
    json_of(&sim, &home, &["prefs", "mute", "c-globex"]).await;
    json_of(&sim, &home, &["prefs", "set", "popup.sla_breached", "off"]).await;
    assert_eq!(config()["prefs"]["scope"]["findings"], "my_companies");
    assert_eq!(config()["prefs"]["muted_companies"], json!(["c-globex"]));
    assert_eq!(config()["prefs"]["popup"]["sla_breached"], false);
    // Following the server again forgets the local choice; the grid says
    // what the cell follows and what the server's in-app cell makes of it.
    json_of(&sim, &home, &["prefs", "set", "in_app.sla_breached", "off"]).await;
    json_of(
        &sim,
        &home,
        &["prefs", "set", "popup.sla_breached", "server"],
    )
    .await;
    assert!(config()["prefs"]["popup"].get("sla_breached").is_none());
    let grid = json_of(&sim, &home, &["prefs", "get"]).await;
    assert_eq!(grid["grid"]["sla_breached"]["popup_cell"], "server");
    assert_eq!(grid["grid"]["sla_breached"]["popup"], false);
    assert_eq!(grid["grid"]["finding_assigned"]["popup"], true);
    // Only a pop-up cell can follow the server.
    let (code, _, stderr) = run_cli(
        &sim,
        &home,
        "demo-ana",
        &["prefs", "set", "email.sla_breached", "server"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(stderr.contains("only a pop-up cell"), "{stderr}");
}
