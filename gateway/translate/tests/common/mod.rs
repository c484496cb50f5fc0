//! What the translation tests (and the benchmarks) share: a golden case and its upstream
//! stream, a pair's translator as a golden case configures it, a caller's stream read
//! back as comparable events, and everything a caller can tell of a request.

// Each test binary (and the benchmark) uses a part of this.
#![allow(dead_code)]

pub mod mutate;

use aigw_translate::Translator;
use serde_json::{Map, Value, json};

/// The golden case `name` of `pair` (`tests/golden/<pair>/<name>.json`).
pub fn golden_case(pair: &str, name: &str) -> Map<String, Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/golden/{pair}/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("case")).expect("JSON")
}

/// A case's upstream stream as (`event:` name, data).
pub fn upstream_stream(case: &Map<String, Value>) -> Vec<(Option<String>, String)> {
    case["upstream_stream"]
        .as_array()
        .expect("stream")
        .iter()
        .map(|e| {
            let data = match &e["data"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (
                e.get("event").and_then(Value::as_str).map(str::to_owned),
                data,
            )
        })
        .collect()
}

pub fn translator(pair: &str, case: &Map<String, Value>) -> Box<dyn Translator> {
    let options = aigw_translate::PairOptions {
        reasoning_field: case
            .get("reasoning_field")
            .and_then(Value::as_str)
            .map(str::to_owned),
        stream: case.get("caller_stream") == Some(&Value::Bool(true)),
        sse: case.get("caller_sse") != Some(&Value::Bool(false)),
        caller_model: case
            .get("caller_model")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
    };
    aigw_translate::by_name(pair, false, &options).unwrap_or_else(|| panic!("unknown pair {pair}"))
}

/// `created` and `created_at` set to 0, anywhere.
pub fn normalize(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "created" || k == "created_at" {
                    *x = json!(0);
                } else {
                    normalize(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// A caller stream as a list of events: `{"event": name?, "data": JSON or text}`; the
/// JSON-array stream form as its elements.
pub fn events_of(bytes: &[u8]) -> Value {
    let text = String::from_utf8_lossy(bytes);
    if text.trim_start().starts_with('[') {
        // An array cut short (a stream that did not end) comes back as its text.
        let Ok(mut v) = serde_json::from_str::<Value>(&text) else {
            return json!({"cut_array": text});
        };
        normalize(&mut v);
        return v;
    }
    let mut d = aigw_sse::Decoder::new();
    d.push(bytes);
    let mut out = Vec::new();
    while let Some(f) = d.next_frame() {
        let Some(data) = f.data() else { continue };
        let mut data =
            serde_json::from_str::<Value>(&data).unwrap_or(Value::String(data.into_owned()));
        normalize(&mut data);
        let mut e = json!({"data": data});
        if let Some(name) = f.event() {
            e["event"] = json!(name);
        }
        out.push(e);
    }
    assert!(!d.has_incomplete(), "a cut frame in the caller's stream");
    Value::Array(out)
}

/// Everything the caller can tell of `body` sent through `pair` (configured by `options`,
/// strict or not): the upstream request (as JSON), its stream switch and the losses, or
/// the error; then, the request having set the pair's state, the caller's answer and
/// stream for the golden `case`'s upstream answer and stream.
pub fn outcome(
    pair: &str,
    options: &aigw_translate::PairOptions,
    strict: bool,
    case: &Map<String, Value>,
    body: &str,
) -> Value {
    let translator = || aigw_translate::by_name(pair, strict, options).expect("pair");
    let model = case
        .get("upstream_model")
        .and_then(Value::as_str)
        .unwrap_or("upstream-model");
    let mut t = translator();
    let request = match t.request(body.as_bytes(), model) {
        Ok(r) => r,
        Err(e) => return json!({"error": e.to_string()}),
    };
    let sent: Value = serde_json::from_slice(&request.body).expect("the upstream request is JSON");
    let answer = serde_json::to_vec(&case["upstream_response"]).expect("json");
    let answer = match t.response(&answer) {
        Ok(b) => {
            let mut v: Value = serde_json::from_slice(&b).expect("JSON answer");
            normalize(&mut v);
            v
        }
        Err(e) => json!({"answer error": e.to_string()}),
    };
    // The stream, on a second translator given the same request.
    let mut t2 = translator();
    t2.request(body.as_bytes(), model)
        .expect("the same request");
    let mut out = Vec::new();
    for (event, data) in upstream_stream(case) {
        if let Err(e) = t2.stream_event(event.as_deref(), &data, &mut out) {
            return json!({"stream error": e.to_string()});
        }
    }
    t2.stream_finish(&mut out);
    json!({
        "request": sent, "stream": request.stream, "losses": t.losses(),
        "answer": answer, "events": events_of(&out),
    })
}
