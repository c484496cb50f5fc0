//! OpenAI Responses caller → Anthropic Messages upstream.
//!
//! Request: `instructions`, system and developer messages → `system`; user messages →
//! text, image and PDF blocks (a file by a URL that names a PDF → a document by URL);
//! assistant messages → text blocks; `function_call` items →
//! `tool_use` blocks, `function_call_output` items → `tool_result` blocks; a reasoning item
//! whose `encrypted_content` holds an Anthropic signature (`an:` + it, as this pair wrote
//! it) → a thinking block with it (a redacted block travels as `rd:` + its data; another
//! provider's state is reported, see [`Sealed`]); function tools, `tool_choice`,
//! `parallel_tool_calls: false`, `text.format` json_schema → `output_config.format`,
//! `reasoning.effort` → a thinking budget, `max_output_tokens` → `max_tokens`.
//!
//! Response and stream: thinking → reasoning items (summary text; `an:` + the signature
//! as `encrypted_content`), text → message items, `tool_use` → `function_call` items, via
//! [`crate::responses::Writer`]; `max_tokens` and `refusal` stops → `incomplete`.

use aigw_anthropic as an;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::openai_gemini::pdf_url;
use crate::responses::{self, Choice, Item, Part, Writer};
use crate::sealed::Sealed;
use crate::tier::{Family, served_by_anthropic};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, parse_data_url};

/// Output tokens asked for when the caller sets no limit (Anthropic requires one).
pub const DEFAULT_MAX_TOKENS: i64 = 4096;

fn budget(effort: &str) -> i64 {
    match effort {
        "minimal" | "low" => 1024,
        "medium" => 4096,
        "high" => 16384,
        _ => 32768,
    }
}

fn push(turns: &mut Vec<Value>, role: &str, items: Vec<Value>) {
    crate::build::push_json_turn(turns, role, "content", items);
}

/// A message's content (or a function call output's parts, at `at`) as blocks; what has
/// no block reported at `{at}/{j}`.
fn blocks_of(content: &Value, at: &str, cx: &mut Cx) -> Result<Vec<Value>, TranslateError> {
    let mut out = Vec::new();
    for (j, p) in responses::parts(content).into_iter().enumerate() {
        match p {
            Part::Text(t) => out.push(json!({"type": "text", "text": t})),
            Part::Image(url, _) => match parse_data_url(&url) {
                Some((media, data)) => out.push(json!({"type": "image", "source": {"type": "base64", "media_type": media, "data": data}})),
                None => out.push(json!({"type": "image", "source": {"type": "url", "url": url}})),
            },
            Part::File { data, filename } => match parse_data_url(&data) {
                Some(("application/pdf", d)) => {
                    let mut doc = json!({"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": d}});
                    // The file's name is the document's title, as from Chat callers.
                    if let Some(name) = filename {
                        doc["title"] = Value::String(name);
                    }
                    out.push(doc)
                }
                _ => cx.lose(format!("{at}/{j}"))?,
            },
            // A PDF by URL is Anthropic's URL source; another file by URL has no type.
            Part::FileUrl { url, filename } if pdf_url(&url) => {
                let mut doc = json!({"type": "document", "source": {"type": "url", "url": url}});
                if let Some(name) = filename {
                    doc["title"] = Value::String(name);
                }
                out.push(doc)
            }
            Part::FileUrl { .. } | Part::Other => cx.lose(format!("{at}/{j}"))?,
        }
    }
    Ok(out)
}

