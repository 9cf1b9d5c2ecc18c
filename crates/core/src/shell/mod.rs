//! The imperative shell: the SSE supervisor, the runner that drives the
//! engine, the clock, and the sink effects leave through.

mod clock;
mod identity;
mod runner;
mod sink;
mod supervisor;

pub use clock::{Clock, ShiftedClock, SystemClock};
pub use identity::fetch_identity;
pub use runner::{ControlInputs, Controls, Exit, Shell, controls, run};
pub use sink::EffectSink;
pub use supervisor::{StreamEvent, StreamSettings, supervise};
