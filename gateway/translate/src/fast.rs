//! Fast paths for the commonest stream events, a text (or thinking, or tool-argument)
//! delta: readers that take the delta out of an upstream event through a borrowed view
//! (no `Value`, no generated type), and writers that put it into the caller's event as
//! bytes. Anything else in the event (a finish reason, a second part, a role) makes the
//! reader say `None`, and the pair takes its general path.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns the fast paths off (or back on) for the whole process: the tests translate every
/// golden stream both ways and expect the same events.
#[doc(hidden)]
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

pub(crate) fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

use aigw_gemini as ge;
use serde::Deserialize;

/// A delta read from an upstream event.
#[derive(Debug)]
pub(crate) enum Piece<'a> {
    Text(Cow<'a, str>),
    Thinking(Cow<'a, str>),
    /// Arguments of the tool call at `index` (Chat's tool-call index, Anthropic's block).
    Arguments(i64, Cow<'a, str>),
}

/// An Anthropic `content_block_delta` of text, thinking or tool input: (block index, piece).
pub(crate) fn anthropic(data: &str) -> Option<(i64, Piece<'_>)> {
    #[derive(Deserialize)]
    struct Event<'a> {
        #[serde(rename = "type", borrow)]
        kind: Cow<'a, str>,
        #[serde(default)]
        index: i64,
        #[serde(borrow)]
        delta: Option<Delta<'a>>,
    }
    #[derive(Deserialize)]
    struct Delta<'a> {
        #[serde(rename = "type", borrow)]
        kind: Cow<'a, str>,
        #[serde(borrow, default)]
        text: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        partial_json: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        thinking: Option<Cow<'a, str>>,
    }
    if !enabled() || !data.starts_with(r#"{"type":"content_block_delta""#) {
        return None;
    }
    let e = serde_json::from_str::<Event>(data).ok()?;
    let d = e.delta.filter(|_| e.kind == "content_block_delta")?;
    let piece = match (d.kind.as_ref(), d.text, d.partial_json, d.thinking) {
        ("text_delta", Some(t), _, _) => Piece::Text(t),
        ("thinking_delta", _, _, Some(t)) => Piece::Thinking(t),
        ("input_json_delta", _, Some(j), _) => Piece::Arguments(e.index, j),
        _ => return None,
    };
    Some((e.index, piece))
}

/// A Chat Completions chunk whose one choice carries only text, reasoning text (in
/// `reasoning_field`) or one tool call's argument text.
pub(crate) fn chat<'a>(data: &'a str, reasoning_field: Option<&str>) -> Option<Piece<'a>> {
    #[derive(Deserialize)]
    struct Chunk<'a> {
        // Exactly one choice (anything else fails the view: the general path takes it).
        #[serde(borrow)]
        choices: [Choice<'a>; 1],
        #[serde(default)]
        usage: Option<serde::de::IgnoredAny>,
    }
    #[derive(Deserialize)]
    struct Choice<'a> {
        #[serde(borrow)]
        delta: Delta<'a>,
        #[serde(default)]
        finish_reason: Option<serde::de::IgnoredAny>,
    }
    #[derive(Deserialize)]
    struct Delta<'a> {
        #[serde(borrow, default)]
        content: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        reasoning_content: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        reasoning: Option<Cow<'a, str>>,
        #[serde(default)]
        role: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        refusal: Option<serde::de::IgnoredAny>,
        #[serde(borrow, default)]
        tool_calls: Option<[Call<'a>; 1]>,
    }
    #[derive(Deserialize)]
    struct Call<'a> {
        #[serde(default)]
        index: i64,
        #[serde(default)]
        id: Option<serde::de::IgnoredAny>,
        #[serde(borrow)]
        function: Option<Function<'a>>,
    }
    #[derive(Deserialize)]
    struct Function<'a> {
        #[serde(default)]
        name: Option<serde::de::IgnoredAny>,
        #[serde(borrow, default)]
        arguments: Option<Cow<'a, str>>,
    }
    if !enabled() {
        return None;
    }
    let chunk = serde_json::from_str::<Chunk>(data).ok()?;
    let [choice] = chunk.choices;
    let d = choice.delta;
    if chunk.usage.is_some()
        || choice.finish_reason.is_some()
        || d.role.is_some()
        || d.refusal.is_some()
    {
        return None;
    }
    let reasoning = match reasoning_field {
        Some("reasoning_content") => d.reasoning_content,
        Some("reasoning") => d.reasoning,
        _ if d.reasoning_content.is_some() || d.reasoning.is_some() => return None,
        _ => None,
    };
    match (d.content, reasoning, d.tool_calls) {
        (Some(t), None, None) => Some(Piece::Text(t)),
        (None, Some(t), None) => Some(Piece::Thinking(t)),
        (None, None, Some([call])) => {
            let f = call.function?;
            if call.id.is_some() || f.name.is_some() {
                return None;
            }
            Some(Piece::Arguments(call.index, f.arguments?))
        }
        _ => None,
    }
}

