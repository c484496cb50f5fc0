//! Numbers at the edge of their range, from an upstream or a caller, translate without a
//! panic (these tests run with overflow checks) and without wrapping: token counts of
//! `i64::MAX` saturate and never come out negative, a thinking budget of `i64::MAX` does
//! not overflow the token limit it is added to, and a Chat upstream's tool-call index of
//! 2^32 or `u64::MAX` (the upstream's to choose) sizes nothing.

mod common;

use aigw_translate::PAIRS;
use serde_json::{Map, Value, json};

fn case(pair: &str) -> Map<String, Value> {
    common::golden_case(pair, "tools_vision_reasoning")
}

/// The `functionCall` parts of a Gemini caller's stream.
fn function_calls(out: &[u8]) -> Vec<Value> {
    let events = common::events_of(out);
    events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["data"]["candidates"][0]["content"]["parts"].as_array())
        .flatten()
        .filter_map(|p| p.get("functionCall").cloned())
        .collect()
}

/// Every number under a usage object (`usage`, `usageMetadata`) set to `n(key)`.
fn set_usage(v: &mut Value, n: &dyn Fn(&str) -> i64, inside: bool) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                let usage = inside || k == "usage" || k == "usageMetadata";
                if usage && x.is_number() {
                    *x = json!(n(k));
                } else {
                    set_usage(x, n, usage);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| set_usage(x, n, inside)),
        _ => {}
    }
}

/// Usage at the edge: every count `i64::MAX`; or the parts (cached, cache writes,
/// reasoning, thoughts) far larger than the totals they belong to, as a broken upstream
/// might say.
const EDGES: [fn(&str) -> i64; 2] = [
    |_| i64::MAX,
    |k| {
        let k = k.to_ascii_lowercase();
        if ["cache", "reasoning", "thought"]
            .iter()
            .any(|p| k.contains(p))
        {
            i64::MAX
        } else {
            1
        }
    },
];

