//! The one error type of companion-core. Messages say what happened and what
//! to do; none of them can contain the token (it only ever travels in a
//! header, and `Token` prints as `***`).

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the server rejected the token (401): sign in again with `pmap-cli login`")]
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
    #[error("the server sent a response this client cannot read: {0}")]
    BadResponse(String),
    #[error("invalid server URL {url:?}: {reason}")]
    BadServerUrl { url: String, reason: String },
    #[error("not signed in: run `pmap-cli login` (or set PMAP_TOKEN for headless use)")]
    NoToken,
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
