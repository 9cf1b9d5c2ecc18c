//! The token's home is the real Secret Service (gnome-keyring on the test
//! bus): the app signs in with what is stored there, and Sign out in the
//! tray deletes it. No file the app writes contains the token.

mod support;

use std::process::{Command, Stdio};

use std::io::Write;
use support::app::App;
use support::desktop::{Desktop, Keyring, wait_until};
use support::sim::{ANA, Sim};
use support::tray::Panel;

fn secret_tool(desktop: &Desktop, args: &[&str]) -> Command {
    let mut command = desktop.command("secret-tool");
    command.args(args).stdout(Stdio::piped());
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn keyring_token_signs_in_and_sign_out_deletes_it() {
    let desktop = Desktop::start(Keyring::Unlocked);
    let sim = Sim::start().await;
    let origin = sim.url.clone();
    let mut store = secret_tool(
        &desktop,
        &[
            "store",
            "--label=PMAP Companion",
            "service",
            "pmap-companion",
            "username",
            &origin,
            "application",
            "rust-keyring",
        ],
    )
    .stdin(Stdio::piped())
    .spawn()
    .expect("secret-tool (apt install libsecret-tools)");
    store
        .stdin
        .take()
        .expect("stdin")
        .write_all(ANA.as_bytes())
        .expect("write secret");
    assert!(
        store.wait().expect("secret-tool").success(),
        "stored in gnome-keyring"
    );

    let mut panel = Panel::start(&desktop.bus).await;
    let app = App::launch(&desktop, &sim.url, None, &[]);
    sim.wait_for_stream("u-ana").await;
    let tray = panel.item().await;
    support::rig::status_line_shows(&tray, "Ana Analyst").await;

    tray.click("Sign out").await;
    let lookup = || {
        secret_tool(
            &desktop,
            &["lookup", "service", "pmap-companion", "username", &origin],
        )
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
    };
    wait_until("the keyring entry to go", || lookup().is_empty());
    support::rig::status_line_shows(&tray, "Signed out").await;
    assert!(!app.log_text().contains(ANA), "the token reached the log");
    assert_eq!(
        support::files::containing(&desktop, ANA),
        Vec::<String>::new()
    );
}
