//! The headless desktop, live simulator and observers the app's E2E tests
//! share. Each test gets its own bus, display, daemons and simulator.
#![allow(dead_code)]

pub mod app;
pub mod desktop;
pub mod dock;
pub mod files;
pub mod notifications;
pub mod rig;
pub mod sim;
pub mod tray;
pub mod webdriver;
pub mod windows;
