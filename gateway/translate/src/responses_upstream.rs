//! What the pairs with OpenAI's Responses API as the *upstream* share: reading its answer
//! (a whole `Response` or its typed event stream) into a caller's [`AnswerWriter`], the
//! request pieces every caller maps to (input items, function tools, `text.format`,
//! `reasoning`), the codec that carries a reasoning item through a caller's signature
//! field, and [`ToResponses`], the [`Translator`] each caller module instantiates.
//!
//! Requests are sent stateless: `store: false` unless the caller asked to store, and, when
//! reasoning is asked for or carried, `include: ["reasoning.encrypted_content"]`, so each
//! reasoning item comes back with its opaque state. A caller sees that state as its own
//! signature (Anthropic `signature`, Gemini `thoughtSignature`, Chat `thinking_blocks`)
//! and sends it back on the next turn, where [`reasoning_item`] turns it into the input
//! item OpenAI verifies. A signature that is not one of these (another provider's) has no
//! meaning to OpenAI and is reported lost.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::answer::{AnswerWriter, Stop, Usage};
use crate::tier::Family;
use crate::{Cx, TranslateError, TranslatedRequest, Translator};

/// What starts a decoded signature that carries a Responses reasoning item.
const TAG: &str = "aigw-rs1";

/// A caller's signature for a reasoning item: base64 (valid for every caller's field,
/// Gemini's bytes included) of the tag, the item id and its `encrypted_content`.
pub fn signature(id: &str, encrypted: Option<&str>) -> String {
    STANDARD.encode(format!("{TAG}\n{id}\n{}", encrypted.unwrap_or("")))
}

/// The reasoning input item for a signature made by [`signature`], with `summary` as its
/// summary text; `None` for a signature that is not one of ours.
pub fn reasoning_item(signature: &str, summary: &str) -> Option<Value> {
    let (id, encrypted) = opened(signature)?;
    let summary: Vec<Value> = if summary.is_empty() {
        Vec::new()
    } else {
        vec![json!({"type": "summary_text", "text": summary})]
    };
    let mut item = json!({"type": "reasoning", "id": id, "summary": summary});
    if !encrypted.is_empty() {
        item["encrypted_content"] = Value::String(encrypted);
    }
    Some(item)
}

