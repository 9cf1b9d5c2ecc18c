//! Building thin envelopes and reading who an envelope is for.

use serde_json::{Map, Value, json};

use crate::time::Timestamp;

/// A fresh opaque correlation id shaped like a UUID v4.
pub(crate) fn correlation_id() -> String {
    let bits: u128 = rand::random();
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// What an event is about and who caused it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub(crate) kind: &'a str,
    pub(crate) id: &'a str,
}

/// A thin envelope: `fields` plus the standard payload keys.
pub(crate) fn thin(
    event_type: &str,
    company_id: Option<&str>,
    subject: Subject<'_>,
    actor: Option<&str>,
    fields: Value,
) -> Value {
    let mut payload = match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    payload.insert("schema_version".into(), json!(1));
    payload.insert("correlation_id".into(), json!(correlation_id()));
    payload.insert("subject_type".into(), json!(subject.kind));
    payload.insert("subject_id".into(), json!(subject.id));
    payload.insert(
        "actor_type".into(),
        json!(if actor.is_some() { "user" } else { "system" }),
    );
    payload.insert("actor_id".into(), json!(actor));
    payload.insert("timestamp".into(), json!(Timestamp::now()));
    json!({ "type": event_type, "company_id": company_id, "payload": payload })
}

/// Who may receive a frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Audience {
    /// `None` is a broadcast to everyone in scope.
    pub(crate) company_id: Option<String>,
    /// For `notification_*` events: the owner, the only recipient.
    pub(crate) owner: Option<String>,
    /// Whether the event is a `notification_*` event.
    pub(crate) notification: bool,
    /// Restricts delivery to one user's streams (control endpoints).
    pub(crate) only_user: Option<String>,
    /// Raw text: skips scope checks, only `only_user` applies.
    pub(crate) raw: bool,
}

impl Audience {
    /// Reads the audience from a thin (`company_id`, `payload.user_id`) or
    /// rich (`tenant`, `data.user_id`) envelope.
    pub(crate) fn of(envelope: &Value) -> Self {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let event_type = envelope.get("type").and_then(Value::as_str).unwrap_or("");
        let company_id = text(envelope.get("company_id")).or_else(|| text(envelope.get("tenant")));
        let owner = text(envelope.pointer("/payload/user_id"))
            .or_else(|| text(envelope.pointer("/data/user_id")));
        Self {
            company_id,
            owner,
            notification: event_type.starts_with("notification_"),
            only_user: None,
            raw: false,
        }
    }
}

/// The SSE frame for an envelope: one `data:` line, no `event:`, no `id:`.
pub(crate) fn frame(envelope: &Value) -> bytes::Bytes {
    bytes::Bytes::from(format!("data: {envelope}\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thin_envelopes_carry_the_standard_payload_fields() {
        let envelope = thin(
            "finding_assigned",
            Some("c-acme"),
            Subject {
                kind: "finding",
                id: "f-102",
            },
            Some("u-lee"),
            json!({"finding_id": "f-102", "severity": "critical"}),
        );
        for key in [
            "finding_id",
            "schema_version",
            "correlation_id",
            "subject_type",
            "subject_id",
            "actor_type",
            "actor_id",
            "timestamp",
        ] {
            assert!(envelope["payload"].get(key).is_some(), "{key}");
        }
        assert_eq!(envelope["company_id"], "c-acme");
        let frame = frame(&envelope);
        assert!(frame.starts_with(b"data: {") && frame.ends_with(b"}\n\n"));
        assert_eq!(frame.iter().filter(|b| **b == b'\n').count(), 2);
    }

    #[test]
    fn audience_reads_thin_and_rich_envelopes() {
        let thin =
            json!({"type":"notification_read","company_id":null,"payload":{"user_id":"u-ana"}});
        let audience = Audience::of(&thin);
        assert!(audience.notification);
        assert_eq!(audience.owner.as_deref(), Some("u-ana"));
        let rich = json!({"type":"finding_created","tenant":"c-initech","data":{}});
        assert_eq!(Audience::of(&rich).company_id.as_deref(), Some("c-initech"));
    }

    #[test]
    fn correlation_ids_differ() {
        assert_ne!(correlation_id(), correlation_id());
    }
}
