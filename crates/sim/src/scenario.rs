//! Generated activity: the `demo` scenario and the `--rate` load.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior};

use crate::catalog::{SEVERITIES, is_bridged, preference_enabled};
use crate::envelope::{self, Subject};
use crate::fixture::Finding;
use crate::fixture::directory::company_name;
use crate::fixture::findings::{TEMPLATES, hosts, is_terminal};
use crate::fixture::inbox::describe;
use crate::inbox::row_kind;
use crate::state::{AppState, NewNotification};

/// Resolves when shutdown has been asked for.
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// The analyst who owns a company's work in the fixture.
fn owner_of(company_id: &str) -> &'static str {
    if company_id == "c-initech" {
        "u-ben"
    } else {
        "u-ana"
    }
}

/// Creates an inbox row for `user_id` when the type creates rows at all
/// and the user did not switch `in_app` off for it.
fn notify(state: &AppState, user_id: &str, event_type: &str, finding: &Finding, serial: usize) {
    let Some(kind) = row_kind(event_type) else {
        return;
    };
    let enabled = state
        .preferences()
        .get(user_id)
        .is_none_or(|prefs| preference_enabled(prefs, "in_app", event_type));
    if !enabled || state.user(user_id).is_none() {
        return;
    }
    let (title, body, data) = describe(event_type, finding, serial);
    let new = NewNotification {
        user_id: user_id.to_string(),
        kind,
        event_type: event_type.to_string(),
        title,
        body,
        data,
        company_id: Some(finding.company_id.to_string()),
    };
    state.create_notification(new, true);
}

/// One believable thing happening on the platform.
fn act(state: &AppState, rng: &mut StdRng, serial: usize) {
    let findings = &state.shared().fixture.findings;
    let live: Vec<&Finding> = findings.iter().filter(|f| !is_terminal(f.status)).collect();
    let Some(existing) = live.choose(rng).map(|f| (*f).clone()) else {
        return;
    };
    let company = existing.company_id;
    let fields = |f: &Finding| json!({"finding_id": f.id, "title": f.title, "severity": f.severity, "assignee_ids": f.assignees});
    // The platform streams only its realtime subset; any other type
    // reaches clients as the inbox rows `notify` creates, nothing more.
    let publish = |event_type: &str,
                   kind: &str,
                   id: &str,
                   actor: Option<&str>,
                   payload: serde_json::Value| {
        if !is_bridged(event_type) {
            return;
        }
        let envelope = envelope::thin(
            event_type,
            Some(company),
            Subject { kind, id },
            actor,
            payload,
        );
        state.publish(&envelope, None);
    };
    match rng.random_range(0..11) {
        0 | 1 => {
            let (template, severity) = *TEMPLATES.choose(rng).unwrap_or(&TEMPLATES[0]);
            let host = hosts(company).choose(rng).copied().unwrap_or("localhost");
            let owner = owner_of(company);
            let fresh = Finding {
                id: format!("f-{}", 900 + serial),
                title: template.replace("{host}", host),
                severity,
                status: "open",
                assignees: vec![owner],
                ..existing
            };
            publish(
                "finding_created",
                "finding",
                &fresh.id,
                Some("u-lee"),
                fields(&fresh),
            );
            publish(
                "finding_assigned",
                "finding",
                &fresh.id,
                Some("u-lee"),
                fields(&fresh),
            );
            notify(state, owner, "finding_assigned", &fresh, serial);
        }
        2 => {
            let owner = owner_of(company);
            publish(
                "finding_assigned",
                "finding",
                &existing.id,
                Some("u-lee"),
                fields(&existing),
            );
            notify(state, owner, "finding_assigned", &existing, serial);
        }
        3 => {
            let new_status = ["in_progress", "retest_requested", "resolved"]
                .choose(rng)
                .copied()
                .unwrap_or("in_progress");
            let mut payload = fields(&existing);
            payload["old_status"] = json!(existing.status);
            payload["new_status"] = json!(new_status);
            publish(
                "finding_status_changed",
                "finding",
                &existing.id,
                Some("u-kim"),
                payload,
            );
        }
        4 | 5 => {
            let event_type = if rng.random_bool(0.5) {
                "sla_escalated"
            } else {
                "sla_breached"
            };
            // A breach is streamed; an escalation is not bridged and
            // reaches the assignees only as an inbox row.
            publish(event_type, "finding", &existing.id, None, fields(&existing));
            for assignee in &existing.assignees {
                notify(state, assignee, event_type, &existing, serial);
            }
        }
        6 => {
            let scan_id = format!("s-{}", 301 + serial % 18);
            let payload = json!({"scan_id": scan_id, "findings_count": rng.random_range(0..12)});
            publish("scan_completed", "scan", &scan_id, None, payload);
        }
        7 => {
            let report_id = format!("r-{}", 800 + serial);
            let name = format!(
                "{} weekly summary",
                company_name(company).unwrap_or(company)
            );
            publish(
                "report_generated",
                "report",
                &report_id,
                Some("u-lee"),
                json!({"report_id": report_id, "name": name}),
            );
            notify(
                state,
                owner_of(company),
                "report_generated",
                &existing,
                serial,
            );
        }
        8 => {
            publish(
                "finding_retested",
                "finding",
                &existing.id,
                Some("u-kim"),
                fields(&existing),
            );
            for assignee in &existing.assignees {
                notify(state, assignee, "finding_retested", &existing, serial);
            }
        }
        // Approvals are not bridged either: a row is all a client sees.
        9 => notify(
            state,
            owner_of(company),
            "approval_requested",
            &existing,
            serial,
        ),
        _ => {
            let asset_id = format!("as-{}", 900 + serial);
            let host = hosts(company).choose(rng).copied().unwrap_or("localhost");
            let event_type = if rng.random_bool(0.5) {
                "asset_created"
            } else {
                "asset_updated"
            };
            let severity = SEVERITIES.choose(rng).copied().unwrap_or("low");
            publish(
                event_type,
                "asset",
                &asset_id,
                None,
                json!({"asset_id": asset_id, "hostname": host, "severity": severity}),
            );
        }
    }
}

