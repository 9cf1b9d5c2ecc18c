//! Server-sent events: the WHATWG parser, the reconnect policy and the
//! supervisor that keeps exactly one subscription open.

pub mod backoff;
pub mod parser;

pub use parser::{Parser, SseItem, SseMessage};
