//! Sign-in and sign-out. The token typed into the sign-in form crosses
//! into Rust once, is checked with `/api/v1/me`, and goes to the OS keyring;
//! nothing sends it back to the webview, and it is never logged or written
//! to a file. If the keyring is locked or missing, the session keeps the
//! token in memory only and the user is told so.

use companion_core::ConnectionState;
use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::Session;
use companion_core::store::{self, json_file};
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

pub async fn sign_in(app: &AppHandle, server: &str, token: &str) -> Result<SignedIn> {
    let server = ServerUrl::parse(server)?;
    let token = Token::new(token).ok_or(AppError::EmptyToken)?;
    let client = Client::new(server.clone(), token.clone())?;
    let me = client.me().await?;
    let notice = match store::store_token(&server, &token).await {
        Ok(()) => None,
        Err(error) => {
            tracing::warn!(%error, "token not saved; keeping it for this session only");
            Some(format!(
                "Signed in for this session only ({error}). Unlock or install a keyring \
                 (Secret Service) and sign in again to stay signed in."
            ))
        }
    };
    let saved = notice.is_none();
    save_server(app, &server);
    session::start(app, Session::new(client, me, session::setup(app)), saved);
    app.update(|s| s.notice = notice.clone());
    let account = app.status().account.ok_or(AppError::NotSignedIn)?;
    Ok(SignedIn { account, notice })
}

/// Stops the session and deletes the saved token for its server.
pub async fn sign_out(app: &AppHandle) {
    let account = app.status().account;
    session::stop(app);
    let mut notice = None;
    if let Some(account) = account.filter(|a| a.token_saved)
        && let Ok(server) = ServerUrl::parse(&account.server)
    {
        match store::delete_token(&server).await {
            Ok(_) => tracing::info!("token deleted from the keyring"),
            Err(error) => {
                notice = Some(format!("Signed out, but the keyring entry stays: {error}"));
            }
        }
    }
    app.update(|s| {
        s.account = None;
        s.connection = ConnectionState::SignedOut;
        s.unread = None;
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
