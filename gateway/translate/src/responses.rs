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

/// The service settings Chat Completions has too, under the same names and values: a
/// Responses caller's pair toward Chat carries them (`store` when `true`, Chat's default
/// being `false`; a `service_tier` whose word Chat's spec lists, [`crate::tier::chat_takes`]).
pub const CHAT_SERVICE: [&str; 6] = [
    "store",
    "metadata",
    "service_tier",
    "prompt_cache_key",
    "prompt_cache_retention",
    "safety_identifier",
];

/// Whether the request's `service_tier` (if any) is one Chat takes.
pub(crate) fn chat_takes_tier(req: &Map<String, Value>) -> bool {
    req.get("service_tier")
        .and_then(Value::as_str)
        .is_none_or(crate::tier::chat_takes)
}

/// Fields no other protocol has: reported when set (stateful ones refuse), but those the
/// target `carries` ([`CHAT_SERVICE`] toward Chat) and a service tier the target (of
/// family `tier_to`) has a word for, or the default ([`crate::tier`]): that word is
/// returned, for the pair to send.
pub(crate) fn check_top_level(
    req: &Map<String, Value>,
    carries: &[&str],
    tier_to: Option<crate::tier::Family>,
    cx: &mut Cx,
) -> Result<Option<&'static str>, TranslateError> {
    use crate::tier::{self, Family, Mapped};
    let tier = match (req.get("service_tier").and_then(Value::as_str), tier_to) {
        (Some(word), Some(to)) => tier::map(word, Family::OpenAi, to),
        _ => Mapped::Lost,
    };
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
        let carried = carries.contains(&lost) && (lost != "service_tier" || chat_takes_tier(req));
        if carried || (lost == "service_tier" && tier != Mapped::Lost) {
            continue;
        }
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
    Ok(match tier {
        Mapped::Sent(word) => Some(word),
        Mapped::Default | Mapped::Lost => None,
    })
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
    /// A function call output's images and files (the pair reports those it cannot
    /// place; their settings are checked as a message's parts are).
    pub output_media: bool,
}

/// The `reasoning.effort` values the spec lists.
const EFFORTS: &[&str] = &["none", "minimal", "low", "medium", "high", "xhigh", "max"];

