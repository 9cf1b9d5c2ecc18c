//! Resume and roaming: what logind and NetworkManager say on the system bus,
//! passed to the engine as [`SystemEvent`]s.
//!
//! - logind's `PrepareForSleep(false)` (the machine woke up) becomes
//!   [`SystemEvent::Resumed`].
//! - NetworkManager's `State` and `Connectivity` (read at start, then
//!   followed through `StateChanged` and `PropertiesChanged`) become a
//!   [`NetworkReach`], sent each time it changes.
//!
//! Signals are taken only from the current owner of each well-known name
//! (zbus tracks the owner), so another process on the bus cannot fake a
//! resume. No system bus, or no logind or NetworkManager on it, is normal
//! (containers, other desktops): it is logged once at debug level and the
//! session carries on without these hints. `DBUS_SYSTEM_BUS_ADDRESS`
//! chooses the bus, which is how tests play both services on a private one.

use std::collections::HashMap;

use futures_util::StreamExt;
use zbus::proxy::CacheProperties;
use zbus::zvariant::OwnedValue;
use zbus::{Connection, Proxy};

use super::runner::Controls;
use crate::engine::{NetworkReach, SystemEvent};

const LOGIND: &str = "org.freedesktop.login1";
const LOGIND_PATH: &str = "/org/freedesktop/login1";
const LOGIND_MANAGER: &str = "org.freedesktop.login1.Manager";
const NM: &str = "org.freedesktop.NetworkManager";
const NM_PATH: &str = "/org/freedesktop/NetworkManager";
const PROPERTIES: &str = "org.freedesktop.DBus.Properties";

/// Listens until the shell behind `controls` stops. Spawn it next to
/// [`run`](super::run); it never fails the session.
pub async fn watch_system_bus(controls: Controls) {
    tokio::select! {
        _ = controls.closed() => {}
        result = listen(&controls) => match result {
            Ok(()) => tracing::debug!("the system bus closed; resume and network changes go unnoticed"),
            Err(error) => tracing::debug!(%error, "no system bus; resume and network changes go unnoticed"),
        },
    }
}

async fn listen(controls: &Controls) -> zbus::Result<()> {
    let bus = Connection::system().await?;
    let logind = proxy(&bus, LOGIND, LOGIND_PATH, LOGIND_MANAGER).await?;
    let nm = proxy(&bus, NM, NM_PATH, NM).await?;
    let nm_properties = proxy(&bus, NM, NM_PATH, PROPERTIES).await?;
    let mut sleeps = logind.receive_signal("PrepareForSleep").await?;
    let mut states = nm.receive_signal("StateChanged").await?;
    let mut changes = nm_properties
        .receive_signal_with_args("PropertiesChanged", &[(0, NM)])
        .await?;
    // Read only once subscribed, so no change can fall between the two.
    let mut network = NmNetwork {
        state: nm.get_property::<u32>("State").await.ok(),
        connectivity: nm.get_property::<u32>("Connectivity").await.ok(),
    };
    if network.state.is_none() && network.connectivity.is_none() {
        tracing::debug!("NetworkManager is not answering; assuming the network is up");
    }
    let mut reach = network.reach();
    controls.system(SystemEvent::Network(reach)).await;
    loop {
        tokio::select! {
            Some(message) = sleeps.next() => {
                if message.body().deserialize::<bool>() == Ok(false) {
                    tracing::info!("the system resumed from sleep");
                    controls.system(SystemEvent::Resumed).await;
                }
                continue;
            }
            Some(message) = states.next() => {
                if let Ok(state) = message.body().deserialize::<u32>() {
                    network.state = Some(state);
                }
            }
            Some(message) = changes.next() => {
                type Changed = (String, HashMap<String, OwnedValue>, Vec<String>);
                if let Ok((_, changed, _)) = message.body().deserialize::<Changed>() {
                    network.apply(&changed);
                }
            }
            else => return Ok(()),
        }
        let now = network.reach();
        if now != reach {
            tracing::info!(?now, "the network changed");
            reach = now;
            controls.system(SystemEvent::Network(now)).await;
        }
    }
}

async fn proxy<'a>(
    bus: &Connection,
    destination: &'static str,
    path: &'static str,
    interface: &'static str,
) -> zbus::Result<Proxy<'a>> {
    zbus::proxy::Builder::new(bus)
        .destination(destination)?
        .path(path)?
        .interface(interface)?
        .cache_properties(CacheProperties::No)
        .build()
        .await
}

/// NetworkManager's two views of the network, as last heard.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct NmNetwork {
    /// `NMState`: 10 asleep, 20 disconnected, 30 disconnecting,
    /// 40 connecting, 50 local, 60 site, 70 global.
    state: Option<u32>,
    /// `NMConnectivityState`: 0 unknown, 1 none, 2 portal, 3 limited, 4 full.
    connectivity: Option<u32>,
}

impl NmNetwork {
    fn apply(&mut self, changed: &HashMap<String, OwnedValue>) {
        let read = |name: &str| changed.get(name).and_then(|v| v.downcast_ref::<u32>().ok());
        if let Some(state) = read("State") {
            self.state = Some(state);
        }
        if let Some(connectivity) = read("Connectivity") {
            self.connectivity = Some(connectivity);
        }
    }

    /// Offline when either view says so; an unknown connectivity (checks
    /// disabled) defers to the state; nothing known means up.
    fn reach(&self) -> NetworkReach {
        match (self.state, self.connectivity) {
            (_, Some(1)) | (Some(10 | 20), _) => NetworkReach::Offline,
            (_, Some(4)) => NetworkReach::Full,
            (_, Some(2 | 3)) => NetworkReach::Limited,
            (Some(30 | 40 | 50 | 60), _) => NetworkReach::Limited,
            _ => NetworkReach::Full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_manager_states_map_to_a_reach() {
        use NetworkReach::{Full, Limited, Offline};
        let cases = [
            (None, None, Full),
            (Some(70), Some(4), Full),
            (Some(70), Some(1), Offline),
            (Some(70), Some(2), Limited),
            (Some(60), Some(3), Limited),
            (Some(20), Some(4), Offline),
            (Some(10), None, Offline),
            (Some(40), Some(0), Limited),
            (Some(70), Some(0), Full),
            (None, Some(4), Full),
            (None, Some(1), Offline),
        ];
        for (state, connectivity, want) in cases {
            let network = NmNetwork {
                state,
                connectivity,
            };
            assert_eq!(network.reach(), want, "{network:?}");
        }
    }

    #[test]
    fn properties_changed_updates_only_what_it_names() {
        let mut network = NmNetwork {
            state: Some(70),
            connectivity: Some(4),
        };
        let changed = HashMap::from([("Connectivity".to_owned(), OwnedValue::from(1u32))]);
        network.apply(&changed);
        assert_eq!(
            network,
            NmNetwork {
                state: Some(70),
                connectivity: Some(1)
            }
        );
    }
}
