//! Cross-protocol routes over real HTTP: what the upstream of the other protocol receives,
//! what the caller gets back (JSON, streams, errors), the loss report and strict mode.

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn openai_chat_to_anthropic_request_shape() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({
                "model": "claude-sonnet-4-5",
                "messages": [
                    {"role": "system", "content": "Be brief."},
                    {"role": "developer", "content": [{"type": "text", "text": "Use metric units."}]},
                    {"role": "user", "content": [
                        {"type": "text", "text": "What is in the picture, and the weather?"},
                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                        {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]},
                    {"role": "assistant", "content": null, "tool_calls": [
                        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                        {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Lyon\"}"}}]},
                    {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
                    {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "21C"}]},
                    {"role": "user", "content": "Thanks"}
                ],
                "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather by city",
                           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
                "tool_choice": "required",
                "parallel_tool_calls": false,
                "max_completion_tokens": 300,
                "temperature": 0.5,
                "stop": ["END"],
                "user": "u-42",
                "seed": 7,
                "logit_bias": {"50256": -100}
            }),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-translation"], "openai->anthropic");
    assert_eq!(r.headers()["x-aigw-lost"], "/logit_bias,/seed");
    let sent = b.anthropic.last().expect("request").json();
    assert_eq!(
        sent,
        json!({
            "max_tokens": 300,
            "messages": [
                {"content": [
                    {"text": "What is in the picture, and the weather?", "type": "text"},
                    {"source": {"data": "iVBORw0KGgo=", "media_type": "image/png", "type": "base64"}, "type": "image"},
                    {"source": {"type": "url", "url": "https://example.com/cat.jpg"}, "type": "image"}],
                 "role": "user"},
                {"content": [
                    {"id": "call_1", "input": {"city": "Paris"}, "name": "get_weather", "type": "tool_use"},
                    {"id": "call_2", "input": {"city": "Lyon"}, "name": "get_weather", "type": "tool_use"}],
                 "role": "assistant"},
                {"content": [
                    {"content": "18C", "tool_use_id": "call_1", "type": "tool_result"},
                    {"content": [{"text": "21C", "type": "text"}], "tool_use_id": "call_2", "type": "tool_result"},
                    {"text": "Thanks", "type": "text"}],
                 "role": "user"}
            ],
            "metadata": {"user_id": "u-42"},
            "model": "claude-sonnet-4-5",
            "stop_sequences": ["END"],
            "system": [{"text": "Be brief.", "type": "text"}, {"text": "Use metric units.", "type": "text"}],
            "temperature": 0.5,
            "tool_choice": {"disable_parallel_tool_use": true, "type": "any"},
            "tools": [{"description": "Weather by city", "input_schema": {"properties": {"city": {"type": "string"}}, "required": ["city"], "type": "object"}, "name": "get_weather"}]
        })
    );
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["object"], "chat.completion");
    // The last user turn holds the tool results: the mock answers from them.
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
    assert_eq!(v["choices"][0]["message"]["content"], "The tool said: 18C");
}

#[tokio::test]
async fn thinking_and_signatures_round_trip_through_openai_shape() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "claude-sonnet-4-5", "reasoning_effort": "medium", "max_completion_tokens": 1000,
                    "messages": [{"role": "user", "content": "think"}]}),
        )
        .await;
    let v: Value = r.json().await.expect("json");
    let sent = b.anthropic.last().expect("req").json();
    assert_eq!(
        sent["thinking"],
        json!({"budget_tokens": 4096, "type": "enabled"})
    );
    assert_eq!(
        sent["max_tokens"], 5096,
        "the budget is added to the answer's limit"
    );
    let message = &v["choices"][0]["message"];
    assert_eq!(
        message["reasoning_content"],
        "Let me think about this step by step."
    );
    let blocks = message["thinking_blocks"].clone();
    assert!(
        blocks[0]["signature"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    // The next turn carries the blocks back; Anthropic gets thinking with its signature.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "claude-sonnet-4-5", "reasoning_effort": "medium",
                    "messages": [{"role": "user", "content": "think"},
                                 {"role": "assistant", "content": "Echo: think", "thinking_blocks": blocks, "reasoning_content": message["reasoning_content"]},
                                 {"role": "user", "content": "again"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("x-aigw-lost").is_none());
    let sent = b.anthropic.last().expect("req").json();
    assert_eq!(sent["messages"][1]["content"][0]["type"], "thinking");
    assert_eq!(
        sent["messages"][1]["content"][0]["signature"],
        blocks[0]["signature"]
    );

    // Streamed: reasoning deltas, then the signature in a thinking block delta.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "claude-sonnet-4-5", "reasoning_effort": "low", "stream": true,
                    "messages": [{"role": "user", "content": "think"}]}),
        )
        .await;
    let text = r.text().await.expect("body");
    let data = sse_data(&text);
    let mut reasoning = String::new();
    let mut signature = String::new();
    for d in data.iter().filter(|d| *d != "[DONE]") {
        let v: Value = serde_json::from_str(d).expect("chunk");
        if let Some(r) = v
            .pointer("/choices/0/delta/reasoning_content")
            .and_then(Value::as_str)
        {
            reasoning.push_str(r);
        }
        if let Some(s) = v
            .pointer("/choices/0/delta/thinking_blocks/0/signature")
            .and_then(Value::as_str)
        {
            signature.push_str(s);
        }
    }
    assert_eq!(reasoning, "Let me think about this step by step.");
    assert!(signature.starts_with("EqQBCkgIARABGAIi"));
}

