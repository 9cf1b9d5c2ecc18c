//! `status`: which server, where the token comes from, who it belongs to,
//! and the unread count — each checked live.

use std::process::ExitCode;

use anyhow::Result;
use companion_core::store::TokenSource;
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format, terminal};

pub async fn run(server: Option<String>, format: Format) -> Result<ExitCode> {
    let ctx = Context::load(server)?;
    let (client, source) = ctx.client_with_source().await?;
    let me = client.me().await?;
    let summary = client.summary().await?;
    let source = match source {
        TokenSource::Environment => "PMAP_TOKEN",
        TokenSource::Keyring => "keyring",
    };
    match format {
        Format::Json => output::json_line(&json!({
            "server": ctx.server.to_string(), "token_source": source, "user": me,
            "unread": summary.unread, "total": summary.total,
        })),
        Format::Text => {
            output::line(&format!("server:    {}", ctx.server));
            output::line(&format!(
                "signed in: {} <{}> ({}, token from {source})",
                terminal::visible(&me.name),
                terminal::visible(&me.email),
                terminal::visible(&me.role)
            ));
            let companies: Vec<_> = me
                .companies
                .iter()
                .map(|c| terminal::visible(&c.name))
                .collect();
            output::line(&format!("companies: {}", companies.join(", ")));
            output::line(&format!(
                "unread:    {} of {}",
                summary.unread, summary.total
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
