//! What an envelope's payload says, read tolerantly.
//!
//! Payloads are producer-defined JSON; every accessor returns `None` (or an
//! empty list) for a missing or mistyped field rather than failing, because a
//! half-understood event is still worth showing.

use serde_json::{Map, Value};

use super::envelope::string_of;
use super::subject::{canonical_subject_type, subject_from_ids};
use super::{Envelope, EventType, Severity};

impl Envelope {
    /// The inbox row of a `notification_created` event.
    pub fn notification(&self) -> Option<&Map<String, Value>> {
        if self.event_type != EventType::NotificationCreated {
            return None;
        }
        self.payload.get("notification")?.as_object()
    }

    /// The inbox row's `data` object (`finding_id`, `severity`, …).
    fn notification_data(&self) -> Option<&Map<String, Value>> {
        self.notification()?.get("data")?.as_object()
    }

    /// `payload.severity`; for `notification_created` the row's
    /// `data.severity`. Unknown strings count as no severity.
    pub fn severity(&self) -> Option<Severity> {
        let from_row = self.notification_data().and_then(|d| d.get("severity"));
        from_row
            .or_else(|| self.payload.get("severity"))
            .and_then(Value::as_str)
            .and_then(Severity::parse)
    }

    /// `(type, id)` of what the event is about, with the type in canonical
    /// form (`finding`, `scan`, `approval`, `report`, `project`, `asset`) so a
    /// notification and the domain event it describes compare equal.
    pub fn subject(&self) -> Option<(String, String)> {
        if let Some(data) = self.notification_data() {
            return subject_from_ids(data);
        }
        let explicit_type = string_of(self.payload.get("subject_type"));
        let explicit_id = string_of(self.payload.get("subject_id"));
        if let (Some(ty), Some(id)) = (explicit_type, explicit_id) {
            return Some((canonical_subject_type(&ty), id));
        }
        subject_from_ids(&self.payload)
    }

    pub fn correlation_id(&self) -> Option<String> {
        string_of(self.payload.get("correlation_id"))
    }

    /// The producer's timestamp, as sent (used only as an identity fallback).
    pub fn timestamp(&self) -> Option<String> {
        string_of(self.payload.get("timestamp"))
    }

    /// The owner of a `notification_*` event.
    pub fn user_id(&self) -> Option<String> {
        string_of(self.payload.get("user_id"))
            .or_else(|| string_of(self.notification()?.get("user_id")))
    }

    /// `payload.title` (or `name`); for `notification_created` the row title.
    pub fn title(&self) -> Option<String> {
        let source = self.notification().unwrap_or(&self.payload);
        ["title", "name"]
            .into_iter()
            .find_map(|key| string_of(source.get(key)))
            .filter(|t| !t.trim().is_empty())
    }

    /// The inbox row's body text, if any.
    pub fn body(&self) -> Option<String> {
        string_of(self.notification()?.get("body")).filter(|b| !b.trim().is_empty())
    }

    /// The row id (`notification_created`) or `notification_id` (`notification_read`).
    pub fn notification_id(&self) -> Option<String> {
        match self.notification() {
            Some(row) => string_of(row.get("id")),
            None => string_of(self.payload.get("notification_id")),
        }
    }

