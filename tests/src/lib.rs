//! Helpers shared by the conformance tests: the round-trip entry point per provider,
//! SSE payload extraction, JSON mutators, and a schema-driven instance generator.

pub mod generate;
pub mod mutate;

use serde_json::Value;

/// The providers whose crates are checked.
pub const PROVIDERS: &[&str] = &["openai", "anthropic", "gemini"];

/// Deserializes `value` as the generated type of `schema` in `provider`'s crate and
/// serializes it back, with the typed value's `Debug` form. `None` when the crate has no
/// such schema.
pub fn roundtrip(
    provider: &str,
    schema: &str,
    value: Value,
) -> Option<Result<(Value, String), String>> {
    macro_rules! through {
        ($krate:ident) => {
            $krate::registry::roundtrip(schema, value)
                .map(|r| r.map(|r| (r.value, r.debug)).map_err(|e| e.to_string()))
        };
    }
    match provider {
        "openai" => through!(aigw_openai),
        "anthropic" => through!(aigw_anthropic),
        "gemini" => through!(aigw_gemini),
        _ => None,
    }
}

/// Checks that `value` round-trips as `schema` to an equal JSON value; returns the typed
/// value's `Debug` form.
pub fn check(provider: &str, schema: &str, value: &Value) -> Result<String, String> {
    match roundtrip(provider, schema, value.clone()) {
        None => Err(format!("no generated type for schema `{schema}`")),
        Some(Err(e)) => Err(format!("does not deserialize: {e}")),
        Some(Ok((back, debug))) if &back == value => Ok(debug),
        Some(Ok((back, _))) => Err(format!(
            "not equal after the round-trip: {}",
            first_difference(value, &back, "")
        )),
    }
}

/// Fields the providers send that their pinned specs do not name, with the evidence.
/// They land in `extra`, which keeps them; [`check_understood`] lets them through.
pub const SPEC_GAPS: &[(&str, &str, &str)] = &[
    (
        "openai",
        "store",
        "Response objects (and the `response` in response.* events) carry `store`; the Response schema does not list it",
    ),
    (
        "openai",
        "billing",
        "Response objects carry `billing: {payer}`; the Response schema does not list it",
    ),
    (
        "openai",
        "obfuscation",
        "Responses delta events carry stream-obfuscation padding as chat chunks do; only the chat chunk schema lists it",
    ),
];

/// Like [`check`], and the types understood all of it: apart from [`SPEC_GAPS`], nothing
/// landed in an `extra` map or an `Unknown` arm. For documents written to the spec, where
/// a catch-all hit means a wrong union choice or a misnamed field rather than
/// forward-compatibility at work.
pub fn check_understood(provider: &str, schema: &str, value: &Value) -> Result<(), String> {
    check(provider, schema, value)?;
    let mut known = value.clone();
    strip_fields(
        &mut known,
        &SPEC_GAPS
            .iter()
            .filter(|(p, _, _)| *p == provider)
            .map(|(_, field, _)| *field)
            .collect::<Vec<_>>(),
    );
    let debug = check(provider, schema, &known)?;
    for (marker, what) in [
        ("extra: {\"", "a field landed in `extra`"),
        ("Unknown(", "a value landed in an `Unknown` arm"),
    ] {
        if let Some(at) = debug.find(marker) {
            let end = (at + 160).min(debug.len());
            let end = (end..=debug.len())
                .find(|i| debug.is_char_boundary(*i))
                .unwrap_or(debug.len());
            return Err(format!("{what}: …{}…", &debug[at..end]));
        }
    }
    Ok(())
}

/// Removes the named fields from every object in `value`.
fn strip_fields(value: &mut Value, fields: &[&str]) {
    match value {
        Value::Object(o) => {
            o.retain(|k, _| !fields.contains(&k.as_str()));
            o.values_mut().for_each(|v| strip_fields(v, fields));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| strip_fields(v, fields)),
        _ => {}
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
