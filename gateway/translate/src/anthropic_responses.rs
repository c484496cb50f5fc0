//! Anthropic Messages caller → OpenAI Responses API upstream.
//!
//! Request: `system` → `instructions`; user text, image (base64 and URL) and PDF document
//! blocks → `input_text`, `input_image`, `input_file`; `tool_result` blocks →
//! `function_call_output` items (text, or text and image parts); assistant text →
//! assistant messages, `tool_use` → `function_call` items, thinking and redacted thinking
//! blocks whose signature carries a Responses reasoning item → that item; custom tools →
//! function tools, `tool_choice` (auto / any / tool / none, `disable_parallel_tool_use`),
//! `thinking` → `reasoning.effort` by budget (summaries shown as thinking text),
//! `output_config.format` → `text.format` (strict), `max_tokens` → `max_output_tokens`,
//! `metadata.user_id` → `user`. `cache_control`, `top_k`, `stop_sequences`, server tools
//! and `is_error` have no counterpart and are reported.
//!
//! Response and stream: [`crate::answer::anthropic::AnthropicWriter`] via
//! [`crate::responses_upstream::Reader`].

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::answer::anthropic::AnthropicWriter;
use crate::responses_upstream::{Caller, RequestBuilder, ToResponses};
use crate::{Cx, TranslateError, escape};

const READ: &[&str] = &[
    "model",
    "messages",
    "system",
    "max_tokens",
    "temperature",
    "top_p",
    "stream",
    "tools",
    "tool_choice",
    "thinking",
    "metadata",
    "output_config",
];

/// A base64 or URL image / document source → the Responses part.
fn media(block: &Value, at: &str, cx: &mut Cx) -> Result<Option<Value>, TranslateError> {
    let source = block.get("source").unwrap_or(&Value::Null);
    let s = |k: &str| source.get(k).and_then(Value::as_str).unwrap_or("");
    let image = block.get("type").and_then(Value::as_str) == Some("image");
    // A document's title is the file's name, as from Anthropic to Chat.
    let title = block.get("title").and_then(Value::as_str);
    if title.is_some() && (image || s("type") == "text") {
        cx.lose(format!("{at}/title"))?;
    }
    Ok(Some(match (image, s("type")) {
        (true, "base64") => {
            json!({"type": "input_image", "image_url": format!("data:{};base64,{}", s("media_type"), s("data")), "detail": "auto"})
        }
        (true, "url") => json!({"type": "input_image", "image_url": s("url"), "detail": "auto"}),
        (false, "base64") => json!({"type": "input_file",
            "filename": title.unwrap_or("document.pdf"),
            "file_data": format!("data:{};base64,{}", s("media_type"), s("data"))}),
        (false, "url") => {
            let mut f = json!({"type": "input_file", "file_url": s("url")});
            if let Some(t) = title {
                f["filename"] = json!(t);
            }
            f
        }
        (false, "text") => json!({"type": "input_text", "text": s("data")}),
        _ => {
            cx.lose(at.to_owned())?;
            return Ok(None);
        }
    }))
}

/// Reports what a result's image or document sets that a Responses part has no place for
/// (`anthropic_caller::lose_unread` reports the same of the message's own blocks).
fn lose_unplaced(block: &Value, at: &str, cx: &mut Cx) -> Result<(), TranslateError> {
    let set = |k: &str| block.get(k).is_some_and(|v| !v.is_null());
    let cited = block
        .get("citations")
        .and_then(|c| c.get("enabled"))
        .is_some_and(|e| *e == Value::Bool(true));
    for (key, lost) in [
        ("citations", cited),
        ("context", set("context")),
        ("transformations", set("transformations")),
    ] {
        if lost {
            cx.lose(format!("{at}/{key}"))?;
        }
    }
    Ok(())
}

fn lose_cache_control(block: &Value, at: &str, cx: &mut Cx) -> Result<(), TranslateError> {
    if block.get("cache_control").is_some_and(|c| !c.is_null()) {
        cx.lose(format!("{at}/cache_control"))?;
    }
    Ok(())
}

/// A `tool_result`'s content → the call output (a string, or parts with images).
fn tool_output(block: &Value, at: &str, cx: &mut Cx) -> Result<Value, TranslateError> {
    if block.get("is_error") == Some(&Value::Bool(true)) {
        cx.lose(format!("{at}/is_error"))?;
    }
    Ok(match block.get("content") {
        None | Some(Value::Null) => Value::String(String::new()),
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Array(items)) => {
            let mut parts = Vec::new();
            for (k, c) in items.iter().enumerate() {
                let here = format!("{at}/content/{k}");
                match c.get("type").and_then(Value::as_str) {
                    Some("text") => parts.push(json!({"type": "input_text", "text": c.get("text").and_then(Value::as_str).unwrap_or("")})),
                    Some("image" | "document") => {
                        lose_unplaced(c, &here, cx)?;
                        parts.extend(media(c, &here, cx)?);
                    }
                    _ => cx.lose(here)?,
                }
            }
            match parts.as_slice() {
                [p] if p["type"] == "input_text" => p["text"].clone(),
                _ => Value::Array(parts),
            }
        }
        Some(_) => {
            return Err(TranslateError::Invalid(format!(
                "{at}/content is not text or blocks"
            )));
        }
    })
}

