//! Once a translated stream is closed, it stays closed: an upstream error in the middle
//! of a stream (after the golden stream's first events) closes the caller's stream, and
//! whatever the upstream sends after it (its own end events, more deltas, a second
//! error) and the gateway's closing calls (`stream_finish`, `stream_error`) add nothing.
//! Servers do send more after an error: vLLM-style servers a `[DONE]`, the Responses API a
//! `response.failed` after its `error` event. Every pair, the Gemini caller in both of
//! its stream forms.

mod common;

use aigw_translate::{PAIRS, Translator};
use serde_json::json;

/// Upstream events: (`event:` name, data).
type Events = Vec<(Option<&'static str>, String)>;

/// An upstream error event, and what a server may send after one, per upstream protocol.
fn error_and_after(upstream: &str) -> (Events, Events) {
    match upstream {
        "openai" => (
            vec![(None, json!({"error": {"message": "Overloaded", "type": "server_error", "code": null}}).to_string())],
            vec![(None, "[DONE]".to_owned())],
        ),
        "anthropic" => (
            vec![(
                Some("error"),
                json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}).to_string(),
            )],
            vec![(Some("message_stop"), json!({"type": "message_stop"}).to_string())],
        ),
        "responses" => (
            vec![(
                Some("error"),
                json!({"type": "error", "code": "server_error", "message": "Overloaded", "param": null, "sequence_number": 90}).to_string(),
            )],
            vec![(
                Some("response.failed"),
                json!({"type": "response.failed", "sequence_number": 91, "response": {
                    "id": "resp_1", "object": "response", "created_at": 1, "status": "failed",
                    "model": "m", "output": [], "error": {"code": "server_error", "message": "Overloaded"}
                }})
                .to_string(),
            )],
        ),
        "gemini" => (
            vec![(None, json!({"error": {"code": 503, "message": "Overloaded", "status": "UNAVAILABLE"}}).to_string())],
            vec![],
        ),
        other => panic!("unknown upstream {other}"),
    }
}

fn feed(t: &mut dyn Translator, event: Option<&str>, data: &str, out: &mut Vec<u8>) {
    // An event the translator refuses is the gateway's to close; here it must add nothing.
    let before = out.len();
    if t.stream_event(event, data, out).is_err() {
        assert_eq!(out.len(), before, "a refused event wrote bytes");
    }
}

#[test]
fn a_stream_closed_by_an_upstream_error_stays_closed() {
    let mut failures = Vec::new();
    for pair in PAIRS {
        let (upstream_error, after) = error_and_after(pair.split('_').nth(1).expect("upstream"));
        let mut case = common::golden_case(pair, "tools_vision_reasoning");
        let events = common::upstream_stream(&case);
        let forms: &[bool] = if pair.starts_with("gemini_") {
            &[true, false]
        } else {
            &[true]
        };
        for &sse in forms {
            case.insert("caller_sse".into(), json!(sse));
            case.insert("caller_stream".into(), json!(true));
            let mut t = common::translator(pair, &case);
            let request = serde_json::to_vec(&case["request"]).expect("request");
            t.request(&request, "upstream-model").expect("request");
            let mut out = Vec::new();
            for (event, data) in events.iter().take(2) {
                feed(t.as_mut(), event.as_deref(), data, &mut out);
            }
            for (event, data) in &upstream_error {
                feed(t.as_mut(), *event, data, &mut out);
            }
            let closed = out.len();
            let text = String::from_utf8_lossy(&out).into_owned();
            if !text.contains("Overloaded") {
                failures.push(format!(
                    "{pair} (sse {sse}): the upstream error did not reach the caller: {text}"
                ));
                continue;
            }
            for (event, data) in &after {
                feed(t.as_mut(), *event, data, &mut out);
            }
            for (event, data) in events.iter().skip(2) {
                feed(t.as_mut(), event.as_deref(), data, &mut out);
            }
            for (event, data) in &upstream_error {
                feed(t.as_mut(), *event, data, &mut out);
            }
            t.stream_finish(&mut out);
            t.stream_error("the upstream stream broke off", &mut out);
            if out.len() != closed {
                failures.push(format!(
                    "{pair} (sse {sse}): wrote after the stream was closed:\n  closed with {text}\n  then {}",
                    String::from_utf8_lossy(&out[closed..])
                ));
                continue;
            }
            // What was written is a whole stream in the caller's form.
            let events = common::events_of(&out);
            if events.get("cut_array").is_some() {
                failures.push(format!(
                    "{pair} (sse {sse}): not a whole JSON array: {text}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
