//! One file per subcommand.

pub mod assets;
pub mod calendar;
pub mod doctor;
pub mod inbox;
pub mod login;
pub mod logout;
pub mod prefs;
pub mod read;
pub mod status;
pub mod watch;
mod watch_output;
