//! Server text reaches a terminal as text: a title carrying escape
//! sequences (a window-title change, a CSI screen clear) is printed with
//! the controls shown, in `inbox` and in `watch`, and not a single ESC or
//! C1 byte reaches stdout.

mod support;

use std::process::Stdio;

use serde_json::json;
use support::*;
use tokio::io::{AsyncBufReadExt, BufReader};

/// ESC ] 0 ; x BEL (set the window title), then U+009B CSI 2 J (clear).
const HOSTILE: &str = "\u{1b}]0;x\u{7}hostile\u{9b}2J title";

/// No ESC, no C1 control, nor any other control but the newlines.
fn assert_no_controls(stdout: &str) {
    assert!(!stdout.contains('\u{1b}'), "ESC on stdout: {stdout:?}");
    let control = stdout.chars().find(|c| c.is_control() && *c != '\n');
    assert_eq!(control, None, "a control on stdout: {stdout:?}");
}

#[tokio::test]
async fn an_inbox_title_with_escape_sequences_prints_them_visibly() {
    let sim = Sim::start(&[]).await;
    sim.post(
        "/_sim/inbox",
        json!({"user": "u-ana", "title": HOSTILE, "emit": false}),
    )
    .await;
    let home = tempfile::tempdir().expect("tempdir");
    let output = cli(&home)
        .env("PMAP_TOKEN", "demo-ana")
        .args(["--server", &sim.url(), "inbox", "--limit", "100"])
        .output()
        .await
        .expect("run pmap-cli");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 stdout");
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("␛]0;x␇hostile\\u{9b}2J title"), "{stdout}");
    assert_no_controls(&stdout);
}

#[tokio::test]
async fn a_popup_title_with_escape_sequences_prints_them_visibly_in_watch_text() {
    let sim = Sim::start(&["--heartbeat-secs", "0.2"]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let mut child = cli(&home)
        .env("PMAP_TOKEN", "demo-ana")
        .args(["--server", &sim.url(), "watch"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn pmap-cli watch");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let mut stdout = String::new();
    let mut next_line_with = async |needle: &str| loop {
        let line = within(needle, lines.next_line())
            .await
            .expect("read stdout")
            .unwrap_or_else(|| panic!("pmap-cli exited before {needle:?}: {stdout}"));
        stdout.push_str(&line);
        stdout.push('\n');
        if line.contains(needle) {
            break;
        }
    };
    next_line_with("connection: live").await;
    let mut assigned = assigned_to_ana("f-hostile", "high", "corr-hostile");
    assigned["payload"]["title"] = json!(HOSTILE);
    sim.emit(assigned).await;
    next_line_with("hostile").await;
    let _ = child.start_kill();
    assert!(stdout.contains("␛]0;x␇hostile\\u{9b}2J title"), "{stdout}");
    assert_no_controls(&stdout);
}
