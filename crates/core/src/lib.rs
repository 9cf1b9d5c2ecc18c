//! companion-core placeholder.

pub mod sse;
pub mod event;
