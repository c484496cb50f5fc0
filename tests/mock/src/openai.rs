//! The OpenAI mock: Chat Completions (JSON and `data:`/`[DONE]` streams with tool-call
//! argument deltas and the usage chunk), Responses (JSON, typed event streams with sequence
//! numbers, stored-response retrieval), embeddings and models.

use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::{Answer, Call, Scenario, fidelity, pieces, sse, tokens, value_from_schema};

const CREATED: u64 = 1_767_225_600;

pub(crate) fn answer(call: &Call, s: &Scenario) -> Answer {
    let path = call.path.trim_start_matches("/v1");
    match (call.method, path) {
        ("POST", "/chat/completions") => chat(call, s),
        ("POST", "/responses") => responses(call, s),
        ("POST", "/embeddings") => embeddings(call),
        ("GET", "/models") => Answer::Json(
            StatusCode::OK,
            json!({"object": "list", "data": [model("gpt-4o"), model("gpt-4o-mini"), model("text-embedding-3-small")]}),
        ),
        ("GET", p) if p.starts_with("/models/") => {
            let id = &p["/models/".len()..];
            if id.starts_with("gpt-") || id.starts_with("text-embedding") {
                Answer::Json(StatusCode::OK, model(id))
            } else {
                not_found(&format!("The model `{id}` does not exist"))
            }
        }
        (method, p) if p.starts_with("/responses/") => stored_response(method, p),
        _ => not_found(&format!(
            "Unknown request URL: {} {}",
            call.method, call.path
        )),
    }
}

fn model(id: &str) -> Value {
    json!({"id": id, "object": "model", "created": CREATED, "owned_by": "system"})
}

fn not_found(message: &str) -> Answer {
    Answer::Json(
        StatusCode::NOT_FOUND,
        json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": "model_not_found"}}),
    )
}

/// What the assistant says or calls, from a Chat Completions or Responses request.
enum Reply {
    Text(String),
    Call { name: String, arguments: String },
}

/// The text of a message content (a string or parts).
fn content_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => {
            let mut out = Vec::new();
            for p in parts {
                match p.get("type").and_then(Value::as_str) {
                    Some("text" | "input_text" | "output_text") => out.push(
                        p.get("text")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                    ),
                    Some("image_url" | "input_image") => out.push("[image]".into()),
                    Some("file" | "input_file") => out.push("[document]".into()),
                    _ => {}
                }
            }
            out.join(" ")
        }
        _ => String::new(),
    }
}

fn chat_reply(body: &Value) -> Reply {
    let messages = body
        .get("messages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // A tool's result in the last turn (after the model's last message; a user's text may
    // follow it, as agents add reminders) is what the model answers.
    let result = messages
        .iter()
        .rev()
        .take_while(|m| m.get("role").and_then(Value::as_str) != Some("assistant"))
        .find(|m| m.get("role").and_then(Value::as_str) == Some("tool"));
    if let Some(result) = result {
        return Reply::Text(format!(
            "The tool said: {}",
            content_text(&result["content"])
        ));
    }
    let user = messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .map(|m| content_text(&m["content"]))
        .unwrap_or_default();
    if let Some(tool) = body.pointer("/tools/0/function") {
        let name = tool
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("tool")
            .to_owned();
        let args = value_from_schema(tool.get("parameters").unwrap_or(&json!({})), "Paris");
        return Reply::Call {
            name,
            arguments: args.to_string(),
        };
    }
    if let Some(schema) = body.pointer("/response_format/json_schema/schema") {
        return Reply::Text(value_from_schema(schema, &format!("Echo: {user}")).to_string());
    }
    Reply::Text(format!("Echo: {user}"))
}

/// The tier OpenAI says served a request: the one it asked for (`fast` is reported as
/// `priority`), else standard capacity (`default`).
fn served_tier(body: &Value) -> &'static str {
    match body.get("service_tier").and_then(Value::as_str) {
        Some("flex") => "flex",
        Some("priority" | "fast") => "priority",
        Some("scale") => "scale",
        _ => "default",
    }
}

