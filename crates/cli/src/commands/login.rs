//! `login`: validate a token with `/api/v1/me`, then store it in the keyring.
//! The token comes from stdin (piped) or a no-echo prompt, never from argv.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use companion_core::rest::{Client, Token};
use companion_core::store;
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(server: Option<String>, format: Format, _args: Args) -> Result<ExitCode> {
    let mut ctx = Context::load(server)?;
    let token = read_token()?;
    let me = Client::new(ctx.server.clone(), token.clone())?
        .me()
        .await
        .with_context(|| format!("could not sign in to {}", ctx.server))?;
    store::store_token(&ctx.server, &token).await?;
    ctx.config.server = Some(ctx.server.to_string());
    ctx.save_config()?;
    match format {
        Format::Json => output::json_line(
            &json!({"signed_in": true, "server": ctx.server.to_string(), "user": me}),
        ),
        Format::Text => output::line(&format!(
            "Signed in to {} as {} <{}>",
            ctx.server, me.name, me.email
        )),
    }
    Ok(ExitCode::SUCCESS)
}

fn read_token() -> Result<Token> {
    let stdin = std::io::stdin();
    let raw = if stdin.is_terminal() {
        rpassword::prompt_password("PMAP API token: ").context("could not read the token")?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .context("could not read the token from stdin")?;
        line
    };
    match Token::new(&raw) {
        Some(token) => Ok(token),
        None => bail!("no token given: pipe it on stdin or type it at the prompt"),
    }
}
