//! rustls' certificate verifier with words added to its refusals.
//!
//! A bare rustls refusal reads `invalid peer certificate: UnknownIssuer`,
//! which tells an analyst behind a company CA nothing they can act on.
//! [`ExplainingVerifier`] delegates every decision to the real
//! `WebPkiServerVerifier` and, only when that refuses, names the
//! certificate it refused and its issuer ([`UntrustedCertificate`]). It
//! never turns a refusal into an acceptance: the one path that does not
//! delegate (no trusted roots at all) refuses too.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};

/// A certificate the server presented that did not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UntrustedCertificate {
    /// The end-entity certificate's subject, e.g. `CN=pmap.example.com`.
    pub subject: String,
    /// Who signed it, e.g. `CN=Example Corp Issuing CA, O=Example Corp`.
    pub issuer: String,
    /// Why it was refused, in words.
    pub reason: String,
    /// True when no trusted authority issued it: the case a company CA
    /// file (or `SSL_CERT_FILE`) cures.
    pub unknown_issuer: bool,
}

impl UntrustedCertificate {
    /// Describes `end_entity` and why rustls refused it.
    pub fn describe(end_entity: &CertificateDer<'_>, error: &CertificateError) -> Self {
        let (subject, issuer) = match x509_parser::parse_x509_certificate(end_entity) {
            Ok((_, cert)) => (cert.subject().to_string(), cert.issuer().to_string()),
            Err(_) => ("(unreadable certificate)".into(), "(unknown)".into()),
        };
        let unknown_issuer = matches!(error, CertificateError::UnknownIssuer);
        UntrustedCertificate {
            subject: or_empty(subject),
            issuer: or_empty(issuer),
            reason: reason(error),
            unknown_issuer,
        }
    }
}

fn or_empty(name: String) -> String {
    if name.is_empty() {
        "(empty name)".into()
    } else {
        name
    }
}

impl fmt::Display for UntrustedCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; the certificate is {}, issued by {}",
            self.reason, self.subject, self.issuer
        )
    }
}

impl StdError for UntrustedCertificate {}

fn reason(error: &CertificateError) -> String {
    use CertificateError as E;
    match error {
        E::UnknownIssuer => "no certificate authority this machine trusts issued it".into(),
        E::Expired | E::ExpiredContext { .. } => "it has expired".into(),
        E::NotValidYet | E::NotValidYetContext { .. } => {
            "it is not valid yet (is this machine's clock right?)".into()
        }
        E::NotValidForName | E::NotValidForNameContext { .. } => {
            "it was not issued for this server's name".into()
        }
        E::Revoked => "it has been revoked".into(),
        E::InvalidPurpose | E::InvalidPurposeContext { .. } => {
            "it is not meant for a TLS server".into()
        }
        E::BadSignature => "its signature does not verify".into(),
        other => format!("it failed verification ({other:?})"),
    }
}

/// Finds the [`UntrustedCertificate`] an error carries somewhere in its
/// chain (reqwest → hyper → io::Error(s) → rustls::Error → ours). rustls'
/// error has no `source()`, and `io::Error` skips its payload in its own,
/// so those links are opened by hand.
pub fn find_untrusted(error: &(dyn StdError + 'static)) -> Option<UntrustedCertificate> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(found) = untrusted_in(error) {
            return Some(found);
        }
        next = error.source();
    }
    None
}

fn untrusted_in(error: &(dyn StdError + 'static)) -> Option<UntrustedCertificate> {
    if let Some(found) = error.downcast_ref::<UntrustedCertificate>() {
        return Some(found.clone());
    }
    // hyper-rustls wraps tokio-rustls' io::Error in another io::Error.
    let mut error: &(dyn StdError + 'static) = error;
    while let Some(io) = error.downcast_ref::<std::io::Error>() {
        error = io.get_ref()?;
    }
    match error.downcast_ref::<rustls::Error>()? {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(inner))) => {
            inner.downcast_ref::<UntrustedCertificate>().cloned()
        }
        _ => None,
    }
}

/// Delegates to `inner`; explains its refusals. `inner` is `None` when
/// no root at all could be loaded: then every certificate is refused.
#[derive(Debug)]
pub(crate) struct ExplainingVerifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ExplainingVerifier {
    pub(crate) fn new(
        inner: Option<Arc<WebPkiServerVerifier>>,
        provider: Arc<CryptoProvider>,
    ) -> Self {
        ExplainingVerifier { inner, provider }
    }
}

impl ServerCertVerifier for ExplainingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(inner) = &self.inner else {
            return Err(explain(end_entity, CertificateError::UnknownIssuer));
        };
        inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map_err(|error| match error {
                rustls::Error::InvalidCertificate(refusal) => explain(end_entity, refusal),
                other => other,
            })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        match &self.inner {
            Some(inner) => inner.verify_tls12_signature(message, cert, dss),
            None => rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
        }
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        match &self.inner {
            Some(inner) => inner.verify_tls13_signature(message, cert, dss),
            None => rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
        }
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        match &self.inner {
            Some(inner) => inner.supported_verify_schemes(),
            None => self
                .provider
                .signature_verification_algorithms
                .supported_schemes(),
        }
    }
}

fn explain(end_entity: &CertificateDer<'_>, refusal: CertificateError) -> rustls::Error {
    let untrusted = UntrustedCertificate::describe(end_entity, &refusal);
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(untrusted))))
}
