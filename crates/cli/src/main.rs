//! `pmap-cli`: the headless face of PMAP Companion.
//!
//! Same core as the tray app (`companion-core`): `watch` keeps the one SSE
//! subscription open and prints the engine's decisions; the other commands
//! are thin REST calls with a readable table or `--format json` output.
//! Each subcommand lives in its own file under `commands/`.

mod commands;
mod context;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::output::{Format, FormatArg};

#[derive(Debug, Parser)]
#[command(name = "pmap-cli", version, about = "PMAP Companion from a terminal")]
struct Cli {
    /// PMAP server base URL (default: from config, set by `login`).
    #[arg(long, global = true, env = "PMAP_SERVER")]
    server: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a token (read from stdin or a prompt) and store it in the OS keyring.
    Login(commands::login::Args),
    /// Delete every stored token, whichever server it was for.
    Logout,
    /// Show the server, who is signed in, and the unread count.
    Status,
    /// Keep the event stream open and print one line per decision.
    Watch(commands::watch::Args),
    /// List inbox notifications, newest first.
    Inbox(commands::inbox::Args),
    /// Mark one notification read.
    Read { id: String },
    /// Mark every notification read.
    ReadAll,
    /// Show personal deadlines (or, with --all-kinds, the operations calendar).
    Calendar(commands::calendar::Args),
    /// Show or change notification preferences.
    #[command(subcommand)]
    Prefs(commands::prefs::Command),
    /// Check the way to the server step by step: proxy, DNS, TCP, TLS, sign-in, stream.
    Doctor(commands::doctor::Args),
}

fn main() -> ExitCode {
    // First, while the process has one thread: no child inherits the token.
    companion_core::store::take_token_from_env();
    if let Some(dir) = assets_dir() {
        return commands::assets::run(Cli::command(), &dir).unwrap_or_else(|error| {
            output::error(&format!("pmap-cli: {error:#}"));
            ExitCode::FAILURE
        });
    }
    let cli = Cli::parse();
    init_logging();
    // One thread is plenty for one stream and a few REST calls, and it
    // avoids cross-thread wake-ups on every frame (see docs/performance.md).
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(error) => {
            output::error(&format!("pmap-cli: could not start: {error}"));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Calendar(args) => commands::calendar::run(cli.server, cli.format, args).await,
        command => match cli.format.plain() {
            Ok(format) => run_plain(command, cli.server, format).await,
            Err(error) => Err(error),
        },
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            output::error(&format!("pmap-cli: {error:#}"));
            if let Some(step) = next_step(&error) {
                output::error(&format!("pmap-cli: {step}"));
            }
            ExitCode::FAILURE
        }
    }
}

/// Every command but `calendar`, which alone has an iCalendar form.
async fn run_plain(
    command: Command,
    server: Option<String>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    match command {
        Command::Login(args) => commands::login::run(server, format, args).await,
        Command::Logout => commands::logout::run(format).await,
        Command::Status => commands::status::run(server, format).await,
        Command::Watch(args) => commands::watch::run(server, format, args).await,
        Command::Inbox(args) => commands::inbox::run(server, format, args).await,
        Command::Read { id } => commands::read::one(server, format, &id).await,
        Command::ReadAll => commands::read::all(server, format).await,
        Command::Calendar(args) => commands::calendar::run(server, format.into(), args).await,
        Command::Prefs(command) => commands::prefs::run(server, format, command).await,
        Command::Doctor(args) => commands::doctor::run(server, format, args).await,
    }
}

/// `pmap-cli generate-assets DIR`, the packaging step that writes the man
/// pages and completions. It is read before clap and is not in [`Cli`]:
/// clap's completion generators list even hidden subcommands, and users
/// should not be offered this one.
fn assets_dir() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != "generate-assets" {
        return None;
    }
    args.next().map(PathBuf::from)
}

/// The command that cures a core error, where one does. The core's own
/// messages name no front end, so the CLI adds its commands here.
fn next_step(error: &anyhow::Error) -> Option<&'static str> {
    use companion_core::Error;
    match error.chain().find_map(|e| e.downcast_ref::<Error>())? {
        Error::NoToken => Some("run `pmap-cli login` (or set PMAP_TOKEN for headless use)"),
        Error::Unauthorized => Some("check the token and run `pmap-cli login` again"),
        Error::OtherTokensStored(_) => Some(
            "pass --forget-others to delete it once this sign-in succeeds, \
             or --keep-others to keep it",
        ),
        Error::UntrustedCertificate { certificate, .. } if certificate.unknown_issuer => Some(
            "to trust a company CA, run `pmap-cli login --ca-file PATH` with its PEM file \
             (or set SSL_CERT_FILE); `pmap-cli doctor` shows the whole chain",
        ),
        Error::CaFile { .. } => {
            Some("fix `ca_file` in the config, or run `pmap-cli login --ca-file PATH` again")
        }
        _ => None,
    }
}

/// Logs go to stderr (stdout is for results), quiet unless `RUST_LOG` says.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