/// A Gemini chunk of one candidate with one text part (a thought or not, no signature),
/// no finish reason; its usage, if any.
pub(crate) fn gemini(data: &str) -> Option<(Piece<'_>, Option<ge::UsageMetadata>)> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Chunk<'a> {
        #[serde(borrow)]
        candidates: [Candidate<'a>; 1],
        #[serde(default)]
        usage_metadata: Option<Usage>,
    }
    /// The counts the pairs read (the breakdowns by modality translate nowhere).
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Usage {
        prompt_token_count: Option<i64>,
        candidates_token_count: Option<i64>,
        total_token_count: Option<i64>,
        cached_content_token_count: Option<i64>,
        thoughts_token_count: Option<i64>,
        tool_use_prompt_token_count: Option<i64>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Candidate<'a> {
        #[serde(borrow)]
        content: Content<'a>,
        #[serde(default)]
        finish_reason: Option<serde::de::IgnoredAny>,
    }
    #[derive(Deserialize)]
    struct Content<'a> {
        #[serde(borrow)]
        parts: [Part<'a>; 1],
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Part<'a> {
        #[serde(borrow)]
        text: Cow<'a, str>,
        #[serde(default)]
        thought: bool,
        #[serde(default)]
        thought_signature: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        function_call: Option<serde::de::IgnoredAny>,
    }
    if !enabled() || !data.starts_with(r#"{"candidates""#) {
        return None;
    }
    let chunk = serde_json::from_str::<Chunk>(data).ok()?;
    let [candidate] = chunk.candidates;
    if candidate.finish_reason.is_some() {
        return None;
    }
    let [part] = candidate.content.parts;
    if part.thought_signature.is_some() || part.function_call.is_some() {
        return None;
    }
    let piece = if part.thought {
        Piece::Thinking(part.text)
    } else {
        Piece::Text(part.text)
    };
    let usage = chunk.usage_metadata.map(|u| ge::UsageMetadata {
        prompt_token_count: u.prompt_token_count,
        candidates_token_count: u.candidates_token_count,
        total_token_count: u.total_token_count,
        cached_content_token_count: u.cached_content_token_count,
        thoughts_token_count: u.thoughts_token_count,
        tool_use_prompt_token_count: u.tool_use_prompt_token_count,
        ..Default::default()
    });
    Some((piece, usage))
}

/// `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":`
pub(crate) fn chat_prefix(id: &str, created: i64, model: &str) -> Vec<u8> {
    let mut p = b"data: {\"id\":".to_vec();
    let _ = serde_json::to_writer(&mut p, id);
    p.extend_from_slice(b",\"object\":\"chat.completion.chunk\",\"created\":");
    p.extend_from_slice(created.to_string().as_bytes());
    p.extend_from_slice(b",\"model\":");
    let _ = serde_json::to_writer(&mut p, model);
    p.extend_from_slice(b",\"choices\":[{\"index\":0,\"delta\":");
    p
}

/// A Chat chunk after its `prefix` ([`chat_prefix`]): `{"<key>": text}` as its delta, or
/// the argument text of tool call `call`.
pub(crate) fn chat_chunk(
    prefix: &[u8],
    key: &str,
    text: &str,
    call: Option<i64>,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(prefix);
    match call {
        Some(index) => {
            out.extend_from_slice(b"{\"tool_calls\":[{\"index\":");
            out.extend_from_slice(index.to_string().as_bytes());
            out.extend_from_slice(b",\"function\":{\"arguments\":");
            let _ = serde_json::to_writer(&mut *out, text);
            out.extend_from_slice(b"}}]}");
        }
        None => {
            out.extend_from_slice(b"{\"");
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\":");
            let _ = serde_json::to_writer(&mut *out, text);
            out.push(b'}');
        }
    }
    out.extend_from_slice(b",\"logprobs\":null,\"finish_reason\":null}]}\n\n");
}

/// An Anthropic `content_block_delta` event of `kind` (`text_delta`, ...) for block `index`
/// whose `field` holds `text`.
pub(crate) fn anthropic_delta(index: i64, kind: &str, field: &str, text: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(
        b"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":",
    );
    out.extend_from_slice(index.to_string().as_bytes());
    out.extend_from_slice(b",\"delta\":{\"type\":\"");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"\",\"");
    out.extend_from_slice(field.as_bytes());
    out.extend_from_slice(b"\":");
    let _ = serde_json::to_writer(&mut *out, text);
    out.extend_from_slice(b"}}\n\n");
}

/// The JSON of a Gemini chunk with one text part (framing is the caller's: SSE or array);
/// `usage`, when not empty, is the rendered `usageMetadata` value.
pub(crate) fn gemini_chunk(
    text: &str,
    thought: bool,
    signature: Option<&str>,
    usage: &[u8],
    model: &str,
    response_id: &str,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(
        b"{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":",
    );
    let _ = serde_json::to_writer(&mut *out, text);
    if thought {
        out.extend_from_slice(b",\"thought\":true");
    }
    if let Some(sig) = signature {
        out.extend_from_slice(b",\"thoughtSignature\":");
        let _ = serde_json::to_writer(&mut *out, sig);
    }
    out.extend_from_slice(b"}]},\"index\":0}],");
    if !usage.is_empty() {
        out.extend_from_slice(b"\"usageMetadata\":");
        out.extend_from_slice(usage);
        out.push(b',');
    }
    out.extend_from_slice(b"\"modelVersion\":");
    let _ = serde_json::to_writer(&mut *out, model);
    out.extend_from_slice(b",\"responseId\":");
    let _ = serde_json::to_writer(&mut *out, response_id);
    out.push(b'}');
}
