//! The client over real TLS on loopback, against an in-process `pmap-sim`
//! serving https with a CA made for the run.

use std::sync::Arc;

use companion_core::net::Network;
use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::{StreamEvent, StreamSettings, supervise};
use companion_core::{Error, FailureKind};
use pmap_sim::{SimConfig, TlsConfig};
use tokio::sync::{Notify, mpsc};

mod common;

struct TlsSim {
    sim: pmap_sim::RunningSim,
    ca_file: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn tls_sim() -> TlsSim {
    let sim = pmap_sim::start(SimConfig {
        tls: Some(TlsConfig::default()),
        ..SimConfig::default()
    })
    .await
    .expect("sim starts");
    let dir = tempfile::tempdir().expect("tempdir");
    let ca_file = dir.path().join("company-ca.pem");
    std::fs::write(&ca_file, sim.ca_pem().expect("a TLS sim has a CA")).expect("write CA");
    TlsSim {
        sim,
        ca_file,
        _dir: dir,
    }
}

fn client(url: &str, network: &Network) -> companion_core::Result<Client> {
    Client::with_network(
        ServerUrl::parse(url).expect("url"),
        Token::new("demo-ana").expect("token"),
        network,
    )
}

#[tokio::test]
async fn the_configured_ca_file_is_trusted_for_rest_and_the_stream() {
    let tls = tls_sim().await;
    assert!(tls.sim.url().starts_with("https://127.0.0.1:"));
    let network = Network {
        ca_file: Some(tls.ca_file.clone()),
        proxy: None,
    };
    let client = client(&tls.sim.url(), &network).expect("client");
    assert_eq!(client.me().await.expect("me over TLS").id, "u-ana");

    common::wait_opened(client, "the stream to open over TLS").await;
    tls.sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_ca_is_refused_naming_the_certificate_and_its_issuer() {
    let tls = tls_sim().await;
    let client = client(&tls.sim.url(), &Network::default()).expect("client");
    let error = client.me().await.expect_err("the sim's CA is not trusted");
    let Error::UntrustedCertificate {
        server,
        certificate,
    } = &error
    else {
        panic!("not a certificate error: {error}");
    };
    assert_eq!(server, &tls.sim.url());
    assert_eq!(certificate.subject, "CN=pmap-sim");
    assert_eq!(certificate.issuer, format!("CN={}", pmap_sim::CA_NAME));
    assert!(certificate.unknown_issuer);
    let message = error.to_string();
    for needle in [
        "not trusted",
        "ca_file",
        "SSL_CERT_FILE",
        "CN=pmap-sim test CA",
    ] {
        assert!(message.contains(needle), "{needle:?} missing: {message}");
    }

    // The stream reports the same refusal and keeps retrying (a CA may be
    // installed meanwhile): it is never accepted.
    let (tx, mut rx) = mpsc::channel(16);
    let settings = StreamSettings {
        backoff: common::fast_backoff(),
        ..StreamSettings::default()
    };
    let task = tokio::spawn(supervise(client, settings, tx, Arc::new(Notify::new())));
    let failure = loop {
        let event = pmap_testkit::within("the stream to fail", rx.recv())
            .await
            .expect("supervisor alive");
        assert_ne!(event, StreamEvent::Opened);
        if let StreamEvent::Failed { kind, retry_in, .. } = event {
            break (kind, retry_in);
        }
    };
    assert!(
        matches!(&failure, (FailureKind::Network(text), Some(_)) if text.contains("CN=pmap-sim")),
        "{failure:?}"
    );
    task.abort();
    tls.sim.shutdown().await;
}

#[tokio::test]
async fn a_ca_file_that_holds_no_certificate_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("not-a-ca.pem");
    std::fs::write(&path, "-----BEGIN NOTHING-----\n").expect("write");
    let network = Network {
        ca_file: Some(path),
        proxy: None,
    };
    let error = client("https://pmap.example.com", &network).expect_err("refused");
    assert!(matches!(error, Error::CaFile { .. }), "{error}");
    assert!(error.to_string().contains("not-a-ca.pem"), "{error}");
}
