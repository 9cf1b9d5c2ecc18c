//! # pmap-companion
//!
//! The PMAP Companion tray app: a Tauri 2 shell around `companion-core`.
//! Every product rule (what pops up, the exact badge, quiet hours, pause,
//! reminders) lives in the core's `Engine`; this crate only carries its
//! effects to the desktop and the user's clicks back to it.
//!
//! - [`session`] signs in (keyring, `--demo`, or `PMAP_SERVER`/`PMAP_TOKEN`
//!   for tests) and runs the core shell for one signed-in session.
//! - [`sink`] is the [`companion_core::EffectSink`]: it keeps the [`status`]
//!   current and drives the [`tray`] (icon, badge, menu), the [`notify`]
//!   pop-ups and the window's live updates.
//! - [`window`] creates the one window on demand and destroys it on close,
//!   so an idle tray holds no webview; [`commands`] is all the webview may
//!   call. The token goes from the sign-in form to the keyring and never
//!   back to JavaScript.

mod app;
mod autostart;
mod cli;
mod commands;
mod demo;
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

use clap::Parser;

fn main() -> std::process::ExitCode {
    memory::before_gtk();
    let args = cli::Args::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("PMAP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    app::run(args)
}
