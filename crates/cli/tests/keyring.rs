//! `login` / `status` / `logout` through the real Secret Service
//! (gnome-keyring in the private D-Bus session `make test` starts).

mod support;

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
    assert!(stdout.contains("token was deleted"), "{stdout}");
    let (code, _, stderr) = cli_with_stdin(&sim, &home, &["status"], "").await;
    assert_ne!(code, 0);
    assert!(stderr.contains("not signed in"), "{stderr}");
}
