//! The app's windows as the X server has them (through `xdotool`, apt
//! package `xdotool`): which are mapped and what their titles say. The
//! test desktop has no window manager, so a mapped window is one the app
//! showed.

use std::process::Stdio;

use super::desktop::Desktop;

/// The titles of the app's viewable windows on the desktop's display
/// (its title starts with the app's name; dunst's pop-ups are windows
/// too).
pub fn visible_titles(desktop: &Desktop) -> Vec<String> {
    xdotool(
        desktop,
        &["search", "--onlyvisible", "--name", "^PMAP Companion"],
    )
    .lines()
    .map(|id| xdotool(desktop, &["getwindowname", id]).trim().to_owned())
    .filter(|title| title.starts_with("PMAP Companion"))
    .collect()
}

/// Waits until a viewable window is titled exactly `title`.
pub async fn wait_for_title(desktop: &Desktop, title: &str) {
    pmap_testkit::eventually(&format!("a window titled {title:?}"), || async {
        visible_titles(desktop)
            .iter()
            .any(|t| t == title)
            .then_some(())
    })
    .await
}

fn xdotool(desktop: &Desktop, args: &[&str]) -> String {
    let output = desktop
        .command("xdotool")
        .args(args)
        .stdout(Stdio::piped())
        .output()
        .expect("run xdotool (apt install xdotool)");
    // `search` exits 1 when nothing matches: no window is an answer too.
    String::from_utf8_lossy(&output.stdout).into_owned()
}
