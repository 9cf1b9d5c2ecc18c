//! The system bus for resume and network tests (feature `system-bus`): a
//! private `dbus-daemon` whose address a test passes to the client as
//! `DBUS_SYSTEM_BUS_ADDRESS`, and the two services the client listens to
//! there, played by the test: logind (sleep and resume) and
//! NetworkManager (state and connectivity).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use tokio::sync::mpsc;
use zbus::Connection;
use zbus::names::BusName;

const LOGIND: &str = "org.freedesktop.login1";
const LOGIND_PATH: &str = "/org/freedesktop/login1";
const NM: &str = "org.freedesktop.NetworkManager";
const NM_PATH: &str = "/org/freedesktop/NetworkManager";

/// `NMConnectivityState` values the tests use.
pub const CONNECTIVITY_NONE: u32 = 1;
pub const CONNECTIVITY_FULL: u32 = 4;
/// `NM_STATE_CONNECTED_GLOBAL`.
const STATE_CONNECTED_GLOBAL: u32 = 70;

/// A `dbus-daemon` of our own; its address goes into
/// `DBUS_SYSTEM_BUS_ADDRESS`. Stopped on drop.
pub struct PrivateBus {
    daemon: Child,
    pub address: String,
}

impl PrivateBus {
    pub fn start() -> PrivateBus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon (apt install dbus)");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("bus address");
        let address = line.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        PrivateBus { daemon, address }
    }

    /// A connection owning no name, to send signals nobody should trust.
    pub async fn stranger(&self) -> Connection {
        zbus::connection::Builder::address(self.address.as_str())
            .expect("bus address")
            .build()
            .await
            .expect("connect to the private bus")
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// logind's `PrepareForSleep` from `connection`.
pub async fn prepare_for_sleep(connection: &Connection, going_to_sleep: bool) {
    connection
        .emit_signal(
            None::<BusName<'_>>,
            LOGIND_PATH,
            "org.freedesktop.login1.Manager",
            "PrepareForSleep",
            &(going_to_sleep,),
        )
        .await
        .expect("emit PrepareForSleep");
}

/// The test's logind: owns `org.freedesktop.login1`.
pub struct Logind {
    pub connection: Connection,
}

impl Logind {
    /// On the bus at `address` (a [`PrivateBus`]'s, or a test desktop's).
    pub async fn start(address: &str) -> Logind {
        let connection = zbus::connection::Builder::address(address)
            .expect("bus address")
            .name(LOGIND)
            .expect("well-known name")
            .build()
            .await
            .expect("connect to the private bus");
        Logind { connection }
    }

    pub async fn prepare_for_sleep(&self, going_to_sleep: bool) {
        prepare_for_sleep(&self.connection, going_to_sleep).await;
    }
}

/// The test's NetworkManager: `State` and `Connectivity` properties on
/// the manager object, with `PropertiesChanged` when the test sets them.
pub struct NetworkManager {
    connection: Connection,
    /// One message each time a client reads a property.
    reads: mpsc::UnboundedReceiver<()>,
}

struct Manager {
    state: u32,
    connectivity: u32,
    reads: mpsc::UnboundedSender<()>,
}

#[zbus::interface(name = "org.freedesktop.NetworkManager")]
impl Manager {
    #[zbus(property)]
    fn state(&self) -> u32 {
        let _ = self.reads.send(());
        self.state
    }

    #[zbus(property)]
    fn connectivity(&self) -> u32 {
        let _ = self.reads.send(());
        self.connectivity
    }
}

impl NetworkManager {
    /// Online (connected globally, full connectivity), on the bus at
    /// `address`.
    pub async fn start(address: &str) -> NetworkManager {
        let (tx, reads) = mpsc::unbounded_channel();
        let manager = Manager {
            state: STATE_CONNECTED_GLOBAL,
            connectivity: CONNECTIVITY_FULL,
            reads: tx,
        };
        let connection = zbus::connection::Builder::address(address)
            .expect("bus address")
            .name(NM)
            .expect("well-known name")
            .serve_at(NM_PATH, manager)
            .expect("serve the manager")
            .build()
            .await
            .expect("connect to the private bus");
        NetworkManager { connection, reads }
    }

    /// Resolves once a client has read a property: the client reads only
    /// after subscribing to every signal, so from then on none is missed.
    pub async fn read_by_client(&mut self) {
        crate::within(
            "the client to read NetworkManager's state",
            self.reads.recv(),
        )
        .await
        .expect("the manager is serving");
    }

    /// Sets `Connectivity` and announces it with `PropertiesChanged`.
    pub async fn set_connectivity(&self, value: u32) {
        let manager = self
            .connection
            .object_server()
            .interface::<_, Manager>(NM_PATH)
            .await
            .expect("the manager object");
        manager.get_mut().await.connectivity = value;
        manager
            .get()
            .await
            .connectivity_changed(manager.signal_emitter())
            .await
            .expect("emit PropertiesChanged");
    }
}
