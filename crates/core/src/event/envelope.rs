//! The thin envelope every event is reduced to, and its decoder.
//!
//! PMAP producers send either the *thin envelope*
//! `{"type","company_id","payload":{…}}` or the *rich payload*
//! `{"schema_version","type","timestamp","tenant","correlation_id",
//! "subject":{…},"actor":{…}|null,"data":{…}}`. The platform flattens rich to
//! thin before bridging; we do the same so the engine sees one shape.

use std::borrow::Cow;

use serde::de::{DeserializeSeed, MapAccess};
use serde_json::Value;

use super::EventType;
use super::payload::Payload;
use super::wire::{Fields, Scalar, Shape, ShapeKind, ShapeSeed, Skip};

/// One event in the thin shape, borrowing its strings from the frame.
///
/// Only the payload keys the engine reads are kept (see `fields.rs` for
/// what each means); everything else in the frame is parsed and dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope<'a> {
    pub event_type: EventType,
    /// `None` for broadcasts (`company_id: null`).
    pub company_id: Option<Cow<'a, str>>,
    pub(crate) payload: Payload<'a>,
}

/// What one `data:` line decodes to.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // it lives on the stack; a `Box` would allocate per frame
pub enum Decoded<'a> {
    /// The server's hello (`{"type":"ping"}`); carries nothing.
    Ping,
    Event(Envelope<'a>),
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

impl<'a> Envelope<'a> {
    /// Decodes one SSE `data` value, thin or rich, in one pass over the
    /// text and without allocating unless a string has escapes.
    pub fn decode(data: &'a str) -> Result<Decoded<'a>, DecodeError> {
        let mut parser = serde_json::Deserializer::from_str(data.trim_start_matches('\u{feff}'));
        let mut frame = Shape::<Frame>::default();
        ShapeSeed(&mut frame)
            .deserialize(&mut parser)
            .and_then(|()| parser.end())
            .map_err(|e| DecodeError::Json(e.to_string()))?;
        // Read by reference: moving the frame's kilobyte of fields about
        // (rustc does not elide those moves) costs more than decoding it.
        let Some(frame) = frame.object_mut() else {
            return Err(DecodeError::NotAnObject);
        };
        let type_name = match frame.type_name.as_str() {
            Some(name) if !name.is_empty() => name,
            _ => return Err(DecodeError::MissingType),
        };
        if type_name == "ping" {
            return Ok(Decoded::Ping);
        }
        let event_type = EventType::from_wire(type_name);
        if !frame.thin {
            return Ok(Decoded::Event(frame.flatten_rich(event_type)));
        }
        let payload = match frame.body.kind {
            ShapeKind::Object | ShapeKind::Null | ShapeKind::Absent => frame.body.take_object(),
            ShapeKind::Other => return Err(DecodeError::BadPayload),
        };
        Ok(Decoded::Event(Envelope {
            event_type,
            company_id: owned_id(&frame.company_id),
            payload,
        }))
    }
}

/// An id-like value kept with the frame's lifetime: borrowed when it is
/// a plain string, owned when it was a number or had escapes.
fn owned_id<'a>(value: &Scalar<'a>) -> Option<Cow<'a, str>> {
    match value {
        Scalar::Str(s) => Some(s.clone()),
        Scalar::Num(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Reads an id-like JSON value as a string (the `Value` twin of
/// [`Scalar::id`], for the REST models).
pub(crate) fn string_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The top level of a frame, thin and rich keys alike.
#[derive(Default)]
struct Frame<'a> {
    type_name: Scalar<'a>,
    company_id: Scalar<'a>,
    /// A `payload` key makes the frame thin, wherever it comes.
    thin: bool,
    /// `payload` when thin, else the rich shape's `data`: one slot, so the
    /// frame holds one set of payload fields, not two.
    body: Shape<Payload<'a>>,
    // The rich shape.
    tenant: Scalar<'a>,
    correlation_id: Scalar<'a>,
    timestamp: Scalar<'a>,
    subject: Shape<Party<'a>>,
}

impl<'a> Frame<'a> {
    /// Flattens exactly as the platform does: `tenant` → `company_id`; the
    /// `data` keys, then `correlation_id`, `timestamp` and `subject_type/id`
    /// into the payload (`schema_version` and `actor_type/id` too, but no
    /// one reads those). Envelope-level metadata wins over a `data` key of
    /// the same name; a `null` one does not.
    fn flatten_rich(&mut self, event_type: EventType) -> Envelope<'a> {
        let mut payload = self.body.take_object();
        let overrides = [
            (&mut self.correlation_id, &mut payload.correlation_id),
            (&mut self.timestamp, &mut payload.timestamp),
        ];
        for (value, slot) in overrides {
            if value.is_some_value() {
                *slot = std::mem::take(value);
            }
        }
        if let Some(subject) = self.subject.object_mut() {
            if subject.kind.is_some_value() {
                payload.subject_type = std::mem::take(&mut subject.kind);
            }
            if subject.id.is_some_value() {
                payload.subject_id = std::mem::take(&mut subject.id);
            }
        }
        Envelope {
            event_type,
            company_id: owned_id(&self.tenant),
            payload,
        }
    }
}

enum FrameKey {
    Type,
    CompanyId,
    Payload,
    Tenant,
    Data,
    CorrelationId,
    Timestamp,
    Subject,
    Other,
}

impl From<&str> for FrameKey {
    fn from(key: &str) -> Self {
        match key {
            "type" => FrameKey::Type,
            "company_id" => FrameKey::CompanyId,
            "payload" => FrameKey::Payload,
            "tenant" => FrameKey::Tenant,
            "data" => FrameKey::Data,
            "correlation_id" => FrameKey::CorrelationId,
            "timestamp" => FrameKey::Timestamp,
            "subject" => FrameKey::Subject,
            _ => FrameKey::Other,
        }
    }
}

impl<'de> Fields<'de> for Frame<'de> {
    type Key = FrameKey;
    fn read<A: MapAccess<'de>>(&mut self, key: FrameKey, map: &mut A) -> Result<(), A::Error> {
        match key {
            FrameKey::Type => self.type_name = map.next_value()?,
            FrameKey::CompanyId => self.company_id = map.next_value()?,
            FrameKey::Payload => {
                self.thin = true;
                map.next_value_seed(ShapeSeed(&mut self.body))?;
            }
            FrameKey::Tenant => self.tenant = map.next_value()?,
            FrameKey::Data if self.thin => {
                map.next_value::<Skip>()?;
            }
            FrameKey::Data => map.next_value_seed(ShapeSeed(&mut self.body))?,
            FrameKey::CorrelationId => self.correlation_id = map.next_value()?,
            FrameKey::Timestamp => self.timestamp = map.next_value()?,
            FrameKey::Subject => map.next_value_seed(ShapeSeed(&mut self.subject))?,
            FrameKey::Other => {
                map.next_value::<Skip>()?;
            }
        }
        Ok(())
    }
}