/// Every number in `v` under a key naming tokens, with its pointer.
fn token_numbers(v: &Value, at: &str, found: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let here = format!("{at}/{k}");
                if x.is_number() && k.to_ascii_lowercase().contains("token") {
                    found.push((here.clone(), x.clone()));
                }
                token_numbers(x, &here, found);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                token_numbers(x, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn usage_at_the_edge_of_i64_saturates_in_answers_and_streams() {
    let mut failures = Vec::new();
    for (pair, edge) in PAIRS.iter().flat_map(|p| EDGES.iter().map(move |e| (p, e))) {
        let case = case(pair);
        let request = serde_json::to_vec(&case["request"]).expect("request");
        let mut answer = case["upstream_response"].clone();
        set_usage(&mut answer, edge, false);
        let mut t = common::translator(pair, &case);
        t.request(&request, "m").expect("request");
        let out = t.response(answer.to_string().as_bytes()).expect("response");
        let mut stream = Vec::new();
        let mut t = common::translator(pair, &case);
        t.request(&request, "m").expect("request");
        for e in case["upstream_stream"].as_array().expect("stream") {
            let mut data = e["data"].clone();
            set_usage(&mut data, edge, false);
            let data = match data {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let _ = t.stream_event(e.get("event").and_then(Value::as_str), &data, &mut stream);
        }
        t.stream_finish(&mut stream);
        let mut found = Vec::new();
        token_numbers(&serde_json::from_slice(&out).expect("JSON"), "", &mut found);
        if let Value::Array(events) = common::events_of(&stream) {
            for (i, e) in events.iter().enumerate() {
                token_numbers(e, &format!("stream/{i}"), &mut found);
            }
        }
        for (at, n) in found {
            if n.as_i64().is_none_or(|n| n < 0) {
                failures.push(format!("{pair}: {at} = {n}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_thinking_budget_of_i64_max_does_not_overflow_the_token_limit() {
    let mut case = case("gemini_anthropic");
    case["request"]["generationConfig"]["thinkingConfig"] =
        json!({"thinkingBudget": i64::MAX, "includeThoughts": true});
    case["request"]["generationConfig"]["maxOutputTokens"] = json!(1000);
    let mut t = common::translator("gemini_anthropic", &case);
    let sent = t
        .request(&serde_json::to_vec(&case["request"]).expect("request"), "m")
        .expect("translates");
    let sent: Value = serde_json::from_slice(&sent.body).expect("JSON");
    let max = sent["max_tokens"].as_i64().expect("max_tokens");
    assert!(
        max > 1000,
        "the limit must leave room for the budget: {sent}"
    );
}

#[test]
fn a_chat_upstreams_tool_call_index_sizes_nothing() {
    for index in [json!(4_294_967_296u64), json!(u64::MAX), json!(2)] {
        let case = case("gemini_openai");
        let mut t = common::translator("gemini_openai", &case);
        t.request(&serde_json::to_vec(&case["request"]).expect("request"), "m")
            .expect("request");
        let mut out = Vec::new();
        let call = json!({"choices": [{"index": 0, "delta": {"tool_calls": [{
            "index": index, "id": "call_1", "type": "function",
            "function": {"name": "get_time", "arguments": "{\"tz\":"}
        }]}}]});
        let more = json!({"choices": [{"index": 0, "delta": {"tool_calls": [{
            "index": index, "function": {"arguments": "\"UTC\"}"}
        }]}}]});
        let end = json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]});
        for data in [
            call.to_string(),
            more.to_string(),
            end.to_string(),
            "[DONE]".into(),
        ] {
            t.stream_event(None, &data, &mut out).expect("event");
        }
        t.stream_finish(&mut out);
        let calls = function_calls(&out);
        assert_eq!(
            calls.len(),
            1,
            "index {index}: one call, no filler: {calls:?}"
        );
        assert_eq!(calls[0]["name"], "get_time");
        assert_eq!(calls[0]["args"], json!({"tz": "UTC"}));
    }
}

#[test]
fn any_upstream_error_becomes_the_callers_error_shape() {
    let bodies: [&[u8]; 5] = [
        b"\xff\xfe not UTF-8",
        b"<html><body>Bad Gateway</body></html>",
        br#"{"error":{"message":{"a":1}}}"#,
        br#"{"error":{"message":null,"type":"x"}}"#,
        br#"{"error":{"message":5}}"#,
    ];
    let mut failures = Vec::new();
    for pair in PAIRS {
        let case = case(pair);
        let caller = pair.split('_').next().expect("caller");
        for status in [0u16, 99, 302, 429, 529, 600, 999] {
            for body in bodies {
                let mut t = common::translator(pair, &case);
                let out = t.error(status, body);
                let Ok(v) = serde_json::from_slice::<Value>(&out) else {
                    failures.push(format!("{pair} {status}: not JSON"));
                    continue;
                };
                let ok = v.pointer("/error/message").is_some_and(Value::is_string)
                    && match caller {
                        "anthropic" => v["type"] == "error",
                        "gemini" => v
                            .pointer("/error/code")
                            .and_then(Value::as_u64)
                            .is_some_and(|c| (400..=599).contains(&c)),
                        _ => true,
                    };
                if !ok {
                    failures.push(format!(
                        "{pair} {status} {}: {v}",
                        String::from_utf8_lossy(body)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_chat_upstreams_tool_calls_reach_a_gemini_caller_in_index_order() {
    let case = case("gemini_openai");
    let mut t = common::translator("gemini_openai", &case);
    t.request(&serde_json::to_vec(&case["request"]).expect("request"), "m")
        .expect("request");
    let mut out = Vec::new();
    let calls = json!({"choices": [{"index": 0, "delta": {"tool_calls": [
        {"index": 1, "id": "call_b", "type": "function", "function": {"name": "b", "arguments": "{}"}},
        {"index": 0, "id": "call_a", "type": "function", "function": {"name": "a", "arguments": "{}"}}
    ]}}]});
    let end = json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]});
    for data in [calls.to_string(), end.to_string(), "[DONE]".into()] {
        t.stream_event(None, &data, &mut out).expect("event");
    }
    let names: Vec<Value> = function_calls(&out)
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(names, [json!("a"), json!("b")]);
}
