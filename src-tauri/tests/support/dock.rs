//! The dock's side of the badge: every `com.canonical.Unity.LauncherEntry`
//! `Update` signal on the test bus, as Dash to Dock or a KDE task manager
//! receives it.

use std::collections::HashMap;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use zbus::message::Type;
use zbus::zvariant::OwnedValue;
use zbus::{Connection, MatchRule, MessageStream};

/// One `Update` signal.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    pub app_uri: String,
    pub count: i64,
    pub count_visible: bool,
    pub urgent: bool,
}

pub struct Dock {
    _connection: Connection,
    rx: mpsc::UnboundedReceiver<Update>,
    seen: Vec<Update>,
}

impl Dock {
    /// Subscribes on `bus`; start it before the app to see every signal.
    pub async fn watch(bus: &str) -> Dock {
        let connection = zbus::connection::Builder::address(bus)
            .expect("bus address")
            .build()
            .await
            .expect("connect to the test bus");
        let rule = MatchRule::builder()
            .msg_type(Type::Signal)
            .interface("com.canonical.Unity.LauncherEntry")
            .expect("interface")
            .member("Update")
            .expect("member")
            .build();
        let mut stream = MessageStream::for_match_rule(rule, &connection, None)
            .await
            .expect("subscribe to LauncherEntry");
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(Ok(message)) = stream.next().await {
                let Ok((app_uri, props)) = message
                    .body()
                    .deserialize::<(String, HashMap<String, OwnedValue>)>()
                else {
                    continue;
                };
                let flag = |name: &str| {
                    props
                        .get(name)
                        .and_then(|v| bool::try_from(v).ok())
                        .unwrap_or_else(|| panic!("{name} is not a boolean: {props:?}"))
                };
                let count = props
                    .get("count")
                    .and_then(|v| i64::try_from(v).ok())
                    .unwrap_or_else(|| panic!("count is not an int64: {props:?}"));
                let update = Update {
                    app_uri,
                    count,
                    count_visible: flag("count-visible"),
                    urgent: flag("urgent"),
                };
                if tx.send(update).is_err() {
                    return;
                }
            }
        });
        Dock {
            _connection: connection,
            rx,
            seen: Vec::new(),
        }
    }

    /// The next update for which `wanted` holds (earlier ones are kept
    /// for the failure message).
    pub async fn until(&mut self, what: &str, wanted: impl Fn(&Update) -> bool) -> Update {
        let wait = async {
            loop {
                let update = self.rx.recv().await?;
                self.seen.push(update.clone());
                if wanted(&update) {
                    return Some(update);
                }
            }
        };
        let found = tokio::time::timeout(pmap_testkit::patience(), wait)
            .await
            .ok()
            .flatten();
        found.unwrap_or_else(|| panic!("no dock update with {what}; saw {:#?}", self.seen))
    }
}