    /// Whether a created inbox row arrived already read (`read: true`).
    pub fn notification_is_read(&self) -> bool {
        self.notification()
            .and_then(|row| row.get("read"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The type an inbox row (`notification_created`) is about: the row's
    /// own `event_type`, when it has one.
    pub fn row_event_type(&self) -> Option<EventType> {
        string_of(self.notification()?.get("event_type"))
            .filter(|t| !t.is_empty())
            .map(|t| EventType::from_wire(&t))
    }

    /// Who did it (`payload.actor_id`).
    pub fn actor_id(&self) -> Option<String> {
        string_of(self.payload.get("actor_id"))
    }

    /// `payload.assignee_ids` (or a single `assignee_id`).
    pub fn assignee_ids(&self) -> Vec<String> {
        match self.payload.get("assignee_ids") {
            Some(Value::Array(ids)) => ids.iter().filter_map(|v| string_of(Some(v))).collect(),
            _ => string_of(self.payload.get("assignee_id"))
                .into_iter()
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Decoded;
    use super::*;

    fn event(data: &str) -> Envelope {
        match Envelope::decode(data) {
            Ok(Decoded::Event(envelope)) => envelope,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    fn created(data: &str) -> Envelope {
        event(&format!(
            r#"{{"type":"notification_created","company_id":"c-acme","payload":{{"user_id":"u-ana",
               "notification":{{"id":"n-1","user_id":"u-ana","type":"alert","event_type":"sla_breached",
               "title":"SLA breached: Weak TLS","body":"Fix by Friday","data":{data},"read":false}}}}}}"#
        ))
    }

    #[test]
    fn severity_comes_from_payload_or_inner_row() {
        let cases = [
            (
                r#"{"type":"finding_created","payload":{"severity":"High"}}"#,
                Some(Severity::High),
            ),
            (
                r#"{"type":"finding_created","payload":{"severity":"bogus"}}"#,
                None,
            ),
            (
                r#"{"type":"finding_created","payload":{"severity":3}}"#,
                None,
            ),
            (r#"{"type":"scan_completed","payload":{}}"#, None),
        ];
        for (input, want) in cases {
            assert_eq!(event(input).severity(), want, "{input}");
        }
        assert_eq!(
            created(r#"{"severity":"urgent"}"#).severity(),
            Some(Severity::Urgent)
        );
    }

    #[test]
    fn subject_prefers_explicit_then_derives_from_ids() {
        let cases = [
            (
                r#"{"subject_type":"finding","subject_id":"f-1","scan_id":"s-1"}"#,
                Some(("finding", "f-1")),
            ),
            (
                r#"{"subject_type":"approval_request","subject_id":"a-1"}"#,
                Some(("approval", "a-1")),
            ),
            (r#"{"scan_id":"s-9"}"#, Some(("scan", "s-9"))),
            (r#"{"report_id":42}"#, Some(("report", "42"))),
            (
                r#"{"approval_request_id":"a-2"}"#,
                Some(("approval", "a-2")),
            ),
            (
                r#"{"subject_type":null,"asset_id":"as-1"}"#,
                Some(("asset", "as-1")),
            ),
            (r#"{"title":"nothing"}"#, None),
        ];
        for (payload, want) in cases {
            let env = event(&format!(
                r#"{{"type":"finding_updated","payload":{payload}}}"#
            ));
            let want = want.map(|(t, i)| (t.to_owned(), i.to_owned()));
            assert_eq!(env.subject(), want, "{payload}");
        }
    }

    #[test]
    fn notification_fields_come_from_the_inner_row() {
        let env = created(r#"{"finding_id":"f-7","severity":"critical"}"#);
        assert_eq!(env.subject(), Some(("finding".into(), "f-7".into())));
        assert_eq!(env.user_id().as_deref(), Some("u-ana"));
        assert_eq!(env.title().as_deref(), Some("SLA breached: Weak TLS"));
        assert_eq!(env.body().as_deref(), Some("Fix by Friday"));
        assert_eq!(env.notification_id().as_deref(), Some("n-1"));
        assert!(!env.notification_is_read());
    }

    #[test]
    fn read_event_names_its_notification() {
        let env = event(
            r#"{"type":"notification_read","payload":{"notification_id":"n-3","user_id":"u-ben"}}"#,
        );
        assert_eq!(env.notification_id().as_deref(), Some("n-3"));
        assert_eq!(env.user_id().as_deref(), Some("u-ben"));
    }

    #[test]
    fn assignees_and_titles_tolerate_wrong_types() {
        let env = event(
            r#"{"type":"finding_assigned","payload":{"assignee_ids":["u-ana",7,null,{"x":1}],"title":["no"],"name":"Fallback"}}"#,
        );
        assert_eq!(env.assignee_ids(), ["u-ana", "7"]);
        assert_eq!(env.title().as_deref(), Some("Fallback"));
        let single = event(
            r#"{"type":"finding_assigned","payload":{"assignee_id":"u-ben","assignee_ids":"u-x"}}"#,
        );
        assert_eq!(single.assignee_ids(), ["u-ben"]);
        let none = event(r#"{"type":"finding_assigned","payload":{"title":"   "}}"#);
        assert!(none.assignee_ids().is_empty());
        assert_eq!(none.title(), None);
        assert_eq!(none.correlation_id(), None);
    }
}
