//! Start on login through an XDG autostart entry
//! (`$XDG_CONFIG_HOME/autostart/pmap-companion.desktop`).

use std::io;
use std::path::PathBuf;

const FILE: &str = "pmap-companion.desktop";

fn path() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("autostart").join(FILE))
}

pub fn enabled() -> bool {
    path().is_some_and(|p| p.exists())
}

/// Writes or removes the entry; it starts this very executable.
pub fn set(enabled: bool) -> io::Result<()> {
    let path = path().ok_or_else(|| io::Error::other("no config directory (is HOME set?)"))?;
    if !enabled {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        };
    }
    let exe = std::env::current_exe()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, entry(&exe.to_string_lossy()))
}

fn entry(exe: &str) -> String {
    // Exec quoting per the Desktop Entry spec: quote the path, escape
    // backslash, quote, backtick and dollar.
    let quoted: String = exe
        .chars()
        .flat_map(|c| match c {
            '"' | '`' | '$' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!(
        "[Desktop Entry]\nType=Application\nName=PMAP Companion\n\
         Comment=PMAP notifications in the tray\nExec=\"{quoted}\"\nIcon=pmap-companion\n\
         Terminal=false\nX-GNOME-Autostart-enabled=true\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_quotes_the_executable() {
        let text = entry("/opt/my apps/pmap$1");
        assert!(text.contains("Exec=\"/opt/my apps/pmap\\$1\"\n"), "{text}");
        assert!(text.starts_with("[Desktop Entry]\n"));
    }
}
