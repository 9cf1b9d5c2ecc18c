//! Local notification preferences: which events pop up or play a sound.
//!
//! These are the desktop's own channels (`popup`, `sound`); the server's
//! channels (`in_app`, `email`, …) live in the server's preference matrix.
//!
//! Defaults, used for any event type missing from the `popup`/`sound` maps:
//!
//! | event type | pop-up | sound |
//! |---|---|---|
//! | notification_created | on | on when critical/urgent |
//! | finding_assigned (to you) | on | on when critical/urgent |
//! | sla_breached | on | on |
//! | sla_escalated | on | off |
//! | report_generated | on | off |
//! | approval_requested, finding_rescan_requested | on | off |
//! | everything else, unknown types included | off | off |
//!
//! `finding_assigned` never pops up for someone else's assignment, whatever
//! the map says. A sound only ever accompanies a pop-up.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{AgendaPrefs, QuietHours};
use crate::event::{EventType, Severity};

/// The user's local choices. Serde fills anything missing with the default,
/// so an old settings file keeps working.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocalPrefs {
    /// Event type wire name → pop-up on/off; missing = default table.
    pub popup: BTreeMap<String, bool>,
    /// Event type wire name → sound on/off; missing = default table.
    pub sound: BTreeMap<String, bool>,
    /// Events below this severity do not pop up (severity-less ones do).
    pub min_severity_popup: Severity,
    /// Events below this severity make no sound (severity-less ones may).
    pub min_severity_sound: Severity,
    pub quiet_hours: Option<QuietHours>,
    /// Critical/urgent events and reminders break through quiet hours and pause.
    pub breakthrough: bool,
    /// At most `storm_max` pop-ups per `storm_window_secs`; the rest fold into
    /// one summary at the end of the window.
    pub storm_max: u32,
    pub storm_window_secs: u64,
    /// Minutes before a deadline to remind (0 = at the deadline).
    pub reminder_leads_mins: Vec<i64>,
    /// The morning agenda pop-up.
    pub agenda: AgendaPrefs,
}

impl Default for LocalPrefs {
    fn default() -> Self {
        LocalPrefs {
            popup: BTreeMap::new(),
            sound: BTreeMap::new(),
            min_severity_popup: Severity::Informational,
            min_severity_sound: Severity::High,
            quiet_hours: None,
            breakthrough: true,
            storm_max: 3,
            storm_window_secs: 10,
            reminder_leads_mins: vec![1440, 60, 0],
            agenda: AgendaPrefs::default(),
        }
    }
}

/// Which local channels an event gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Channels {
    pub popup: bool,
    pub sound: bool,
}

/// What the sound cell of one event type says, before minimum severities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SoundSetting {
    On,
    Off,
    /// Only for critical and urgent events (the default of a few types).
    #[serde(rename = "critical")]
    CriticalOnly,
}

impl SoundSetting {
    /// `"on"`, `"off"` or `"critical"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SoundSetting::On => "on",
            SoundSetting::Off => "off",
            SoundSetting::CriticalOnly => "critical",
        }
    }

    fn allows(self, severity: Option<Severity>) -> bool {
        match self {
            SoundSetting::On => true,
            SoundSetting::Off => false,
            SoundSetting::CriticalOnly => severity.is_some_and(Severity::is_critical_or_urgent),
        }
    }
}

impl LocalPrefs {
    /// The pop-up cell: the user's choice, else the default table.
    pub fn popup_on(&self, ty: &EventType) -> bool {
        self.popup
            .get(ty.as_str())
            .copied()
            .unwrap_or_else(|| default_popup(ty))
    }

    /// The sound cell: the user's choice, else the default table.
    pub fn sound_setting(&self, ty: &EventType) -> SoundSetting {
        match self.sound.get(ty.as_str()) {
            Some(true) => SoundSetting::On,
            Some(false) => SoundSetting::Off,
            None => default_sound(ty),
        }
    }

    /// Applies the matrix and the minimum severities to one event.
    pub(crate) fn channels(&self, ty: &EventType, severity: Option<Severity>) -> Channels {
        let passes = |min: Severity| severity.is_none_or(|s| s >= min);
        let popup = self.popup_on(ty) && passes(self.min_severity_popup);
        let sound =
            popup && self.sound_setting(ty).allows(severity) && passes(self.min_severity_sound);
        Channels { popup, sound }
    }
}

