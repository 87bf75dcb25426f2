//! A check's whole result as the index keeps it: without what the check's
//! own columns hold (status, reason, HTTP status, time), without what its
//! snapshot says the same way (digest, title, type, length) and without
//! empty fields, so a re-check that changed nothing adds few bytes.
//! Reading puts them back; results stored whole by older releases read as
//! they are.

use crate::model::{CheckResult, CheckStatus, Timestamp};
use serde_json::{Map, Value};

/// The keys a check row holds in columns of its own.
const IN_COLUMNS: [&str; 4] = ["status", "reason", "http_status", "checked_at"];

/// What a check's snapshot says of the payload, in the result's terms
/// (`sha256` as bare hex, as results write it).
#[derive(Debug, Default)]
pub(super) struct FromSnapshot {
    pub sha256: Option<String>,
    pub title: Option<String>,
    pub content_type: Option<String>,
    pub content_length: Option<u64>,
}

impl FromSnapshot {
    /// The result fields the snapshot can stand in for, with its values.
    fn fields(&self) -> [(&'static str, Value); 4] {
        [
            ("sha256", self.sha256.clone().into()),
            ("title", self.title.clone().into()),
            ("content_type", self.content_type.clone().into()),
            ("content_length", self.content_length.into()),
        ]
    }
}

/// The stored form of a result. A field the snapshot gives the same value
/// is left out; one it gives differently is kept, `null` included.
pub(super) fn to_stored(r: &CheckResult, snap: &FromSnapshot) -> serde_json::Result<String> {
    let Value::Object(mut fields) = serde_json::to_value(r)? else {
        return serde_json::to_string(r);
    };
    let from_snapshot = snap.fields();
    fields.retain(|k, v| {
        if IN_COLUMNS.contains(&k.as_str()) {
            return false;
        }
        match from_snapshot.iter().find(|(name, _)| name == k) {
            Some((_, same)) => v != same,
            None => !is_empty(v),
        }
    });
    serde_json::to_string(&fields)
}

/// Null, `false` and `[]` are what a missing field reads back as.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The check's columns, which complete a stored result.
pub(super) struct Columns<'a> {
    pub status: CheckStatus,
    pub reason: &'a str,
    pub http_status: Option<u16>,
    pub checked_at: Timestamp,
}

/// A result read back from its stored form and the row's columns; `None`
/// when the stored text is not a result (damaged, or from a future field).
pub(super) fn from_stored(
    json: &str,
    columns: Columns<'_>,
    snap: &FromSnapshot,
) -> Option<CheckResult> {
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(json) else {
        return None;
    };
    let put = |fields: &mut Map<String, Value>, k: &str, v: Value| {
        fields.entry(k.to_string()).or_insert(v);
    };
    put(&mut fields, "status", Value::from(columns.status.as_str()));
    put(&mut fields, "reason", Value::from(columns.reason));
    put(&mut fields, "http_status", columns.http_status.into());
    put(
        &mut fields,
        "checked_at",
        Value::from(columns.checked_at.to_string()),
    );
    put(&mut fields, "truncated", Value::Bool(false));
    for (k, v) in snap.fields() {
        put(&mut fields, k, v);
    }
    serde_json::from_value(Value::Object(fields)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_survives_the_round_trip_and_its_stored_form_is_small() {
        let mut r = CheckResult::new(CheckStatus::Alive, "304 Not Modified: unchanged");
        r.http_status = Some(304);
        r.attempts = 1;
        r.elapsed_ms = 11;
        r.title = Some("Article 97".into());
        r.redirects = vec![];
        r.content_type = Some("text/html".into());
        let snap = FromSnapshot {
            title: Some("Article 97".into()),
            content_type: Some("text/html; charset=utf-8".into()),
            ..FromSnapshot::default()
        };
        let stored = to_stored(&r, &snap).unwrap();
        assert!(
            !stored.contains("reason") && !stored.contains("title"),
            "{stored}"
        );
        // Told apart from the snapshot: kept, `null` included.
        assert!(stored.contains(r#""content_type":"text/html""#), "{stored}");
        assert!(!stored.contains(r#""sha256""#), "{stored}");
        let back = from_stored(
            &stored,
            Columns {
                status: r.status,
                reason: &r.reason,
                http_status: r.http_status,
                checked_at: r.checked_at,
            },
            &snap,
        )
        .unwrap();
        assert_eq!(back, r);
        // A result stored whole (older releases) reads as it is.
        let whole = serde_json::to_string(&r).unwrap();
        let cols = Columns {
            status: CheckStatus::Dead,
            reason: "ignored",
            http_status: None,
            checked_at: Timestamp(0),
        };
        assert_eq!(from_stored(&whole, cols, &snap).unwrap(), r);
        // A snapshot that has a title the result has not: the result's
        // `null` is kept.
        r.title = None;
        let stored = to_stored(&r, &snap).unwrap();
        assert!(stored.contains(r#""title":null"#), "{stored}");
    }
}
