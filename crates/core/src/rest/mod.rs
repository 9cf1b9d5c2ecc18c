//! The REST side of PROTOCOL.md: identity, inbox, summary, preferences and
//! calendar, plus the validated server URL and the token type.

mod client;
pub mod models;
mod server;

pub(crate) use client::retry_after;
pub use client::{CONNECT_TIMEOUT, Client, REST_TIMEOUT};
pub use models::*;
pub use server::{ServerUrl, Token};
