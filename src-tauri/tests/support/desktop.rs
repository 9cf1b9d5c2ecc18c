//! A private headless desktop per test: its own D-Bus session bus, Xvfb
//! display, notification daemon (dunst) and, when asked, an unlocked
//! gnome-keyring with a throw-away HOME. Everything stops on drop.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use tempfile::TempDir;

static NEXT_DISPLAY: AtomicU32 = AtomicU32::new(0);

/// Which Secret Service the desktop has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyring {
    /// gnome-keyring, unlocked with a test password.
    Unlocked,
    /// No Secret Service on the bus at all.
    Missing,
}

pub struct Desktop {
    pub dir: TempDir,
    pub bus: String,
    pub display: String,
    /// `TZ` for processes started from now on; UTC unless a test says.
    pub time_zone: &'static str,
    children: Vec<(&'static str, Child)>,
}

impl Desktop {
    pub fn start(keyring: Keyring) -> Desktop {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["home", "config", "data", "cache", "state", "runtime"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        }
        set_private(&dir.path().join("runtime"));
        let mut desktop = Desktop {
            dir,
            bus: String::new(),
            display: String::new(),
            time_zone: "UTC",
            children: Vec::new(),
        };
        desktop.start_bus();
        desktop.start_display();
        let dunst = desktop
            .command("dunst")
            .spawn()
            .expect("start dunst (apt install dunst)");
        desktop.children.push(("dunst", dunst));
        desktop.wait_for_name("org.freedesktop.Notifications");
        if keyring == Keyring::Unlocked {
            desktop.start_keyring();
        }
        desktop.write_config(serde_json::json!({}));
        desktop
    }

    /// Writes the app's config.json. The morning agenda comes or not by the
    /// time of day, so it is off unless `config` sets it (`prefs.agenda`).
    pub fn write_config(&self, mut config: serde_json::Value) {
        let prefs = config
            .as_object_mut()
            .expect("a config object")
            .entry("prefs")
            .or_insert_with(|| serde_json::json!({}));
        if prefs.get("agenda").is_none() {
            prefs["agenda"] = serde_json::json!({"enabled": false});
        }
        let dir = self.path("config/pmap-companion");
        std::fs::create_dir_all(&dir).expect("config dir");
        std::fs::write(dir.join("config.json"), config.to_string()).expect("config");
    }

    pub fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    /// The environment every process on this desktop gets.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let p = |s: &str| self.path(s).to_string_lossy().into_owned();
        vec![
            ("HOME", p("home")),
            ("XDG_CONFIG_HOME", p("config")),
            ("XDG_DATA_HOME", p("data")),
            ("XDG_CACHE_HOME", p("cache")),
            ("XDG_STATE_HOME", p("state")),
            ("XDG_RUNTIME_DIR", p("runtime")),
            ("DISPLAY", self.display.clone()),
            ("DBUS_SESSION_BUS_ADDRESS", self.bus.clone()),
            // The private bus stands in for the system bus too: no hints
            // from the machine's logind or NetworkManager, and a test may
            // play them there.
            ("DBUS_SYSTEM_BUS_ADDRESS", self.bus.clone()),
            ("NO_AT_BRIDGE", "1".into()),
            ("GDK_BACKEND", "x11".into()),
            ("TZ", self.time_zone.into()),
        ]
    }

    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .envs(self.env())
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    fn start_bus(&mut self) {
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("bus address");
        self.bus = line.trim().to_owned();
        assert!(!self.bus.is_empty(), "dbus-daemon printed no address");
        self.children.push(("dbus-daemon", bus));
    }

    fn start_display(&mut self) {
        let base = 100 + (std::process::id() % 300) * 10;
        loop {
            let n = base + NEXT_DISPLAY.fetch_add(1, Ordering::SeqCst);
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            if Path::new(&format!("/tmp/.X{n}-lock")).exists() || socket.exists() {
                continue;
            }
            let xvfb = Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-screen",
                    "0",
                    "1280x860x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb (apt install xvfb)");
            self.children.push(("Xvfb", xvfb));
            self.display = format!(":{n}");
            wait_until("the X display", || socket.exists());
            return;
        }
    }

    fn start_keyring(&mut self) {
        let mut daemon = self
            .command("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .spawn()
            .expect("start gnome-keyring-daemon");
        let mut stdin = daemon.stdin.take().expect("stdin");
        stdin.write_all(b"pmap-test\n").expect("password");
        drop(stdin);
        self.children.push(("gnome-keyring-daemon", daemon));
        self.wait_for_name("org.freedesktop.secrets");
    }

    /// Waits until a well-known name has an owner on the bus.
    pub fn wait_for_name(&self, name: &str) {
        wait_until(name, || {
            Command::new("dbus-send")
                .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    &format!("string:{name}"),
                ])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
        });
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for (_, child) in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn set_private(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
}

/// Polls `ready` until it holds; panics naming `what` after the
/// workspace's patience.
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    pmap_testkit::eventually_blocking(what, || ready().then_some(()));
}
