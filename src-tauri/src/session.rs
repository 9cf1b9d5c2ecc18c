//! One signed-in session: the core shell running against one server with
//! one token, plus the handles the tray and commands use to talk to it.
//!
//! At launch the token comes from `--demo` (the in-process simulator's
//! demo token), `PMAP_TOKEN` (tests, headless use) or the keyring; the
//! server from `--demo`, `--server`/`PMAP_SERVER` or the saved config.

use chrono::Utc;
use companion_core::net::Network;
use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::{self, Exit, Session, SessionSetup};
use companion_core::store::{self, TokenSource};
use companion_core::{ConnectionState, Error};
use tauri::AppHandle;
use tokio::sync::oneshot;

use crate::cli::View;
use crate::sink::AppSink;
use crate::state::{AppState, Running, lock};
use crate::status::{Account, Pause};
use crate::{demo, window};

/// Signs in with what the launch provides, or shows the sign-in view.
pub async fn start_at_launch(app: AppHandle) {
    let args = app.shared().args.clone();
    let (server, token, saved) = if args.demo {
        match demo::start(&app).await {
            Ok(url) => (url, Token::new(demo::TOKEN), false),
            Err(error) => {
                tracing::error!(%error, "could not start the demo simulator");
                return;
            }
        }
    } else {
        let saved_server = lock(&app.shared().config).server.clone();
        let Some(raw) = args.server.clone().or(saved_server) else {
            window::open(&app, View::SignIn);
            return;
        };
        let server = match ServerUrl::parse(&raw) {
            Ok(server) => server,
            Err(error) => return signed_out(&app, Some(error.to_string())),
        };
        match store::load_token(&server).await {
            Ok((token, source)) => (server, Some(token), source == TokenSource::Keyring),
            Err(Error::NoToken) => return signed_out(&app, None),
            Err(error) => return signed_out(&app, Some(error.to_string())),
        }
    };
    let Some(token) = token else { return };
    let client = match Client::with_network(server, token, &network(&app)) {
        Ok(client) => client,
        Err(error) => return signed_out(&app, Some(error.to_string())),
    };
    // While the server cannot be reached the tray shows "reconnecting".
    let identified = Session::identify(client, setup(&app), |state, error| {
        tracing::warn!(%error, "could not reach the server; retrying");
        app.update(|s| s.record_connection(state, Utc::now()));
    })
    .await;
    match identified {
        Ok(session) => start(&app, session, saved),
        Err(error) => signed_out(&app, Some(error.to_string())),
    }
}

/// What this machine brings to a session: the saved local preferences and
/// the ledger file (none when there is no state directory).
pub fn setup(app: &AppHandle) -> SessionSetup {
    let shared = app.shared();
    let prefs = lock(&shared.config).prefs.clone();
    let ledger_file = shared.paths.as_ref().map(|p| p.ledger_file.clone());
    SessionSetup::new(prefs, ledger_file)
}

/// The saved network settings: a company CA file, a proxy.
pub fn network(app: &AppHandle) -> Network {
    lock(&app.shared().config).network.clone()
}

fn signed_out(app: &AppHandle, notice: Option<String>) {
    if let Some(notice) = &notice {
        tracing::warn!(notice, "signed out");
    }
    app.update(|s| {
        s.account = None;
        s.connection = ConnectionState::SignedOut;
        s.notice = notice;
    });
    window::open(app, View::SignIn);
}

/// Runs `session` on the core shell, replacing any session.
pub fn start(app: &AppHandle, session: Session, token_saved: bool) {
    stop(app);
    let client = session.client().clone();
    let server = client.server().clone();
    let me = session.me().clone();
    let (controls, inputs) = shell::controls();
    // Resume and network changes; ends with the session.
    tauri::async_runtime::spawn(shell::watch_system_bus(controls.clone()));
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let shell = session.into_shell(AppSink::new(app.clone()));
    app.update(|s| {
        s.account = Some(Account {
            server: server.to_string(),
            origin: server.origin(),
            user_id: me.id.clone(),
            name: me.name.clone(),
            email: me.email.clone(),
            token_saved,
            companies: me.companies.clone(),
        });
        s.connection = ConnectionState::Connecting;
        s.unread = None;
        s.attention = false;
        s.pause = Pause::No;
    });
    tracing::info!(server = %server, user = %me.id, "signed in");
    let inhibited = app
        .shared()
        .desktop_inhibited
        .load(std::sync::atomic::Ordering::Relaxed);
    if inhibited {
        let controls = controls.clone();
        tauri::async_runtime::spawn(async move { controls.desktop_inhibited(true).await });
    }
    *lock(&app.shared().session) = Some(Running::new(client, controls, stop_tx));
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let shutdown = async {
            let _ = stop_rx.await;
        };
        let (exit, stats) = shell::run(shell, inputs, shutdown).await;
        tracing::info!(?exit, ?stats, "session ended");
        match exit {
            Exit::Shutdown => {}
            Exit::SignedOut => app.update(|s| {
                s.connection = ConnectionState::SignedOut;
                s.notice = Some("The server rejected the token (401): sign in again.".into());
            }),
            Exit::Stopped(reason) => app.update(|s| s.connection = ConnectionState::Error(reason)),
        }
    });
}

/// Stops the running session, if any.
pub fn stop(app: &AppHandle) {
    let running = lock(&app.shared().session).take();
    if let Some(running) = running {
        running.stop();
    }
}
