//! `prefs get` and `prefs set KEY on|off`.
//!
//! Keys: `popup.<type>` and `sound.<type>` are local (this machine's config);
//! `<channel>.<type>` with channel in in_app|email|slack|teams|webhook, or a
//! bare `<type>` (legacy: all server channels), go to the server's matrix.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Result, bail};
use companion_core::engine::{default_popup, default_sound};
use companion_core::rest::Preferences;
use companion_core::{EventType, Severity};
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format};

const SERVER_CHANNELS: [&str; 5] = ["in_app", "email", "slack", "teams", "webhook"];

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show the event type × channel grid (local and server channels).
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
            let (channel, event_type) = parse_key(&key)?;
            match channel {
                Some(local @ ("popup" | "sound")) => {
                    let map = if local == "popup" {
                        &mut ctx.config.prefs.popup
                    } else {
                        &mut ctx.config.prefs.sound
                    };
                    map.insert(event_type.as_str().to_owned(), on);
                    ctx.save_config()?;
                }
                _ => {
                    let client = ctx.client().await?;
                    let mut prefs = client.preferences().await?;
                    prefs.preferences.insert(key.clone(), on);
                    client
                        .put_preferences(&Preferences {
                            preferences: prefs.preferences,
                        })
                        .await?;
                }
            }
            match format {
                Format::Json => output::json_line(&json!({"key": key, "on": on})),
                Format::Text => output::line(&format!("{key} = {value}")),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Splits `channel.type` (or a bare legacy `type`) and validates both parts.
fn parse_key(key: &str) -> Result<(Option<&str>, EventType)> {
    let (channel, type_name) = match key.split_once('.') {
        Some((channel, type_name)) => (Some(channel), type_name),
        None => (None, key),
    };
    if let Some(channel) = channel
        && !["popup", "sound"].contains(&channel)
        && !SERVER_CHANNELS.contains(&channel)
    {
        bail!(
            "unknown channel {channel:?}: use popup, sound, {}",
            SERVER_CHANNELS.join(", ")
        );
    }
    let event_type = EventType::from_wire(type_name);
    if let EventType::Unknown(_) = event_type {
        bail!("unknown event type {type_name:?}; `pmap-cli prefs get` lists them");
    }
    Ok((channel, event_type))
}

/// Namespaced beats legacy; a missing key means enabled.
fn server_cell(prefs: &BTreeMap<String, bool>, channel: &str, event_type: &str) -> bool {
    prefs
        .get(&format!("{channel}.{event_type}"))
        .or_else(|| prefs.get(event_type))
        .copied()
        .unwrap_or(true)
}

fn print_grid(ctx: &Context, server_prefs: &BTreeMap<String, bool>, format: Format) {
    let local = &ctx.config.prefs;
    let mut grid = serde_json::Map::new();
    let mut rows = Vec::new();
    for event_type in EventType::ALL.iter() {
        let name = event_type.as_str();
        let popup = local
            .popup
            .get(name)
            .copied()
            .unwrap_or_else(|| default_popup(event_type));
        let sound = match local.sound.get(name) {
            Some(true) => "on",
            Some(false) => "off",
            None if default_sound(event_type, None) => "on",
            None if default_sound(event_type, Some(Severity::Critical)) => "critical",
            None => "off",
        };
        let server: Vec<bool> = SERVER_CHANNELS
            .iter()
            .map(|c| server_cell(server_prefs, c, name))
            .collect();
        let mut cells = json!({"popup": popup, "sound": sound});
        for (channel, on) in SERVER_CHANNELS.iter().zip(&server) {
            cells[*channel] = json!(on);
        }
        grid.insert(name.to_owned(), cells);
        let mark = |on: bool| if on { "on" } else { "-" }.to_owned();
        let mut row = vec![name.to_owned(), mark(popup), sound.to_owned()];
        row.extend(server.into_iter().map(mark));
        rows.push(row);
    }
    match format {
        Format::Json => {
            output::json_line(&json!({"grid": grid, "local": local, "server": server_prefs}))
        }
        Format::Text => {
            let mut headers = vec!["EVENT TYPE", "POPUP", "SOUND"];
            headers.extend(SERVER_CHANNELS.iter().map(|c| c.to_owned()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_validated() {
        assert!(parse_key("popup.finding_updated").is_ok());
        assert!(parse_key("email.sla_breached").is_ok());
        assert!(parse_key("sla_breached").is_ok());
        assert!(parse_key("fax.sla_breached").is_err());
        assert!(parse_key("popup.no_such_type").is_err());
    }

    #[test]
    fn namespaced_beats_legacy_and_missing_is_enabled() {
        let prefs: BTreeMap<String, bool> = [
            ("email.scan_completed".to_owned(), true),
            ("scan_completed".to_owned(), false),
        ]
        .into();
        assert!(server_cell(&prefs, "email", "scan_completed"));
        assert!(!server_cell(&prefs, "slack", "scan_completed"));
        assert!(server_cell(&prefs, "slack", "report_generated"));
    }
}
