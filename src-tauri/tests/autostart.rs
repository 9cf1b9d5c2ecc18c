//! Start on login, end to end: the Preferences toggle writes the XDG
//! autostart entry; `gio launch` runs its `Exec` line through GLib's
//! GDesktopAppInfo, as gnome-session and other session managers start
//! autostart entries; the app comes up in the tray with no window.

mod support;

use std::process::Stdio;

use support::desktop::{Desktop, Keyring};
use support::rig::status_line_shows;
use support::sim::{ANA, Sim};
use support::tray::Panel;
use support::webdriver::Driver;
use support::windows::visible_titles;

/// The single-instance plugin's name (the app's identifier + suffix):
/// whoever owns it is the running app.
const APP_NAME_ON_BUS: &str = "io.github.pmap.Companion.SingleInstance";

#[tokio::test(flavor = "multi_thread")]
async fn the_autostart_entry_the_toggle_writes_starts_the_app_hidden_in_the_tray() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start().await;
    let mut panel = Panel::start(&desktop.bus).await;
    let entry = desktop.path("config/autostart/pmap-companion.desktop");
    let env = [("PMAP_SERVER", sim.url.as_str()), ("PMAP_TOKEN", ANA)];

    // The user turns "Start PMAP Companion when I log in" on, then quits.
    let driver = Driver::start(&desktop, &env, &["--open", "preferences"]).await;
    let running = panel.item().await;
    driver
        .wait(
            "the autostart toggle",
            "return document.getElementById('autostart') !== null;",
        )
        .await;
    assert!(!entry.exists(), "no entry before the toggle");
    driver.click("#autostart").await;
    pmap_testkit::eventually_blocking("the autostart entry", || entry.exists().then_some(()));
    let validated = std::process::Command::new("desktop-file-validate")
        .arg(&entry)
        .output()
        .expect("run desktop-file-validate (apt install desktop-file-utils)");
    assert!(
        validated.status.success(),
        "{}",
        String::from_utf8_lossy(&validated.stdout)
    );
    running.click("Quit").await;
    let bus = zbus::connection::Builder::address(desktop.bus.as_str())
        .expect("address")
        .build()
        .await
        .expect("test bus");
    pmap_testkit::eventually("the app to quit", || async {
        owner_pid(&bus).await.is_none().then_some(())
    })
    .await;
    drop(driver);

    // Log-in: the session starts the entry. `gio launch` returns once the
    // app is spawned, so the app is no child of the test: kill it by the
    // pid that owns its name on the bus. It inherits gio's stderr: a file,
    // as a pipe would stay open for as long as the app runs.
    let log = desktop.path("autostarted.log");
    let launched = desktop
        .command("gio")
        .env("PMAP_SERVER", &sim.url)
        .env("PMAP_TOKEN", ANA)
        .env("PMAP_LOG", "info,pmap_companion=debug")
        .arg("launch")
        .arg(&entry)
        .stderr(Stdio::from(std::fs::File::create(&log).expect("log")))
        .status()
        .expect("run gio (apt install libglib2.0-bin)");
    let log_text = || std::fs::read_to_string(&log).unwrap_or_default();
    assert!(launched.success(), "gio launch: {}", log_text());
    let pid = pmap_testkit::eventually("the autostarted app on the bus", || async {
        owner_pid(&bus).await
    })
    .await;
    let _started = Killed(pid, log.clone());
    let tray = panel.item().await;
    sim.wait_for_stream("u-ana").await;
    status_line_shows(&tray, "Live").await;
    status_line_shows(&tray, &format!("{} unread", sim.unread(ANA).await)).await;
    assert_eq!(
        visible_titles(&desktop),
        Vec::<String>::new(),
        "started at log-in, the app waits in the tray"
    );
}

/// The pid of the process that owns the app's name on the bus, if any.
async fn owner_pid(bus: &zbus::Connection) -> Option<u32> {
    let dbus = zbus::fdo::DBusProxy::new(bus).await.expect("DBus proxy");
    let name = zbus::names::BusName::try_from(APP_NAME_ON_BUS).expect("a bus name");
    dbus.get_connection_unix_process_id(name).await.ok()
}

/// Kills a process that is no child of the test when dropped, and shows
/// its log if the test failed.
struct Killed(u32, std::path::PathBuf);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.0.to_string())
            .status();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.1).unwrap_or_default();
            eprintln!("---- autostarted pmap-companion log ----\n{log}");
        }
    }
}
