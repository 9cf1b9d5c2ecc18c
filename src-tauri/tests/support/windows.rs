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
    visible_windows(desktop)
        .into_iter()
        .map(|(_, title)| title)
        .collect()
}

/// The app's viewable windows: X window id and title.
pub fn visible_windows(desktop: &Desktop) -> Vec<(String, String)> {
    xdotool(
        desktop,
        &["search", "--onlyvisible", "--name", "^PMAP Companion"],
    )
    .lines()
    .map(|id| {
        let title = xdotool(desktop, &["getwindowname", id]).trim().to_owned();
        (id.trim().to_owned(), title)
    })
    .filter(|(_, title)| title.starts_with("PMAP Companion"))
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

/// Waits until process `pid` shows a viewable window titled exactly
/// `title` (by the window's `_NET_WM_PID`: X may give a new window the
/// id a closed one had).
pub async fn wait_for_window_of(desktop: &Desktop, pid: u32, title: &str) {
    pmap_testkit::eventually(&format!("a window of {pid} titled {title:?}"), || async {
        visible_windows(desktop)
            .iter()
            .any(|(id, t)| {
                t == title && xdotool(desktop, &["getwindowpid", id]).trim() == pid.to_string()
            })
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

/// Asks every viewable app window to close, as a window manager's close
/// button does: a `WM_DELETE_WINDOW` client message, sent by
/// `tests/app/close_window.py` (the desktop has no window manager).
pub fn close_all(desktop: &Desktop) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/app/close_window.py");
    let ids = xdotool(
        desktop,
        &["search", "--onlyvisible", "--name", "^PMAP Companion"],
    );
    for id in ids.lines() {
        let status = desktop
            .command("python3")
            .args([script, id.trim()])
            .status()
            .expect("run python3");
        assert!(status.success(), "WM_DELETE_WINDOW to {id}: {status}");
    }
}

/// The processes whose parent is `pid` and whose command line has `flag`.
pub fn children_with_flag(pid: u32, flag: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|child| {
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
            // `pid (comm) state ppid ...`: comm may hold spaces, so split
            // after its closing parenthesis.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|ppid| ppid.parse::<u32>().ok());
            let cmdline = std::fs::read(format!("/proc/{child}/cmdline")).unwrap_or_default();
            ppid == Some(pid) && cmdline.split(|b| *b == 0).any(|arg| arg == flag.as_bytes())
        })
        .collect()
}
