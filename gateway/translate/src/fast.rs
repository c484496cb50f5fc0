//! Fast paths for the commonest stream events, a text (or thinking, or tool-argument)
//! delta: readers that take the delta out of an upstream event through a borrowed view
//! (no `Value`, no generated type), and writers that put it into the caller's event as
//! bytes. Anything else in the event (a finish reason, a second part, a role) makes the
//! reader say `None`, and the pair takes its general path.
//!
//! The readers check the type of everything they read and skip the rest as any JSON (see
//! the `scan` module). One difference from the general path follows, and is the only one
//! `tests/fast_paths.rs` allows: a field the translation does not read, of the wrong type
//! (a number for Gemini's `modelVersion`), passes here, where the general path, which
//! parses the whole event into the generated type, refuses the event.

use std::borrow::Cow;
use std::cell::Cell;

thread_local! {
    static ENABLED: Cell<bool> = const { Cell::new(true) };
}

/// Turns the fast paths off (or back on) for the calling thread: the tests translate
/// streams both ways and expect the same events.
#[doc(hidden)]
pub fn set_enabled(on: bool) {
    ENABLED.with(|e| e.set(on));
}

pub(crate) fn enabled() -> bool {
    ENABLED.with(Cell::get)
}

thread_local! {
    static PLAIN_TAKEN: Cell<u64> = const { Cell::new(0) };
}

/// How many requests the calling thread sent by the request fast path (`plain`): the
/// tests check that they compare the paths on requests it took, and the gateway counts
/// the translations that took it (`aigw_translations_total`).
pub fn plain_requests() -> u64 {
    PLAIN_TAKEN.with(Cell::get)
}

pub(crate) fn count_plain_request() {
    PLAIN_TAKEN.with(|n| n.set(n.get() + 1));
}

use aigw_gemini as ge;

use crate::scan::{Scan, Template};

/// What a stream's reader keeps from one event to the next: the [`Template`] of the last
/// event it took whole, with what that event said outside its holes (`S`), so that the
/// next events of the same shape are read from their holes alone.
#[derive(Debug, Clone)]
pub(crate) struct Memo<S> {
    template: Option<(Template, S)>,
    /// Events taken whole in a row although a template was there (their shape changes:
    /// a provider's varying field the reader does not mark); past [`MEMO_MISSES`] the
    /// reader stops making templates for the stream.
    misses: u8,
}

impl<S> Default for Memo<S> {
    fn default() -> Self {
        Memo {
            template: None,
            misses: 0,
        }
    }
}

/// See [`Memo::misses`].
const MEMO_MISSES: u8 = 8;

impl<S> Memo<S> {
    /// The holes of `data` in the template, when it matches.
    fn fill<'a>(&mut self, data: &'a str) -> Option<(crate::scan::Filled<'a>, &S)> {
        let (template, shape) = self.template.as_ref()?;
        match template.fill(data) {
            Some(filled) => {
                self.misses = 0;
                Some((filled, shape))
            }
            None => {
                self.misses = self.misses.saturating_add(1);
                None
            }
        }
    }

    /// Keeps the document `s` read whole (successfully) as the template.
    fn keep(&mut self, s: &Scan<'_>, shape: S) {
        if self.misses <= MEMO_MISSES {
            self.template = s.template().map(|t| (t, shape));
        }
    }
}