fn chat(call: &Call, s: &Scenario) -> Answer {
    let body = &call.body;
    let model = body.get("model").and_then(Value::as_str).unwrap_or("");
    let stream = body.get("stream") == Some(&Value::Bool(true));
    if s.fidelity {
        return if stream {
            Answer::Raw(
                StatusCode::OK,
                "text/event-stream",
                Bytes::from_static(fidelity::OPENAI_CHAT_STREAM.as_bytes()),
            )
        } else {
            Answer::Raw(
                StatusCode::OK,
                "application/json",
                Bytes::from_static(fidelity::OPENAI_CHAT_JSON.as_bytes()),
            )
        };
    }
    if body.get("messages").and_then(Value::as_array).is_none() {
        return Answer::Json(
            StatusCode::BAD_REQUEST,
            json!({"error": {"message": "Missing required parameter: 'messages'.", "type": "invalid_request_error", "param": "messages", "code": "missing_required_parameter"}}),
        );
    }
    let id = format!("chatcmpl-mock{}", call.state.next_id());
    let reply = chat_reply(body);
    let prompt = tokens(&body["messages"].to_string());
    let usage = |completion: u64| {
        json!({"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
               "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}})
    };
    // Reasoning models of compatible providers (DeepSeek's `reasoning_content`) think
    // aloud when asked for an effort.
    let reasoning = body
        .get("reasoning_effort")
        .filter(|e| e.is_string())
        .map(|_| "Thinking it through.");
    if !stream {
        let (mut message, finish, completion) = match &reply {
            Reply::Text(t) => (
                json!({"role": "assistant", "content": t, "refusal": null, "annotations": []}),
                "stop",
                tokens(t),
            ),
            Reply::Call { name, arguments } => (
                json!({"role": "assistant", "content": null, "refusal": null, "tool_calls": [
                    {"id": format!("call_{id}"), "type": "function", "function": {"name": name, "arguments": arguments}}]}),
                "tool_calls",
                tokens(arguments),
            ),
        };
        if let Some(r) = reasoning {
            message["reasoning_content"] = json!(r);
        }
        return Answer::Json(
            StatusCode::OK,
            json!({"id": id, "object": "chat.completion", "created": CREATED, "model": model,
                   "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish}],
                   "usage": usage(completion), "service_tier": served_tier(body), "system_fingerprint": "fp_mock"}),
        );
    }
    let chunk = |delta: Value, finish: Value| {
        json!({"id": id, "object": "chat.completion.chunk", "created": CREATED, "model": model, "service_tier": served_tier(body),
               "system_fingerprint": "fp_mock", "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]})
    };
    let include_usage = body.pointer("/stream_options/include_usage") == Some(&Value::Bool(true));
    let with_usage = |mut v: Value| {
        if include_usage {
            v["usage"] = Value::Null;
        }
        v
    };
    let mut events = vec![sse(
        None,
        &with_usage(chunk(
            json!({"role": "assistant", "content": "", "refusal": null}),
            Value::Null,
        ))
        .to_string(),
        false,
    )];
    if let Some(r) = reasoning {
        for p in pieces(r, 2) {
            events.push(sse(
                None,
                &with_usage(chunk(json!({"reasoning_content": p}), Value::Null)).to_string(),
                false,
            ));
        }
    }
    let n = s.events.unwrap_or(4);
    let (finish, completion) = match &reply {
        Reply::Text(t) => {
            for p in pieces(t, n) {
                events.push(sse(
                    None,
                    &with_usage(chunk(json!({"content": p}), Value::Null)).to_string(),
                    false,
                ));
            }
            ("stop", tokens(t))
        }
        Reply::Call { name, arguments } => {
            events.push(sse(None, &with_usage(chunk(json!({"tool_calls": [{"index": 0, "id": format!("call_{id}"), "type": "function", "function": {"name": name, "arguments": ""}}]}), Value::Null)).to_string(), false));
            for p in pieces(arguments, n) {
                events.push(sse(
                    None,
                    &with_usage(chunk(
                        json!({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}),
                        Value::Null,
                    ))
                    .to_string(),
                    false,
                ));
            }
            ("tool_calls", tokens(arguments))
        }
    };
    events.push(sse(
        None,
        &with_usage(chunk(json!({}), json!(finish))).to_string(),
        false,
    ));
    if include_usage {
        let mut last = chunk(json!({}), Value::Null);
        last["choices"] = json!([]);
        last["usage"] = usage(completion);
        events.push(sse(None, &last.to_string(), false));
    }
    events.push(Bytes::from_static(b"data: [DONE]\n\n"));
    Answer::Stream {
        content_type: "text/event-stream; charset=utf-8",
        events,
    }
}

fn responses_reply(body: &Value) -> Reply {
    let input = body.get("input").cloned().unwrap_or(Value::Null);
    let items: Vec<Value> = match &input {
        Value::String(s) => vec![json!({"role": "user", "content": s})],
        Value::Array(a) => a.clone(),
        _ => Vec::new(),
    };
    // As for Chat: a result in the last turn, a user's text may follow it.
    let result = items
        .iter()
        .rev()
        .take_while(|i| {
            let kind = i.get("type").and_then(Value::as_str);
            kind != Some("function_call")
                && i.get("role").and_then(Value::as_str) != Some("assistant")
        })
        .find(|i| i.get("type").and_then(Value::as_str) == Some("function_call_output"));
    if let Some(last) = result {
        let out = match &last["output"] {
            Value::String(s) => s.clone(),
            other => content_text(other),
        };
        return Reply::Text(format!("The tool said: {out}"));
    }
    let user = items
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .map(|m| content_text(&m["content"]))
        .unwrap_or_default();
    if let Some(tool) = body
        .pointer("/tools/0")
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("function"))
    {
        let name = tool
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("tool")
            .to_owned();
        let args = value_from_schema(tool.get("parameters").unwrap_or(&json!({})), "Paris");
        return Reply::Call {
            name,
            arguments: args.to_string(),
        };
    }
    if let Some(schema) = body.pointer("/text/format/schema") {
        return Reply::Text(value_from_schema(schema, &format!("Echo: {user}")).to_string());
    }
    Reply::Text(format!("Echo: {user}"))
}

fn responses(call: &Call, s: &Scenario) -> Answer {
    let body = &call.body;
    let model = body.get("model").and_then(Value::as_str).unwrap_or("");
    let stream = body.get("stream") == Some(&Value::Bool(true));
    if s.fidelity && stream {
        return Answer::Raw(
            StatusCode::OK,
            "text/event-stream",
            Bytes::from_static(fidelity::OPENAI_RESPONSES_STREAM.as_bytes()),
        );
    }
    if let Some(error) = check_responses_input(body) {
        return Answer::Json(StatusCode::BAD_REQUEST, error);
    }
    let n = call.state.next_id();
    let id = format!("resp_mock{n}");
    let reply = responses_reply(body);
    let reasoning = responses_reasoning(body, n);
    let prompt = tokens(&body["input"].to_string());
    let (item, completion) = match &reply {
        Reply::Text(t) => (
            json!({"type": "message", "id": format!("msg_mock{n}"), "status": "completed", "role": "assistant",
                   "content": [{"type": "output_text", "text": t, "annotations": [], "logprobs": []}]}),
            tokens(t),
        ),
        Reply::Call { name, arguments } => (
            json!({"type": "function_call", "id": format!("fc_mock{n}"), "call_id": format!("call_mock{n}"),
                   "name": name, "arguments": arguments, "status": "completed"}),
            tokens(arguments),
        ),
    };
    let thought = if reasoning.is_some() {
        tokens(THOUGHT)
    } else {
        0
    };
    let completion = completion + thought;
    let usage = json!({"input_tokens": prompt, "input_tokens_details": {"cached_tokens": 0},
                       "output_tokens": completion, "output_tokens_details": {"reasoning_tokens": thought},
                       "total_tokens": prompt + completion});
    // The reasoning item comes first; the answer's item after it.
    let at = u64::from(reasoning.is_some());
    let output: Vec<Value> = reasoning.iter().cloned().chain([item.clone()]).collect();
    let response = |status: &str, output: Value, usage: Value| {
        let mut r = json!({"id": id, "object": "response", "created_at": CREATED, "status": status, "error": null,
               "incomplete_details": null, "instructions": body.get("instructions").cloned().unwrap_or(Value::Null),
               "model": model, "output": output, "parallel_tool_calls": true, "previous_response_id": null,
               "temperature": 1.0, "tool_choice": "auto", "tools": body.get("tools").cloned().unwrap_or(json!([])),
               "top_p": 1.0, "usage": usage, "metadata": body.get("metadata").cloned().unwrap_or(json!({})),
               "service_tier": served_tier(body), "truncation": "disabled",
               "text": {"format": {"type": "text"}}});
        // The settings the response object echoes, as the API does.
        for key in [
            "truncation",
            "max_tool_calls",
            "user",
            "safety_identifier",
            "prompt_cache_key",
            "prompt_cache_retention",
            "top_logprobs",
        ] {
            if let Some(v) = body.get(key) {
                r[key] = v.clone();
            }
        }
        r
    };
    if !stream {
        return Answer::Json(StatusCode::OK, response("completed", json!(output), usage));
    }
    let mut seq = 0u64;
    let mut events = Vec::new();
    let mut push = |events: &mut Vec<Bytes>, t: &str, mut v: Value| {
        v["type"] = json!(t);
        v["sequence_number"] = json!(seq);
        seq += 1;
        events.push(sse(Some(t), &v.to_string(), false));
    };
    push(
        &mut events,
        "response.created",
        json!({"response": response("in_progress", json!([]), Value::Null)}),
    );
    push(
        &mut events,
        "response.in_progress",
        json!({"response": response("in_progress", json!([]), Value::Null)}),
    );
    let pieces_n = s.events.unwrap_or(4);
    if let Some(r) = &reasoning {
        let item_id = r["id"].clone();
        push(
            &mut events,
            "response.output_item.added",
            json!({"output_index": 0, "item": {"type": "reasoning", "id": item_id, "summary": []}}),
        );
        if let Some(text) = r.pointer("/summary/0/text").and_then(Value::as_str) {
            let part = |t: &str| json!({"type": "summary_text", "text": t});
            push(
                &mut events,
                "response.reasoning_summary_part.added",
                json!({"item_id": item_id, "output_index": 0, "summary_index": 0, "part": part("")}),
            );
            for p in pieces(text, pieces_n) {
                push(
                    &mut events,
                    "response.reasoning_summary_text.delta",
                    json!({"item_id": item_id, "output_index": 0, "summary_index": 0, "delta": p}),
                );
            }
            push(
                &mut events,
                "response.reasoning_summary_text.done",
                json!({"item_id": item_id, "output_index": 0, "summary_index": 0, "text": text}),
            );
            push(
                &mut events,
                "response.reasoning_summary_part.done",
                json!({"item_id": item_id, "output_index": 0, "summary_index": 0, "part": part(text)}),
            );
        }
        push(
            &mut events,
            "response.output_item.done",
            json!({"output_index": 0, "item": r}),
        );
    }
    match &reply {
        Reply::Text(t) => {
            let item_id = item["id"].clone();
            let mut empty = item.clone();
            empty["status"] = json!("in_progress");
            empty["content"] = json!([]);
            push(
                &mut events,
                "response.output_item.added",
                json!({"output_index": at, "item": empty}),
            );
            push(
                &mut events,
                "response.content_part.added",
                json!({"item_id": item_id, "output_index": at, "content_index": 0, "part": {"type": "output_text", "text": "", "annotations": []}}),
            );
            for p in pieces(t, pieces_n) {
                push(
                    &mut events,
                    "response.output_text.delta",
                    json!({"item_id": item_id, "output_index": at, "content_index": 0, "delta": p, "logprobs": []}),
                );
            }
            push(
                &mut events,
                "response.output_text.done",
                json!({"item_id": item_id, "output_index": at, "content_index": 0, "text": t, "logprobs": []}),
            );
            push(
                &mut events,
                "response.content_part.done",
                json!({"item_id": item_id, "output_index": at, "content_index": 0, "part": {"type": "output_text", "text": t, "annotations": []}}),
            );
        }
        Reply::Call { arguments, .. } => {
            let item_id = item["id"].clone();
            let mut empty = item.clone();
            empty["status"] = json!("in_progress");
            empty["arguments"] = json!("");
            push(
                &mut events,
                "response.output_item.added",
                json!({"output_index": at, "item": empty}),
            );
            for p in pieces(arguments, pieces_n) {
                push(
                    &mut events,
                    "response.function_call_arguments.delta",
                    json!({"item_id": item_id, "output_index": at, "delta": p}),
                );
            }
            push(
                &mut events,
                "response.function_call_arguments.done",
                json!({"item_id": item_id, "output_index": at, "arguments": arguments}),
            );
        }
    }
    push(
        &mut events,
        "response.output_item.done",
        json!({"output_index": at, "item": item}),
    );
    push(
        &mut events,
        "response.completed",
        json!({"response": response("completed", json!(output), usage)}),
    );
    Answer::Stream {
        content_type: "text/event-stream; charset=utf-8",
        events,
    }
}

/// The mock's reasoning summary.
const THOUGHT: &str = "Let me think about this step by step.";

/// What starts the mock's encrypted reasoning state.
const ENCRYPTED: &str = "gAAAAB-mock-";

/// The reasoning item of a request that asks for reasoning: a summary when asked for one,
/// the encrypted state when `include` asks for it (as OpenAI does with `store: false`).
fn responses_reasoning(body: &Value, n: usize) -> Option<Value> {
    let effort = body.pointer("/reasoning/effort").and_then(Value::as_str)?;
    if effort == "none" {
        return None;
    }
    let summary = match body.pointer("/reasoning/summary").and_then(Value::as_str) {
        Some(_) => json!([{"type": "summary_text", "text": THOUGHT}]),
        None => json!([]),
    };
    let mut item = json!({"type": "reasoning", "id": format!("rs_mock{n}"), "summary": summary});
    let include = body.get("include").and_then(Value::as_array);
    if include.is_some_and(|i| i.iter().any(|v| v == "reasoning.encrypted_content")) {
        item["encrypted_content"] = json!(format!("{ENCRYPTED}{n:08}"));
    }
    Some(item)
}

/// OpenAI's checks on input items: reasoning items need their id and summary, and (when
/// nothing is stored) the encrypted state OpenAI issued; a call output needs its call.
fn check_responses_input(body: &Value) -> Option<Value> {
    let error = |message: String, param: String| json!({"error": {"message": message, "type": "invalid_request_error", "param": param, "code": null}});
    let stored = body.get("store") != Some(&Value::Bool(false));
    let mut calls = Vec::new();
    for (i, item) in body
        .get("input")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        match item.get("type").and_then(Value::as_str) {
            Some("reasoning") => {
                let Some(id) = item.get("id").and_then(Value::as_str) else {
                    return Some(error(
                        format!("Missing required parameter: 'input[{i}].id'."),
                        format!("input[{i}].id"),
                    ));
                };
                if !item.get("summary").is_some_and(Value::is_array) {
                    return Some(error(
                        format!("Missing required parameter: 'input[{i}].summary'."),
                        format!("input[{i}].summary"),
                    ));
                }
                match item.get("encrypted_content").and_then(Value::as_str) {
                    Some(e) if !e.starts_with(ENCRYPTED) => {
                        return Some(error(
                            format!("The encrypted content for item {id} could not be verified."),
                            format!("input[{i}].encrypted_content"),
                        ));
                    }
                    None if !stored => {
                        return Some(error(
                            format!(
                                "Item with id '{id}' not found. Items are not persisted when `store` is set to false."
                            ),
                            format!("input[{i}]"),
                        ));
                    }
                    _ => {}
                }
            }
            Some("function_call") => {
                calls.push(item.get("call_id").and_then(Value::as_str).unwrap_or(""));
            }
            Some("function_call_output") => {
                let id = item.get("call_id").and_then(Value::as_str).unwrap_or("");
                // With a previous response the call may be in it.
                if !calls.contains(&id) && body.get("previous_response_id").is_none() {
                    return Some(error(
                        format!("No tool call found for function call output with call_id {id}."),
                        format!("input[{i}]"),
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// Retrieve, delete, cancel and input items of a stored response.
fn stored_response(method: &str, path: &str) -> Answer {
    let rest = &path["/responses/".len()..];
    let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
    let stored = |status: &str| {
        json!({"id": id, "object": "response", "created_at": CREATED, "status": status, "model": "gpt-4o",
               "output": [{"type": "message", "id": "msg_stored", "status": "completed", "role": "assistant",
                           "content": [{"type": "output_text", "text": "stored answer", "annotations": []}]}],
               "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3}})
    };
    match (method, action) {
        ("GET", "") => Answer::Json(StatusCode::OK, stored("completed")),
        ("DELETE", "") => Answer::Json(
            StatusCode::OK,
            json!({"id": id, "object": "response", "deleted": true}),
        ),
        ("POST", "cancel") => Answer::Json(StatusCode::OK, stored("cancelled")),
        ("GET", "input_items") => Answer::Json(
            StatusCode::OK,
            json!({"object": "list", "data": [{"type": "message", "id": "msg_in", "role": "user", "status": "completed",
                                              "content": [{"type": "input_text", "text": "hello"}]}],
                   "first_id": "msg_in", "last_id": "msg_in", "has_more": false}),
        ),
        _ => not_found(&format!("No response found with id '{id}'.")),
    }
}

fn embeddings(call: &Call) -> Answer {
    let body = &call.body;
    let inputs: Vec<String> = match body.get("input") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_owned())
            .collect(),
        _ => {
            return Answer::Json(
                StatusCode::BAD_REQUEST,
                json!({"error": {"message": "'input' is a required property", "type": "invalid_request_error", "param": "input", "code": null}}),
            );
        }
    };
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let l = t.len() as f64;
            json!({"object": "embedding", "index": i, "embedding": [0.125, l / 100.0, -0.5]})
        })
        .collect();
    let n: u64 = inputs.iter().map(|t| tokens(t)).sum();
    Answer::Json(
        StatusCode::OK,
        json!({"object": "list", "data": data, "model": body.get("model").cloned().unwrap_or(Value::Null),
               "usage": {"prompt_tokens": n, "total_tokens": n}}),
    )
}
