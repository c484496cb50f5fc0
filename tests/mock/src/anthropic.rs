//! The Anthropic mock: Messages (JSON and `event:`-typed streams with `ping`, thinking with
//! signature deltas, text deltas, `input_json_delta` tool input, `message_delta` usage),
//! count_tokens and models.

use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::{Answer, Call, Scenario, fidelity, pieces, sse, tokens, value_from_schema};

pub(crate) fn answer(call: &Call, s: &Scenario) -> Answer {
    match (call.method, call.path) {
        ("POST", "/v1/messages") => messages(call, s),
        ("POST", "/v1/messages/count_tokens") => Answer::Json(
            StatusCode::OK,
            json!({"input_tokens": tokens(&call.body.get("messages").map(Value::to_string).unwrap_or_default())}),
        ),
        ("GET", "/v1/models") => Answer::Json(
            StatusCode::OK,
            json!({"data": [model("claude-sonnet-4-5"), model("claude-haiku-4-5")], "has_more": false,
                   "first_id": "claude-sonnet-4-5", "last_id": "claude-haiku-4-5"}),
        ),
        ("GET", p) if p.starts_with("/v1/models/") => {
            let id = &p["/v1/models/".len()..];
            if id.starts_with("claude-") {
                Answer::Json(StatusCode::OK, model(id))
            } else {
                not_found(&format!("model: {id}"))
            }
        }
        _ => not_found(&format!("Not Found: {} {}", call.method, call.path)),
    }
}

fn model(id: &str) -> Value {
    json!({"type": "model", "id": id, "display_name": id, "created_at": "2025-09-29T00:00:00Z"})
}

fn not_found(message: &str) -> Answer {
    Answer::Json(
        StatusCode::NOT_FOUND,
        json!({"type": "error", "error": {"type": "not_found_error", "message": message}, "request_id": "req_mock_404"}),
    )
}

