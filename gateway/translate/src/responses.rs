//! Helpers for the pairs whose caller speaks OpenAI's Responses API: reading its request
//! (the input items, instructions, tools, `text.format`, `reasoning`), and writing its
//! answer, whole or as the typed event stream (`response.created` … `response.completed`,
//! item and content-part events, sequence numbers) from what the upstream produces: text,
//! reasoning summaries (with an opaque signature kept as the reasoning item's
//! `encrypted_content`, so it returns on the next turn), and function calls.
//!
//! The request is read as JSON against the field list of the generated `CreateResponse`
//! (fields outside it are reported lost); items are read by their `type`.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{Cx, TranslateError, escape};

/// The top-level fields of `CreateResponse` (the generated type's), for the loss report.
pub const FIELDS: &[&str] = &[
    "background",
    "context_management",
    "conversation",
    "include",
    "input",
    "instructions",
    "max_output_tokens",
    "max_tool_calls",
    "metadata",
    "model",
    "moderation",
    "parallel_tool_calls",
    "previous_response_id",
    "prompt",
    "prompt_cache_key",
    "prompt_cache_options",
    "prompt_cache_retention",
    "reasoning",
    "safety_identifier",
    "service_tier",
    "store",
    "stream",
    "stream_options",
    "temperature",
    "text",
    "tool_choice",
    "tools",
    "top_logprobs",
    "top_p",
    "truncation",
    "user",
];

/// Fields no other protocol has: reported when set (stateful ones refuse).
pub fn check_top_level(req: &Map<String, Value>, cx: &mut Cx) -> Result<(), TranslateError> {
    for key in req.keys() {
        if !FIELDS.contains(&key.as_str()) {
            cx.lose(format!("/{}", escape(key)))?;
        }
    }
    for stateful in ["previous_response_id", "conversation", "prompt"] {
        if req.get(stateful).is_some_and(|v| !v.is_null()) {
            return Err(TranslateError::Unsupported(format!(
                "`{stateful}` refers to state kept by OpenAI; send the whole conversation in `input` for a route to another provider"
            )));
        }
    }
    if req.get("background") == Some(&Value::Bool(true)) {
        return Err(TranslateError::Unsupported(
            "background responses need OpenAI's storage".into(),
        ));
    }
    for lost in [
        "store",
        "metadata",
        "include",
        "truncation",
        "service_tier",
        "prompt_cache_key",
        "prompt_cache_retention",
        "prompt_cache_options",
        "max_tool_calls",
        "top_logprobs",
        "safety_identifier",
        "context_management",
        "moderation",
    ] {
        match req.get(lost) {
            None | Some(Value::Null) => {}
            // `store: false` and an `include` asking for encrypted reasoning are what a
            // stateless client sends: honoured, nothing lost.
            Some(Value::Bool(false)) if lost == "store" => {}
            Some(Value::Array(a))
                if lost == "include" && a.iter().all(|v| v == "reasoning.encrypted_content") => {}
            Some(_) => cx.lose(format!("/{lost}"))?,
        }
    }
    Ok(())
}

/// Which of the request's finer settings a target carries (the rest are reported by
/// [`check_settings`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Carries {
    /// An image part's `detail`.
    pub image_detail: bool,
    /// `text.verbosity`.
    pub verbosity: bool,
    /// `text.format.description`.
    pub format_description: bool,
    /// A function tool's `strict`.
    pub strict_tools: bool,
    /// A `reasoning.effort` value the spec does not list (passed on as it is).
    pub any_effort: bool,
}

/// The `reasoning.effort` values the spec lists.
const EFFORTS: &[&str] = &["none", "minimal", "low", "medium", "high", "xhigh", "max"];