/// A delta read from an upstream event.
#[derive(Debug)]
pub(crate) enum Piece<'a> {
    Text(Cow<'a, str>),
    Thinking(Cow<'a, str>),
    /// Arguments of the tool call at `index` (Chat's tool-call index, Anthropic's block).
    Arguments(i64, Cow<'a, str>),
}

/// The kinds of Anthropic delta the stream fast paths take: what an Anthropic event's
/// template says outside its holes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnthropicDelta {
    Text,
    Thinking,
    Arguments,
}

/// The holes of an Anthropic delta's template: the block index and the text.
const ANTHROPIC_INDEX: u8 = 1;
const ANTHROPIC_TEXT: u8 = 2;

/// An Anthropic `content_block_delta` of text, thinking or tool input: (block index, piece).
/// An event of the shape of the last one taken (`memo`) is read from its holes: the
/// index and the text.
pub(crate) fn anthropic<'a>(
    data: &'a str,
    memo: &mut Memo<AnthropicDelta>,
) -> Option<(i64, Piece<'a>)> {
    if !enabled() || !data.starts_with(r#"{"type":"content_block_delta""#) {
        return None;
    }
    let (kind, index, text) = if let Some(((holes, n), &kind)) = memo.fill(data) {
        let (mut index, mut text) = (None, None);
        for &(tag, value) in &holes[..n] {
            let mut s = Scan::value(value);
            match tag {
                ANTHROPIC_INDEX => index = Some(s.int()?),
                _ => text = Some(s.string()?),
            }
        }
        (kind, index, text?)
    } else {
        let mut s = Scan::new(data);
        let (mut event, mut index, mut delta) = (false, None, None);
        s.object(|key, s| match key {
            b"type" if !event => {
                event = s.string()? == "content_block_delta";
                event.then_some(())
            }
            b"index" if index.is_none() => {
                index = Some(s.hole(ANTHROPIC_INDEX, Scan::int)?);
                Some(())
            }
            b"delta" if delta.is_none() => {
                let (mut kind, mut text) = (None, None);
                s.object(|key, s| match key {
                    b"type" if kind.is_none() => {
                        kind = Some(s.string()?);
                        Some(())
                    }
                    b"text" | b"partial_json" | b"thinking" if text.is_none() => {
                        text = Some((key, s.hole(ANTHROPIC_TEXT, Scan::string)?));
                        Some(())
                    }
                    _ => s.skip(),
                })?;
                delta = Some((kind?, text?));
                Some(())
            }
            b"type" | b"index" | b"delta" => None,
            _ => s.skip(),
        })?;
        s.end()?;
        let (kind, (field, text)) = delta?;
        let kind = match (kind.as_ref(), field) {
            ("text_delta", b"text") => AnthropicDelta::Text,
            ("thinking_delta", b"thinking") => AnthropicDelta::Thinking,
            ("input_json_delta", b"partial_json") => AnthropicDelta::Arguments,
            _ => return None,
        };
        memo.keep(&s, kind);
        (kind, index, text)
    };
    let index = index.unwrap_or(0);
    let piece = match kind {
        AnthropicDelta::Text => Piece::Text(text),
        AnthropicDelta::Thinking => Piece::Thinking(text),
        AnthropicDelta::Arguments => Piece::Arguments(index, text),
    };
    Some((index, piece))
}

/// The holes of a Chat chunk's template ([`Scan::hole`] tags).
mod chat_hole {
    pub const SKIPPED: u8 = 0;
    pub const CONTENT: u8 = 1;
    pub const REASONING: u8 = 2;
    pub const INDEX: u8 = 3;
    pub const ARGUMENTS: u8 = 4;
}

/// What a Chat chunk's delta holds; a second of anything refuses the chunk.
#[derive(Default)]
struct Delta<'a> {
    content: Option<Cow<'a, str>>,
    reasoning: Option<Cow<'a, str>>,
    call: Option<(i64, Cow<'a, str>)>,
    seen: u8,
}

impl<'a> Delta<'a> {
    fn piece(self) -> Option<Piece<'a>> {
        match (self.content, self.reasoning, self.call) {
            (Some(t), None, None) => Some(Piece::Text(t)),
            (None, Some(t), None) => Some(Piece::Thinking(t)),
            (None, None, Some((index, arguments))) => Some(Piece::Arguments(index, arguments)),
            _ => None,
        }
    }
}

