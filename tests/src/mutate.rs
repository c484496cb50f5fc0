//! JSON mutators for the forward-compatibility tests: each returns copies of a document
//! with one change a newer upstream could make.

use serde_json::{Value, json};

/// Every JSON pointer of an object node in `value` (the root included).
pub fn object_pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(value, String::new(), &mut |ptr, v| {
        if v.is_object() {
            out.push(ptr.to_owned());
        }
    });
    out
}

/// Every JSON pointer of a string leaf that is a value (not a key).
pub fn string_pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(value, String::new(), &mut |ptr, v| {
        if v.is_string() {
            out.push(ptr.to_owned());
        }
    });
    out
}

fn walk(value: &Value, at: String, f: &mut dyn FnMut(&str, &Value)) {
    f(&at, value);
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                walk(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    f,
                );
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                walk(v, format!("{at}/{i}"), f);
            }
        }
        _ => {}
    }
}

/// A copy with an unknown field added to the object at `ptr`. Its value is nested JSON,
/// except where the object looks like a typed map (non-empty, every value of one JSON
/// kind, as `metadata` or `logit_bias`), whose new key must hold a value of that kind: a
/// copy of its first value. An empty object gets a string (a struct's `extra` and a
/// string map both take it).
pub fn with_unknown_field(doc: &Value, ptr: &str) -> Value {
    let mut copy = doc.clone();
    if let Some(Value::Object(o)) = copy.pointer_mut(ptr) {
        let kind = |v: &Value| std::mem::discriminant(v);
        let value = match o.values().next() {
            None => json!("aigw"),
            Some(first) if o.values().all(|v| kind(v) == kind(first)) => first.clone(),
            Some(_) => json!({"nested": [1, "two", {"three": 3.5}], "flag": true}),
        };
        o.insert("aigw_unknown_field".into(), value);
    }
    copy
}

/// A copy with the string at `ptr` replaced by a value no spec lists.
pub fn with_unknown_string(doc: &Value, ptr: &str) -> Value {
    let mut copy = doc.clone();
    if let Some(v) = copy.pointer_mut(ptr) {
        *v = json!("aigw_unknown_value");
    }
    copy
}

/// A copy where the object at `ptr`, if it has a string `type` tag, becomes a variant no
/// spec knows: new tag, new fields.
pub fn with_unknown_variant(doc: &Value, ptr: &str) -> Option<Value> {
    let mut copy = doc.clone();
    let o = copy.pointer_mut(ptr)?.as_object_mut()?;
    if !o.get("type").is_some_and(Value::is_string) {
        return None;
    }
    o.insert("type".into(), json!("aigw_new_variant"));
    o.insert("aigw_payload".into(), json!({"data": [1, 2, 3]}));
    Some(copy)
}