/// Reports the settings inside items, tools and `text` that the target does not carry
/// (`carries`), and what no target takes: a function call output's parts other than text,
/// a reasoning item's raw text.
/// A setting at its default (`detail: auto`, `verbosity: medium`, `strict: false`) loses
/// nothing.
pub fn check_settings(
    req: &Map<String, Value>,
    carries: Carries,
    cx: &mut Cx,
) -> Result<(), TranslateError> {
    let set = |v: Option<&Value>, default: &str| {
        v.is_some_and(|v| !v.is_null() && v.as_str() != Some(default))
    };
    for (i, item) in req
        .get("input")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (j, p) in item
            .get("content")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = || format!("/input/{i}/content/{j}");
            if !carries.image_detail && set(p.get("detail"), "auto") {
                cx.lose(format!("{}/detail", at()))?;
            }
            // A part the generated types could not place (an echoed `output_text`
            // without its `annotations`) is read by its type; its other fields are
            // reported here, as the generated types report those of the parts they place.
            let known: &[&str] = match p.get("type").and_then(Value::as_str) {
                Some("input_text") => &["type", "text"],
                Some("output_text") => &["type", "text", "annotations", "logprobs"],
                Some("refusal") => &["type", "refusal"],
                Some("input_image") => &["type", "image_url", "detail", "file_id"],
                Some("input_file") => &["type", "file_data", "file_id", "file_url", "filename"],
                _ => continue,
            };
            for (key, v) in p.as_object().into_iter().flatten() {
                let empty = v.is_null() || v.as_array().is_some_and(Vec::is_empty);
                let carried = known.contains(&key.as_str())
                    && !matches!(key.as_str(), "annotations" | "logprobs");
                if !carried && !empty {
                    cx.lose(format!("{}/{}", at(), escape(key)))?;
                }
            }
        }
        // A reasoning item's raw text: the other protocols take back a summary at most.
        if item.get("type").and_then(Value::as_str) == Some("reasoning")
            && item
                .get("content")
                .is_some_and(|c| c.as_array().is_some_and(|c| !c.is_empty()))
        {
            cx.lose(format!("/input/{i}/content"))?;
        }
        if item.get("type").and_then(Value::as_str) == Some("function_call_output") {
            for (j, p) in item
                .get("output")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if !matches!(
                    p.get("type").and_then(Value::as_str),
                    Some("input_text" | "output_text" | "text")
                ) {
                    cx.lose(format!("/input/{i}/output/{j}"))?;
                }
            }
        }
    }
    let effort = req.get("reasoning").and_then(|r| r.get("effort"));
    if !carries.any_effort
        && effort
            .and_then(Value::as_str)
            .is_some_and(|e| !EFFORTS.contains(&e))
    {
        cx.lose("/reasoning/effort")?;
    }
    if !carries.verbosity && set(req.get("text").and_then(|t| t.get("verbosity")), "medium") {
        cx.lose("/text/verbosity")?;
    }
    if !carries.format_description
        && req
            .get("text")
            .and_then(|t| t.pointer("/format/description"))
            .is_some_and(|d| !d.is_null())
    {
        cx.lose("/text/format/description")?;
    }
    for (i, t) in req
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if !carries.strict_tools && t.get("strict") == Some(&Value::Bool(true)) {
            cx.lose(format!("/tools/{i}/strict"))?;
        }
    }
    Ok(())
}