/// Reports the settings inside items, tools and `text` that the target does not carry
/// (`carries`), and what no target takes: a function call output's parts other than text
/// (where the target has no place for them), a reasoning item's raw text.
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
        // A message's parts, and a function call output's where the target takes its
        // media (else the output's parts other than text are reported whole, below).
        let list = match item.get("type").and_then(Value::as_str) {
            Some("function_call_output") if !carries.output_media => None,
            Some("function_call_output") => Some("output"),
            _ => Some("content"),
        };
        let parts = list.and_then(|l| item.get(l)).and_then(Value::as_array);
        for (j, p) in parts.into_iter().flatten().enumerate() {
            let at = || format!("/input/{i}/{}/{j}", list.unwrap_or_default());
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
            // An image's URL, a file's data (else its URL), is what the pairs send: an id or
            // URL beside it is not (`parts`).
            let beside = |source: &str| p.get(source).is_some_and(Value::is_string);
            let shadowed = match p.get("type").and_then(Value::as_str) {
                Some("input_image") => beside("image_url").then_some(&["file_id"][..]),
                Some("input_file") if beside("file_data") => Some(&["file_id", "file_url"][..]),
                Some("input_file") => beside("file_url").then_some(&["file_id"][..]),
                _ => None,
            };
            for (key, v) in p.as_object().into_iter().flatten() {
                let empty = v.is_null() || v.as_array().is_some_and(Vec::is_empty);
                let carried = known.contains(&key.as_str())
                    && !matches!(key.as_str(), "annotations" | "logprobs")
                    && !shadowed.is_some_and(|s| s.contains(&key.as_str()));
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
        if item.get("type").and_then(Value::as_str) == Some("function_call_output")
            && !carries.output_media
        {
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
    /// A function's result: a string, or a list of parts ([`output_text`] is its text,
    /// [`parts`] reads the list).
    FunctionCallOutput {
        call_id: &'a str,
        output: &'a Value,
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
            output: v.get("output").unwrap_or(&Value::Null),
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

/// A function call output's text: the string, or the texts of its parts joined.
pub fn output_text(output: &Value) -> String {
    match output {
        Value::String(o) => o.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Whether a function call output holds parts other than text (images, files).
pub fn output_has_media(output: &Value) -> bool {
    output.as_array().is_some_and(|parts| {
        parts.iter().any(|p| {
            !matches!(
                p.get("type").and_then(Value::as_str),
                Some("input_text" | "output_text" | "text")
            )
        })
    })
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
    /// A file by URL (no data beside it), with its name.
    FileUrl {
        url: String,
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
                    Some("input_file") => match (s("file_data"), s("file_url")) {
                        (Some(data), _) => Part::File {
                            data,
                            filename: s("filename"),
                        },
                        (None, Some(url)) => Part::FileUrl {
                            url,
                            filename: s("filename"),
                        },
                        (None, None) => Part::Other,
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

/// Token usage in the Responses API's shape (`input` includes the tokens read from and
/// written to the cache).
pub fn usage(input: i64, cached: i64, cache_write: i64, output: i64, reasoning: i64) -> Value {
    json!({
        "input_tokens": input,
        "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": cache_write},
        "output_tokens": output,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": input.saturating_add(output),
    })
}

/// What is being written: the open output item. Its text is kept as the contents of a
/// JSON string (escaped, without the quotes), as its deltas were written, so that the
/// `done` events and the final response copy it instead of escaping it again.
#[derive(Debug, Clone)]
enum Open {
    None,
    Message {
        text: Vec<u8>,
    },
    Reasoning {
        text: Vec<u8>,
    },
    Call {
        call_id: String,
        name: String,
        arguments: Vec<u8>,
    },
}

/// The kinds of delta event, by the item they add to.
#[derive(Debug, Clone, Copy)]
enum Delta {
    Text,
    Reasoning,
    Arguments,
}

/// Writes a Responses answer from the upstream's pieces: as stream events (with
/// `stream`), and always as the final response object. Events and items are written as
/// bytes (their shapes are fixed); only the upstream's strings are escaped, once.
#[derive(Debug)]
pub struct Writer {
    pub id: String,
    pub model: String,
    created_at: i64,
    seq: u64,
    started: bool,
    /// The closed output items, each as its JSON text.
    output: Vec<Vec<u8>>,
    open: Open,
    /// Where the open item's delta events name it: `,"item_id":"...","output_index":n`
    /// and its content index (`,"content_index":0`) where it has one.
    at: Vec<u8>,
    /// An opaque reasoning signature, for the reasoning item's `encrypted_content`.
    signature: Option<String>,
    /// The request's echo fields (instructions, tools, text, ...).
    echo: Echo,
    /// Whether stream events are written (not for an answer given whole).
    events: bool,
    /// The tier that served the answer (`service_tier`), once the upstream named it.
    tier: Option<&'static str>,
}

/// A `serde_json` formatter that writes a string's contents without its quotes.
struct Contents;

impl serde_json::ser::Formatter for Contents {
    fn begin_string<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        Ok(())
    }
    fn end_string<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        Ok(())
    }
}

/// Appends `s` escaped as `serde_json` escapes a string, without the quotes.
fn contents(out: &mut Vec<u8>, s: &str) {
    use serde::Serializer;
    // Into a Vec, writing cannot fail.
    let _ = serde_json::Serializer::with_formatter(&mut *out, Contents).serialize_str(s);
}

/// Appends `s` as a JSON string.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    contents(out, s);
    out.push(b'"');
}

/// Appends `,"key":` (keys are plain ASCII).
fn key(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Appends `,"key":n`.
fn number(out: &mut Vec<u8>, name: &str, n: impl itoa::Integer) {
    key(out, name);
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
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
            at: Vec::new(),
            signature: None,
            echo,
            events: true,
            tier: None,
        }
    }

    /// The tier that served the answer, in the Responses API's word: in the response
    /// object from the next event on.
    pub fn tier(&mut self, word: &'static str) {
        self.tier = Some(word);
    }

    /// The answer is given whole: the writer keeps its items but writes no stream events.
    pub fn mute(&mut self) {
        self.events = false;
    }

    /// The next sequence number the stream would use.
    pub fn next_sequence_number(&self) -> u64 {
        self.seq
    }

    /// Opens a stream event of `kind` (plain ASCII): its `event:` line, and its data up
    /// to its sequence number. The caller appends its fields (each after a comma) and
    /// closes it with [`end`]. Only called when events are written.
    fn open_event(&mut self, out: &mut Vec<u8>, kind: &str) {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\ndata: {\"type\":\"");
        out.extend_from_slice(kind.as_bytes());
        out.push(b'"');
        number(out, "sequence_number", self.seq);
        self.seq += 1;
    }

    /// An event carrying the response object in `status` (`response.created`, ...).
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
        self.open_event(out, kind);
        key(out, "response");
        self.write_response(out, status, usage, incomplete);
        end(out);
    }

    /// The echo fields a response object always has (the spec's `Response` requires
    /// them), with what they are when the caller did not give them: the Responses API's
    /// defaults, `null` for a sampling setting the caller left to the upstream.
    const ALWAYS: [(&'static str, &'static str); 7] = [
        ("parallel_tool_calls", "true"),
        ("tool_choice", "\"auto\""),
        ("tools", "[]"),
        ("instructions", "null"),
        ("metadata", "{}"),
        ("temperature", "null"),
        ("top_p", "null"),
    ];

    /// The response object as the writer holds it: the fixed fields, the output so far,
    /// then the request's echo fields (first those it always has, [`Writer::ALWAYS`]).
    fn write_response(
        &self,
        out: &mut Vec<u8>,
        status: &str,
        usage: Option<&Value>,
        incomplete: Option<&str>,
    ) {
        out.extend_from_slice(b"{\"id\":");
        string(out, &self.id);
        out.extend_from_slice(b",\"object\":\"response\"");
        number(out, "created_at", self.created_at);
        key(out, "status");
        string(out, status);
        out.extend_from_slice(b",\"error\":null,\"incomplete_details\":");
        match incomplete {
            Some(reason) => {
                out.extend_from_slice(b"{\"reason\":");
                string(out, reason);
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        }
        key(out, "model");
        string(out, &self.model);
        out.extend_from_slice(b",\"output\":[");
        for (i, item) in self.output.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(item);
        }
        out.push(b']');
        key(out, "usage");
        // Values, strings and checked raw JSON only: serializing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, &usage);
        if let Some(word) = self.tier {
            key(out, "service_tier");
            string(out, word);
        }
        for (name, default) in Self::ALWAYS {
            key(out, name);
            match self.echo.get(name) {
                Some(v) => {
                    let _ = serde_json::to_writer(&mut *out, v);
                }
                None => out.extend_from_slice(default.as_bytes()),
            }
        }
        for (name, v) in self.echo.0.iter() {
            if !Self::ALWAYS.iter().any(|(always, _)| always == name) {
                key(out, name);
                let _ = serde_json::to_writer(&mut *out, v);
            }
        }
        out.push(b'}');
    }

    /// Appends the quoted id of the item at `index` (`msg_<response id>_<index>`, ...).
    fn item_id(&self, out: &mut Vec<u8>, prefix: &str, index: usize) {
        out.push(b'"');
        out.extend_from_slice(prefix.as_bytes());
        out.push(b'_');
        contents(out, self.id_tail());
        out.push(b'_');
        out.extend_from_slice(itoa::Buffer::new().format(index).as_bytes());
        out.push(b'"');
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
        let (prefix, mut item) = match &self.open {
            Open::None => return,
            Open::Message { .. } => ("msg", b"{\"type\":\"message\",\"id\":".to_vec()),
            Open::Reasoning { .. } => ("rs", b"{\"type\":\"reasoning\",\"id\":".to_vec()),
            Open::Call { .. } => ("fc", b"{\"type\":\"function_call\",\"id\":".to_vec()),
        };
        let mut id = Vec::with_capacity(32);
        self.item_id(&mut id, prefix, index);
        item.extend_from_slice(&id);
        // Where an event names its item: `,"item_id":"...","output_index":n`.
        let mut at = Vec::with_capacity(64);
        key(&mut at, "item_id");
        at.extend_from_slice(&id);
        number(&mut at, "output_index", index);
        match std::mem::replace(&mut self.open, Open::None) {
            Open::None => {}
            Open::Message { text } => {
                let part = self.close_text(out, &at, &text, &OUTPUT_TEXT);
                item.extend_from_slice(
                    b",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[",
                );
                item.extend_from_slice(&part);
                item.extend_from_slice(b"]}");
            }
            Open::Reasoning { text } => {
                let summary = self.close_text(out, &at, &text, &SUMMARY_TEXT);
                item.extend_from_slice(b",\"summary\":[");
                item.extend_from_slice(&summary);
                item.push(b']');
                if let Some(sig) = self.signature.take() {
                    key(&mut item, "encrypted_content");
                    string(&mut item, &sig);
                }
                item.push(b'}');
            }
            Open::Call {
                call_id,
                name,
                arguments,
            } => {
                if self.events {
                    self.open_event(out, "response.function_call_arguments.done");
                    out.extend_from_slice(&at);
                    key(out, "name");
                    string(out, &name);
                    out.extend_from_slice(b",\"arguments\":\"");
                    out.extend_from_slice(&arguments);
                    out.push(b'"');
                    end(out);
                }
                key(&mut item, "call_id");
                string(&mut item, &call_id);
                key(&mut item, "name");
                string(&mut item, &name);
                item.extend_from_slice(b",\"arguments\":\"");
                item.extend_from_slice(&arguments);
                item.extend_from_slice(b"\",\"status\":\"completed\"}");
            }
        }
        if self.events {
            self.open_event(out, "response.output_item.done");
            number(out, "output_index", index);
            key(out, "item");
            out.extend_from_slice(&item);
            end(out);
        }
        self.output.push(item);
    }

    /// The `done` events of a closing item's text (a message's output text, a reasoning
    /// item's summary; `at` names the item, `text` is escaped), and its part, returned.
    fn close_text(
        &mut self,
        out: &mut Vec<u8>,
        at: &[u8],
        text: &[u8],
        kind: &TextPart,
    ) -> Vec<u8> {
        let mut part = Vec::with_capacity(text.len() + 80);
        part.extend_from_slice(kind.part_head);
        part.extend_from_slice(text);
        part.extend_from_slice(kind.part_tail);
        if self.events {
            self.open_event(out, kind.text_done);
            out.extend_from_slice(at);
            out.extend_from_slice(kind.index);
            out.extend_from_slice(b",\"text\":\"");
            out.extend_from_slice(text);
            out.push(b'"');
            out.extend_from_slice(kind.text_tail);
            end(out);
            self.open_event(out, kind.part_done);
            out.extend_from_slice(at);
            out.extend_from_slice(kind.index);
            out.extend_from_slice(b",\"part\":");
            out.extend_from_slice(&part);
            end(out);
        }
        part
    }

    /// Opens an item: its `output_item.added` event, with the item as it begins
    /// (`{"type":...,"id":...` then `rest`), and a content part's `added` event when the
    /// item has one (`part`: its key and value).
    fn open_item(&mut self, out: &mut Vec<u8>, open: Open, kind: &str, rest: &[u8], part: &[u8]) {
        self.open = open;
        if !self.events {
            return;
        }
        let (index, prefix) = (self.output.len(), self.open_prefix());
        let mut id = Vec::with_capacity(32);
        self.item_id(&mut id, prefix, index);
        self.at.clear();
        key(&mut self.at, "item_id");
        self.at.extend_from_slice(&id);
        number(&mut self.at, "output_index", index);
        self.at.extend_from_slice(match self.open {
            Open::Message { .. } => b",\"content_index\":0".as_slice(),
            Open::Reasoning { .. } => b",\"summary_index\":0",
            _ => b"",
        });
        self.open_event(out, "response.output_item.added");
        number(out, "output_index", index);
        out.extend_from_slice(b",\"item\":{\"type\":\"");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\",\"id\":");
        out.extend_from_slice(&id);
        out.extend_from_slice(rest);
        end(out);
        if !part.is_empty() {
            let added = match self.open {
                Open::Reasoning { .. } => "response.reasoning_summary_part.added",
                _ => "response.content_part.added",
            };
            self.open_event(out, added);
            out.extend_from_slice(&self.at);
            out.extend_from_slice(part);
            end(out);
        }
    }

    /// The item id prefix of the open item.
    fn open_prefix(&self) -> &'static str {
        match self.open {
            Open::None | Open::Message { .. } => "msg",
            Open::Reasoning { .. } => "rs",
            Open::Call { .. } => "fc",
        }
    }

    /// A delta for the item already open (text to a message, reasoning text to a
    /// reasoning item, arguments to a call), its event written as bytes: the commonest
    /// events of a stream. False when the item open is not of that kind (the general
    /// methods open one).
    pub(crate) fn fast_delta(&mut self, piece: &crate::fast::Piece<'_>, out: &mut Vec<u8>) -> bool {
        use crate::fast::Piece;
        let (kind, delta) = match (piece, &self.open) {
            (Piece::Text(t), Open::Message { .. }) => (Delta::Text, t),
            (Piece::Thinking(t), Open::Reasoning { .. }) => (Delta::Reasoning, t),
            (Piece::Arguments(_, a), Open::Call { .. }) => (Delta::Arguments, a),
            _ => return false,
        };
        self.delta(kind, delta, out);
        true
    }

    /// Adds `delta` to the open item (which is of `kind`'s) and writes its event.
    fn delta(&mut self, kind: Delta, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        if !self.events {
            if let Open::Message { text }
            | Open::Reasoning { text }
            | Open::Call {
                arguments: text, ..
            } = &mut self.open
            {
                contents(text, delta);
            }
            return;
        }
        let name = match kind {
            Delta::Text => "response.output_text.delta",
            Delta::Reasoning => "response.reasoning_summary_text.delta",
            Delta::Arguments => "response.function_call_arguments.delta",
        };
        self.open_event(out, name);
        out.extend_from_slice(&self.at);
        out.extend_from_slice(b",\"delta\":\"");
        let at = out.len();
        contents(out, delta);
        if let Open::Message { text }
        | Open::Reasoning { text }
        | Open::Call {
            arguments: text, ..
        } = &mut self.open
        {
            text.extend_from_slice(&out[at..]);
        }
        out.push(b'"');
        if matches!(kind, Delta::Text) {
            out.extend_from_slice(b",\"logprobs\":[]");
        }
        end(out);
    }

    /// Appends answer text.
    pub fn text(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        self.start(out);
        if !matches!(self.open, Open::Message { .. }) {
            self.close(out);
            self.open_item(
                out,
                Open::Message { text: Vec::new() },
                "message",
                b",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}",
                b",\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[],\"logprobs\":[]}",
            );
        }
        self.delta(Delta::Text, delta, out);
    }

    /// Appends reasoning text (a summary).
    pub fn reasoning(&mut self, delta: &str, out: &mut Vec<u8>) {
        self.start(out);
        if !matches!(self.open, Open::Reasoning { .. }) {
            self.close(out);
            self.open_item(
                out,
                Open::Reasoning { text: Vec::new() },
                "reasoning",
                b",\"summary\":[]}",
                b",\"part\":{\"type\":\"summary_text\",\"text\":\"\"}",
            );
        }
        self.delta(Delta::Reasoning, delta, out);
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
        let mut rest = Vec::with_capacity(call_id.len() + name.len() + 64);
        key(&mut rest, "call_id");
        string(&mut rest, call_id);
        key(&mut rest, "name");
        string(&mut rest, name);
        rest.extend_from_slice(b",\"arguments\":\"\",\"status\":\"in_progress\"}");
        let open = Open::Call {
            call_id: call_id.to_owned(),
            name: name.to_owned(),
            arguments: Vec::new(),
        };
        self.open_item(out, open, "function_call", &rest, b"");
    }

    /// Appends arguments to the open function call.
    pub fn arguments(&mut self, delta: &str, out: &mut Vec<u8>) {
        if matches!(self.open, Open::Call { .. }) {
            self.delta(Delta::Arguments, delta, out);
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
        let status = if incomplete.is_some() {
            "incomplete"
        } else {
            "completed"
        };
        let mut body = Vec::with_capacity(512);
        self.write_response(&mut body, status, Some(&usage), incomplete);
        bytes::Bytes::from(body)
    }

    /// The `error` event that ends a broken stream.
    pub fn error(&mut self, message: &str, out: &mut Vec<u8>) {
        if !self.events {
            return;
        }
        self.open_event(out, "error");
        out.extend_from_slice(b",\"code\":\"upstream_stream_error\",\"message\":");
        string(out, message);
        out.extend_from_slice(b",\"param\":null");
        end(out);
    }
}

/// What differs between a message's output text and a reasoning item's summary when
/// their item closes ([`Writer::close_text`]).
struct TextPart {
    text_done: &'static str,
    part_done: &'static str,
    /// The part's index in its item, as the events name it.
    index: &'static [u8],
    /// The part up to its text, and after it.
    part_head: &'static [u8],
    part_tail: &'static [u8],
    /// What the text's `done` event has after the text.
    text_tail: &'static [u8],
}

const OUTPUT_TEXT: TextPart = TextPart {
    text_done: "response.output_text.done",
    part_done: "response.content_part.done",
    index: b",\"content_index\":0",
    part_head: b"{\"type\":\"output_text\",\"text\":\"",
    part_tail: b"\",\"annotations\":[],\"logprobs\":[]}",
    text_tail: b",\"logprobs\":[]",
};

const SUMMARY_TEXT: TextPart = TextPart {
    text_done: "response.reasoning_summary_text.done",
    part_done: "response.reasoning_summary_part.done",
    index: b",\"summary_index\":0",
    part_head: b"{\"type\":\"summary_text\",\"text\":\"",
    part_tail: b"\"}",
    text_tail: b"",
};

/// Closes an event [`Writer::open_event`] opened.
fn end(out: &mut Vec<u8>) {
    out.extend_from_slice(b"}\n\n");
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
    /// The fields echoed, in the order they are written after the fixed ones: the
    /// request's settings the spec's `Response` has (the API echoes them; one the upstream
    /// had no place for is in the loss report all the same).
    const FIELDS: [&'static str; 17] = [
        "instructions",
        "metadata",
        "tools",
        "tool_choice",
        "text",
        "temperature",
        "top_p",
        "parallel_tool_calls",
        "reasoning",
        "max_output_tokens",
        "max_tool_calls",
        "top_logprobs",
        "truncation",
        "user",
        "safety_identifier",
        "prompt_cache_key",
        "prompt_cache_retention",
    ];

    /// The echoed fields of a parsed request.
    pub fn of(request: &Map<String, Value>) -> Echo {
        let fields = Self::FIELDS.into_iter().filter_map(|k| {
            let mut v = request.get(k)?.clone();
            if k == "tools" {
                with_nulls(&mut v);
            }
            Some((k, Echoed::Parsed(v)))
        });
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

/// A response's function tools have a `strict` and `parameters` (the spec's
/// `FunctionTool` requires both, `null` allowed): `null` at the end of a tool that came
/// without them.
fn with_nulls(tools: &mut Value) {
    let functions = tools
        .as_array_mut()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("function"));
    for t in functions {
        for key in ["parameters", "strict"] {
            t.entry(key).or_insert(Value::Null);
        }
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
