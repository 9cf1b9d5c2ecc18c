//! The event vocabulary: what the server says, decoded into plain values,
//! and where the web UI shows what it is about (the deep-link table).
//!
//! Nothing here decides anything; the [`engine`](crate::engine) does. These
//! types are shared by the engine, the shell and the CLI.

mod calendar;
#[cfg(test)]
mod decode_tests;
mod envelope;
mod event_type;
mod fields;
mod frame_text;
mod payload;
mod severity;
mod subject;
mod wire;

pub use calendar::{CalendarItem, CalendarKind, CalendarPage};
pub use envelope::{DecodeError, Decoded, Envelope};
pub use event_type::{EventGroup, EventType};
pub use frame_text::FrameText;
pub use severity::{Severity, UnknownSeverity};

pub(crate) use subject::{deep_link, inbox_link, subject_from_ids};
