//! What the operating system says about the machine: it woke from sleep, or
//! its network went away or came back. The shell hears these on the system
//! bus (logind, NetworkManager: `shell::system_bus`); the rules live here.
//!
//! - **Resumed**: reconnect at once. A stream that still looks live after a
//!   suspend is most likely a TCP connection nobody is at the other end of,
//!   and a back-off wait begun before the suspend is stale.
//! - **Offline**: show [`ConnectionState::Offline`] over the stream's own
//!   state until the network returns (never over `SignedOut` or `Error`,
//!   which need the user, not a network). Events that still arrive (a
//!   server on loopback) are handled as usual.
//! - **Reach improves** (offline → limited or full, limited → full):
//!   reconnect at once rather than wait out a back-off.

use serde::{Deserialize, Serialize};

use super::{ConnectionState, Effect, Engine};

/// How far the network reaches, as the operating system judges it. Ordered:
/// a change to a greater value is the network coming back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkReach {
    /// No network at all.
    Offline,
    /// Some network: a local or site network, a captive portal, a link
    /// still coming up. An intranet PMAP may well be reachable.
    Limited,
    /// The internet is reachable (or nothing says otherwise).
    Full,
}

/// One thing the operating system told the shell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", content = "reach", rename_all = "snake_case")]
pub enum SystemEvent {
    /// The machine woke from sleep (logind `PrepareForSleep(false)`).
    Resumed,
    /// The network's reach is now this (NetworkManager).
    Network(NetworkReach),
}

/// The state to show: `Offline` over anything but the stopped states.
pub(crate) fn shown(stream: &ConnectionState, reach: NetworkReach) -> ConnectionState {
    if reach == NetworkReach::Offline && !stream.is_stopped() {
        ConnectionState::Offline
    } else {
        stream.clone()
    }
}

impl Engine {
    pub(crate) fn on_system(&mut self, event: SystemEvent, out: &mut Vec<Effect>) {
        match event {
            SystemEvent::Resumed => self.reconnect(out),
            SystemEvent::Network(reach) => {
                let before = std::mem::replace(&mut self.reach, reach);
                self.announce_connection(out);
                if reach > before {
                    self.reconnect(out);
                }
            }
        }
    }

    /// A stopped stream (401, 403) waits for the user, not the network.
    fn reconnect(&mut self, out: &mut Vec<Effect>) {
        if !self.stopped() {
            out.push(Effect::Reconnect);
        }
    }
}
