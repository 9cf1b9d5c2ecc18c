//! The one error type of companion-core. Messages say what happened and what
//! to do, in words that suit every front end: none names a command, a menu
//! or a window (each front end adds its own next step, e.g. `pmap-cli`
//! suggests `pmap-cli login`). None of them can contain the token (it only
//! ever travels in a header, and `Token` prints as `***`).

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the server rejected the token (401): sign in again")]
    Unauthorized,
    #[error("the server refused this request (403 forbidden): {0}")]
    Forbidden(String),
    #[error("not found (404): {0}")]
    NotFound(String),
    #[error("the server rejected the request ({status} {code}): {message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the server is unavailable ({status}){}", retry_hint(.retry_after))]
    Unavailable {
        status: u16,
        retry_after: Option<u64>,
    },
    #[error("cannot reach the server at {server}: {reason}")]
    Network { server: String, reason: String },
    /// The server's certificate chain did not verify. Verification is
    /// never turned off; the message says how to trust a company CA.
    #[error(
        "the certificate of {server} is not trusted: {certificate}{}",
        ca_hint(certificate)
    )]
    UntrustedCertificate {
        server: String,
        certificate: crate::net::UntrustedCertificate,
    },
    #[error("cannot use the CA file {path}: {reason}")]
    CaFile { path: PathBuf, reason: String },
    #[error("cannot use the proxy {proxy}: {reason}")]
    Proxy { proxy: String, reason: String },
    #[error("the server sent a response this client cannot read: {0}")]
    BadResponse(String),
    #[error("invalid server URL {url:?}: {reason}")]
    BadServerUrl { url: String, reason: String },
    #[error("not signed in: no token is stored for this server and PMAP_TOKEN is not set")]
    NoToken,
    /// Signing in to one server while tokens for others are stored: the
    /// user chooses to forget or keep them (`store::OtherTokens`).
    #[error("a token for another server is stored too ({}): choose whether to forget or keep it", .0.join(", "))]
    OtherTokensStored(Vec<String>),
    #[error("the OS keyring is unavailable: {0}")]
    Keyring(String),
    /// A keyring call was given up (see `store::KEYRING_PATIENCE`).
    #[error("the keyring did not answer within {} s: is it locked?", .0.as_secs())]
    KeyringTimeout(std::time::Duration),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A value this client built could not be written as JSON: a bug here,
    /// not anything the server or the disk did.
    #[error("cannot encode the data for {path}: {reason}")]
    Encode { path: PathBuf, reason: String },
    #[error("no configuration directory could be determined (is HOME set?)")]
    NoConfigDir,
}

fn ca_hint(certificate: &crate::net::UntrustedCertificate) -> &'static str {
    if certificate.unknown_issuer {
        ". If PMAP sits behind a company certificate authority, trust its CA: \
         give its certificate (PEM) as the CA file in the settings (`ca_file` \
         in the config), or set SSL_CERT_FILE to a bundle that contains it"
    } else {
        ""
    }
}

fn retry_hint(retry_after: &Option<u64>) -> String {
    retry_after
        .map(|s| format!(", retry in {s} s"))
        .unwrap_or_default()
}

impl Error {
    /// Wraps an IO error with what was being done and to which file.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every front end shows these as they are, so none may send the user
    /// to another one's command or menu.
    #[test]
    fn messages_name_no_front_end() {
        let errors = [
            Error::Unauthorized,
            Error::Forbidden("stream".into()),
            Error::NotFound("row".into()),
            Error::Rejected {
                status: 422,
                code: "invalid".into(),
                message: "unknown channel".into(),
            },
            Error::Unavailable {
                status: 503,
                retry_after: Some(5),
            },
            Error::Network {
                server: "https://pmap.example.com".into(),
                reason: "refused".into(),
            },
            Error::UntrustedCertificate {
                server: "https://pmap.example.com".into(),
                certificate: crate::net::UntrustedCertificate {
                    subject: "CN=pmap.example.com".into(),
                    issuer: "CN=Example Corp CA".into(),
                    reason: "no certificate authority this machine trusts issued it".into(),
                    unknown_issuer: true,
                },
            },
            Error::CaFile {
                path: "/tmp/ca.pem".into(),
                reason: "missing".into(),
            },
            Error::Proxy {
                proxy: "http://proxy:3128".into(),
                reason: "SOCKS".into(),
            },
            Error::BadResponse("truncated".into()),
            Error::BadServerUrl {
                url: "x".into(),
                reason: "no host".into(),
            },
            Error::NoToken,
            Error::Keyring("locked".into()),
            Error::KeyringTimeout(std::time::Duration::from_secs(10)),
            Error::Io {
                action: "read",
                path: "/tmp/x".into(),
                source: std::io::Error::other("denied"),
            },
            Error::Encode {
                path: "/tmp/x".into(),
                reason: "key must be a string".into(),
            },
            Error::NoConfigDir,
        ];
        for error in errors {
            let message = error.to_string().to_lowercase();
            for front_end in ["pmap-cli", "login", "tray", "menu", "window", "the app"] {
                assert!(!message.contains(front_end), "{front_end:?} in {message:?}");
            }
        }
    }
}
