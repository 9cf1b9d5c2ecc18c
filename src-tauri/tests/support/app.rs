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
        let log = desktop.path("app.log");
        let file = std::fs::File::create(&log).expect("log file");
        let mut command = desktop.command(BIN);
        command
            .args(args)
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

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop();
        if std::thread::panicking() {
            eprintln!("---- pmap-companion log ----\n{}", self.log_text());
        }
    }
}
