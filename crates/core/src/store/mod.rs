//! Everything that outlives the process: config and reminder ledger as JSON
//! files under the XDG directories, the token in the OS keyring.

mod config;
pub mod json_file;
mod keyring;
mod paths;

pub use config::Config;
pub use keyring::{
    KEYRING_PATIENCE, TOKEN_ENV, TokenSource, delete_token, load_token, store_token,
};
pub use paths::Paths;
