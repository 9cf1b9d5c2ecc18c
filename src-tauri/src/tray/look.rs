//! Which base icon the tray shows, and the badge drawn onto it.

use tauri::image::Image;

use super::badge;
use crate::status::Status;
use companion_core::ConnectionState;

/// The tray's distinct looks; the unread badge goes on top of any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Live,
    Reconnecting,
    SignedOut,
    Paused,
}

impl Look {
    pub fn of(status: &Status) -> Look {
        if !status.signed_in() || matches!(status.connection, ConnectionState::Error(_)) {
            Look::SignedOut
        } else if status.pause.is_paused() {
            Look::Paused
        } else if status.connection == ConnectionState::Live {
            Look::Live
        } else {
            Look::Reconnecting
        }
    }

    fn png(self) -> &'static [u8] {
        match self {
            Look::Live => include_bytes!("../../../icons/tray.png"),
            Look::Reconnecting => include_bytes!("../../../icons/tray-reconnecting.png"),
            Look::SignedOut => include_bytes!("../../../icons/tray-signed-out.png"),
            Look::Paused => include_bytes!("../../../icons/tray-paused.png"),
        }
    }
}

/// The icon for a look with `unread` drawn on it (nothing at 0).
pub fn icon(look: Look, unread: u64) -> tauri::Result<Image<'static>> {
    let base = Image::from_bytes(look.png())?;
    let (width, height) = (base.width(), base.height());
    let mut rgba = base.rgba().to_vec();
    if width == height {
        badge::draw(&mut rgba, width, unread);
    }
    Ok(Image::new_owned(rgba, width, height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{Account, Pause};

    #[test]
    fn looks_follow_sign_in_pause_and_connection() {
        let mut status = Status::new(false);
        assert_eq!(Look::of(&status), Look::SignedOut);
        status.account = Some(Account {
            server: "s".into(),
            origin: "s".into(),
            user_id: "u".into(),
            name: "n".into(),
            email: "e".into(),
            token_saved: false,
            companies: Vec::new(),
        });
        status.connection = ConnectionState::Reconnecting {
            attempt: 1,
            next_at: None,
        };
        assert_eq!(Look::of(&status), Look::Reconnecting);
        status.connection = ConnectionState::Offline;
        assert_eq!(Look::of(&status), Look::Reconnecting, "not live");
        status.connection = ConnectionState::Live;
        assert_eq!(Look::of(&status), Look::Live);
        status.pause = Pause::UntilResumed;
        assert_eq!(Look::of(&status), Look::Paused);
        status.connection = ConnectionState::SignedOut;
        assert_eq!(Look::of(&status), Look::SignedOut);
    }

    #[test]
    fn every_look_decodes_and_takes_a_badge() {
        for look in [
            Look::Live,
            Look::Reconnecting,
            Look::SignedOut,
            Look::Paused,
        ] {
            let plain = icon(look, 0).expect("decodes");
            let badged = icon(look, 12).expect("decodes");
            assert_eq!(plain.width(), 64);
            assert_ne!(plain.rgba(), badged.rgba(), "{look:?}");
        }
    }
}
