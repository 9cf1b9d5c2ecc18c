//! The "not now" gate: quiet hours and pause hold back pop-ups and sounds,
//! except that critical and urgent ones may break through.

use chrono::{DateTime, Utc};

use super::{EngineConfig, PAUSED_INDEFINITELY};

/// Why a pop-up may not show right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Gate {
    Open,
    Quiet,
    Paused,
}

/// Pause wins over quiet hours in the counters, being the explicit choice.
pub(crate) fn gate(
    config: &EngineConfig,
    paused_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    urgent: bool,
) -> Gate {
    if urgent && config.prefs.breakthrough {
        return Gate::Open;
    }
    if paused_until.is_some_and(|until| now < until) {
        return Gate::Paused;
    }
    match &config.prefs.quiet_hours {
        Some(quiet) if quiet.contains(now, config.time_zone) => Gate::Quiet,
        _ => Gate::Open,
    }
}

/// When the current hold ends, so held reminders can be released then.
pub(crate) fn gate_ends(
    config: &EngineConfig,
    paused_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let quiet_end = config
        .prefs
        .quiet_hours
        .as_ref()
        .and_then(|quiet| quiet.current_end(now, config.time_zone));
    let pause_end = paused_until.filter(|until| now < *until && *until != PAUSED_INDEFINITELY);
    quiet_end.into_iter().chain(pause_end).min()
}
