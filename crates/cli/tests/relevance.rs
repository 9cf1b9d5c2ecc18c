//! Only what is mine, end to end: a real `pmap-cli watch` against a real
//! `pmap-sim`. A pop-up that must not come is proved absent by a marker
//! that must come after it (frames are decided in order).

mod support;

use serde_json::{Value, json};
use support::*;

/// `sla_breached` on `finding` in Ana's company, assigned to `assignees`.
fn breach(finding: &str, assignees: &[&str]) -> Value {
    json!({"type": "sla_breached", "company_id": "c-acme", "payload": {
        "finding_id": finding, "title": format!("Breach of {finding}"), "severity": "high",
        "assignee_ids": assignees, "schema_version": 1, "correlation_id": format!("corr-{finding}"),
        "subject_type": "finding", "subject_id": finding, "actor_type": "system",
        "actor_id": "sla-engine", "timestamp": "2026-11-24T09:15:02.123456789Z"}})
}

fn popup_about(v: &Value, needle: &str) -> bool {
    is_effect(v, "notify")
        && (v["title"].as_str().is_some_and(|t| t.contains(needle))
            || v["url"].as_str().is_some_and(|u| u.ends_with(needle)))
}

/// Waits for the pop-up about `marker`; returns every pop-up seen before.
async fn popups_before(watch: &mut Watch, marker: &str) -> Vec<Value> {
    watch
        .wait_for(&format!("the pop-up about {marker}"), |v| {
            popup_about(v, marker)
        })
        .await;
    watch
        .seen
        .iter()
        .filter(|v| is_effect(v, "notify"))
        .cloned()
        .collect()
}

async fn run_cli(sim: &Sim, home: &tempfile::TempDir, args: &[&str]) {
    let output = cli(home)
        .env("PMAP_TOKEN", "demo-ana")
        .args(["--server", &sim.url()])
        .args(args)
        .output()
        .await
        .expect("run pmap-cli");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Starts `watch` in `home` and waits until it is live and has applied the
/// user's server matrix.
async fn watch_with_matrix(sim: &Sim, home: tempfile::TempDir) -> Watch {
    let mut watch = Watch::start_in(sim, "demo-ana", &[], home).await;
    watch
        .wait_for("the server matrix to be applied", |v| {
            v["observed"] == "server_prefs"
        })
        .await;
    watch
        .saw_or_wait_for("connection live", |v| {
            is_effect(v, "connection") && v["state"] == "live"
        })
        .await;
    watch
}

#[tokio::test]
async fn a_breach_pops_up_for_the_findings_owner_not_for_everyone_in_the_company() {
    let sim = Sim::start(&[]).await;
    let mut watch = watch_with_matrix(&sim, tempfile::tempdir().expect("tempdir")).await;
    sim.emit(breach("f-of-ben", &["u-ben"])).await;
    sim.emit(breach("f-of-ana", &["u-ana"])).await;
    let shown = popups_before(&mut watch, "f-of-ana").await;
    assert!(
        !shown.iter().any(|v| popup_about(v, "f-of-ben")),
        "Ben's breach popped up for Ana: {shown:#?}"
    );
}

#[tokio::test]
async fn an_approval_row_follows_the_approval_cell_and_ignores_the_others() {
    let sim = Sim::start(&[]).await;
    // (approval_requested cell, notification_created cell, pops up)
    let cases = [("off", "on", false), ("on", "off", true)];
    for (approval, generic, want) in cases {
        let home = tempfile::tempdir().expect("tempdir");
        run_cli(
            &sim,
            &home,
            &["prefs", "set", "popup.approval_requested", approval],
        )
        .await;
        run_cli(
            &sim,
            &home,
            &["prefs", "set", "popup.notification_created", generic],
        )
        .await;
        let mut watch = watch_with_matrix(&sim, home).await;
        let title = format!("Approve exception {approval}-{generic}");
        sim.post(
            "/_sim/inbox",
            json!({"user": "u-ana", "event_type": "approval_requested", "title": title}),
        )
        .await;
        let marker = format!("f-marker-{approval}");
        sim.emit(assigned_to_ana(&marker, "high", &format!("corr-{marker}")))
            .await;
        let shown = popups_before(&mut watch, &marker).await;
        let approval_shown = shown.iter().any(|v| popup_about(v, &title));
        assert_eq!(
            approval_shown, want,
            "approval {approval}, rows {generic}: {shown:#?}"
        );
    }
}

#[tokio::test]
async fn turning_in_app_off_on_the_server_silences_the_desktop_pop_up() {
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    run_cli(&sim, &home, &["prefs", "set", "in_app.sla_breached", "off"]).await;
    let mut watch = watch_with_matrix(&sim, home).await;
    sim.emit(breach("f-silenced", &["u-ana"])).await;
    sim.emit(assigned_to_ana("f-after", "high", "corr-f-after"))
        .await;
    let shown = popups_before(&mut watch, "f-after").await;
    assert!(
        !shown.iter().any(|v| popup_about(v, "f-silenced")),
        "in-app is off on the server, yet: {shown:#?}"
    );
}
