//! `read ID` and `read-all`.

use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format};

pub async fn one(server: Option<String>, format: Format, id: &str) -> Result<ExitCode> {
    let client = Context::load(server)?.client().await?;
    client.mark_read(id).await?;
    match format {
        Format::Json => output::json_line(&json!({"read": id})),
        Format::Text => output::line(&format!("Marked {id} read")),
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn all(server: Option<String>, format: Format) -> Result<ExitCode> {
    let client = Context::load(server)?.client().await?;
    let result = client.read_all().await?;
    match format {
        Format::Json => output::json_line(&json!({"updated": result.updated})),
        Format::Text => output::line(&format!("Marked {} notifications read", result.updated)),
    }
    Ok(ExitCode::SUCCESS)
}
