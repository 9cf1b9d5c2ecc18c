//! Sign-in through the real window (WebDriver): session only without a
//! keyring, into the keyring with one (and the choice about another
//! server's token), behind a company CA; and what the window itself may do
//! (its commands, no emit, no navigating away).

mod support;

use pmap_testkit::eventually;
use serde_json::{Value, json};
use support::desktop::{Desktop, Keyring};
use support::sim::{ANA, Sim};
use support::webdriver::{Driver, doc_screenshot};

/// Without a Secret Service the sign-in still works for the session, says
/// so, and writes the token nowhere.
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_without_a_keyring_is_session_only_and_writes_no_token() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start().await;
    let env = [("PMAP_SERVER", sim.url.as_str())];
    let driver = Driver::start(&desktop, &env, &["--open", "sign-in"]).await;
    driver
        .wait(
            "sign-in form",
            "return document.getElementById('token') !== null;",
        )
        .await;
    let offered = driver
        .js("return document.getElementById('server').value;", json!([]))
        .await;
    assert_eq!(offered, json!(sim.url), "the form offers the server given");
    doc_screenshot(&driver, "sign-in").await;
    let message = sign_in_through_the_form(&driver, &sim.url, ANA).await;
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.contains("this session only")),
        "{message}"
    );
    sim.wait_for_stream("u-ana").await;
    let token_field = driver
        .js("return document.getElementById('token').value;", json!([]))
        .await;
    assert_eq!(token_field, json!(""), "the form forgets the token");
    assert_eq!(
        support::files::containing(&desktop, ANA),
        Vec::<String>::new()
    );
}

/// With an unlocked Secret Service the sign-in form's token lands in the
/// keyring (and nowhere else) and the session goes live. A token saved for
/// another server is named on the form, and forgotten unless the user
/// chooses to keep it. The window itself may only call the app's commands
/// and listen to events, and never leaves the app's pages.
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_stores_the_token_in_the_keyring() {
    let desktop = Desktop::start(Keyring::Unlocked);
    let sim = Sim::start().await;
    let other = "https://pmap.other.example";
    let saved = desktop
        .command("secret-tool")
        .args([
            "store",
            "--label=PMAP Companion",
            "service",
            "pmap-companion",
        ])
        .args(["username", other, "application", "rust-keyring"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(b"other-token")?;
            child.wait()
        })
        .expect("secret-tool");
    assert!(saved.success(), "a token for another server is stored");
    let env = [("PMAP_SERVER", sim.url.as_str())];
    let driver = Driver::start(&desktop, &env, &["--open", "sign-in"]).await;
    let named = driver
        .wait(
            "the sign-in form to name the other server",
            "const f = document.querySelector('fieldset.others'); \
             return f && !f.hidden && document.getElementById('others-forget').checked \
               && document.getElementById('other-servers').textContent;",
        )
        .await;
    assert_eq!(named, json!(other));
    let message = sign_in_through_the_form(&driver, &sim.url, ANA).await;
    assert_eq!(message, json!("Signed in as Ana Analyst."));
    sim.wait_for_stream("u-ana").await;
    let stored = desktop
        .command("secret-tool")
        .args(["lookup", "service", "pmap-companion", "username", &sim.url])
        .stdout(std::process::Stdio::piped())
        .output()
        .expect("secret-tool");
    assert_eq!(
        String::from_utf8_lossy(&stored.stdout).trim(),
        ANA,
        "the token is in the keyring"
    );
    let forgotten = desktop
        .command("secret-tool")
        .args(["lookup", "service", "pmap-companion", "username", other])
        .stdout(std::process::Stdio::piped())
        .output()
        .expect("secret-tool");
    assert_eq!(
        String::from_utf8_lossy(&forgotten.stdout).trim(),
        "",
        "the other server's token was forgotten, as the form's default said"
    );
    assert_eq!(
        support::files::containing(&desktop, ANA),
        Vec::<String>::new()
    );

    // The capability: listening works (the views update live), emitting
    // and any plugin not granted are refused, the app's commands answer.
    let ipc = |command: &str| {
        format!(
            "return window.__TAURI_INTERNALS__.invoke('{command}', \
               {{ event: 'navigate', payload: 'status' }}) \
               .then(() => 'allowed', (e) => 'refused: ' + e);"
        )
    };
    let emitted = driver.js(&ipc("plugin:event|emit"), json!([])).await;
    assert!(
        emitted.as_str().is_some_and(|m| m.starts_with("refused")),
        "{emitted}"
    );
    let opener = driver.js(&ipc("plugin:opener|open_url"), json!([])).await;
    assert!(
        opener.as_str().is_some_and(|m| m.starts_with("refused")),
        "{opener}"
    );
    let status = driver.js(&ipc("status"), json!([])).await;
    assert_eq!(status, json!("allowed"));

    // The navigation guard: the page cannot take the window elsewhere. The
    // app's refusal (in its log, which tauri-driver passes on) says the
    // attempt was decided; the page is still the app's.
    driver
        .js("window.location.href = 'https://evil.test/';", json!([]))
        .await;
    eventually("the app to refuse the navigation", || async {
        std::fs::read_to_string(desktop.path("tauri-driver.log"))
            .unwrap_or_default()
            .lines()
            .any(|l| l.contains("may not leave the app") && l.contains("evil.test"))
            .then_some(())
    })
    .await;
    let here = driver.js("return window.location.origin;", json!([])).await;
    assert_eq!(here, json!("tauri://localhost"), "the window left the app");
}

