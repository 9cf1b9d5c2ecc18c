//! Counters of what the engine saw and why it stayed silent. They make
//! "why did I not get a pop-up?" answerable from `status` output.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineStats {
    /// SSE messages received (pings and malformed ones included).
    pub frames: u64,
    pub pings: u64,
    pub heartbeats: u64,
    /// Frames that were not a decodable event; skipped.
    pub malformed: u64,
    /// Events over the frame size cap; skipped by the parser, never buffered.
    pub oversized: u64,
    /// `notification_*` for another user; dropped (defence in depth).
    pub foreign_notifications: u64,
    /// Exact repeats of an event already seen.
    pub duplicates: u64,
    /// Pop-ups folded into the other half of a notification/domain pair.
    pub merged: u64,
    /// Events the preference matrix keeps silent.
    pub suppressed_prefs: u64,
    /// Events about someone else (the scope settings: mine, my companies, off).
    pub suppressed_scope: u64,
    /// Events of a muted company.
    pub suppressed_muted: u64,
    pub suppressed_quiet: u64,
    pub suppressed_paused: u64,
    /// Pop-ups held back by a storm window (shown as one summary).
    pub coalesced: u64,
    /// Pop-ups emitted, of every kind.
    pub popups: u64,
    pub sounds: u64,
    pub storm_summaries: u64,
    pub reminders: u64,
    pub reminder_digests: u64,
    /// "N new while you were away" pop-ups.
    pub catch_ups: u64,
    /// `Open` requests for URLs outside the server origin; refused.
    pub rejected_urls: u64,
}
