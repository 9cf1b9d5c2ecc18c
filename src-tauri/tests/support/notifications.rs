//! Watches the test bus as a monitor (what `dbus-monitor` does) for the
//! app's `Notify` calls and their replies, and plays the notification
//! daemon's part when a user clicks an action: it emits `ActionInvoked`.

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
}

enum Seen {
    Shown(Shown),
    /// A connection subscribed to `ActionInvoked`.
    Listening(String),
}

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
    rx: mpsc::UnboundedReceiver<Seen>,
    listening: HashSet<String>,
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
            listening: HashSet::new(),
            emitter: connect(bus).await,
        }
    }

    /// The next notification shown, within `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Option<Shown> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(Seen::Shown(shown))) => return Some(shown),
                Ok(Some(Seen::Listening(sender))) => {
                    self.listening.insert(sender);
                }
                _ => return None,
            }
        }
    }

    /// Waits until `sender` listens for actions, as a daemon's click needs.
    pub async fn wait_listening(&mut self, sender: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !self.listening.contains(sender) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(Seen::Listening(s))) => {
                    self.listening.insert(s);
                }
                Ok(Some(Seen::Shown(_))) => {}
                _ => panic!("{sender} never subscribed to ActionInvoked"),
            }
        }
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

async fn observe(_monitor: Connection, mut stream: MessageStream, tx: mpsc::UnboundedSender<Seen>) {
    let mut pending: HashMap<(String, u32), NotifyArgs> = HashMap::new();
    while let Some(Ok(msg)) = stream.next().await {
        let header = msg.header();
        let member = header.member().map(|m| m.to_string()).unwrap_or_default();
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        match header.message_type() {
            Type::MethodCall if member == "Notify" => {
                if let Ok(args) = msg.body().deserialize::<NotifyArgs>() {
                    pending.insert((sender, msg.primary_header().serial_num().get()), args);
                }
            }
            Type::MethodCall
                if member == "AddMatch"
                    && msg
                        .body()
                        .deserialize::<String>()
                        .is_ok_and(|rule| rule.contains("ActionInvoked")) =>
            {
                let _ = tx.send(Seen::Listening(sender));
            }
            Type::MethodReturn => {
                let destination = header
                    .destination()
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let Some(serial) = header.reply_serial() else {
                    continue;
                };
                let Some(args) = pending.remove(&(destination.clone(), serial.get())) else {
                    continue;
                };
                let Ok(id) = msg.body().deserialize::<u32>() else {
                    continue;
                };
                let urgency = args
                    .6
                    .get("urgency")
                    .and_then(|v| v.downcast_ref::<u8>().ok());
                let _ = tx.send(Seen::Shown(Shown {
                    id,
                    sender: destination,
                    app_name: args.0,
                    summary: args.3,
                    body: args.4,
                    actions: args.5,
                    urgency,
                }));
            }
            _ => {}
        }
    }
}
