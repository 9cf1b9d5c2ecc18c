//! What an envelope's payload says, read tolerantly.
//!
//! Payloads are producer-defined JSON; every accessor returns `None` (or an
//! empty list) for a missing or mistyped field rather than failing, because a
//! half-understood event is still worth showing. The ones the engine calls
//! for every frame borrow from it; the ones only a pop-up needs may allocate.

use std::borrow::Cow;

use super::payload::{Row, RowData};
use super::subject::{canonical_subject_type, is_kind, subject_from_slots};
use super::wire::Scalar;
use super::{Envelope, EventType, Severity};

impl<'a> Envelope<'a> {
    /// The inbox row of a `notification_created` event.
    pub(crate) fn notification(&self) -> Option<&Row<'a>> {
        if self.event_type != EventType::NotificationCreated {
            return None;
        }
        self.payload.notification.as_deref()?.object()
    }

    /// The inbox row's `data` object (`finding_id`, `severity`, …).
    fn notification_data(&self) -> Option<&RowData<'a>> {
        self.notification()?.data.object()
    }

    /// `payload.severity`; for `notification_created` the row's
    /// `data.severity` when the row names one (even as `null`). Unknown
    /// strings count as no severity.
    pub fn severity(&self) -> Option<Severity> {
        let from_row = self
            .notification_data()
            .map(|d| &d.severity)
            .filter(|s| s.is_present());
        from_row
            .unwrap_or(&self.payload.severity)
            .as_str()
            .and_then(Severity::parse)
    }

    /// `(type, id)` of what the event is about, with the type in canonical
    /// form (`finding`, `scan`, `approval`, `report`, `project`, `asset`) so a
    /// notification and the domain event it describes compare equal.
    pub fn subject(&self) -> Option<(String, String)> {
        self.subject_parts()
            .map(|(ty, id)| (canonical_subject_type(&ty), id.into_owned()))
    }

    /// The subject's id when the subject is of the kind `name` (canonical,
    /// `"finding"`), borrowed: the scope check runs on every frame.
    pub(crate) fn subject_id_of_kind(&self, name: &str) -> Option<Cow<'_, str>> {
        self.subject_parts()
            .filter(|(ty, _)| is_kind(ty, name))
            .map(|(_, id)| id)
    }

    /// The subject's id alone, borrowed (dedup needs no more).
    pub(crate) fn subject_id(&self) -> Option<Cow<'_, str>> {
        self.subject_parts().map(|(_, id)| id)
    }

    /// The subject as found: its type not yet canonical, both borrowed.
    fn subject_parts(&self) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
        if let Some(data) = self.notification_data() {
            return subject_from_slots(&data.ids).map(|(ty, id)| (Cow::Borrowed(ty), id));
        }
        let payload = &self.payload;
        if let (Some(ty), Some(id)) = (payload.subject_type.id(), payload.subject_id.id()) {
            return Some((ty, id));
        }
        subject_from_slots(&payload.ids).map(|(ty, id)| (Cow::Borrowed(ty), id))
    }

    pub fn correlation_id(&self) -> Option<Cow<'_, str>> {
        self.payload.correlation_id.id()
    }

    /// The producer's timestamp, as sent (used only as an identity fallback).
    pub fn timestamp(&self) -> Option<Cow<'_, str>> {
        self.payload.timestamp.id()
    }

    /// The owner of a `notification_*` event.
    pub fn user_id(&self) -> Option<Cow<'_, str>> {
        self.payload
            .user_id
            .id()
            .or_else(|| self.notification()?.user_id.id())
    }

    /// `payload.title` (or `name`); for `notification_created` the row title.
    pub fn title(&self) -> Option<String> {
        let (title, name) = match self.notification() {
            Some(row) => (&row.title, &row.name),
            None => (&self.payload.title, &self.payload.name),
        };
        [title, name]
            .into_iter()
            .find_map(Scalar::id)
            .filter(|t| !t.trim().is_empty())
            .map(Cow::into_owned)
    }

    /// The inbox row's body text, if any.
    pub fn body(&self) -> Option<String> {
        let body = self.notification()?.body.id()?;
        (!body.trim().is_empty()).then(|| body.into_owned())
    }

    /// The row id (`notification_created`) or `notification_id` (`notification_read`).
    pub fn notification_id(&self) -> Option<Cow<'_, str>> {
        match self.notification() {
            Some(row) => row.id.id(),
            None => self.payload.notification_id.id(),
        }
    }

    /// Whether a created inbox row arrived already read (`read: true`).
    pub fn notification_is_read(&self) -> bool {
        self.notification()
            .and_then(|row| row.read.as_bool())
            .unwrap_or(false)
    }

    /// The type an inbox row (`notification_created`) is about: the row's
    /// own `event_type`, when it has one.
    pub fn row_event_type(&self) -> Option<EventType> {
        self.notification()?
            .event_type
            .id()
            .filter(|t| !t.is_empty())
            .map(|t| EventType::from_wire(&t))
    }

    /// When the inbox row was created (`created_at`, as the server wrote it).
    pub(crate) fn row_created_at(&self) -> Option<&str> {
        self.notification()?.created_at.as_str()
    }

    /// Who did it (`payload.actor_id`).
    pub fn actor_id(&self) -> Option<Cow<'_, str>> {
        self.payload.actor_id.id()
    }

    /// `payload.assignee_ids` (or a single `assignee_id`).
    pub fn assignee_ids(&self) -> Vec<Cow<'_, str>> {
        match &self.payload.assignee_ids {
            super::wire::List::Items(ids) => ids.iter().filter_map(Scalar::id).collect(),
            super::wire::List::NotAList => self.payload.assignee_id.id().into_iter().collect(),
        }
    }

    /// Whether `user` is among the assignees, without building the list.
    pub(crate) fn is_assigned_to(&self, user: &str) -> bool {
        match &self.payload.assignee_ids {
            super::wire::List::Items(ids) => ids.iter().any(|id| id.id().as_deref() == Some(user)),
            super::wire::List::NotAList => self.payload.assignee_id.id().as_deref() == Some(user),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Decoded;
    use super::*;

    fn event(data: &str) -> Envelope<'_> {
        match Envelope::decode(data) {
            Ok(Decoded::Event(envelope)) => envelope,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    fn created(data: &str) -> Envelope<'static> {
        let frame = format!(
            r#"{{"type":"notification_created","company_id":"c-acme","payload":{{"user_id":"u-ana",
               "notification":{{"id":"n-1","user_id":"u-ana","type":"alert","event_type":"sla_breached",
               "title":"SLA breached: Weak TLS","body":"Fix by Friday","data":{data},"read":false}}}}}}"#
        );
        event(frame.leak())
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
            let frame = format!(r#"{{"type":"finding_updated","payload":{payload}}}"#);
            let env = event(&frame);
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
