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

#[tokio::test]
async fn with_tls_the_ready_line_names_the_ca_file_and_the_server_speaks_https() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmap-sim"))
        .args(["--addr", "127.0.0.1:0", "--tls", "--tls-name", "pmap.test"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = common::within("the ready line", line)
        .await
        .expect("reader task")
        .expect("stdout readable");
    let (url, ca) = line
        .trim_end()
        .strip_prefix("listening on ")
        .and_then(|rest| rest.split_once(" (CA certificate in "))
        .unwrap_or_else(|| panic!("the TLS ready line: {line:?}"));
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let ca = std::path::PathBuf::from(ca.strip_suffix(')').expect("closing parenthesis"));
    let pem = std::fs::read(&ca).expect("the named CA file exists");
    let _ = std::fs::remove_file(&ca);

    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("PEM"))
        .no_proxy()
        .build()
        .expect("client");
    let me = trusting
        .get(format!("{url}/api/v1/me"))
        .bearer_auth("demo-ana")
        .send()
        .await
        .expect("https answered");
    assert_eq!(me.status(), 200);
    // The extra name is on the certificate too.
    let port = url.rsplit(':').next().expect("port");
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let by_name = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("PEM"))
        .resolve("pmap.test", addr)
        .no_proxy()
        .build()
        .expect("client");
    let me = by_name
        .get(format!("https://pmap.test:{port}/api/v1/me"))
        .bearer_auth("demo-ana")
        .send()
        .await
        .expect("https by the extra name");
    assert_eq!(me.status(), 200);

    let untrusting = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    assert!(
        untrusting
            .get(format!("{url}/api/v1/me"))
            .send()
            .await
            .is_err(),
        "a client without the CA is refused"
    );
    let _ = child.kill();
    let _ = child.wait();
}
