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

use crate::scan::Scan;

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
    if !enabled() || !data.starts_with(r#"{"type":"content_block_delta""#) {
        return None;
    }
    let mut s = Scan::new(data);
    let (mut kind, mut index, mut delta) = (false, None, None);
    s.object(|key, s| match key {
        b"type" if !kind => {
            kind = s.string()? == "content_block_delta";
            kind.then_some(())
        }
        b"index" if index.is_none() => {
            index = Some(s.int()?);
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
                    text = Some((key, s.string()?));
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
    let index = index.unwrap_or(0);
    let (kind, (field, text)) = delta?;
    let piece = match (kind.as_ref(), field) {
        ("text_delta", b"text") => Piece::Text(text),
        ("thinking_delta", b"thinking") => Piece::Thinking(text),
        ("input_json_delta", b"partial_json") => Piece::Arguments(index, text),
        _ => return None,
    };
    Some((index, piece))
}

/// A Chat Completions chunk whose one choice carries only text, reasoning text (in
/// `reasoning_field`) or one tool call's argument text.
pub(crate) fn chat<'a>(data: &'a str, reasoning_field: Option<&str>) -> Option<Piece<'a>> {
    /// What a delta holds; a second of anything refuses the chunk.
    #[derive(Default)]
    struct Delta<'a> {
        content: Option<Cow<'a, str>>,
        reasoning: Option<Cow<'a, str>>,
        call: Option<(i64, Cow<'a, str>)>,
        seen: u8,
    }
    if !enabled() {
        return None;
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
                            1 => d.content = s.string_or_null()?,
                            16 => d.reasoning = s.string_or_null()?,
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
        _ => s.skip(),
    })?;
    s.end()?;
    let d = delta?;
    match (d.content, d.reasoning, d.call) {
        (Some(t), None, None) => Some(Piece::Text(t)),
        (None, Some(t), None) => Some(Piece::Thinking(t)),
        (None, None, Some((index, arguments))) => Some(Piece::Arguments(index, arguments)),
        _ => None,
    }
}

/// `tool_calls` of exactly one call that carries only argument text (no id, no name).
fn tool_call<'a>(s: &mut Scan<'a>) -> Option<(i64, Cow<'a, str>)> {
    let mut call = None;
    s.single(|s| {
        let (mut index, mut arguments) = (None, None);
        s.object(|key, s| match key {
            b"index" if index.is_none() => {
                index = Some(s.int()?);
                Some(())
            }
            b"function" if arguments.is_none() => {
                let mut text = None;
                s.object(|key, s| match key {
                    b"arguments" if text.is_none() => {
                        text = Some(s.string()?);
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

/// A Gemini chunk of one candidate with one text part (a thought or not, no signature),
/// no finish reason; its usage, if any.
pub(crate) fn gemini(data: &str) -> Option<(Piece<'_>, Option<Counts>)> {
    if !enabled() || !data.starts_with(r#"{"candidates""#) {
        return None;
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
    Some((part?, usage))
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
                        text = Some(s.string()?);
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
}

impl Counts {
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
        u.service_tier = None;
        u.extra.clear();
    }
}

fn gemini_usage(s: &mut Scan<'_>) -> Option<Counts> {
    let mut u = Counts::default();
    s.object(|key, s| {
        let field = match key {
            b"promptTokenCount" => &mut u.prompt,
            b"candidatesTokenCount" => &mut u.candidates,
            b"totalTokenCount" => &mut u.total,
            b"cachedContentTokenCount" => &mut u.cached,
            b"thoughtsTokenCount" => &mut u.thoughts,
            b"toolUsePromptTokenCount" => &mut u.tool_use_prompt,
            _ => return s.skip(),
        };
        if field.is_some() {
            return None;
        }
        *field = if s.null() { None } else { Some(s.int()?) };
        Some(())
    })?;
    Some(u)
}

/// `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":`
pub(crate) fn chat_prefix(id: &str, created: i64, model: &str) -> Vec<u8> {
    let mut p = b"data: {\"id\":".to_vec();
    let _ = serde_json::to_writer(&mut p, id);
    p.extend_from_slice(b",\"object\":\"chat.completion.chunk\",\"created\":");
    p.extend_from_slice(itoa::Buffer::new().format(created).as_bytes());
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
        let read = |d: &str, t: &str| text(chat(&chunk(d, t), Some("reasoning_content")));
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
        assert_eq!(text(chat(r#"{"choices":[]}"#, None)), None);
    }

    #[test]
    fn gemini_reader_takes_one_text_part_and_its_counts() {
        let read = |s: &str| gemini(s).map(|(p, u)| (text(Some(p)), u));
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
        let read = |s: &str| anthropic(s).map(|(i, p)| (i, text(Some(p))));
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
}
