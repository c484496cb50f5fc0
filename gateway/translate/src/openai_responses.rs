//! OpenAI Chat Completions caller → OpenAI Responses API upstream (for models served only
//! there, or a provider configured with `api = "responses"`).
//!
//! Request: system and developer messages stay messages of their role; user content parts
//! → `input_text`, `input_image` (with `detail`), `input_file`; assistant text → assistant
//! messages, `tool_calls` → `function_call` items, signed `thinking_blocks` → reasoning
//! items; tool messages → `function_call_output`; function tools, `tool_choice`,
//! `parallel_tool_calls`, `response_format` → `text.format`, `verbosity` →
//! `text.verbosity`, `reasoning_effort` → `reasoning.effort` (summaries asked for, shown
//! as `reasoning_content`), `max_completion_tokens` / `max_tokens` → `max_output_tokens`,
//! and the fields both sides have under one name. `n` > 1 is refused; `stop`, `seed`,
//! penalties, `logit_bias`, `logprobs`, audio and `prediction` have no counterpart and are
//! reported.
//!
//! Response and stream: [`crate::answer::chat::ChatWriter`] via
//! [`crate::responses_upstream::Reader`].

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::answer::chat::ChatWriter;
use crate::responses_upstream::{Caller, RequestBuilder, ToResponses};
use crate::{Cx, TranslateError, escape};

/// Fields carried under the same name.
const SAME: &[&str] = &[
    "temperature",
    "top_p",
    "parallel_tool_calls",
    "user",
    "safety_identifier",
    "prompt_cache_key",
    "prompt_cache_retention",
    "metadata",
    "store",
    "service_tier",
];

/// Fields read by the mapping (or harmless at their default).
const READ: &[&str] = &[
    "model",
    "messages",
    "stream",
    "stream_options",
    "max_tokens",
    "max_completion_tokens",
    "tools",
    "tool_choice",
    "response_format",
    "reasoning_effort",
    "verbosity",
    "n",
    "modalities",
];

/// The text of an assistant or tool message's content (its text and refusal parts); other
/// parts, and cache breakpoints (the Responses API has none), are reported.
fn text_of(content: &Value, at: &str, cx: &mut Cx) -> Result<String, TranslateError> {
    Ok(match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => {
            let mut text = String::new();
            for (j, p) in parts.iter().enumerate() {
                let here = format!("{at}/content/{j}");
                if p.get("prompt_cache_breakpoint")
                    .is_some_and(|b| !b.is_null())
                {
                    cx.lose(format!("{here}/prompt_cache_breakpoint"))?;
                }
                let key = match p.get("type").and_then(Value::as_str) {
                    Some("text") => "text",
                    Some("refusal") => "refusal",
                    _ => {
                        cx.lose(here)?;
                        continue;
                    }
                };
                text.push_str(p.get(key).and_then(Value::as_str).unwrap_or(""));
            }
            text
        }
        _ => String::new(),
    })
}

/// A user / system / developer message's content as Responses input parts.
fn parts(content: &Value, at: &str, cx: &mut Cx) -> Result<Vec<Value>, TranslateError> {
    let mut out = Vec::new();
    match content {
        Value::String(s) => out.push(json!({"type": "input_text", "text": s})),
        Value::Array(items) => {
            for (j, p) in items.iter().enumerate() {
                let here = format!("{at}/content/{j}");
                if p.get("prompt_cache_breakpoint")
                    .is_some_and(|b| !b.is_null())
                {
                    cx.lose(format!("{here}/prompt_cache_breakpoint"))?;
                }
                // A part whose text or URL is not a string (which the generated types
                // read as a part they do not know) is reported, as the typed pairs do.
                let text = p.get("text").and_then(Value::as_str);
                let url = p.pointer("/image_url/url").and_then(Value::as_str);
                match p.get("type").and_then(Value::as_str) {
                    Some("text") if text.is_some() => {
                        out.push(json!({"type": "input_text", "text": text}));
                    }
                    Some("image_url") if url.is_some() => {
                        let detail = p
                            .pointer("/image_url/detail")
                            .and_then(Value::as_str)
                            .unwrap_or("auto");
                        out.push(
                            json!({"type": "input_image", "image_url": url, "detail": detail}),
                        );
                    }
                    Some("file") => {
                        let mut f = json!({"type": "input_file"});
                        for k in ["file_data", "file_id", "filename"] {
                            if let Some(v) =
                                p.pointer(&format!("/file/{k}")).filter(|v| !v.is_null())
                            {
                                f[k] = v.clone();
                            }
                        }
                        out.push(f);
                    }
                    _ => cx.lose(here)?,
                }
            }
        }
        Value::Null => {}
        _ => {
            return Err(TranslateError::Invalid(format!(
                "{at}/content is not text or parts"
            )));
        }
    }
    Ok(out)
}

