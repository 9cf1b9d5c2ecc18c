//! One app per session: a second launch (the menu entry clicked again, a
//! second autostart) hands over to the running app and exits, and the
//! running app shows its window. Observed as the desktop sees it: the
//! second process's exit, the first one's window on the X display. The
//! window lives in a process of its own, which closing it ends.

mod support;

use support::app::{App, BIN};
use support::desktop::{Desktop, Keyring};
use support::sim::{ANA, Sim};
use support::tray::{Item, Panel};
use support::windows::{
    children_with_flag, close_all, visible_titles, wait_for_title, wait_for_window_of,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_second_launch_exits_and_the_running_app_shows_its_window() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start().await;
    let mut panel = Panel::start(&desktop.bus).await;
    let mut first = App::launch(&desktop, &sim.url, Some(ANA), &[]);
    // Registered in the tray: the first app is set up, and holds the
    // single-instance name on the bus.
    let _tray = panel.item().await;
    sim.wait_for_stream("u-ana").await;
    assert_eq!(visible_titles(&desktop), Vec::<String>::new());

    let mut second = App::launch(&desktop, &sim.url, Some(ANA), &[]);
    let status = pmap_testkit::eventually_blocking("the second launch to exit", || second.exited());
    assert!(
        status.success(),
        "the second launch failed: {status}\n{}",
        second.log_text()
    );

    let unread = sim.unread(ANA).await;
    wait_for_title(&desktop, &format!("PMAP Companion ({unread} unread)")).await;
    let titles = visible_titles(&desktop);
    assert_eq!(titles.len(), 1, "one window, the first app's: {titles:?}");
    assert!(first.exited().is_none(), "the first app keeps running");
    assert_eq!(
        sim_streams(&sim).await,
        1,
        "one stream: the second app never connected"
    );
}

/// The window runs in a process of its own that ends when the window is
/// closed (so WebKit's memory goes with it); the tray app keeps running
/// and its stream open, and the next Open starts a new window process.
#[tokio::test(flavor = "multi_thread")]
async fn closing_the_window_ends_its_process_and_the_tray_keeps_running() {
    let mut w = WithWindow::start().await;
    let (desktop, sim, title, windows) = (&w.desktop, &w.sim, &w.title, &w.windows);

    close_all(desktop);
    pmap_testkit::eventually_blocking("the window process to end", || {
        (children_with_flag(w.app.pid(), WINDOW_PROCESS).is_empty()
            && !std::path::Path::new(&format!("/proc/{}", windows[0])).exists())
        .then_some(())
    });
    assert_eq!(visible_titles(desktop), Vec::<String>::new());
    assert!(w.app.exited().is_none(), "the tray app keeps running");
    assert_eq!(sim_streams(sim).await, 1, "its stream stays open");

    // Opened again (a second launch, as the menu entry does): a new
    // window process, the same app.
    let mut again = App::launch(desktop, &sim.url, Some(ANA), &[]);
    pmap_testkit::eventually_blocking("the second launch to exit", || again.exited());
    wait_for_title(desktop, title).await;
    let reopened = children_with_flag(w.app.pid(), WINDOW_PROCESS);
    assert_eq!(reopened.len(), 1, "one window process again");
    assert_ne!(reopened, *windows, "a new process");
    assert!(w.app.exited().is_none(), "the tray app keeps running");
}

/// An Open the window process never answers (it came as the window was
/// closing, or as the process crashed) is not lost: once that process has
/// ended, the app opens the window in a new one. The test keeps the
/// window process stopped, so it cannot answer, asks for the window with
/// a second launch, and then kills it.
#[tokio::test(flavor = "multi_thread")]
async fn an_open_the_window_process_never_answered_opens_a_new_window() {
    let mut w = WithWindow::start().await;
    let (desktop, sim, title, windows) = (&w.desktop, &w.sim, &w.title, &w.windows);

    signal("STOP", windows[0]);
    let mut again = App::launch(desktop, &sim.url, Some(ANA), &[]);
    let status = pmap_testkit::eventually_blocking("the second launch to exit", || again.exited());
    assert!(status.success(), "{status}\n{}", again.log_text());
    signal("KILL", windows[0]);

    let reopened = pmap_testkit::eventually_blocking("a new window process", || {
        let now = children_with_flag(w.app.pid(), WINDOW_PROCESS);
        (!now.is_empty() && now != *windows).then_some(now)
    });
    assert_eq!(reopened.len(), 1, "one window process again");
    wait_for_window_of(desktop, reopened[0], title).await;
    assert!(w.app.exited().is_none(), "the tray app keeps running");
}

fn signal(name: &str, pid: u32) {
    let status = std::process::Command::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name} {pid}: {status}");
}

/// The app started with its window open, live, in the tray.
struct WithWindow {
    desktop: Desktop,
    sim: Sim,
    app: App,
    /// The window's title, with the unread count.
    title: String,
    /// The one window process, the app's child.
    windows: Vec<u32>,
    _panel: Panel,
    _tray: Item,
}

impl WithWindow {
    async fn start() -> WithWindow {
        let desktop = Desktop::start(Keyring::Missing);
        let sim = Sim::start().await;
        let mut panel = Panel::start(&desktop.bus).await;
        let app = App::launch(&desktop, &sim.url, Some(ANA), &["--open", "inbox"]);
        let tray = panel.item().await;
        sim.wait_for_stream("u-ana").await;
        let unread = sim.unread(ANA).await;
        let title = format!("PMAP Companion ({unread} unread)");
        wait_for_title(&desktop, &title).await;
        let windows = children_with_flag(app.pid(), WINDOW_PROCESS);
        assert_eq!(windows.len(), 1, "one window process, the app's child");
        WithWindow {
            desktop,
            sim,
            app,
            title,
            windows,
            _panel: panel,
            _tray: tray,
        }
    }
}

/// The flag the app starts its window process with.
const WINDOW_PROCESS: &str = "--window-process";

/// How many event streams the simulator has open.
async fn sim_streams(sim: &Sim) -> usize {
    let stats: serde_json::Value = reqwest::get(format!("{}/_sim/stats", sim.url))
        .await
        .expect("stats")
        .json()
        .await
        .expect("stats JSON");
    stats["connections"].as_array().map_or(0, Vec::len)
}

/// A package upgrade replaces the program file under a running app. The
/// window process is still started from the program the app runs (the
/// kernel keeps it), not from a path that now names nothing or a newer
/// version.
#[tokio::test(flavor = "multi_thread")]
async fn the_window_opens_after_the_program_file_was_replaced() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start().await;
    let mut panel = Panel::start(&desktop.bus).await;
    let copy = desktop.path("pmap-companion");
    std::fs::copy(BIN, &copy).expect("copy the program");
    let copy = copy.to_str().expect("a UTF-8 path").to_owned();
    let mut app = App::launch_from(&copy, &desktop, &sim.url, Some(ANA), &[]);
    let _tray = panel.item().await;
    sim.wait_for_stream("u-ana").await;
    // What an upgrade does to the old file: it is gone from its path.
    std::fs::remove_file(&copy).expect("remove the program file");

    let mut again = App::launch(&desktop, &sim.url, Some(ANA), &[]);
    pmap_testkit::eventually_blocking("the second launch to exit", || again.exited());
    let unread = sim.unread(ANA).await;
    wait_for_title(&desktop, &format!("PMAP Companion ({unread} unread)")).await;
    assert_eq!(children_with_flag(app.pid(), WINDOW_PROCESS).len(), 1);
    assert!(app.exited().is_none(), "the app keeps running");
}