#[tokio::test]
async fn anthropic_to_openai_request_shape_and_answers() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/messages",
            &json!({
                "model": "gpt-4o", "max_tokens": 200, "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
                "messages": [
                    {"role": "user", "content": "Weather in Paris?"},
                    {"role": "assistant", "content": [{"type": "text", "text": "Checking."},
                        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
                    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"},
                        {"type": "text", "text": "And tomorrow?"}]}
                ],
                "tools": [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
                "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                "top_k": 5, "stop_sequences": ["END"]
            }),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-translation"], "anthropic->openai");
    assert_eq!(r.headers()["x-aigw-lost"], "/system/0/cache_control,/top_k");
    let sent = b.openai.last().expect("req").json();
    assert_eq!(
        sent["messages"],
        json!([
            {"content": "Be brief.", "role": "system"},
            {"content": "Weather in Paris?", "role": "user"},
            {"content": "Checking.", "role": "assistant", "tool_calls": [
                {"function": {"arguments": "{\"city\":\"Paris\"}", "name": "get_weather"}, "id": "toolu_1", "type": "function"}]},
            {"content": "18C", "role": "tool", "tool_call_id": "toolu_1"},
            {"content": "And tomorrow?", "role": "user"}
        ])
    );
    assert_eq!(sent["tool_choice"], "required");
    assert_eq!(sent["parallel_tool_calls"], false);
    assert_eq!(sent["max_completion_tokens"], 200);
    assert_eq!(sent["stop"], json!(["END"]));
    // The mock answers the tool's result of the last turn (a user's text follows it).
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["type"], "message");
    assert_eq!(v["stop_reason"], "end_turn");
    assert_eq!(v["content"][0]["type"], "text");
    assert_eq!(v["content"][0]["text"], "The tool said: 18C");
}

