//! Rules 7–9: the badge, the connection state and calendar refetches.

use serde_json::json;

use super::*;
use crate::engine::{ConnectionState, FailureKind, UserAction};

const FIFTEEN_MIN: i64 = 15 * 60;

#[test]
fn summary_sets_the_badge_only_when_it_changes() {
    let mut engine = engine();
    let cases = [
        (0, vec![Effect::SetBadge(0)]),
        (0, vec![]),
        (7, vec![Effect::SetBadge(7)]),
        (7, vec![]),
    ];
    for (unread, want) in cases {
        let effects = engine.handle(Input::Summary { total: 20, unread }, at(0));
        assert_eq!(untimed(effects), want, "unread {unread}");
    }
    assert_eq!(engine.unread(), Some(7));
}

#[test]
fn own_notification_events_move_the_badge_and_schedule_one_refetch() {
    let mut engine = engine();
    engine.handle(
        Input::Summary {
            total: 9,
            unread: 5,
        },
        at(0),
    );
    let read = |id: &str| {
        frame(
            json!({"type": "notification_read", "payload": {"notification_id": id, "user_id": ME}}),
        )
    };
    let all_read = frame(
        json!({"type": "notification_all_read", "payload": {"user_id": ME, "updated": 6, "correlation_id": "a"}}),
    );
    let created_effects = engine.handle(created("n-1", "f-1", "low"), at(1));
    assert!(created_effects.contains(&Effect::SetBadge(6)));
    assert_eq!(ticks(&created_effects), [at(3)], "refetch debounced by 2 s");
    let read_effects = engine.handle(read("n-1"), at(2));
    assert_eq!(untimed(read_effects), [Effect::SetBadge(5)]);
    assert_eq!(
        untimed(engine.handle(Input::Tick, at(3))),
        [Effect::FetchSummary]
    );
    let cleared = engine.handle(all_read, at(4));
    assert_eq!(untimed(cleared), [Effect::SetBadge(0)]);
    assert_eq!(
        untimed(engine.handle(read("n-2"), at(5))),
        [],
        "saturates at zero"
    );
    assert_eq!(
        untimed(engine.handle(Input::Tick, at(6))),
        [Effect::FetchSummary]
    );
    let already_read = created_for(ME, "n-3", "f-3", "low", true);
    assert!(
        !engine
            .handle(already_read, at(7))
            .iter()
            .any(|e| matches!(e, Effect::SetBadge(_)))
    );
}

#[test]
fn a_flood_reconciles_the_badge_though_the_server_dropped_its_rows() {
    let mut engine = engine();
    engine.handle(
        Input::Summary {
            total: 9,
            unread: 5,
        },
        at(0),
    );
    // A flood of someone else's assignments; the server dropped the
    // `notification_created` frames that were queued behind them.
    let mut effects = Vec::new();
    for n in 0..200 {
        let finding = format!("f-flood-{n}");
        effects.extend(engine.handle(assigned(&finding, "low", &["u-ben"], &finding), at(1)));
    }
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SetBadge(_))),
        "nothing moved the count"
    );
    assert_eq!(
        ticks(&effects).into_iter().min(),
        Some(at(3)),
        "a refetch, debounced by 2 s"
    );
    assert_eq!(
        untimed(engine.handle(Input::Tick, at(3))),
        [Effect::FetchSummary]
    );
    assert_eq!(
        untimed(engine.handle(
            Input::Summary {
                total: 14,
                unread: 10
            },
            at(4)
        )),
        [Effect::SetBadge(10)],
        "the server's count, rows the stream lost included"
    );
}

#[test]
fn a_summary_that_predates_a_read_on_the_stream_does_not_undo_it() {
    let mut engine = engine();
    let summary = |unread| Input::Summary { total: 20, unread };
    let read = frame(
        json!({"type": "notification_read", "payload": {"notification_id": "n-1", "user_id": ME}}),
    );
    engine.handle(summary(5), at(0));
    engine.handle(created("n-1", "f-1", "low"), at(1));
    assert_eq!(
        untimed(engine.handle(Input::Tick, at(3))),
        [Effect::FetchSummary]
    );
    // The row is read while that fetch is in flight; its answer (6) was
    // read on the server before the read.
    assert_eq!(untimed(engine.handle(read, at(4))), [Effect::SetBadge(5)]);
    assert_eq!(untimed(engine.handle(summary(6), at(5))), []);
    assert_eq!(engine.unread(), Some(5));
    assert_eq!(
        untimed(engine.handle(Input::Tick, at(6))),
        [Effect::FetchSummary],
        "the read scheduled its own refetch"
    );
    assert_eq!(untimed(engine.handle(summary(5), at(7))), []);
    assert_eq!(
        untimed(engine.handle(summary(4), at(8))),
        [Effect::SetBadge(4)]
    );
}

#[test]
fn mark_read_goes_to_the_server_without_an_optimistic_decrement() {
    let mut engine = engine();
    engine.handle(
        Input::Summary {
            total: 3,
            unread: 3,
        },
        at(0),
    );
    let cases = [
        (
            UserAction::MarkRead("n-1".into()),
            vec![Effect::MarkRead("n-1".into())],
        ),
        (UserAction::MarkAllRead, vec![Effect::MarkAllRead]),
    ];
    for (action, want) in cases {
        assert_eq!(engine.handle(Input::User(action), at(1)), want);
    }
    assert_eq!(engine.unread(), Some(3));
}

