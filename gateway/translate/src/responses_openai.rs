//! OpenAI Responses caller → OpenAI Chat Completions upstream (an OpenAI-compatible
//! provider without the Responses API, or any Chat route).
//!
//! Request: `instructions` → a system message; message items → system, user (text,
//! images, files) and assistant messages; `function_call` items → assistant tool calls
//! (`call_id` as the id), `function_call_output` items → tool messages; reasoning items →
//! the provider's reasoning field on the next assistant message where it has one;
//! function tools, `tool_choice`, `parallel_tool_calls`, `text.format` (json_schema, JSON
//! mode) → `response_format`, `reasoning.effort` → `reasoning_effort`, `max_output_tokens`
//! → `max_completion_tokens`, the service settings Chat has too (`store`, `metadata`,
//! `service_tier`, `safety_identifier`, the prompt cache's key and retention) as they
//! are. State kept by OpenAI (`previous_response_id`,
//! `conversation`) cannot be sent elsewhere: a clear error.
//!
//! Response and stream: the choice's reasoning, text and tool calls become reasoning,
//! message and `function_call` output items, through [`crate::responses::Writer`]; a
//! `length` finish becomes `incomplete` (`max_output_tokens`).

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::responses::{self, Choice, Item, Part, Writer};
use crate::tier::{Family, served_by_openai};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, parse_data_url};

/// Options of the pair.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The upstream's field for reasoning text (message and delta), when it has one.
    pub reasoning_field: Option<String>,
    /// Whether the upstream takes `stream_options`.
    pub stream_options: bool,
}

fn user_content(content: &Value, at: &str, cx: &mut Cx) -> Result<Value, TranslateError> {
    if let Value::String(s) = content {
        return Ok(Value::String(s.clone()));
    }
    let mut parts = Vec::new();
    for (j, p) in responses::parts(content).into_iter().enumerate() {
        match p {
            Part::Text(t) => parts.push(json!({"type": "text", "text": t})),
            Part::Image(url, detail) => {
                let mut image = json!({"url": url});
                if let Some(d) = detail {
                    image["detail"] = Value::String(d);
                }
                parts.push(json!({"type": "image_url", "image_url": image}))
            }
            Part::File { data, filename } if parse_data_url(&data).is_some() => {
                parts.push(json!({"type": "file", "file": {"file_data": data, "filename": filename.unwrap_or_else(|| "file".into())}}))
            }
            _ => cx.lose(format!("{at}/content/{j}"))?,
        }
    }
    Ok(Value::Array(parts))
}

/// The text of a system, developer or assistant message (Chat takes text only there);
/// other parts are reported.
fn text_of(content: &Value, at: &str, cx: &mut Cx) -> Result<String, TranslateError> {
    let mut text = String::new();
    for (j, p) in responses::parts(content).into_iter().enumerate() {
        match p {
            Part::Text(t) => text.push_str(&t),
            _ => cx.lose(format!("{at}/content/{j}"))?,
        }
    }
    Ok(text)
}