/// The default pop-up table (see the module docs).
fn default_popup(ty: &EventType) -> bool {
    matches!(
        ty,
        EventType::NotificationCreated
            | EventType::FindingAssigned
            | EventType::SlaBreached
            | EventType::SlaEscalated
            | EventType::ReportGenerated
            | EventType::ApprovalRequested
            | EventType::FindingRescanRequested
    )
}

/// The default sound table (see the module docs).
fn default_sound(ty: &EventType) -> SoundSetting {
    match ty {
        EventType::SlaBreached => SoundSetting::On,
        EventType::NotificationCreated | EventType::FindingAssigned => SoundSetting::CriticalOnly,
        _ => SoundSetting::Off,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(popup: bool, sound: bool) -> Channels {
        Channels { popup, sound }
    }

    #[test]
    fn default_table_pops_up_what_needs_attention() {
        let prefs = LocalPrefs::default();
        let cases = [
            (EventType::NotificationCreated, None, on(true, false)),
            (
                EventType::NotificationCreated,
                Some(Severity::Critical),
                on(true, true),
            ),
            (
                EventType::FindingAssigned,
                Some(Severity::Urgent),
                on(true, true),
            ),
            (
                EventType::FindingAssigned,
                Some(Severity::High),
                on(true, false),
            ),
            (EventType::SlaBreached, Some(Severity::High), on(true, true)),
            (EventType::SlaBreached, Some(Severity::Low), on(true, false)),
            (EventType::SlaBreached, None, on(true, true)),
            (EventType::ReportGenerated, None, on(true, false)),
            (EventType::ScanCompleted, None, on(false, false)),
            (
                EventType::FindingRescanRequested,
                Some(Severity::Low),
                on(true, false),
            ),
            (
                EventType::FindingUpdated,
                Some(Severity::Critical),
                on(false, false),
            ),
            (
                EventType::Unknown("new_thing".into()),
                None,
                on(false, false),
            ),
        ];
        for (ty, sev, want) in cases {
            assert_eq!(prefs.channels(&ty, sev), want, "{ty} {sev:?}");
        }
    }

    #[test]
    fn explicit_prefs_override_defaults_and_min_severity_filters() {
        let mut prefs = LocalPrefs::default();
        prefs.popup.insert("finding_updated".into(), true);
        prefs.popup.insert("sla_escalated".into(), false);
        prefs.popup.insert("new_thing".into(), true);
        prefs.sound.insert("report_generated".into(), true);
        prefs.min_severity_popup = Severity::Medium;
        let cases = [
            (
                EventType::FindingUpdated,
                Some(Severity::High),
                on(true, false),
            ),
            (
                EventType::FindingUpdated,
                Some(Severity::Low),
                on(false, false),
            ),
            (
                EventType::SlaEscalated,
                Some(Severity::Critical),
                on(false, false),
            ),
            (EventType::ReportGenerated, None, on(true, true)),
            (
                EventType::Unknown("new_thing".into()),
                None,
                on(true, false),
            ),
        ];
        for (ty, sev, want) in cases {
            assert_eq!(prefs.channels(&ty, sev), want, "{ty} {sev:?}");
        }
    }

    #[test]
    fn cells_show_the_users_choice_else_the_default_table() {
        let mut prefs = LocalPrefs::default();
        prefs.popup.insert("scan_completed".into(), true);
        prefs.sound.insert("finding_assigned".into(), false);
        prefs.sound.insert("new_thing".into(), true);
        let cases = [
            (EventType::ScanCompleted, true, SoundSetting::Off),
            (EventType::FindingAssigned, true, SoundSetting::Off),
            (
                EventType::NotificationCreated,
                true,
                SoundSetting::CriticalOnly,
            ),
            (EventType::SlaBreached, true, SoundSetting::On),
            (EventType::FindingUpdated, false, SoundSetting::Off),
            (
                EventType::Unknown("new_thing".into()),
                false,
                SoundSetting::On,
            ),
        ];
        for (ty, popup, sound) in cases {
            assert_eq!(
                (prefs.popup_on(&ty), prefs.sound_setting(&ty)),
                (popup, sound),
                "{ty}"
            );
        }
    }

    #[test]
    fn missing_fields_in_a_settings_file_take_defaults() {
        let prefs: LocalPrefs = serde_json::from_str(r#"{"storm_max":5}"#).expect("partial prefs");
        assert_eq!(prefs.storm_max, 5);
        assert_eq!(prefs.reminder_leads_mins, [1440, 60, 0]);
        assert!(prefs.breakthrough);
        assert_eq!(prefs.min_severity_sound, Severity::High);
    }
}
