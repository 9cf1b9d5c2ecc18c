//! The one window, created on demand and destroyed when closed, so an idle
//! tray holds no webview (WebKit's web process exits with it).

use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::cli::View;

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
        .title("PMAP Companion")
        .inner_size(960.0, 680.0)
        .min_inner_size(480.0, 400.0)
        .build();
    if let Err(error) = built {
        tracing::error!(%error, "could not open the window");
    }
}
