//! `logout`: delete every token this app stored, whichever server it was
//! for. The config (which server) stays, so `login` asks for the token only.

use std::process::ExitCode;

use anyhow::Result;
use companion_core::store;
use serde_json::json;

use crate::output::{self, Format};

pub async fn run(format: Format) -> Result<ExitCode> {
    let deleted = store::delete_all_tokens().await?;
    match format {
        Format::Json => output::json_line(&json!({
            "signed_out": true,
            "deleted": !deleted.is_empty(),
            "servers": deleted,
        })),
        Format::Text if deleted.is_empty() => output::line("No token was stored"),
        Format::Text => output::line(&format!(
            "Signed out; deleted the token for {}",
            deleted.join(", ")
        )),
    }
    Ok(ExitCode::SUCCESS)
}