/// The Chat Completions request for a Responses request.
pub fn request(
    req: &Map<String, Value>,
    model: &str,
    options: &Options,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    responses::check_top_level(req, &responses::CHAT_SERVICE, None, cx)?;
    let carries = responses::Carries {
        image_detail: true,
        verbosity: true,
        format_description: true,
        strict_tools: true,
        any_effort: true,
        // A tool message holds text only.
        output_media: false,
    };
    responses::check_settings(req, carries, cx)?;
    let mut messages: Vec<Value> = Vec::new();
    if let Some(i) = req.get("instructions").and_then(Value::as_str) {
        messages.push(json!({"role": "system", "content": i}));
    }
    let mut reasoning = String::new();
    for (i, v) in responses::input_items(req).iter().enumerate() {
        let at = format!("/input/{i}");
        match responses::item(v) {
            Item::Message { role, content } => match role {
                "user" => messages
                    .push(json!({"role": "user", "content": user_content(content, &at, cx)?})),
                "system" | "developer" => {
                    messages.push(json!({"role": role, "content": text_of(content, &at, cx)?}))
                }
                "assistant" => {
                    let mut m = json!({"role": "assistant", "content": text_of(content, &at, cx)?});
                    if let Some(field) = &options.reasoning_field
                        && !reasoning.is_empty()
                    {
                        m[field.as_str()] = Value::String(std::mem::take(&mut reasoning));
                    }
                    messages.push(m);
                }
                _ => cx.lose(at.to_owned())?,
            },
            Item::FunctionCall {
                call_id,
                name,
                arguments,
            } => {
                let call = json!({"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}});
                // Consecutive calls belong to one assistant turn.
                match messages.last_mut() {
                    // Calls after the assistant's text belong to the same message.
                    Some(last) if last["role"] == "assistant" => {
                        match last["tool_calls"].as_array_mut() {
                            Some(calls) => calls.push(call),
                            None => last["tool_calls"] = json!([call]),
                        }
                    }
                    _ => {
                        let mut m =
                            json!({"role": "assistant", "content": null, "tool_calls": [call]});
                        if let Some(field) = &options.reasoning_field
                            && !reasoning.is_empty()
                        {
                            m[field.as_str()] = Value::String(std::mem::take(&mut reasoning));
                        }
                        messages.push(m);
                    }
                }
            }
            Item::FunctionCallOutput { call_id, output } => {
                let output = responses::output_text(output);
                messages.push(json!({"role": "tool", "tool_call_id": call_id, "content": output}))
            }
            Item::Reasoning { summary, encrypted } => {
                if options.reasoning_field.is_some() {
                    reasoning.push_str(&summary);
                    if encrypted.is_some() {
                        cx.lose(format!("{at}/encrypted_content"))?;
                    }
                } else if !summary.is_empty() || encrypted.is_some() {
                    cx.lose(at)?;
                }
            }
            Item::Other => cx.lose(at)?,
        }
    }
    let mut out = json!({"model": model, "messages": messages});
    for (from, to) in [
        ("max_output_tokens", "max_completion_tokens"),
        ("temperature", "temperature"),
        ("top_p", "top_p"),
        ("parallel_tool_calls", "parallel_tool_calls"),
        ("user", "user"),
    ] {
        if let Some(v) = req.get(from).filter(|v| !v.is_null()) {
            out[to] = v.clone();
        }
    }
    let tools: Vec<Value> = responses::function_tools(req, cx)?
        .into_iter()
        .map(|(name, description, parameters, strict)| {
            let mut f = json!({"name": name, "parameters": parameters});
            if let Some(d) = description {
                f["description"] = Value::String(d);
            }
            if let Some(s) = strict {
                f["strict"] = Value::Bool(s);
            }
            json!({"type": "function", "function": f})
        })
        .collect();
    if !tools.is_empty() {
        out["tools"] = Value::Array(tools);
    }
    match responses::tool_choice(req, cx)? {
        None => {}
        Some(Choice::Auto) => out["tool_choice"] = json!("auto"),
        Some(Choice::None) => out["tool_choice"] = json!("none"),
        Some(Choice::Required) => out["tool_choice"] = json!("required"),
        Some(Choice::Named(n)) => {
            out["tool_choice"] = json!({"type": "function", "function": {"name": n}})
        }
    }
    match responses::json_format(req) {
        None => {}
        Some(Some((name, schema))) => {
            let strict = req
                .get("text")
                .and_then(|t| t.pointer("/format/strict"))
                .cloned()
                .unwrap_or(Value::Null);
            out["response_format"] = json!({"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": strict}});
            if let Some(d) = req
                .get("text")
                .and_then(|t| t.pointer("/format/description"))
                .filter(|d| !d.is_null())
            {
                out["response_format"]["json_schema"]["description"] = d.clone();
            }
        }
        Some(None) => out["response_format"] = json!({"type": "json_object"}),
    }
    // Chat takes the effort as it is, `none` and values the spec does not list included.
    if let Some(effort) = req
        .get("reasoning")
        .and_then(|r| r.get("effort"))
        .filter(|e| e.is_string())
    {
        out["reasoning_effort"] = effort.clone();
    }
    if let Some(v) = req
        .get("text")
        .and_then(|t| t.get("verbosity"))
        .filter(|v| !v.is_null())
    {
        out["verbosity"] = v.clone();
    }
    for key in responses::CHAT_SERVICE {
        if key == "service_tier" && !responses::chat_takes_tier(req) {
            continue;
        }
        match req.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => {}
            Some(v) => out[key] = v.clone(),
        }
    }
    if req.get("stream") == Some(&Value::Bool(true)) {
        out["stream"] = json!(true);
        if options.stream_options {
            out["stream_options"] = json!({"include_usage": true});
        }
    }
    Ok(out)
}

fn usage(u: Option<&Value>) -> Value {
    let n = |p: &str| {
        u.and_then(|u| u.pointer(p))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    responses::usage(
        n("/prompt_tokens"),
        n("/prompt_tokens_details/cached_tokens"),
        n("/prompt_tokens_details/cache_write_tokens"),
        n("/completion_tokens"),
        n("/completion_tokens_details/reasoning_tokens"),
    )
}

fn incomplete(finish: Option<&str>) -> Option<&'static str> {
    match finish {
        Some("length") => Some("max_output_tokens"),
        Some("content_filter") => Some("content_filter"),
        _ => None,
    }
}

/// Per-request state of the Responses-caller / Chat-upstream pair.
#[derive(Debug)]
pub struct ResponsesToChat {
    cx: Cx,
    options: Options,
    /// What the answer echoes of the request.
    echo: crate::responses::Echo,
    caller_model: String,
    writer: Option<Writer>,
    /// The tool-call index being written.
    call: Option<u64>,
    finish: Option<String>,
    usage: Option<Value>,
    complete: bool,
    /// The last upstream chunk the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<()>,
}