/// The Responses request for a Chat Completions request.
pub fn request(
    req: &Map<String, Value>,
    model: &str,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    for key in req.keys() {
        if !SAME.contains(&key.as_str()) && !READ.contains(&key.as_str()) {
            match req.get(key) {
                // Absent-equivalent values of fields with no counterpart lose nothing.
                Some(Value::Null | Value::Bool(false)) => {}
                Some(Value::Array(a)) if a.is_empty() => {}
                _ => cx.lose(format!("/{}", escape(key)))?,
            }
        }
    }
    if let Some(n) = req.get("n").and_then(Value::as_i64)
        && n > 1
    {
        return Err(TranslateError::Unsupported(format!(
            "n = {n}: the Responses API returns one answer per request"
        )));
    }
    if let Some(m) = req.get("modalities").and_then(Value::as_array)
        && m.iter().any(|v| v != "text")
    {
        cx.lose("/modalities")?;
    }
    let stream = req.get("stream") == Some(&Value::Bool(true));
    let mut b = RequestBuilder::new(model, stream);
    let messages = req
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| TranslateError::Invalid("`messages` is required".into()))?;
    for (i, m) in messages.iter().enumerate() {
        let at = format!("/messages/{i}");
        let role = m.get("role").and_then(Value::as_str).unwrap_or("");
        let content = m.get("content").unwrap_or(&Value::Null);
        let known: &[&str] = match role {
            "assistant" => &[
                "role",
                "content",
                "tool_calls",
                "refusal",
                "reasoning_content",
                "thinking_blocks",
            ],
            "tool" => &["role", "content", "tool_call_id"],
            _ => &["role", "content"],
        };
        if let Some(obj) = m.as_object() {
            for k in obj.keys().filter(|k| !known.contains(&k.as_str())) {
                if !obj[k].is_null() {
                    cx.lose(format!("{at}/{}", escape(k)))?;
                }
            }
        }
        match role {
            "system" | "developer" | "user" => {
                let p = parts(content, &at, cx)?;
                b.message(role, p);
            }
            "assistant" => {
                crate::build::lose_thinking_block_fields(m.get("thinking_blocks"), &at, cx)?;
                let blocks = m.get("thinking_blocks").and_then(Value::as_array);
                for (j, t) in blocks.into_iter().flatten().enumerate() {
                    let sig = t
                        .get("signature")
                        .or_else(|| t.get("data"))
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let summary = t.get("thinking").and_then(Value::as_str).unwrap_or("");
                    if !b.reasoning(sig, summary) {
                        cx.lose(format!("{at}/thinking_blocks/{j}"))?;
                    }
                }
                if blocks.is_none()
                    && m.get("reasoning_content")
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.is_empty())
                {
                    // Reasoning text without its signed state cannot go back to OpenAI.
                    cx.lose(format!("{at}/reasoning_content"))?;
                }
                b.assistant_text(&text_of(content, &at, cx)?);
                if let Some(r) = m.get("refusal").and_then(Value::as_str) {
                    b.assistant_text(r);
                }
                for (j, call) in m
                    .get("tool_calls")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    if call
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("function")
                        != "function"
                    {
                        cx.lose(format!("{at}/tool_calls/{j}"))?;
                        continue;
                    }
                    let s = |p: &str| call.pointer(p).and_then(Value::as_str).unwrap_or("");
                    b.call(
                        s("/id"),
                        s("/function/name"),
                        s("/function/arguments").to_owned(),
                    );
                }
            }
            "tool" => {
                let id = m.get("tool_call_id").and_then(Value::as_str).unwrap_or("");
                b.call_output(id, Value::String(text_of(content, &at, cx)?));
            }
            // A `function` message (the legacy calls) or another role: lost whole.
            _ => cx.lose(at)?,
        }
    }
    for key in SAME {
        if let Some(v) = req.get(*key).filter(|v| !v.is_null()) {
            b.set(key, v.clone());
        }
    }
    if let Some(max) = req
        .get("max_completion_tokens")
        .filter(|v| !v.is_null())
        .or_else(|| req.get("max_tokens").filter(|v| !v.is_null()))
    {
        b.set("max_output_tokens", max.clone());
    }
    for (i, t) in req
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if t.get("type").and_then(Value::as_str) != Some("function") {
            cx.lose(format!("/tools/{i}"))?;
            continue;
        }
        let f = t.get("function").unwrap_or(&Value::Null);
        b.function_tool(
            f.get("name").and_then(Value::as_str).unwrap_or(""),
            f.get("description").and_then(Value::as_str),
            f.get("parameters")
                .cloned()
                .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
        );
        if let Some(strict) = f.get("strict").and_then(Value::as_bool)
            && let Some(last) = b
                .body
                .get_mut("tools")
                .and_then(Value::as_array_mut)
                .and_then(|a| a.last_mut())
        {
            last["strict"] = Value::Bool(strict);
        }
    }
    match req.get("tool_choice") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => b.set("tool_choice", Value::String(s.clone())),
        Some(c) if c.get("type").and_then(Value::as_str) == Some("function") => {
            let name = c
                .pointer("/function/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            b.set("tool_choice", json!({"type": "function", "name": name}));
        }
        Some(_) => cx.lose("/tool_choice")?,
    }
    match req.get("response_format") {
        None | Some(Value::Null) => {}
        Some(f) => match f.get("type").and_then(Value::as_str) {
            Some("json_schema") => {
                let s = f.get("json_schema").unwrap_or(&Value::Null);
                b.json_format(Some((
                    s.get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("output")
                        .to_owned(),
                    s.get("schema").cloned().unwrap_or_else(|| json!({})),
                    s.get("strict").and_then(Value::as_bool).unwrap_or(false),
                )));
                if let Some(d) = s.get("description").filter(|d| !d.is_null()) {
                    b.body["text"]["format"]["description"] = d.clone();
                }
            }
            Some("json_object") => b.json_format(None),
            Some("text") => {}
            _ => cx.lose("/response_format")?,
        },
    }
    if let Some(options) = req.get("stream_options").and_then(Value::as_object) {
        for (k, v) in options {
            match k.as_str() {
                // Answered by the writer: the Responses API always reports usage.
                "include_usage" => {}
                "include_obfuscation" => {
                    b.set("stream_options", json!({"include_obfuscation": v}));
                }
                _ if v.is_null() => {}
                _ => cx.lose(format!("/stream_options/{}", escape(k)))?,
            }
        }
    }
    if let Some(v) = req.get("verbosity").filter(|v| !v.is_null()) {
        b.body.entry("text").or_insert_with(|| json!({}))["verbosity"] = v.clone();
    }
    if let Some(e) = req.get("reasoning_effort").and_then(Value::as_str) {
        b.effort(e, true);
    }
    Ok(b.finish())
}

