//! The client's proxy rules against a recording proxy on loopback: an
//! https server is reached in a CONNECT tunnel and the proxy never sees the
//! token; a loopback server never goes through the proxy at all.

use companion_core::net::Network;
use companion_core::rest::{Client, ServerUrl, Token};
use pmap_sim::{SimConfig, TlsConfig};
use pmap_testkit::RecordingProxy;

mod common;

/// A name only the proxy can resolve (it tunnels every CONNECT to
/// loopback), on the sim's certificate.
const HOST: &str = "pmap.test";
const TOKEN: &str = "demo-ana";

fn client(url: &str, network: &Network) -> Client {
    Client::with_network(
        ServerUrl::parse(url).expect("url"),
        Token::new(TOKEN).expect("token"),
        network,
    )
    .expect("client")
}

#[tokio::test]
async fn an_https_server_is_reached_through_the_configured_proxy_in_a_tunnel_only() {
    let sim = pmap_sim::start(SimConfig {
        tls: Some(TlsConfig {
            extra_names: vec![HOST.into()],
        }),
        ..SimConfig::default()
    })
    .await
    .expect("sim");
    let dir = tempfile::tempdir().expect("tempdir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, sim.ca_pem().expect("CA")).expect("write CA");
    let proxy = RecordingProxy::start().await;
    let network = Network {
        ca_file: Some(ca_file),
        proxy: Some(proxy.url().to_owned()),
    };
    let server = format!("https://{HOST}:{}", sim.addr().port());
    let client = client(&server, &network);
    assert!(
        client.route().to_string().contains(proxy.url()),
        "{}",
        client.route()
    );
    assert_eq!(client.me().await.expect("me through the proxy").id, "u-ana");
    common::wait_opened(client, "the stream to open").await;

    let lines = proxy.request_lines();
    let connect = format!("CONNECT {HOST}:{} HTTP/1.1", sim.addr().port());
    assert!(lines.len() >= 2, "REST and the stream: {lines:?}");
    assert!(lines.iter().all(|l| *l == connect), "{lines:?}");
    assert!(!proxy.saw(TOKEN), "the token crossed the proxy in clear");
    assert!(
        !proxy.saw("Bearer"),
        "a bearer header crossed the proxy in clear"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_loopback_server_never_goes_through_the_proxy() {
    let sim = pmap_sim::start(SimConfig::default()).await.expect("sim");
    let proxy = RecordingProxy::start().await;
    let network = Network {
        ca_file: None,
        proxy: Some(proxy.url().to_owned()),
    };
    let client = client(&sim.url(), &network);
    assert!(
        client.route().to_string().contains("loopback"),
        "{}",
        client.route()
    );
    assert_eq!(client.me().await.expect("me, direct").id, "u-ana");
    common::wait_opened(client, "the stream to open").await;
    assert_eq!(proxy.request_lines(), Vec::<String>::new());
    sim.shutdown().await;
}
