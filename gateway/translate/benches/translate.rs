//! Translation cost per request (a ~2 KB chat request with tools and history) and per
//! stream event, for each implemented pair. `cargo bench -p aigw-translate`.

use aigw_translate::Translator;
use aigw_translate::anthropic_openai::{MessagesToChat, Options};
use aigw_translate::openai_anthropic::ChatToMessages;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;

fn chat_request() -> Vec<u8> {
    let weather = json!({"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city, in metric units",
        "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}, "unit": {"type": "string", "enum": ["c", "f"]}}, "required": ["city"]}}});
    let body = json!({
        "model": "claude-sonnet-4-5",
        "messages": [
            {"role": "system", "content": "You are a helpful assistant that answers briefly and uses tools when they help. Prefer metric units and cite the tool results you used."},
            {"role": "user", "content": "What is the weather in Paris and in Lyon today, and should I take an umbrella for a walk along the river this evening?"},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Lyon\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "{\"temp\":18,\"rain_probability\":0.7,\"wind\":\"12 km/h W\"}"},
            {"role": "tool", "tool_call_id": "call_2", "content": "{\"temp\":21,\"rain_probability\":0.1,\"wind\":\"5 km/h S\"}"},
            {"role": "assistant", "content": "Paris: 18°C with a 70% chance of rain; Lyon: 21°C and mostly dry. Take an umbrella in Paris."},
            {"role": "user", "content": "Thanks. And what about tomorrow morning in Paris, before nine? I have a meeting across town and would rather cycle."}
        ],
        "tools": [weather, {"type": "function", "function": {"name": "get_forecast", "description": "Hourly forecast",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "hours": {"type": "integer"}}, "required": ["city", "hours"]}}}],
        "tool_choice": "auto",
        "max_completion_tokens": 512,
        "temperature": 0.3,
        "stream": true,
        "stream_options": {"include_usage": true}
    });
    serde_json::to_vec(&body).expect("json")
}

fn messages_request() -> Vec<u8> {
    let body = json!({
        "model": "gpt-4o", "max_tokens": 512, "system": "You are a helpful assistant that answers briefly and uses tools when they help. Prefer metric units.",
        "messages": [
            {"role": "user", "content": "What is the weather in Paris and in Lyon today, and should I take an umbrella for a walk along the river this evening?"},
            {"role": "assistant", "content": [{"type": "text", "text": "Let me check."},
                {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
                {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"city": "Lyon"}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "{\"temp\":18,\"rain_probability\":0.7,\"wind\":\"12 km/h W\"}"},
                {"type": "tool_result", "tool_use_id": "toolu_2", "content": "{\"temp\":21,\"rain_probability\":0.1,\"wind\":\"5 km/h S\"}"},
                {"type": "text", "text": "And what about tomorrow morning in Paris, before nine? I would rather cycle to my meeting."}]}
        ],
        "tools": [{"name": "get_weather", "description": "Current weather for a city, in metric units",
                   "input_schema": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}}, "required": ["city"]}}],
        "tool_choice": {"type": "auto"},
        "stream": true
    });
    serde_json::to_vec(&body).expect("json")
}

fn bench(c: &mut Criterion) {
    let chat = chat_request();
    let messages = messages_request();
    println!(
        "request sizes: chat {} B, messages {} B",
        chat.len(),
        messages.len()
    );
    c.bench_function("request openai->anthropic (2 KB)", |b| {
        b.iter(|| {
            let mut t = ChatToMessages::new(false);
            black_box(
                t.request(black_box(&chat), "claude-sonnet-4-5")
                    .expect("ok"),
            );
        })
    });
    c.bench_function("request anthropic->openai (1.5 KB)", |b| {
        b.iter(|| {
            let mut t = MessagesToChat::new(
                false,
                Options {
                    reasoning_field: None,
                    stream_options: true,
                },
            );
            black_box(t.request(black_box(&messages), "gpt-4o").expect("ok"));
        })
    });
    let delta = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Paris will be"}}"#;
    let mut t = ChatToMessages::new(false);
    t.request(&chat, "claude-sonnet-4-5").expect("ok");
    let mut out = Vec::with_capacity(4096);
    c.bench_function("stream event anthropic->openai (text delta)", |b| {
        b.iter(|| {
            out.clear();
            t.stream_event(Some("content_block_delta"), black_box(delta), &mut out)
                .expect("ok");
            black_box(&out);
        })
    });
    let chunk = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Paris will be"},"logprobs":null,"finish_reason":null}]}"#;
    let mut t = MessagesToChat::new(
        false,
        Options {
            reasoning_field: None,
            stream_options: true,
        },
    );
    t.request(&messages, "gpt-4o").expect("ok");
    c.bench_function("stream event openai->anthropic (text delta)", |b| {
        b.iter(|| {
            out.clear();
            t.stream_event(None, black_box(chunk), &mut out)
                .expect("ok");
            black_box(&out);
        })
    });
}

criterion_group!(benches, bench);

fn parse_only(c: &mut Criterion) {
    let chat = chat_request();
    let messages = messages_request();
    c.bench_function("parse only: openai CreateChatCompletionRequest", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<aigw_openai::CreateChatCompletionRequest>(black_box(
                    &chat,
                ))
                .expect("ok"),
            )
        })
    });
    c.bench_function("parse only: serde_json::Value (chat)", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&chat)).expect("ok"))
        })
    });
    c.bench_function("parse only: anthropic CreateMessageParams", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<aigw_anthropic::CreateMessageParams>(black_box(&messages))
                    .expect("ok"),
            )
        })
    });
    let delta = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Paris will be"}}"#;
    c.bench_function("parse only: anthropic MessageStreamEvent", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_str::<aigw_anthropic::MessageStreamEvent>(black_box(delta))
                    .expect("ok"),
            )
        })
    });
}

criterion_group!(parse, parse_only);
criterion_main!(benches, parse);
