//! The one window, created on demand and destroyed when closed, so an idle
//! tray holds no webview (WebKit's web process exits with it). Its title
//! carries the unread count, which is where a desktop without a tray
//! shows it (in the window list and the dock's tooltip).

use tauri::{AppHandle, Emitter, Manager, Url, WebviewUrl, WebviewWindowBuilder};

use crate::cli::View;
use crate::state::AppState;
use crate::status::Status;

pub const LABEL: &str = "main";

/// Shows `view`, creating the window if there is none.
pub fn open(app: &AppHandle, view: View) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.emit("navigate", view.as_str());
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let url = WebviewUrl::App(format!("index.html#{}", view.as_str()).into());
    let built = WebviewWindowBuilder::new(app, LABEL, url)
        .on_navigation(|url| {
            let stays = is_app_page(url);
            if !stays {
                tracing::warn!(%url, "the window may not leave the app; links open in the browser");
            }
            stays
        })
        .title(app.status().window_title())
        .inner_size(960.0, 680.0)
        .min_inner_size(480.0, 400.0)
        .build();
    if let Err(error) = built {
        tracing::error!(%error, "could not open the window");
    }
}

/// Brings the open window's title in line with `status`.
pub fn retitle(app: &AppHandle, status: &Status) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let title = status.window_title();
        if window.title().ok().as_deref() != Some(title.as_str()) {
            let _ = window.set_title(&title);
        }
    }
}

/// The app's own pages, as Tauri serves them: `tauri://localhost` on Linux
/// and macOS, `http(s)://tauri.localhost` on Windows. The window never
/// navigates anywhere else, whatever a page or a link in it asks.
fn is_app_page(url: &Url) -> bool {
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) => true,
        ("http" | "https", Some("tauri.localhost")) => url.port().is_none(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_stays_on_the_apps_own_pages() {
        let page = |text: &str| is_app_page(&Url::parse(text).expect("URL"));
        for allowed in [
            "tauri://localhost/index.html#inbox",
            "tauri://localhost/",
            "http://tauri.localhost/index.html",
        ] {
            assert!(page(allowed), "{allowed} was refused");
        }
        for refused in [
            "https://evil.test/",
            "http://127.0.0.1:8080/",
            "tauri://localhost.evil.test/",
            "http://tauri.localhost:8080/",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
        ] {
            assert!(!page(refused), "{refused} was allowed");
        }
    }
}
