//! The thin envelope every event is reduced to, and its decoder.
//!
//! PMAP producers send either the *thin envelope*
//! `{"type","company_id","payload":{…}}` or the *rich payload*
//! `{"schema_version","type","timestamp","tenant","correlation_id",
//! "subject":{…},"actor":{…}|null,"data":{…}}`. The platform flattens rich to
//! thin before bridging; we do the same so the engine sees one shape.

use serde::Serialize;
use serde_json::{Map, Value};

use super::EventType;

/// One event in the thin shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Envelope {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// `None` for broadcasts (`company_id: null`).
    pub company_id: Option<String>,
    pub payload: Map<String, Value>,
}

/// What one `data:` line decodes to.
#[derive(Clone, Debug, PartialEq)]
pub enum Decoded {
    /// The server's hello (`{"type":"ping"}`); carries nothing.
    Ping,
    Event(Envelope),
}

/// Why a frame could not be read as an event. The engine counts and skips
/// these; they never stop the stream.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("frame is not JSON: {0}")]
    Json(String),
    #[error("frame is JSON but not an object")]
    NotAnObject,
    #[error("frame has no string \"type\"")]
    MissingType,
    #[error("frame's \"payload\" is not an object")]
    BadPayload,
}

impl Envelope {
    /// Decodes one SSE `data` value, thin or rich.
    pub fn decode(data: &str) -> Result<Decoded, DecodeError> {
        let value: Value = serde_json::from_str(data.trim_start_matches('\u{feff}'))
            .map_err(|e| DecodeError::Json(e.to_string()))?;
        let Value::Object(mut object) = value else {
            return Err(DecodeError::NotAnObject);
        };
        let type_name = match object.get("type") {
            Some(Value::String(name)) if !name.is_empty() => name.clone(),
            _ => return Err(DecodeError::MissingType),
        };
        if type_name == "ping" {
            return Ok(Decoded::Ping);
        }
        let event_type = EventType::from_wire(&type_name);
        let envelope = if object.contains_key("payload") {
            Self::from_thin(event_type, &mut object)?
        } else {
            Self::from_rich(event_type, &mut object)
        };
        Ok(Decoded::Event(envelope))
    }

    fn from_thin(
        event_type: EventType,
        object: &mut Map<String, Value>,
    ) -> Result<Self, DecodeError> {
        let payload = match object.remove("payload") {
            Some(Value::Object(map)) => map,
            Some(Value::Null) | None => Map::new(),
            Some(_) => return Err(DecodeError::BadPayload),
        };
        Ok(Envelope {
            event_type,
            company_id: string_of(object.get("company_id")),
            payload,
        })
    }

