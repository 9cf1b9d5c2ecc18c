//! Everything that outlives the process: config and reminder ledger as JSON
//! files under the XDG directories, the token in the OS keyring.

mod config;
mod env_token;
pub mod json_file;
mod keyring;
mod paths;

pub use config::Config;
pub use env_token::{TOKEN_ENV, take_token_from_env};
pub use keyring::{
    KEYRING_PATIENCE, OtherTokens, TokenSource, delete_all_tokens, delete_token, delete_tokens_for,
    load_token, others_to_forget, store_token, stored_servers,
};
pub use paths::Paths;
