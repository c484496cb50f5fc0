//! Golden tests, one directory per pair under `tests/golden/`, one file per case: the
//! caller's request and what the upstream must receive, the upstream's answer (JSON, and
//! as a stream of SSE events) and what the caller must get back, the upstream's error and
//! its translation, and the losses reported. Timestamps (`created`, `created_at`) are
//! compared as 0.
//!
//! `AIGW_BLESS=1 cargo test -p aigw-translate --test golden` writes the `expect_*` fields
//! from what the code produces now (review the diff before committing).

use std::path::Path;

mod common;

use common::{events_of, normalize, translator};
use serde_json::{Map, Value, json};

fn run_case(pair: &str, path: &Path, bless: bool) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("case");
    let mut case: Map<String, Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut failures = Vec::new();
    let mut check = |case: &mut Map<String, Value>, key: &str, got: Value| {
        if bless {
            case.insert(key.into(), got);
        } else if case.get(key) != Some(&got) {
            failures.push(format!(
                "{}: {key}\n  want {}\n  got  {}",
                path.display(),
                case.get(key).map(|v| v.to_string()).unwrap_or_default(),
                got
            ));
        }
    };
    let model = case
        .get("upstream_model")
        .and_then(Value::as_str)
        .unwrap_or("upstream-model")
        .to_owned();
    let request = serde_json::to_vec(&case["request"]).expect("request");

    // Request (and the losses it reports).
    let mut t = translator(pair, &case);
    let translated = t.request(&request, &model).expect("request translates");
    let sent: Value = serde_json::from_slice(&translated.body).expect("JSON");
    check(&mut case, "expect_request", sent);
    check(&mut case, "expect_losses", json!(t.losses()));

    // A whole answer.
    if let Some(upstream) = case.get("upstream_response").cloned() {
        let mut t = translator(pair, &case);
        t.request(&request, &model).expect("request");
        let out = t
            .response(upstream.to_string().as_bytes())
            .expect("response translates");
        let mut got: Value = serde_json::from_slice(&out).expect("JSON");
        normalize(&mut got);
        check(&mut case, "expect_response", got);
    }
    // A stream, fed one upstream event at a time: with the delta fast paths, and through
    // the general path only (the same events must come out).
    if let Some(Value::Array(events)) = case.get("upstream_stream").cloned() {
        let mut streams = Vec::new();
        for fast in [true, false] {
            aigw_translate::fast::set_enabled(fast);
            let mut t = translator(pair, &case);
            t.request(&request, &model).expect("request");
            let mut out = Vec::new();
            for e in &events {
                let data = match &e["data"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                t.stream_event(e.get("event").and_then(Value::as_str), &data, &mut out)
                    .expect("event translates");
            }
            assert!(
                t.stream_finish(&mut out),
                "{}: the stream did not end well",
                path.display()
            );
            streams.push(events_of(&out));
        }
        aigw_translate::fast::set_enabled(true);
        assert_eq!(
            streams[0],
            streams[1],
            "{}: the fast paths change the stream",
            path.display()
        );
        check(&mut case, "expect_stream", streams.remove(0));
    }
    // An error.
    if let Some(err) = case.get("upstream_error").cloned() {
        let status = err["status"].as_u64().unwrap_or(500) as u16;
        let mut t = translator(pair, &case);
        let out = t.error(status, err["body"].to_string().as_bytes());
        check(
            &mut case,
            "expect_error",
            serde_json::from_slice(&out).expect("JSON"),
        );
    }
    if bless {
        let text = serde_json::to_string_pretty(&Value::Object(case)).expect("json") + "\n";
        std::fs::write(path, text).expect("write");
    }
    failures
}

#[test]
fn golden_cases() {
    let bless = std::env::var_os("AIGW_BLESS").is_some();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut pairs: Vec<_> = std::fs::read_dir(&root)
        .expect("golden")
        .flatten()
        .collect();
    pairs.sort_by_key(|e| e.file_name());
    for pair in pairs {
        let name = pair.file_name().to_string_lossy().into_owned();
        let mut cases: Vec<_> = std::fs::read_dir(pair.path())
            .expect("pair")
            .flatten()
            .collect();
        cases.sort_by_key(|e| e.file_name());
        for case in cases {
            failures.extend(run_case(&name, &case.path(), bless));
            count += 1;
        }
    }
    println!("{count} golden cases");
    assert!(
        count >= aigw_translate::PAIRS.len(),
        "a case per pair at least"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
