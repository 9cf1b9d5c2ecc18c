//! The event type × channel grid that `pmap-cli prefs get` prints and the
//! tray's Preferences view shows: which types it lists, and what each cell
//! says.

use std::collections::{BTreeMap, BTreeSet};

use super::channel::ServerChannel;
use super::key::{PreferenceKey, server_enabled};
use crate::engine::{LocalPrefs, PopupCell, SoundSetting};
use crate::event::EventType;

/// One row of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct GridRow {
    pub event_type: EventType,
    /// Whether it pops up: the cell, or the server's in-app cell it follows.
    pub popup: bool,
    /// The cell as the user set it (`server` = follow the server).
    pub popup_cell: PopupCell,
    pub sound: SoundSetting,
    /// Each server channel's cell, in [`ServerChannel::ALL`] order.
    pub server: Vec<(ServerChannel, bool)>,
}

/// The rows: every catalog type in catalog order, then, by name, every other
/// type the server's matrix mentions or `seen` holds (the catalog is open,
/// and a type the client does not know can still be switched on or off).
pub fn grid<'a>(
    local: &LocalPrefs,
    server: &BTreeMap<String, bool>,
    seen: impl IntoIterator<Item = &'a EventType>,
) -> Vec<GridRow> {
    listed_types(server, seen)
        .into_iter()
        .map(|event_type| GridRow {
            popup: local.popup_on_with(
                &event_type,
                server_enabled(server, ServerChannel::InApp, &event_type),
            ),
            popup_cell: local.popup_cell(&event_type),
            sound: local.sound_setting(&event_type),
            server: ServerChannel::ALL
                .into_iter()
                .map(|channel| (channel, server_enabled(server, channel, &event_type)))
                .collect(),
            event_type,
        })
        .collect()
}

fn listed_types<'a>(
    server: &BTreeMap<String, bool>,
    seen: impl IntoIterator<Item = &'a EventType>,
) -> Vec<EventType> {
    let mentioned = server
        .keys()
        .filter_map(|key| key.parse::<PreferenceKey>().ok())
        .map(|key| key.event_type);
    let others: BTreeSet<EventType> = mentioned
        .chain(seen.into_iter().cloned())
        .filter(|ty| matches!(ty, EventType::Unknown(_)))
        .collect();
    EventType::ALL.iter().cloned().chain(others).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(rows: &'a [GridRow], name: &str) -> &'a GridRow {
        rows.iter()
            .find(|r| r.event_type.as_str() == name)
            .unwrap_or_else(|| panic!("{name} is not listed"))
    }

    #[test]
    fn lists_the_catalog_then_types_the_server_or_the_stream_named() {
        let server: BTreeMap<String, bool> = [
            ("email.zeta_thing".to_owned(), false),
            ("alpha_thing".to_owned(), true),
            ("fax.ignored_thing".to_owned(), false),
            ("slack.sla_breached".to_owned(), false),
        ]
        .into();
        let seen = [
            EventType::from_wire("mid_thing"),
            EventType::from_wire("alpha_thing"),
        ];
        let rows = grid(&LocalPrefs::default(), &server, &seen);
        let names: Vec<&str> = rows.iter().map(|r| r.event_type.as_str()).collect();
        let catalog: Vec<&str> = EventType::ALL.iter().map(EventType::as_str).collect();
        assert_eq!(names[..catalog.len()], catalog[..]);
        assert_eq!(
            names[catalog.len()..],
            ["alpha_thing", "mid_thing", "zeta_thing"]
        );
        assert_eq!(
            row(&rows, "zeta_thing").event_type.title_label(),
            "Zeta thing"
        );
    }

    #[test]
    fn cells_follow_the_local_prefs_and_the_server_matrix() {
        let mut local = LocalPrefs::default();
        local.popup.insert("zeta_thing".into(), true);
        let server: BTreeMap<String, bool> = [
            ("zeta_thing".to_owned(), false),
            ("webhook.zeta_thing".to_owned(), true),
        ]
        .into();
        let rows = grid(&local, &server, []);
        let zeta = row(&rows, "zeta_thing");
        assert!(zeta.popup);
        assert_eq!(zeta.sound, SoundSetting::Off);
        let on: Vec<(&str, bool)> = zeta
            .server
            .iter()
            .map(|(c, on)| (c.as_str(), *on))
            .collect();
        assert_eq!(
            on,
            [
                ("in_app", false),
                ("email", false),
                ("slack", false),
                ("teams", false),
                ("webhook", true)
            ]
        );
        let assigned = row(&rows, "finding_assigned");
        assert_eq!(
            (assigned.popup, assigned.sound),
            (true, SoundSetting::CriticalOnly)
        );
        assert!(
            assigned.server.iter().all(|(_, on)| *on),
            "missing = enabled"
        );
    }
}
