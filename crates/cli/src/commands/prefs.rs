//! `prefs get` and `prefs set KEY on|off`.
//!
//! Keys (`companion_core::preferences::PreferenceKey`): `popup.<type>` and
//! `sound.<type>` are local (this machine's config); a server channel's
//! `<channel>.<type>`, or a bare `<type>` (legacy: all server channels), go
//! to the server's matrix. A type this client does not know is sent all the
//! same: the catalog is open, and the server says whether it accepts it.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use companion_core::preferences::{self, LocalChannel, PreferenceKey, ServerChannel};
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show the event type × channel grid (local and server channels): every
    /// catalog type, then any other type the server's matrix names.
    Get,
    /// Turn one cell on or off, e.g. `popup.finding_updated on`, `email.sla_breached off`.
    Set {
        key: String,
        #[arg(value_parser = ["on", "off"])]
        value: String,
    },
}

pub async fn run(server: Option<String>, format: Format, command: Command) -> Result<ExitCode> {
    let mut ctx = Context::load(server)?;
    match command {
        Command::Get => {
            let server_prefs = ctx.client().await?.preferences().await?;
            print_grid(&ctx, &server_prefs.preferences, format);
        }
        Command::Set { key, value } => {
            let on = value == "on";
            let key: PreferenceKey = key.parse()?;
            match key.local_channel() {
                Some(channel) => {
                    let cells = match channel {
                        LocalChannel::Popup => &mut ctx.config.prefs.popup,
                        LocalChannel::Sound => &mut ctx.config.prefs.sound,
                    };
                    cells.insert(key.event_type.to_string(), on);
                    ctx.save_config()?;
                }
                None => {
                    let client = ctx.client().await?;
                    client
                        .set_preference(&key, on)
                        .await
                        .with_context(|| format!("could not set {key} on the server"))?;
                }
            }
            match format {
                Format::Json => output::json_line(&json!({"key": key.to_string(), "on": on})),
                Format::Text => output::line(&format!("{key} = {value}")),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_grid(ctx: &Context, server_prefs: &BTreeMap<String, bool>, format: Format) {
    let local = &ctx.config.prefs;
    let mut grid = serde_json::Map::new();
    let mut rows = Vec::new();
    for row in preferences::grid(local, server_prefs, []) {
        let name = row.event_type.as_str();
        let mut cells = json!({"popup": row.popup, "sound": row.sound.as_str()});
        for (channel, on) in &row.server {
            cells[channel.as_str()] = json!(on);
        }
        grid.insert(name.to_owned(), cells);
        let mark = |on: bool| if on { "on" } else { "-" }.to_owned();
        let mut line = vec![
            name.to_owned(),
            mark(row.popup),
            row.sound.as_str().to_owned(),
        ];
        line.extend(row.server.iter().map(|(_, on)| mark(*on)));
        rows.push(line);
    }
    match format {
        Format::Json => {
            output::json_line(&json!({"grid": grid, "local": local, "server": server_prefs}))
        }
        Format::Text => {
            let mut headers = vec!["EVENT TYPE", "POPUP", "SOUND"];
            headers.extend(ServerChannel::ALL.map(ServerChannel::as_str));
            output::table(&headers, &rows);
            output::line(&format!(
                "minimum severity: pop-up {}, sound {}; quiet hours: {}",
                local.min_severity_popup.as_str(),
                local.min_severity_sound.as_str(),
                local
                    .quiet_hours
                    .as_ref()
                    .map(|q| format!("{q:?}"))
                    .unwrap_or_else(|| "off".into())
            ));
        }
    }
}
