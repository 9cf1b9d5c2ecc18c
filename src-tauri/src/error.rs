//! The one error type commands return; it reaches JavaScript as a plain
//! message saying what happened and what to do.

use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in: sign in from the tray menu first")]
    NotSignedIn,
    #[error("enter your personal API token (printable ASCII, as the server shows it)")]
    EmptyToken,
    #[error("{}", describe(.0))]
    Core(#[from] companion_core::Error),
    #[error("{0}")]
    Io(String),
    #[error(
        "a pause lasts 1 to {max} minutes (7 days), not {minutes}: \
         pick a shorter one, or pause until resumed"
    )]
    PauseOutOfRange { minutes: i64, max: i64 },
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// The core's message, with the tray's own next step where one helps (the
/// core's messages name no front end).
fn describe(error: &companion_core::Error) -> String {
    use companion_core::Error;
    match error {
        Error::Unauthorized => {
            "the server rejected the token (401): check it and sign in again".to_owned()
        }
        Error::NoToken => "not signed in: sign in from the tray menu".to_owned(),
        Error::OtherTokensStored(others) => format!(
            "a token for {} is stored too: choose below whether to forget or keep it",
            others.join(", ")
        ),
        other => other.to_string(),
    }
}

pub type Result<T> = std::result::Result<T, AppError>;
