//! Builds the Tauri app: shared state, plugins, the tray, commands, and
//! the event loop that keeps running with no window open.

use std::process::ExitCode;
use std::sync::Mutex;

use companion_core::preferences::SeenTypes;
use companion_core::store::{Config, Paths, json_file};
use tauri::{Manager, RunEvent};

use crate::cli::{Args, View};
use crate::notify::Notifier;
use crate::state::{AppState, Shared};
use crate::status::Status;
use crate::{commands, session, tray, window};

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
            app.manage(Notifier::start(handle.clone()));
            app.manage(Shared {
                args,
                paths,
                config: Mutex::new(config),
                status: Mutex::new(Status::new(demo)),
                session: Mutex::new(None),
                seen_types: Mutex::new(SeenTypes::default()),
                redraw: tray::refresh,
            });
            tray::build(&handle, &handle.status())?;
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
