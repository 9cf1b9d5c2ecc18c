//! Building a session from what the server said and what the machine has.
//! (Identifying the user against a server: `tests/session.rs`.)

use std::fs;

use chrono::{DateTime, Utc};

use super::*;
use crate::rest::{Company, ServerUrl, Token};

fn client() -> Client {
    let server = ServerUrl::parse("https://pmap.example.com/pmap/").expect("server URL");
    Client::new(server, Token::new("t").expect("token")).expect("client")
}

fn me() -> Me {
    Me {
        id: "u-ana".into(),
        email: "ana@example.com".into(),
        name: "Ana Analyst".into(),
        role: "analyst".into(),
        companies: vec![Company {
            id: "c-acme".into(),
            name: "Acme Corp".into(),
        }],
    }
}

fn setup(ledger_file: Option<PathBuf>) -> SessionSetup {
    SessionSetup {
        prefs: LocalPrefs {
            storm_max: 7,
            ..LocalPrefs::default()
        },
        ledger_file,
        settings: StreamSettings::default(),
        time_zone: chrono_tz::Europe::Berlin,
    }
}

#[test]
fn the_engine_is_configured_from_me_the_server_and_the_setup() {
    let session = Session::new(client(), me(), setup(None));
    let config = session.config();
    assert_eq!(config.user_id, "u-ana");
    assert_eq!(config.server_origin, "https://pmap.example.com");
    assert_eq!(
        config.companies,
        [("c-acme".to_owned(), "Acme Corp".to_owned())]
    );
    assert_eq!(config.prefs.storm_max, 7);
    assert_eq!(config.time_zone, chrono_tz::Europe::Berlin);
    assert_eq!(session.me().name, "Ana Analyst");
}

#[test]
fn the_saved_ledger_is_loaded_so_reminders_stay_fired() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("reminders.json");
    let at: DateTime<Utc> = "2026-11-25T09:00:00Z".parse().expect("instant");
    fs::write(
        &path,
        r#"{"entries":{"cal-1":{"at":"2026-11-25T09:00:00Z","leads":[60]}}}"#,
    )
    .expect("write");
    let session = Session::new(client(), me(), setup(Some(path)));
    assert!(session.engine.ledger().has_fired("cal-1", at, 60));
}

#[test]
fn a_corrupt_ledger_is_moved_aside_and_the_session_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("reminders.json");
    fs::write(&path, b"{ not json").expect("write");
    let session = Session::new(client(), me(), setup(Some(path.clone())));
    assert!(session.engine.ledger().is_empty());
    assert!(!path.exists(), "the corrupt file was moved aside");
    let shell = session.into_shell(|_: &crate::engine::Effect| {});
    assert_eq!(shell.ledger_file, Some(path), "and will be written afresh");
}

#[test]
fn an_unreadable_ledger_does_not_stop_the_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A directory where the file should be: reading it fails, not parsing.
    let path = dir.path().join("reminders.json");
    fs::create_dir(&path).expect("mkdir");
    let session = Session::new(client(), me(), setup(Some(path)));
    assert!(session.engine.ledger().is_empty());
}
