//! The real `pmap-sim` binary: ready line, a live stream, clean SIGTERM.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use common::Sse;

#[tokio::test]
async fn binary_prints_its_url_streams_and_exits_zero_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmap-sim"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--control",
            "--scenario",
            "demo",
            "--heartbeat-secs",
            "0.2",
        ])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let logs = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let stdout = child.stdout.take().expect("piped stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = common::within("the ready line", line)
        .await
        .expect("reader task")
        .expect("stdout readable");
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .expect("the ready line format")
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let response = reqwest::Client::new()
        .get(format!("{url}/api/v1/events"))
        .bearer_auth("demo-ana")
        .send()
        .await
        .expect("stream answered");
    assert_eq!(response.status(), 200);
    let mut sse = Sse::new(response);
    assert_eq!(
        sse.next_block().await.as_deref(),
        Some("event: ping\ndata: {\"type\":\"ping\"}")
    );
    loop {
        let block = sse.next_block().await.expect("stream open");
        if block == ": heartbeat" {
            break;
        }
        assert!(
            block.starts_with("data: "),
            "demo events may come first: {block}"
        );
    }

    let query = reqwest::get(format!("{url}/api/v1/events?access_token=demo-ben"))
        .await
        .expect("answered");
    assert_eq!(query.status(), 200);
    drop(query);

    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = common::within(
        "pmap-sim to exit",
        tokio::task::spawn_blocking(move || child.wait()),
    )
    .await
    .expect("wait task")
    .expect("wait works");
    assert!(status.success(), "exit status {status:?}");
    sse.expect_closed().await;
    let logs = logs.join().expect("stderr reader");
    assert!(logs.contains("stream opened"), "logs go to stderr");
    assert!(
        !logs.contains("demo-ana") && !logs.contains("demo-ben"),
        "tokens never logged"
    );
}
