//! The runner against a small real server: what it feeds the engine.

use chrono::{TimeDelta, Utc};
use companion_core::engine::ReminderLedger;
use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::{self, Shell, ShiftedClock, StreamSettings};
use companion_core::{ConnectionState, Effect, Engine, EngineConfig, LocalPrefs};
use tokio::sync::{mpsc, oneshot};

mod common;

use common::{canned, response};

/// The engine learns when the next reconnect is due from the shell's clock,
/// like every other time it is given: a clock set far ahead shows in it.
#[tokio::test]
async fn the_next_reconnect_time_is_read_from_the_shell_clock() {
    let (url, _) = canned(|_| Some(response("500 Internal Server Error", "", ""))).await;
    let server = ServerUrl::parse(&url).expect("url");
    let config = EngineConfig {
        user_id: "u-ana".into(),
        server_origin: server.origin(),
        companies: Vec::new(),
        prefs: LocalPrefs::default(),
        time_zone: chrono_tz::UTC,
    };
    let ahead = TimeDelta::days(1000);
    let clock = ShiftedClock::default();
    clock.shift(ahead);
    let (effects, mut seen) = mpsc::unbounded_channel();
    let shell = Shell {
        client: Client::new(server, Token::new("t").expect("token")).expect("client"),
        engine: Engine::new(config, ReminderLedger::new()),
        sink: move |effect: &Effect| {
            let _ = effects.send(effect.clone());
        },
        clock,
        settings: StreamSettings {
            backoff: common::fast_backoff(),
            ..StreamSettings::default()
        },
        ledger_file: None,
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let (_controls, inputs) = shell::controls();
    let running = tokio::spawn(shell::run(shell, inputs, async {
        let _ = stopped.await;
    }));

    let next_at = pmap_testkit::within("a reconnecting state", async {
        loop {
            match seen.recv().await.expect("the shell is running") {
                Effect::SetConnection(ConnectionState::Reconnecting { next_at, .. }) => {
                    break next_at;
                }
                _ => continue,
            }
        }
    })
    .await
    .expect("a retry time");
    assert!(
        next_at > Utc::now() + ahead - TimeDelta::days(1),
        "next reconnect at {next_at}: read from the system clock, not the shell's"
    );
    let _ = stop.send(());
    pmap_testkit::within("the shell to stop", running)
        .await
        .expect("joined");
}
