//! Keeps the idle tray small (see "Idle memory" in docs/tray-app.md).
//!
//! GTK 3 on X11 initialises GLX while it opens the display, only to pick
//! visuals; on Mesa that loads the software driver and with it libLLVM
//! (about 25 MB, a third of it relocated, private pages), which a tray
//! never uses. `GDK_GL=disable` skips that. WebKit then renders the window
//! without GPU acceleration ("GTK failed to initialize GL"), which paints
//! the same for this small UI. The variable is only set when the user has
//! not set it, and is kept away from programs the app starts (the browser).

use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};

const GDK_GL: &str = "GDK_GL";

static SET_GDK_GL: AtomicBool = AtomicBool::new(false);

/// Disables GTK's GL unless the user chose otherwise. Call first thing in
/// `main`, while the process has one thread and before GTK starts.
#[allow(unsafe_code)]
pub fn before_gtk() {
    if std::env::var_os(GDK_GL).is_some() {
        return;
    }
    // SAFETY: `main` calls this before it starts any thread or library
    // that could read the environment concurrently.
    unsafe { std::env::set_var(GDK_GL, "disable") };
    SET_GDK_GL.store(true, Ordering::Relaxed);
}

/// Environment variables a program started by the app should not inherit.
pub fn unset_for_children() -> impl Iterator<Item = &'static OsStr> {
    SET_GDK_GL
        .load(Ordering::Relaxed)
        .then_some(OsStr::new(GDK_GL))
        .into_iter()
}
