//! Translation cost for every pair, on the golden cases (`tests/golden/<pair>/`): the rich
//! conversation's request (about 2.5 KB: images, a PDF, tools, history, structured output)
//! and its upstream stream, per event. `cargo bench -p aigw-translate`.
//!
//! Also the parse-only baselines the figures compare with: the caller's request into
//! `serde_json::Value` and into its generated type.

use std::hint::black_box;
use std::path::Path;

use aigw_translate::Translator;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

use aigw_translate::PAIRS;

fn translator(pair: &str) -> Box<dyn Translator> {
    let options = aigw_translate::PairOptions {
        reasoning_field: Some("reasoning_content".to_owned()),
        stream: true,
        sse: true,
        caller_model: "caller-model".to_owned(),
    };
    aigw_translate::by_name(pair, false, &options).expect("a pair")
}

fn case(pair: &str) -> (Vec<u8>, Vec<(Option<String>, String)>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/golden/{pair}/tools_vision_reasoning.json"));
    let c: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("case")).expect("JSON");
    let request = serde_json::to_vec(&c["request"]).expect("json");
    let events = c["upstream_stream"]
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
        .collect();
    (request, events)
}

fn requests(c: &mut Criterion) {
    for pair in PAIRS {
        let (request, _) = case(pair);
        c.bench_function(&format!("request {pair} ({} B)", request.len()), |b| {
            b.iter(|| {
                let mut t = translator(pair);
                black_box(
                    t.request(black_box(&request), "upstream-model")
                        .expect("ok"),
                );
            })
        });
    }
}

/// The whole upstream stream of the case, translated; reported per event.
fn streams(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream event");
    for pair in PAIRS {
        let (request, events) = case(pair);
        group.throughput(criterion::Throughput::Elements(events.len() as u64));
        group.bench_function(pair, |b| {
            b.iter_batched(
                // Not measured: a translator that has translated the request.
                || {
                    let mut t = translator(pair);
                    t.request(&request, "upstream-model").expect("ok");
                    (t, Vec::with_capacity(16 * 1024))
                },
                |(mut t, mut out)| {
                    for (event, data) in &events {
                        t.stream_event(event.as_deref(), data, &mut out)
                            .expect("ok");
                    }
                    black_box(t.stream_finish(&mut out));
                    out
                },
                criterion::BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// A text delta, the commonest event, on its own.
fn text_delta(c: &mut Criterion) {
    let (request, _) = case("openai_anthropic");
    let mut t = translator("openai_anthropic");
    t.request(&request, "upstream-model").expect("ok");
    let start = r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}"#;
    let mut out = Vec::with_capacity(4096);
    t.stream_event(Some("message_start"), start, &mut out)
        .expect("ok");
    let delta = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Paris will be"}}"#;
    c.bench_function("text delta anthropic -> openai chunk", |b| {
        b.iter(|| {
            out.clear();
            t.stream_event(Some("content_block_delta"), black_box(delta), &mut out)
                .expect("ok");
            black_box(&out);
        })
    });
}

/// A text delta from a Responses upstream, to each caller protocol.
fn responses_text_delta(c: &mut Criterion) {
    let created = r#"{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1,"status":"in_progress","model":"m","output":[]}}"#;
    let added = r#"{"type":"response.content_part.added","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}"#;
    let delta = r#"{"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Paris will be","logprobs":[]}"#;
    for pair in [
        "openai_responses",
        "anthropic_responses",
        "gemini_responses",
    ] {
        let (request, _) = case(pair);
        let mut t = translator(pair);
        t.request(&request, "upstream-model").expect("ok");
        let mut out = Vec::with_capacity(4096);
        for e in [created, added] {
            t.stream_event(None, e, &mut out).expect("ok");
        }
        c.bench_function(&format!("text delta responses -> {pair}"), |b| {
            b.iter(|| {
                out.clear();
                t.stream_event(None, black_box(delta), &mut out)
                    .expect("ok");
                black_box(&out);
            })
        });
    }
}

fn parse_only(c: &mut Criterion) {
    let (chat, _) = case("openai_anthropic");
    c.bench_function("parse only: chat request into serde_json::Value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(&chat)).expect("ok")))
    });
    c.bench_function(
        "parse only: chat request into CreateChatCompletionRequest",
        |b| {
            b.iter(|| {
                black_box(
                    serde_json::from_slice::<aigw_openai::CreateChatCompletionRequest>(black_box(
                        &chat,
                    ))
                    .expect("ok"),
                )
            })
        },
    );
}

criterion_group!(
    benches,
    requests,
    streams,
    text_delta,
    responses_text_delta,
    parse_only
);
criterion_main!(benches);
