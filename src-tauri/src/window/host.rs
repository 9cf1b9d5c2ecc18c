//! The app's side of the window: it starts the window process on demand,
//! answers its calls through the commands, and tells it what changed.

use std::future::Future;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde_json::Value;
use tauri::{AppHandle, Manager};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

use super::shows::Shows;
use super::wire::{self, FromWindow, ToWindow};
use crate::cli::{View, WINDOW_PROCESS_FLAG};
use crate::memory;
use crate::state::{AppState, lock};
use crate::status::Status;

/// Runs one call from the page: the command's name and its arguments, to
/// its value or the message its promise is rejected with. `lib.rs` hands
/// in `commands::dispatch`, which this module cannot import (the commands
/// sit above it).
pub type Dispatch =
    fn(AppHandle, String, Value) -> Pin<Box<dyn Future<Output = Result<Value, Value>> + Send>>;

/// The window process, if one is running, and how to reach it.
pub struct WindowHost {
    link: Mutex<Option<Link>>,
    started: AtomicU64,
    dispatch: Dispatch,
}

struct Link {
    /// Tells a `Closed` or an ended process from a newer one's.
    generation: u64,
    to_window: mpsc::UnboundedSender<ToWindow>,
    shows: Shows,
}

impl Link {
    fn show(&mut self, view: View) -> bool {
        let sent = self.to_window.send(ToWindow::Show { view }).is_ok();
        if sent {
            self.shows.sent(view);
        }
        sent
    }
}

impl WindowHost {
    pub fn new(dispatch: Dispatch) -> WindowHost {
        WindowHost {
            link: Mutex::new(None),
            started: AtomicU64::new(0),
            dispatch,
        }
    }

    /// Sends what `messages` makes, only if a window process is running:
    /// with no window (the tray's usual state) nothing is built.
    fn send_with(&self, messages: impl FnOnce() -> Vec<ToWindow>) {
        if let Some(link) = lock(&self.link).as_ref() {
            for message in messages() {
                let _ = link.to_window.send(message);
            }
        }
    }

    fn answered(&self, generation: u64) {
        if let Some(link) = lock(&self.link).as_mut()
            && link.generation == generation
        {
            link.shows.answered();
        }
    }

    /// The window process `generation` closed its window or ended: the
    /// next Open starts a new one, and a Show it left unanswered (sent as
    /// the window was closing) is opened in a new one now.
    fn ended(&self, app: &AppHandle, generation: u64) {
        let reopen = {
            let mut link = lock(&self.link);
            if link.as_ref().is_some_and(|l| l.generation == generation) {
                link.take().and_then(|l| l.shows.to_reopen())
            } else {
                None
            }
        };
        if let Some(view) = reopen {
            tracing::info!(
                view = view.as_str(),
                "a Show went unanswered; opening the window again"
            );
            show_or_start(app, view, Shows::retrying);
        }
    }
}

/// Shows `view`, starting the window process if there is none.
pub fn open(app: &AppHandle, view: View) {
    show_or_start(app, view, Shows::default);
}

/// Shows `view` in the running window process, or starts one whose Show
/// bookkeeping begins as `shows` makes it.
fn show_or_start(app: &AppHandle, view: View, shows: fn() -> Shows) {
    let host = app.state::<WindowHost>();
    let mut link = lock(&host.link);
    if let Some(current) = link.as_mut()
        && current.show(view)
    {
        return;
    }
    match start(app, &host, view, shows()) {
        Ok(started) => *link = Some(started),
        Err(error) => tracing::error!(%error, "could not start the window process"),
    }
}

/// Brings an open window's title and page in line with `status`.
pub fn update(app: &AppHandle, status: &Status) {
    app.state::<WindowHost>().send_with(|| {
        let title = ToWindow::Title {
            title: status.window_title(),
        };
        [Some(title), event("status", status)]
            .into_iter()
            .flatten()
            .collect()
    });
}

/// Hands the app event `name` to an open window's page.
pub fn relay(app: &AppHandle, name: &str, payload: impl Serialize) {
    app.state::<WindowHost>()
        .send_with(|| event(name, payload).into_iter().collect());
}

