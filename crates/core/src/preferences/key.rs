//! Preference keys, and the rule that reads one cell of the server's matrix.
//!
//! PROTOCOL.md: a key is namespaced, `"<channel>.<event_type>"`, or legacy,
//! a bare `"<event_type>"` that covers every server channel. Reading a cell,
//! the namespaced key beats the legacy one, and a missing key means
//! enabled, so a fresh account misses nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use super::channel::{Channel, LocalChannel, ServerChannel, UnknownChannel};
use crate::event::EventType;

/// One cell (or, legacy, one row of server cells) of the grid. The event
/// type may be one the catalog does not know: the catalog is open, and it
/// is the server's to accept or refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreferenceKey {
    /// `None`: the legacy key, every server channel at once.
    pub channel: Option<Channel>,
    pub event_type: EventType,
}

/// Why a key could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    UnknownChannel(#[from] UnknownChannel),
    #[error("the key {0:?} names no event type")]
    NoEventType(String),
}

impl PreferenceKey {
    /// The namespaced key of one server cell.
    pub fn server(channel: ServerChannel, event_type: EventType) -> PreferenceKey {
        PreferenceKey {
            channel: Some(Channel::Server(channel)),
            event_type,
        }
    }

    /// The local channel, for keys kept in this machine's config.
    pub fn local_channel(&self) -> Option<LocalChannel> {
        match self.channel {
            Some(Channel::Local(channel)) => Some(channel),
            _ => None,
        }
    }
}

impl FromStr for PreferenceKey {
    type Err = KeyError;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        let (channel, type_name) = match key.split_once('.') {
            Some((channel, type_name)) => (Some(channel.parse()?), type_name),
            None => (None, key),
        };
        if type_name.is_empty() {
            return Err(KeyError::NoEventType(key.to_owned()));
        }
        Ok(PreferenceKey {
            channel,
            event_type: EventType::from_wire(type_name),
        })
    }
}

impl fmt::Display for PreferenceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.channel {
            Some(channel) => write!(f, "{channel}.{}", self.event_type),
            None => write!(f, "{}", self.event_type),
        }
    }
}

/// Whether `event_type` is enabled on `channel` under the server's matrix.
pub fn server_enabled(
    matrix: &BTreeMap<String, bool>,
    channel: ServerChannel,
    event_type: &EventType,
) -> bool {
    let namespaced = PreferenceKey::server(channel, event_type.clone()).to_string();
    matrix
        .get(&namespaced)
        .or_else(|| matrix.get(event_type.as_str()))
        .copied()
        .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(entries: &[(&str, bool)]) -> BTreeMap<String, bool> {
        entries.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn namespaced_beats_legacy_and_missing_is_enabled() {
        use ServerChannel::{Email, InApp, Slack, Webhook};
        let stored = matrix(&[
            ("asset_updated", false),
            ("in_app.asset_updated", true),
            ("webhook.sla_breached", false),
            ("email.quantum_leap", false),
        ]);
        let cases = [
            (InApp, "asset_updated", true),
            (Email, "asset_updated", false),
            (Webhook, "sla_breached", false),
            (Slack, "sla_breached", true),
            (Email, "quantum_leap", false),
            (InApp, "quantum_leap", true),
            (Email, "report_generated", true),
        ];
        for (channel, name, want) in cases {
            let ty = EventType::from_wire(name);
            assert_eq!(
                server_enabled(&stored, channel, &ty),
                want,
                "{channel:?}.{name}"
            );
        }
    }

    #[test]
    fn keys_read_and_print_as_the_protocol_spells_them() {
        for key in [
            "popup.finding_updated",
            "email.sla_breached",
            "webhook.finding_rescan_requested",
            "sla_breached",
            "teams.quantum_leap",
            "quantum_leap",
        ] {
            let parsed: PreferenceKey = key.parse().expect(key);
            assert_eq!(parsed.to_string(), key);
        }
        let local: PreferenceKey = "sound.quantum_leap".parse().expect("local key");
        assert_eq!(local.local_channel(), Some(LocalChannel::Sound));
        assert_eq!(local.event_type, EventType::Unknown("quantum_leap".into()));
        let legacy: PreferenceKey = "scan_completed".parse().expect("legacy key");
        assert_eq!((legacy.channel, legacy.local_channel()), (None, None));
    }

    #[test]
    fn unknown_channels_and_empty_types_are_refused() {
        assert!(matches!(
            "fax.sla_breached".parse::<PreferenceKey>(),
            Err(KeyError::UnknownChannel(_))
        ));
        for key in ["", "email."] {
            assert_eq!(
                key.parse::<PreferenceKey>(),
                Err(KeyError::NoEventType(key.to_owned()))
            );
        }
    }
}
