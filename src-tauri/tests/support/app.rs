//! The real `pmap-companion` binary on a test desktop. The server comes in
//! `PMAP_SERVER` and the token in `PMAP_TOKEN` (never argv); its log goes
//! to a file that is printed when a test fails.

use std::path::PathBuf;
use std::process::{Child, Stdio};

use super::desktop::Desktop;

pub const BIN: &str = env!("CARGO_BIN_EXE_pmap-companion");

pub struct App {
    child: Child,
    pub log: PathBuf,
}

impl App {
    pub fn launch(desktop: &Desktop, server: &str, token: Option<&str>, args: &[&str]) -> App {
        App::launch_from(BIN, desktop, server, token, args)
    }

    /// [`App::launch`] with the program at `bin` (a copy, say).
    pub fn launch_from(
        bin: &str,
        desktop: &Desktop,
        server: &str,
        token: Option<&str>,
        args: &[&str],
    ) -> App {
        // A second launch on the same desktop logs beside the first.
        let log = (1..)
            .map(|n| match n {
                1 => desktop.path("app.log"),
                n => desktop.path(&format!("app-{n}.log")),
            })
            .find(|path| !path.exists())
            .expect("a free log name");
        let file = std::fs::File::create(&log).expect("log file");
        let mut command = desktop.command(bin);
        command
            .args(args)
            .env("PATH", launcher_path(desktop))
            .env("PMAP_SERVER", server)
            .env("PMAP_LOG", "info,pmap_companion=debug")
            .env("BROWSER", "true")
            .stderr(Stdio::from(file));
        match token {
            Some(token) => command.env("PMAP_TOKEN", token),
            None => command.env_remove("PMAP_TOKEN"),
        };
        let child = command.spawn().expect("start pmap-companion");
        App { child, log }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, once the process has exited.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().expect("wait on pmap-companion")
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The browser launcher the app finds first on its PATH: a real program
/// that records the URL it was asked to open (one per line) in
/// `opened-urls`, and the environment it inherited in `launcher-env`,
/// instead of starting a browser, so tests observe exactly what the app
/// handed to the desktop.
pub fn launcher_path(desktop: &Desktop) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = desktop.path("bin");
    std::fs::create_dir_all(&bin).expect("launcher dir");
    let record = desktop.path("opened-urls");
    let environment = desktop.path("launcher-env");
    let script = format!(
        "#!/bin/sh\nenv > '{}'\nprintf '%s\\n' \"$1\" >> '{}'\n",
        environment.display(),
        record.display()
    );
    let launcher = bin.join("xdg-open");
    std::fs::write(&launcher, script).expect("write launcher");
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755))
        .expect("chmod launcher");
    let system = std::env::var("PATH").unwrap_or_default();
    format!("{}:{system}", bin.display())
}

/// The environment the launcher last ran with, one `NAME=value` per line.
pub fn launcher_env(desktop: &Desktop) -> String {
    std::fs::read_to_string(desktop.path("launcher-env")).expect("the launcher ran")
}

/// The URLs the app asked the desktop to open so far.
pub fn opened_urls(desktop: &Desktop) -> Vec<String> {
    std::fs::read_to_string(desktop.path("opened-urls"))
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop();
        if std::thread::panicking() {
            eprintln!("---- pmap-companion log ----\n{}", self.log_text());
        }
    }
}
