//! `watch`: keep the one event subscription open and print each decision
//! of the engine (`--format json`: one object per line), or with `--raw`
//! every SSE message the parser produced, before any decoding.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use companion_core::Effect;
use companion_core::rest::Client;
use companion_core::shell::{self, Exit, Session, SessionSetup, StreamEvent, StreamSettings};
use companion_core::sse::SseItem;
use companion_core::sse::backoff::BackoffPolicy;
use serde_json::json;
use tokio::sync::{Notify, mpsc};

use super::watch_output::EffectPrinter;
use crate::context::Context;
use crate::output::{self, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print every SSE message (`{"event","data","id"}`) instead of decisions.
    #[arg(long)]
    raw: bool,
    /// Seconds without a byte (frame or heartbeat) before reconnecting.
    #[arg(long, default_value_t = 45.0, hide = true)]
    idle_timeout: f64,
    /// Seconds to wait for the stream's response headers.
    #[arg(long, default_value_t = 15.0, hide = true)]
    answer_timeout: f64,
    /// Seconds before retrying after a captive portal answered.
    #[arg(long, default_value_t = 300.0, hide = true)]
    portal_retry: f64,
    /// First reconnect delay ceiling, in seconds.
    #[arg(long, default_value_t = 0.5, hide = true)]
    backoff_base: f64,
    /// Largest reconnect delay, in seconds.
    #[arg(long, default_value_t = 60.0, hide = true)]
    backoff_max: f64,
    /// Largest accepted event, in bytes.
    #[arg(long, default_value_t = 1 << 20, hide = true)]
    max_frame: usize,
    /// Also show the morning agenda (the desktop app shows it on working
    /// days at the configured time; a terminal session asks for it).
    #[arg(long)]
    agenda: bool,
}

impl Args {
    fn settings(&self) -> Result<StreamSettings> {
        let secs = |name: &str, value: f64| {
            Duration::try_from_secs_f64(value)
                .with_context(|| format!("--{name} must be a positive number of seconds"))
        };
        Ok(StreamSettings {
            idle_timeout: secs("idle-timeout", self.idle_timeout)?,
            answer_timeout: secs("answer-timeout", self.answer_timeout)?,
            portal_retry: secs("portal-retry", self.portal_retry)?,
            max_frame: self.max_frame,
            backoff: BackoffPolicy {
                base: secs("backoff-base", self.backoff_base)?,
                cap: secs("backoff-max", self.backoff_max)?,
                ..BackoffPolicy::default()
            },
        })
    }
}

pub async fn run(server: Option<String>, format: Format, args: Args) -> Result<ExitCode> {
    let ctx = Context::load(server)?;
    let client = ctx.client().await?;
    let settings = args.settings()?;
    if args.raw {
        return raw(client, settings).await;
    }
    let printer = EffectPrinter::new(format);
    let mut prefs = ctx.config.prefs.clone();
    prefs.agenda.enabled &= args.agenda;
    let setup = SessionSetup {
        settings,
        ..SessionSetup::new(prefs, Some(ctx.paths.ledger_file.clone()))
    };
    let identified = Session::identify(client, setup, |state, error| {
        tracing::warn!(%error, "cannot identify the user yet");
        printer.show(&Effect::SetConnection(state.clone()));
    })
    .await;
    let session = match identified {
        Ok(session) => session,
        Err(companion_core::Error::Unauthorized) => return Ok(signed_out()),
        Err(error) => {
            return Err(error).with_context(|| format!("could not start watching {}", ctx.server));
        }
    };
    if format == Format::Text {
        output::line(&format!(
            "Watching {} as {} (Ctrl-C to stop)",
            ctx.server,
            session.me().name
        ));
    }
    let (controls, inputs) = shell::controls();
    // Resume and network changes from logind and NetworkManager.
    tokio::spawn(shell::watch_system_bus(controls));
    // Once started, hand back the pages only start-up needed (a long
    // watch idles at about half its start-up size).
    #[cfg(target_os = "linux")]
    tokio::spawn(async {
        tokio::time::sleep(shell::TRIM_AFTER).await;
        let trimmed_kib = shell::trim_start_up_pages();
        tracing::debug!(trimmed_kib, "start-up pages handed back");
    });
    let shell = session.into_shell(printer);
    let (exit, stats) = shell::run(shell, inputs, shutdown_signal()).await;
    if format == Format::Json {
        output::json_line(&json!({ "stats": stats }));
    }
    Ok(match exit {
        Exit::Shutdown => ExitCode::SUCCESS,
        Exit::SignedOut => signed_out(),
        Exit::Stopped(reason) => {
            output::error(&format!("pmap-cli: the event stream stopped: {reason}"));
            ExitCode::from(4)
        }
    })
}

/// Exit code 3: the token was rejected.
fn signed_out() -> ExitCode {
    eprintln!(
        "pmap-cli: signed out: the server rejected the token (401); run `pmap-cli login` again"
    );
    ExitCode::from(3)
}

/// `--raw`: the supervisor alone, printing parser output.
async fn raw(client: Client, settings: StreamSettings) -> Result<ExitCode> {
    let (tx, mut rx) = mpsc::channel(8);
    let supervisor = tokio::spawn(shell::supervise(
        client,
        settings,
        tx,
        Arc::new(Notify::new()),
    ));
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    let code = loop {
        tokio::select! {
            _ = &mut shutdown => break ExitCode::SUCCESS,
            event = rx.recv() => match event {
                Some(StreamEvent::Items(items)) => {
                    for item in items {
                        if let SseItem::Message(message) = item {
                            output::json_line(&message);
                        }
                    }
                }
                Some(StreamEvent::Failed { kind, retry_in: None, .. }) => {
                    output::error(&format!("pmap-cli: the event stream stopped: {kind:?}"));
                    break ExitCode::from(4);
                }
                Some(_) => {}
                None => break ExitCode::from(4),
            },
        }
    };
    supervisor.abort();
    Ok(code)
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
