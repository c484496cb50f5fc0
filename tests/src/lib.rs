//! Helpers shared by the conformance tests: the round-trip entry point per provider,
//! SSE payload extraction, JSON mutators, and a schema-driven instance generator.

pub mod generate;
pub mod mutate;

use serde_json::Value;

/// The providers whose crates are checked.
pub const PROVIDERS: &[&str] = &["openai", "anthropic", "gemini"];

/// Deserializes `value` as the generated type of `schema` in `provider`'s crate and
/// serializes it back. `None` when the crate has no such schema.
pub fn roundtrip(provider: &str, schema: &str, value: Value) -> Option<Result<Value, String>> {
    let result = match provider {
        "openai" => aigw_openai::registry::roundtrip(schema, value),
        "anthropic" => aigw_anthropic::registry::roundtrip(schema, value),
        "gemini" => aigw_gemini::registry::roundtrip(schema, value),
        _ => None,
    }?;
    Some(result.map_err(|e| e.to_string()))
}

/// Checks that `value` round-trips as `schema` to an equal JSON value.
pub fn check(provider: &str, schema: &str, value: &Value) -> Result<(), String> {
    match roundtrip(provider, schema, value.clone()) {
        None => Err(format!("no generated type for schema `{schema}`")),
        Some(Err(e)) => Err(format!("does not deserialize: {e}")),
        Some(Ok(back)) if &back == value => Ok(()),
        Some(Ok(back)) => Err(format!(
            "not equal after the round-trip: {}",
            first_difference(value, &back, "")
        )),
    }
}

/// Where two JSON values first differ, as a JSON pointer and the two sides.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    None => return format!("{at}/{k} missing after (was {v})"),
                    Some(w) if v != w => return first_difference(v, w, &format!("{at}/{k}")),
                    _ => {}
                }
            }
            for k in y.keys() {
                if !x.contains_key(k) {
                    return format!("{at}/{k} added after (= {})", y[k]);
                }
            }
            format!("{at}: equal")
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, &format!("{at}/{i}"));
                }
            }
            format!("{at}: equal")
        }
        _ => format!("{at}: {a} became {b}"),
    }
}

/// The JSON payloads of an SSE stream (each `data:` field; `[DONE]` skipped).
pub fn sse_payloads(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut data: Vec<&str> = Vec::new();
    for line in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if line.is_empty() {
            if !data.is_empty() {
                out.push(data.join("\n"));
                data.clear();
            }
        } else if let Some(rest) = line.strip_prefix("data:") {
            data.push(rest.strip_prefix(' ').unwrap_or(rest));
        }
    }
    if !data.is_empty() {
        out.push(data.join("\n"));
    }
    out.retain(|d| d.trim() != "[DONE]");
    out
}

/// Path of the workspace's `tests/fixtures`.
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