/// The Chat Completions caller.
#[derive(Debug, Default)]
pub struct Chat;

impl Caller for Chat {
    type Writer = ChatWriter;
    const FAMILY: crate::tier::Family = crate::tier::Family::OpenAi;

    fn request(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Result<(Value, ChatWriter), TranslateError> {
        let (req, typed) =
            crate::build::checked_object::<aigw_openai::CreateChatCompletionRequest>(body)?;
        let unknown = crate::Unknowns::unknowns(&typed);
        let out = request(&req, model, cx)?;
        cx.lose_unknown(&unknown, crate::read::CHAT)?;
        let caller_model = req.get("model").and_then(Value::as_str).unwrap_or("");
        let stream = req.get("stream") == Some(&Value::Bool(true));
        let include_usage = req
            .get("stream_options")
            .and_then(|o| o.get("include_usage"))
            == Some(&Value::Bool(true));
        Ok((out, ChatWriter::new(caller_model, stream, include_usage)))
    }

    fn plain(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Option<(Vec<u8>, bool, ChatWriter)> {
        use crate::plain;
        let p = plain::chat(body)?;
        let stream = p.stream == Some(true);
        let out = plain::to_responses(&p, model, plain::SystemAs::Message, stream)?;
        plain::report_openai_losses(&p, plain::LossesTo::Responses, cx)?;
        let include_usage = p.include_usage == Some(true);
        let writer = ChatWriter::new(&plain::caller_model(&p), stream, include_usage);
        Some((out, stream, writer))
    }

    fn error(&self, status: u16, body: &[u8]) -> Bytes {
        // The same error shape: kept as it is when it is one.
        match serde_json::from_slice::<Value>(body) {
            Ok(v) if v.pointer("/error/message").is_some_and(Value::is_string) => {
                Bytes::copy_from_slice(body)
            }
            _ => crate::responses::error_body(status, body),
        }
    }
}

/// The Chat-caller / Responses-upstream translator.
pub type ChatToResponses = ToResponses<Chat>;

/// A translator for one request.
pub fn translator(strict: bool) -> ChatToResponses {
    ToResponses::new(Chat, strict)
}
