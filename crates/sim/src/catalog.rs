//! The event catalog, delivery channels and the preference lookup rule.

use std::collections::BTreeMap;

/// The 34 event types of the protocol, in catalog order.
pub const EVENT_TYPES: [&str; 34] = [
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
    }

    #[test]
    fn catalog_has_34_distinct_types() {
        let mut types = EVENT_TYPES.to_vec();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), 34);
    }
}
