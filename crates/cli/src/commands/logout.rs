//! `logout`: delete the stored token for the server.

use std::process::ExitCode;

use anyhow::Result;
use companion_core::store;
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format};

pub async fn run(server: Option<String>, format: Format) -> Result<ExitCode> {
    let ctx = Context::load(server)?;
    let deleted = store::delete_token(&ctx.server).await?;
    match format {
        Format::Json => output::json_line(&json!({"signed_out": true, "deleted": deleted})),
        Format::Text if deleted => output::line(&format!(
            "Signed out of {}; the token was deleted",
            ctx.server
        )),
        Format::Text => output::line(&format!("No token was stored for {}", ctx.server)),
    }
    Ok(ExitCode::SUCCESS)
}
