//! The imperative shell: how a session starts (who the user is, the local
//! time zone, the ledger), the SSE supervisor, the runner that drives the
//! engine, the clock, the sink effects leave through, the system-bus
//! listener that hears resume and network changes, and the trim that
//! hands back start-up's pages.

mod clock;
mod identity;
#[cfg(target_os = "linux")]
mod memory;
mod runner;
mod session;
mod sink;
mod supervisor;
mod system_bus;
mod time_zone;

pub use clock::{Clock, ShiftedClock, SystemClock};
#[cfg(target_os = "linux")]
pub use memory::{TRIM_AFTER, trim_start_up_pages};
pub use runner::{ControlInputs, Controls, Exit, Shell, controls, run};
pub use session::{Session, SessionSetup};
pub use sink::EffectSink;
pub use supervisor::{StreamEvent, StreamSettings, supervise};
pub use system_bus::watch_system_bus;
pub use time_zone::local_time_zone;