#[tokio::test]
async fn anthropic_thinking_through_a_reasoning_compat_provider() {
    let b = Bench::start("").await;
    // DeepSeek's preset: reasoning text in `reasoning_content`, max_tokens renamed.
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "deepseek-reasoner", "max_tokens": 3000, "stream": true,
                    "thinking": {"type": "enabled", "budget_tokens": 2048},
                    "messages": [{"role": "user", "content": "think"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.expect("body");
    let events = sse_events(&text);
    assert_eq!(
        events,
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    assert!(text.contains("\"thinking_delta\""));
    let sent = b.openai.last().expect("req").json();
    assert_eq!(sent["reasoning_effort"], "medium");
    assert_eq!(
        sent["max_tokens"], 3000,
        "the preset's rename applies after translation"
    );
    // The thinking carried into the next turn goes back as DeepSeek's reasoning_content.
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "deepseek-reasoner", "max_tokens": 300,
                    "messages": [{"role": "user", "content": "think"},
                                 {"role": "assistant", "content": [{"type": "thinking", "thinking": "Thinking it through.", "signature": ""},
                                                                   {"type": "text", "text": "Echo: think"}]},
                                 {"role": "user", "content": "more"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let sent = b.openai.last().expect("req").json();
    assert_eq!(
        sent["messages"][1]["reasoning_content"],
        "Thinking it through."
    );
}

#[tokio::test]
async fn upstream_errors_come_back_in_the_callers_shape() {
    let b = Bench::start_with(&BASE_TOML.replace("retries = 2", "retries = 0"), "").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "claude-x+status=429+retry_after=7", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["error"]["type"], "rate_limit_error");
    assert_eq!(v["error"]["message"], "scripted failure");
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "gpt-4o+status=503", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(r.status(), 503);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["type"], "error");
    assert_eq!(v["error"]["type"], "overloaded_error");
    // A broken translated stream ends with the caller's error event.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "claude-x+reset=3", "stream": true, "messages": [{"role": "user", "content": "a longer answer"}]}),
        )
        .await;
    let data = sse_data(&r.text().await.expect("body"));
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
    let err: Value = serde_json::from_str(&data[data.len() - 2]).expect("error chunk");
    assert_eq!(err["error"]["code"], "upstream_stream_error");
}

#[tokio::test]
async fn strict_mode_refuses_any_loss() {
    let b = Bench::start(
        r#"
[[routes]]
model = "strict-claude"
provider = "anthropic"
upstream_model = "claude-sonnet-4-5"
strict = true
"#,
    )
    .await;
    let lossy = |model: &str| json!({"model": model, "seed": 1, "messages": [{"role": "user", "content": "hi"}]});
    // Per request.
    let r = b
        .http
        .post(b.url("/v1/chat/completions"))
        .header("authorization", "Bearer c")
        .header("x-aigw-strict", "true")
        .json(&lossy("claude-sonnet-4-5"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["error"]["code"], "translation_error");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("m")
            .contains("/seed has no counterpart in the anthropic protocol"),
        "{v}"
    );
    // Per route.
    let r = b
        .post_json("/v1/chat/completions", &lossy("strict-claude"))
        .await;
    assert_eq!(r.status(), 400);
    // Nothing lossy: strict passes.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "strict-claude", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(b.anthropic.requests().len(), 1);
}

#[tokio::test]
async fn responses_reasoning_round_trips_as_encrypted_content() {
    let b = Bench::start("").await;
    // Anthropic thinking → a reasoning item whose encrypted_content is the signature.
    let r = b
        .post_json(
            "/v1/responses",
            &json!({"model": "claude-sonnet-4-5", "input": "think", "reasoning": {"effort": "low"},
                    "store": false, "include": ["reasoning.encrypted_content"]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["x-aigw-translation"],
        "openai-responses->anthropic"
    );
    assert!(
        r.headers().get("x-aigw-lost").is_none(),
        "stateless options lose nothing"
    );
    let v: Value = r.json().await.expect("json");
    assert_eq!(
        b.anthropic.last().expect("req").json()["thinking"],
        json!({"budget_tokens": 1024, "type": "enabled"})
    );
    let reasoning = v["output"][0].clone();
    assert_eq!(reasoning["type"], "reasoning");
    assert_eq!(
        reasoning["summary"][0]["text"],
        "Let me think about this step by step."
    );
    // The signature, marked as Anthropic's so that only Anthropic gets it back.
    let signature = reasoning["encrypted_content"]
        .as_str()
        .and_then(|s| s.strip_prefix("an:"))
        .expect("an Anthropic signature")
        .to_owned();
    assert_eq!(v["output"][1]["content"][0]["text"], "Echo: think");
    // The next turn sends the items back: Anthropic gets the thinking block and signature.
    let mut input = vec![json!({"role": "user", "content": "think"})];
    input.extend(v["output"].as_array().expect("output").iter().cloned());
    input.push(json!({"role": "user", "content": "again"}));
    let r = b
        .post_json(
            "/v1/responses",
            &json!({"model": "claude-sonnet-4-5", "input": input}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let sent = b.anthropic.last().expect("req").json();
    assert_eq!(
        sent["messages"][1]["content"][0],
        json!({"type": "thinking", "thinking": "Let me think about this step by step.", "signature": signature})
    );
    // OpenAI's own encrypted state (the conversation began on OpenAI) is no signature of
    // Anthropic's, which would refuse the request: reported, not sent.
    let openai_state = json!({"type": "reasoning", "id": "rs_1", "encrypted_content": "gAAAAABfernet",
                              "summary": [{"type": "summary_text", "text": "Thought on OpenAI."}]});
    let r = b
        .post_json(
            "/v1/responses",
            &json!({"model": "claude-sonnet-4-5", "input": [{"role": "user", "content": "think"},
                    openai_state, {"role": "assistant", "content": "Done."}, {"role": "user", "content": "again"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-lost"], "/input/1");
    let sent = b.anthropic.last().expect("req").json();
    assert_eq!(
        sent["messages"][1]["content"],
        json!([{"type": "text", "text": "Done."}])
    );
    // State kept by OpenAI cannot follow the request elsewhere.
    let r = b
        .post_json(
            "/v1/responses",
            &json!({"model": "claude-sonnet-4-5", "input": "hi", "previous_response_id": "resp_1"}),
        )
        .await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.expect("json");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("m")
            .contains("previous_response_id"),
        "{v}"
    );
}

#[tokio::test]
async fn responses_api_as_the_upstream() {
    let b = Bench::start_with(&BASE_TOML.replace("retries = 2", "retries = 0"), "").await;
    // A Chat caller: sent to /responses, stateless, reasoning asked for with its state.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "openai-responses/gpt-5", "reasoning_effort": "low", "seed": 3,
                    "messages": [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "think"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["x-aigw-translation"],
        "openai->openai-responses"
    );
    assert_eq!(r.headers()["x-aigw-lost"], "/seed");
    let req = b.openai.last().expect("request");
    assert!(req.uri.ends_with("/responses"), "{}", req.uri);
    assert_eq!(
        req.json(),
        json!({"model": "gpt-5", "reasoning": {"effort": "low", "summary": "auto"},
               "input": [{"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Be brief."}]},
                         {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "think"}]}],
               "store": false, "include": ["reasoning.encrypted_content"]})
    );
    let v: Value = r.json().await.expect("json");
    let message = &v["choices"][0]["message"];
    assert_eq!(message["content"], "Echo: think");
    assert_eq!(
        message["reasoning_content"],
        "Let me think about this step by step."
    );
    assert!(v["usage"]["completion_tokens_details"]["reasoning_tokens"].as_i64() > Some(0));
    // The next turn carries the reasoning item back; the mock verifies its state.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "openai-responses/gpt-5", "reasoning_effort": "low",
                    "messages": [{"role": "user", "content": "think"}, message, {"role": "user", "content": "and?"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let sent = b.openai.last().expect("request").json();
    assert_eq!(sent["input"][1]["type"], "reasoning");
    assert!(
        sent["input"][1]["encrypted_content"]
            .as_str()
            .expect("state")
            .starts_with("gAAAAB-mock-")
    );
    // A signature from another provider means nothing to OpenAI: reported, not sent.
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "openai-responses/gpt-5", "max_tokens": 64, "messages": [
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": [{"type": "thinking", "thinking": "t", "signature": "EqQBCkgIARABGAIi"}, {"type": "text", "text": "hello"}]},
                {"role": "user", "content": "again"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-lost"], "/messages/1/content/0");
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["type"], "message");
    assert_eq!(v["content"][0]["text"], "Echo: again");
    // Strict mode refuses it instead.
    let r = b
        .http
        .post(b.url("/v1/chat/completions"))
        .header("authorization", "Bearer c")
        .header("x-aigw-strict", "true")
        .json(&json!({"model": "openai-responses/gpt-5", "stop": ["x"], "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    // Upstream errors in the caller's shape, Retry-After kept.
    let r = b
        .post_json(
            "/v1beta/models/openai-responses/gpt-5+status=429+retry_after=4:generateContent",
            &json!({"contents": [{"parts": [{"text": "hi"}]}]}),
        )
        .await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "4");
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["error"]["status"], "RESOURCE_EXHAUSTED");
    // A Responses caller passes through unchanged.
    let body = json!({"model": "openai-responses/gpt-5", "input": "hi", "x_new_field": 1});
    let r = b.post_json("/v1/responses", &body).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("x-aigw-translation").is_none());
    assert_eq!(b.openai.last().expect("request").json()["x_new_field"], 1);
    // A broken stream ends with the caller's error event.
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "openai-responses/gpt-5+reset=4", "max_tokens": 64, "stream": true,
                    "messages": [{"role": "user", "content": "a longer answer"}]}),
        )
        .await;
    let events = sse_events(&r.text().await.expect("body"));
    assert_eq!(events.first().map(String::as_str), Some("message_start"));
    assert_eq!(events.last().map(String::as_str), Some("error"));
}

#[test]
fn the_responses_api_option_is_for_openai_providers() {
    let toml = r#"
[providers.a]
kind = "anthropic"
api = "responses"
"#;
    let e = aigw::config::parse("t.toml", toml, &|_| None, aigw::config::MissingKeys::Warn)
        .expect_err("refused");
    assert!(e.to_string().contains("providers.a.api"), "{e}");
}

#[tokio::test]
async fn a_translated_stream_counts_the_usage_its_answer_reports() {
    // Gemini sends the running usage on every chunk; the gateway reads the first and the
    // last (not those between), and its counts must match what the caller is told.
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "gemini-2.5-flash+events=6", "stream": true,
                    "stream_options": {"include_usage": true},
                    "messages": [{"role": "user", "content": "count the tokens of this answer"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.expect("body");
    let usage = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .find_map(|c| c.get("usage").filter(|u| !u.is_null()).cloned())
        .expect("a usage chunk");
    let m = b.metrics().await;
    for (kind, field) in [("input", "prompt_tokens"), ("output", "completion_tokens")] {
        let want = usage[field].as_u64().expect("count");
        assert!(want > 0, "{usage}");
        let line = format!(
            "aigw_tokens_total{{provider=\"gemini\",model=\"gemini-2.5-flash+events=6\",kind=\"{kind}\"}} {want}"
        );
        assert!(m.contains(&line), "{line} in\n{m}");
    }
}

/// An upstream that sends an error event mid-stream and then more (vLLM-style servers a
/// `[DONE]`, the Responses API `response.failed`, here in the same read): the caller's
/// stream is closed once, by the error, and nothing follows it.
#[tokio::test]
async fn an_upstream_error_mid_stream_closes_the_callers_stream_once() {
    let b = Bench::start_with(&BASE_TOML.replace("retries = 2", "retries = 0"), "").await;
    let msgs = json!([{"role": "user", "content": "a longer answer, in several deltas"}]);
    // A Responses caller, a Chat upstream: error, then `[DONE]`.
    let r = b
        .post_json(
            "/v1/responses",
            &json!({"model": "chat-only/gpt-4o+fail=2", "stream": true, "input": "a longer answer"}),
        )
        .await;
    assert!(
        r.headers().get("x-aigw-translation").is_some(),
        "translated"
    );
    let text = r.text().await.expect("body");
    let events = sse_events(&text);
    assert_eq!(events.last().map(String::as_str), Some("error"), "{text}");
    assert_eq!(events.iter().filter(|e| *e == "error").count(), 1, "{text}");
    assert!(!events.iter().any(|e| e == "response.completed"), "{text}");
    // A Chat caller, a Responses upstream: error, then `response.failed`.
    let text = b
        .stream_body(
            "/v1/chat/completions",
            &json!({"model": "openai-responses/gpt-5+fail=3", "stream": true, "messages": msgs}),
        )
        .await;
    let data = sse_data(&text);
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"), "{text}");
    assert_eq!(data.iter().filter(|d| *d == "[DONE]").count(), 1, "{text}");
    assert_eq!(
        data.iter()
            .filter(|d| d.contains("scripted stream failure"))
            .count(),
        1,
        "{text}"
    );
    // An Anthropic caller, a Responses upstream.
    let text = b.stream_body("/v1/messages", &json!({"model": "openai-responses/gpt-5+fail=3", "max_tokens": 50, "stream": true, "messages": msgs})).await;
    let events = sse_events(&text);
    assert_eq!(events.last().map(String::as_str), Some("error"), "{text}");
    assert_eq!(events.iter().filter(|e| *e == "error").count(), 1, "{text}");
}

/// An upstream stream without an end event (Gemini's) that stops inside an event did not
/// end well, even when what came before would have made a whole answer: the caller's
/// stream ends with its error closing, not with a clean end and not with nothing.
#[tokio::test]
async fn an_upstream_stream_cut_inside_an_event_ends_with_the_callers_error() {
    let b = Bench::start_with(&BASE_TOML.replace("retries = 2", "retries = 0"), "").await;
    let msgs = json!([{"role": "user", "content": "hi"}]);
    // A Chat caller, a Gemini upstream (no end event: the end is the caller's to write).
    let text = b
        .stream_body(
            "/v1/chat/completions",
            &json!({"model": "gemini-2.5-flash+cut", "stream": true, "messages": msgs}),
        )
        .await;
    let data = sse_data(&text);
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"), "{text}");
    let err: Value = serde_json::from_str(&data[data.len() - 2]).expect("error chunk");
    assert_eq!(err["error"]["code"], "upstream_stream_error", "{text}");
    // An Anthropic caller, a Gemini upstream. (An upstream with an end event is whole
    // once that came: what follows it is not read.)
    let text = b.stream_body("/v1/messages", &json!({"model": "gemini-2.5-flash+cut", "max_tokens": 50, "stream": true, "messages": msgs})).await;
    let events = sse_events(&text);
    assert_eq!(events.last().map(String::as_str), Some("error"), "{text}");
    assert!(!events.iter().any(|e| e == "message_stop"), "{text}");
}
