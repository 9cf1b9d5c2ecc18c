//! The channels of the preference grid: this desktop's own (pop-up, sound)
//! and the server's delivery channels (PROTOCOL.md: `in_app`, `email`,
//! `slack`, `teams`, `webhook`). pmap-sim keeps its own copy of the
//! server's list; `tests/catalog_drift.rs` keeps the two equal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A delivery channel of the server's preference matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerChannel {
    InApp,
    Email,
    Slack,
    Teams,
    Webhook,
}

impl ServerChannel {
    /// Every server channel, in PROTOCOL.md order (the grid's column order).
    pub const ALL: [ServerChannel; 5] = [
        ServerChannel::InApp,
        ServerChannel::Email,
        ServerChannel::Slack,
        ServerChannel::Teams,
        ServerChannel::Webhook,
    ];

    /// The wire name, as it opens a namespaced key (`"in_app"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ServerChannel::InApp => "in_app",
            ServerChannel::Email => "email",
            ServerChannel::Slack => "slack",
            ServerChannel::Teams => "teams",
            ServerChannel::Webhook => "webhook",
        }
    }

    /// The column heading (`"In-app"`).
    pub fn label(self) -> &'static str {
        match self {
            ServerChannel::InApp => "In-app",
            ServerChannel::Email => "Email",
            ServerChannel::Slack => "Slack",
            ServerChannel::Teams => "Teams",
            ServerChannel::Webhook => "Webhook",
        }
    }
}

/// This desktop's own channels, kept in the local config.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalChannel {
    Popup,
    Sound,
}

impl LocalChannel {
    pub const ALL: [LocalChannel; 2] = [LocalChannel::Popup, LocalChannel::Sound];

    pub fn as_str(self) -> &'static str {
        match self {
            LocalChannel::Popup => "popup",
            LocalChannel::Sound => "sound",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LocalChannel::Popup => "Pop-up",
            LocalChannel::Sound => "Sound",
        }
    }
}

/// One column of the grid: the local channels first, then the server's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    Local(LocalChannel),
    Server(ServerChannel),
}

impl Channel {
    /// Every column, in the grid's order.
    pub fn all() -> impl Iterator<Item = Channel> {
        let local = LocalChannel::ALL.into_iter().map(Channel::Local);
        local.chain(ServerChannel::ALL.into_iter().map(Channel::Server))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Local(channel) => channel.as_str(),
            Channel::Server(channel) => channel.as_str(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Local(channel) => channel.label(),
            Channel::Server(channel) => channel.label(),
        }
    }
}

/// A channel name that is neither local nor one of the server's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {name:?}: use {}", Channel::all().map(Channel::as_str).collect::<Vec<_>>().join(", "))]
pub struct UnknownChannel {
    pub name: String,
}

impl FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Channel::all()
            .find(|channel| channel.as_str() == name)
            .ok_or_else(|| UnknownChannel {
                name: name.to_owned(),
            })
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_parses_from_its_wire_name() {
        for channel in Channel::all() {
            assert_eq!(channel.as_str().parse(), Ok(channel));
        }
        assert_eq!(Channel::all().count(), 7);
    }

    #[test]
    fn an_unknown_channel_is_refused_with_the_list() {
        let error = "fax".parse::<Channel>().expect_err("not a channel");
        assert_eq!(
            error.to_string(),
            "unknown channel \"fax\": use popup, sound, in_app, email, slack, teams, webhook"
        );
        assert!("In_App".parse::<Channel>().is_err(), "names are exact");
    }

    #[test]
    fn serde_uses_the_wire_names() {
        for channel in ServerChannel::ALL {
            let json = serde_json::to_string(&channel).expect("serialize");
            assert_eq!(json, format!("\"{}\"", channel.as_str()));
        }
    }
}
