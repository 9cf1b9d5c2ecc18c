//! The token's only home: the OS keyring (Secret Service on Linux, through
//! the `keyring` crate), service `pmap-companion`, account = server origin.
//! Headless runs may pass it in `PMAP_TOKEN` instead; it is never read from
//! argv and never written to a file.
//!
//! Every keyring call, from any front end, gives up after
//! [`KEYRING_PATIENCE`]: a locked collection can wait forever on an unlock
//! prompt that no one answers (no prompter on a headless or minimal
//! desktop), and neither `login` nor the tray's start-up may hang on it.

use std::sync::Arc;
use std::time::Duration;

use secrecy::zeroize::Zeroizing;
use tokio::sync::oneshot;

use crate::error::{Error, Result};
use crate::rest::{ServerUrl, Token};

const SERVICE: &str = "pmap-companion";

/// The environment variable that carries a token for headless use.
pub const TOKEN_ENV: &str = "PMAP_TOKEN";

/// How long one keyring call may take before it is reported as
/// [`Error::KeyringTimeout`].
pub const KEYRING_PATIENCE: Duration = Duration::from_secs(10);

/// Where a token came from, for `status` output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSource {
    Environment,
    Keyring,
}

/// `PMAP_TOKEN` if set, else the keyring entry for this server.
pub async fn load_token(server: &ServerUrl) -> Result<(Token, TokenSource)> {
    let raw = std::env::var(TOKEN_ENV).ok().map(Zeroizing::new);
    if let Some(token) = raw.as_deref().and_then(|raw| Token::new(raw)) {
        return Ok((token, TokenSource::Environment));
    }
    let token = TokenStore::os().load(server).await?;
    Ok((token, TokenSource::Keyring))
}

/// Stores the token for this server, replacing any previous one.
pub async fn store_token(server: &ServerUrl, token: &Token) -> Result<()> {
    TokenStore::os().save(server, token).await
}

/// Deletes the stored token; `Ok(false)` if there was none.
pub async fn delete_token(server: &ServerUrl) -> Result<bool> {
    TokenStore::os().delete(server).await
}

/// A blocking secret store, one secret per account: the seam between the
/// rules here (no entry, patience) and the OS keyring. A secret read comes
/// back in a zeroizing buffer; one written is lent, never copied.
pub(crate) trait Secrets: Send + Sync + 'static {
    fn get(&self, account: &str) -> keyring::Result<Zeroizing<String>>;
    fn set(&self, account: &str, secret: &str) -> keyring::Result<()>;
    fn delete(&self, account: &str) -> keyring::Result<()>;
}

/// The OS keyring, through the `keyring` crate.
struct OsKeyring;

impl Secrets for OsKeyring {
    fn get(&self, account: &str) -> keyring::Result<Zeroizing<String>> {
        keyring::Entry::new(SERVICE, account)?
            .get_password()
            .map(Zeroizing::new)
    }

    fn set(&self, account: &str, secret: &str) -> keyring::Result<()> {
        keyring::Entry::new(SERVICE, account)?.set_password(secret)
    }

    fn delete(&self, account: &str) -> keyring::Result<()> {
        keyring::Entry::new(SERVICE, account)?.delete_credential()
    }
}

/// Tokens kept in a [`Secrets`] store under the server's origin, each call
/// bounded by `patience`.
pub(crate) struct TokenStore {
    secrets: Arc<dyn Secrets>,
    patience: Duration,
}

impl TokenStore {
    fn os() -> TokenStore {
        TokenStore::new(Arc::new(OsKeyring), KEYRING_PATIENCE)
    }

    pub(crate) fn new(secrets: Arc<dyn Secrets>, patience: Duration) -> TokenStore {
        TokenStore { secrets, patience }
    }

    /// The stored token; [`Error::NoToken`] when there is none.
    pub(crate) async fn load(&self, server: &ServerUrl) -> Result<Token> {
        let origin = server.origin();
        match self.call(move |s| s.get(&origin)).await? {
            Ok(secret) => Token::new(&secret).ok_or(Error::NoToken),
            Err(keyring::Error::NoEntry) => Err(Error::NoToken),
            Err(other) => Err(unavailable(other)),
        }
    }

    pub(crate) async fn save(&self, server: &ServerUrl, token: &Token) -> Result<()> {
        let origin = server.origin();
        // A clone of the token, itself zeroized on drop: no plain copy.
        let token = token.clone();
        self.call(move |s| s.set(&origin, token.expose()))
            .await?
            .map_err(unavailable)
    }

    /// `Ok(false)` when there was nothing to delete.
    pub(crate) async fn delete(&self, server: &ServerUrl) -> Result<bool> {
        let origin = server.origin();
        match self.call(move |s| s.delete(&origin)).await? {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(other) => Err(unavailable(other)),
        }
    }

    /// Runs one blocking call on a thread of its own and waits at most
    /// `patience` for its answer. The keyring crate blocks on D-Bus, so the
    /// call stays off the async workers; and not on `spawn_blocking`,
    /// because tokio waits for blocking tasks when its runtime shuts down,
    /// so a call stuck on a locked keyring would still hang the process
    /// after the timeout was reported. A detached thread ends with it.
    async fn call<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Secrets) -> keyring::Result<T> + Send + 'static,
    ) -> Result<keyring::Result<T>> {
        let (answer, answered) = oneshot::channel();
        let secrets = Arc::clone(&self.secrets);
        std::thread::Builder::new()
            .name("keyring".into())
            .spawn(move || {
                let _ = answer.send(call(&*secrets));
            })
            .map_err(|e| Error::Keyring(format!("could not start a thread to ask it: {e}")))?;
        match tokio::time::timeout(self.patience, answered).await {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(_)) => Err(Error::Keyring("the call to it panicked".into())),
            Err(_) => Err(Error::KeyringTimeout(self.patience)),
        }
    }
}

fn unavailable(error: keyring::Error) -> Error {
    match error {
        keyring::Error::NoStorageAccess(inner) => {
            Error::Keyring(format!("it is locked or not running ({inner})"))
        }
        other => Error::Keyring(other.to_string()),
    }
}

#[cfg(test)]
#[path = "keyring_tests.rs"]
mod tests;