impl ResponsesToChat {
    pub fn new(strict: bool, options: Options) -> Self {
        ResponsesToChat {
            cx: Cx::new("openai-chat", strict),
            options,
            echo: Default::default(),
            caller_model: String::new(),
            writer: None,
            call: None,
            finish: None,
            usage: None,
            complete: false,
            memo: Default::default(),
        }
    }

    fn writer(&mut self, id: &str) -> &mut Writer {
        let (model, request) = (&self.caller_model, &self.echo);
        self.writer.get_or_insert_with(|| {
            Writer::new(
                format!("resp_{}", id.trim_start_matches("chatcmpl-")),
                model,
                request,
            )
        })
    }
}

impl Translator for ResponsesToChat {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        if let Some(p) = plain::responses(body)
            && let stream = p.stream == Some(true)
            && let field = self.options.reasoning_field.as_deref()
            && let Some(out) = plain::to_chat(&p, model, stream, self.options.stream_options, field)
            && let to = (plain::LossesTo::Chat {
                reasoning: field.is_some(),
            })
            && plain::report_openai_losses(&p, to, &mut self.cx).is_some()
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
        let mut out = request(&req, model, &self.options, &mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::RESPONSES)?;
        crate::fixups::chat(&mut out, &mut self.cx)?;
        self.echo = crate::responses::Echo::of(&req);
        Ok(TranslatedRequest {
            body: Bytes::from(out.to_string()),
            stream,
        })
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let v: Value =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let id = v.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let choice = v.pointer("/choices/0").cloned().unwrap_or(Value::Null);
        let message = choice.get("message").cloned().unwrap_or(Value::Null);
        let mut sink = Vec::new();
        let field = self.options.reasoning_field.clone();
        let tier = served_by_openai(&v, Family::OpenAi, "/service_tier", &mut self.cx)?;
        let w = self.writer(&id);
        w.mute();
        if let Some(word) = tier {
            w.tier(word);
        }
        if let Some(field) = field
            && let Some(r) = message.get(field.as_str()).and_then(Value::as_str)
            && !r.is_empty()
        {
            w.reasoning(r, &mut sink);
        }
        if let Some(t) = message.get("content").and_then(Value::as_str) {
            w.text(t, &mut sink);
        }
        for call in message
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            w.call(
                call.get("id").and_then(Value::as_str).unwrap_or(""),
                call.pointer("/function/name")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
                &mut sink,
            );
            w.arguments(
                call.pointer("/function/arguments")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
                &mut sink,
            );
        }
        let finish = choice.get("finish_reason").and_then(Value::as_str);
        Ok(w.finish_body(usage(v.get("usage")), incomplete(finish)))
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if data.trim() == "[DONE]" {
            let usage = usage(self.usage.as_ref());
            let incomplete = incomplete(self.finish.as_deref());
            self.writer("").finish(usage, incomplete, out);
            self.complete = true;
            return Ok(());
        }
        if let Some(w) = self.writer.as_mut()
            && let Some(piece) = crate::fast::chat(
                data,
                self.options.reasoning_field.as_deref(),
                &mut self.memo,
            )
            && !matches!(&piece, crate::fast::Piece::Arguments(i, _) if self.call != u64::try_from(*i).ok())
            && w.fast_delta(&piece, out)
        {
            return Ok(());
        }
        let chunk: Value =
            serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        if chunk.get("error").is_some() {
            self.writer("").error(crate::error_message(&chunk), out);
            self.complete = true;
            return Ok(());
        }
        let id = chunk
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        // The tier, from the first chunk (OpenAI names it on every chunk alike).
        if self.writer.is_none() {
            let at = "/stream/service_tier";
            if let Some(word) = served_by_openai(&chunk, Family::OpenAi, at, &mut self.cx)? {
                self.writer(&id).tier(word);
            }
        }
        self.writer(&id).start(out);
        if let Some(u) = chunk.get("usage").filter(|u| !u.is_null()) {
            self.usage = Some(u.clone());
        }
        let Some(choice) = chunk.pointer("/choices/0").cloned() else {
            return Ok(());
        };
        let delta = choice.get("delta").cloned().unwrap_or(Value::Null);
        if let Some(field) = self.options.reasoning_field.clone()
            && let Some(r) = delta.get(field.as_str()).and_then(Value::as_str)
            && !r.is_empty()
        {
            self.writer(&id).reasoning(r, out);
        }
        if let Some(t) = delta.get("content").and_then(Value::as_str) {
            self.writer(&id).text(t, out);
        }
        for call in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let index = call.get("index").and_then(Value::as_u64).unwrap_or(0);
            if self.call != Some(index) {
                self.call = Some(index);
                let call_id = call
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let name = call
                    .pointer("/function/name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                self.writer(&id).call(&call_id, &name, out);
            }
            if let Some(args) = call.pointer("/function/arguments").and_then(Value::as_str) {
                self.writer(&id).arguments(args, out);
            }
        }
        if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(f.to_owned());
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