/// A Chat Completions chunk whose one choice carries only text, reasoning text (in
/// `reasoning_field`) or one tool call's argument text. A chunk of the shape of the last
/// one taken (`memo`) is read from its holes: the text, the call's index, and OpenAI's
/// `obfuscation`, which differs in every chunk.
pub(crate) fn chat<'a>(
    data: &'a str,
    reasoning_field: Option<&str>,
    memo: &mut Memo<()>,
) -> Option<Piece<'a>> {
    if !enabled() {
        return None;
    }
    if let Some(((holes, n), ())) = memo.fill(data) {
        let mut d = Delta::default();
        let (mut index, mut arguments) = (None, None);
        for &(tag, text) in &holes[..n] {
            let mut s = Scan::value(text);
            match tag {
                chat_hole::CONTENT => d.content = s.string_or_null()?,
                chat_hole::REASONING => d.reasoning = s.string_or_null()?,
                chat_hole::INDEX => index = Some(s.int()?),
                chat_hole::ARGUMENTS => arguments = Some(s.string()?),
                _ => {}
            }
        }
        d.call = arguments.map(|a| (index.unwrap_or(0), a));
        return d.piece();
    }
    let reasoning_key = reasoning_field.map(str::as_bytes);
    let mut s = Scan::new(data);
    let mut delta: Option<Delta> = None;
    s.object(|key, s| match key {
        b"choices" if delta.is_none() => s.single(|s| {
            s.object(|key, s| match key {
                b"delta" if delta.is_none() => {
                    let mut d = Delta::default();
                    s.object(|key, s| {
                        // Any field once only.
                        let bit = match key {
                            _ if Some(key) == reasoning_key => 16,
                            b"content" => 1,
                            b"role" => 2,
                            b"refusal" => 4,
                            b"tool_calls" => 8,
                            // Reasoning in a field the provider is not known to use:
                            // the general path decides what it is.
                            b"reasoning_content" | b"reasoning" => return s.only_null(),
                            _ => return s.skip(),
                        };
                        if d.seen & bit != 0 {
                            return None;
                        }
                        d.seen |= bit;
                        match bit {
                            1 => d.content = s.hole(chat_hole::CONTENT, Scan::string_or_null)?,
                            16 => {
                                d.reasoning = s.hole(chat_hole::REASONING, Scan::string_or_null)?
                            }
                            8 => d.call = Some(tool_call(s)?),
                            _ => s.only_null()?,
                        }
                        Some(())
                    })?;
                    delta = Some(d);
                    Some(())
                }
                b"finish_reason" | b"delta" => s.only_null(),
                _ => s.skip(),
            })
        }),
        b"usage" | b"choices" => s.only_null(),
        b"obfuscation" => s.hole(chat_hole::SKIPPED, Scan::skip),
        _ => s.skip(),
    })?;
    s.end()?;
    let piece = delta?.piece()?;
    memo.keep(&s, ());
    Some(piece)
}

/// `tool_calls` of exactly one call that carries only argument text (no id, no name).
fn tool_call<'a>(s: &mut Scan<'a>) -> Option<(i64, Cow<'a, str>)> {
    let mut call = None;
    s.single(|s| {
        let (mut index, mut arguments) = (None, None);
        s.object(|key, s| match key {
            b"index" if index.is_none() => {
                index = Some(s.hole(chat_hole::INDEX, Scan::int)?);
                Some(())
            }
            b"function" if arguments.is_none() => {
                let mut text = None;
                s.object(|key, s| match key {
                    b"arguments" if text.is_none() => {
                        text = Some(s.hole(chat_hole::ARGUMENTS, Scan::string)?);
                        Some(())
                    }
                    b"name" | b"arguments" => s.only_null(),
                    _ => s.skip(),
                })?;
                arguments = Some(text?);
                Some(())
            }
            b"id" | b"index" | b"function" => s.only_null(),
            _ => s.skip(),
        })?;
        call = Some((index.unwrap_or(0), arguments?));
        Some(())
    })?;
    call
}

/// The delta events of the Responses API a stream fast path takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponsesDelta {
    Text,
    Arguments,
    Reasoning,
}

/// The hole of a Responses delta's text; its other holes (the sequence number, OpenAI's
/// `obfuscation`) are only checked.
const RESPONSES_DELTA: u8 = 1;