/// The Messages request for a Responses request.
pub fn request(
    req: &Map<String, Value>,
    model: &str,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let tier = responses::check_top_level(req, &[], Some(crate::tier::Family::Anthropic), cx)?;
    let carries = responses::Carries {
        strict_tools: true,
        output_media: true,
        ..Default::default()
    };
    responses::check_settings(req, carries, cx)?;
    let mut system = Vec::new();
    if let Some(i) = req.get("instructions").and_then(Value::as_str) {
        system.push(json!({"type": "text", "text": i}));
    }
    let mut messages: Vec<Value> = Vec::new();
    for (i, v) in responses::input_items(req).iter().enumerate() {
        let at = format!("/input/{i}");
        match responses::item(v) {
            Item::Message { role, content } => match role {
                // Anthropic's system prompt is text only: another part is reported.
                "system" | "developer" => {
                    for (j, p) in responses::parts(content).into_iter().enumerate() {
                        match p {
                            Part::Text(t) => system.push(json!({"type": "text", "text": t})),
                            _ => cx.lose(format!("{at}/content/{j}"))?,
                        }
                    }
                }
                "user" => {
                    let b = blocks_of(content, &format!("{at}/content"), cx)?;
                    push(&mut messages, "user", b);
                }
                "assistant" => {
                    let b = blocks_of(content, &format!("{at}/content"), cx)?;
                    push(&mut messages, "assistant", b);
                }
                _ => cx.lose(at.to_owned())?,
            },
            Item::FunctionCall {
                call_id,
                name,
                arguments,
            } => {
                let input = match serde_json::from_str::<Value>(if arguments.is_empty() {
                    "{}"
                } else {
                    arguments
                }) {
                    Ok(v @ Value::Object(_)) => v,
                    _ => {
                        return Err(TranslateError::Invalid(format!(
                            "{at}/arguments is not a JSON object"
                        )));
                    }
                };
                push(
                    &mut messages,
                    "assistant",
                    vec![json!({"type": "tool_use", "id": call_id, "name": name, "input": input})],
                );
            }
            Item::FunctionCallOutput { call_id, output } => {
                // Images and PDFs go as the result's blocks, in order with its texts.
                let content = match responses::output_has_media(output) {
                    true => Value::Array(blocks_of(output, &format!("{at}/output"), cx)?),
                    false => Value::String(responses::output_text(output)),
                };
                push(
                    &mut messages,
                    "user",
                    vec![
                        json!({"type": "tool_result", "tool_use_id": call_id, "content": content}),
                    ],
                );
            }
            Item::Reasoning { summary, encrypted } => {
                let redacted = encrypted.and_then(|e| Sealed::AnthropicRedacted.open(e));
                let signature = encrypted.and_then(|e| Sealed::AnthropicThinking.open(e));
                match (redacted, signature) {
                    (Some(data), _) => push(
                        &mut messages,
                        "assistant",
                        vec![json!({"type": "redacted_thinking", "data": data})],
                    ),
                    (_, Some(signature)) => push(
                        &mut messages,
                        "assistant",
                        vec![
                            json!({"type": "thinking", "thinking": summary, "signature": signature}),
                        ],
                    ),
                    // Thinking without a signature of Anthropic's own (none, or another
                    // provider's state) cannot go back.
                    _ if summary.is_empty() && encrypted.is_none() => {}
                    _ => cx.lose(at)?,
                }
            }
            Item::Other => cx.lose(at)?,
        }
    }
    let max_tokens = req
        .get("max_output_tokens")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_MAX_TOKENS);
    let mut out = json!({"model": model, "max_tokens": max_tokens, "messages": messages});
    if !system.is_empty() {
        out["system"] = Value::Array(system);
    }
    if let Some(t) = req.get("temperature").and_then(Value::as_f64) {
        if t > 1.0 {
            cx.lose("/temperature")?;
            out["temperature"] = json!(1.0);
        } else {
            out["temperature"] = req["temperature"].clone();
        }
    }
    if let Some(p) = req.get("top_p").filter(|v| !v.is_null()) {
        out["top_p"] = p.clone();
    }
    let tools: Vec<Value> = responses::function_tools(req, cx)?
        .into_iter()
        .map(|(name, description, mut parameters, strict)| {
            parameters.entry("type").or_insert(json!("object"));
            let mut t = json!({"name": name, "input_schema": parameters});
            if let Some(d) = description {
                t["description"] = Value::String(d);
            }
            if let Some(s) = strict {
                t["strict"] = Value::Bool(s);
            }
            t
        })
        .collect();
    if !tools.is_empty() {
        out["tools"] = Value::Array(tools);
    }
    let disable_parallel = req.get("parallel_tool_calls") == Some(&Value::Bool(false));
    let mut choice = match responses::tool_choice(req, cx)? {
        None if disable_parallel => Some(json!({"type": "auto"})),
        None => None,
        Some(Choice::Auto) => Some(json!({"type": "auto"})),
        Some(Choice::Required) => Some(json!({"type": "any"})),
        Some(Choice::None) => Some(json!({"type": "none"})),
        Some(Choice::Named(n)) => Some(json!({"type": "tool", "name": n})),
    };
    if let Some(c) = &mut choice
        && disable_parallel
        && c["type"] != "none"
    {
        c["disable_parallel_tool_use"] = json!(true);
    }
    if let Some(c) = choice {
        out["tool_choice"] = c;
    }
    match responses::json_format(req) {
        None => {}
        Some(Some((_, schema))) => {
            out["output_config"] = json!({"format": {"type": "json_schema", "schema": schema}})
        }
        Some(None) => cx.lose("/text/format")?,
    }
    if let Some(effort) = responses::effort(req) {
        let b = budget(effort);
        out["thinking"] = json!({"type": "enabled", "budget_tokens": b});
        if max_tokens <= b {
            out["max_tokens"] = json!(max_tokens.saturating_add(b));
        }
        if out
            .as_object_mut()
            .and_then(|o| o.shift_remove("temperature"))
            .is_some()
        {
            cx.lose("/temperature")?;
        }
    }
    if let Some(u) = req.get("user").and_then(Value::as_str) {
        out["metadata"] = json!({"user_id": u});
    }
    if req.get("stream") == Some(&Value::Bool(true)) {
        out["stream"] = json!(true);
    }
    if let Some(word) = tier {
        out["service_tier"] = json!(word);
    }
    Ok(out)
}

