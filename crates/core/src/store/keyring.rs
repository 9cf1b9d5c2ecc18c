//! The token's only home: the OS keyring (Secret Service on Linux, through
//! the `keyring` crate), service `pmap-companion`, account = server origin.
//! Headless runs may pass it in `PMAP_TOKEN` instead; it is never read from
//! argv and never written to a file.

use crate::error::{Error, Result};
use crate::rest::{ServerUrl, Token};

const SERVICE: &str = "pmap-companion";

/// The environment variable that carries a token for headless use.
pub const TOKEN_ENV: &str = "PMAP_TOKEN";

/// Where a token came from, for `status` output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSource {
    Environment,
    Keyring,
}

/// `PMAP_TOKEN` if set, else the keyring entry for this server.
pub async fn load_token(server: &ServerUrl) -> Result<(Token, TokenSource)> {
    if let Some(token) = std::env::var(TOKEN_ENV)
        .ok()
        .as_deref()
        .and_then(Token::new)
    {
        return Ok((token, TokenSource::Environment));
    }
    let origin = server.origin();
    let secret = blocking(move || entry(&origin)?.get_password()).await;
    match secret {
        Ok(secret) => Token::new(&secret)
            .map(|t| (t, TokenSource::Keyring))
            .ok_or(Error::NoToken),
        Err(Error::Keyring(reason)) if reason == NO_ENTRY => Err(Error::NoToken),
        Err(e) => Err(e),
    }
}

/// Stores the token for this server, replacing any previous one.
pub async fn store_token(server: &ServerUrl, token: &Token) -> Result<()> {
    let origin = server.origin();
    let secret = token.expose().to_owned();
    blocking(move || entry(&origin)?.set_password(&secret)).await
}

/// Deletes the stored token; `Ok(false)` if there was none.
pub async fn delete_token(server: &ServerUrl) -> Result<bool> {
    let origin = server.origin();
    match blocking(move || entry(&origin)?.delete_credential()).await {
        Ok(()) => Ok(true),
        Err(Error::Keyring(reason)) if reason == NO_ENTRY => Ok(false),
        Err(e) => Err(e),
    }
}

const NO_ENTRY: &str = "no token stored";

fn entry(origin: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, origin)
}

/// The keyring crate blocks on D-Bus; keep it off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> keyring::Result<T> + Send + 'static,
) -> Result<T> {
    let joined = tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Keyring(e.to_string()))?;
    joined.map_err(|e| match e {
        keyring::Error::NoEntry => Error::Keyring(NO_ENTRY.to_owned()),
        keyring::Error::NoStorageAccess(inner) => {
            Error::Keyring(format!("the keyring is locked or not running: {inner}"))
        }
        other => Error::Keyring(other.to_string()),
    })
}
