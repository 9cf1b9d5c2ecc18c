//! `--tls`: a throw-away certificate authority and a server certificate
//! made at start, and a listener that speaks TLS with them.
//!
//! Each run makes a fresh CA, so nothing trusts it until the test (or the
//! person) hands its PEM to the client: exactly the situation of a PMAP
//! behind a company CA. The server certificate names `localhost`,
//! `127.0.0.1` and `::1`, plus any extra names asked for (a test that
//! reaches the simulator through a proxy under another host name).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::error::SimError;

/// The common name of every run's CA; error messages quote it.
pub const CA_NAME: &str = "pmap-sim test CA";

/// A handshake that has not finished by then is dropped, so a client that
/// connects and says nothing cannot pin a task.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The certificates of one run.
pub(crate) struct Certificates {
    /// The CA certificate, PEM: what a client must trust.
    pub ca_pem: String,
    acceptor: TlsAcceptor,
}

impl Certificates {
    /// A fresh CA, and a server certificate it signs for the loopback names
    /// and `extra_names`.
    pub fn generate(extra_names: &[String]) -> Result<Certificates, SimError> {
        let tls = |e: rcgen::Error| SimError::Config(format!("cannot make certificates: {e}"));
        let ca_key = KeyPair::generate().map_err(tls)?;
        let mut ca = CertificateParams::default();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca.distinguished_name = name(CA_NAME);
        let ca_cert = ca.self_signed(&ca_key).map_err(tls)?;
        let issuer = Issuer::new(ca, ca_key);

        let mut names = vec!["localhost".to_owned(), "127.0.0.1".into(), "::1".into()];
        names.extend(extra_names.iter().cloned());
        let server_key = KeyPair::generate().map_err(tls)?;
        let mut server = CertificateParams::new(names).map_err(tls)?;
        server.distinguished_name = name("pmap-sim");
        let server_cert = server.signed_by(&server_key, &issuer).map_err(tls)?;

        let chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
            .map_err(|e| SimError::Config(format!("cannot set up TLS: {e}")))?;
        Ok(Certificates {
            ca_pem: ca_cert.pem(),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }

    /// Accepts TCP connections on `listener` and hands axum those whose
    /// handshake succeeded. Handshakes run concurrently, so one slow client
    /// does not hold up the next.
    pub fn listen(&self, listener: TcpListener) -> TlsListener {
        let addr = listener.local_addr();
        let (ready, incoming) = mpsc::channel(64);
        let acceptor = self.acceptor.clone();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    _ = ready.closed() => return,
                };
                let Ok((socket, peer)) = accepted else {
                    continue;
                };
                let acceptor = acceptor.clone();
                let ready = ready.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(socket)).await {
                        Ok(Ok(stream)) => {
                            let _ = ready.send((stream, peer)).await;
                        }
                        Ok(Err(error)) => tracing::info!(%peer, %error, "TLS handshake failed"),
                        Err(_) => tracing::info!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        });
        TlsListener { addr, incoming }
    }
}

fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name
}

/// Connections whose TLS handshake is done, for `axum::serve`.
pub(crate) struct TlsListener {
    addr: io::Result<SocketAddr>,
    incoming: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.incoming.recv().await {
            Some(connection) => connection,
            // The accept loop only ends once this receiver is gone.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        match &self.addr {
            Ok(addr) => Ok(*addr),
            Err(error) => Err(io::Error::new(error.kind(), error.to_string())),
        }
    }
}
