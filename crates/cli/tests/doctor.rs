//! `pmap-cli doctor` end to end: against the plain sim, the TLS sim with
//! and without its CA, and through a recording proxy.

mod support;

use pmap_testkit::RecordingProxy;
use serde_json::{Value, json};
use support::*;

const STEPS: [&str; 6] = ["proxy", "dns", "tcp", "tls", "me", "stream"];

/// Runs `doctor --format json` and returns its exit code and one report
/// line per step, checked to come in order.
async fn doctor(server: &str, home: &tempfile::TempDir, env: &[(&str, &str)]) -> (i32, Vec<Value>) {
    let mut command = cli(home);
    command
        .env("PMAP_TOKEN", "demo-ana")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .args([
            "--server", server, "--format", "json", "doctor", "--listen", "0.5",
        ]);
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        command.env_remove(var).env_remove(var.to_lowercase());
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().await.expect("run pmap-cli doctor");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let steps: Vec<&str> = lines
        .iter()
        .map(|l| l["step"].as_str().expect("step"))
        .collect();
    assert_eq!(steps, STEPS, "{stdout}");
    (output.status.code().unwrap_or(-1), lines)
}

fn verdicts(lines: &[Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l["verdict"].as_str().expect("verdict"))
        .collect()
}

fn detail<'a>(lines: &'a [Value], step: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l["step"] == step)
        .and_then(|l| l["detail"].as_str())
        .expect("the step's detail")
}

#[tokio::test]
async fn doctor_passes_every_step_against_the_plain_sim() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let (code, lines) = doctor(&sim.url(), &home, &[]).await;
    assert_eq!(verdicts(&lines), ["ok"; 6], "{lines:#?}");
    assert_eq!(code, 0);
    assert!(detail(&lines, "proxy").contains("loopback"));
    assert!(detail(&lines, "tls").contains("plain http on loopback"));
    assert!(detail(&lines, "me").contains("Ana Analyst"));
    assert!(detail(&lines, "stream").starts_with("open"), "{lines:#?}");
}

#[tokio::test]
async fn doctor_over_tls_names_the_chain_and_the_source_that_trusted_it() {
    let sim = Sim::start_tls(&[]).await;
    let ca = sim.ca_file.clone().expect("TLS sim");

    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("config").join("pmap-companion");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(
        dir.join("config.json"),
        json!({ "ca_file": ca }).to_string(),
    )
    .expect("config");
    let (code, lines) = doctor(&sim.url(), &home, &[]).await;
    assert_eq!((code, verdicts(&lines)), (0, vec!["ok"; 6]), "{lines:#?}");
    let tls = detail(&lines, "tls");
    assert!(
        tls.contains("CN=pmap-sim (issued by CN=pmap-sim test CA)"),
        "{tls}"
    );
    assert!(tls.contains("the configured CA file"), "{tls}");

    let bare = tempfile::tempdir().expect("tempdir");
    let ca = ca.display().to_string();
    let (code, lines) = doctor(&sim.url(), &bare, &[("SSL_CERT_FILE", &ca)]).await;
    assert_eq!((code, verdicts(&lines)), (0, vec!["ok"; 6]), "{lines:#?}");
    let tls = detail(&lines, "tls");
    assert!(tls.contains(&format!("SSL_CERT_FILE={ca}")), "{tls}");

    let (code, lines) = doctor(&sim.url(), &bare, &[]).await;
    assert_eq!(code, 1);
    assert_eq!(
        verdicts(&lines),
        ["ok", "ok", "ok", "fail", "skip", "skip"],
        "{lines:#?}"
    );
    let tls = detail(&lines, "tls");
    for needle in [
        "not trusted",
        "CN=pmap-sim test CA",
        "ca_file",
        "SSL_CERT_FILE",
    ] {
        assert!(tls.contains(needle), "{needle:?} missing: {tls}");
    }
}

#[tokio::test]
async fn doctor_reports_the_proxy_and_its_tunnel_and_the_token_stays_hidden() {
    let sim = Sim::start_tls(&["--tls-name", "pmap.test"]).await;
    let proxy = RecordingProxy::start().await;
    let port = sim.addr.rsplit(':').next().expect("port");
    let ca = sim.ca_file.as_ref().expect("TLS sim").display().to_string();
    let home = tempfile::tempdir().expect("tempdir");
    let (code, lines) = doctor(
        &format!("https://pmap.test:{port}"),
        &home,
        &[("HTTPS_PROXY", proxy.url()), ("SSL_CERT_FILE", &ca)],
    )
    .await;
    assert_eq!((code, verdicts(&lines)), (0, vec!["ok"; 6]), "{lines:#?}");
    let route = detail(&lines, "proxy");
    assert!(
        route.contains(proxy.url()) && route.contains("HTTPS_PROXY"),
        "{route}"
    );
    assert!(detail(&lines, "tcp").contains(&format!("tunnels to pmap.test:{port}")));
    let connect = format!("CONNECT pmap.test:{port} HTTP/1.1");
    let lines = proxy.request_lines();
    assert!(lines.iter().all(|l| *l == connect), "{lines:?}");
    assert!(
        !proxy.saw("demo-ana"),
        "the token crossed the proxy in clear"
    );
}
