//! Starting a signed-in session, the same way for every front end.
//!
//! A session starts by asking the server who the token belongs to (with
//! the stream's patience: a laptop may start before its network), then
//! builds the engine's configuration from that answer, the server and the
//! local preferences, in the zone [`local_time_zone`] names, and loads the
//! reminder ledger. A ledger it cannot read costs the fire-once memory,
//! never the session: a corrupt file is moved aside and any other failure
//! is logged, and the session starts with an empty ledger either way.
//!
//! What stays with a front end is its own: where effects go (its
//! [`EffectSink`]), what it shows while it waits, and what an [`Exit`]
//! means to it.
//!
//! [`Exit`]: super::Exit

use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use super::clock::{Clock, SystemClock};
use super::identity::fetch_identity;
use super::runner::Shell;
use super::sink::EffectSink;
use super::supervisor::StreamSettings;
use super::time_zone::local_time_zone;
use crate::engine::{ConnectionState, Engine, EngineConfig, LocalPrefs, ReminderLedger};
use crate::error::{Error, Result};
use crate::rest::{Client, Me};
use crate::store::json_file;

/// What the machine brings to a session.
#[derive(Clone, Debug)]
pub struct SessionSetup {
    /// The local preferences saved in the config.
    pub prefs: LocalPrefs,
    /// Where the reminder ledger lives; `None` keeps it in memory only.
    pub ledger_file: Option<PathBuf>,
    /// Stream knobs; identifying the user retries with their backoff too.
    pub settings: StreamSettings,
    pub time_zone: Tz,
}

impl SessionSetup {
    /// PMAP's stream settings and the zone [`local_time_zone`] names.
    pub fn new(prefs: LocalPrefs, ledger_file: Option<PathBuf>) -> SessionSetup {
        SessionSetup {
            prefs,
            ledger_file,
            settings: StreamSettings::default(),
            time_zone: local_time_zone(),
        }
    }
}

/// A session ready to run: who is signed in, and the engine set up for them.
pub struct Session {
    me: Me,
    client: Client,
    engine: Engine,
    settings: StreamSettings,
    ledger_file: Option<PathBuf>,
}

impl Session {
    /// Asks `/api/v1/me` who the token belongs to, retrying with backoff
    /// while the server cannot be reached (`on_retry` is told the
    /// `Reconnecting` state to show, and why); a rejected token
    /// ([`Error::Unauthorized`]) and other refusals return at once.
    pub async fn identify(
        client: Client,
        setup: SessionSetup,
        mut on_retry: impl FnMut(&ConnectionState, &Error),
    ) -> Result<Session> {
        let me = fetch_identity(&client, &setup.settings.backoff, |attempt, delay, error| {
            let next_at = chrono::Duration::from_std(delay)
                .ok()
                .map(|d| SystemClock.now() + d);
            on_retry(&ConnectionState::Reconnecting { attempt, next_at }, error);
        })
        .await?;
        Ok(Session::new(client, me, setup))
    }

    /// For a user the front end has just identified (sign-in checks the
    /// token with `/api/v1/me` before storing it).
    pub fn new(client: Client, me: Me, setup: SessionSetup) -> Session {
        let config = EngineConfig {
            user_id: me.id.clone(),
            server_origin: client.server().origin(),
            companies: me
                .companies
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect(),
            prefs: setup.prefs,
            time_zone: setup.time_zone,
        };
        let ledger = load_ledger(setup.ledger_file.as_deref());
        Session {
            me,
            client,
            engine: Engine::new(config, ledger),
            settings: setup.settings,
            ledger_file: setup.ledger_file,
        }
    }

    pub fn me(&self) -> &Me {
        &self.me
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn config(&self) -> &EngineConfig {
        self.engine.config()
    }

    /// The shell that runs this session, its effects going to `sink`.
    pub fn into_shell<S: EffectSink>(self, sink: S) -> Shell<S, SystemClock> {
        Shell {
            client: self.client,
            engine: self.engine,
            sink,
            clock: SystemClock,
            settings: self.settings,
            ledger_file: self.ledger_file,
        }
    }
}

/// The persisted ledger, or an empty one when there is none or it cannot
/// be read (see the module docs).
fn load_ledger(path: Option<&Path>) -> ReminderLedger {
    let Some(path) = path else {
        return ReminderLedger::new();
    };
    json_file::load_or_default(path).unwrap_or_else(|error| {
        tracing::warn!(%error, "could not read the reminder ledger; starting with an empty one");
        ReminderLedger::new()
    })
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
