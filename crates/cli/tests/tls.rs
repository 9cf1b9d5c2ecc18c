//! Real TLS on loopback: `pmap-sim --tls` makes a CA nobody trusts, and
//! `pmap-cli` reaches it only when it is given that CA, through the config
//! (`ca_file`) or through `SSL_CERT_FILE`. Given neither, it refuses with
//! a message naming the certificate, its issuer, and how to add the CA.

mod support;

use serde_json::{Value, json};
use support::*;

/// `pmap-cli status --format json` against `sim`, with extra environment
/// and none of the machine's own CA settings.
async fn status(
    sim: &Sim,
    home: &tempfile::TempDir,
    env: &[(&str, &str)],
) -> (i32, Option<Value>, String) {
    status_json(home, &sim.url(), &["SSL_CERT_FILE", "SSL_CERT_DIR"], env).await
}

/// Writes `config.json` the way `login --ca-file` leaves it.
fn write_config(home: &tempfile::TempDir, config: Value) {
    let dir = home.path().join("config").join("pmap-companion");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("config.json"), config.to_string()).expect("config");
}

#[tokio::test]
async fn the_ca_file_in_the_config_lets_the_cli_reach_a_tls_server() {
    let sim = Sim::start_tls(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let ca = sim.ca_file.as_ref().expect("TLS sim");
    write_config(&home, json!({ "ca_file": ca }));
    let (code, status, stderr) = status(&sim, &home, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    let status = status.expect("JSON status");
    assert_eq!(status["user"]["id"], "u-ana");
    assert_eq!(status["server"], sim.url());
}

#[tokio::test]
async fn ssl_cert_file_lets_the_cli_reach_a_tls_server() {
    let sim = Sim::start_tls(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let ca = sim.ca_file.as_ref().expect("TLS sim").display().to_string();
    let (code, status, stderr) = status(&sim, &home, &[("SSL_CERT_FILE", &ca)]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(status.expect("JSON status")["user"]["id"], "u-ana");
}

#[tokio::test]
async fn without_the_ca_the_refusal_names_the_certificate_its_issuer_and_the_cure() {
    let sim = Sim::start_tls(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let (code, status, stderr) = status(&sim, &home, &[]).await;
    assert_eq!(code, 1, "{stderr}");
    assert!(status.is_none());
    for needle in [
        "not trusted",
        "CN=pmap-sim,",
        "issued by CN=pmap-sim test CA",
        "ca_file",
        "SSL_CERT_FILE",
        "pmap-cli login --ca-file",
    ] {
        assert!(stderr.contains(needle), "{needle:?} missing from {stderr}");
    }
    assert!(!stderr.contains("demo-ana"), "the token leaked: {stderr}");
}

#[tokio::test]
async fn watch_goes_live_over_tls_with_the_configured_ca() {
    let sim = Sim::start_tls(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    write_config(
        &home,
        json!({ "ca_file": sim.ca_file.as_ref().expect("TLS sim") }),
    );
    let mut watch = Watch::start_in(&sim, "demo-ana", &[], home).await;
    let unread = watch.wait_live_and_exact(&sim, "demo-ana").await;
    sim.emit(assigned_to_ana("f-tls-1", "high", "c-tls-1"))
        .await;
    watch
        .wait_for("the pop-up for an event sent over TLS", |v| {
            is_effect(v, "notify") && v["url"].as_str().is_some_and(|u| u.ends_with("f-tls-1"))
        })
        .await;
    assert_eq!(watch.stop().await.code, 0);
    let _ = unread;
}
