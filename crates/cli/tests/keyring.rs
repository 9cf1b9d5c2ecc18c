//! `login` / `status` / `logout` through the real Secret Service
//! (gnome-keyring in the private D-Bus session `make test` starts).

mod support;

use pmap_testkit::secret_tool;
use support::*;
use tokio::io::AsyncWriteExt;

/// `make test` exports PMAP_TEST_KEYRING=1 after unlocking a throw-away
/// keyring; CI must always have it, elsewhere the test explains and skips.
fn keyring_available() -> bool {
    if std::env::var_os("PMAP_TEST_KEYRING").is_some() {
        return true;
    }
    assert!(
        std::env::var("CI").is_err(),
        "CI must run the keyring tests: run them through `make test`"
    );
    eprintln!("skipping: no test keyring (run through `make test`)");
    false
}

async fn cli_with_stdin(
    sim: &Sim,
    home: &tempfile::TempDir,
    args: &[&str],
    stdin: &str,
) -> (i32, String, String) {
    let mut child = cli(home)
        .args(["--server", &sim.url()])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.as_bytes())
        .await
        .expect("write stdin");
    drop(input);
    let output = child.wait_with_output().await.expect("wait");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every file under `dir` that contains `needle`.
fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            hits.extend(files_containing(&path, needle));
        } else if std::fs::read(&path)
            .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        {
            hits.push(path);
        }
    }
    hits
}

#[tokio::test]
async fn login_stores_the_token_in_the_keyring_only_and_logout_removes_it() {
    if !keyring_available() {
        return;
    }
    let sim = Sim::start(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    // A token the fixture does not know is refused and nothing is stored.
    let (code, _, stderr) = cli_with_stdin(&sim, &home, &["login"], "not-a-token\n").await;
    assert_ne!(code, 0);
    assert!(stderr.contains("401"), "{stderr}");
    assert!(stderr.contains("run `pmap-cli login` again"), "{stderr}");
    let (code, _, stderr) = cli_with_stdin(&sim, &home, &["status"], "").await;
    assert_ne!(code, 0);
    assert!(stderr.contains("not signed in"), "{stderr}");
    assert!(stderr.contains("run `pmap-cli login`"), "{stderr}");

    let (code, stdout, stderr) = cli_with_stdin(&sim, &home, &["login"], "demo-ben\n").await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Ben Builder"), "{stdout}");
    // Later commands find the server in the config and the token in the keyring.
    let output = cli(&home)
        .args(["--format", "json", "status"])
        .output()
        .await
        .expect("status");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).expect("status JSON");
    assert_eq!(status["token_source"], "keyring");
    assert_eq!(status["user"]["id"], "u-ben");
    assert!(
        files_containing(home.path(), "demo-ben").is_empty(),
        "the token reached a file"
    );
    assert!(!stderr.contains("demo-ben"));

    let (code, stdout, _) = cli_with_stdin(&sim, &home, &["logout"], "").await;
    assert_eq!(code, 0);
    assert!(stdout.contains("deleted the token for"), "{stdout}");
    let (code, _, stderr) = cli_with_stdin(&sim, &home, &["status"], "").await;
    assert_ne!(code, 0);
    assert!(stderr.contains("not signed in"), "{stderr}");
}

/// What the Secret Service itself holds for this app, asked with
/// libsecret's own tool: the origin of each stored token, sorted.
fn stored_origins() -> Vec<String> {
    let output = std::process::Command::new("secret-tool")
        .args(secret_tool::SEARCH_ALL)
        .output()
        .expect("secret-tool (apt install libsecret-tools)");
    secret_tool::stored_origins(&output)
}

/// Signing in to a second server asks what to do with the first one's
/// token, and sign-out deletes every token, whichever server it was for.
#[tokio::test]
async fn a_second_server_needs_a_choice_and_logout_forgets_every_server() {
    if !keyring_available() {
        return;
    }
    let (first, second) = (Sim::start(&[]).await, Sim::start(&[]).await);
    let home = tempfile::tempdir().expect("tempdir");
    let mut both = vec![first.url(), second.url()];
    both.sort();
    let (code, _, stderr) = cli_with_stdin(&first, &home, &["login"], "demo-ana\n").await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stored_origins(), vec![first.url()]);

    // No choice made: nothing is stored for the second server.
    let (code, _, stderr) = cli_with_stdin(&second, &home, &["login"], "demo-ben\n").await;
    assert_ne!(code, 0);
    assert!(stderr.contains(&first.url()), "{stderr}");
    assert!(stderr.contains("--forget-others"), "{stderr}");
    assert!(stderr.contains("--keep-others"), "{stderr}");
    assert_eq!(stored_origins(), vec![first.url()]);

    // Keep: both are stored, and each server still signs in with its own.
    let (code, _, stderr) =
        cli_with_stdin(&second, &home, &["login", "--keep-others"], "demo-ben\n").await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stored_origins(), both);
    for (sim, user) in [(&first, "u-ana"), (&second, "u-ben")] {
        let output = cli(&home)
            .args(["--server", &sim.url(), "--format", "json", "status"])
            .output()
            .await
            .expect("status");
        let status: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("status JSON");
        assert_eq!(status["user"]["id"], user);
    }

    // Sign-out forgets every server.
    let (code, stdout, _) = cli_with_stdin(&second, &home, &["logout"], "").await;
    assert_eq!(code, 0);
    assert!(
        stdout.contains(&first.url()) && stdout.contains(&second.url()),
        "{stdout}"
    );
    assert_eq!(stored_origins(), Vec::<String>::new());

    // Forget: only the server signed in to last keeps a token.
    for (sim, args) in [
        (&first, &["login"][..]),
        (&second, &["login", "--forget-others"][..]),
    ] {
        let (code, _, stderr) = cli_with_stdin(sim, &home, args, "demo-ana\n").await;
        assert_eq!(code, 0, "{stderr}");
    }
    assert_eq!(stored_origins(), vec![second.url()]);
    let (code, _, _) = cli_with_stdin(&second, &home, &["logout"], "").await;
    assert_eq!(code, 0);
}

#[tokio::test]
async fn login_with_a_ca_file_saves_it_so_later_commands_trust_the_tls_server() {
    if !keyring_available() {
        return;
    }
    let sim = Sim::start_tls(&[]).await;
    let home = tempfile::tempdir().expect("tempdir");
    let ca = sim.ca_file.clone().expect("TLS sim");
    // Without the CA, sign-in is refused with the cure, and nothing is saved.
    let (code, _, stderr) = cli_with_stdin(&sim, &home, &["login"], "demo-ana\n").await;
    assert_ne!(code, 0);
    assert!(stderr.contains("login --ca-file"), "{stderr}");
    let ca_arg = ca.display().to_string();
    let (code, stdout, stderr) =
        cli_with_stdin(&sim, &home, &["login", "--ca-file", &ca_arg], "demo-ana\n").await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Ana Analyst"), "{stdout}");
    let config: serde_json::Value = serde_json::from_slice(
        &std::fs::read(home.path().join("config/pmap-companion/config.json")).expect("config"),
    )
    .expect("config JSON");
    assert_eq!(config["ca_file"], ca_arg);
    // `status` reads server, CA file (config) and token (keyring) back.
    let output = cli(&home)
        .env_remove("SSL_CERT_FILE")
        .args(["--format", "json", "status"])
        .output()
        .await
        .expect("status");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).expect("status JSON");
    assert_eq!(status["user"]["id"], "u-ana");
    let (code, _, _) = cli_with_stdin(&sim, &home, &["logout"], "").await;
    assert_eq!(code, 0);
}
