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

/// Stores `secret` for `origin` as the app would, with libsecret's tool.
fn store(desktop: &Desktop, origin: &str, secret: &str) {
    let mut store = secret_tool(
        desktop,
        &[
            "store",
            "--label=PMAP Companion",
            "service",
            "pmap-companion",
            "username",
            origin,
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
        .write_all(secret.as_bytes())
        .expect("write secret");
    assert!(
        store.wait().expect("secret-tool").success(),
        "stored in gnome-keyring"
    );
}

/// The origins the keyring holds a token for, as libsecret's tool finds
/// them (it prints attributes on stdout or stderr, by version).
fn stored_origins(desktop: &Desktop) -> Vec<String> {
    let output = secret_tool(desktop, &pmap_testkit::secret_tool::SEARCH_ALL)
        .stderr(Stdio::piped())
        .output()
        .expect("secret-tool");
    pmap_testkit::secret_tool::stored_origins(&output)
}

#[tokio::test(flavor = "multi_thread")]
async fn keyring_token_signs_in_and_sign_out_deletes_every_servers_token() {
    let desktop = Desktop::start(Keyring::Unlocked);
    let sim = Sim::start().await;
    let origin = sim.url.clone();
    // Signed in here before, to another server: sign-out forgets both.
    let other = "https://pmap.other.example";
    store(&desktop, other, "token-for-the-other-server");
    store(&desktop, &origin, ANA);
    let mut both = vec![origin.clone(), other.to_owned()];
    both.sort();
    assert_eq!(stored_origins(&desktop), both);

    let mut panel = Panel::start(&desktop.bus).await;
    let app = App::launch(&desktop, &sim.url, None, &[]);
    sim.wait_for_stream("u-ana").await;
    let tray = panel.item().await;
    support::rig::status_line_shows(&tray, "Ana Analyst").await;

    tray.click("Sign out").await;
    wait_until("every keyring entry to go", || {
        stored_origins(&desktop).is_empty()
    });
    support::rig::status_line_shows(&tray, "Signed out").await;
    assert!(!app.log_text().contains(ANA), "the token reached the log");
    assert_eq!(
        support::files::containing(&desktop, ANA),
        Vec::<String>::new()
    );
}