/// Something happens every 2–5 s until shutdown.
pub(crate) async fn demo(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut rng = StdRng::seed_from_u64(0xde30);
    for serial in 0.. {
        let pause = Duration::from_millis(rng.random_range(2000..5000));
        tokio::select! {
            _ = stopped(&mut shutdown) => return,
            _ = tokio::time::sleep(pause) => act(&state, &mut rng, serial),
        }
    }
}

/// A steady `rate` events/s of thin `finding_updated` envelopes for
/// c-acme with increasing ids. High rates are sent in batches every 10 ms,
/// catching up on the schedule rather than drifting.
pub(crate) async fn rate(state: AppState, rate: f64, mut shutdown: watch::Receiver<bool>) {
    let period = Duration::from_secs_f64((1.0 / rate).max(0.01));
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let started = Instant::now();
    let mut sent: u64 = 0;
    loop {
        tokio::select! {
            _ = stopped(&mut shutdown) => return,
            _ = ticks.tick() => {}
        }
        let due = (started.elapsed().as_secs_f64() * rate) as u64 + 1;
        // After a long pause, skip ahead rather than burst more than 1 s.
        sent = sent.max(due.saturating_sub(rate.ceil() as u64));
        while sent < due {
            let id = format!("f-rate-{sent}");
            let severity = SEVERITIES[(sent % 6) as usize];
            let payload = json!({"finding_id": id, "title": format!("Load finding {sent}"), "severity": severity});
            let envelope = envelope::thin(
                "finding_updated",
                Some("c-acme"),
                Subject {
                    kind: "finding",
                    id: &id,
                },
                None,
                payload,
            );
            state.publish(&envelope, None);
            sent += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Token;
    use crate::fixture::Scope;

    #[test]
    fn demo_streams_only_bridged_types_and_the_rest_as_inbox_rows() {
        let state = AppState::new(Duration::from_secs(20), 100_000);
        let mut admin = state
            .hub()
            .subscribe("u-admin", Token::new("t"), Scope::All);
        let users = ["u-ana", "u-ben"];
        let before: Vec<usize> = users.iter().map(|u| state.inbox().summary(u).0).collect();
        let mut rng = StdRng::seed_from_u64(11);
        for serial in 0..300 {
            act(&state, &mut rng, serial);
        }
        let mut streamed = std::collections::BTreeSet::new();
        while let Ok(frame) = admin.queue.try_recv() {
            let text = String::from_utf8_lossy(&frame);
            let json = text.trim().trim_start_matches("data: ");
            let envelope: serde_json::Value = serde_json::from_str(json).expect("one JSON line");
            streamed.insert(envelope["type"].as_str().unwrap_or_default().to_string());
        }
        assert!(streamed.contains("finding_retested"), "{streamed:?}");
        for event_type in &streamed {
            assert!(is_bridged(event_type), "{event_type} is not bridged");
        }
        let query = crate::inbox::PageQuery {
            limit: 100,
            ..Default::default()
        };
        let mut rows = Vec::new();
        for (user, before) in users.iter().zip(before) {
            let fresh = state.inbox().summary(user).0 - before;
            let page = state.inbox().page(user, &query).items;
            rows.extend(page.into_iter().take(fresh).map(|row| row.event_type));
        }
        for unbridged in ["sla_escalated", "approval_requested"] {
            assert!(
                rows.iter().any(|t| t == unbridged),
                "{unbridged} reaches clients as a row"
            );
        }
    }

    #[test]
    fn demo_activity_respects_the_in_app_preference() {
        let state = AppState::new(Duration::from_secs(20), 16);
        let off = [
            ("in_app.finding_assigned".to_string(), false),
            ("sla_breached".to_string(), false),
        ];
        state
            .preferences()
            .insert("u-ana".to_string(), off.into_iter().collect());
        let (ana_before, _) = state.inbox().summary("u-ana");
        let (ben_before, _) = state.inbox().summary("u-ben");
        let mut rng = StdRng::seed_from_u64(7);
        for serial in 0..300 {
            act(&state, &mut rng, serial);
        }
        let query = crate::inbox::PageQuery {
            limit: 100,
            ..Default::default()
        };
        let fresh = |user: &str, before: usize| {
            let page = state.inbox().page(user, &query);
            let (total, _) = state.inbox().summary(user);
            page.items
                .into_iter()
                .take(total - before)
                .collect::<Vec<_>>()
        };
        let ana_rows = fresh("u-ana", ana_before);
        assert!(!ana_rows.is_empty(), "ana still gets other rows");
        assert!(
            ana_rows
                .iter()
                .all(|r| r.event_type != "finding_assigned" && r.event_type != "sla_breached")
        );
        let ben_rows = fresh("u-ben", ben_before);
        assert!(
            ben_rows.iter().any(|r| r.event_type == "finding_assigned"),
            "ben's defaults are on"
        );
    }
}
