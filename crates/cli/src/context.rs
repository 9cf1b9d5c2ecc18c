//! What every command needs: where files live, the config, which server,
//! and (for authenticated commands) a client carrying the token.

use anyhow::{Context as _, Result};
use companion_core::rest::{Client, ServerUrl};
use companion_core::store::{self, Config, Paths, TokenSource, json_file};

pub struct Context {
    pub paths: Paths,
    pub config: Config,
    pub server: ServerUrl,
}

impl Context {
    /// `--server` / `PMAP_SERVER`, else the server saved by `login`.
    pub fn load(server: Option<String>) -> Result<Context> {
        let paths = Paths::from_env()?;
        let config: Config = json_file::load_or_default(&paths.config_file)?;
        let raw = server.or_else(|| config.server.clone()).context(
            "no server configured: pass --server https://pmap.example.com, set PMAP_SERVER, or run login",
        )?;
        let server = ServerUrl::parse(&raw)?;
        Ok(Context {
            paths,
            config,
            server,
        })
    }

    pub async fn client(&self) -> Result<Client> {
        Ok(self.client_with_source().await?.0)
    }

    pub async fn client_with_source(&self) -> Result<(Client, TokenSource)> {
        let (token, source) = store::load_token(&self.server).await?;
        let client = Client::with_network(self.server.clone(), token, &self.config.network)?;
        Ok((client, source))
    }

    pub fn save_config(&self) -> Result<()> {
        json_file::save(&self.paths.config_file, &self.config)?;
        Ok(())
    }
}