/// A rich envelope's `subject` (`actor` has the same shape; no one reads it).
#[derive(Default)]
struct Party<'a> {
    kind: Scalar<'a>,
    id: Scalar<'a>,
}

impl<'de> Fields<'de> for Party<'de> {
    type Key = PartyKey;
    fn read<A: MapAccess<'de>>(&mut self, key: PartyKey, map: &mut A) -> Result<(), A::Error> {
        match key {
            PartyKey::Type => self.kind = map.next_value()?,
            PartyKey::Id => self.id = map.next_value()?,
            PartyKey::Other => {
                map.next_value::<Skip>()?;
            }
        }
        Ok(())
    }
}

enum PartyKey {
    Type,
    Id,
    Other,
}

impl From<&str> for PartyKey {
    fn from(key: &str) -> Self {
        match key {
            "type" => PartyKey::Type,
            "id" => PartyKey::Id,
            _ => PartyKey::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(data: &str) -> Envelope<'_> {
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
        assert_eq!(env.subject(), Some(("finding".into(), "f-102".into())));
        assert_eq!(env.severity(), Some(crate::event::Severity::Critical));
    }

    #[test]
    fn rich_payload_flattens_to_thin() {
        let env = event(
            r#"{"schema_version":1,"type":"sla_breached","timestamp":"2026-11-24T09:15:02.123456789Z",
                "tenant":"c-globex","correlation_id":"corr-1",
                "subject":{"type":"finding","id":"f-7"},"actor":{"type":"system","id":"sla-bot"},
                "data":{"title":"Weak TLS","severity":"high","correlation_id":"inner"}}"#,
        );
        assert_eq!(env.event_type, EventType::SlaBreached);
        assert_eq!(env.company_id.as_deref(), Some("c-globex"));
        assert_eq!(env.title().as_deref(), Some("Weak TLS"));
        assert_eq!(env.severity(), Some(crate::event::Severity::High));
        assert_eq!(
            env.correlation_id().as_deref(),
            Some("corr-1"),
            "envelope wins"
        );
        assert_eq!(
            env.timestamp().as_deref(),
            Some("2026-11-24T09:15:02.123456789Z")
        );
        assert_eq!(env.subject(), Some(("finding".into(), "f-7".into())));
    }

    #[test]
    fn rich_metadata_that_is_null_leaves_the_data_key() {
        let env = event(
            r#"{"type":"sla_breached","correlation_id":null,"subject":{"type":null,"id":"f-8"},
                "data":{"correlation_id":"inner","subject_type":"scan","title":"T"}}"#,
        );
        assert_eq!(env.correlation_id().as_deref(), Some("inner"));
        assert_eq!(env.subject(), Some(("scan".into(), "f-8".into())));
    }

    #[test]
    fn rich_payload_with_null_actor_and_tenant_is_a_broadcast() {
        let env = event(r#"{"type":"findings_archived","tenant":null,"actor":null,"data":{}}"#);
        assert_eq!(env.company_id, None);
        assert_eq!(env.subject(), None);
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
