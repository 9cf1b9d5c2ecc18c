//! Sign-in and sign-out. The token typed into the sign-in form crosses
//! into Rust once, is checked with `/api/v1/me`, and goes to the OS keyring;
//! nothing sends it back to the webview, and it is never logged or written
//! to a file. If the keyring is locked or missing, the session keeps the
//! token in memory only and the user is told so.

use companion_core::ConnectionState;
use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::Session;
use companion_core::store::{self, OtherTokens, json_file};
use tauri::AppHandle;

use crate::error::{AppError, Result};
use crate::session;
use crate::state::{AppState, lock};
use crate::status::Account;

/// What the sign-in form shows afterwards.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SignedIn {
    pub account: Account,
    /// Set when the token could not be saved (locked or missing keyring).
    pub notice: Option<String>,
}

/// Signs in. With tokens for other servers stored, `others` must say
/// whether to forget them (the form asks; see [`stored_servers`]).
pub async fn sign_in(
    app: &AppHandle,
    server: &str,
    token: &str,
    others: Option<OtherTokens>,
    ca_file: Option<&str>,
) -> Result<SignedIn> {
    let server = ServerUrl::parse(server)?;
    let token = Token::new(token).ok_or(AppError::EmptyToken)?;
    // A keyring that cannot be read has nothing to forget; storing the new
    // token will then fail too and say why.
    let stored = store::stored_servers().await.unwrap_or_default();
    let forget = store::others_to_forget(&stored, &server, others)?;
    // A company CA given on the form is tried first and kept only if the
    // sign-in works with it; an empty field keeps the saved one.
    let mut network = session::network(app);
    if let Some(path) = ca_file.map(str::trim).filter(|p| !p.is_empty()) {
        network.ca_file = Some(std::path::absolute(path).map_err(|e| AppError::Io(e.to_string()))?);
    }
    let client = Client::with_network(server.clone(), token.clone(), &network)?;
    let me = client.me().await?;
    let notice = match store::store_token(&server, &token).await {
        Ok(()) => forget_others(forget).await,
        Err(error) => {
            tracing::warn!(%error, "token not saved; keeping it for this session only");
            Some(format!(
                "Signed in for this session only ({error}). Unlock or install a keyring \
                 (Secret Service) and sign in again to stay signed in."
            ))
        }
    };
    let saved = notice.is_none();
    lock(&app.shared().config).network.ca_file = network.ca_file.clone();
    save_server(app, &server);
    session::start(app, Session::new(client, me, session::setup(app)), saved);
    app.update(|s| {
        s.notice = notice.clone();
        s.server = Some(server.to_string());
    });
    let account = app.status().account.ok_or(AppError::NotSignedIn)?;
    Ok(SignedIn { account, notice })
}

/// The origins the keyring holds a token for, so the form can ask what to
/// do with them before a sign-in.
pub async fn stored_servers() -> Result<Vec<String>> {
    Ok(store::stored_servers().await?)
}

async fn forget_others(origins: Vec<String>) -> Option<String> {
    if origins.is_empty() {
        return None;
    }
    match store::delete_tokens_for(origins).await {
        Ok(deleted) => {
            tracing::info!(count = deleted.len(), "other servers' tokens deleted");
            None
        }
        Err(error) => Some(format!(
            "Signed in, but the other servers' tokens stay in the keyring: {error}"
        )),
    }
}

/// Stops the session and deletes every token the app stored, whichever
/// server it was for. A `--demo` session never touched the keyring and
/// leaves it alone.
pub async fn sign_out(app: &AppHandle) {
    session::stop(app);
    let mut notice = None;
    if !app.shared().args.demo {
        match store::delete_all_tokens().await {
            Ok(deleted) => tracing::info!(count = deleted.len(), "tokens deleted from the keyring"),
            Err(error) => {
                notice = Some(format!("Signed out, but the keyring entries stay: {error}"));
            }
        }
    }
    app.update(|s| {
        s.account = None;
        s.connection = ConnectionState::SignedOut;
        s.unread = None;
        s.attention = false;
        s.notice = notice;
    });
}

/// Remembers the server (never the token) unless it came from the command
/// line, the environment or `--demo`.
fn save_server(app: &AppHandle, server: &ServerUrl) {
    let shared = app.shared();
    if shared.args.demo || shared.args.server.is_some() {
        return;
    }
    let mut config = lock(&shared.config);
    config.server = Some(server.to_string());
    if let Some(paths) = &shared.paths
        && let Err(error) = json_file::save(&paths.config_file, &*config)
    {
        tracing::warn!(%error, "could not save the config");
    }
}
