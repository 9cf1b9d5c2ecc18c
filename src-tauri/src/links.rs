//! Deep links open in the system browser. Only the engine's `OpenUrl`
//! effect comes here, and the engine has already refused anything off the
//! server's origin (`companion_core::engine`'s one same-origin check), so
//! this module only launches.

use std::process::Stdio;

use crate::memory;

/// Opens `url`, which the engine allowed, in the browser.
pub fn open(url: &str) {
    // Each launcher in turn, as `open::that` does, but off the event loop
    // (xdg-open may wait for the browser) and without the environment the
    // app set for itself.
    let url = url.to_owned();
    let launch = move || {
        for mut command in open::commands(&url) {
            for name in memory::unset_for_children() {
                command.env_remove(name);
            }
            let status = command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            match status {
                Ok(status) if status.success() => return,
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    tracing::warn!(%error, url, "could not open the browser");
                    return;
                }
            }
        }
        tracing::warn!(url, "no launcher could open the browser");
    };
    if let Err(error) = std::thread::Builder::new()
        .name("open-link".into())
        .spawn(launch)
    {
        tracing::warn!(%error, "could not open the browser");
    }
}
