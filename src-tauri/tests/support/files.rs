//! Scans what the app may write for a secret that must not be there.

use super::desktop::Desktop;

/// Files under the app's HOME/XDG dirs that contain `needle`.
pub fn containing(desktop: &Desktop, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack: Vec<_> = ["home", "config", "data", "cache", "state"]
        .iter()
        .map(|d| desktop.path(d))
        .collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}
