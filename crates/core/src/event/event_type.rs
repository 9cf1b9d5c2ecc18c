//! The event catalog: the wire names PMAP puts in an envelope's `type`.
//!
//! The catalog is open. The server grows it before clients learn about it,
//! so parsing never fails: a name we do not know becomes
//! [`EventType::Unknown`], is passed through untouched and is labelled from
//! its own string (the user can still opt in to pop-ups for it).

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

impl EventGroup {
    /// The group's name as a heading (`"SLA"`, `"CI / VCS"`); types outside
    /// the catalog are grouped under `"Other"`.
    pub fn label(self) -> &'static str {
        match self {
            EventGroup::Finding => "Finding",
            EventGroup::Approval => "Approval",
            EventGroup::Scan => "Scan",
            EventGroup::Sla => "SLA",
            EventGroup::Asset => "Asset",
            EventGroup::Company => "Company",
            EventGroup::Project => "Project",
            EventGroup::Assessment => "Assessment",
            EventGroup::Maintenance => "Maintenance",
            EventGroup::Report => "Report",
            EventGroup::Notification => "Notification",
            EventGroup::CiVcs => "CI / VCS",
            EventGroup::Unknown => "Other",
        }
    }
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
            /// Every catalog type, in PROTOCOL.md order. A slice, so a new
            /// type is one line of this table and nothing else.
            pub const ALL: &'static [EventType] = &[ $( EventType::$variant, )* ];

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

            /// A short human label for one event, as it reads mid-sentence
            /// (`"finding assigned"`, `"SLA breached"`). An unknown name is
            /// labelled from its string (`"finding rescan requested"`).
            pub fn label(&self) -> String {
                match self {
                    $( EventType::$variant => $label.to_owned(), )*
                    EventType::Unknown(name) => words_of(name),
                }
            }

            /// The label for several events (`"findings assigned"`), used by
            /// storm summaries such as "12 more findings assigned".
            pub fn plural_label(&self) -> String {
                match self {
                    $( EventType::$variant => $plural.to_owned(), )*
                    EventType::Unknown(name) => format!("{} events", words_of(name)),
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
    FindingRetested => "finding_retested", Finding, "finding retested", "findings retested";
    FindingNoteAdded => "finding_note_added", Finding, "note added to a finding", "notes added to findings";
    FindingRescanRequested => "finding_rescan_requested", Finding, "finding rescan requested", "finding rescans requested";
    FindingRuleApplied => "finding_rule_applied", Finding, "rule applied to a finding", "rules applied to findings";
    FindingBulkUpdated => "finding_bulk_updated", Finding, "bulk finding update", "bulk finding updates";
    ApprovalRequested => "approval_requested", Approval, "approval requested", "approvals requested";
    ApprovalApproved => "approval_approved", Approval, "approval granted", "approvals granted";
    ApprovalRejected => "approval_rejected", Approval, "approval rejected", "approvals rejected";
    ApprovalCancelled => "approval_cancelled", Approval, "approval cancelled", "approvals cancelled";
    ApprovalExpired => "approval_expired", Approval, "approval expired", "approvals expired";
    ApprovalExceptionExpired => "approval_exception_expired", Approval, "approved exception expired", "approved exceptions expired";
    ScanCompleted => "scan_completed", Scan, "scan completed", "scans completed";
    RemoteScanCompleted => "remote_scan_completed", Scan, "remote scan completed", "remote scans completed";
    SlaBreached => "sla_breached", Sla, "SLA breached", "SLAs breached";
    SlaEscalated => "sla_escalated", Sla, "SLA escalated", "SLAs escalated";
    AssetCreated => "asset_created", Asset, "asset created", "assets created";
    AssetUpdated => "asset_updated", Asset, "asset updated", "assets updated";
    AssetDeleted => "asset_deleted", Asset, "asset deleted", "assets deleted";
    CompanyCreated => "company_created", Company, "company created", "companies created";
    CompanyUpdated => "company_updated", Company, "company updated", "companies updated";
    CompanyDeleted => "company_deleted", Company, "company deleted", "companies deleted";
    ProjectUpdated => "project_updated", Project, "project updated", "projects updated";
    AssessmentRunCreated => "assessment_run_created", Assessment, "assessment run created", "assessment runs created";
    AssessmentRunCompleted => "assessment_run_completed", Assessment, "assessment run completed", "assessment runs completed";
    FindingsArchived => "findings_archived", Maintenance, "findings archived", "batches of findings archived";
    ReportGenerated => "report_generated", Report, "report generated", "reports generated";
    NotificationCreated => "notification_created", Notification, "notification", "notifications";
    NotificationRead => "notification_read", Notification, "notification read", "notifications read";
    NotificationAllRead => "notification_all_read", Notification, "all notifications read", "all notifications read";
    VcsPush => "vcs_push", CiVcs, "VCS push", "VCS pushes";
    VcsPullRequest => "vcs_pull_request", CiVcs, "VCS pull request", "VCS pull requests";
    CiPipelineCompleted => "ci_pipeline_completed", CiVcs, "CI pipeline completed", "CI pipelines completed";
    SastDispatched => "sast_dispatched", CiVcs, "SAST scan dispatched", "SAST scans dispatched";
}

impl EventType {
    /// `notification_*` events are per-user; the engine checks their owner.
    pub fn is_notification(&self) -> bool {
        self.group() == EventGroup::Notification
    }

    /// The label capitalised to open a title or a table row
    /// (`"Finding rescan requested"`, `"SLA breached"`).
    pub fn title_label(&self) -> String {
        let label = self.label();
        let mut chars = label.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }
}

/// Words that stay in capitals when a wire name is turned into a label.
const ACRONYMS: [(&str, &str); 4] = [
    ("sla", "SLA"),
    ("ci", "CI"),
    ("vcs", "VCS"),
    ("sast", "SAST"),
];

/// `"sla_rule_changed"` → `"SLA rule changed"`: a label for a name outside
/// the catalog, so the user sees words rather than a wire name.
fn words_of(name: &str) -> String {
    name.split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            ACRONYMS
                .iter()
                .find(|(wire, _)| word.eq_ignore_ascii_case(wire))
                .map_or_else(|| word.to_ascii_lowercase(), |(_, caps)| (*caps).to_owned())
        })
        .collect::<Vec<_>>()
        .join(" ")
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

    // The wire names themselves are checked against pmap-sim's independent
    // list by `tests/catalog_drift.rs`; these tests check the table's shape.

    #[test]
    fn every_catalog_type_round_trips_and_has_a_group() {
        for ty in EventType::ALL {
            let wire = ty.as_str();
            assert_eq!(&EventType::from_wire(wire), ty);
            assert_ne!(ty.group(), EventGroup::Unknown, "{wire}");
            assert!(
                wire.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{wire} is lower_snake_case"
            );
        }
    }

    #[test]
    fn catalog_names_are_distinct() {
        let mut names: Vec<&str> = EventType::ALL.iter().map(EventType::as_str).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len());
    }

    #[test]
    fn groups_have_headings_and_unknown_types_fall_under_other() {
        assert_eq!(EventType::SlaEscalated.group().label(), "SLA");
        assert_eq!(EventType::VcsPush.group().label(), "CI / VCS");
        assert_eq!(
            EventType::from_wire("quantum_leap").group().label(),
            "Other"
        );
    }

    #[test]
    fn unknown_names_pass_through_verbatim() {
        let ty: EventType = "quantum_leap".parse().expect("infallible");
        assert_eq!(ty, EventType::Unknown("quantum_leap".into()));
        assert_eq!(ty.as_str(), "quantum_leap");
        assert_eq!(ty.group(), EventGroup::Unknown);
    }

    #[test]
    fn unknown_names_are_labelled_from_their_string() {
        let cases = [
            ("quantum_leap", "quantum leap", "Quantum leap"),
            (
                "finding_rescan_requested_v2",
                "finding rescan requested v2",
                "Finding rescan requested v2",
            ),
            ("sla_rule_changed", "SLA rule changed", "SLA rule changed"),
            ("ci_job__failed", "CI job failed", "CI job failed"),
            ("VCS_Tag", "VCS tag", "VCS tag"),
            ("", "", ""),
        ];
        for (wire, label, title) in cases {
            let ty = EventType::from_wire(wire);
            assert_eq!(ty.label(), label, "{wire:?}");
            assert_eq!(ty.title_label(), title, "{wire:?}");
        }
        assert_eq!(
            EventType::from_wire("ci_job_failed").plural_label(),
            "CI job failed events"
        );
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
        let cases = [
            (
                EventType::FindingAssigned,
                "finding assigned",
                "findings assigned",
            ),
            (
                EventType::FindingRetested,
                "finding retested",
                "findings retested",
            ),
            (EventType::SlaEscalated, "SLA escalated", "SLAs escalated"),
            (
                EventType::CiPipelineCompleted,
                "CI pipeline completed",
                "CI pipelines completed",
            ),
            (EventType::VcsPush, "VCS push", "VCS pushes"),
        ];
        for (ty, one, many) in cases {
            assert_eq!(ty.label(), one, "{ty}");
            assert_eq!(ty.plural_label(), many, "{ty}");
        }
        assert_eq!(
            EventType::FindingRescanRequested.title_label(),
            "Finding rescan requested"
        );
        assert_eq!(EventType::SlaBreached.title_label(), "SLA breached");
        assert!(EventType::NotificationRead.is_notification());
        assert!(!EventType::FindingCreated.is_notification());
    }
}
