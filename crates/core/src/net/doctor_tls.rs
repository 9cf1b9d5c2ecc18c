//! The byte-level steps of `doctor`: a CONNECT tunnel through the proxy,
//! and a TLS handshake of its own that keeps the chain the server sent so
//! the report can show it and name the trust source that vouched for it.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use reqwest::Url;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::TrustStore;
use super::trust::config_with;
use super::verifier::find_untrusted;
use crate::error::Error;
use crate::rest::CONNECT_TIMEOUT;

/// Asks the proxy for a tunnel to `host:port`; `Err` says what it answered.
pub(crate) async fn tunnel(
    mut socket: TcpStream,
    proxy: &Url,
    host: &str,
    port: u16,
) -> Result<TcpStream, String> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if !proxy.username().is_empty() {
        // As written in the URL (percent-encoding is not undone here).
        let credentials = format!(
            "{}:{}",
            proxy.username(),
            proxy.password().unwrap_or_default()
        );
        let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
        request.push_str(&format!("Proxy-Authorization: Basic {encoded}\r\n"));
    }
    request.push_str("\r\n");
    let exchange = async {
        socket.write_all(request.as_bytes()).await?;
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        // Byte by byte: nothing after the head may be consumed, it is TLS.
        while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
            if socket.read(&mut byte).await? == 0 {
                break;
            }
            head.push(byte[0]);
        }
        Ok::<_, std::io::Error>(head)
    };
    let head = match tokio::time::timeout(CONNECT_TIMEOUT, exchange).await {
        Ok(Ok(head)) => head,
        Ok(Err(error)) => return Err(format!("the tunnel request failed: {error}")),
        Err(_) => return Err("the proxy did not answer the tunnel request".into()),
    };
    let text = String::from_utf8_lossy(&head);
    let status = text.lines().next().unwrap_or_default();
    let code = status.split_whitespace().nth(1).unwrap_or_default();
    if code.starts_with('2') {
        Ok(socket)
    } else if status.is_empty() {
        Err("the proxy closed the connection instead of opening a tunnel".into())
    } else {
        Err(format!(
            "the proxy refused the tunnel: {}",
            printable(status)
        ))
    }
}

/// A TLS handshake over `socket` with every trust source; on success, the
/// protocol, the chain and the source that vouched for it.
pub(crate) async fn handshake(
    socket: TcpStream,
    host: &str,
    trust: &TrustStore,
) -> Result<String, Error> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| Error::Network {
        server: host.to_owned(),
        reason: format!("not a name TLS can verify: {e}"),
    })?;
    let recorder = Arc::new(Recorder {
        inner: trust.verifier_for_all(),
        chain: Mutex::new(Vec::new()),
    });
    let connector = TlsConnector::from(Arc::new(config_with(recorder.clone())));
    let shake = tokio::time::timeout(CONNECT_TIMEOUT, connector.connect(name.clone(), socket));
    let stream = match shake.await {
        Ok(Ok(stream)) => stream,
        Ok(Err(error)) => {
            return Err(match find_untrusted(&error) {
                Some(certificate) => Error::UntrustedCertificate {
                    server: host.to_owned(),
                    certificate,
                },
                None => Error::Network {
                    server: host.to_owned(),
                    reason: format!("the TLS handshake failed: {error}"),
                },
            });
        }
        Err(_) => {
            return Err(Error::Network {
                server: host.to_owned(),
                reason: "the TLS handshake did not finish in time".into(),
            });
        }
    };
    let version = stream
        .get_ref()
        .1
        .protocol_version()
        .map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1."))
        .unwrap_or_else(|| "TLS".into());
    let chain = recorder.chain.lock().map(|c| c.clone()).unwrap_or_default();
    let vouched = trust
        .vouching_source(&chain, &name)
        .map(|s| s.to_string())
        .unwrap_or_else(|| "the combined trust store".into());
    Ok(format!(
        "{version}; chain {}; trusted through {vouched}",
        describe_chain(&chain)
    ))
}

/// `CN=a (issued by CN=b) ← CN=b (issued by CN=root)`.
fn describe_chain(chain: &[CertificateDer<'static>]) -> String {
    let names: Vec<String> = chain
        .iter()
        .map(|der| match x509_parser::parse_x509_certificate(der) {
            Ok((_, cert)) => format!("{} (issued by {})", cert.subject(), cert.issuer()),
            Err(_) => "(unreadable certificate)".into(),
        })
        .collect();
    names.join(" ← ")
}

fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// Keeps the chain the server presented, then lets the real verifier
/// decide: it adds no acceptance of its own.
#[derive(Debug)]
struct Recorder {
    inner: Arc<super::verifier::ExplainingVerifier>,
    chain: Mutex<Vec<CertificateDer<'static>>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
