//! `doctor`: what a support engineer asks a user to run. One line per step
//! (proxy, DNS, TCP, TLS, `/me`, a few seconds of the stream), each `ok`,
//! `FAIL` or `skip` with the reason; exit status 0 only if all are ok.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};
use companion_core::net::doctor::{Check, Checkup, Verdict, diagnose};
use companion_core::shell::StreamSettings;
use companion_core::store;

use crate::context::Context;
use crate::output::{self, Format, terminal};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seconds to listen to the event stream.
    #[arg(long, default_value_t = 3.0)]
    listen: f64,
}

pub async fn run(server: Option<String>, format: Format, args: Args) -> Result<ExitCode> {
    let ctx = Context::load(server)?;
    let listen = Duration::try_from_secs_f64(args.listen)
        .context("--listen must be a positive number of seconds")?;
    let token = store::load_token(&ctx.server)
        .await
        .map(|(token, _)| token)
        .map_err(|error| match error {
            companion_core::Error::NoToken => {
                format!("{error}; run `pmap-cli login`")
            }
            other => other.to_string(),
        });
    if format == Format::Text {
        output::line(&format!(
            "pmap-cli {} checking {}",
            env!("CARGO_PKG_VERSION"),
            ctx.server
        ));
    }
    let checkup = Checkup {
        server: ctx.server.clone(),
        network: ctx.config.network.clone(),
        token,
        listen,
        settings: StreamSettings::default(),
    };
    let checks = diagnose(checkup, |check| show(format, check)).await;
    let all_ok = checks.iter().all(|c| c.verdict == Verdict::Ok);
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn show(format: Format, check: &Check) {
    match format {
        Format::Json => output::json_line(check),
        Format::Text => {
            let verdict = match check.verdict {
                Verdict::Ok => "ok",
                Verdict::Fail => "FAIL",
                Verdict::Skip => "skip",
            };
            output::line(&format!(
                "{verdict:<4}  {:<6}  {}",
                check.step,
                terminal::visible(&check.detail)
            ));
        }
    }
}
