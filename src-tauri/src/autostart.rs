//! Start on login through an XDG autostart entry
//! (`$XDG_CONFIG_HOME/autostart/pmap-companion.desktop`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::desktop_entry::DESKTOP_ID;

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
    write_atomically(&path, &entry(&exe.to_string_lossy())?)
}

/// Writes `text` to a temporary file next to `path` and renames it over
/// `path`, so a session starting meanwhile, or a crash, never sees half an
/// entry.
fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("the autostart entry has no directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The entry that starts `exe`, or an error if no `Exec=` line can name
/// it: the spec has no escape for a control character.
fn entry(exe: &str) -> io::Result<String> {
    if exe.chars().any(char::is_control) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the app's path {exe:?} contains a control character, which an \
                 autostart entry cannot name: move the app to a plain path"
            ),
        ));
    }
    // Exec quoting per the Desktop Entry spec, in its two layers. Inside
    // the quoted argument, backslash, quote, backtick and dollar take a
    // backslash; then, because `Exec` is itself a string value, every
    // backslash is doubled again ("\\\\" is one literal backslash, "\\$" a
    // dollar). A literal `%` is `%%`, or it would start a field code.
    let argument: String = exe
        .chars()
        .flat_map(|c| match c {
            '"' | '`' | '$' | '\\' => vec!['\\', c],
            '%' => vec!['%', '%'],
            c => vec![c],
        })
        .collect();
    let quoted = argument.replace('\\', "\\\\");
    Ok(format!(
        "[Desktop Entry]\nType=Application\nName=PMAP Companion\n\
         Comment=PMAP notifications in the tray\nExec=\"{quoted}\"\nIcon={DESKTOP_ID}\n\
         Terminal=false\nX-GNOME-Autostart-enabled=true\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_quotes_the_executable() {
        let text = entry("/opt/my apps/pmap$1").expect("a plain path");
        assert!(
            text.contains("Exec=\"/opt/my apps/pmap\\\\$1\"\n"),
            "{text}"
        );
        assert!(text.starts_with("[Desktop Entry]\n"));
    }

    /// The spec's own examples: a literal backslash in a quoted argument is
    /// four backslashes in the file, a dollar sign is two and a dollar.
    #[test]
    fn entry_escapes_for_both_the_string_and_the_quoting_rules() {
        let cases = [
            ("/opt/a\\b/pmap", "Exec=\"/opt/a\\\\\\\\b/pmap\""),
            ("/opt/$HOME/pmap", "Exec=\"/opt/\\\\$HOME/pmap\""),
            ("/opt/\"q\"/pmap", "Exec=\"/opt/\\\\\"q\\\\\"/pmap\""),
            ("/opt/`b`/pmap", "Exec=\"/opt/\\\\`b\\\\`/pmap\""),
        ];
        for (exe, want) in cases {
            let text = entry(exe).expect("a plain path");
            assert!(text.contains(&format!("{want}\n")), "{exe}: {text}");
        }
    }

    #[test]
    fn entry_writes_a_literal_percent_as_two_so_it_is_no_field_code() {
        let text = entry("/opt/100%u/pmap").expect("a plain path");
        assert!(text.contains("Exec=\"/opt/100%%u/pmap\"\n"), "{text}");
    }

    #[test]
    fn entry_refuses_control_characters_with_a_clear_error() {
        for exe in [
            "/opt/a\nExec=evil",
            "/opt/a\tb",
            "/opt/\u{1b}]0;x",
            "/opt/\u{85}",
        ] {
            let error = entry(exe).expect_err(exe);
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{exe:?}");
            assert!(error.to_string().contains("control character"), "{error}");
        }
    }

    #[test]
    fn writing_puts_a_new_file_in_place_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(FILE);
        std::fs::write(&path, "old entry, longer than the new one ".repeat(40)).expect("old");
        // A second name for the old file: writing in place would change
        // it too, a rename of a new file leaves it whole.
        let other = dir.path().join("other-name");
        std::fs::hard_link(&path, &other).expect("hard link");
        write_atomically(&path, "new entry\n").expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new entry\n");
        assert!(
            std::fs::read_to_string(&other)
                .expect("read")
                .starts_with("old entry"),
            "the entry was rewritten in place, not replaced"
        );
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["other-name", FILE], "no temporary file is left");
    }
}
