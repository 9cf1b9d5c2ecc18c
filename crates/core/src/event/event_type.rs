//! The event catalog: the 34 wire names PMAP puts in an envelope's `type`.
//!
//! The catalog grows on the server before clients learn about it, so parsing
//! never fails: a name we do not know becomes [`EventType::Unknown`] and is
//! passed through untouched (the user can still opt in to pop-ups for it).

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The family an event type belongs to, as PROTOCOL.md groups the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventGroup {
    Finding,
    Approval,
    Scan,
    Sla,
    Asset,
    Company,
    Project,
    Assessment,
    Maintenance,
    Report,
    Notification,
    CiVcs,
    Unknown,
}

/// Declares the catalog once so the enum, [`EventType::ALL`], the wire names,
/// groups and labels cannot drift apart.
macro_rules! catalog {
    ($( $variant:ident => $wire:literal, $group:ident, $label:literal, $plural:literal; )*) => {
        /// One event type of the catalog, or a name the catalog does not know.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType {
            $( $variant, )*
            /// A wire name outside the catalog, kept verbatim.
            Unknown(String),
        }

        impl EventType {
            /// Every catalog type, in PROTOCOL.md order.
            pub const ALL: [EventType; 34] = [ $( EventType::$variant, )* ];

            /// The wire name (`"finding_assigned"`).
            pub fn as_str(&self) -> &str {
                match self {
                    $( EventType::$variant => $wire, )*
                    EventType::Unknown(name) => name,
                }
            }

            /// Parses a wire name; never fails (unknown names are kept).
            pub fn from_wire(name: &str) -> EventType {
                match name {
                    $( $wire => EventType::$variant, )*
                    other => EventType::Unknown(other.to_owned()),
                }
            }

            /// The catalog group, `Unknown` for names outside the catalog.
            pub fn group(&self) -> EventGroup {
                match self {
                    $( EventType::$variant => EventGroup::$group, )*
                    EventType::Unknown(_) => EventGroup::Unknown,
                }
            }

            /// A short human label for one event (`"finding assigned"`).
            pub fn label(&self) -> String {
                match self {
                    $( EventType::$variant => $label.to_owned(), )*
                    EventType::Unknown(name) => name.replace('_', " "),
                }
            }

            /// The label for several events (`"findings assigned"`), used by
            /// storm summaries such as "12 more findings assigned".
            pub fn plural_label(&self) -> String {
                match self {
                    $( EventType::$variant => $plural.to_owned(), )*
                    EventType::Unknown(name) => format!("{} events", name.replace('_', " ")),
                }
            }
        }
    };
}

catalog! {
    FindingCreated => "finding_created", Finding, "finding created", "findings created";
    FindingUpdated => "finding_updated", Finding, "finding updated", "findings updated";
    FindingStatusChanged => "finding_status_changed", Finding, "finding status changed", "finding status changes";
    FindingAssigned => "finding_assigned", Finding, "finding assigned", "findings assigned";
    FindingCommentAdded => "finding_comment_added", Finding, "comment added", "comments added";
    FindingRetestRequested => "finding_retest_requested", Finding, "retest requested", "retests requested";
    FindingDeleted => "finding_deleted", Finding, "finding deleted", "findings deleted";
    ApprovalRequested => "approval_requested", Approval, "approval requested", "approvals requested";
    ApprovalGranted => "approval_granted", Approval, "approval granted", "approvals granted";
    ApprovalRejected => "approval_rejected", Approval, "approval rejected", "approvals rejected";
    ScanStarted => "scan_started", Scan, "scan started", "scans started";
    ScanCompleted => "scan_completed", Scan, "scan completed", "scans completed";
    ScanFailed => "scan_failed", Scan, "scan failed", "scans failed";
    SlaWarning => "sla_warning", Sla, "SLA at risk", "SLAs at risk";
    SlaBreached => "sla_breached", Sla, "SLA breached", "SLAs breached";
    SlaEscalated => "sla_escalated", Sla, "SLA escalated", "SLAs escalated";
    AssetCreated => "asset_created", Asset, "asset created", "assets created";
    AssetUpdated => "asset_updated", Asset, "asset updated", "assets updated";
    AssetDeleted => "asset_deleted", Asset, "asset deleted", "assets deleted";
    CompanyCreated => "company_created", Company, "company created", "companies created";
    CompanyUpdated => "company_updated", Company, "company updated", "companies updated";
    ProjectCreated => "project_created", Project, "project created", "projects created";
    ProjectUpdated => "project_updated", Project, "project updated", "projects updated";
    AssessmentStarted => "assessment_started", Assessment, "assessment started", "assessments started";
    AssessmentCompleted => "assessment_completed", Assessment, "assessment completed", "assessments completed";
    MaintenanceScheduled => "maintenance_scheduled", Maintenance, "maintenance scheduled", "maintenance windows scheduled";
    ReportReady => "report_ready", Report, "report ready", "reports ready";
    ReportFailed => "report_failed", Report, "report failed", "reports failed";
    NotificationCreated => "notification_created", Notification, "notification", "notifications";
    NotificationRead => "notification_read", Notification, "notification read", "notifications read";
    NotificationAllRead => "notification_all_read", Notification, "all notifications read", "all notifications read";
    CiPipelineFailed => "ci_pipeline_failed", CiVcs, "CI pipeline failed", "CI pipelines failed";
    VcsPushReceived => "vcs_push_received", CiVcs, "push received", "pushes received";
    PullRequestOpened => "pull_request_opened", CiVcs, "pull request opened", "pull requests opened";
}