/// A Responses API delta event (`response.output_text.delta`,
/// `.function_call_arguments.delta`, `.reasoning_summary_text.delta`): its kind and its
/// text. An event of the shape of the last one taken (`memo`) is read from its holes: the
/// text, the sequence number and `obfuscation`.
pub(crate) fn responses<'a>(
    data: &'a str,
    memo: &mut Memo<ResponsesDelta>,
) -> Option<(ResponsesDelta, Cow<'a, str>)> {
    if !enabled() || !data.starts_with(r#"{"type":"response."#) {
        return None;
    }
    if let Some(((holes, n), &kind)) = memo.fill(data) {
        let mut delta = None;
        for &(tag, value) in &holes[..n] {
            if tag == RESPONSES_DELTA {
                delta = Some(Scan::value(value).string()?);
            }
        }
        return Some((kind, delta?));
    }
    let mut s = Scan::new(data);
    let (mut kind, mut delta) = (None, None);
    s.object(|key, s| match key {
        b"type" => {
            kind = Some(match s.string()?.as_ref() {
                "response.output_text.delta" => ResponsesDelta::Text,
                "response.function_call_arguments.delta" => ResponsesDelta::Arguments,
                "response.reasoning_summary_text.delta" => ResponsesDelta::Reasoning,
                _ => return None,
            });
            Some(())
        }
        b"delta" => {
            delta = Some(s.hole(RESPONSES_DELTA, Scan::string)?);
            Some(())
        }
        b"sequence_number" | b"obfuscation" => s.hole(0, Scan::skip),
        _ => s.skip(),
    })?;
    s.end()?;
    let (kind, delta) = (kind?, delta?);
    memo.keep(&s, kind);
    Some((kind, delta))
}

/// The holes of a Gemini chunk's template ([`Scan::hole`] tags): the part's text, then
/// each count of [`Counts`] by its [`Counts::field`] number.
const GEMINI_TEXT: u8 = 0;

/// What a Gemini chunk's template says outside its holes: whether the part is a thought,
/// whether the chunk has `usageMetadata`, and its service tier.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GeminiShape {
    thought: bool,
    usage: bool,
    tier: Option<&'static str>,
}

/// A Gemini chunk of one candidate with one text part (a thought or not, no signature),
/// no finish reason; its usage, if any. A chunk of the shape of the last one taken
/// (`memo`) is read from its holes: the text and the counts.
pub(crate) fn gemini<'a>(
    data: &'a str,
    memo: &mut Memo<GeminiShape>,
) -> Option<(Piece<'a>, Option<Counts>)> {
    if !enabled() || !data.starts_with(r#"{"candidates""#) {
        return None;
    }
    if let Some(((holes, n), shape)) = memo.fill(data) {
        let (mut text, mut counts) = (None, Counts::default());
        counts.tier = shape.tier;
        for &(tag, value) in &holes[..n] {
            let mut s = Scan::value(value);
            match tag {
                GEMINI_TEXT => text = Some(s.string()?),
                field => *counts.field(field)? = count(&mut s)?,
            }
        }
        let text = text?;
        let piece = if shape.thought {
            Piece::Thinking(text)
        } else {
            Piece::Text(text)
        };
        return Some((piece, shape.usage.then_some(counts)));
    }
    let mut s = Scan::new(data);
    let (mut part, mut usage) = (None, None);
    s.object(|key, s| match key {
        b"candidates" if part.is_none() => s.single(|s| {
            s.object(|key, s| match key {
                b"content" if part.is_none() => {
                    part = Some(gemini_part(s)?);
                    Some(())
                }
                b"finishReason" | b"content" => s.only_null(),
                _ => s.skip(),
            })
        }),
        b"usageMetadata" if usage.is_none() => {
            usage = Some(gemini_usage(s)?);
            Some(())
        }
        b"candidates" | b"usageMetadata" => None,
        _ => s.skip(),
    })?;
    s.end()?;
    let piece = part?;
    let shape = GeminiShape {
        thought: matches!(piece, Piece::Thinking(_)),
        usage: usage.is_some(),
        tier: usage.as_ref().and_then(|u| u.tier),
    };
    memo.keep(&s, shape);
    Some((piece, usage))
}

/// A count: an integer, or `null` for none.
fn count(s: &mut Scan<'_>) -> Option<Option<i64>> {
    if s.null() {
        return Some(None);
    }
    s.int().map(Some)
}

