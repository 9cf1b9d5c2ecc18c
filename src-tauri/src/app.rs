//! Builds the Tauri app: shared state, plugins, the tray, commands, and
//! the event loop that keeps running with no window open.

use std::process::ExitCode;
use std::sync::{Mutex, MutexGuard, PoisonError};

use companion_core::UserAction;
use companion_core::preferences::SeenTypes;
use companion_core::shell::Controls;
use companion_core::store::{Config, Paths, json_file};
use tauri::{AppHandle, Emitter, Manager, RunEvent};

use crate::cli::{Args, View};
use crate::notify::Notifier;
use crate::session::Running;
use crate::status::Status;
use crate::{commands, session, tray, window};

/// Everything the app shares between the tray, the sink and commands.
/// Locks are held for a few statements, never across an `await`.
pub struct Shared {
    pub args: Args,
    pub paths: Option<Paths>,
    pub config: Mutex<Config>,
    pub status: Mutex<Status>,
    pub session: Mutex<Option<Running>>,
    /// Event types outside the catalog the stream has shown, for the
    /// Preferences grid.
    pub seen_types: Mutex<SeenTypes>,
    pub notifier: Notifier,
}

/// A poisoned lock only means another thread panicked mid-update; the
/// data is plain values, so keep going with it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn shared(app: &AppHandle) -> tauri::State<'_, Shared> {
    app.state::<Shared>()
}

pub fn status(app: &AppHandle) -> Status {
    lock(&shared(app).status).clone()
}

/// Changes the status, then brings the tray and the window up to date.
pub fn update(app: &AppHandle, change: impl FnOnce(&mut Status)) {
    let snapshot = {
        let shared = shared(app);
        let mut status = lock(&shared.status);
        change(&mut status);
        status.clone()
    };
    tray::refresh(app, &snapshot);
    let _ = app.emit("status", &snapshot);
}

pub fn controls(app: &AppHandle) -> Option<Controls> {
    lock(&shared(app).session)
        .as_ref()
        .map(|s| s.controls.clone())
}

/// Hands a user action to the running session's engine, if any.
pub fn act(app: &AppHandle, action: UserAction) {
    let Some(controls) = controls(app) else {
        tracing::info!(?action, "not signed in; ignored");
        return;
    };
    tauri::async_runtime::spawn(async move { controls.act(action).await });
}

pub fn run(args: Args) -> ExitCode {
    let paths = match Paths::from_env() {
        Ok(paths) => Some(paths),
        Err(error) => {
            tracing::warn!(%error, "no config directory; settings will not be saved");
            None
        }
    };
    let config = match &paths {
        Some(paths) => json_file::load_or_default(&paths.config_file).unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read the config; using defaults");
            Config::default()
        }),
        None => Config::default(),
    };
    let open_at_start = args.open;
    let demo = args.demo;
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::open(app, View::Inbox);
        }))
        .invoke_handler(commands::handler())
        .setup(move |app| {
            let handle = app.handle().clone();
            let notifier = Notifier::start(handle.clone());
            app.manage(Shared {
                args,
                paths,
                config: Mutex::new(config),
                status: Mutex::new(Status::new(demo)),
                session: Mutex::new(None),
                seen_types: Mutex::new(SeenTypes::default()),
                notifier,
            });
            tray::build(&handle, &status(&handle))?;
            tauri::async_runtime::spawn(session::start_at_launch(handle.clone()));
            if let Some(view) = open_at_start {
                window::open(&handle, view);
            }
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(error) => {
            eprintln!("pmap-companion: could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|app, event| match event {
        // Closing the last window keeps the tray; only Quit exits.
        RunEvent::ExitRequested {
            api, code: None, ..
        } => api.prevent_exit(),
        RunEvent::Exit => session::stop(app),
        _ => {}
    });
    ExitCode::SUCCESS
}
