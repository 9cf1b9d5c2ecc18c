//! Whether any panel shows tray items. A StatusNotifierItem is only seen
//! where a StatusNotifierWatcher owns its well-known name on the session
//! bus: KDE, Xfce, most panels, but GNOME only with an extension. Without
//! one the app opens its window at start, so the user sees it at all.

/// The watcher's well-known name.
const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// Asks the session bus whether a watcher is there now (false when there
/// is no bus to ask).
pub fn present() -> bool {
    let asked = zbus::blocking::Connection::session()
        .map_err(zbus::fdo::Error::from)
        .and_then(|bus| {
            let name = zbus::names::BusName::try_from(WATCHER).map_err(zbus::Error::from)?;
            zbus::blocking::fdo::DBusProxy::new(&bus)?.name_has_owner(name)
        });
    match asked {
        Ok(present) => present,
        Err(error) => {
            tracing::warn!(%error, "could not ask the session bus for a tray");
            false
        }
    }
}
