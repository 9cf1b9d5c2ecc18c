//! Watches the test bus as a monitor (what `dbus-monitor` does) for the
//! app's `Notify` calls and their replies, and plays the notification
//! daemon's part when a user clicks an action: it emits `ActionInvoked`.
//! A monitor sees messages in bus order, so it can tell whether the app
//! subscribed to `ActionInvoked` before it asked for a pop-up.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use zbus::message::Type;
use zbus::zvariant::OwnedValue;
use zbus::{Connection, MessageStream};

/// One `Notify` call the daemon answered.
#[derive(Clone, Debug)]
pub struct Shown {
    pub id: u32,
    pub sender: String,
    pub app_name: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    /// The `urgency` hint: 0 low, 1 normal, 2 critical.
    pub urgency: Option<u8>,
    /// Whether the sender had added a match rule for `ActionInvoked`
    /// before this `Notify` call went over the bus, so that no click on
    /// the pop-up can arrive while nobody listens.
    pub listening: bool,
}

/// A `Notify` call awaiting its reply: its arguments, and whether its
/// sender was listening for actions when the call was seen.
type Pending = (NotifyArgs, bool);

type NotifyArgs = (
    String,
    u32,
    String,
    String,
    String,
    Vec<String>,
    HashMap<String, OwnedValue>,
    i32,
);

pub struct Notifications {
    rx: mpsc::UnboundedReceiver<Shown>,
    emitter: Connection,
}

async fn connect(bus: &str) -> Connection {
    zbus::connection::Builder::address(bus)
        .expect("bus address")
        .build()
        .await
        .expect("connect to the test bus")
}

impl Notifications {
    pub async fn watch(bus: &str) -> Notifications {
        let monitor = connect(bus).await;
        let stream = MessageStream::from(&monitor);
        zbus::fdo::MonitoringProxy::new(&monitor)
            .await
            .expect("monitoring proxy")
            .become_monitor(&[], 0)
            .await
            .expect("become a monitor");
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(observe(monitor, stream, tx));
        Notifications {
            rx,
            emitter: connect(bus).await,
        }
    }

    /// The next notification shown, within `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Option<Shown> {
        tokio::time::timeout(timeout, self.rx.recv())
            .await
            .ok()
            .flatten()
    }

    /// What the daemon sends when the user clicks `action` on `id`.
    pub async fn invoke(&self, id: u32, action: &str) {
        self.emitter
            .emit_signal(
                None::<&str>,
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications",
                "ActionInvoked",
                &(id, action),
            )
            .await
            .expect("emit ActionInvoked");
    }
}

async fn observe(
    _monitor: Connection,
    mut stream: MessageStream,
    tx: mpsc::UnboundedSender<Shown>,
) {
    let mut pending: HashMap<(String, u32), Pending> = HashMap::new();
    // Connections that have subscribed to `ActionInvoked` so far.
    let mut listening: HashSet<String> = HashSet::new();
    while let Some(Ok(msg)) = stream.next().await {
        let header = msg.header();
        let member = header.member().map(|m| m.to_string()).unwrap_or_default();
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        match header.message_type() {
            Type::MethodCall if member == "Notify" => {
                if let Ok(args) = msg.body().deserialize::<NotifyArgs>() {
                    let serial = msg.primary_header().serial_num().get();
                    let was_listening = listening.contains(&sender);
                    pending.insert((sender, serial), (args, was_listening));
                }
            }
            Type::MethodCall
                if member == "AddMatch"
                    && msg
                        .body()
                        .deserialize::<String>()
                        .is_ok_and(|rule| catches_action_invoked(&rule)) =>
            {
                listening.insert(sender);
            }
            Type::MethodReturn => {
                let destination = header
                    .destination()
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let Some(serial) = header.reply_serial() else {
                    continue;
                };
                let Some((args, was_listening)) =
                    pending.remove(&(destination.clone(), serial.get()))
                else {
                    continue;
                };
                let Ok(id) = msg.body().deserialize::<u32>() else {
                    continue;
                };
                let urgency = args
                    .6
                    .get("urgency")
                    .and_then(|v| v.downcast_ref::<u8>().ok());
                let _ = tx.send(Shown {
                    id,
                    sender: destination,
                    app_name: args.0,
                    summary: args.3,
                    body: args.4,
                    actions: args.5,
                    urgency,
                    listening: was_listening,
                });
            }
            _ => {}
        }
    }
}

/// Whether a match rule lets the daemon's `ActionInvoked` through: it
/// names the interface and either that member or none.
fn catches_action_invoked(rule: &str) -> bool {
    let interface = rule.contains("interface='org.freedesktop.Notifications'");
    let member = rule.contains("member='ActionInvoked'") || !rule.contains("member=");
    interface && member && rule.contains("type='signal'")
}
