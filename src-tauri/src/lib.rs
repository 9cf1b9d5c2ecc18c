//! # pmap-companion
//!
//! The PMAP Companion tray app: a Tauri 2 shell around `companion-core`.
//! Every product rule (what pops up, the exact badge, quiet hours, pause,
//! reminders) lives in the core's `Engine`; this crate only carries its
//! effects to the desktop and the user's clicks back to it.
//!
//! - `session` signs in (keyring, `--demo`, or `PMAP_SERVER`/`PMAP_TOKEN`
//!   for tests) and runs the core shell for one signed-in session.
//! - `sink` is the [`companion_core::EffectSink`]: it keeps the `status`
//!   current and drives the `tray` (icon, badge, menu), the `notify`
//!   pop-ups and the window's live updates.
//! - `window` runs the one window in a process of its own, started on
//!   demand and ended when the window closes, so the tray never holds a
//!   webview; `commands` is all the page may call, forwarded by name from
//!   that process. The token goes from the sign-in form to the keyring
//!   and never back to JavaScript.
//!
//! ## Layers
//!
//! Modules depend one way, so each can be read knowing only what is below
//! it; `tests/layering.rs` fails if a cycle comes back.
//!
//! 1. The low layer imports no feature: `cli` (the arguments),
//!    `desktop_entry` (the id the desktop files the app under), `error`,
//!    `models` (what the webview receives), `status` (the snapshot the
//!    tray and the window show), `memory`, and `state`, which owns the
//!    shared state and reaches it from any `AppHandle` through the
//!    `AppState` trait (`app.shared()`, `app.status()`,
//!    `app.update(|s| ..)`, `app.act(action)`).
//! 2. Features use the low layer and only features listed before them:
//!    `links`, `window`, `autostart`, `demo`, `dock`, `notify`, `sink`,
//!    `session`, `signin`, `tray`, `commands`.
//! 3. This file wires them together and nothing imports it: it manages
//!    the state, the notifier and the dock, hands [`redraw`] (the tray,
//!    the dock badge, the window title) to the state as the hook every
//!    status change calls, registers the commands, and runs the event
//!    loop. `main.rs` only calls [`run`].

mod autostart;
mod calendar_file;
mod cli;
mod commands;
mod demo;
mod desktop_entry;
mod dock;
mod error;
mod links;
mod memory;
mod models;
mod notify;
mod session;
mod signin;
mod sink;
mod state;
mod status;
mod tray;
mod window;

use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;
use companion_core::preferences::SeenTypes;
use companion_core::store::{Config, Paths, json_file};
use tauri::{Manager, RunEvent};

pub use desktop_entry::DESKTOP_ID;

use cli::{Args, View};
use dock::Dock;
use notify::Notifier;
use state::{AppState, Shared};
use status::Status;
use window::WindowHost;

/// Starts the tray app: parses the arguments, sets up logging, then builds
/// and runs the Tauri app until the user quits. With `--window-process`
/// it is the window the app started instead (see `window`).
pub fn run() -> ExitCode {
    // First, while the process has one thread: no child inherits the token.
    companion_core::store::take_token_from_env();
    memory::before_gtk();
    let args = Args::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("PMAP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    if args.window_process {
        return window::run_process();
    }
    memory::one_malloc_arena();
    build_and_run(args)
}

/// Brings everything that shows the status in line with it: the tray,
/// the dock badge and an open window (its title and page).
fn redraw(app: &tauri::AppHandle, status: &Status) {
    tray::refresh(app, status);
    dock::refresh(app, status);
    window::update(app, status);
}

/// Builds the Tauri app (shared state, plugins, the tray, commands) and
/// runs the event loop, which keeps running with no window open.
fn build_and_run(args: Args) -> ExitCode {
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
    let status = Status {
        server: args.server.clone().or_else(|| config.server.clone()),
        ..Status::new(demo)
    };
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::open(app, View::Inbox);
        }))
        .setup(move |app| {
            let handle = app.handle().clone();
            app.manage(WindowHost::new(commands::dispatch));
            app.manage(Notifier::start(handle.clone()));
            app.manage(Dock::start());
            app.manage(Shared {
                args,
                paths,
                config: Mutex::new(config),
                status: Mutex::new(status),
                session: Mutex::new(None),
                seen_types: Mutex::new(SeenTypes::default()),
                desktop_inhibited: Default::default(),
                redraw,
            });
            tray::build(&handle, &handle.status())?;
            // The tray item is built anyway: a panel that comes later
            // (a GNOME extension turned on) still finds it.
            let tray_shown = tray::host::present();
            if !tray_shown {
                tracing::info!(
                    "no StatusNotifierWatcher on the session bus: no tray; opening the window"
                );
            }
            tauri::async_runtime::spawn(session::start_at_launch(handle.clone()));
            tauri::async_runtime::spawn(async {
                tokio::time::sleep(memory::TRIM_AFTER).await;
                let trimmed_kib = memory::trim_start_up_pages();
                tracing::info!(trimmed_kib, "start-up pages handed back");
            });
            match open_at_start {
                Some(view) => window::open(&handle, view),
                None if !tray_shown => window::open(&handle, View::Inbox),
                None => {}
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
