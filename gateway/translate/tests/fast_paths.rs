//! The stream fast paths (`aigw_translate::fast`) against the general path, on upstream
//! events they were not written for: every golden stream, with each event rewritten in
//! ways a provider may send it (white space and line breaks, escapes in strings and
//! keys, unknown fields at every level, reversed key order, `null`s, odd text). For each
//! rewrite the caller's stream must be the same with the fast paths and without.
//!
//! Then, one event at a time, every value in it replaced by values of other types, and
//! the fields the fast paths look at (finish reasons, roles, ids, signatures, usage, a
//! second part) added where they were not.
//!
//! The fast-path switch is per thread; the many streams are shared among threads.

mod common;

use std::path::Path;

use common::mutate::{
    each_object, escaped, in_parallel, integers_as_floats, reversed_keys, variants,
};
use common::{events_of, translator};
use serde_json::{Map, Value, json};

/// The ways one event's data is rewritten (the name, and the data as text).
fn rewrites(data: &Value) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("pretty", serde_json::to_string_pretty(data).expect("json")),
        ("spaced", format!(" \t{}\r\n ", data)),
        ("escaped", escaped(data)),
    ];
    let mut extra = data.clone();
    each_object(&mut extra, &|m| {
        m.insert("x_aigw_unknown".into(), json!({"a": [1, "b", null, 2.5e3]}));
    });
    out.push(("unknown fields", extra.to_string()));
    out.push(("reversed keys", reversed_keys(data)));
    let mut nulls = data.clone();
    each_object(&mut nulls, &|m| {
        for key in ["finish_reason", "finishReason", "usage", "role", "refusal"] {
            m.entry(key).or_insert(Value::Null);
        }
    });
    out.push(("nulls", nulls.to_string()));
    let mut odd = data.clone();
    each_object(&mut odd, &|m| {
        for key in ["text", "content", "thinking", "reasoning_content", "delta"] {
            if let Some(Value::String(s)) = m.get_mut(key)
                && !s.is_empty()
            {
                s.push_str(" \"q\" \\ \n\t é ✓ 😀 \u{7f}");
            }
        }
    });
    out.push(("odd text", odd.to_string()));
    out.push(("float counts", integers_as_floats(data)));
    out
}

/// Every golden case with an upstream stream: (pair, file name, case, its events with
/// their data as JSON, or as text when not JSON).
#[allow(clippy::type_complexity)]
fn streams() -> Vec<(
    &'static str,
    String,
    Map<String, Value>,
    Vec<(Option<String>, Value)>,
)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut out = Vec::new();
    for pair in aigw_translate::PAIRS {
        let mut cases: Vec<_> = std::fs::read_dir(root.join(pair))
            .expect("pair")
            .flatten()
            .collect();
        cases.sort_by_key(|e| e.file_name());
        for file in cases {
            let case: Map<String, Value> =
                serde_json::from_str(&std::fs::read_to_string(file.path()).expect("case"))
                    .expect("JSON");
            let Some(Value::Array(stream)) = case.get("upstream_stream") else {
                continue;
            };
            let events = stream
                .iter()
                .map(|e| {
                    (
                        e.get("event").and_then(Value::as_str).map(str::to_owned),
                        e["data"].clone(),
                    )
                })
                .collect();
            out.push((
                pair,
                file.file_name().to_string_lossy().into_owned(),
                case,
                events,
            ));
        }
    }
    out
}