#[test]
fn open_only_follows_links_on_the_server_origin() {
    let mut engine = engine();
    let cases = [
        (
            "https://pmap.example.com/findings/f-1",
            vec![Effect::OpenUrl(
                "https://pmap.example.com/findings/f-1".into(),
            )],
        ),
        (
            "https://PMAP.example.com:443/findings/f-1",
            vec![Effect::OpenUrl(
                "https://pmap.example.com/findings/f-1".into(),
            )],
        ),
        ("https://evil.example.net/", vec![]),
        ("https://pmap.example.com@evil.example.net/", vec![]),
        ("file:///etc/passwd", vec![]),
    ];
    for (url, want) in cases {
        let effects = engine.handle(Input::User(UserAction::Open { url: url.into() }), at(0));
        assert_eq!(effects, want, "{url}");
    }
    assert_eq!(engine.stats().rejected_urls, 3);
}

#[test]
fn reconnect_refetches_summary_calendar_inbox_and_server_matrix_so_state_is_exact() {
    let mut engine = engine();
    let effects = engine.handle(Input::StreamOpened, at(0));
    assert_eq!(
        effects,
        [
            Effect::SetConnection(ConnectionState::Live),
            Effect::FetchSummary,
            Effect::FetchCalendar,
            Effect::FetchInboxHead,
            Effect::FetchServerPrefs,
            Effect::ScheduleTick(at(FIFTEEN_MIN)),
        ]
    );
    assert_eq!(engine.connection(), &ConnectionState::Live);
}

#[test]
fn connection_changes_are_emitted_once_each() {
    let mut engine = engine();
    let failed = |kind: FailureKind, attempt: u32| Input::StreamFailed {
        kind,
        attempt,
        retry_at: Some(at(5)),
    };
    let reconnecting = |attempt| ConnectionState::Reconnecting {
        attempt,
        next_at: Some(at(5)),
    };
    let cases = [
        (Input::Connecting, Some(ConnectionState::Connecting)),
        (Input::Connecting, None),
        (
            failed(FailureKind::Network("reset".into()), 1),
            Some(reconnecting(1)),
        ),
        (failed(FailureKind::Network("reset".into()), 1), None),
        (failed(FailureKind::Stalled, 2), Some(reconnecting(2))),
        (failed(FailureKind::Server(503), 3), Some(reconnecting(3))),
        (
            failed(FailureKind::Protocol("oversized".into()), 4),
            Some(reconnecting(4)),
        ),
        (
            failed(FailureKind::Portal("text/html".into()), 4),
            Some(ConnectionState::Portal {
                message: "text/html".into(),
                next_at: Some(at(5)),
            }),
        ),
        (failed(FailureKind::Portal("text/html".into()), 4), None),
        (
            failed(FailureKind::Unauthorized, 5),
            Some(ConnectionState::SignedOut),
        ),
        (failed(FailureKind::Unauthorized, 6), None),
    ];
    for (input, want) in cases {
        let label = format!("{input:?}");
        let changes: Vec<_> = engine
            .handle(input, at(0))
            .into_iter()
            .filter_map(|e| match e {
                Effect::SetConnection(state) => Some(state),
                _ => None,
            })
            .collect();
        assert_eq!(changes, want.into_iter().collect::<Vec<_>>(), "{label}");
    }
    let forbidden = engine.handle(failed(FailureKind::Forbidden, 1), at(0));
    assert!(
        matches!(&forbidden[..], [Effect::SetConnection(ConnectionState::Error(m))] if m.contains("forbidden"))
    );
}

#[test]
fn calendar_is_refetched_once_per_30_s_after_finding_and_sla_events() {
    let mut engine = engine();
    engine.handle(Input::StreamOpened, at(0));
    let first = engine.handle(domain("finding_updated", "f-1", "low", "a"), at(100));
    assert_eq!(ticks(&first), [at(130)]);
    engine.handle(domain("sla_escalated", "f-2", "low", "b"), at(110));
    engine.handle(
        frame(json!({"type": "asset_updated", "payload": {"asset_id": "as-1"}})),
        at(111),
    );
    assert_eq!(untimed(engine.handle(Input::Tick, at(129))), []);
    let due = engine.handle(Input::Tick, at(130));
    assert_eq!(untimed(due.clone()), [Effect::FetchCalendar]);
    assert_eq!(
        ticks(&due),
        [at(130 + FIFTEEN_MIN)],
        "the periodic refetch restarts"
    );
}

#[test]
fn calendar_and_server_matrix_are_refetched_every_15_minutes_until_signed_out() {
    let mut engine = engine();
    engine.handle(Input::StreamOpened, at(0));
    let tick = engine.handle(Input::Tick, at(FIFTEEN_MIN));
    assert_eq!(
        tick,
        [
            Effect::FetchCalendar,
            Effect::FetchServerPrefs,
            Effect::ScheduleTick(at(2 * FIFTEEN_MIN))
        ]
    );
    let failed = Input::StreamFailed {
        kind: FailureKind::Unauthorized,
        attempt: 1,
        retry_at: None,
    };
    engine.handle(failed, at(FIFTEEN_MIN + 1));
    assert_eq!(engine.handle(Input::Tick, at(2 * FIFTEEN_MIN)), []);
}