/// The Responses request for a Messages request.
pub fn request(
    req: &Map<String, Value>,
    model: &str,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    use crate::tier::{self, Family, Mapped};
    let tier = req
        .get("service_tier")
        .and_then(Value::as_str)
        .map(|word| tier::map(word, Family::Anthropic, Family::OpenAi));
    for key in req.keys().filter(|k| !READ.contains(&k.as_str())) {
        // The service tier, reported in its place when the Responses API has no word for
        // it.
        if key == "service_tier" && tier.is_some_and(|t| t != Mapped::Lost) {
            continue;
        }
        if !req[key].is_null() {
            cx.lose(format!("/{}", escape(key)))?;
        }
    }
    let stream = req.get("stream") == Some(&Value::Bool(true));
    let mut b = RequestBuilder::new(model, stream);
    match req.get("system") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => b.instructions.push(s.clone()),
        Some(Value::Array(blocks)) => {
            for (j, s) in blocks.iter().enumerate() {
                if s.get("type").is_some_and(|t| t != "text") {
                    cx.lose(format!("/system/{j}"))?;
                    continue;
                }
                lose_cache_control(s, &format!("/system/{j}"), cx)?;
                if s.get("citations")
                    .is_some_and(|c| !c.is_null() && c != &json!([]))
                {
                    cx.lose(format!("/system/{j}/citations"))?;
                }
                b.instructions.push(
                    s.get("text")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                );
            }
        }
        Some(_) => {
            return Err(TranslateError::Invalid(
                "`system` is not text or blocks".into(),
            ));
        }
    }
    let messages = req
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| TranslateError::Invalid("`messages` is required".into()))?;
    for (i, m) in messages.iter().enumerate() {
        let at = format!("/messages/{i}");
        let role = m.get("role").and_then(Value::as_str).unwrap_or("");
        let blocks: Vec<Value> = match m.get("content") {
            Some(Value::String(s)) => vec![json!({"type": "text", "text": s})],
            Some(Value::Array(a)) => a.clone(),
            _ => {
                return Err(TranslateError::Invalid(format!(
                    "{at}/content is not text or blocks"
                )));
            }
        };
        let mut user = Vec::new();
        for (j, block) in blocks.iter().enumerate() {
            let here = format!("{at}/content/{j}");
            lose_cache_control(block, &here, cx)?;
            let s = |k: &str| block.get(k).and_then(Value::as_str).unwrap_or("");
            match (role, s("type")) {
                ("user", "text") => user.push(json!({"type": "input_text", "text": s("text")})),
                ("user", "image" | "document") => user.extend(media(block, &here, cx)?),
                ("user", "tool_result") => {
                    // Outputs go before the user's text of the same turn.
                    b.message("user", std::mem::take(&mut user));
                    let output = tool_output(block, &here, cx)?;
                    b.call_output(s("tool_use_id"), output);
                }
                ("assistant", "text") => b.assistant_text(s("text")),
                ("assistant", "tool_use") => {
                    let input = block.get("input").cloned().unwrap_or_else(|| json!({}));
                    b.call(s("id"), s("name"), input.to_string());
                }
                ("assistant", "thinking") => {
                    if !b.reasoning(s("signature"), s("thinking")) {
                        cx.lose(here)?;
                    }
                }
                ("assistant", "redacted_thinking") => {
                    if !b.reasoning(s("data"), "") {
                        cx.lose(here)?;
                    }
                }
                ("user" | "assistant", _) => cx.lose(here)?,
                _ => {
                    return Err(TranslateError::Invalid(format!(
                        "{at}/role must be user or assistant"
                    )));
                }
            }
        }
        b.message("user", user);
    }
    for key in ["temperature", "top_p"] {
        if let Some(v) = req.get(key).filter(|v| !v.is_null()) {
            b.set(key, v.clone());
        }
    }
    if let Some(max) = req.get("max_tokens").filter(|v| !v.is_null()) {
        b.set("max_output_tokens", max.clone());
    }
    for (i, t) in req
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let custom = matches!(t.get("type").and_then(Value::as_str), None | Some("custom"));
        if !custom {
            cx.lose(format!("/tools/{i}"))?;
            continue;
        }
        lose_cache_control(t, &format!("/tools/{i}"), cx)?;
        b.function_tool(
            t.get("name").and_then(Value::as_str).unwrap_or(""),
            t.get("description").and_then(Value::as_str),
            t.get("input_schema")
                .cloned()
                .unwrap_or_else(|| json!({"type": "object"})),
        );
        if t.get("strict") == Some(&Value::Bool(true))
            && let Some(last) = b
                .body
                .get_mut("tools")
                .and_then(Value::as_array_mut)
                .and_then(|a| a.last_mut())
        {
            last["strict"] = Value::Bool(true);
        }
    }
    if let Some(c) = req.get("tool_choice").filter(|v| !v.is_null()) {
        let choice = match c.get("type").and_then(Value::as_str) {
            Some("auto") => json!("auto"),
            Some("any") => json!("required"),
            Some("none") => json!("none"),
            Some("tool") => {
                json!({"type": "function", "name": c.get("name").and_then(Value::as_str).unwrap_or("")})
            }
            _ => {
                cx.lose("/tool_choice")?;
                Value::Null
            }
        };
        if !choice.is_null() {
            b.set("tool_choice", choice);
        }
        // `none` has no such switch: there it is an unknown field, reported as one.
        if c.get("disable_parallel_tool_use") == Some(&Value::Bool(true))
            && c.get("type").and_then(Value::as_str) != Some("none")
        {
            b.set("parallel_tool_calls", Value::Bool(false));
        }
    }
    if let Some(Mapped::Sent(word)) = tier {
        b.set("service_tier", json!(word));
    }
    let thinking = req.get("thinking").unwrap_or(&Value::Null);
    match thinking.get("type").and_then(Value::as_str) {
        Some("enabled") => {
            let budget = thinking
                .get("budget_tokens")
                .and_then(Value::as_i64)
                .unwrap_or(4096);
            let effort = serde_json::to_value(crate::anthropic_openai::effort_for(budget))
                .unwrap_or(json!("medium"));
            b.effort(effort.as_str().unwrap_or("medium"), true);
        }
        Some("adaptive") => b.effort("medium", true),
        // Thinking turned off sends nothing (`none` is refused by models that do not
        // reason).
        Some("disabled") | None => {}
        Some(_) => cx.lose("/thinking")?,
    }
    if let Some(config) = req.get("output_config").and_then(Value::as_object) {
        for (k, v) in config {
            match k.as_str() {
                "format" if v.get("type").and_then(Value::as_str) == Some("json_schema") => {
                    let schema = v.get("schema").cloned().unwrap_or_else(|| json!({}));
                    b.json_format(Some(("output".into(), schema, true)));
                }
                "effort" if v.is_string() => {
                    let shows = b.body.contains_key("reasoning");
                    b.effort(v.as_str().unwrap_or("medium"), shows);
                }
                _ if v.is_null() => {}
                _ => cx.lose(format!("/output_config/{}", escape(k)))?,
            }
        }
    }
    if let Some(meta) = req.get("metadata").and_then(Value::as_object) {
        for (k, v) in meta {
            match (k.as_str(), v) {
                ("user_id", Value::String(u)) => b.set("user", Value::String(u.clone())),
                (_, Value::Null) => {}
                _ => cx.lose(format!("/metadata/{}", escape(k)))?,
            }
        }
    }
    Ok(b.finish())
}