    /// Flattens exactly as the platform does: `tenant` → `company_id`; the
    /// `data` keys, then `schema_version`, `correlation_id`, `timestamp`,
    /// `subject_type/id` and `actor_type/id` into the payload. Envelope-level
    /// metadata wins over a `data` key of the same name.
    fn from_rich(event_type: EventType, object: &mut Map<String, Value>) -> Self {
        let mut payload = match object.remove("data") {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        for key in ["schema_version", "correlation_id", "timestamp"] {
            if let Some(value) = object.remove(key).filter(|v| !v.is_null()) {
                payload.insert(key.to_owned(), value);
            }
        }
        for (outer, prefix) in [("subject", "subject"), ("actor", "actor")] {
            if let Some(Value::Object(inner)) = object.get(outer) {
                for field in ["type", "id"] {
                    if let Some(value) = inner.get(field).filter(|v| !v.is_null()) {
                        payload.insert(format!("{prefix}_{field}"), value.clone());
                    }
                }
            }
        }
        Envelope {
            event_type,
            company_id: string_of(object.get("tenant")),
            payload,
        }
    }
}

/// Reads an id-like JSON value as a string. Ids are opaque strings on the
/// wire, but a careless producer may send a number; anything else is absent.
pub(crate) fn string_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(data: &str) -> Envelope {
        match Envelope::decode(data) {
            Ok(Decoded::Event(envelope)) => envelope,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    #[test]
    fn thin_envelope_decodes_as_is() {
        let env = event(
            r#"{"type":"finding_assigned","company_id":"c-acme",
                "payload":{"finding_id":"f-102","severity":"critical"}}"#,
        );
        assert_eq!(env.event_type, EventType::FindingAssigned);
        assert_eq!(env.company_id.as_deref(), Some("c-acme"));
        assert_eq!(env.payload["finding_id"], json!("f-102"));
    }

    #[test]
    fn rich_payload_flattens_to_thin() {
        let env = event(
            r#"{"schema_version":1,"type":"sla_breached","timestamp":"2026-11-24T09:15:02.123456789Z",
                "tenant":"c-globex","correlation_id":"corr-1",
                "subject":{"type":"finding","id":"f-7"},"actor":{"type":"system","id":"sla-bot"},
                "data":{"title":"Weak TLS","severity":"high","correlation_id":"inner"}}"#,
        );
        let want = json!({
            "title":"Weak TLS","severity":"high","schema_version":1,"correlation_id":"corr-1",
            "timestamp":"2026-11-24T09:15:02.123456789Z","subject_type":"finding","subject_id":"f-7",
            "actor_type":"system","actor_id":"sla-bot"
        });
        assert_eq!(env.event_type, EventType::SlaBreached);
        assert_eq!(env.company_id.as_deref(), Some("c-globex"));
        assert_eq!(Value::Object(env.payload), want);
    }

    #[test]
    fn rich_payload_with_null_actor_and_tenant_is_a_broadcast() {
        let env = event(r#"{"type":"findings_archived","tenant":null,"actor":null,"data":{}}"#);
        assert_eq!(env.company_id, None);
        assert!(!env.payload.contains_key("actor_type"));
    }

    #[test]
    fn ping_is_distinguishable() {
        assert_eq!(Envelope::decode(r#"{"type":"ping"}"#), Ok(Decoded::Ping));
    }

    #[test]
    fn unknown_types_pass_through() {
        let env = event(r#"{"type":"quantum_leap","company_id":null,"payload":{"x":1}}"#);
        assert_eq!(env.event_type, EventType::Unknown("quantum_leap".into()));
    }

    #[test]
    fn odd_input_is_an_error_or_tolerated_never_a_panic() {
        let errors = [
            ("", "empty"),
            ("not json", "garbage"),
            ("[1,2]", "array"),
            ("42", "number"),
            ("null", "null"),
            (r#"{"payload":{}}"#, "missing type"),
            (r#"{"type":7,"payload":{}}"#, "numeric type"),
            (r#"{"type":"","payload":{}}"#, "empty type"),
            (
                r#"{"type":"finding_created","payload":[1]}"#,
                "array payload",
            ),
            (
                r#"{"type":"finding_created","payload":"x"}"#,
                "string payload",
            ),
            (
                r#"{"type":"finding_created","payload":{"n":1e400}}"#,
                "float out of range",
            ),
        ];
        for (input, why) in errors {
            assert!(Envelope::decode(input).is_err(), "{why}: {input:?}");
        }
        let tolerated = [
            r#"{"type":"finding_created","company_id":12,"payload":null}"#,
            r#"{"type":"finding_created","payload":{"n":123456789012345678901234567890}}"#,
            r#"{"type":"scan_completed","subject":"oops","actor":[],"data":7}"#,
            "\u{feff}{\"type\":\"report_generated\",\"payload\":{}}",
        ];
        for input in tolerated {
            assert!(Envelope::decode(input).is_ok(), "{input:?}");
        }
    }

    #[test]
    fn deeply_nested_json_is_rejected_not_overflowed() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(Envelope::decode(&deep).is_err());
    }
}
