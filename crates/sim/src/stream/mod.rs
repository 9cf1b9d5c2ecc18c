//! Server-sent event streams: the hub that fans frames out and the body
//! each connection reads from.

pub(crate) mod connection;
pub(crate) mod hub;

pub(crate) use hub::{Hub, Published};
