//! `prefs get` and `prefs set KEY on|off`.
//!
//! Keys (`companion_core::preferences::PreferenceKey`): `popup.<type>` and
//! `sound.<type>` are local (this machine's config); a server channel's
//! `<channel>.<type>`, or a bare `<type>` (legacy: all server channels), go
//! to the server's matrix. A type this client does not know is sent all the
//! same: the catalog is open, and the server says whether it accepts it.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use companion_core::engine::{PopupCell, Scope, ScopeGroup};
use companion_core::preferences::{self, LocalChannel, PreferenceKey, ServerChannel};
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show the event type × channel grid (local and server channels): every
    /// catalog type, then any other type the server's matrix names.
    Get,
    /// Turn one cell on or off, e.g. `popup.finding_updated on`, `email.sla_breached off`;
    /// `popup.<type> server` makes the pop-up follow the server's in-app cell again.
    Set {
        key: String,
        #[arg(value_parser = ["on", "off", "server"])]
        value: String,
    },
    /// Whose events pop up, per group: `scope findings mine`,
    /// `scope scans my_companies`, `scope approvals off`.
    Scope {
        #[arg(value_parser = ["findings", "approvals", "scans"])]
        group: String,
        #[arg(value_parser = ["mine", "my_companies", "off"])]
        value: String,
    },
    /// Silence one company's pop-ups and sounds (by id, e.g. `c-acme`).
    Mute { company: String },
    /// Let a muted company's pop-ups through again.
    Unmute { company: String },
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
            if value == "server" && key.local_channel() != Some(LocalChannel::Popup) {
                bail!("only a pop-up cell can follow the server: popup.<type> server");
            }
            match key.local_channel() {
                Some(LocalChannel::Popup) => {
                    let cell = match value.as_str() {
                        "server" => PopupCell::Server,
                        "on" => PopupCell::On,
                        _ => PopupCell::Off,
                    };
                    ctx.config.prefs.set_popup_cell(&key.event_type, cell);
                    ctx.save_config()?;
                }
                Some(LocalChannel::Sound) => {
                    ctx.config
                        .prefs
                        .sound
                        .insert(key.event_type.to_string(), on);
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
                Format::Json => {
                    output::json_line(&json!({"key": key.to_string(), "on": on, "value": value}))
                }
                Format::Text => output::line(&format!("{key} = {value}")),
            }
        }
        Command::Scope { group, value } => {
            let (Some(group), Some(scope)) = (ScopeGroup::parse(&group), Scope::parse(&value))
            else {
                bail!("scope takes findings|approvals|scans and mine|my_companies|off");
            };
            ctx.config.prefs.scope.set(group, scope);
            ctx.save_config()?;
            match format {
                Format::Json => {
                    output::json_line(&json!({"scope": group.as_str(), "value": scope}))
                }
                Format::Text => output::line(&format!("{}: {}", group.label(), scope.as_str())),
            }
        }
        Command::Mute { company } => {
            if company.trim().is_empty() {
                bail!("name a company id, e.g. c-acme");
            }
            ctx.config.prefs.muted_companies.insert(company.clone());
            ctx.save_config()?;
            print_muted(&company, true, format);
        }
        Command::Unmute { company } => {
            ctx.config.prefs.muted_companies.remove(&company);
            ctx.save_config()?;
            print_muted(&company, false, format);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_muted(company: &str, muted: bool, format: Format) {
    match format {
        Format::Json => output::json_line(&json!({"company": company, "muted": muted})),
        Format::Text if muted => output::line(&format!("{company}: muted")),
        Format::Text => output::line(&format!("{company}: not muted")),
    }
}

fn print_grid(ctx: &Context, server_prefs: &BTreeMap<String, bool>, format: Format) {
    let local = &ctx.config.prefs;
    let mut grid = serde_json::Map::new();
    let mut rows = Vec::new();
    for row in preferences::grid(local, server_prefs, []) {
        let name = row.event_type.as_str();
        let mut cells = json!({"popup": row.popup, "popup_cell": row.popup_cell.as_str(),
            "sound": row.sound.as_str()});
        for (channel, on) in &row.server {
            cells[channel.as_str()] = json!(on);
        }
        grid.insert(name.to_owned(), cells);
        let mark = |on: bool| if on { "on" } else { "-" }.to_owned();
        let popup = match row.popup_cell {
            PopupCell::Server => format!("{} (server)", mark(row.popup)),
            _ => mark(row.popup),
        };
        let mut line = vec![name.to_owned(), popup, row.sound.as_str().to_owned()];
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
            let scopes: Vec<String> = ScopeGroup::ALL
                .iter()
                .map(|g| format!("{} {}", g.as_str(), local.scope.get(*g).as_str()))
                .collect();
            output::line(&format!("whose events: {}", scopes.join(", ")));
            if !local.muted_companies.is_empty() {
                let muted: Vec<&str> = local.muted_companies.iter().map(String::as_str).collect();
                output::line(&format!("muted companies: {}", muted.join(", ")));
            }
        }
    }
}
