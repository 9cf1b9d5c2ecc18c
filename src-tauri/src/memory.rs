//! Keeps the idle tray small (see "Idle memory" in docs/tray-app.md).
//!
//! Two things here. First, GL stays off (below). Second, once the tray is
//! running, [`trim_start_up_pages`] (in `companion_core::shell`, which
//! `pmap-cli watch` uses too) hands back the pages that only starting
//! needed: the relocation and symbol tables the dynamic linker
//! read through (7 MB for WebKit alone, which the tray links but never
//! calls now that the window has its own process), the five speech
//! voices' tables, and start-up code. They are clean, read-only pages of
//! files, so the kernel drops them from the tray's memory with nothing
//! lost; any the tray touches again are read back from the file.
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

pub use companion_core::shell::{TRIM_AFTER, trim_start_up_pages};

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

/// Makes every thread allocate from malloc's one main arena. glibc gives
/// threads arenas of their own for speed under contention, which the
/// tray's mostly sleeping threads never see; each arena keeps its own
/// touched pages (about 2 MB in all, idle). Call in the tray (not the
/// window process) before it starts a thread.
#[allow(unsafe_code)]
pub fn one_malloc_arena() {
    // SAFETY: `mallopt` with M_ARENA_MAX only sets a limit malloc reads
    // when a thread first allocates.
    unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) };
}
