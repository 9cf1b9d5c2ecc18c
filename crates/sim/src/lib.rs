//! `pmap-sim`: a PMAP-compatible server implementing the contract in
//! `docs/protocol.md`, with deterministic demo data and fault injection.
//!
//! ## Architecture
//!
//! [`start`] binds a socket, builds the shared [`state`](crate::state) and
//! spawns an axum server plus optional background producers (the `demo`
//! scenario and the `--rate` load). Everything a request can see lives in
//! one `AppState`: the generated `Fixture` (users, findings, projects,
//! scans, agreements; immutable), the inbox and preference matrices
//! (behind mutexes), the token/scope faults, and the stream `Hub`.
//!
//! The hub is the only place frames fan out. Each `GET /api/v1/events`
//! registers a subscriber with a bounded queue of `buffer` frames; a
//! publisher (a REST mutation, a control call, a scenario) hands the hub an
//! envelope and the hub `try_send`s it to every subscriber whose scope
//! admits it. A full queue drops the frame for that subscriber only and
//! counts it, so the broadcaster never waits on a slow client. Each
//! response body is a small state machine (`stream::connection`) that
//! sends the ping, then queued frames, and a `: heartbeat` comment after
//! each idle interval; stall, close and shutdown arrive as watch signals.
//!
//! Pure rules live apart from IO so they can be unit tested: inbox paging
//! and which event types create rows (`inbox`), the calendar (`calendar`),
//! scope (`stream::hub`), the catalog with the types the stream carries
//! (`catalog`) and the preference lookup ([`preference_enabled`]). The
//! catalog is typed out here, not imported from companion-core: the
//! simulator is the protocol's second implementation, and core's
//! `catalog_drift` test compares the two.
//!
//! Shutdown ([`RunningSim::shutdown`]) stops the producers, closes every
//! stream so in-flight responses finish, and waits for axum's graceful
//! shutdown. Bearer tokens are wrapped in a type that prints `***` and
//! request spans record the path only, so tokens never reach the logs.

mod auth;
mod calendar;
mod catalog;
mod config;
mod envelope;
mod error;
mod fixture;
mod inbox;
mod routes;
mod scenario;
mod state;
mod stream;
mod time;
mod tls;

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use catalog::{CHANNELS, EVENT_TYPES, SEVERITIES, preference_enabled};
pub use config::{Scenario, SimConfig, TlsConfig};
pub use error::SimError;
pub use tls::CA_NAME;

use state::AppState;

/// How long shutdown waits for open responses before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A simulator that is listening. Dropping it leaves the tasks running
/// until the runtime ends; call [`RunningSim::shutdown`] to stop cleanly.
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    /// The CA's certificate (PEM) when serving https.
    ca_pem: Option<String>,
    state: AppState,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    producers: Vec<JoinHandle<()>>,
}

impl RunningSim {
    /// The bound address (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:43117` (`https://` with TLS).
    pub fn url(&self) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// With TLS: the PEM of the certificate authority that signed the
    /// server's certificate, which a client must be given to trust it.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Stops producers, closes every stream and waits for the server.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        self.state.hub().stop();
        for producer in self.producers {
            let _ = producer.await;
        }
        let mut server = self.server;
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
            Ok(Ok(Ok(()))) => tracing::info!("server stopped"),
            Ok(Ok(Err(error))) => tracing::warn!(%error, "server stopped with an error"),
            Ok(Err(error)) => tracing::warn!(%error, "server task failed"),
            Err(_) => {
                tracing::warn!("server did not stop in time; aborting it");
                server.abort();
            }
        }
    }
}

fn validate(config: &SimConfig) -> Result<(), SimError> {
    if config.control && !config.addr.ip().is_loopback() {
        return Err(SimError::ControlNotLoopback(config.addr));
    }
    if config.buffer == 0 {
        return Err(SimError::Config("buffer must be at least 1 frame".into()));
    }
    if config.heartbeat.is_zero() {
        return Err(SimError::Config("heartbeat must be longer than 0 s".into()));
    }
    if let Some(rate) = config.rate
        && !(rate.is_finite() && rate > 0.0)
    {
        return Err(SimError::Config(format!(
            "rate must be a positive number of events/s, not {rate}"
        )));
    }
    Ok(())
}

/// Binds `config.addr`, spawns the server and producers, and returns once
/// the socket is listening.
pub async fn start(config: SimConfig) -> Result<RunningSim, SimError> {
    validate(&config)?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| SimError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr()?;
    let state = AppState::new(config.heartbeat, config.buffer);
    let (shutdown, stop_signal) = watch::channel(false);
    let app = routes::router(state.clone(), config.control);
    let mut server_stop = stop_signal.clone();
    let stopped = async move {
        let _ = server_stop.wait_for(|stop| *stop).await;
    };
    let (server, ca_pem) = match &config.tls {
        None => {
            let serve = axum::serve(listener, app).with_graceful_shutdown(stopped);
            (tokio::spawn(serve.into_future()), None)
        }
        Some(tls) => {
            let certificates = tls::Certificates::generate(&tls.extra_names)?;
            let serve =
                axum::serve(certificates.listen(listener), app).with_graceful_shutdown(stopped);
            (tokio::spawn(serve.into_future()), Some(certificates.ca_pem))
        }
    };
    let mut producers = Vec::new();
    if config.scenario == Scenario::Demo {
        producers.push(tokio::spawn(scenario::demo(
            state.clone(),
            stop_signal.clone(),
        )));
    }
    if let Some(rate) = config.rate {
        producers.push(tokio::spawn(scenario::rate(
            state.clone(),
            rate,
            stop_signal.clone(),
        )));
    }
    tracing::info!(%addr, tls = ca_pem.is_some(), control = config.control, scenario = ?config.scenario, rate = ?config.rate, "listening");
    Ok(RunningSim {
        addr,
        ca_pem,
        state,
        shutdown,
        server,
        producers,
    })
}
