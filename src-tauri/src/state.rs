//! The state the tray, the sink and the commands share, and the few ways
//! to reach it from an [`AppHandle`] ([`AppState`]).
//!
//! This module sits at the bottom of the crate: it imports no feature
//! module, so every feature can use it without a cycle. What a status
//! change must reach above it (the tray, the dock badge, the window
//! title) is handed in by `lib.rs` as [`Shared::redraw`].

use std::sync::{Mutex, MutexGuard, PoisonError};

use companion_core::UserAction;
use companion_core::preferences::SeenTypes;
use companion_core::rest::Client;
use companion_core::shell::Controls;
use companion_core::store::{Config, Paths};
use tauri::{AppHandle, Manager};
use tokio::sync::oneshot;

use crate::cli::Args;
use crate::status::Status;

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
    /// The notification server's do-not-disturb (`Inhibited`), as last
    /// read; handed to each session's engine.
    pub desktop_inhibited: std::sync::atomic::AtomicBool,
    /// Brings the tray, the dock badge and the window (title and page) in
    /// line with a new status. `lib.rs` wires it, so this module need not import
    /// them.
    pub redraw: fn(&AppHandle, &Status),
}

/// A running session's handles.
pub struct Running {
    pub client: Client,
    pub controls: Controls,
    stop: oneshot::Sender<()>,
}

impl Running {
    /// `stop` ends the session's shell when sent to (or dropped).
    pub fn new(client: Client, controls: Controls, stop: oneshot::Sender<()>) -> Running {
        Running {
            client,
            controls,
            stop,
        }
    }

    /// Asks the session's shell to shut down.
    pub fn stop(self) {
        let _ = self.stop.send(());
    }
}

/// A poisoned lock only means another thread panicked mid-update; the
/// data is plain values, so keep going with it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The shared state, reached from any [`AppHandle`].
pub trait AppState {
    fn shared(&self) -> tauri::State<'_, Shared>;

    /// A snapshot of the status.
    fn status(&self) -> Status;

    /// Changes the status, then brings the tray and the window up to date.
    fn update(&self, change: impl FnOnce(&mut Status));

    /// The running session's controls, if signed in.
    fn controls(&self) -> Option<Controls>;

    /// Hands a user action to the running session's engine, if any.
    fn act(&self, action: UserAction);
}

impl AppState for AppHandle {
    fn shared(&self) -> tauri::State<'_, Shared> {
        self.state::<Shared>()
    }

    fn status(&self) -> Status {
        lock(&self.shared().status).clone()
    }

    fn update(&self, change: impl FnOnce(&mut Status)) {
        let (snapshot, redraw) = {
            let shared = self.shared();
            let mut status = lock(&shared.status);
            change(&mut status);
            (status.clone(), shared.redraw)
        };
        redraw(self, &snapshot);
    }

    fn controls(&self) -> Option<Controls> {
        lock(&self.shared().session)
            .as_ref()
            .map(|s| s.controls.clone())
    }

    fn act(&self, action: UserAction) {
        let Some(controls) = self.controls() else {
            tracing::info!(?action, "not signed in; ignored");
            return;
        };
        tauri::async_runtime::spawn(async move { controls.act(action).await });
    }
}
