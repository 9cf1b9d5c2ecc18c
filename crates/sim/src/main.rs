//! `pmap-sim`: run the simulator from the command line.
//!
//! Prints exactly one line, `listening on http://127.0.0.1:<port>`, to
//! stdout once ready; logs go to stderr (`RUST_LOG`, default `info`).
//! With `--tls` the line is `listening on https://127.0.0.1:<port> (CA
//! certificate in <file>)`: the CA made for this run is written to
//! `--tls-ca-out`, or to a file in the temporary directory, before the line.
//! SIGINT and SIGTERM shut down gracefully with exit status 0.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, ValueEnum};
use pmap_sim::{Scenario, SimConfig, TlsConfig};
use tokio::signal::unix::{SignalKind, signal};
use tracing_subscriber::EnvFilter;

/// A PMAP-compatible server with demo data and fault injection.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Enable the /_sim/* control endpoints (loopback addresses only).
    #[arg(long)]
    control: bool,
    /// Idle seconds between `: heartbeat` comments (fractions allowed).
    #[arg(long, default_value_t = 20.0, value_parser = parse_seconds)]
    heartbeat_secs: f64,
    /// Frames each stream may queue before frames are dropped for it.
    #[arg(long, default_value_t = 256)]
    buffer: usize,
    /// Generated background activity.
    #[arg(long, value_enum, default_value_t = ScenarioArg::None)]
    scenario: ScenarioArg,
    /// Steady synthetic load in events per second.
    #[arg(long)]
    rate: Option<f64>,
    /// Serve https with a certificate authority made at start.
    #[arg(long)]
    tls: bool,
    /// Where to write that CA's certificate (PEM).
    #[arg(long, requires = "tls")]
    tls_ca_out: Option<PathBuf>,
    /// Another name for the server certificate (repeatable).
    #[arg(long, requires = "tls")]
    tls_name: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScenarioArg {
    None,
    Demo,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if seconds.is_finite() && seconds > 0.0 {
        Ok(seconds)
    } else {
        Err("the interval must be a positive number of seconds".to_string())
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let config = SimConfig {
        addr: args.addr,
        control: args.control,
        heartbeat: Duration::from_secs_f64(args.heartbeat_secs),
        buffer: args.buffer,
        scenario: match args.scenario {
            ScenarioArg::None => Scenario::None,
            ScenarioArg::Demo => Scenario::Demo,
        },
        rate: args.rate,
        tls: args.tls.then(|| TlsConfig {
            extra_names: args.tls_name.clone(),
        }),
    };
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    let sim = pmap_sim::start(config).await?;
    let mut ready = format!("listening on {}", sim.url());
    if let Some(pem) = sim.ca_pem() {
        let path = args.tls_ca_out.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!("pmap-sim-{}-ca.pem", sim.addr().port()))
        });
        std::fs::write(&path, pem)
            .with_context(|| format!("cannot write the CA certificate to {}", path.display()))?;
        ready.push_str(&format!(" (CA certificate in {})", path.display()));
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{ready}").context("cannot write to stdout")?;
    stdout.flush().context("cannot flush stdout")?;
    drop(stdout);
    tokio::select! {
        _ = terminate.recv() => tracing::info!("SIGTERM: shutting down"),
        _ = interrupt.recv() => tracing::info!("SIGINT: shutting down"),
    }
    sim.shutdown().await;
    Ok(())
}
