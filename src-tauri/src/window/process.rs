//! The window process: a Tauri app with the one window and nothing else.
//! Every command the page calls is forwarded to the app by name and
//! answered from there; the app's events, the title and "show this view"
//! come back the same way. Closing the window ends the process, and with
//! it WebKit's memory; so does the app quitting.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tauri::ipc::{Invoke, InvokeBody};
use tauri::{AppHandle, Emitter, Manager, Url, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tokio::sync::oneshot;

use super::LABEL;
use super::wire::{self, FromWindow, ToWindow};
use crate::cli::View;
use crate::state::lock;

/// Runs the window process until its window closes or the app goes away.
pub fn run() -> ExitCode {
    let socket = match app_socket() {
        Ok(socket) => socket,
        Err(error) => {
            eprintln!(
                "pmap-companion: the window process is started by the app, not by hand ({error})"
            );
            return ExitCode::FAILURE;
        }
    };
    let link = match socket.try_clone() {
        Ok(writer) => Link::new(writer),
        Err(error) => {
            eprintln!("pmap-companion: no link to the app: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (calls, closing) = (link.clone(), link.clone());
    let built = tauri::Builder::default()
        .invoke_handler(move |invoke| forward(&calls, invoke))
        .on_window_event(move |_, event| match event {
            WindowEvent::CloseRequested { .. } => closing.closing(),
            WindowEvent::Destroyed => {
                closing.closing();
                closing.say(&FromWindow::Closed);
            }
            _ => {}
        })
        .setup(move |app| {
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("app-link".into())
                .spawn(move || listen(&handle, socket, &link))?;
            Ok(())
        })
        .build(tauri::generate_context!());
    match built {
        // With its one window closed, the process exits.
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("pmap-companion: could not open the window: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// The socket the app passed as standard input.
fn app_socket() -> std::io::Result<UnixStream> {
    let socket = UnixStream::from(std::io::stdin().as_fd().try_clone_to_owned()?);
    // Anything but a socket (a terminal, a file) has no peer.
    socket.peer_addr()?;
    Ok(socket)
}

/// The calls the page has made and not had answered yet.
#[derive(Clone)]
struct Link(Arc<Calls>);

struct Calls {
    writer: Mutex<UnixStream>,
    next: AtomicU64,
    waiting: Mutex<HashMap<u64, oneshot::Sender<(bool, Value)>>>,
    /// The window is closing: a Show now goes unanswered, and the app
    /// opens a new window once this process has gone.
    closing: AtomicBool,
}

impl Link {
    fn new(writer: UnixStream) -> Link {
        Link(Arc::new(Calls {
            writer: Mutex::new(writer),
            next: AtomicU64::new(0),
            waiting: Mutex::new(HashMap::new()),
            closing: AtomicBool::new(false),
        }))
    }

    fn closing(&self) {
        self.0.closing.store(true, Ordering::SeqCst);
    }

    fn is_closing(&self) -> bool {
        self.0.closing.load(Ordering::SeqCst)
    }

    fn say(&self, message: &FromWindow) -> bool {
        lock(&self.0.writer).write_all(&wire::line(message)).is_ok()
    }

    /// Sends the call; the receiver gets the answer, or an error if the
    /// app is gone.
    fn call(&self, command: String, args: Value) -> oneshot::Receiver<(bool, Value)> {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed);
        let (answer, answered) = oneshot::channel();
        lock(&self.0.waiting).insert(id, answer);
        if !self.say(&FromWindow::Call { id, command, args }) {
            lock(&self.0.waiting).remove(&id);
        }
        answered
    }

    fn answer(&self, id: u64, ok: bool, value: Value) {
        if let Some(waiting) = lock(&self.0.waiting).remove(&id) {
            let _ = waiting.send((ok, value));
        }
    }
}

/// Hands a call from the page to the app; Tauri has already checked it
/// against the window's capability.
fn forward(link: &Link, invoke: Invoke) -> bool {
    let command = invoke.message.command().to_owned();
    let args = match invoke.message.payload() {
        InvokeBody::Json(args) => args.clone(),
        InvokeBody::Raw(_) => Value::Null,
    };
    let answered = link.call(command, args);
    tauri::async_runtime::spawn(async move {
        match answered.await {
            Ok((true, value)) => invoke.resolver.resolve(value),
            Ok((false, message)) => invoke.resolver.reject(message),
            Err(_) => invoke.resolver.reject("PMAP Companion has quit"),
        }
    });
    true
}

/// Follows the app's lines until it goes away, then exits.
fn listen(app: &AppHandle, socket: UnixStream, link: &Link) {
    let mut title = String::from("PMAP Companion");
    for line in BufReader::new(socket).lines() {
        let Ok(line) = line else { break };
        match serde_json::from_str::<ToWindow>(&line) {
            Ok(ToWindow::Answer { id, ok, value }) => link.answer(id, ok, value),
            Ok(ToWindow::Event { name, payload }) => {
                let _ = app.emit(&name, payload);
            }
            Ok(ToWindow::Title { title: new }) => {
                title = new;
                if let Some(window) = app.get_webview_window(LABEL)
                    && window.title().ok().as_deref() != Some(title.as_str())
                {
                    let _ = window.set_title(&title);
                }
            }
            // A window that is closing is not shown again (nor built anew in
            // this process, which is on its way out): left unanswered, the
            // Show is the app's to open in a new process.
            Ok(ToWindow::Show { view }) if !link.is_closing() => {
                if show(app, view, &title) {
                    link.say(&FromWindow::Shown);
                }
            }
            Ok(ToWindow::Show { .. }) => {}
            Err(error) => tracing::warn!(%error, "unreadable line from the app"),
        }
    }
    app.exit(0);
}

/// Shows `view`, building the window the first time; false if it could
/// not be built.
fn show(app: &AppHandle, view: View, title: &str) -> bool {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.emit("navigate", view.as_str());
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return true;
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
        .title(title)
        .inner_size(960.0, 680.0)
        .min_inner_size(480.0, 400.0)
        .build();
    if let Err(error) = &built {
        tracing::error!(%error, "could not open the window");
    }
    built.is_ok()
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
