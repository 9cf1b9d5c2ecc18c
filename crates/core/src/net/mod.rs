//! How the client reaches a PMAP behind a company network.
//!
//! - [`trust`]: which certificate authorities it trusts: the operating
//!   system's store (or the bundle `SSL_CERT_FILE` / `SSL_CERT_DIR` name
//!   instead), plus an optional company CA file from the config.
//!   Verification is never turned off.
//! - [`verifier`]: a wrapper around rustls' own verifier that only adds
//!   words to a failure: which certificate, who issued it, how to add the
//!   company CA. It accepts nothing the real verifier rejects.
//! - [`proxy`]: whether a proxy carries the connection, decided once per
//!   client from the config and the standard variables. Loopback never
//!   goes through one, and a token never crosses a proxy in clear.
//! - [`doctor`]: the same path checked step by step (proxy, DNS, TCP, TLS,
//!   `/me`, the stream), each with a verdict, for support.

pub mod doctor;
mod doctor_stream;
mod doctor_tls;
pub mod proxy;
pub mod trust;
pub mod verifier;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use proxy::{ProxyEnv, ProxySource, Route};
pub use trust::{TrustSource, TrustStore};
pub use verifier::UntrustedCertificate;

/// The network settings a user can save (`ca_file`, `proxy` in the config).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    /// A PEM file with the company's CA certificate(s), trusted on top of
    /// the system store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// An explicit proxy (`http://proxy.example.com:3128`), used instead of
    /// `HTTPS_PROXY` / `ALL_PROXY`; `NO_PROXY` and loopback still bypass it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
}
