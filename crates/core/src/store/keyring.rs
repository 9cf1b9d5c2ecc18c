//! The token's only home: the OS keyring (Secret Service on Linux, through
//! the `keyring` crate), service `pmap-companion`, account = server origin.
//! Headless runs may pass it in `PMAP_TOKEN` instead (see `env_token`); it
//! is never read from argv and never written to a file.
//!
//! Every keyring call, from any front end, gives up after
//! [`KEYRING_PATIENCE`]: a locked collection can wait forever on an unlock
//! prompt that no one answers (no prompter on a headless or minimal
//! desktop), and neither `login` nor the tray's start-up may hang on it.

use std::sync::Arc;
use std::time::Duration;

use secrecy::zeroize::Zeroizing;
use tokio::sync::oneshot;

use super::env_token::env_token;
use crate::error::{Error, Result};
use crate::rest::{ServerUrl, Token};

const SERVICE: &str = "pmap-companion";

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
    if let Some(token) = env_token() {
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

/// The origins of every server this app has a token stored for, sorted.
pub async fn stored_servers() -> Result<Vec<String>> {
    TokenStore::os().accounts().await
}

/// Deletes every token this app stored, whichever server it was for (sign
/// out); returns the origins whose token was deleted.
pub async fn delete_all_tokens() -> Result<Vec<String>> {
    TokenStore::os().delete_all().await
}

/// What signing in to one server does with tokens stored for others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherTokens {
    /// Delete them once the new token is stored (one server at a time).
    Forget,
    /// Keep them: `--server` or a later sign-in uses them again.
    Keep,
}

/// The other servers' tokens to forget once signing in to `server` has
/// succeeded. With tokens for other servers stored and no `choice`, the
/// sign-in must not go ahead: [`Error::OtherTokensStored`] names them.
pub fn others_to_forget(
    stored: &[String],
    server: &ServerUrl,
    choice: Option<OtherTokens>,
) -> Result<Vec<String>> {
    let origin = server.origin();
    let others: Vec<String> = stored.iter().filter(|s| **s != origin).cloned().collect();
    match choice {
        _ if others.is_empty() => Ok(others),
        None => Err(Error::OtherTokensStored(others)),
        Some(OtherTokens::Keep) => Ok(Vec::new()),
        Some(OtherTokens::Forget) => Ok(others),
    }
}

/// Deletes the tokens stored for these origins; returns those that had one.
pub async fn delete_tokens_for(origins: Vec<String>) -> Result<Vec<String>> {
    TokenStore::os().delete_accounts(origins).await
}

/// A blocking secret store, one secret per account: the seam between the
/// rules here (no entry, patience) and the OS keyring. A secret read comes
/// back in a zeroizing buffer; one written is lent, never copied.
pub(crate) trait Secrets: Send + Sync + 'static {
    fn get(&self, account: &str) -> keyring::Result<Zeroizing<String>>;
    fn set(&self, account: &str, secret: &str) -> keyring::Result<()>;
    fn delete(&self, account: &str) -> keyring::Result<()>;
    /// Every account that has a secret under this app's service.
    fn accounts(&self) -> keyring::Result<Vec<String>>;
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

    /// The keyring crate looks up one account at a time; the Secret Service
    /// it stores into can search by service alone.
    #[cfg(target_os = "linux")]
    fn accounts(&self) -> keyring::Result<Vec<String>> {
        use secret_service::EncryptionType;
        use secret_service::blocking::SecretService;
        let decode = keyring::secret_service::decode_error;
        let service = SecretService::connect(EncryptionType::Dh).map_err(decode)?;
        let found = service
            .search_items(std::collections::HashMap::from([("service", SERVICE)]))
            .map_err(decode)?;
        let mut accounts = Vec::new();
        for item in found.unlocked.iter().chain(&found.locked) {
            if let Some(account) = item.get_attributes().map_err(decode)?.remove("username") {
                accounts.push(account);
            }
        }
        Ok(accounts)
    }

    /// Elsewhere the keyring crate offers no search: only the current
    /// server's token can be found, and deleted, by name.
    #[cfg(not(target_os = "linux"))]
    fn accounts(&self) -> keyring::Result<Vec<String>> {
        Ok(Vec::new())
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

    /// Sorted, without duplicates (one origin may hold an entry per
    /// keyring collection).
    pub(crate) async fn accounts(&self) -> Result<Vec<String>> {
        let mut accounts = self.call(|s| s.accounts()).await?.map_err(unavailable)?;
        accounts.sort();
        accounts.dedup();
        Ok(accounts)
    }

    /// Deletes the token of every account; returns those that had one.
    pub(crate) async fn delete_all(&self) -> Result<Vec<String>> {
        let accounts = self.accounts().await?;
        self.delete_accounts(accounts).await
    }

    /// Returns the accounts that had a token.
    pub(crate) async fn delete_accounts(&self, accounts: Vec<String>) -> Result<Vec<String>> {
        let deleted = self
            .call(move |s| {
                let mut deleted = Vec::new();
                for account in accounts {
                    match s.delete(&account) {
                        Ok(()) => deleted.push(account),
                        Err(keyring::Error::NoEntry) => {}
                        Err(other) => return Err(other),
                    }
                }
                Ok(deleted)
            })
            .await?
            .map_err(unavailable)?;
        Ok(deleted)
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
