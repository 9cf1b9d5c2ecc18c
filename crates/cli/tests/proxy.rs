//! `pmap-cli` and the standard proxy variables, against a recording proxy:
//! an https server goes through `HTTPS_PROXY` in a CONNECT tunnel, and the
//! proxy never sees the token; loopback never goes through any proxy.

mod support;

use pmap_testkit::RecordingProxy;
use serde_json::Value;
use support::*;

async fn status(server: &str, env: &[(&str, &str)]) -> (i32, Option<Value>, String) {
    let home = tempfile::tempdir().expect("tempdir");
    let proxies = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"];
    status_json(&home, server, &proxies, env).await
}

#[tokio::test]
async fn https_proxy_carries_the_cli_to_an_https_server_in_a_tunnel_only() {
    let sim = Sim::start_tls(&["--tls-name", "pmap.test"]).await;
    let proxy = RecordingProxy::start().await;
    let port = sim.addr.rsplit(':').next().expect("port");
    let ca = sim.ca_file.as_ref().expect("TLS sim").display().to_string();
    let server = format!("https://pmap.test:{port}");
    let (code, status, stderr) = status(
        &server,
        &[("HTTPS_PROXY", proxy.url()), ("SSL_CERT_FILE", &ca)],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(status.expect("JSON")["user"]["id"], "u-ana");
    let lines = proxy.request_lines();
    assert!(!lines.is_empty());
    let connect = format!("CONNECT pmap.test:{port} HTTP/1.1");
    assert!(lines.iter().all(|l| *l == connect), "{lines:?}");
    assert!(
        !proxy.saw("demo-ana"),
        "the token crossed the proxy in clear"
    );
}

#[tokio::test]
async fn no_proxy_variable_catches_a_loopback_server() {
    let sim = Sim::start(&[]).await;
    let proxy = RecordingProxy::start().await;
    let url = proxy.url();
    let (code, status, stderr) = status(
        &sim.url(),
        &[
            ("HTTP_PROXY", url),
            ("http_proxy", url),
            ("HTTPS_PROXY", url),
            ("ALL_PROXY", url),
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(status.expect("JSON")["user"]["id"], "u-ana");
    assert_eq!(proxy.request_lines(), Vec::<String>::new());
}