fn block_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => blocks
            .iter()
            .filter_map(|b| match b.get("type").and_then(Value::as_str) {
                Some("text") => b.get("text").and_then(Value::as_str).map(str::to_owned),
                Some("image") => Some("[image]".into()),
                Some("document") => Some("[document]".into()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

enum Block {
    Thinking {
        thinking: String,
        signature: String,
    },
    Text(String),
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
}

fn reply(body: &Value, n: usize) -> Vec<Block> {
    let messages = body
        .get("messages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let last = messages.last().cloned().unwrap_or(Value::Null);
    let mut out = Vec::new();
    if body.pointer("/thinking/type").and_then(Value::as_str) == Some("enabled") {
        out.push(Block::Thinking {
            thinking: "Let me think about this step by step.".into(),
            // Base64, as Anthropic's signatures are (16 + 8 characters).
            signature: format!("{SIGNATURE}{n:08}"),
        });
    }
    let tool_result = last
        .get("content")
        .and_then(Value::as_array)
        .and_then(|blocks| {
            blocks
                .iter()
                .find(|b| b.get("type").and_then(Value::as_str) == Some("tool_result"))
        });
    if let Some(result) = tool_result {
        out.push(Block::Text(format!(
            "The tool said: {}",
            block_text(&result["content"])
        )));
        return out;
    }
    let user = messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .map(|m| block_text(&m["content"]))
        .unwrap_or_default();
    if let Some(tool) = body.pointer("/tools/0") {
        out.push(Block::ToolUse {
            id: format!("toolu_mock{n}"),
            name: tool
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("tool")
                .to_owned(),
            input: value_from_schema(tool.get("input_schema").unwrap_or(&json!({})), "Paris"),
        });
        return out;
    }
    let schema = body
        .pointer("/output_config/format/schema")
        .or_else(|| body.pointer("/output_format/schema"));
    if let Some(schema) = schema {
        out.push(Block::Text(
            value_from_schema(schema, &format!("Echo: {user}")).to_string(),
        ));
        return out;
    }
    out.push(Block::Text(format!("Echo: {user}")));
    out
}

/// The prefix of every thinking signature this mock makes.
const SIGNATURE: &str = "EqQBCkgIARABGAIi";

/// Where a thinking block in the request carries a signature this mock did not make
/// (`messages.1.content.0`, as Anthropic names it).
fn foreign_signature(body: &Value) -> Option<String> {
    let messages = body.get("messages").and_then(Value::as_array)?;
    for (i, m) in messages.iter().enumerate() {
        let blocks = m.get("content").and_then(Value::as_array);
        for (j, b) in blocks.into_iter().flatten().enumerate() {
            let signature = b.get("signature").and_then(Value::as_str).unwrap_or("");
            if b.get("type") == Some(&json!("thinking")) && !signature.starts_with(SIGNATURE) {
                return Some(format!("messages.{i}.content.{j}"));
            }
        }
    }
    None
}

fn messages(call: &Call, s: &Scenario) -> Answer {
    let body = &call.body;
    let stream = body.get("stream") == Some(&Value::Bool(true));
    if s.fidelity {
        return if stream {
            Answer::Raw(
                StatusCode::OK,
                "text/event-stream; charset=utf-8",
                Bytes::from_static(fidelity::ANTHROPIC_STREAM.as_bytes()),
            )
        } else {
            Answer::Raw(
                StatusCode::OK,
                "application/json",
                Bytes::from_static(fidelity::ANTHROPIC_JSON.as_bytes()),
            )
        };
    }
    if body.get("max_tokens").is_none() {
        return Answer::Json(
            StatusCode::BAD_REQUEST,
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"}, "request_id": "req_mock_400"}),
        );
    }
    // As Anthropic does, a thinking block must carry a signature this server made.
    if let Some(at) = foreign_signature(body) {
        return Answer::Json(
            StatusCode::BAD_REQUEST,
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": format!("{at}: Invalid `signature` in `thinking` block")}, "request_id": "req_mock_400"}),
        );
    }
    let model = body.get("model").and_then(Value::as_str).unwrap_or("");
    let n = call.state.next_id();
    let id = format!("msg_mock{n}");
    let blocks = reply(body, n);
    let input_tokens = tokens(&body["messages"].to_string());
    let output_tokens: u64 = blocks
        .iter()
        .map(|b| match b {
            Block::Thinking { thinking, .. } => tokens(thinking),
            Block::Text(t) => tokens(t),
            Block::ToolUse { input, .. } => tokens(&input.to_string()),
        })
        .sum();
    let stop = if blocks.iter().any(|b| matches!(b, Block::ToolUse { .. })) {
        "tool_use"
    } else {
        "end_turn"
    };
    let usage = json!({"input_tokens": input_tokens, "output_tokens": output_tokens,
                       "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                       "service_tier": "standard"});
    let content: Vec<Value> = blocks
        .iter()
        .map(|b| match b {
            Block::Thinking {
                thinking,
                signature,
            } => json!({"type": "thinking", "thinking": thinking, "signature": signature}),
            Block::Text(t) => json!({"type": "text", "text": t}),
            Block::ToolUse { id, name, input } => {
                json!({"type": "tool_use", "id": id, "name": name, "input": input})
            }
        })
        .collect();
    if !stream {
        return Answer::Json(
            StatusCode::OK,
            json!({"id": id, "type": "message", "role": "assistant", "model": model, "content": content,
                   "stop_reason": stop, "stop_sequence": null, "usage": usage}),
        );
    }
    let pieces_n = s.events.unwrap_or(3);
    let mut events = Vec::new();
    let ev = |events: &mut Vec<Bytes>, t: &str, v: Value| {
        events.push(sse(Some(t), &v.to_string(), false))
    };
    ev(
        &mut events,
        "message_start",
        json!({"type": "message_start", "message": {
        "id": id, "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": input_tokens, "output_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                  "service_tier": "standard"}}}),
    );
    ev(&mut events, "ping", json!({"type": "ping"}));
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Thinking {
                thinking,
                signature,
            } => {
                ev(
                    &mut events,
                    "content_block_start",
                    json!({"type": "content_block_start", "index": i, "content_block": {"type": "thinking", "thinking": "", "signature": ""}}),
                );
                for p in pieces(thinking, pieces_n) {
                    ev(
                        &mut events,
                        "content_block_delta",
                        json!({"type": "content_block_delta", "index": i, "delta": {"type": "thinking_delta", "thinking": p}}),
                    );
                }
                ev(
                    &mut events,
                    "content_block_delta",
                    json!({"type": "content_block_delta", "index": i, "delta": {"type": "signature_delta", "signature": signature}}),
                );
            }
            Block::Text(t) => {
                ev(
                    &mut events,
                    "content_block_start",
                    json!({"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}}),
                );
                for p in pieces(t, pieces_n) {
                    ev(
                        &mut events,
                        "content_block_delta",
                        json!({"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": p}}),
                    );
                }
            }
            Block::ToolUse { id, name, input } => {
                ev(
                    &mut events,
                    "content_block_start",
                    json!({"type": "content_block_start", "index": i, "content_block": {"type": "tool_use", "id": id, "name": name, "input": {}}}),
                );
                for p in pieces(&input.to_string(), pieces_n) {
                    ev(
                        &mut events,
                        "content_block_delta",
                        json!({"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": p}}),
                    );
                }
            }
        }
        ev(
            &mut events,
            "content_block_stop",
            json!({"type": "content_block_stop", "index": i}),
        );
    }
    ev(
        &mut events,
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": output_tokens}}),
    );
    ev(&mut events, "message_stop", json!({"type": "message_stop"}));
    Answer::Stream {
        content_type: "text/event-stream; charset=utf-8",
        events,
    }
}
