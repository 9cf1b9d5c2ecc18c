//! Server settings with their documented defaults, in one place.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

/// What the simulator should do once it is listening.
///
/// `Default` is the quiet, test-friendly setup: an ephemeral port on
/// loopback, no control endpoints, 20 s heartbeats, 256-frame buffers, no
/// generated activity, plain http.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Enable the `/_sim/*` fault-injection endpoints (loopback only).
    pub control: bool,
    /// Idle time after which a stream gets a `: heartbeat` comment.
    pub heartbeat: Duration,
    /// Frames each stream may queue before new frames are dropped for it.
    pub buffer: usize,
    /// Background activity to generate.
    pub scenario: Scenario,
    /// Steady synthetic load in events per second, if any.
    pub rate: Option<f64>,
    /// Serve https with a certificate authority made at start.
    pub tls: Option<TlsConfig>,
}

/// `--tls`: what the server certificate names besides `localhost`,
/// `127.0.0.1` and `::1`.
#[derive(Debug, Clone, Default)]
pub struct TlsConfig {
    /// Extra DNS names or IP addresses for the server certificate.
    pub extra_names: Vec<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            control: false,
            heartbeat: Duration::from_secs(20),
            buffer: 256,
            scenario: Scenario::None,
            rate: None,
            tls: None,
        }
    }
}

/// Generated background activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// Only what requests and control calls cause.
    #[default]
    None,
    /// A believable stream of platform activity every 2–5 s.
    Demo,
}
