//! The borrowed decoder against the one it replaced: every frame below is
//! read by both, and every accessor must agree. The old decoder built a
//! `serde_json::Value` tree; it is kept here, condensed, as the oracle.

use serde_json::{Map, Value};

use super::envelope::string_of;
use super::{Decoded, Envelope, EventType, Severity};

/// `(type, company, payload)` of one event as the old decoder gave it.
type OldEvent = (EventType, Option<String>, Map<String, Value>);

/// What the old decoder gave: an event, `None` for a ping, or the error kind.
fn oracle(data: &str) -> Result<Option<OldEvent>, String> {
    let value: Value =
        serde_json::from_str(data.trim_start_matches('\u{feff}')).map_err(|_| "json")?;
    let Value::Object(mut object) = value else {
        return Err("object".into());
    };
    let name = match object.get("type") {
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        _ => return Err("type".into()),
    };
    if name == "ping" {
        return Ok(None);
    }
    if object.contains_key("payload") {
        let payload = match object.remove("payload") {
            Some(Value::Object(map)) => map,
            Some(Value::Null) | None => Map::new(),
            Some(_) => return Err("payload".into()),
        };
        let company = string_of(object.get("company_id"));
        return Ok(Some((EventType::from_wire(&name), company, payload)));
    }
    let mut payload = match object.remove("data") {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for key in ["correlation_id", "timestamp"] {
        if let Some(value) = object.remove(key).filter(|v| !v.is_null()) {
            payload.insert(key.to_owned(), value);
        }
    }
    if let Some(Value::Object(inner)) = object.get("subject") {
        for field in ["type", "id"] {
            if let Some(value) = inner.get(field).filter(|v| !v.is_null()) {
                payload.insert(format!("subject_{field}"), value.clone());
            }
        }
    }
    let company = string_of(object.get("tenant"));
    Ok(Some((EventType::from_wire(&name), company, payload)))
}

/// The old accessors, over the oracle's payload.
fn oracle_fields(ty: &EventType, p: &Map<String, Value>) -> Vec<Option<String>> {
    let row = (*ty == EventType::NotificationCreated)
        .then(|| p.get("notification").and_then(Value::as_object))
        .flatten();
    let data = row.and_then(|r| r.get("data")).and_then(Value::as_object);
    let severity = data
        .and_then(|d| d.get("severity"))
        .or_else(|| p.get("severity"))
        .and_then(Value::as_str)
        .and_then(Severity::parse);
    let subject = match data {
        Some(d) => super::subject_from_ids(d),
        None => match (
            string_of(p.get("subject_type")),
            string_of(p.get("subject_id")),
        ) {
            (Some(t), Some(i)) => Some((super::subject::canonical_subject_type(&t), i)),
            _ => super::subject_from_ids(p),
        },
    };
    let source = row.unwrap_or(p);
    let title = ["title", "name"]
        .into_iter()
        .find_map(|k| string_of(source.get(k)))
        .filter(|t| !t.trim().is_empty());
    let assignees = match p.get("assignee_ids") {
        Some(Value::Array(ids)) => ids.iter().filter_map(|v| string_of(Some(v))).collect(),
        _ => string_of(p.get("assignee_id"))
            .into_iter()
            .collect::<Vec<_>>(),
    };
    vec![
        severity.map(|s| s.as_str().to_owned()),
        subject.map(|(t, i)| format!("{t}/{i}")),
        string_of(p.get("correlation_id")),
        string_of(p.get("timestamp")),
        string_of(p.get("user_id")).or_else(|| string_of(row?.get("user_id"))),
        title,
        row.and_then(|r| string_of(r.get("body")))
            .filter(|b| !b.trim().is_empty()),
        match row {
            Some(r) => string_of(r.get("id")),
            None => string_of(p.get("notification_id")),
        },
        Some(
            row.and_then(|r| r.get("read")?.as_bool())
                .unwrap_or(false)
                .to_string(),
        ),
        Some(assignees.join(",")),
        row.and_then(|r| r.get("event_type")?.as_str())
            .map(str::to_owned),
    ]
}

fn fields(env: &Envelope<'_>) -> Vec<Option<String>> {
    vec![
        env.severity().map(|s| s.as_str().to_owned()),
        env.subject().map(|(t, i)| format!("{t}/{i}")),
        env.correlation_id().map(Into::into),
        env.timestamp().map(Into::into),
        env.user_id().map(Into::into),
        env.title(),
        env.body(),
        env.notification_id().map(Into::into),
        Some(env.notification_is_read().to_string()),
        Some(env.assignee_ids().join(",")),
        env.notification()
            .and_then(|r| r.event_type.as_str())
            .map(str::to_owned),
    ]
}

const FRAMES: &[&str] = &[
    r#"{"type":"finding_updated","company_id":"c-acme","payload":{"finding_id":"f-1","title":"T","severity":"high","correlation_id":"c1","subject_type":"finding","subject_id":"f-1","timestamp":"t"}}"#,
    r#"{"type":"finding_assigned","company_id":7,"payload":{"assignee_ids":["u-ana",7,null,{"x":1},1.5],"title":["no"],"name":"N"}}"#,
    r#"{"type":"finding_assigned","payload":{"assignee_id":"u-ben","assignee_ids":"u-x","title":"   "}}"#,
    r#"{"type":"finding_assigned","payload":{"assignee_ids":["a"],"assignee_ids":{"b":1},"assignee_id":5}}"#,
    r#"{"type":"finding_updated","payload":{"title":"A","title":{"x":[1,2]},"name":"B","severity":"Low","severity":"bogus"}}"#,
    r#"{"type":"finding_updated","payload":{"sev\u0065rity":"critical","fin\u0064ing_id":"f-\u00e9\n","correlation_id":12345678901234567890123}}"#,
    r#"{"type":"finding_updated","payload":{"subject_type":"Approval_Requests","subject_id":9,"scan_id":"s"}}"#,
    r#"{"type":"finding_updated","payload":{"subject_type":null,"asset_id":"as-1","report_id":"r","timestamp":-3}}"#,
    r#"{"type":"finding_updated","payload":{"n":-0.0,"deep":[[{"a":[null,true,false,"x\"y"]}]],"project_id":1e5}}"#,
    r#"{"type":"notification_created","company_id":"c","payload":{"user_id":"u-ana","notification":{"id":"n-1","user_id":"u-b","title":"","name":"Row","body":" b ","read":true,"event_type":"policy_violated","data":{"severity":null,"finding_id":"f-9"}},"severity":"high"}}"#,
    r#"{"type":"notification_created","payload":{"notification":{"id":4,"data":{"scan_id":"s-2","severity":"urgent"},"data":"gone"},"notification_id":"outer"}}"#,
    r#"{"type":"notification_created","payload":{"notification":{"id":"n","data":{}},"finding_id":"f-outer","subject_type":"scan","subject_id":"s"}}"#,
    r#"{"type":"notification_created","payload":{"notification":"not a row","notification_id":"n-x","user_id":null}}"#,
    r#"{"type":"notification_read","company_id":null,"payload":{"notification_id":"n-3","user_id":"u-ben","notification":{"id":"ignored"}}}"#,
    r#"{"type":"notification_read","payload":null}"#,
    r#"{"schema_version":1,"type":"sla_breached","tenant":"c-globex","correlation_id":"corr-1","timestamp":"ts","subject":{"type":"finding","id":"f-7"},"actor":{"type":"system","id":"bot"},"data":{"title":"Weak TLS","severity":"high","correlation_id":"inner","subject_id":"x"}}"#,
    r#"{"type":"sla_breached","correlation_id":null,"timestamp":[1],"subject":{"type":null,"id":"f-8"},"data":{"correlation_id":"inner","subject_type":"scan"}}"#,
    r#"{"type":"scan_completed","subject":"oops","actor":[],"data":7,"company_id":"ignored-in-rich"}"#,
    r#"{"type":"quantum_leap","company_id":null,"payload":{"x":1}}"#,
    r#"{"type":"ping","payload":"bad but a ping"}"#,
    "\u{feff}{\"type\":\"report_generated\",\"payload\":{}}",
    r#"{"type":"x","type":"finding_created","payload":"x","payload":{"severity":"info"}}"#,
    r#"{"type":"finding_created","payload":{"n":123456789012345678901234567890,"finding_id":1e2}}"#,
    r#"{"type":"finding_updated","payload":{"severity":"high","finding_id":"f-1"},"payload":null}"#,
    r#"{"type":"finding_updated","payload":{"severity":"high"},"payload":7,"payload":{"title":"T"}}"#,
    r#"{"type":"notification_created","payload":{"notification":{"id":"n-1","title":"A"},"notification":"x","notification":{"body":"b"}}}"#,
    r#"{"type":"notification_created","payload":{"notification":{"id":"n-2","data":{"finding_id":"f"}},"notification":{"id":"n-3"}}}"#,
    "",
    "not json",
    "[1,2]",
    "42",
    "null",
    r#"{"payload":{}}"#,
    r#"{"type":7,"payload":{}}"#,
    r#"{"type":"","payload":{}}"#,
    r#"{"type":"finding_created","payload":[1]}"#,
    r#"{"type":"finding_created","payload":"x"}"#,
    r#"{"type":"finding_created","payload":{"n":1e400}}"#,
    r#"{"type":"finding_created","payload":{"n":[1e400]}}"#,
    r#"{"type":"finding_created","payload":{}} x"#,
    r#"{"type":"finding_created","payload":{"a":1,}}"#,
    r#"{"type":"ping","x":tru}"#,
];

#[test]
fn the_borrowed_decoder_reads_every_frame_as_the_value_tree_did() {
    for frame in FRAMES {
        match (oracle(frame), Envelope::decode(frame)) {
            (Ok(None), Ok(Decoded::Ping)) => {}
            (Ok(Some((ty, company, payload))), Ok(Decoded::Event(env))) => {
                assert_eq!(env.event_type, ty, "{frame}");
                assert_eq!(env.company_id.as_deref(), company.as_deref(), "{frame}");
                assert_eq!(fields(&env), oracle_fields(&ty, &payload), "{frame}");
            }
            (Err(want), Err(got)) => {
                let got = match got {
                    super::DecodeError::Json(_) => "json",
                    super::DecodeError::NotAnObject => "object",
                    super::DecodeError::MissingType => "type",
                    super::DecodeError::BadPayload => "payload",
                };
                assert_eq!(got, want, "{frame}");
            }
            (want, got) => panic!("{frame}: the tree said {want:?}, the decoder {got:?}"),
        }
    }
}
