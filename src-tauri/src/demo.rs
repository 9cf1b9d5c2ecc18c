//! `--demo`: the simulator runs inside the app on loopback with the demo
//! scenario, and the app signs in as Ana Analyst with the fixture's public
//! demo token. Nothing is written to the keyring or the config.

use std::sync::Mutex;

use companion_core::rest::ServerUrl;
use pmap_sim::{RunningSim, Scenario, SimConfig};
use tauri::{AppHandle, Manager};

/// Holds the simulator for the app's lifetime: dropping it would stop it.
struct DemoSim(#[allow(dead_code)] Mutex<RunningSim>);

/// Ana Analyst's token in the simulator's fixture (public test data).
pub const TOKEN: &str = "demo-ana";

/// Starts the simulator and returns its URL. It runs until the app exits.
pub async fn start(app: &AppHandle) -> Result<ServerUrl, String> {
    let sim = pmap_sim::start(SimConfig {
        scenario: Scenario::Demo,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    tracing::info!(url = %sim.url(), "demo simulator listening");
    let url = ServerUrl::parse(&sim.url()).map_err(|e| e.to_string())?;
    app.manage(DemoSim(Mutex::new(sim)));
    Ok(url)
}