impl EventType {
    /// `notification_*` events are per-user; the engine checks their owner.
    pub fn is_notification(&self) -> bool {
        self.group() == EventGroup::Notification
    }
}

impl FromStr for EventType {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(EventType::from_wire(s))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(EventType::from_wire(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire names, typed out literally so a typo in the catalog fails here.
    const WIRE: [&str; 34] = [
        "finding_created",
        "finding_updated",
        "finding_status_changed",
        "finding_assigned",
        "finding_comment_added",
        "finding_retest_requested",
        "finding_deleted",
        "approval_requested",
        "approval_granted",
        "approval_rejected",
        "scan_started",
        "scan_completed",
        "scan_failed",
        "sla_warning",
        "sla_breached",
        "sla_escalated",
        "asset_created",
        "asset_updated",
        "asset_deleted",
        "company_created",
        "company_updated",
        "project_created",
        "project_updated",
        "assessment_started",
        "assessment_completed",
        "maintenance_scheduled",
        "report_ready",
        "report_failed",
        "notification_created",
        "notification_read",
        "notification_all_read",
        "ci_pipeline_failed",
        "vcs_push_received",
        "pull_request_opened",
    ];

    #[test]
    fn every_catalog_type_has_its_exact_wire_name() {
        for (ty, wire) in EventType::ALL.iter().zip(WIRE) {
            assert_eq!(ty.as_str(), wire);
            assert_eq!(&EventType::from_wire(wire), ty);
            assert_ne!(ty.group(), EventGroup::Unknown, "{wire}");
        }
    }

    #[test]
    fn unknown_names_pass_through_verbatim() {
        let ty: EventType = "quantum_leap".parse().expect("infallible");
        assert_eq!(ty, EventType::Unknown("quantum_leap".into()));
        assert_eq!(ty.as_str(), "quantum_leap");
        assert_eq!(ty.label(), "quantum leap");
        assert_eq!(ty.group(), EventGroup::Unknown);
    }

    #[test]
    fn serde_uses_the_wire_string() {
        let json = serde_json::to_string(&EventType::FindingAssigned).expect("serialize");
        assert_eq!(json, "\"finding_assigned\"");
        let back: EventType = serde_json::from_str("\"sla_breached\"").expect("deserialize");
        assert_eq!(back, EventType::SlaBreached);
    }

    #[test]
    fn labels_read_as_plain_english() {
        assert_eq!(EventType::FindingAssigned.label(), "finding assigned");
        assert_eq!(
            EventType::FindingAssigned.plural_label(),
            "findings assigned"
        );
        assert!(EventType::NotificationRead.is_notification());
        assert!(!EventType::FindingCreated.is_notification());
    }
}