fn event(name: &str, payload: impl Serialize) -> Option<ToWindow> {
    Some(ToWindow::Event {
        name: name.to_owned(),
        payload: serde_json::to_value(payload).ok()?,
    })
}

/// This process's own program, as the kernel keeps it.
const SELF_EXE: &str = "/proc/self/exe";

/// Starts this program as the window process, its standard input one end
/// of a socket pair whose other end the app keeps; the window is shown on
/// `view` as soon as the process reads its first lines.
fn start(app: &AppHandle, host: &WindowHost, view: View, shows: Shows) -> io::Result<Link> {
    let (ours, theirs) = UnixStream::pair()?;
    // `/proc/self/exe` is this very program even after a package upgrade
    // replaced the file: the window process always speaks the app's own
    // version of the wire. Its name stays the app's (window lists, WM_CLASS).
    let name = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.file_name().map(|n| n.to_os_string()))
        .unwrap_or_else(|| "pmap-companion".into());
    let child = Command::new(SELF_EXE)
        .arg0(name)
        .arg(WINDOW_PROCESS_FLAG)
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        .spawn()?;
    let generation = host.started.fetch_add(1, Ordering::Relaxed);
    tracing::info!(pid = child.id(), "window process started");
    let (to_window, queued) = mpsc::unbounded_channel();
    let title = app.status().window_title();
    let _ = to_window.send(ToWindow::Title { title });
    let answers = to_window.clone();
    tauri::async_runtime::spawn(serve(app.clone(), generation, ours, child, queued, answers));
    let mut link = Link {
        generation,
        to_window,
        shows,
    };
    link.show(view);
    Ok(link)
}

/// Carries messages both ways until the window process ends, then reaps it.
async fn serve(
    app: AppHandle,
    generation: u64,
    socket: UnixStream,
    child: Child,
    mut queued: mpsc::UnboundedReceiver<ToWindow>,
    answers: mpsc::UnboundedSender<ToWindow>,
) {
    let socket = socket
        .set_nonblocking(true)
        .and_then(|()| tokio::net::UnixStream::from_std(socket));
    let socket = match socket {
        Ok(socket) => socket,
        Err(error) => {
            tracing::error!(%error, "no link to the window process");
            return reap(&app, generation, child).await;
        }
    };
    let (read, mut write) = socket.into_split();
    let writer = tauri::async_runtime::spawn(async move {
        while let Some(message) = queued.recv().await {
            if write.write_all(&wire::line(&message)).await.is_err() {
                break;
            }
        }
    });
    let dispatch = app.state::<WindowHost>().dispatch;
    let mut lines = BufReader::new(read).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        match serde_json::from_str::<FromWindow>(&line) {
            Ok(FromWindow::Call { id, command, args }) => {
                let (app, answers) = (app.clone(), answers.clone());
                tauri::async_runtime::spawn(async move {
                    let (ok, value) = match dispatch(app, command, args).await {
                        Ok(value) => (true, value),
                        Err(message) => (false, message),
                    };
                    let _ = answers.send(ToWindow::Answer { id, ok, value });
                });
            }
            Ok(FromWindow::Shown) => app.state::<WindowHost>().answered(generation),
            Ok(FromWindow::Closed) => app.state::<WindowHost>().ended(&app, generation),
            Err(error) => tracing::warn!(%error, "unreadable line from the window process"),
        }
    }
    writer.abort();
    reap(&app, generation, child).await;
}

async fn reap(app: &AppHandle, generation: u64, mut child: Child) {
    app.state::<WindowHost>().ended(app, generation);
    let pid = child.id();
    match tauri::async_runtime::spawn_blocking(move || child.wait()).await {
        Ok(Ok(status)) => {
            let trimmed_kib = memory::trim_start_up_pages();
            tracing::info!(pid, %status, trimmed_kib, "window process ended");
        }
        Ok(Err(error)) => tracing::warn!(pid, %error, "window process not reaped"),
        Err(error) => tracing::warn!(pid, %error, "window process not reaped"),
    }
}
