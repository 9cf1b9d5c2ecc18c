//! The text of an SSE frame's fields as it came off the wire.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An event name or the data of one SSE frame, kept as the bytes the
/// network delivered and decoded as UTF-8 (lossily, as WHATWG says) when
/// read.
///
/// A frame whose `data:` line lay whole in one network chunk is a slice of
/// that chunk: handing it from the SSE supervisor to the engine copies and
/// allocates nothing, and its UTF-8 is checked once, by whoever reads it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FrameText(Bytes);

impl FrameText {
    /// Text known at compile time (`"message"`), without allocating.
    pub const fn from_static(text: &'static str) -> FrameText {
        FrameText(Bytes::from_static(text.as_bytes()))
    }

    /// The text, borrowed when the bytes are valid UTF-8 (the usual case),
    /// with U+FFFD for each invalid sequence otherwise.
    pub fn text(&self) -> Cow<'_, str> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&self.0),
        }
    }

    /// The bytes as they came.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Bytes> for FrameText {
    fn from(bytes: Bytes) -> Self {
        FrameText(bytes)
    }
}

impl From<String> for FrameText {
    fn from(text: String) -> Self {
        FrameText(Bytes::from(text))
    }
}

impl From<&str> for FrameText {
    fn from(text: &str) -> Self {
        FrameText(Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl PartialEq<str> for FrameText {
    fn eq(&self, other: &str) -> bool {
        self.text() == other
    }
}

impl PartialEq<&str> for FrameText {
    fn eq(&self, other: &&str) -> bool {
        self.text() == *other
    }
}

impl fmt::Debug for FrameText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text(), f)
    }
}

impl fmt::Display for FrameText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for FrameText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl<'de> Deserialize<'de> for FrameText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(FrameText::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_is_borrowed_and_invalid_bytes_become_replacement_characters() {
        let valid = FrameText::from("é {\"a\":1}");
        assert!(matches!(valid.text(), Cow::Borrowed("é {\"a\":1}")));
        let invalid = FrameText::from(Bytes::from_static(b"a\xffb"));
        assert_eq!(invalid.text(), "a\u{fffd}b");
        assert_eq!(invalid.len(), 3);
    }

    #[test]
    fn a_frames_event_name_compares_with_str_as_the_tray_reads_it() {
        // The tray's sink (src-tauri/src/sink.rs) matches this way.
        fn is_ping(input: &crate::engine::Input) -> bool {
            let event = match input {
                crate::engine::Input::Frame { event, .. } => event,
                _ => return false,
            };
            event == "ping"
        }
        let frame = |event: &str| crate::engine::Input::Frame {
            event: event.into(),
            data: FrameText::from_static("{}"),
        };
        assert!(is_ping(&frame("ping")));
        assert!(!is_ping(&frame("message")));
    }

    #[test]
    fn it_reads_and_writes_as_a_json_string() {
        let text = FrameText::from_static("ping");
        let json = serde_json::to_string(&text).expect("serializable");
        assert_eq!(json, "\"ping\"");
        let back: FrameText = serde_json::from_str(&json).expect("a string");
        assert_eq!(back, text);
        assert_eq!(back, "ping");
    }
}