fn incomplete(stop: Option<&an::StopReason>) -> Option<&'static str> {
    match stop {
        Some(an::StopReason::MaxTokens | an::StopReason::ModelContextWindowExceeded) => {
            Some("max_output_tokens")
        }
        Some(an::StopReason::Refusal) => Some("content_filter"),
        _ => None,
    }
}

/// Per-request state of the Responses-caller / Anthropic-upstream pair.
#[derive(Debug)]
pub struct ResponsesToMessages {
    cx: Cx,
    /// What the answer echoes of the request.
    echo: crate::responses::Echo,
    caller_model: String,
    writer: Option<Writer>,
    input: i64,
    output: i64,
    cache_read: i64,
    cache_write: i64,
    stop: Option<an::StopReason>,
    complete: bool,
    /// The last upstream event the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<crate::fast::AnthropicDelta>,
}

impl ResponsesToMessages {
    pub fn new(strict: bool) -> Self {
        ResponsesToMessages {
            cx: Cx::new("anthropic", strict),
            echo: Default::default(),
            caller_model: String::new(),
            writer: None,
            input: 0,
            output: 0,
            cache_read: 0,
            cache_write: 0,
            stop: None,
            complete: false,
            memo: Default::default(),
        }
    }

    fn writer(&mut self, id: &str) -> &mut Writer {
        let (model, request) = (&self.caller_model, &self.echo);
        self.writer.get_or_insert_with(|| {
            Writer::new(
                format!("resp_{}", id.trim_start_matches("msg_")),
                model,
                request,
            )
        })
    }

    fn usage(&self) -> Value {
        responses::usage(
            self.input
                .saturating_add(self.cache_read)
                .saturating_add(self.cache_write),
            self.cache_read,
            self.cache_write,
            self.output,
            0,
        )
    }
}

