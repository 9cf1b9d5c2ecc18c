//! Rule 4a: whose events pop up. A stream carries every event of the
//! user's companies; most of them concern someone else. For each group of
//! types the user picks `mine`, `my companies` or `off`:
//!
//! | group | default | "mine" means |
//! |---|---|---|
//! | findings, SLA, retests | mine | the user is an assignee, or the finding is on their personal calendar |
//! | approvals | mine | the request is addressed to them (`assignee_ids` or `user_id`) |
//! | scans, reports | my companies | they started it (`actor_id` or `user_id`) |
//!
//! An inbox row (`notification_created`) is addressed to the user by
//! definition, so it is "mine"; only `off` silences it. Other groups have
//! no scope: the pop-up matrix alone decides.

use serde::{Deserialize, Serialize};

use super::Engine;
use crate::event::{Envelope, EventGroup};

/// Whose events of one group pop up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Mine,
    MyCompanies,
    Off,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Mine => "mine",
            Scope::MyCompanies => "my_companies",
            Scope::Off => "off",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        match text {
            "mine" => Some(Scope::Mine),
            "my_companies" | "companies" => Some(Scope::MyCompanies),
            "off" => Some(Scope::Off),
            _ => None,
        }
    }
}

/// The scope of each group that has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scopes {
    /// Findings, SLA and retests.
    pub findings: Scope,
    pub approvals: Scope,
    /// Scans and reports.
    pub scans: Scope,
}

impl Default for Scopes {
    fn default() -> Self {
        Scopes {
            findings: Scope::Mine,
            approvals: Scope::Mine,
            scans: Scope::MyCompanies,
        }
    }
}

/// The groups a scope setting covers, as `pmap-cli prefs` and the window
/// name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeGroup {
    Findings,
    Approvals,
    Scans,
}

impl ScopeGroup {
    pub const ALL: [ScopeGroup; 3] = [
        ScopeGroup::Findings,
        ScopeGroup::Approvals,
        ScopeGroup::Scans,
    ];

    pub fn of(group: EventGroup) -> Option<ScopeGroup> {
        match group {
            EventGroup::Finding | EventGroup::Sla => Some(ScopeGroup::Findings),
            EventGroup::Approval => Some(ScopeGroup::Approvals),
            EventGroup::Scan | EventGroup::Report => Some(ScopeGroup::Scans),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScopeGroup::Findings => "findings",
            ScopeGroup::Approvals => "approvals",
            ScopeGroup::Scans => "scans",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScopeGroup::Findings => "Findings, SLA and retests",
            ScopeGroup::Approvals => "Approvals",
            ScopeGroup::Scans => "Scans and reports",
        }
    }

    pub fn parse(text: &str) -> Option<ScopeGroup> {
        ScopeGroup::ALL.into_iter().find(|g| g.as_str() == text)
    }
}

impl Scopes {
    pub fn get(&self, group: ScopeGroup) -> Scope {
        match group {
            ScopeGroup::Findings => self.findings,
            ScopeGroup::Approvals => self.approvals,
            ScopeGroup::Scans => self.scans,
        }
    }

    pub fn set(&mut self, group: ScopeGroup, scope: Scope) {
        match group {
            ScopeGroup::Findings => self.findings = scope,
            ScopeGroup::Approvals => self.approvals = scope,
            ScopeGroup::Scans => self.scans = scope,
        }
    }
}

impl Engine {
    /// Whether `envelope`, of a group decided by `group`, is the user's
    /// concern under their scope settings. `row` says it came as an inbox
    /// row addressed to them.
    pub(crate) fn in_scope(&self, envelope: &Envelope, group: EventGroup, row: bool) -> bool {
        let Some(scope_group) = ScopeGroup::of(group) else {
            return true;
        };
        match self.config.prefs.scope.get(scope_group) {
            Scope::Off => false,
            Scope::MyCompanies => true,
            Scope::Mine if row => true,
            Scope::Mine => self.is_mine(envelope, scope_group),
        }
    }

    fn is_mine(&self, envelope: &Envelope, group: ScopeGroup) -> bool {
        let me = self.config.user_id.as_str();
        let addressed = envelope.user_id().as_deref() == Some(me);
        match group {
            ScopeGroup::Findings => {
                envelope.is_assigned_to(me)
                    || envelope
                        .subject_id_of_kind("finding")
                        .is_some_and(|id| self.reminders.is_about_entity(&id))
            }
            ScopeGroup::Approvals => addressed || envelope.is_assigned_to(me),
            ScopeGroup::Scans => addressed || envelope.actor_id().as_deref() == Some(me),
        }
    }
}
