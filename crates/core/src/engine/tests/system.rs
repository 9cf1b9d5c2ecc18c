//! Resume and network changes: `Offline` shown over the stream's state, and
//! an immediate reconnect when the machine wakes or the network returns.

use super::*;
use crate::engine::{ConnectionState, FailureKind, NetworkReach, SystemEvent};

use NetworkReach::{Full, Limited, Offline};

fn network(reach: NetworkReach) -> Input {
    Input::System(SystemEvent::Network(reach))
}

fn failed(kind: FailureKind) -> Input {
    Input::StreamFailed {
        kind,
        attempt: 1,
        retry_at: Some(at(600)),
    }
}

fn reconnecting() -> ConnectionState {
    ConnectionState::Reconnecting {
        attempt: 1,
        next_at: Some(at(600)),
    }
}

/// Each step: an input and the effects it must give (timers aside).
fn run(steps: Vec<(Input, Vec<Effect>)>) {
    let mut engine = engine();
    for (i, (input, want)) in steps.into_iter().enumerate() {
        let label = format!("step {i}: {input:?}");
        let got: Vec<_> = untimed(engine.handle(input, at(i as i64)))
            .into_iter()
            .filter(|e| matches!(e, Effect::SetConnection(_) | Effect::Reconnect))
            .collect();
        assert_eq!(got, want, "{label}");
    }
}

fn shows(state: ConnectionState) -> Effect {
    Effect::SetConnection(state)
}

#[test]
fn no_connectivity_shows_offline_and_its_return_reconnects_at_once() {
    run(vec![
        (Input::StreamOpened, vec![shows(ConnectionState::Live)]),
        (network(Full), vec![]),
        (network(Offline), vec![shows(ConnectionState::Offline)]),
        (network(Offline), vec![]),
        // The stream's own news stays under `Offline` while it lasts.
        (failed(FailureKind::Network("unreachable".into())), vec![]),
        (Input::Connecting, vec![]),
        (
            network(Full),
            vec![shows(ConnectionState::Connecting), Effect::Reconnect],
        ),
        (Input::StreamOpened, vec![shows(ConnectionState::Live)]),
    ]);
}

#[test]
fn each_gain_in_reach_reconnects_and_losses_below_offline_do_not() {
    run(vec![
        (Input::StreamOpened, vec![shows(ConnectionState::Live)]),
        (network(Limited), vec![]),
        (network(Full), vec![Effect::Reconnect]),
        (network(Full), vec![]),
        (network(Offline), vec![shows(ConnectionState::Offline)]),
        (
            network(Limited),
            vec![shows(ConnectionState::Live), Effect::Reconnect],
        ),
    ]);
}

#[test]
fn resume_reconnects_at_once_whatever_the_stream_is_doing() {
    run(vec![
        (Input::System(SystemEvent::Resumed), vec![Effect::Reconnect]),
        (Input::StreamOpened, vec![shows(ConnectionState::Live)]),
        (Input::System(SystemEvent::Resumed), vec![Effect::Reconnect]),
        (failed(FailureKind::Stalled), vec![shows(reconnecting())]),
        (Input::System(SystemEvent::Resumed), vec![Effect::Reconnect]),
    ]);
}

#[test]
fn a_stopped_stream_is_neither_hidden_by_offline_nor_reconnected() {
    run(vec![
        (
            failed(FailureKind::Unauthorized),
            vec![shows(ConnectionState::SignedOut)],
        ),
        (network(Offline), vec![]),
        (network(Full), vec![]),
        (Input::System(SystemEvent::Resumed), vec![]),
    ]);
    let mut engine = engine();
    engine.handle(network(Offline), at(0));
    assert_eq!(engine.connection(), &ConnectionState::Offline);
    let effects = engine.handle(failed(FailureKind::Forbidden), at(1));
    assert!(
        matches!(
            &untimed(effects)[..],
            [Effect::SetConnection(ConnectionState::Error(_))]
        ),
        "a 403 shows through Offline"
    );
}