/// A candidate's `content` of exactly one text part (no signature, no call).
fn gemini_part<'a>(s: &mut Scan<'a>) -> Option<Piece<'a>> {
    let mut piece = None;
    let mut parts = false;
    s.object(|key, s| match key {
        b"parts" if !parts => {
            parts = true;
            s.single(|s| {
                let (mut text, mut thought) = (None, None);
                s.object(|key, s| match key {
                    b"text" if text.is_none() => {
                        text = Some(s.hole(GEMINI_TEXT, Scan::string)?);
                        Some(())
                    }
                    b"thought" if thought.is_none() => {
                        thought = Some(s.bool()?);
                        Some(())
                    }
                    b"text" | b"thought" | b"thoughtSignature" | b"functionCall" => s.only_null(),
                    _ => s.skip(),
                })?;
                let text = text?;
                piece = Some(if thought == Some(true) {
                    Piece::Thinking(text)
                } else {
                    Piece::Text(text)
                });
                Some(())
            })
        }
        b"parts" => None,
        _ => s.skip(),
    })?;
    piece
}

/// The counts of a Gemini chunk's `usageMetadata` that the pairs read (the breakdowns
/// by modality translate nowhere).
#[derive(Debug, Default)]
pub(crate) struct Counts {
    prompt: Option<i64>,
    candidates: Option<i64>,
    total: Option<i64>,
    cached: Option<i64>,
    thoughts: Option<i64>,
    tool_use_prompt: Option<i64>,
    /// `serviceTier`, one of the words Gemini's spec lists.
    tier: Option<&'static str>,
}

impl Counts {
    /// The count of tag `field` (1 to 6, in the order of the fields), as holes name them.
    fn field(&mut self, field: u8) -> Option<&mut Option<i64>> {
        Some(match field {
            1 => &mut self.prompt,
            2 => &mut self.candidates,
            3 => &mut self.total,
            4 => &mut self.cached,
            5 => &mut self.thoughts,
            6 => &mut self.tool_use_prompt,
            _ => return None,
        })
    }

    /// Makes `u` what the chunk said, as the general path's parse would: these counts,
    /// nothing else. In place: the generated type is large to move.
    pub(crate) fn store(self, u: &mut ge::UsageMetadata) {
        u.prompt_token_count = self.prompt;
        u.candidates_token_count = self.candidates;
        u.total_token_count = self.total;
        u.cached_content_token_count = self.cached;
        u.thoughts_token_count = self.thoughts;
        u.tool_use_prompt_token_count = self.tool_use_prompt;
        u.cache_tokens_details = None;
        u.candidates_tokens_details = None;
        u.prompt_tokens_details = None;
        u.tool_use_prompt_tokens_details = None;
        let tier = |word| GEMINI_TIERS.iter().find(|(w, _)| *w == word);
        u.service_tier = self.tier.and_then(tier).map(|(_, t)| t.clone());
        u.extra.clear();
    }
}

/// The service tiers Gemini's `UsageMetadata` names (another word takes the general path).
const GEMINI_TIERS: [(&str, ge::UsageMetadataServiceTier); 4] = [
    ("unspecified", ge::UsageMetadataServiceTier::Unspecified),
    ("standard", ge::UsageMetadataServiceTier::Standard),
    ("flex", ge::UsageMetadataServiceTier::Flex),
    ("priority", ge::UsageMetadataServiceTier::Priority),
];

fn gemini_usage(s: &mut Scan<'_>) -> Option<Counts> {
    let mut u = Counts::default();
    s.object(|key, s| {
        let tag = match key {
            b"promptTokenCount" => 1,
            b"candidatesTokenCount" => 2,
            b"totalTokenCount" => 3,
            b"cachedContentTokenCount" => 4,
            b"thoughtsTokenCount" => 5,
            b"toolUsePromptTokenCount" => 6,
            b"serviceTier" if u.tier.is_none() => {
                let word = s.string()?;
                u.tier = Some(GEMINI_TIERS.iter().find(|(t, _)| *t == word)?.0);
                return Some(());
            }
            b"serviceTier" => return None,
            _ => return s.skip(),
        };
        let n = s.hole(tag, count)?;
        let field = u.field(tag)?;
        if field.is_some() {
            return None;
        }
        *field = n;
        Some(())
    })?;
    Some(u)
}