/// Fills the sign-in form, submits it and returns the "Signed in…" message.
async fn sign_in_through_the_form(driver: &Driver, server: &str, token: &str) -> Value {
    driver
        .js(
            "document.getElementById('server').value = arguments[0];\
             document.getElementById('token').value = arguments[1];\
             document.querySelector('form.sign-in button[type=submit]').click();",
            json!([server, token]),
        )
        .await;
    driver
        .wait(
            "sign-in result",
            "const m = document.getElementById('sign-in-message').textContent; \
               return m.startsWith('Signed in') ? m : null;",
        )
        .await
}

/// Behind a company CA: the sign-in form takes the CA's PEM file, the
/// sign-in over https works with it, and the file is saved in the config.
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_with_a_company_ca_file_reaches_a_tls_server() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start_tls().await;
    let ca = desktop.path("company-ca.pem");
    std::fs::write(&ca, sim.running.ca_pem().expect("a TLS sim")).expect("write CA");
    let env = [("PMAP_SERVER", sim.url.as_str())];
    let driver = Driver::start(&desktop, &env, &["--open", "sign-in"]).await;
    driver
        .wait(
            "sign-in form",
            "return document.getElementById('ca-file') !== null;",
        )
        .await;
    // Without it the server's certificate is refused, and the form says so.
    driver
        .js(
            "document.getElementById('server').value = arguments[0]; \
             document.getElementById('token').value = arguments[1]; \
             document.querySelector('form.sign-in button[type=submit]').click();",
            json!([sim.url, ANA]),
        )
        .await;
    let refused = driver
        .wait(
            "the refusal",
            "const m = document.getElementById('sign-in-message').textContent; \
             return m && m !== 'Checking…' ? m : null;",
        )
        .await;
    assert!(
        refused.as_str().is_some_and(|m| m.contains("certificate")),
        "{refused}"
    );
    driver
        .js(
            "document.getElementById('ca-file').value = arguments[0];",
            json!([ca.display().to_string()]),
        )
        .await;
    let message = sign_in_through_the_form(&driver, &sim.url, ANA).await;
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.starts_with("Signed in as Ana Analyst")),
        "{message}"
    );
    sim.wait_for_stream("u-ana").await;
}
