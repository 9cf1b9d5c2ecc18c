//! How effects leave the shell: the CLI prints them, the tray app turns them
//! into notifications, badge pixels and tooltips. Both see every effect in
//! the order the engine emitted it; the shell performs the IO ones itself
//! (fetches, mark-read calls, ledger writes, timers) before passing them on.

use crate::engine::{Effect, Input};

pub trait EffectSink: Send {
    fn apply(&mut self, effect: &Effect);

    /// Sees each input just before the engine does (the tray shows when the
    /// last event arrived, which no effect says). Ignored by default.
    fn observe(&mut self, _input: &Input) {}
}

impl<F: FnMut(&Effect) + Send> EffectSink for F {
    fn apply(&mut self, effect: &Effect) {
        self(effect)
    }
}
