//! What the benches share: the user, an engine as it stands after a
//! connect, a fixed instant, and the sim's flood frame. Each bench uses
//! some of it; so does `tests/hostile_stream.rs`, for the engine.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use companion_core::engine::{Engine, EngineConfig, Input, LocalPrefs, ReminderLedger};

pub const ME: &str = "u-ana";

/// An instant the benches' frames and engines agree on.
pub fn t0() -> DateTime<Utc> {
    "2026-11-24T12:00:00Z".parse().expect("valid instant")
}

/// Ana's engine with default preferences, the stream open and the badge
/// known, as after a connect at `now`.
pub fn engine(companies: &[(&str, &str)], now: DateTime<Utc>) -> Engine {
    let config = EngineConfig {
        user_id: ME.to_owned(),
        server_origin: "https://pmap.example.com".to_owned(),
        companies: companies
            .iter()
            .map(|(id, name)| ((*id).into(), (*name).into()))
            .collect(),
        prefs: LocalPrefs::default(),
        time_zone: chrono_tz::Europe::Berlin,
    };
    let mut engine = Engine::new(config, ReminderLedger::new());
    engine.handle(Input::StreamOpened, now);
    engine.handle(
        Input::Summary {
            total: 100,
            unread: 40,
        },
        now,
    );
    engine
}

/// The sim's flood frame (`/_sim/flood`), keys in the order it writes
/// them: a thin `finding_updated`, the common case that pops nothing up.
pub fn flood_frame(n: usize) -> String {
    format!(
        r#"{{"company_id":"c-acme","payload":{{"actor_id":"u-lee","actor_type":"user","correlation_id":"{n:08x}-1f55-48c4-ae88-719c24c8bfae","finding_id":"f-flood-{n}","schema_version":1,"severity":"{}","subject_id":"f-flood-{n}","subject_type":"finding","timestamp":"2026-11-27T15:09:09.796687816Z","title":"Synthetic finding {n}"}},"type":"finding_updated"}}"#,
        ["info", "low", "medium", "high", "critical", "urgent"][n % 6]
    )
}
