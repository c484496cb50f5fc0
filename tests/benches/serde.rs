//! Deserialize + serialize through the generated types vs `serde_json::Value`, on the same
//! bytes: a chat completion, a 20-chunk chat stream, an Anthropic message, a Gemini
//! response. Report the ratio typed / Value from one run.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const CHAT: &str = r#"{"id":"chatcmpl-AbC123","object":"chat.completion","created":1764054000,"model":"gpt-5-mini","system_fingerprint":"fp_9a1b2c3d","service_tier":"default",
"choices":[{"index":0,"finish_reason":"tool_calls","logprobs":null,"message":{"role":"assistant","content":"Let me check the weather in both cities.","refusal":null,"annotations":[],
"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"celsius\"}"}},{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Tokyo\",\"unit\":\"celsius\"}"}}]}}],
"usage":{"prompt_tokens":412,"completion_tokens":61,"total_tokens":473,"prompt_tokens_details":{"cached_tokens":256,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":32,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}"#;

const ANTHROPIC: &str = r#"{"id":"msg_01XyZ","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_reason":"tool_use","stop_sequence":null,
"content":[{"type":"thinking","thinking":"The user wants the weather; I should call the tool for both cities.","signature":"EqQBCkYIBxgCKkDb3c1fQ=="},
{"type":"text","text":"I'll look that up."},{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris","unit":"celsius"}}],
"usage":{"input_tokens":512,"output_tokens":88,"cache_creation_input_tokens":0,"cache_read_input_tokens":2048,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"service_tier":"standard"}}"#;

const GEMINI: &str = r#"{"candidates":[{"content":{"role":"model","parts":[{"text":"Thinking about the cities.","thought":true},{"functionCall":{"name":"get_weather","args":{"city":"Paris","unit":"celsius"}},"thoughtSignature":"CiQBVKhc7Q=="},{"text":"Here is what I found."}]},
"finishReason":"STOP","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"}]}],
"usageMetadata":{"promptTokenCount":421,"candidatesTokenCount":57,"totalTokenCount":610,"cachedContentTokenCount":256,"thoughtsTokenCount":132},"modelVersion":"gemini-2.5-pro","responseId":"aBcD123"}"#;

fn chat_stream() -> Vec<String> {
    let mut chunks = vec![r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764054000,"model":"gpt-5-mini","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"obfuscation":"aB3"}"#.to_owned()];
    for i in 0..17 {
        chunks.push(format!(
            r#"{{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764054000,"model":"gpt-5-mini","system_fingerprint":"fp_1","choices":[{{"index":0,"delta":{{"content":"token {i} "}},"logprobs":null,"finish_reason":null}}],"obfuscation":"x{i}"}}"#
        ));
    }
    chunks.push(r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764054000,"model":"gpt-5-mini","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"#.to_owned());
    chunks.push(r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764054000,"model":"gpt-5-mini","system_fingerprint":"fp_1","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":17,"total_tokens":37,"prompt_tokens_details":{"cached_tokens":0}}}"#.to_owned());
    chunks
}

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(bytes: &[u8]) -> Vec<u8> {
    let typed: T = serde_json::from_slice(bytes).expect("typed");
    serde_json::to_vec(&typed).expect("serialize")
}

fn bench(c: &mut Criterion) {
    let stream = chat_stream();
    // The inputs must round-trip exactly, or the comparison is meaningless.
    for (name, text) in [("chat", CHAT), ("anthropic", ANTHROPIC), ("gemini", GEMINI)] {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let p = match name {
            "chat" => "openai",
            other => other,
        };
        let s = match name {
            "chat" => "CreateChatCompletionResponse",
            "anthropic" => "Message",
            _ => "GenerateContentResponse",
        };
        assert_eq!(
            aigw_conformance::check_understood(p, s, &v),
            Ok(()),
            "{name}"
        );
    }
    let mut g = c.benchmark_group("serde");
    g.bench_function("chat_completion/typed", |b| {
        b.iter(|| {
            roundtrip::<aigw_openai::CreateChatCompletionResponse>(black_box(CHAT.as_bytes()))
        })
    });
    g.bench_function("chat_completion/value", |b| {
        b.iter(|| roundtrip::<serde_json::Value>(black_box(CHAT.as_bytes())))
    });
    g.bench_function("chat_stream_20/typed", |b| {
        b.iter(|| {
            for chunk in &stream {
                black_box(
                    roundtrip::<aigw_openai::CreateChatCompletionStreamResponse>(chunk.as_bytes()),
                );
            }
        })
    });
    g.bench_function("chat_stream_20/value", |b| {
        b.iter(|| {
            for chunk in &stream {
                black_box(roundtrip::<serde_json::Value>(chunk.as_bytes()));
            }
        })
    });
    g.bench_function("anthropic_message/typed", |b| {
        b.iter(|| roundtrip::<aigw_anthropic::Message>(black_box(ANTHROPIC.as_bytes())))
    });
    g.bench_function("anthropic_message/value", |b| {
        b.iter(|| roundtrip::<serde_json::Value>(black_box(ANTHROPIC.as_bytes())))
    });
    g.bench_function("gemini_response/typed", |b| {
        b.iter(|| roundtrip::<aigw_gemini::GenerateContentResponse>(black_box(GEMINI.as_bytes())))
    });
    g.bench_function("gemini_response/value", |b| {
        b.iter(|| roundtrip::<serde_json::Value>(black_box(GEMINI.as_bytes())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