/// The Anthropic Messages caller.
#[derive(Debug, Default)]
pub struct Messages;

impl Caller for Messages {
    type Writer = AnthropicWriter;
    const FAMILY: crate::tier::Family = crate::tier::Family::Anthropic;

    fn request(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Result<(Value, AnthropicWriter), TranslateError> {
        let (req, typed) =
            crate::build::checked_object::<aigw_anthropic::CreateMessageParams>(body)?;
        let unknown = crate::Unknowns::unknowns(&typed);
        let out = request(&req, model, cx)?;
        let reads = crate::anthropic_caller::Reads {
            document_title: true,
            strict_tools: true,
            parallel_switch: true,
            effort: true,
        };
        crate::anthropic_caller::lose_unread(&typed, &reads, cx)?;
        cx.lose_unknown(&unknown, crate::read::ANTHROPIC)?;
        let caller_model = req.get("model").and_then(Value::as_str).unwrap_or("");
        let stream = req.get("stream") == Some(&Value::Bool(true));
        Ok((out, AnthropicWriter::new(caller_model, stream)))
    }

    fn plain(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Option<(Vec<u8>, bool, AnthropicWriter)> {
        use crate::plain;
        let p = plain::anthropic(body)?;
        let stream = p.stream == Some(true);
        let out = plain::to_responses(&p, model, plain::SystemAs::Instructions, stream)?;
        plain::report_losses(&p, plain::LossesTo::Responses, cx)?;
        let writer = AnthropicWriter::new(&plain::caller_model(&p), stream);
        Some((out, stream, writer))
    }

    fn error(&self, status: u16, body: &[u8]) -> Bytes {
        crate::anthropic_openai::error(status, body)
    }
}

/// The Anthropic-caller / Responses-upstream translator.
pub type MessagesToResponses = ToResponses<Messages>;

/// A translator for one request.
pub fn translator(strict: bool) -> MessagesToResponses {
    ToResponses::new(Messages, strict)
}
