//! What the app and its window process say to each other over their
//! socket: one JSON object a line, each way.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cli::View;

/// From the app to the window process.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWindow {
    /// Show `view`: build the window if there is none yet, else bring it
    /// forward on that view.
    Show { view: View },
    /// The window title (it carries the unread count).
    Title { title: String },
    /// An app event for the page (`status`, `inbox-changed`, ...).
    Event { name: String, payload: Value },
    /// The answer to the call numbered `id`: its value, or the message
    /// the page's promise is rejected with.
    Answer { id: u64, ok: bool, value: Value },
}

/// From the window process to the app.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromWindow {
    /// The page called `command` with `args`.
    Call {
        id: u64,
        command: String,
        args: Value,
    },
    /// The window is shown, as the oldest unanswered Show asked. A Show
    /// that comes as the window is closing gets no answer.
    Shown,
    /// The user closed the window; the process is on its way out, so the
    /// next Open starts a new one.
    Closed,
}

/// `message` as one line.
pub fn line<T: Serialize>(message: &T) -> Vec<u8> {
    let mut line = serde_json::to_vec(message).unwrap_or_default();
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_each_and_read_back() {
        let call = FromWindow::Call {
            id: 7,
            command: "inbox".into(),
            args: serde_json::json!({"cursor": "a\nb", "unreadOnly": true}),
        };
        let bytes = line(&call);
        assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 1);
        assert!(bytes.ends_with(b"\n"));
        let back: FromWindow = serde_json::from_slice(&bytes).expect("reads back");
        assert!(matches!(back, FromWindow::Call { id: 7, ref command, .. } if command == "inbox"));
        let show: ToWindow =
            serde_json::from_str(r#"{"kind":"show","view":"sign_in"}"#).expect("a show");
        assert!(matches!(show, ToWindow::Show { view: View::SignIn }));
    }
}
