//! `login`: validate a token with `/api/v1/me`, then store it in the keyring.
//! The token comes from stdin (piped) or a no-echo prompt, never from argv.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use companion_core::rest::{Client, Token};
use companion_core::store::{self, OtherTokens};
use companion_core::zeroize::Zeroizing;
use serde_json::json;

use crate::context::Context;
use crate::output::{self, Format, terminal};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Delete the tokens stored for other servers once this sign-in succeeds.
    #[arg(long, conflicts_with = "keep_others")]
    forget_others: bool,
    /// Keep the tokens stored for other servers (reach them with --server).
    #[arg(long)]
    keep_others: bool,
    /// A PEM file with your company's CA certificate, trusted on top of the
    /// system store; saved in the config as `ca_file`.
    #[arg(long, value_name = "PATH")]
    ca_file: Option<PathBuf>,
}

impl Args {
    fn others(&self) -> Option<OtherTokens> {
        match (self.forget_others, self.keep_others) {
            (true, _) => Some(OtherTokens::Forget),
            (_, true) => Some(OtherTokens::Keep),
            _ => None,
        }
    }
}

pub async fn run(server: Option<String>, format: Format, args: Args) -> Result<ExitCode> {
    let mut ctx = Context::load(server)?;
    if let Some(path) = &args.ca_file {
        // Absolute, so the config means the same from any directory.
        let path = std::path::absolute(path)
            .with_context(|| format!("cannot resolve {}", path.display()))?;
        ctx.config.network.ca_file = Some(path);
    }
    // Asked before the token is read: a second server's token is never
    // stored beside the first one's without the user saying so.
    let stored = store::stored_servers().await?;
    let forget = store::others_to_forget(&stored, &ctx.server, args.others())?;
    let token = read_token()?;
    let me = Client::with_network(ctx.server.clone(), token.clone(), &ctx.config.network)?
        .me()
        .await
        .with_context(|| format!("could not sign in to {}", ctx.server))?;
    store::store_token(&ctx.server, &token).await?;
    ctx.config.server = Some(ctx.server.to_string());
    ctx.save_config()?;
    let forgotten = store::delete_tokens_for(forget).await?;
    match format {
        Format::Json => output::json_line(&json!({
            "signed_in": true,
            "server": ctx.server.to_string(),
            "user": me,
            "forgotten": forgotten,
        })),
        Format::Text => {
            output::line(&format!(
                "Signed in to {} as {} <{}>",
                ctx.server,
                terminal::visible(&me.name),
                terminal::visible(&me.email)
            ));
            if !forgotten.is_empty() {
                output::line(&format!("Deleted the token for {}", forgotten.join(", ")));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the token into zeroizing buffers only. The stdin buffer starts
/// large enough for any token, so growing it leaves no copy behind.
fn read_token() -> Result<Token> {
    let stdin = std::io::stdin();
    let raw = if stdin.is_terminal() {
        Zeroizing::new(
            rpassword::prompt_password("PMAP API token: ").context("could not read the token")?,
        )
    } else {
        let mut line = Zeroizing::new(String::with_capacity(4096));
        stdin
            .lock()
            .read_line(&mut line)
            .context("could not read the token from stdin")?;
        line
    };
    match Token::new(&raw) {
        Some(token) => Ok(token),
        None => bail!(
            "no usable token given: pipe it on stdin or type it at the prompt \
             (printable ASCII, as the server issued it)"
        ),
    }
}
