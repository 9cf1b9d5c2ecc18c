//! The event catalog, delivery channels and the preference lookup rule.

use std::collections::BTreeMap;

/// The event types of the protocol, in PROTOCOL.md's catalog order. This
/// list is typed out here on purpose rather than taken from companion-core:
/// the simulator is the protocol's second implementation, and a test in
/// core (`catalog_drift`) fails when the two lists disagree.
pub const EVENT_TYPES: &[&str] = &[
    // finding
    "finding_created",
    "finding_updated",
    "finding_status_changed",
    "finding_assigned",
    "finding_retested",
    "finding_note_added",
    "finding_rescan_requested",
    "finding_rule_applied",
    "finding_bulk_updated",
    // approval
    "approval_requested",
    "approval_approved",
    "approval_rejected",
    "approval_cancelled",
    "approval_expired",
    "approval_exception_expired",
    // scan
    "scan_completed",
    "remote_scan_completed",
    // SLA
    "sla_breached",
    "sla_escalated",
    // asset
    "asset_created",
    "asset_updated",
    "asset_deleted",
    // company
    "company_created",
    "company_updated",
    "company_deleted",
    // project
    "project_updated",
    // assessment
    "assessment_run_created",
    "assessment_run_completed",
    // maintenance
    "findings_archived",
    // report
    "report_generated",
    // notification
    "notification_created",
    "notification_read",
    "notification_all_read",
    // CI / VCS
    "vcs_push",
    "vcs_pull_request",
    "ci_pipeline_completed",
    "sast_dispatched",
];

/// The platform's realtime subset: the only catalog types its stream
/// carries as themselves. The others (approvals, `sla_escalated`, …) reach a
/// client only as `notification_created` rows, so the demo scenario
/// publishes nothing else.
pub(crate) const BRIDGED: &[&str] = &[
    "finding_created",
    "finding_updated",
    "finding_status_changed",
    "finding_assigned",
    "finding_retested",
    "finding_note_added",
    "scan_completed",
    "sla_breached",
    "report_generated",
    "asset_created",
    "asset_updated",
    "asset_deleted",
    "project_updated",
    "notification_created",
    "notification_read",
    "notification_all_read",
];

/// Server-side delivery channels a preference key may name.
pub const CHANNELS: [&str; 5] = ["in_app", "email", "slack", "teams", "webhook"];

/// Severity scale, lowest first.
pub const SEVERITIES: [&str; 6] = [
    "informational",
    "low",
    "medium",
    "high",
    "critical",
    "urgent",
];

pub(crate) fn is_event_type(text: &str) -> bool {
    EVENT_TYPES.contains(&text)
}

/// Whether the platform's stream carries `event_type` as itself.
pub(crate) fn is_bridged(event_type: &str) -> bool {
    BRIDGED.contains(&event_type)
}

pub(crate) fn is_severity(text: &str) -> bool {
    SEVERITIES.contains(&text)
}

/// Checks one preference key: `<event_type>` or `<channel>.<event_type>`.
pub(crate) fn check_preference_key(key: &str) -> Result<(), String> {
    let event_type = match key.split_once('.') {
        Some((channel, event_type)) => {
            if !CHANNELS.contains(&channel) {
                return Err(format!(
                    "unknown channel {channel:?} in key {key:?}: use one of {}",
                    CHANNELS.join(", ")
                ));
            }
            event_type
        }
        None => key,
    };
    if is_event_type(event_type) {
        Ok(())
    } else {
        Err(format!("unknown event type {event_type:?} in key {key:?}"))
    }
}

/// Whether `event_type` is enabled on `channel` under a stored matrix.
///
/// The namespaced key `"<channel>.<event_type>"` wins over the legacy
/// all-channel key `"<event_type>"`; with neither present the type is
/// enabled, so a fresh account misses nothing.
pub fn preference_enabled(
    preferences: &BTreeMap<String, bool>,
    channel: &str,
    event_type: &str,
) -> bool {
    preferences
        .get(&format!("{channel}.{event_type}"))
        .or_else(|| preferences.get(event_type))
        .copied()
        .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(entries: &[(&str, bool)]) -> BTreeMap<String, bool> {
        entries.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn preference_lookup_namespaced_beats_legacy_and_missing_is_enabled() {
        type Case<'a> = (&'a [(&'a str, bool)], &'a str, &'a str, bool);
        let cases: [Case<'_>; 7] = [
            (&[], "in_app", "finding_assigned", true),
            (
                &[("finding_assigned", false)],
                "in_app",
                "finding_assigned",
                false,
            ),
            (
                &[("finding_assigned", false)],
                "email",
                "finding_assigned",
                false,
            ),
            (
                &[
                    ("finding_assigned", false),
                    ("in_app.finding_assigned", true),
                ],
                "in_app",
                "finding_assigned",
                true,
            ),
            (
                &[
                    ("finding_assigned", true),
                    ("in_app.finding_assigned", false),
                ],
                "in_app",
                "finding_assigned",
                false,
            ),
            (
                &[("email.scan_completed", false)],
                "in_app",
                "scan_completed",
                true,
            ),
            (
                &[("email.scan_completed", false)],
                "email",
                "scan_completed",
                false,
            ),
        ];
        for (entries, channel, event_type, expected) in cases {
            assert_eq!(
                preference_enabled(&matrix(entries), channel, event_type),
                expected,
                "{entries:?} {channel}.{event_type}"
            );
        }
    }

    #[test]
    fn preference_keys_are_checked_against_catalog_and_channels() {
        assert!(check_preference_key("finding_created").is_ok());
        assert!(check_preference_key("slack.sla_breached").is_ok());
        assert!(check_preference_key("pager.sla_breached").is_err());
        assert!(check_preference_key("in_app.coffee_ready").is_err());
        assert!(check_preference_key("coffee_ready").is_err());
        assert!(check_preference_key("in_app.").is_err());
        assert!(check_preference_key("teams.approval_exception_expired").is_ok());
        assert!(check_preference_key("sla_warning").is_err(), "removed type");
    }

    #[test]
    fn catalog_types_are_distinct_and_lower_snake_case() {
        let mut types = EVENT_TYPES.to_vec();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), EVENT_TYPES.len());
        for name in EVENT_TYPES {
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
        }
    }

    #[test]
    fn bridged_types_are_catalog_types_and_leave_out_approvals_and_escalations() {
        for name in BRIDGED {
            assert!(is_event_type(name), "{name}");
        }
        for name in [
            "sla_escalated",
            "approval_requested",
            "finding_rule_applied",
        ] {
            assert!(!is_bridged(name), "{name}");
        }
    }
}
