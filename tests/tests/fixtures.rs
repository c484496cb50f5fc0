//! The project's own fixtures (`tests/fixtures/<provider>/<Schema>/*.json` and
//! `tests/fixtures/<provider>/streams/<Schema>/*.sse`) round-trip, and so do mutated
//! copies: an unknown field at every object depth, an unknown value at every string
//! position (every enum among them), an unknown variant for every tagged object, and an
//! unknown event appended to every stream.

use std::path::Path;

use aigw_conformance::mutate::{
    object_pointers, string_pointers, with_unknown_field, with_unknown_string, with_unknown_variant,
};
use aigw_conformance::{PROVIDERS, check, check_understood, fixtures_dir, sse_payloads};
use serde_json::{Value, json};

/// (provider, schema, file, document) for every fixture document.
fn documents() -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    for provider in PROVIDERS {
        let root = fixtures_dir().join(provider);
        for (dir, is_stream) in [(root.clone(), false), (root.join("streams"), true)] {
            for (schema, file) in files_under(&dir, if is_stream { "sse" } else { "json" }) {
                if !is_stream && schema == "streams" {
                    continue;
                }
                let text = std::fs::read_to_string(&file).expect("read fixture");
                let name = file
                    .strip_prefix(fixtures_dir())
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                if is_stream {
                    for (i, payload) in sse_payloads(&text).into_iter().enumerate() {
                        let value = serde_json::from_str(&payload)
                            .unwrap_or_else(|e| panic!("{name} event {i} is not JSON: {e}"));
                        out.push((
                            provider.to_string(),
                            schema.clone(),
                            format!("{name}#{i}"),
                            value,
                        ));
                    }
                } else {
                    let value = serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
                    out.push((provider.to_string(), schema, name, value));
                }
            }
        }
    }
    out
}

/// (schema directory name, file) of every file with `ext` one level below `dir`'s subfolders.
fn files_under(dir: &Path, ext: &str) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let schema = entry.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(entry.path()) else {
            continue;
        };
        for f in files.flatten() {
            if f.path().extension().is_some_and(|e| e == ext) {
                out.push((schema.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

/// Round-trips every case (`understood`: and requires that nothing landed in a catch-all).
fn run(
    label: &str,
    understood: bool,
    cases: impl Iterator<Item = (String, String, String, Value)>,
) -> usize {
    let mut failures = Vec::new();
    let mut n = 0;
    for (provider, schema, at, doc) in cases {
        n += 1;
        let result = if understood {
            check_understood(&provider, &schema, &doc)
        } else {
            check(&provider, &schema, &doc).map(|_| ())
        };
        if let Err(why) = result {
            failures.push(format!("{provider} {at} as {schema}: {why}"));
        }
    }
    println!("{label}: {} of {n} round-trip", n - failures.len());
    for f in failures.iter().take(30) {
        println!("  FAILED {f}");
    }
    assert!(
        failures.is_empty(),
        "{label}: {} of {n} failed",
        failures.len()
    );
    n
}

#[test]
fn fixtures_exist_for_every_provider() {
    let docs = documents();
    for provider in PROVIDERS {
        let count = docs.iter().filter(|d| d.0 == *provider).count();
        assert!(count >= 10, "{provider} has only {count} fixture documents");
    }
}

#[test]
fn fixtures_round_trip() {
    run(
        "fixtures (fully understood by the types)",
        true,
        documents().into_iter(),
    );
}

#[test]
fn unknown_field_at_every_object_depth() {
    let cases = documents().into_iter().flat_map(|(p, s, at, doc)| {
        object_pointers(&doc)
            .into_iter()
            .map(move |ptr| {
                (
                    p.clone(),
                    s.clone(),
                    format!("{at} +field at {ptr:?}"),
                    with_unknown_field(&doc, &ptr),
                )
            })
            .collect::<Vec<_>>()
    });
    let n = run("unknown field at every object", false, cases);
    assert!(n > 100);
}

#[test]
fn unknown_value_at_every_string_position() {
    let cases = documents().into_iter().flat_map(|(p, s, at, doc)| {
        string_pointers(&doc)
            .into_iter()
            .map(move |ptr| {
                (
                    p.clone(),
                    s.clone(),
                    format!("{at} unknown value at {ptr:?}"),
                    with_unknown_string(&doc, &ptr),
                )
            })
            .collect::<Vec<_>>()
    });
    let n = run(
        "unknown value at every string (enum) position",
        false,
        cases,
    );
    assert!(n > 100);
}

#[test]
fn unknown_variant_for_every_tagged_object() {
    let cases = documents().into_iter().flat_map(|(p, s, at, doc)| {
        object_pointers(&doc)
            .into_iter()
            .filter_map(|ptr| {
                with_unknown_variant(&doc, &ptr).map(|m| {
                    (
                        p.clone(),
                        s.clone(),
                        format!("{at} unknown variant at {ptr:?}"),
                        m,
                    )
                })
            })
            .collect::<Vec<_>>()
    });
    let n = run("unknown variant of every tagged union", false, cases);
    assert!(n > 20);
}

#[test]
fn unknown_stream_event_types() {
    let events = [
        (
            "openai",
            "ResponseStreamEvent",
            json!({"type": "response.aigw_new_event", "sequence_number": 9, "payload": {"x": [1]}}),
        ),
        (
            "anthropic",
            "MessageStreamEvent",
            json!({"type": "content_block_aigw_new", "index": 0, "payload": {"x": 1}}),
        ),
        ("anthropic", "MessageStreamEvent", json!({"type": "ping"})),
        (
            "anthropic",
            "MessageStreamEvent",
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ),
        (
            "anthropic",
            "ContentBlock",
            json!({"type": "aigw_new_block", "data": "x"}),
        ),
        (
            "openai",
            "CreateChatCompletionStreamResponse",
            json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"aigw_new_delta": {"a": 1}}, "finish_reason": "aigw_new_reason"}]}),
        ),
        (
            "gemini",
            "GenerateContentResponse",
            json!({"candidates": [{"content": {"parts": [{"aigwNewPart": {"a": 1}}], "role": "model"}, "finishReason": "AIGW_NEW_REASON"}]}),
        ),
    ];
    run(
        "unknown stream events",
        false,
        events
            .into_iter()
            .map(|(p, s, v)| (p.into(), s.into(), "synthetic".into(), v)),
    );
}
