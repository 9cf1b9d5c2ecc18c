//! Which certificate authorities the client trusts, and where each came from.
//!
//! Two sources, used together:
//! - the **native** store: the bundle `SSL_CERT_FILE` / `SSL_CERT_DIR` name
//!   when either is set (they replace the system's, as OpenSSL does),
//!   otherwise the operating system's own store;
//! - the **CA file** from the config (`ca_file`), for a company CA.
//!
//! Verification itself is rustls' (see `verifier`); nothing here can turn
//! it off. Keeping the sources apart lets `doctor` say which one vouched for
//! a server's chain.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, RootCertStore};

use super::verifier::ExplainingVerifier;
use crate::error::{Error, Result};

/// The variables that replace the system store when set.
pub const CERT_ENV_VARS: [&str; 2] = ["SSL_CERT_FILE", "SSL_CERT_DIR"];

/// Where a trusted certificate came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustSource {
    /// `ca_file` in the config.
    CaFile(PathBuf),
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR`, as `NAME=value` pairs.
    Environment(String),
    /// The operating system's store.
    System,
}

impl fmt::Display for TrustSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustSource::CaFile(path) => write!(f, "the configured CA file {}", path.display()),
            TrustSource::Environment(vars) => write!(f, "{vars}"),
            TrustSource::System => f.write_str("the system trust store"),
        }
    }
}

/// The trusted certificates, grouped by where they came from.
#[derive(Clone)]
pub struct TrustStore {
    sources: Vec<(TrustSource, Vec<CertificateDer<'static>>)>,
}

/// Sources and counts; the certificates themselves are only noise.
impl fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.sources()).finish()
    }
}

impl TrustStore {
    /// The native store (read once per process) plus `ca_file`, if given.
    /// A CA file that cannot be read or holds no certificate is an error:
    /// it was asked for, so silently trusting less would only confuse.
    pub fn load(ca_file: Option<&Path>) -> Result<TrustStore> {
        let mut sources = Vec::new();
        if let Some(path) = ca_file {
            sources.push((TrustSource::CaFile(path.to_owned()), read_ca_file(path)?));
        }
        let (source, certs) = native();
        sources.push((source.clone(), certs.clone()));
        Ok(TrustStore { sources })
    }

    /// Each source and how many certificates it holds.
    pub fn sources(&self) -> impl Iterator<Item = (&TrustSource, usize)> {
        self.sources.iter().map(|(s, certs)| (s, certs.len()))
    }

    /// A rustls client configuration trusting every source.
    pub fn client_config(&self) -> ClientConfig {
        config_with(self.verifier_for_all())
    }

    /// The verifier [`TrustStore::client_config`] installs.
    pub(crate) fn verifier_for_all(&self) -> Arc<ExplainingVerifier> {
        self.verifier(self.sources.iter().flat_map(|(_, certs)| certs.iter()))
    }

    /// The first source whose certificates alone verify this chain for
    /// `server_name`, if any.
    pub fn vouching_source(
        &self,
        chain: &[CertificateDer<'static>],
        server_name: &ServerName<'_>,
    ) -> Option<&TrustSource> {
        let (end_entity, intermediates) = chain.split_first()?;
        self.sources.iter().find_map(|(source, certs)| {
            self.verifier(certs.iter())
                .verify_server_cert(end_entity, intermediates, server_name, &[], UnixTime::now())
                .is_ok()
                .then_some(source)
        })
    }

    fn verifier<'a>(
        &self,
        certs: impl Iterator<Item = &'a CertificateDer<'static>>,
    ) -> Arc<ExplainingVerifier> {
        let provider = provider();
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(certs.cloned());
        let inner = (!roots.is_empty())
            .then(|| {
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .ok()
            })
            .flatten();
        Arc::new(ExplainingVerifier::new(inner, provider))
    }
}

/// The crypto the whole crate uses, named explicitly so no process-wide
/// default has to be installed.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client configuration around `verifier`, which must verify with
/// webpki (the explaining verifier, or a wrapper that delegates to it).
pub(crate) fn config_with(verifier: Arc<dyn ServerCertVerifier>) -> ClientConfig {
    ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .dangerous() // only to install the verifier; it verifies with webpki
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth()
}

fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let bad = |reason: String| Error::CaFile {
        path: path.to_owned(),
        reason,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(e.to_string()))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("not a PEM certificate file ({e})")))?;
    if certs.is_empty() {
        return Err(bad("it holds no PEM certificate (BEGIN CERTIFICATE)".into()));
    }
    Ok(certs)
}

/// The native store, read once: it is a few hundred kilobytes to parse.
fn native() -> &'static (TrustSource, Vec<CertificateDer<'static>>) {
    static NATIVE: OnceLock<(TrustSource, Vec<CertificateDer<'static>>)> = OnceLock::new();
    NATIVE.get_or_init(|| {
        let source = native_source(|name| std::env::var_os(name));
        let loaded = rustls_native_certs::load_native_certs();
        for error in &loaded.errors {
            tracing::warn!(%error, %source, "could not read part of the trust store");
        }
        (source, loaded.certs)
    })
}

fn native_source(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> TrustSource {
    let set: Vec<String> = CERT_ENV_VARS
        .iter()
        .filter_map(|name| {
            let value = var(name).filter(|v| !v.is_empty())?;
            Some(format!("{name}={}", value.to_string_lossy()))
        })
        .collect();
    if set.is_empty() {
        TrustSource::System
    } else {
        TrustSource::Environment(set.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_replaces_the_system_store_when_set() {
        assert_eq!(native_source(|_| None), TrustSource::System);
        assert_eq!(
            native_source(|name| (name == "SSL_CERT_FILE").then(|| "/etc/ca.pem".into())),
            TrustSource::Environment("SSL_CERT_FILE=/etc/ca.pem".into())
        );
        assert_eq!(native_source(|_| Some("".into())), TrustSource::System);
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused_with_its_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("empty.pem");
        std::fs::write(&path, "not a certificate\n").expect("write");
        let error = TrustStore::load(Some(&path)).expect_err("no certificate");
        assert!(matches!(error, Error::CaFile { .. }), "{error}");
        assert!(error.to_string().contains("empty.pem"), "{error}");
        let missing = dir.path().join("missing.pem");
        assert!(matches!(
            TrustStore::load(Some(&missing)),
            Err(Error::CaFile { .. })
        ));
    }
}