/// The input as a list of items (a string is one user message).
pub fn input_items(req: &Map<String, Value>) -> Vec<Value> {
    match req.get("input") {
        Some(Value::String(s)) => vec![json!({"type": "message", "role": "user", "content": s})],
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// What an input item is.
pub enum Item<'a> {
    Message {
        role: &'a str,
        content: &'a Value,
    },
    FunctionCall {
        call_id: &'a str,
        name: &'a str,
        arguments: &'a str,
    },
    FunctionCallOutput {
        call_id: &'a str,
        output: String,
    },
    /// Summary text and the opaque state (`encrypted_content`).
    Reasoning {
        summary: String,
        encrypted: Option<&'a str>,
    },
    Other,
}

/// Reads one input item.
pub fn item(v: &Value) -> Item<'_> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
    match v.get("type").and_then(Value::as_str) {
        Some("message") | None if v.get("role").is_some() => Item::Message {
            role: s("role"),
            content: v.get("content").unwrap_or(&Value::Null),
        },
        Some("function_call") => Item::FunctionCall {
            call_id: s("call_id"),
            name: s("name"),
            arguments: s("arguments"),
        },
        Some("function_call_output") => Item::FunctionCallOutput {
            call_id: s("call_id"),
            output: match v.get("output") {
                Some(Value::String(o)) => o.clone(),
                Some(Value::Array(parts)) => parts
                    .iter()
                    .filter_map(|p| p.get("text").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join(""),
                Some(other) => other.to_string(),
                None => String::new(),
            },
        },
        Some("reasoning") => Item::Reasoning {
            summary: v
                .get("summary")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.get("text").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
            encrypted: v.get("encrypted_content").and_then(Value::as_str),
        },
        _ => Item::Other,
    }
}

/// One piece of a message's content.
pub enum Part {
    Text(String),
    /// An image URL (`data:` or http), with its `detail` when set.
    Image(String, Option<String>),
    /// A file as a data URL, with its name.
    File {
        data: String,
        filename: Option<String>,
    },
    Other,
}

/// A message's content as parts (a string is one text part).
pub fn parts(content: &Value) -> Vec<Part> {
    match content {
        Value::String(s) => vec![Part::Text(s.clone())],
        Value::Array(items) => items
            .iter()
            .map(|p| {
                let s = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
                match p.get("type").and_then(Value::as_str) {
                    Some("input_text" | "output_text" | "text") => {
                        Part::Text(s("text").unwrap_or_default())
                    }
                    Some("refusal") => Part::Text(s("refusal").unwrap_or_default()),
                    Some("input_image") => match s("image_url") {
                        Some(url) => Part::Image(url, s("detail")),
                        None => Part::Other,
                    },
                    Some("input_file") => match s("file_data") {
                        Some(data) => Part::File {
                            data,
                            filename: s("filename"),
                        },
                        None => Part::Other,
                    },
                    _ => Part::Other,
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The JSON schema and name of `text.format` when it asks for one; `Some(None)` for JSON
/// mode without a schema.
pub fn json_format(req: &Map<String, Value>) -> Option<Option<(String, Map<String, Value>)>> {
    let format = req.get("text")?.get("format")?;
    match format.get("type").and_then(Value::as_str) {
        Some("json_schema") => Some(Some((
            format
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("output")
                .to_owned(),
            format
                .get("schema")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        ))),
        Some("json_object") => Some(None),
        _ => None,
    }
}

/// A function tool of the request: name, description, parameters, `strict` when set.
pub type FunctionTool = (String, Option<String>, Map<String, Value>, Option<bool>);

/// The function tools; other tools reported.
pub fn function_tools(
    req: &Map<String, Value>,
    cx: &mut Cx,
) -> Result<Vec<FunctionTool>, TranslateError> {
    let mut out = Vec::new();
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
        out.push((
            t.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            t.get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            t.get("parameters")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            t.get("strict").and_then(Value::as_bool),
        ));
    }
    Ok(out)
}

/// `tool_choice`: "auto", "none", "required" or a function name.
pub enum Choice {
    Auto,
    None,
    Required,
    Named(String),
}

pub fn tool_choice(
    req: &Map<String, Value>,
    cx: &mut Cx,
) -> Result<Option<Choice>, TranslateError> {
    Ok(match req.get("tool_choice") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match s.as_str() {
            "auto" => Some(Choice::Auto),
            "none" => Some(Choice::None),
            "required" => Some(Choice::Required),
            _ => {
                cx.lose("/tool_choice")?;
                None
            }
        },
        Some(v) if v.get("type").and_then(Value::as_str) == Some("function") => {
            Some(Choice::Named(
                v.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
            ))
        }
        Some(_) => {
            cx.lose("/tool_choice")?;
            None
        }
    })
}

/// Reasoning effort asked for (`reasoning.effort`).
/// A value the spec does not list is none (and reported by [`check_settings`] where the
/// target cannot take it as it is).
pub fn effort(req: &Map<String, Value>) -> Option<&str> {
    req.get("reasoning")
        .and_then(|r| r.get("effort"))
        .and_then(Value::as_str)
        .filter(|e| *e != "none" && EFFORTS.contains(e))
}

/// Whether reasoning is turned off (`reasoning.effort: none`).
pub fn effort_off(req: &Map<String, Value>) -> bool {
    req.get("reasoning")
        .and_then(|r| r.get("effort"))
        .and_then(Value::as_str)
        == Some("none")
}

/// Token usage in the Responses API's shape.
pub fn usage(input: i64, cached: i64, output: i64, reasoning: i64) -> Value {
    json!({
        "input_tokens": input,
        "input_tokens_details": {"cached_tokens": cached},
        "output_tokens": output,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": input.saturating_add(output),
    })
}

/// What is being written: the open output item.
#[derive(Debug, Clone)]
enum Open {
    None,
    Message {
        text: String,
    },
    Reasoning {
        text: String,
    },
    Call {
        call_id: String,
        name: String,
        arguments: String,
    },
}

/// Writes a Responses answer from the upstream's pieces: as stream events (with
/// `stream`), and always as the final response object.
#[derive(Debug)]
pub struct Writer {
    pub id: String,
    pub model: String,
    created_at: i64,
    seq: u64,
    started: bool,
    output: Vec<Value>,
    open: Open,
    /// An opaque reasoning signature, for the reasoning item's `encrypted_content`.
    signature: Option<String>,
    /// The request's echo fields (instructions, tools, text, ...).
    echo: Echo,
    /// Whether stream events are written (not for an answer given whole).
    events: bool,
}

impl Writer {
    pub fn new(id: String, model: &str, echo: &Echo) -> Writer {
        let echo = echo.clone();
        Writer {
            id,
            model: model.to_owned(),
            created_at: crate::now_secs(),
            seq: 0,
            started: false,
            output: Vec::new(),
            open: Open::None,
            signature: None,
            echo,
            events: true,
        }
    }

    /// The answer is given whole: the writer keeps its items but writes no stream events.
    pub fn mute(&mut self) {
        self.events = false;
    }

    /// The next sequence number the stream would use.
    pub fn next_sequence_number(&self) -> u64 {
        self.seq
    }

    /// A stream event of `kind`: its payload, built only when events are written, with
    /// its type and sequence number.
    fn event(&mut self, out: &mut Vec<u8>, kind: &str, payload: impl FnOnce() -> Value) {
        if !self.events {
            return;
        }
        let mut payload = payload();
        payload["type"] = json!(kind);
        payload["sequence_number"] = json!(self.seq);
        self.seq += 1;
        crate::sse(out, Some(kind), &payload);
    }

    /// An event carrying the response object in `status` (`response.created`, ...),
    /// serialized from the writer's state without copying it.
    fn response_event(
        &mut self,
        out: &mut Vec<u8>,
        kind: &str,
        status: &str,
        usage: Option<&Value>,
        incomplete: Option<&str>,
    ) {
        if !self.events {
            return;
        }
        #[derive(Serialize)]
        struct Event<'a> {
            response: ResponseView<'a>,
            #[serde(rename = "type")]
            kind: &'a str,
            sequence_number: u64,
        }
        let event = Event {
            response: ResponseView {
                w: self,
                status,
                usage,
                incomplete,
            },
            kind,
            sequence_number: self.seq,
        };
        crate::sse(out, Some(kind), &event);
        self.seq += 1;
    }

    fn item_id(&self, prefix: &str) -> String {
        format!("{prefix}_{}_{}", self.id_tail(), self.output.len())
    }

    /// The response id without its `resp_` prefixes, the stem of item ids.
    fn id_tail(&self) -> &str {
        let mut tail = self.id.as_str();
        while let Some(rest) = tail.strip_prefix("resp_") {
            tail = rest;
        }
        tail
    }

    /// `response.created` and `response.in_progress` (once).
    pub fn start(&mut self, out: &mut Vec<u8>) {
        if self.started {
            return;
        }
        self.started = true;
        self.response_event(out, "response.created", "in_progress", None, None);
        self.response_event(out, "response.in_progress", "in_progress", None, None);
    }

    /// Closes the open item (its `done` events) and adds it to the output.
    pub fn close(&mut self, out: &mut Vec<u8>) {
        let index = self.output.len();
        match std::mem::replace(&mut self.open, Open::None) {
            Open::None => {}
            Open::Message { text } => {
                let id = self.item_id("msg");
                let part =
                    json!({"type": "output_text", "text": text, "annotations": [], "logprobs": []});
                self.event(out, "response.output_text.done", || json!({"item_id": id, "output_index": index, "content_index": 0, "text": text, "logprobs": []}));
                self.event(
                    out,
                    "response.content_part.done",
                    || json!({"item_id": id, "output_index": index, "content_index": 0, "part": part}),
                );
                let item = json!({"type": "message", "id": id, "status": "completed", "role": "assistant", "content": [part]});
                self.event(
                    out,
                    "response.output_item.done",
                    || json!({"output_index": index, "item": item}),
                );
                self.output.push(item);
            }
            Open::Reasoning { text } => {
                let id = self.item_id("rs");
                let summary = json!({"type": "summary_text", "text": text});
                self.event(
                    out,
                    "response.reasoning_summary_text.done",
                    || json!({"item_id": id, "output_index": index, "summary_index": 0, "text": text}),
                );
                self.event(out, "response.reasoning_summary_part.done", || json!({"item_id": id, "output_index": index, "summary_index": 0, "part": summary}));
                let mut item = json!({"type": "reasoning", "id": id, "summary": [summary]});
                if let Some(sig) = self.signature.take() {
                    item["encrypted_content"] = json!(sig);
                }
                self.event(
                    out,
                    "response.output_item.done",
                    || json!({"output_index": index, "item": item}),
                );
                self.output.push(item);
            }
            Open::Call {
                call_id,
                name,
                arguments,
            } => {
                let id = self.item_id("fc");
                self.event(
                    out,
                    "response.function_call_arguments.done",
                    || json!({"item_id": id, "output_index": index, "arguments": arguments}),
                );
                let item = json!({"type": "function_call", "id": id, "call_id": call_id, "name": name, "arguments": arguments, "status": "completed"});
                self.event(
                    out,
                    "response.output_item.done",
                    || json!({"output_index": index, "item": item}),
                );
                self.output.push(item);
            }
        }
    }

    /// A delta for the item already open (text to a message, reasoning text to a
    /// reasoning item, arguments to a call), its event written as bytes: the commonest
    /// events of a stream. False when the item open is not of that kind (the general
    /// methods open one).
    pub(crate) fn fast_delta(&mut self, piece: &crate::fast::Piece<'_>, out: &mut Vec<u8>) -> bool {
        use crate::fast::Piece;
        let (kind, prefix, extra) = match (piece, &mut self.open) {
            (Piece::Text(t), Open::Message { text }) => {
                text.push_str(t);
                ("response.output_text.delta", "msg", ",\"content_index\":0")
            }
            (Piece::Thinking(t), Open::Reasoning { text }) => {
                text.push_str(t);
                (
                    "response.reasoning_summary_text.delta",
                    "rs",
                    ",\"summary_index\":0",
                )
            }
            (Piece::Arguments(_, a), Open::Call { arguments, .. }) => {
                arguments.push_str(a);
                ("response.function_call_arguments.delta", "fc", "")
            }
            _ => return false,
        };
        let delta = match piece {
            Piece::Text(t) | Piece::Thinking(t) | Piece::Arguments(_, t) => t,
        };
        if delta.is_empty() || !self.events {
            return true;
        }
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\ndata: {\"type\":\"");
        out.extend_from_slice(kind.as_bytes());
        let mut n = itoa::Buffer::new();
        out.extend_from_slice(b"\",\"sequence_number\":");
        out.extend_from_slice(n.format(self.seq).as_bytes());
        out.extend_from_slice(b",\"item_id\":");
        self.seq += 1;
        let tail = self.id_tail();
        let index = self.output.len();
        if tail
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            // The id `item_id` makes, without its escaping.
            for piece in [b"\"", prefix.as_bytes(), b"_", tail.as_bytes(), b"_"] {
                out.extend_from_slice(piece);
            }
            out.extend_from_slice(n.format(index).as_bytes());
            out.push(b'"');
        } else {
            let _ = serde_json::to_writer(&mut *out, &self.item_id(prefix));
        }
        out.extend_from_slice(b",\"output_index\":");
        out.extend_from_slice(n.format(index).as_bytes());
        out.extend_from_slice(extra.as_bytes());
        out.extend_from_slice(b",\"delta\":");
        let _ = serde_json::to_writer(&mut *out, delta.as_ref());
        if prefix == "msg" {
            out.extend_from_slice(b",\"logprobs\":[]");
        }
        out.extend_from_slice(b"}\n\n");
        true
    }

    /// Appends answer text.
    pub fn text(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        self.start(out);
        if !matches!(self.open, Open::Message { .. }) {
            self.close(out);
            let index = self.output.len();
            let id = self.item_id("msg");
            self.event(out, "response.output_item.added", || json!({"output_index": index,
                "item": {"type": "message", "id": id, "status": "in_progress", "role": "assistant", "content": []}}));
            self.event(out, "response.content_part.added", || {
                json!({"item_id": id, "output_index": index, "content_index": 0,
                "part": {"type": "output_text", "text": "", "annotations": [], "logprobs": []}})
            });
            self.open = Open::Message {
                text: String::new(),
            };
        }
        let index = self.output.len();
        let id = self.item_id("msg");
        if let Open::Message { text } = &mut self.open {
            text.push_str(delta);
        }
        self.event(out, "response.output_text.delta", || json!({"item_id": id, "output_index": index, "content_index": 0, "delta": delta, "logprobs": []}));
    }

    /// Appends reasoning text (a summary).
    pub fn reasoning(&mut self, delta: &str, out: &mut Vec<u8>) {
        self.start(out);
        if !matches!(self.open, Open::Reasoning { .. }) {
            self.close(out);
            let index = self.output.len();
            let id = self.item_id("rs");
            self.event(out, "response.output_item.added", || json!({"output_index": index, "item": {"type": "reasoning", "id": id, "summary": []}}));
            self.event(out, "response.reasoning_summary_part.added", || {
                json!({"item_id": id, "output_index": index, "summary_index": 0,
                "part": {"type": "summary_text", "text": ""}})
            });
            self.open = Open::Reasoning {
                text: String::new(),
            };
        }
        if delta.is_empty() {
            return;
        }
        let index = self.output.len();
        let id = self.item_id("rs");
        if let Open::Reasoning { text } = &mut self.open {
            text.push_str(delta);
        }
        self.event(
            out,
            "response.reasoning_summary_text.delta",
            || json!({"item_id": id, "output_index": index, "summary_index": 0, "delta": delta}),
        );
    }

    /// The opaque signature of the reasoning being written (or just written).
    pub fn signature(&mut self, signature: &str, out: &mut Vec<u8>) {
        if signature.is_empty() {
            return;
        }
        match &self.open {
            Open::Reasoning { .. } => self.signature = Some(signature.to_owned()),
            _ => {
                // A signature with no reasoning text: an empty reasoning item carries it.
                self.reasoning("", out);
                self.signature = Some(signature.to_owned());
                self.close(out);
            }
        }
    }

    /// Reasoning state of `kind` (a signature, redacted data), marked so that only its own
    /// provider gets it back; empty state is none.
    pub fn sealed(&mut self, kind: crate::sealed::Sealed, state: &str, out: &mut Vec<u8>) {
        if !state.is_empty() {
            self.signature(&kind.seal(state), out);
        }
    }

    /// Starts a function call.
    pub fn call(&mut self, call_id: &str, name: &str, out: &mut Vec<u8>) {
        self.start(out);
        self.close(out);
        let index = self.output.len();
        let id = self.item_id("fc");
        self.event(out, "response.output_item.added", || json!({"output_index": index,
            "item": {"type": "function_call", "id": id, "call_id": call_id, "name": name, "arguments": "", "status": "in_progress"}}));
        self.open = Open::Call {
            call_id: call_id.to_owned(),
            name: name.to_owned(),
            arguments: String::new(),
        };
    }

    /// Appends arguments to the open function call.
    pub fn arguments(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        let index = self.output.len();
        let id = self.item_id("fc");
        if let Open::Call { arguments, .. } = &mut self.open {
            arguments.push_str(delta);
            self.event(
                out,
                "response.function_call_arguments.delta",
                || json!({"item_id": id, "output_index": index, "delta": delta}),
            );
        }
    }

    /// Ends the answer: `response.completed` (or `response.incomplete`).
    pub fn finish(&mut self, usage: Value, incomplete: Option<&str>, out: &mut Vec<u8>) {
        self.start(out);
        self.close(out);
        let (kind, status) = match incomplete {
            Some(_) => ("response.incomplete", "incomplete"),
            None => ("response.completed", "completed"),
        };
        self.response_event(out, kind, status, Some(&usage), incomplete);
    }

    /// The final response body (non-streaming answers): everything written, closed, and
    /// serialized from the writer's state.
    pub fn finish_body(&mut self, usage: Value, incomplete: Option<&str>) -> bytes::Bytes {
        let mut sink = Vec::new();
        self.close(&mut sink);
        let view = ResponseView {
            w: self,
            status: if incomplete.is_some() {
                "incomplete"
            } else {
                "completed"
            },
            usage: Some(&usage),
            incomplete,
        };
        // Values, strings and checked raw JSON only: serializing cannot fail.
        bytes::Bytes::from(serde_json::to_vec(&view).unwrap_or_default())
    }

    /// The `error` event that ends a broken stream.
    pub fn error(&mut self, message: &str, out: &mut Vec<u8>) {
        let payload = json!({"code": "upstream_stream_error", "message": message, "param": null});
        self.event(out, "error", || payload);
    }
}

/// The request fields a Responses answer echoes (instructions, tools, text, ...), in
/// their request's order: parsed, or as the caller wrote them (the request fast path's
/// tools and tool choice, which it does not parse). Shared, not copied, with the answer's
/// [`Writer`]: tools with their schemas can be most of a request.
#[derive(Debug, Clone, Default)]
pub struct Echo(std::sync::Arc<Vec<(&'static str, Echoed)>>);

#[derive(Debug, Clone)]
enum Echoed {
    Parsed(Value),
    Written(Box<serde_json::value::RawValue>),
}

impl Serialize for Echoed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Echoed::Parsed(v) => v.serialize(s),
            Echoed::Written(raw) => raw.serialize(s),
        }
    }
}

impl Echo {
    /// The fields echoed, in the order they are written after the fixed ones.
    const FIELDS: [&'static str; 9] = [
        "instructions",
        "tools",
        "tool_choice",
        "text",
        "temperature",
        "top_p",
        "parallel_tool_calls",
        "reasoning",
        "max_output_tokens",
    ];

    /// The echoed fields of a parsed request.
    pub fn of(request: &Map<String, Value>) -> Echo {
        let fields = Self::FIELDS
            .into_iter()
            .filter_map(|k| Some((k, Echoed::Parsed(request.get(k)?.clone()))));
        Echo(std::sync::Arc::new(fields.collect()))
    }

    /// Adds a field (one of [`Echo::FIELDS`]) the caller gave as `v`.
    pub(crate) fn parsed(&mut self, key: &'static str, v: Value) {
        self.add(key, Echoed::Parsed(v));
    }

    /// Adds a field (one of [`Echo::FIELDS`]) as its JSON `text`, which must be valid
    /// (else it is left out). Line breaks between tokens are dropped with the rest of the
    /// white space there: the echo goes into SSE `data:` lines, which a line break ends.
    pub(crate) fn written(&mut self, key: &'static str, text: &str) {
        let text = if text.contains(['\n', '\r']) {
            compact(text)
        } else {
            text.to_owned()
        };
        if let Ok(raw) = serde_json::value::RawValue::from_string(text) {
            self.add(key, Echoed::Written(raw));
        }
    }

    /// Adds a field in its place (while the echo is being built, not yet shared).
    fn add(&mut self, key: &'static str, v: Echoed) {
        let fields = std::sync::Arc::make_mut(&mut self.0);
        fields.push((key, v));
        let place = |k: &str| Self::FIELDS.iter().position(|f| *f == k);
        fields.sort_by_key(|(k, _)| place(k));
    }

    fn get(&self, key: &str) -> Option<&Echoed> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// JSON `text` without the white space between its tokens (strings kept as they are).
fn compact(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in text.as_bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            continue;
        } else if b == b'"' {
            in_string = true;
        }
        out.push(b);
    }
    // Only ASCII white space was dropped, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The response object as [`Writer`] holds it, serialized by reference: the fixed
/// fields, the output so far, then the request's echo fields (those with defaults in
/// their usual place).
struct ResponseView<'a> {
    w: &'a Writer,
    status: &'a str,
    usage: Option<&'a Value>,
    incomplete: Option<&'a str>,
}