impl Translator for ResponsesToMessages {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        if let Some(p) = plain::responses(body)
            && let stream = p.stream == Some(true)
            && let Some(out) = plain::to_anthropic(&p, model, stream.then_some(true))
            && plain::report_openai_losses(&p, plain::LossesTo::Anthropic, &mut self.cx).is_some()
        {
            self.caller_model = plain::caller_model(&p);
            self.echo = plain::responses_echo(&p);
            return Ok(plain::sent(out, stream));
        }
        let (req, typed) = crate::build::checked_object::<aigw_openai::CreateResponse>(body)?;
        let unknown = crate::Unknowns::unknowns(&typed);
        self.caller_model = req
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let stream = req.get("stream") == Some(&Value::Bool(true));
        let mut out = request(&req, model, &mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::RESPONSES)?;
        crate::fixups::anthropic(&mut out, &mut self.cx)?;
        self.echo = crate::responses::Echo::of(&req);
        Ok(TranslatedRequest {
            body: Bytes::from(out.to_string()),
            stream,
        })
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let m: an::Message =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let id = m.id.clone().unwrap_or_default();
        let mut tier = None;
        if let Some(u) = &m.usage {
            self.input = u.input_tokens.unwrap_or(0);
            self.output = u.output_tokens.unwrap_or(0);
            self.cache_read = u.cache_read_input_tokens.flatten().unwrap_or(0);
            self.cache_write = u.cache_creation_input_tokens.flatten().unwrap_or(0);
            let at = "/usage/service_tier";
            tier = served_by_anthropic(u, Family::OpenAi, at, &mut self.cx)?;
        }
        let usage = self.usage();
        let mut sink = Vec::new();
        let mut losses = Vec::new();
        let w = self.writer(&id);
        w.mute();
        if let Some(word) = tier {
            w.tier(word);
        }
        for (i, block) in m.content.unwrap_or_default().into_iter().enumerate() {
            match block {
                an::ContentBlock::ThinkingBlock(t) => {
                    // Each block its own item, so that each keeps its signature.
                    w.close(&mut sink);
                    w.reasoning(t.thinking.as_deref().unwrap_or(""), &mut sink);
                    let signature = t.signature.as_deref().unwrap_or("");
                    w.sealed(Sealed::AnthropicThinking, signature, &mut sink);
                }
                an::ContentBlock::RedactedThinkingBlock(t) => {
                    w.close(&mut sink);
                    let data = t.data.as_deref().unwrap_or("");
                    w.sealed(Sealed::AnthropicRedacted, data, &mut sink);
                }
                an::ContentBlock::TextBlock(t) => {
                    w.text(t.text.as_deref().unwrap_or(""), &mut sink)
                }
                an::ContentBlock::ToolUseBlock(t) => {
                    w.call(
                        t.id.as_deref().unwrap_or(""),
                        t.name.as_deref().unwrap_or(""),
                        &mut sink,
                    );
                    w.arguments(
                        &Value::Object(t.input.unwrap_or_default()).to_string(),
                        &mut sink,
                    );
                }
                _ => losses.push(format!("/content/{i}")),
            }
        }
        let stop = m.stop_reason.flatten();
        let body = w.finish_body(usage, incomplete(stop.as_ref()));
        for l in losses {
            self.cx.lose(l)?;
        }
        Ok(body)
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if let Some(w) = self.writer.as_mut()
            && let Some((_, piece)) = crate::fast::anthropic(data, &mut self.memo)
            && w.fast_delta(&piece, out)
        {
            return Ok(());
        }
        let event: an::MessageStreamEvent =
            serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        match event {
            an::MessageStreamEvent::MessageStartEvent(start) => {
                let message = start.message.unwrap_or_default();
                let mut tier = None;
                if let Some(u) = &message.usage {
                    self.input = u.input_tokens.unwrap_or(0);
                    self.output = u.output_tokens.unwrap_or(0);
                    self.cache_read = u.cache_read_input_tokens.flatten().unwrap_or(0);
                    self.cache_write = u.cache_creation_input_tokens.flatten().unwrap_or(0);
                    let at = "/stream/message/usage/service_tier";
                    tier = served_by_anthropic(u, Family::OpenAi, at, &mut self.cx)?;
                }
                let w = self.writer(message.id.as_deref().unwrap_or(""));
                if let Some(word) = tier {
                    w.tier(word);
                }
                w.start(out);
            }
            an::MessageStreamEvent::ContentBlockStartEvent(start) => match start.content_block {
                Some(an::ContentBlockStartEventContentBlock::ToolUseBlock(t)) => {
                    self.writer("").call(
                        t.id.as_deref().unwrap_or(""),
                        t.name.as_deref().unwrap_or(""),
                        out,
                    )
                }
                // Each thinking block its own reasoning item, so that each keeps its
                // signature.
                Some(an::ContentBlockStartEventContentBlock::ThinkingBlock(_)) => {
                    let w = self.writer("");
                    w.close(out);
                    w.reasoning("", out)
                }
                Some(an::ContentBlockStartEventContentBlock::RedactedThinkingBlock(t)) => {
                    let data = t.data.as_deref().unwrap_or("");
                    let w = self.writer("");
                    w.close(out);
                    w.sealed(Sealed::AnthropicRedacted, data, out)
                }
                _ => {}
            },
            an::MessageStreamEvent::ContentBlockDeltaEvent(d) => match d.delta {
                Some(an::ContentBlockDeltaEventDelta::TextContentBlockDelta(t)) => {
                    self.writer("").text(t.text.as_deref().unwrap_or(""), out)
                }
                Some(an::ContentBlockDeltaEventDelta::ThinkingContentBlockDelta(t)) => self
                    .writer("")
                    .reasoning(t.thinking.as_deref().unwrap_or(""), out),
                Some(an::ContentBlockDeltaEventDelta::SignatureContentBlockDelta(s)) => {
                    let signature = s.signature.as_deref().unwrap_or("");
                    self.writer("")
                        .sealed(Sealed::AnthropicThinking, signature, out)
                }
                Some(an::ContentBlockDeltaEventDelta::InputJsonContentBlockDelta(j)) => self
                    .writer("")
                    .arguments(j.partial_json.as_deref().unwrap_or(""), out),
                _ => self.cx.lose("/stream/delta")?,
            },
            an::MessageStreamEvent::ContentBlockStopEvent(_) => self.writer("").close(out),
            an::MessageStreamEvent::MessageDeltaEvent(d) => {
                if let Some(delta) = d.delta {
                    self.stop = delta.stop_reason.flatten();
                }
                if let Some(u) = d.usage {
                    self.output = u.output_tokens.unwrap_or(self.output);
                    if let Some(Some(i)) = u.input_tokens {
                        self.input = i;
                    }
                }
            }
            an::MessageStreamEvent::MessageStopEvent(_) => {
                let usage = self.usage();
                let incomplete = incomplete(self.stop.as_ref());
                self.writer("").finish(usage, incomplete, out);
                self.complete = true;
            }
            an::MessageStreamEvent::ErrorResponse(e) => {
                let v = serde_json::to_value(&e).unwrap_or_default();
                self.writer("").error(crate::error_message(&v), out);
                self.complete = true;
            }
            an::MessageStreamEvent::PingEvent(_) | an::MessageStreamEvent::Unknown(_) => {}
        }
        Ok(())
    }

    fn stream_complete(&self) -> bool {
        self.complete
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        self.writer("").error(message, out);
        self.complete = true;
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        responses::error_body(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