/// The event data as the upstream sends it.
fn text(data: &Value) -> String {
    match data {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Values of other types (and other values) for a scalar.
fn replacements(v: &Value) -> Vec<Value> {
    match v {
        Value::Null => vec![json!("stop"), json!({"a": 1})],
        Value::String(s) if s.is_empty() => vec![json!(null), json!("x")],
        Value::String(_) => vec![json!(null), json!(7), json!("")],
        Value::Bool(b) => vec![json!(null), json!(!b)],
        _ => vec![json!(null), json!(-1), json!(1.5)],
    }
}

/// Fields the fast paths decide on, with values that make an event more than a delta.
fn additions() -> Vec<(&'static str, Value)> {
    vec![
        ("finish_reason", json!("stop")),
        ("finishReason", json!("STOP")),
        (
            "usage",
            json!({"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}),
        ),
        ("role", json!("assistant")),
        ("refusal", json!("no")),
        ("id", json!("call_x")),
        ("name", json!("f")),
        ("thought", json!(true)),
        ("thoughtSignature", json!("c2ln")),
        ("functionCall", json!({"name": "f", "args": {}})),
        ("reasoning", json!("r")),
        ("reasoning_content", json!("r")),
        ("signature", json!("c2ln")),
        ("index", json!(5)),
        ("service_tier", json!("priority")),
        ("serviceTier", json!("flex")),
        (
            "usageMetadata",
            json!({"promptTokenCount": 1, "totalTokenCount": 1, "serviceTier": "priority"}),
        ),
    ]
}

/// The caller's stream for `events` (data as text), with or without the fast paths:
/// events, or the error an event met.
fn run(
    pair: &str,
    case: &Map<String, Value>,
    events: &[(Option<String>, String)],
    fast: bool,
) -> Value {
    aigw_translate::fast::set_enabled(fast);
    let mut t = translator(pair, case);
    let request = serde_json::to_vec(&case["request"]).expect("request");
    t.request(&request, "upstream-model").expect("request");
    let mut out = Vec::new();
    for (event, data) in events {
        if let Err(e) = t.stream_event(event.as_deref(), data, &mut out) {
            return json!({"error": e.to_string(), "before": events_of(&out)});
        }
    }
    let ended = t.stream_finish(&mut out);
    json!({"ended": ended, "events": events_of(&out)})
}

#[test]
fn fast_paths_agree_with_the_general_path_on_rewritten_events() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for (pair, file, case, events) in streams() {
        // Each rewrite applied to every JSON event of the stream at once.
        for (k, (name, _)) in rewrites(&json!({})).iter().enumerate() {
            let rewritten: Vec<(Option<String>, String)> = events
                .iter()
                .map(|(event, data)| {
                    let text = match data {
                        Value::String(s) => s.clone(),
                        other => rewrites(other).swap_remove(k).1,
                    };
                    (event.clone(), text)
                })
                .collect();
            let fast = run(pair, &case, &rewritten, true);
            let general = run(pair, &case, &rewritten, false);
            compared += 1;
            if fast != general {
                failures.push(format!(
                    "{pair} {file} ({name}):\n  fast    {fast}\n  general {general}"
                ));
            }
        }
    }
    println!("{compared} rewritten streams compared");
    assert!(compared >= 12 * 8, "every pair's streams, every rewrite");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn fast_paths_agree_with_the_general_path_on_changed_values_and_added_fields() {
    // Every variant of every event, as a job: (where, pair, case, the stream).
    let mut jobs = Vec::new();
    for (pair, file, case, events) in streams() {
        let case = std::sync::Arc::new(case);
        let texts: Vec<(Option<String>, String)> =
            events.iter().map(|(e, d)| (e.clone(), text(d))).collect();
        for (i, (_, data)) in events.iter().enumerate() {
            if !data.is_object() {
                continue;
            }
            for (what, v) in variants(data, replacements, &additions()) {
                let mut stream = texts.clone();
                stream[i].1 = v;
                jobs.push((
                    format!("{pair} {file} event {i}, {what}"),
                    pair,
                    case.clone(),
                    stream,
                ));
            }
        }
    }
    let compared = jobs.len();
    let results = in_parallel(&jobs, |(where_, pair, case, stream)| {
        let fast = run(pair, case, stream, true);
        let general = run(pair, case, stream, false);
        if fast == general {
            return (0, None);
        }
        // The one difference allowed: a field the fast path does not read, of the wrong
        // type; the general path parses the whole event into the generated type and
        // refuses it, the fast path skips it as any JSON.
        let mistyped = general["error"]
            .as_str()
            .is_some_and(|e| e.contains("invalid type"));
        if mistyped && fast["ended"].is_boolean() {
            return (1, None);
        }
        (
            0,
            Some(format!("{where_}:\n  fast    {fast}\n  general {general}")),
        )
    });
    let lenient: usize = results.iter().map(|r| r.0).sum();
    let mut failures: Vec<String> = results.into_iter().filter_map(|r| r.1).collect();
    println!("{compared} changed streams compared, {lenient} mistyped unread fields skipped");
    assert!(compared >= 1000, "every event, every value");
    assert!(lenient * 20 < compared, "the allowance stays an exception");
    failures.truncate(5);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