impl Serialize for ResponseView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct Incomplete<'a> {
            reason: &'a str,
        }
        let w = self.w;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &w.id)?;
        m.serialize_entry("object", "response")?;
        m.serialize_entry("created_at", &w.created_at)?;
        m.serialize_entry("status", self.status)?;
        m.serialize_entry("error", &())?;
        m.serialize_entry(
            "incomplete_details",
            &self.incomplete.map(|reason| Incomplete { reason }),
        )?;
        m.serialize_entry("model", &w.model)?;
        m.serialize_entry("output", &w.output)?;
        m.serialize_entry("usage", &self.usage)?;
        match w.echo.get("parallel_tool_calls") {
            Some(v) => m.serialize_entry("parallel_tool_calls", v)?,
            None => m.serialize_entry("parallel_tool_calls", &true)?,
        }
        match w.echo.get("tool_choice") {
            Some(v) => m.serialize_entry("tool_choice", v)?,
            None => m.serialize_entry("tool_choice", "auto")?,
        }
        match w.echo.get("tools") {
            Some(v) => m.serialize_entry("tools", v)?,
            None => m.serialize_entry("tools", &[(); 0])?,
        }
        for (k, v) in w.echo.0.iter() {
            if !matches!(*k, "parallel_tool_calls" | "tool_choice" | "tools") {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// An upstream error (any protocol) → OpenAI's error shape, from its message and status.
pub fn error_body(status: u16, body: &[u8]) -> bytes::Bytes {
    let raw: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = raw
        .pointer("/error/message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let (t, code) = match status {
        401 | 403 => ("authentication_error", Some("invalid_api_key")),
        404 => ("invalid_request_error", Some("model_not_found")),
        429 => ("rate_limit_error", Some("rate_limit_exceeded")),
        s if s >= 500 => ("server_error", None),
        _ => ("invalid_request_error", None),
    };
    bytes::Bytes::from(
        json!({"error": {"message": message, "type": t, "param": null, "code": code}}).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    #[test]
    fn compact_drops_white_space_between_tokens_only() {
        let text = "{ \"a\" :\n [1,\t\"x \\\" y\\\\\" , {\r\n}] , \"b c\": \" \\n \"}";
        let compact = super::compact(text);
        assert_eq!(compact, r#"{"a":[1,"x \" y\\",{}],"b c":" \n "}"#);
        let v: Value = serde_json::from_str(text).expect("json");
        assert_eq!(serde_json::from_str::<Value>(&compact).ok(), Some(v));
    }
}