/// `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":`
pub(crate) fn chat_prefix(id: &str, created: i64, model: &str, tier: Option<&str>) -> Vec<u8> {
    let mut p = b"data: {\"id\":".to_vec();
    let _ = serde_json::to_writer(&mut p, id);
    p.extend_from_slice(b",\"object\":\"chat.completion.chunk\",\"created\":");
    p.extend_from_slice(itoa::Buffer::new().format(created).as_bytes());
    p.extend_from_slice(b",\"model\":");
    let _ = serde_json::to_writer(&mut p, model);
    if let Some(word) = tier {
        p.extend_from_slice(b",\"service_tier\":");
        let _ = serde_json::to_writer(&mut p, word);
    }
    p.extend_from_slice(b",\"choices\":[{\"index\":0,\"delta\":");
    p
}

/// A Chat chunk's fields in [`chat_prefix`]'s order, with `choices`, as a value (the
/// chunks the fast path does not write).
pub(crate) fn chat_head(
    id: &str,
    created: i64,
    model: &str,
    tier: Option<&str>,
    choices: serde_json::Value,
) -> serde_json::Value {
    let mut chunk = serde_json::json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": model});
    if let Some(word) = tier {
        chunk["service_tier"] = serde_json::Value::String(word.to_owned());
    }
    chunk["choices"] = choices;
    chunk
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
            out.extend_from_slice(itoa::Buffer::new().format(index).as_bytes());
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
    out.extend_from_slice(itoa::Buffer::new().format(index).as_bytes());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(p: Option<Piece<'_>>) -> Option<String> {
        match p? {
            Piece::Text(t) => Some(format!("text:{t}")),
            Piece::Thinking(t) => Some(format!("thinking:{t}")),
            Piece::Arguments(i, a) => Some(format!("args{i}:{a}")),
        }
    }

    #[test]
    fn chat_reader_takes_plain_deltas_and_leaves_the_rest() {
        let env = r#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":"#;
        let chunk = |delta: &str, tail: &str| format!("{env}{delta}{tail}");
        let plain = r#","logprobs":null,"finish_reason":null}]}"#;
        let read = |d: &str, t: &str| {
            text(chat(
                &chunk(d, t),
                Some("reasoning_content"),
                &mut Memo::default(),
            ))
        };
        assert_eq!(
            read(r#"{"content":"hi"}"#, plain).as_deref(),
            Some("text:hi")
        );
        assert_eq!(
            read(r#"{"content":"a\"b\u00e9"}"#, plain).as_deref(),
            Some("text:a\"bé")
        );
        assert_eq!(
            read(r#"{"reasoning_content":"hm","content":null}"#, plain).as_deref(),
            Some("thinking:hm")
        );
        assert_eq!(
            read(
                r#"{"tool_calls":[{"index":1,"function":{"arguments":"{\"a\""}}]}"#,
                plain
            )
            .as_deref(),
            Some("args1:{\"a\"")
        );
        // Anything the general path must see.
        for (d, t) in [
            (r#"{"content":"hi"}"#, r#","finish_reason":"stop"}]}"#),
            (
                r#"{"content":"hi"}"#,
                r#","finish_reason":null}],"usage":{"total_tokens":1}}"#,
            ),
            (r#"{"role":"assistant","content":"hi"}"#, plain),
            (r#"{"content":"hi","content":"again"}"#, plain),
            (r#"{"content":"hi","reasoning":"hm"}"#, plain),
            (r#"{"content":"hi","refusal":"no"}"#, plain),
            (
                r#"{"tool_calls":[{"index":0,"id":"call_1","function":{"arguments":""}}]}"#,
                plain,
            ),
            (
                r#"{"tool_calls":[{"index":0,"function":{"name":"f","arguments":""}}]}"#,
                plain,
            ),
            (
                r#"{"content":"hi"}"#,
                r#"},{"index":1,"delta":{"content":"x"}}]}"#,
            ),
            (r#"{"content":"hi"}"#, r#","finish_reason":null}]"#),
            (r#"{"content":"hi"}"#, r#","finish_reason":null}]} x"#),
            (r#"{"content":"h	i"}"#, plain),
        ] {
            assert_eq!(read(d, t), None, "{d}{t}");
        }
        assert_eq!(
            text(chat(r#"{"choices":[]}"#, None, &mut Memo::default())),
            None
        );
    }

    #[test]
    fn gemini_reader_takes_one_text_part_and_its_counts() {
        let read = |s: &str| gemini(s, &mut Memo::default()).map(|(p, u)| (text(Some(p)), u));
        let (piece, usage) = read(r#"{"candidates":[{"content":{"role":"model","parts":[{"text":"hi","thought":true}]},"index":0}],"usageMetadata":{"promptTokenCount":3,"promptTokensDetails":[{"modality":"TEXT","tokenCount":3}],"totalTokenCount":4},"modelVersion":"m"}"#).expect("fast");
        assert_eq!(piece.as_deref(), Some("thinking:hi"));
        let mut u = ge::UsageMetadata {
            candidates_token_count: Some(9),
            ..Default::default()
        };
        usage.expect("usage").store(&mut u);
        assert_eq!(
            (
                u.prompt_token_count,
                u.total_token_count,
                u.candidates_token_count
            ),
            (Some(3), Some(4), None)
        );
        for s in [
            r#"{"candidates":[{"content":{"parts":[{"text":"hi"}]},"finishReason":"STOP"}]}"#,
            r#"{"candidates":[{"content":{"parts":[{"text":"hi","thoughtSignature":"c2ln"}]}}]}"#,
            r#"{"candidates":[{"content":{"parts":[{"text":"hi"},{"text":"more"}]}}]}"#,
            r#"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f"}}]}}]}"#,
            r#"{"candidates":[{"content":{"parts":[{"text":"hi"}]}},{"content":{"parts":[]}}]}"#,
            r#"{"candidates":[{"content":{"parts":[{"text":"hi"}]}}],"usageMetadata":{"promptTokenCount":1.5}}"#,
        ] {
            assert!(read(s).is_none(), "{s}");
        }
    }

    #[test]
    fn anthropic_reader_takes_deltas_by_kind() {
        let read = |s: &str| anthropic(s, &mut Memo::default()).map(|(i, p)| (i, text(Some(p))));
        assert_eq!(
            read(
                r#"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"hi"}}"#
            ),
            Some((2, Some("text:hi".into())))
        );
        assert_eq!(
            read(
                r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}"#
            ),
            Some((1, Some("args1:{}".into())))
        );
        for s in [
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"x"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","thinking":"x"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"index":1}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}"#,
        ] {
            assert!(read(s).is_none(), "{s}");
        }
    }

    /// Every way a byte of `base` can change that matters to a reader: each byte
    /// replaced by JSON's structural and value bytes, deleted, or doubled; and each
    /// value-like run (a string, a number) replaced by other scalars and containers.
    fn variants(base: &str) -> Vec<String> {
        let b = base.as_bytes();
        let mut out = Vec::new();
        for i in 0..b.len() {
            for &c in b"\"\\{}[],:0719-.entfa \n" {
                let mut v = b.to_vec();
                v[i] = c;
                out.extend(String::from_utf8(v).ok());
            }
            let mut v = b.to_vec();
            v.remove(i);
            out.extend(String::from_utf8(v).ok());
            let mut v = b.to_vec();
            v.insert(i, b[i]);
            out.extend(String::from_utf8(v).ok());
        }
        // Values: after each `:`, the value there replaced.
        for (i, _) in base.match_indices(':') {
            let rest = &base[i + 1..];
            let Some((value, ())) = Scan::new(rest).spanned(Scan::skip) else {
                continue;
            };
            let end = value.as_ptr() as usize - base.as_ptr() as usize + value.len();
            for v in [
                "null",
                "true",
                "0",
                "-12",
                "1.5",
                "1e400",
                "99999999999999999999",
                "\"\"",
                "\"x\\\"y\\n\\u00e9\\ud83d\\ude00\"",
                "\"\\ud800\"",
                "{}",
                "[]",
                "{\"a\":1}",
                " \"padded\" ",
            ] {
                out.push(format!("{}{v}{}", &base[..=i], &base[end..]));
            }
        }
        out
    }

    /// A reader with a template made from `base` reads every variant of it as a reader
    /// without one does; `read` runs the reader with the memo given. Returns how many
    /// variants the template took (read from their holes).
    fn templates_agree<S: Clone + std::fmt::Debug>(
        base: &str,
        read: impl Fn(&str, &mut Memo<S>) -> String,
    ) -> usize {
        let mut memo = Memo::default();
        let first = read(base, &mut memo);
        assert!(first.starts_with("Some"), "{base}: {first}");
        assert!(memo.template.is_some(), "{base}: a template");
        let mut taken = 0;
        for v in variants(base) {
            let mut with = memo.clone();
            let fast = read(&v, &mut with);
            let whole = read(&v, &mut Memo::default());
            assert_eq!(fast, whole, "{base}\n{v}");
            taken += usize::from(with.misses == 0);
        }
        taken
    }

    #[test]
    fn templates_read_what_a_whole_walk_reads() {
        let chat_read =
            |d: &str, m: &mut Memo<()>| format!("{:?}", chat(d, Some("reasoning_content"), m));
        for base in [
            r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi there"},"logprobs":null,"finish_reason":null}],"obfuscation":"aB3"}"#,
            r#"{"id":"c","choices":[{"delta":{"reasoning_content":"hmm"},"index":0}],"usage":null}"#,
            r#"{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"a\":"}}]}}]}"#,
            r#"{"choices":[{"delta":{"role":null,"content":"x\"\u00e9"}}]}"#,
        ] {
            let taken = templates_agree(base, chat_read);
            assert!(taken > 20, "{base}: {taken} variants read from holes");
        }
        let gemini_read = |d: &str, m: &mut Memo<GeminiShape>| format!("{:?}", gemini(d, m));
        for base in [
            r#"{"candidates":[{"content":{"parts":[{"text":"hi there"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":25,"candidatesTokenCount":1,"totalTokenCount":26},"modelVersion":"g","responseId":"r1"}"#,
            r#"{"candidates":[{"content":{"parts":[{"text":"hmm","thought":true}]}}],"usageMetadata":{"promptTokenCount":null,"thoughtsTokenCount":4}}"#,
            r#"{"candidates":[{"content":{"parts":[{"text":"no usage"}]}}]}"#,
        ] {
            let taken = templates_agree(base, gemini_read);
            assert!(taken > 20, "{base}: {taken} variants read from holes");
        }
        let anthropic_read =
            |d: &str, m: &mut Memo<AnthropicDelta>| format!("{:?}", anthropic(d, m));
        for base in [
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi there"}}"#,
            r#"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}"#,
            r#"{"type":"content_block_delta","delta":{"thinking":"hmm","type":"thinking_delta"}}"#,
        ] {
            let taken = templates_agree(base, anthropic_read);
            assert!(taken > 20, "{base}: {taken} variants read from holes");
        }
        let responses_read =
            |d: &str, m: &mut Memo<ResponsesDelta>| format!("{:?}", responses(d, m));
        for base in [
            r#"{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"hi there","logprobs":[],"obfuscation":"x1"}"#,
            r#"{"type":"response.function_call_arguments.delta","sequence_number":12,"item_id":"fc_1","output_index":1,"delta":"{\"a\":"}"#,
            r#"{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"hmm","sequence_number":3}"#,
        ] {
            let taken = templates_agree(base, responses_read);
            assert!(taken > 20, "{base}: {taken} variants read from holes");
        }
    }

    #[test]
    fn a_stream_whose_shape_keeps_changing_stops_making_templates() {
        let mut memo = Memo::default();
        for i in 0..40 {
            // A field the reader does not mark, different in every chunk.
            let d = format!(r#"{{"id":"c{i}","choices":[{{"delta":{{"content":"x"}}}}]}}"#);
            assert!(chat(&d, None, &mut memo).is_some());
        }
        assert!(memo.misses > MEMO_MISSES);
        let kept = memo.template.as_ref().map(|(t, _)| format!("{t:?}"));
        assert!(
            kept.as_deref().is_some_and(|t| t.contains("\\\"c8\\\"")),
            "{kept:?}"
        );
    }

    #[test]
    fn a_huge_event_is_read_whole_and_kept_as_no_template() {
        let mut memo = Memo::default();
        let big = format!(
            r#"{{"choices":[{{"delta":{{"content":"{}"}}}}]}}"#,
            "x".repeat(20_000)
        );
        assert!(chat(&big, None, &mut memo).is_some());
        assert!(memo.template.is_none());
        assert!(
            chat(
                r#"{"choices":[{"delta":{"content":"x"}}]}"#,
                None,
                &mut memo
            )
            .is_some()
        );
        assert!(memo.template.is_some());
    }
}