/// The item id and `encrypted_content` (empty when none) in a signature made by
/// [`signature`]; `None` for a signature that is not one of ours.
pub fn opened(signature: &str) -> Option<(String, String)> {
    let raw = STANDARD.decode(signature.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut parts = text.splitn(3, '\n');
    if parts.next()? != TAG {
        return None;
    }
    let id = parts.next()?.to_owned();
    let encrypted = parts.next().unwrap_or("").to_owned();
    Some((id, encrypted))
}

/// A Responses request being built from a caller's.
#[derive(Debug, Default)]
pub struct RequestBuilder {
    pub input: Vec<Value>,
    pub instructions: Vec<String>,
    pub body: Map<String, Value>,
    /// Reasoning items went into `input` (their encrypted state must come back too).
    pub carries_reasoning: bool,
    /// Text of the current assistant turn, until a call or reasoning item splits it.
    assistant: String,
}

impl RequestBuilder {
    pub fn new(model: &str, stream: bool) -> RequestBuilder {
        let mut body = Map::new();
        body.insert("model".into(), Value::String(model.to_owned()));
        if stream {
            body.insert("stream".into(), Value::Bool(true));
        }
        RequestBuilder {
            body,
            ..Default::default()
        }
    }

    /// A user, system or developer message with `content` (Responses input parts).
    pub fn message(&mut self, role: &str, content: Vec<Value>) {
        self.flush_assistant();
        if content.is_empty() {
            return;
        }
        self.input
            .push(json!({"type": "message", "role": role, "content": content}));
    }

    /// Assistant text (merged with the rest of its turn).
    pub fn assistant_text(&mut self, text: &str) {
        self.assistant.push_str(text);
    }

    fn flush_assistant(&mut self) {
        if !self.assistant.is_empty() {
            let text = std::mem::take(&mut self.assistant);
            self.input
                .push(json!({"type": "message", "role": "assistant", "content": text}));
        }
    }

    /// A function call the assistant made.
    pub fn call(&mut self, call_id: &str, name: &str, arguments: String) {
        self.flush_assistant();
        self.input.push(json!({"type": "function_call", "call_id": call_id, "name": name, "arguments": arguments}));
    }

    /// The output of a function call.
    pub fn call_output(&mut self, call_id: &str, output: Value) {
        self.flush_assistant();
        self.input
            .push(json!({"type": "function_call_output", "call_id": call_id, "output": output}));
    }

    /// A reasoning item from a caller's signature; false when the signature is not one.
    pub fn reasoning(&mut self, signature: &str, summary: &str) -> bool {
        match reasoning_item(signature, summary) {
            Some(item) => {
                self.flush_assistant();
                self.input.push(item);
                self.carries_reasoning = true;
                true
            }
            None => false,
        }
    }

    /// A function tool.
    pub fn function_tool(&mut self, name: &str, description: Option<&str>, parameters: Value) {
        let mut t =
            json!({"type": "function", "name": name, "parameters": parameters, "strict": false});
        if let Some(d) = description {
            t["description"] = Value::String(d.to_owned());
        }
        if let Some(tools) = self
            .body
            .entry("tools")
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
        {
            tools.push(t);
        }
    }

    /// `text.format`: a JSON schema, or JSON mode without one (`None`).
    pub fn json_format(&mut self, schema: Option<(String, Value, bool)>) {
        let format = match schema {
            Some((name, schema, strict)) => {
                json!({"type": "json_schema", "name": name, "schema": schema, "strict": strict})
            }
            None => json!({"type": "json_object"}),
        };
        let text = self.body.entry("text").or_insert_with(|| json!({}));
        text["format"] = format;
    }

    /// `reasoning.effort`, with summaries asked for when the caller shows reasoning.
    pub fn effort(&mut self, effort: &str, summaries: bool) {
        let mut r = json!({"effort": effort});
        if summaries {
            r["summary"] = json!("auto");
        }
        self.body.insert("reasoning".into(), r);
    }

    pub fn set(&mut self, key: &str, value: Value) {
        self.body.insert(key.into(), value);
    }

    /// The request body.
    pub fn finish(mut self) -> Value {
        self.flush_assistant();
        if !self.instructions.is_empty() {
            self.body.insert(
                "instructions".into(),
                Value::String(self.instructions.join("\n\n")),
            );
        }
        self.body.insert("input".into(), Value::Array(self.input));
        self.body.entry("store").or_insert(Value::Bool(false));
        let stateless = self.body.get("store") == Some(&Value::Bool(false));
        if stateless && (self.carries_reasoning || self.body.contains_key("reasoning")) {
            self.body
                .insert("include".into(), json!(["reasoning.encrypted_content"]));
        }
        Value::Object(self.body)
    }
}

fn usage(u: Option<&Value>) -> Usage {
    let n = |p: &str| {
        u.and_then(|u| u.pointer(p))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    Usage {
        input: n("/input_tokens"),
        cached: n("/input_tokens_details/cached_tokens"),
        cache_write: n("/input_tokens_details/cache_write_tokens"),
        output: n("/output_tokens"),
        reasoning: n("/output_tokens_details/reasoning_tokens"),
    }
}

fn summary_text(item: &Value) -> String {
    item.get("summary")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("text").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Where a stream's response object names its tier, for the loss report.
const STREAM_TIER: &str = "/stream/response/service_tier";

/// Reads a Responses answer into a caller's writer.
#[derive(Debug)]
pub struct Reader {
    /// The caller's family, for the word of the tier that served the answer.
    family: Family,
    calls: bool,
    refused: bool,
    /// Reasoning text arrived for the open reasoning item (else its summary is written
    /// from the item at its end).
    reasoning_text: bool,
    /// The last delta event the fast path took, as the template of the next.
    memo: crate::fast::Memo<crate::fast::ResponsesDelta>,
}

impl Reader {
    pub fn new(family: Family) -> Reader {
        Reader {
            family,
            calls: false,
            refused: false,
            reasoning_text: false,
            memo: Default::default(),
        }
    }

    /// Gives the writer the caller's word for the tier an upstream's response object
    /// names (`service_tier`; one the caller's family has not is reported).
    fn tier(
        &self,
        word: Option<&str>,
        at: &str,
        w: &mut dyn AnswerWriter,
        cx: &mut Cx,
    ) -> Result<(), TranslateError> {
        if let Some(word) = crate::tier::served_or_lose(word, Family::OpenAi, self.family, at, cx)?
        {
            w.tier(word);
        }
        Ok(())
    }

    fn stop(&self, response: &Value) -> Stop {
        let reason = response
            .pointer("/incomplete_details/reason")
            .and_then(Value::as_str);
        self.stop_for(response.get("status").and_then(Value::as_str), reason)
    }

    fn stop_for(&self, status: Option<&str>, reason: Option<&str>) -> Stop {
        match (status, reason) {
            (Some("incomplete"), Some("content_filter")) => Stop::ContentFilter,
            (Some("incomplete"), _) => Stop::Length,
            _ if self.refused => Stop::Refusal,
            _ if self.calls => Stop::ToolCalls,
            _ => Stop::End,
        }
    }

    /// One output item, whole.
    fn item(
        &mut self,
        item: &Value,
        at: &str,
        w: &mut dyn AnswerWriter,
        cx: &mut Cx,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        let s = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or("");
        match s("type") {
            "message" => {
                for (j, part) in item
                    .get("content")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    match part.get("type").and_then(Value::as_str) {
                        Some("output_text") => {
                            w.text(part.get("text").and_then(Value::as_str).unwrap_or(""), out);
                            if part
                                .get("annotations")
                                .and_then(Value::as_array)
                                .is_some_and(|a| !a.is_empty())
                            {
                                cx.lose(format!("{at}/content/{j}/annotations"))?;
                            }
                        }
                        Some("refusal") => {
                            self.refused = true;
                            w.refusal(
                                part.get("refusal").and_then(Value::as_str).unwrap_or(""),
                                out,
                            );
                        }
                        _ => cx.lose(format!("{at}/content/{j}"))?,
                    }
                }
            }
            "reasoning" => {
                w.reasoning(&summary_text(item), out);
                w.signature(
                    &signature(
                        s("id"),
                        item.get("encrypted_content").and_then(Value::as_str),
                    ),
                    out,
                );
            }
            "function_call" => {
                self.calls = true;
                w.call(s("call_id"), crate::call_name(s("name"))?, out);
                w.arguments(s("arguments"), out);
            }
            _ => cx.lose(at.to_owned())?,
        }
        Ok(())
    }

    /// A whole `Response`.
    pub fn response(
        &mut self,
        r: &Value,
        w: &mut dyn AnswerWriter,
        cx: &mut Cx,
    ) -> Result<(), TranslateError> {
        let mut sink = Vec::new();
        self.tier(
            r.get("service_tier").and_then(Value::as_str),
            "/service_tier",
            w,
            cx,
        )?;
        w.start(r.get("id").and_then(Value::as_str).unwrap_or(""), &mut sink);
        for (i, item) in r
            .get("output")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.item(item, &format!("/output/{i}"), w, cx, &mut sink)?;
        }
        w.finish(self.stop(r), usage(r.get("usage")), &mut sink);
        Ok(())
    }

    /// A delta event (text, reasoning, arguments) read by [`crate::fast::responses`],
    /// without building a `Value`; false for any other event.
    fn fast_delta(&mut self, data: &str, w: &mut dyn AnswerWriter, out: &mut Vec<u8>) -> bool {
        use crate::fast::ResponsesDelta;
        let Some((kind, delta)) = crate::fast::responses(data, &mut self.memo) else {
            return false;
        };
        match kind {
            ResponsesDelta::Text => w.text(&delta, out),
            ResponsesDelta::Arguments => w.arguments(&delta, out),
            ResponsesDelta::Reasoning => {
                self.reasoning_text = true;
                w.reasoning(&delta, out);
            }
        }
        true
    }

    /// `response.created`, `.in_progress`, `.completed` and `.incomplete`, read from a
    /// borrowed view that skips the response's output (it was streamed item by item);
    /// false for any other event.
    fn fast_lifecycle(
        &mut self,
        data: &str,
        w: &mut dyn AnswerWriter,
        cx: &mut Cx,
        out: &mut Vec<u8>,
    ) -> Result<bool, TranslateError> {
        #[derive(serde::Deserialize)]
        struct Event<'a> {
            #[serde(rename = "type", borrow)]
            kind: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            response: Response<'a>,
        }
        #[derive(serde::Deserialize)]
        struct Response<'a> {
            #[serde(borrow, default)]
            id: std::borrow::Cow<'a, str>,
            #[serde(borrow, default)]
            status: Option<std::borrow::Cow<'a, str>>,
            #[serde(default)]
            incomplete_details: Option<Incomplete<'a>>,
            #[serde(default)]
            usage: Option<Value>,
            #[serde(borrow, default)]
            service_tier: Option<std::borrow::Cow<'a, str>>,
        }
        #[derive(serde::Deserialize)]
        struct Incomplete<'a> {
            #[serde(borrow, default)]
            reason: Option<std::borrow::Cow<'a, str>>,
        }
        let Some(rest) = data.strip_prefix(r#"{"type":"response."#) else {
            return Ok(false);
        };
        if !["created\"", "in_progress\"", "completed\"", "incomplete\""]
            .iter()
            .any(|k| rest.starts_with(k))
        {
            return Ok(false);
        }
        let Ok(e) = serde_json::from_str::<Event>(data) else {
            return Ok(false);
        };
        let r = e.response;
        match e.kind.as_ref() {
            "response.created" | "response.in_progress" => {
                self.tier(r.service_tier.as_deref(), STREAM_TIER, w, cx)?;
                w.start(&r.id, out);
            }
            "response.completed" | "response.incomplete" => {
                let reason = r
                    .incomplete_details
                    .as_ref()
                    .and_then(|d| d.reason.as_deref());
                let stop = self.stop_for(r.status.as_deref(), reason);
                self.tier(r.service_tier.as_deref(), STREAM_TIER, w, cx)?;
                w.finish(stop, usage(r.usage.as_ref()), out);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// One stream event.
    pub fn event(
        &mut self,
        data: &str,
        w: &mut dyn AnswerWriter,
        cx: &mut Cx,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if crate::fast::enabled()
            && (self.fast_delta(data, w, out) || self.fast_lifecycle(data, w, cx, out)?)
        {
            return Ok(());
        }
        let v: Value =
            serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
        match s("type") {
            "response.created" | "response.in_progress" => {
                let tier = v.pointer("/response/service_tier").and_then(Value::as_str);
                self.tier(tier, STREAM_TIER, w, cx)?;
                let id = v.pointer("/response/id").and_then(Value::as_str);
                w.start(id.unwrap_or(""), out);
            }
            "response.output_item.added" => {
                let item = v.get("item").unwrap_or(&Value::Null);
                let i = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or("");
                match i("type") {
                    "function_call" => {
                        self.calls = true;
                        w.call(i("call_id"), crate::call_name(i("name"))?, out);
                        w.arguments(i("arguments"), out);
                    }
                    "reasoning" => {
                        self.reasoning_text = false;
                        w.reasoning("", out);
                    }
                    "message" => {}
                    other => cx.lose(format!("/stream/output/{}", crate::escape(other)))?,
                }
            }
            "response.content_part.added"
                if v.pointer("/part/type").and_then(Value::as_str) == Some("output_text") =>
            {
                w.text("", out)
            }
            "response.output_text.delta" => w.text(s("delta"), out),
            "response.refusal.delta" => {
                self.refused = true;
                w.refusal(s("delta"), out);
            }
            "response.reasoning_summary_text.delta" | "response.reasoning_text.delta" => {
                self.reasoning_text = true;
                w.reasoning(s("delta"), out);
            }
            // Parts of one summary are paragraphs.
            "response.reasoning_summary_part.added" if self.reasoning_text => {
                w.reasoning("\n\n", out)
            }
            "response.function_call_arguments.delta" => w.arguments(s("delta"), out),
            "response.output_item.done" => {
                let item = v.get("item").unwrap_or(&Value::Null);
                if item.get("type").and_then(Value::as_str) == Some("reasoning") {
                    if !self.reasoning_text {
                        w.reasoning(&summary_text(item), out);
                    }
                    let id = item.get("id").and_then(Value::as_str).unwrap_or("");
                    w.signature(
                        &signature(id, item.get("encrypted_content").and_then(Value::as_str)),
                        out,
                    );
                }
            }
            "response.completed" | "response.incomplete" => {
                let r = v.get("response").unwrap_or(&Value::Null);
                self.tier(
                    r.get("service_tier").and_then(Value::as_str),
                    STREAM_TIER,
                    w,
                    cx,
                )?;
                w.finish(self.stop(r), usage(r.get("usage")), out);
            }
            "response.failed" => {
                let message = v
                    .pointer("/response/error/message")
                    .and_then(Value::as_str)
                    .unwrap_or("the upstream response failed");
                w.error(message, out);
            }
            "error" => {
                w.error(crate::error_message(&v), out);
            }
            _ => {}
        }
        Ok(())
    }
}

/// A caller protocol in front of a Responses upstream: its request mapping, its answer
/// writer and its error shape.
pub trait Caller: Send {
    type Writer: AnswerWriter;
    /// The caller's protocol family (for the words of service tiers).
    const FAMILY: Family;
    /// The caller's request → the Responses request, and the writer for the answer.
    fn request(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Result<(Value, Self::Writer), TranslateError>;
    /// The request fast path (the crate's `plain` module): a plain text conversation
    /// straight to the Responses request's bytes, whether it streams, and the writer;
    /// `None` sends the request the general way.
    fn plain(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Option<(Vec<u8>, bool, Self::Writer)>;
    /// An OpenAI error body → the caller's.
    fn error(&self, status: u16, body: &[u8]) -> Bytes;
}

/// Per-request state of a (caller, Responses upstream) pair.
pub struct ToResponses<C: Caller> {
    caller: C,
    cx: Cx,
    writer: Option<C::Writer>,
    reader: Reader,
}

impl<C: Caller> ToResponses<C> {
    pub fn new(caller: C, strict: bool) -> Self {
        ToResponses {
            caller,
            cx: Cx::new("openai-responses", strict),
            writer: None,
            reader: Reader::new(C::FAMILY),
        }
    }
}

impl<C: Caller> Translator for ToResponses<C> {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        if let Some((out, stream, writer)) = self.caller.plain(body, model, &mut self.cx) {
            self.writer = Some(writer);
            return Ok(crate::plain::sent(out, stream));
        }
        let (mut out, writer) = self.caller.request(body, model, &mut self.cx)?;
        crate::fixups::responses(&mut out, &mut self.cx)?;
        let stream = out.get("stream") == Some(&Value::Bool(true));
        self.writer = Some(writer);
        let body = serde_json::to_vec(&out).map_err(|e| TranslateError::Invalid(e.to_string()))?;
        Ok(TranslatedRequest {
            body: Bytes::from(body),
            stream,
        })
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let r: Value =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| TranslateError::Upstream("a response before the request".into()))?;
        self.reader.response(&r, w, &mut self.cx)?;
        Ok(Bytes::from(w.body().to_string()))
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        match self.writer.as_mut() {
            Some(w) => self.reader.event(data, w, &mut self.cx, out),
            None => Err(TranslateError::Upstream(
                "a stream before the request".into(),
            )),
        }
    }

    fn stream_complete(&self) -> bool {
        self.writer.as_ref().is_some_and(AnswerWriter::complete)
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        if let Some(w) = self.writer.as_mut() {
            w.error(message, out);
        }
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        self.caller.error(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
