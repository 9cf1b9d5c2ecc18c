//! Local notification preferences: which events pop up or play a sound.
//!
//! These are the desktop's own channels (`popup`, `sound`); the server's
//! channels (`in_app`, `email`, …) live in the server's preference matrix.
//!
//! A type missing from the `popup` map **follows the server**: it pops up
//! when the table below says so and the user's server matrix has the
//! type's `in_app` cell on (read at every connect), so turning in-app off on
//! the server silences the desktop too. A type in the map is the user's own
//! choice, on or off, whatever the server says. Defaults:
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

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{AgendaPrefs, QuietHours, Scopes};
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
    /// Whose events pop up, per group of types.
    pub scope: Scopes,
    /// Companies (ids) whose events neither pop up nor sound.
    pub muted_companies: BTreeSet<String>,
    /// How long a "Snooze" holds a pop-up back, in seconds.
    pub snooze_secs: u64,
    /// The freedesktop sound name per severity (`"critical"`, …, and
    /// `"none"` for events without one); `""` = silent. Missing ones play
    /// [`DEFAULT_SOUND`].
    pub sound_names: BTreeMap<String, String>,
    /// Reminders play their severity's sound too.
    pub reminder_sound: bool,
}

/// The sound theme name played when no other is set.
pub const DEFAULT_SOUND: &str = "message-new-instant";

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
            scope: Scopes::default(),
            muted_companies: BTreeSet::new(),
            snooze_secs: 3600,
            sound_names: BTreeMap::new(),
            reminder_sound: false,
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

/// What the pop-up cell of one event type says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PopupCell {
    /// The default table, gated by the server's `in_app` cell.
    Server,
    On,
    Off,
}

impl PopupCell {
    pub fn as_str(self) -> &'static str {
        match self {
            PopupCell::Server => "server",
            PopupCell::On => "on",
            PopupCell::Off => "off",
        }
    }
}

impl LocalPrefs {
    /// The pop-up cell as the user set it.
    pub fn popup_cell(&self, ty: &EventType) -> PopupCell {
        match self.popup.get(ty.as_str()) {
            Some(true) => PopupCell::On,
            Some(false) => PopupCell::Off,
            None => PopupCell::Server,
        }
    }

    /// Sets the pop-up cell; `Server` forgets the user's own choice.
    pub fn set_popup_cell(&mut self, ty: &EventType, cell: PopupCell) {
        match cell {
            PopupCell::Server => {
                self.popup.remove(ty.as_str());
            }
            PopupCell::On => {
                self.popup.insert(ty.as_str().to_owned(), true);
            }
            PopupCell::Off => {
                self.popup.insert(ty.as_str().to_owned(), false);
            }
        }
    }

    /// Whether the type pops up, given whether the server's `in_app` cell
    /// for it is on.
    pub fn popup_on_with(&self, ty: &EventType, server_in_app: bool) -> bool {
        match self.popup_cell(ty) {
            PopupCell::On => true,
            PopupCell::Off => false,
            PopupCell::Server => default_popup(ty) && server_in_app,
        }
    }

    /// The sound a pop-up of this severity plays, or `None` for silence.
    pub fn sound_name(&self, severity: Option<Severity>) -> Option<&str> {
        let key = severity.map_or("none", Severity::as_str);
        match self.sound_names.get(key).map(String::as_str) {
            Some("") => None,
            Some(name) => Some(name),
            None => Some(DEFAULT_SOUND),
        }
    }

    /// The pop-up cell with the server's cells unknown (taken as on).
    pub fn popup_on(&self, ty: &EventType) -> bool {
        self.popup_on_with(ty, true)
    }

    /// The sound cell: the user's choice, else the default table.
    pub fn sound_setting(&self, ty: &EventType) -> SoundSetting {
        match self.sound.get(ty.as_str()) {
            Some(true) => SoundSetting::On,
            Some(false) => SoundSetting::Off,
            None => default_sound(ty),
        }
    }

    /// Applies the matrix and the minimum severities to one event, with
    /// the server's matrix taken as all on (the tables' shorthand).
    #[cfg(test)]
    pub(crate) fn channels(&self, ty: &EventType, severity: Option<Severity>) -> Channels {
        self.channels_with(ty, severity, true)
    }

    /// Applies the matrix and the minimum severities to one event, given
    /// the server's `in_app` cell for its type.
    pub(crate) fn channels_with(
        &self,
        ty: &EventType,
        severity: Option<Severity>,
        server_in_app: bool,
    ) -> Channels {
        let passes = |min: Severity| severity.is_none_or(|s| s >= min);
        let popup = self.popup_on_with(ty, server_in_app) && passes(self.min_severity_popup);
        let sound = popup
            && self.sound_setting(ty).allows(severity)
            && passes(self.min_severity_sound)
            && self.sound_name(severity).is_some();
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
