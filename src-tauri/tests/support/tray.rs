//! The tray through its real protocol: a StatusNotifierWatcher on the test
//! bus (what a panel runs) that the app's AppIndicator registers with, the
//! item's properties, its icon file, and its menu over
//! `com.canonical.dbusmenu`.

use std::collections::HashMap;

use tokio::sync::mpsc;
use zbus::proxy::CacheProperties;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::{Connection, Proxy};

struct Watcher {
    items: Vec<String>,
    registered: mpsc::UnboundedSender<(String, String)>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(
        &mut self,
        service: &str,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let (bus, path) = if service.starts_with('/') {
            (sender, service.to_owned())
        } else {
            (service.to_owned(), "/StatusNotifierItem".to_owned())
        };
        self.items.push(format!("{bus}{path}"));
        let _ = self.registered.send((bus, path));
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// The watcher; start it before the app so the app finds a panel.
pub struct Panel {
    _server: Connection,
    client: Connection,
    registered: mpsc::UnboundedReceiver<(String, String)>,
}

/// A dbusmenu node: id, properties, children (each a variant node).
type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// One menu entry as dbusmenu exports it.
#[derive(Clone, Debug)]
pub struct MenuEntry {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
}

pub struct Item {
    client: Connection,
    bus: String,
    path: String,
}

impl Panel {
    pub async fn start(bus: &str) -> Panel {
        let (tx, registered) = mpsc::unbounded_channel();
        let watcher = Watcher {
            items: Vec::new(),
            registered: tx,
        };
        let server = zbus::connection::Builder::address(bus)
            .expect("address")
            .name("org.kde.StatusNotifierWatcher")
            .expect("name")
            .serve_at("/StatusNotifierWatcher", watcher)
            .expect("serve")
            .build()
            .await
            .expect("watcher on the test bus");
        let client = zbus::connection::Builder::address(bus)
            .expect("address")
            .build()
            .await
            .expect("client");
        Panel {
            _server: server,
            client,
            registered,
        }
    }

    /// The first item that registers.
    pub async fn item(&mut self) -> Item {
        let (bus, path) = pmap_testkit::within(
            "a tray item to register with the watcher",
            self.registered.recv(),
        )
        .await
        .expect("watcher alive");
        Item {
            client: self.client.clone(),
            bus,
            path,
        }
    }
}

impl Item {
    async fn proxy(&self, path: &str, interface: &'static str) -> Proxy<'static> {
        zbus::proxy::Builder::new(&self.client)
            .destination(self.bus.clone())
            .expect("destination")
            .path(path.to_owned())
            .expect("path")
            .interface(interface)
            .expect("interface")
            .cache_properties(CacheProperties::No)
            .build()
            .await
            .expect("proxy")
    }

    pub async fn property<T>(&self, name: &str) -> T
    where
        T: TryFrom<OwnedValue>,
        T::Error: Into<zbus::Error>,
    {
        self.proxy(&self.path, "org.kde.StatusNotifierItem")
            .await
            .get_property(name)
            .await
            .unwrap_or_else(|e| panic!("StatusNotifierItem.{name}: {e}"))
    }

    /// The icon's pixels as RGBA, read from the file the item names.
    pub async fn icon_rgba(&self) -> (String, Vec<u8>, u32) {
        // Each icon change writes a new file and deletes the old one, so
        // the file just named can be gone already: ask again.
        let (name, file) = pmap_testkit::eventually("the icon file the item names", || async {
            let name: String = self.property("IconName").await;
            let theme: String = self.property("IconThemePath").await;
            let path = if name.starts_with('/') {
                name.clone()
            } else {
                format!("{theme}/{name}.png")
            };
            match std::fs::File::open(&path) {
                Ok(file) => Some((name, file)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => panic!("icon {path}: {e}"),
            }
        })
        .await;
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("png header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("png data");
        buf.truncate(info.buffer_size());
        assert_eq!(info.color_type, png::ColorType::Rgba, "icon is RGBA");
        (name, buf, info.width)
    }

    pub async fn menu(&self) -> Vec<MenuEntry> {
        let path: OwnedObjectPath = self.property("Menu").await;
        let proxy = self.proxy(path.as_str(), "com.canonical.dbusmenu").await;
        let (_revision, (_id, _props, children)): (u32, Layout) = proxy
            .call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .await
            .expect("GetLayout");
        children.iter().filter_map(entry).collect()
    }

    /// Clicks the entry labelled `label` as a panel would.
    pub async fn click(&self, label: &str) {
        let entries = self.menu().await;
        let entry = entries
            .iter()
            .find(|e| e.label == label)
            .unwrap_or_else(|| panic!("no menu entry {label:?} in {entries:?}"));
        let path: OwnedObjectPath = self.property("Menu").await;
        let proxy = self.proxy(path.as_str(), "com.canonical.dbusmenu").await;
        let () = proxy
            .call("Event", &(entry.id, "clicked", Value::from(0i32), 0u32))
            .await
            .expect("dbusmenu Event");
    }
}

fn entry(value: &OwnedValue) -> Option<MenuEntry> {
    let value: &Value = value;
    let value = match value {
        Value::Value(inner) => inner.as_ref(),
        other => other,
    };
    let Value::Structure(structure) = value else {
        return None;
    };
    let fields = structure.fields();
    let id = match fields.first()? {
        Value::I32(id) => *id,
        _ => return None,
    };
    let Value::Dict(dict) = fields.get(1)? else {
        return None;
    };
    let props: HashMap<String, OwnedValue> = dict.try_clone().ok()?.try_into().ok()?;
    let label = props
        .get("label")
        .and_then(|v| v.downcast_ref::<String>().ok())
        .unwrap_or_default()
        .replace('_', "");
    let enabled = props
        .get("enabled")
        .and_then(|v| v.downcast_ref::<bool>().ok())
        .unwrap_or(true);
    Some(MenuEntry { id, label, enabled })
}
