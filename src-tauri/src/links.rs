//! Deep links open in the system browser, and only on the server's origin:
//! a pop-up or inbox row can never send the user somewhere else.

use std::process::Stdio;

use url::Url;

use crate::memory;

/// Whether `url` has exactly the origin `origin` (scheme, host, port).
pub fn same_origin(url: &str, origin: &str) -> bool {
    match (Url::parse(url), Url::parse(origin)) {
        (Ok(url), Ok(origin)) => url.origin() == origin.origin(),
        _ => false,
    }
}

/// Opens `url` in the browser if it is same-origin; logs and refuses otherwise.
pub fn open(url: &str, origin: &str) {
    if !same_origin(url, origin) {
        tracing::warn!(
            url,
            origin,
            "refused to open a link outside the server's origin"
        );
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_exact_origin_passes() {
        let origin = "https://pmap.example.com";
        let cases = [
            ("https://pmap.example.com/findings/f-1", true),
            ("https://pmap.example.com:443/notifications", true),
            ("http://pmap.example.com/findings/f-1", false),
            ("https://pmap.example.com.evil.test/x", false),
            ("https://evil.test/?u=https://pmap.example.com", false),
            ("https://pmap.example.com:8443/x", false),
            ("javascript:alert(1)", false),
            ("not a url", false),
        ];
        for (url, want) in cases {
            assert_eq!(same_origin(url, origin), want, "{url}");
        }
    }
}
