//! Starting a session against small real servers: who the user is, asked
//! patiently while the server cannot answer, and not at all past a 401.

use companion_core::rest::{Client, ServerUrl, Token};
use companion_core::shell::{Session, SessionSetup, StreamSettings};
use companion_core::{ConnectionState, Error, LocalPrefs};

mod common;

use common::{canned, response};

const ME: &str =
    r#"{"id":"u-ana","name":"Ana Analyst","companies":[{"id":"c-acme","name":"Acme Corp"}]}"#;

fn client(url: &str) -> Client {
    let server = ServerUrl::parse(url).expect("url");
    Client::new(server, Token::new("t").expect("token")).expect("client")
}

fn setup() -> SessionSetup {
    SessionSetup {
        prefs: LocalPrefs::default(),
        ledger_file: None,
        settings: StreamSettings {
            backoff: common::fast_backoff(),
            ..StreamSettings::default()
        },
        time_zone: chrono_tz::UTC,
    }
}

#[tokio::test]
async fn identify_waits_out_an_unavailable_server_showing_reconnecting() {
    let (url, count) = canned(|n| {
        Some(match n {
            0 | 1 => response("503 Service Unavailable", "", ""),
            _ => response("200 OK", "content-type: application/json\r\n", ME),
        })
    })
    .await;
    let mut shown = Vec::new();
    let session = pmap_testkit::within(
        "the session to start",
        Session::identify(client(&url), setup(), |state, error| {
            shown.push((state.clone(), error.to_string()));
        }),
    )
    .await
    .expect("identified");
    assert_eq!(session.me().id, "u-ana");
    assert_eq!(session.config().companies[0].1, "Acme Corp");
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 3);
    let attempts: Vec<u32> = shown
        .iter()
        .map(|(state, _)| match state {
            ConnectionState::Reconnecting {
                attempt,
                next_at: Some(_),
            } => *attempt,
            other => panic!("shown {other:?}"),
        })
        .collect();
    assert_eq!(attempts, [1, 2]);
    assert!(shown[0].1.contains("503"), "{shown:?}");
}

#[tokio::test]
async fn a_rejected_token_stops_identify_at_once() {
    let (url, count) = canned(|_| {
        Some(response(
            "401 Unauthorized",
            "content-type: application/json\r\n",
            r#"{"error":"unauthorized","message":"revoked"}"#,
        ))
    })
    .await;
    let mut retries = 0;
    let result = pmap_testkit::within(
        "identify to give up",
        Session::identify(client(&url), setup(), |_, _| retries += 1),
    )
    .await;
    assert!(
        matches!(result, Err(Error::Unauthorized)),
        "{:?}",
        result.err()
    );
    assert_eq!(retries, 0);
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1);
}
