//! The request fast path: a plain text conversation (an optional system text, then turns
//! of one text each, a string or a list of one text part, that alternate between user
//! and assistant, and nothing beyond the caller's model, max tokens, temperature, `top_p`,
//! stop sequences and stream switches) is read from the caller's bytes through a borrowed view
//! ([`crate::scan`]) and written straight as the upstream's bytes: no `Value`, no
//! generated type. It is the commonest request a gateway sees, and the general path
//! spends most of its time building and checking trees for it.
//!
//! Anything else (another field, another role, a content list of more than one part, a
//! value out of the range every target takes, an empty text, two turns of one role in a
//! row, a key given twice, malformed JSON) makes the reader say `None`, and the pair takes
//! its general path, which reports losses and errors. So there is nothing to lose here:
//! every field read has its counterpart in every target. `tests/fast_requests.rs` holds
//! the two paths to the same upstream request, and the same answer afterwards, over
//! mutated requests.
//!
//! Each pair calls one reader (its caller's protocol) and one writer (its upstream's),
//! and sets its own per-request state from the [`Plain`] read, as its general path does.

use std::borrow::Cow;

use serde_json::Number;

use crate::TranslatedRequest;
use crate::scan::Scan;

/// The translated request the fast path wrote.
pub(crate) fn sent(body: Vec<u8>, stream: bool) -> TranslatedRequest {
    crate::fast::count_plain_request();
    TranslatedRequest {
        body: body.into(),
        stream,
    }
}

/// The caller's model as the pairs keep it (empty when the caller named none).
pub(crate) fn caller_model(p: &Plain<'_>) -> String {
    p.model
        .map(|m| m.decoded().into_owned())
        .unwrap_or_default()
}

/// What a Responses caller's answer echoes of its request (the fields
/// `responses::Writer::new` reads), as the general path would have read them.
pub(crate) fn responses_echo(p: &Plain<'_>) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut m = serde_json::Map::new();
    if let Some(system) = &p.system {
        m.insert(
            "instructions".into(),
            Value::String(system.decoded().into_owned()),
        );
    }
    if let Some(n) = p.max_tokens {
        m.insert("max_output_tokens".into(), Value::Number(n.into()));
    }
    for (key, n) in [("temperature", &p.temperature), ("top_p", &p.top_p)] {
        if let Some(n) = n {
            m.insert(key.into(), Value::Number(n.clone()));
        }
    }
    m
}

/// A string as the caller wrote it: its JSON literal, quotes and escapes included
/// (checked by [`Scan::literal`]), copied into the upstream's request as it is; and
/// whether it came as a list of one text part that a Chat upstream gets as a list too
/// (from Chat and Responses callers, as their general paths keep it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lit<'a>(&'a str, bool);

impl<'a> Lit<'a> {
    fn is_empty(&self) -> bool {
        self.0.len() == 2
    }
    /// The text the literal stands for (borrowed when it has no escapes).
    fn decoded(&self) -> Cow<'a, str> {
        if self.0.contains('\\') {
            // Checked when read, so it decodes.
            Cow::Owned(serde_json::from_str(self.0).unwrap_or_default())
        } else {
            Cow::Borrowed(&self.0[1..self.0.len() - 1])
        }
    }
}

/// A turn's speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    User,
    Assistant,
}

impl Role {
    /// The role's name in a protocol that calls the model's turns `assistant`.
    fn name(self, assistant: &'static str) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => assistant,
        }
    }
}

/// A plain text conversation, borrowed from the caller's request.
#[derive(Debug, Default)]
pub(crate) struct Plain<'a> {
    /// The caller's model (none for Gemini callers: theirs rides in the path).
    pub model: Option<Lit<'a>>,
    pub system: Option<Lit<'a>>,
    pub turns: Vec<(Role, Lit<'a>)>,
    pub max_tokens: Option<i64>,
    pub temperature: Option<Number>,
    pub top_p: Option<Number>,
    pub stream: Option<bool>,
    /// Chat's `stream_options.include_usage`.
    pub include_usage: Option<bool>,
    /// Chat's system text came as a `developer` message.
    pub developer: bool,
    /// Stop sequences (Chat's `stop`, Anthropic's `stop_sequences`, Gemini's
    /// `stopSequences`); the Responses API has none, so its pairs leave such requests to
    /// the general path, which reports the loss.
    pub stop: Option<Vec<Lit<'a>>>,
}

impl Plain<'_> {
    /// The conversation, if every target takes it as it is (else the general path
    /// decides: it clamps, merges, refuses or reports).
    fn checked(self) -> Option<Self> {
        let unit = |n: &Option<Number>| {
            n.as_ref()
                .is_none_or(|n| n.as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)))
        };
        let texts_ok = self.system.is_none_or(|s| !s.is_empty())
            && self.turns.iter().all(|(_, t)| !t.is_empty());
        let alternating = self.turns.windows(2).all(|w| w[0].0 != w[1].0);
        // Chat takes four at most, none empty; Anthropic none of white space only.
        let stop_ok = self
            .stop
            .as_ref()
            .is_none_or(|s| s.len() <= 4 && s.iter().all(|t| !t.decoded().trim().is_empty()));
        // Responses wants at least 16 output tokens, Gemini an `int32`.
        let max_ok = self
            .max_tokens
            .is_none_or(|n| (16..=i64::from(i32::MAX)).contains(&n));
        (!self.turns.is_empty()
            && texts_ok
            && alternating
            && stop_ok
            && max_ok
            && unit(&self.temperature)
            && unit(&self.top_p))
        .then_some(self)
    }
}

/// The body as text, when the fast paths are on (`fast::set_enabled`).
fn text(body: &[u8]) -> Option<&str> {
    if !crate::fast::enabled() {
        return None;
    }
    std::str::from_utf8(body).ok()
}

/// The caller protocols whose messages are `{role, content}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Chat,
    Anthropic,
    Responses,
}

/// A `{role, content}` message whose content is a string or a list of one text part
/// (Chat, Anthropic, Responses input), and for Responses an optional `"type": "message"`.
fn message<'a>(s: &mut Scan<'a>, caller: Caller) -> Option<(Cow<'a, str>, Lit<'a>)> {
    let (mut role, mut content) = (None, None);
    s.object(|key, s| {
        match key {
            b"role" => role = Some(s.string()?),
            b"content" if s.peek_is(b'[') => content = Some(one_text_part(s, caller)?),
            b"content" => content = Some(Lit(s.literal()?, false)),
            b"type" if caller == Caller::Responses => (s.string()? == "message").then_some(())?,
            _ => return None,
        }
        Some(())
    })?;
    Some((role?, content?))
}

/// A content list of exactly one text part (`{"type": "text" | "input_text" |
/// "output_text", "text": ...}`), its text.
fn one_text_part<'a>(s: &mut Scan<'a>, caller: Caller) -> Option<Lit<'a>> {
    let (mut text, mut typed) = (None, false);
    s.single(|s| {
        s.object(|key, s| {
            match key {
                b"type" => {
                    typed = match caller {
                        Caller::Responses => matches!(&*s.string()?, "input_text" | "output_text"),
                        _ => s.string()? == "text",
                    };
                    typed.then_some(())?;
                }
                // Only the JSON-mapping pairs (Responses callers) keep a list a list.
                b"text" => text = Some(Lit(s.literal()?, caller != Caller::Anthropic)),
                _ => return None,
            }
            Some(())
        })
    })?;
    typed.then_some(text?)
}

fn turn<'a>(p: &mut Plain<'a>, role: &str, text: Lit<'a>, assistant: &str) -> Option<()> {
    let role = match role {
        "user" => Role::User,
        r if r == assistant => Role::Assistant,
        _ => return None,
    };
    p.turns.push((role, text));
    Some(())
}

/// A request body as a plain conversation: `member` reads each top-level field it
/// knows (and says `None` to any other), then the conversation is checked.
fn read<'a>(
    body: &'a [u8],
    mut member: impl FnMut(&'a [u8], &mut Scan<'a>, &mut Plain<'a>) -> Option<()>,
) -> Option<Plain<'a>> {
    let mut s = Scan::new(text(body)?);
    let mut p = Plain::default();
    s.object(|key, s| member(key, s, &mut p))?;
    s.end()?;
    p.checked()
}

/// A list of strings.
fn strings<'a>(s: &mut Scan<'a>) -> Option<Vec<Lit<'a>>> {
    let mut out = Vec::new();
    s.array(|_, s| {
        out.push(Lit(s.literal()?, false));
        Some(())
    })?;
    Some(out)
}

/// The fields Chat, Anthropic and Responses requests name alike: the model, sampling, the
/// stream switch.
fn shared<'a>(key: &[u8], s: &mut Scan<'a>, p: &mut Plain<'a>) -> Option<()> {
    match key {
        b"model" => p.model = Some(Lit(s.literal()?, false)),
        b"temperature" => p.temperature = Some(s.number()?),
        b"top_p" => p.top_p = Some(s.number()?),
        b"stream" => p.stream = Some(s.bool()?),
        _ => return None,
    }
    Some(())
}

/// A Chat Completions request.
pub(crate) fn chat(body: &[u8]) -> Option<Plain<'_>> {
    read(body, |key, s, p| {
        match key {
            b"messages" => s.array(|_, s| {
                let (role, content) = message(s, Caller::Chat)?;
                let instructions = matches!(&*role, "system" | "developer");
                if instructions && p.turns.is_empty() && p.system.is_none() {
                    p.developer = role == "developer";
                    p.system = Some(content);
                    return Some(());
                }
                turn(p, &role, content, "assistant")
            })?,
            b"max_completion_tokens" | b"max_tokens" if p.max_tokens.is_none() => {
                p.max_tokens = Some(s.int()?);
            }
            b"stop" if s.peek_is(b'"') => p.stop = Some(vec![Lit(s.literal()?, false)]),
            b"stop" => p.stop = Some(strings(s)?),
            b"stream_options" => s.object(|key, s| {
                (key == b"include_usage").then_some(())?;
                p.include_usage = Some(s.bool()?);
                Some(())
            })?,
            _ => shared(key, s, p)?,
        }
        Some(())
    })
}

/// An Anthropic Messages request.
pub(crate) fn anthropic(body: &[u8]) -> Option<Plain<'_>> {
    read(body, |key, s, p| {
        match key {
            b"system" if s.peek_is(b'[') => p.system = Some(one_text_part(s, Caller::Anthropic)?),
            b"system" => p.system = Some(Lit(s.literal()?, false)),
            b"messages" => s.array(|_, s| {
                let (role, content) = message(s, Caller::Anthropic)?;
                turn(p, &role, content, "assistant")
            })?,
            b"max_tokens" => p.max_tokens = Some(s.int()?),
            b"stop_sequences" => p.stop = Some(strings(s)?),
            _ => shared(key, s, p)?,
        }
        Some(())
    })
}

/// The one text part of a Gemini `Content`'s `parts`.
fn gemini_parts<'a>(s: &mut Scan<'a>) -> Option<Lit<'a>> {
    let mut text = None;
    s.single(|s| {
        s.object(|key, s| {
            (key == b"text").then_some(())?;
            text = Some(Lit(s.literal()?, false));
            Some(())
        })
    })?;
    text
}

/// A Gemini `generateContent` request (its model is in the path).
pub(crate) fn gemini(body: &[u8]) -> Option<Plain<'_>> {
    read(body, |key, s, p| {
        match key {
            b"contents" => s.array(|_, s| {
                let (mut role, mut text) = (None, None);
                s.object(|key, s| {
                    match key {
                        b"role" => role = Some(s.string()?),
                        b"parts" => text = Some(gemini_parts(s)?),
                        _ => return None,
                    }
                    Some(())
                })?;
                turn(p, &role?, text?, "model")
            })?,
            b"systemInstruction" => {
                s.object(|key, s| {
                    (key == b"parts").then_some(())?;
                    p.system = Some(gemini_parts(s)?);
                    Some(())
                })?;
                p.system.as_ref()?;
            }
            b"generationConfig" => s.object(|key, s| {
                match key {
                    b"maxOutputTokens" => p.max_tokens = Some(s.int()?),
                    b"temperature" => p.temperature = Some(s.number()?),
                    b"topP" => p.top_p = Some(s.number()?),
                    b"stopSequences" => p.stop = Some(strings(s)?),
                    _ => return None,
                }
                Some(())
            })?,
            _ => return None,
        }
        Some(())
    })
}

/// An OpenAI Responses request: `input` as a string or as `{role, content}` messages
/// with string content.
pub(crate) fn responses(body: &[u8]) -> Option<Plain<'_>> {
    read(body, |key, s, p| {
        match key {
            b"instructions" => p.system = Some(Lit(s.literal()?, false)),
            b"input" if s.peek_is(b'"') => p.turns.push((Role::User, Lit(s.literal()?, false))),
            b"input" => s.array(|_, s| {
                let (role, content) = message(s, Caller::Responses)?;
                turn(p, &role, content, "assistant")
            })?,
            b"max_output_tokens" => p.max_tokens = Some(s.int()?),
            _ => shared(key, s, p)?,
        }
        Some(())
    })
}

/// Writes the request's bytes.
struct Out {
    bytes: Vec<u8>,
}

impl Out {
    fn new(capacity: usize) -> Out {
        Out {
            bytes: Vec::with_capacity(capacity),
        }
    }
    fn raw(&mut self, s: &str) -> &mut Self {
        self.bytes.extend_from_slice(s.as_bytes());
        self
    }
    fn lit(&mut self, l: &Lit<'_>) -> &mut Self {
        self.raw(l.0)
    }
    fn str(&mut self, s: &str) -> &mut Self {
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.bytes, s);
        self
    }
    fn int(&mut self, n: i64) -> &mut Self {
        self.bytes
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        self
    }
    /// A number as the caller wrote it (after `serde_json`'s reading: the general path
    /// keeps `1` as `1`, not `1.0`).
    fn number(&mut self, n: &Number) -> &mut Self {
        let _ = serde_json::to_writer(&mut self.bytes, n);
        self
    }
    /// `,"key":value` for each value present (the number fields).
    fn numbers(&mut self, fields: [(&str, Option<&Number>); 2]) -> &mut Self {
        for (key, n) in fields {
            if let Some(n) = n {
                self.raw(",\"").raw(key).raw("\":").number(n);
            }
        }
        self
    }
    /// `[...]` of literals.
    fn lits(&mut self, items: &[Lit<'_>]) -> &mut Self {
        self.raw("[");
        self.list(items, |o, t| {
            o.lit(t);
        });
        self.raw("]")
    }
    /// `,"key":[...]` of the stop sequences, when there are any.
    fn stop(&mut self, key: &str, stop: Option<&[Lit<'_>]>) -> &mut Self {
        if let Some(stop) = stop {
            self.raw(",\"").raw(key).raw("\":").lits(stop);
        }
        self
    }
    /// Items separated by commas.
    fn list<T>(&mut self, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut Self, T)) {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            each(self, item);
        }
    }
    /// The bytes, after the closing `tail`.
    fn done(mut self, tail: &str) -> Vec<u8> {
        self.raw(tail);
        self.bytes
    }
}

fn capacity(p: &Plain<'_>) -> usize {
    let text: usize = p.turns.iter().map(|(_, t)| t.0.len() + 64).sum();
    text + p.system.map_or(0, |s| s.0.len()) + 256
}

/// An Anthropic Messages request (which needs its max tokens: the general path's
/// default when the caller set none). `stream` is what the pair writes of its stream
/// switch.
pub(crate) fn to_anthropic(p: &Plain<'_>, model: &str, stream: Option<bool>) -> Vec<u8> {
    let max_tokens = p
        .max_tokens
        .unwrap_or(crate::openai_anthropic::DEFAULT_MAX_TOKENS);
    let mut o = Out::new(capacity(p));
    o.raw("{\"model\":").str(model);
    o.raw(",\"max_tokens\":").int(max_tokens);
    o.raw(",\"messages\":[");
    o.list(&p.turns, |o, (role, text)| {
        o.raw("{\"role\":\"").raw(role.name("assistant"));
        o.raw("\",\"content\":[{\"type\":\"text\",\"text\":")
            .lit(text);
        o.raw("}]}");
    });
    o.raw("]");
    if let Some(system) = &p.system {
        o.raw(",\"system\":[{\"type\":\"text\",\"text\":")
            .lit(system)
            .raw("}]");
    }
    o.numbers([
        ("temperature", p.temperature.as_ref()),
        ("top_p", p.top_p.as_ref()),
    ]);
    o.stop("stop_sequences", p.stop.as_deref());
    if let Some(stream) = stream {
        o.raw(if stream {
            ",\"stream\":true"
        } else {
            ",\"stream\":false"
        });
    }
    o.done("}")
}

/// A Chat Completions request; a streamed one asks for the usage chunk when
/// `stream_options` (the upstream takes them).
pub(crate) fn to_chat(p: &Plain<'_>, model: &str, stream: bool, stream_options: bool) -> Vec<u8> {
    let mut o = Out::new(capacity(p));
    o.raw("{\"model\":").str(model);
    o.raw(",\"messages\":[");
    let system = p.system.as_ref().map(|s| ("system", s));
    let turns = p
        .turns
        .iter()
        .map(|(role, text)| (role.name("assistant"), text));
    o.list(system.into_iter().chain(turns), |o, (role, text)| {
        o.raw("{\"role\":\"").raw(role).raw("\",\"content\":");
        if text.1 && role != "assistant" {
            // A text the caller gave as a list of parts stays one.
            o.raw("[{\"type\":\"text\",\"text\":").lit(text).raw("}]}");
        } else {
            o.lit(text).raw("}");
        }
    });
    o.raw("]");
    if let Some(n) = p.max_tokens {
        o.raw(",\"max_completion_tokens\":").int(n);
    }
    o.numbers([
        ("temperature", p.temperature.as_ref()),
        ("top_p", p.top_p.as_ref()),
    ]);
    // An empty list is no list to Chat (its general path drops it).
    o.stop("stop", p.stop.as_deref().filter(|s| !s.is_empty()));
    if stream {
        o.raw(",\"stream\":true");
        if stream_options {
            o.raw(",\"stream_options\":{\"include_usage\":true}");
        }
    }
    o.done("}")
}

/// A Gemini `generateContent` request; `generationConfig` is written when empty too
/// when `empty_config` (as the typed pairs write it).
pub(crate) fn to_gemini(p: &Plain<'_>, empty_config: bool) -> Vec<u8> {
    let mut o = Out::new(capacity(p));
    o.raw("{\"contents\":[");
    o.list(&p.turns, |o, (role, text)| {
        o.raw("{\"role\":\"")
            .raw(role.name("model"))
            .raw("\",\"parts\":[{\"text\":");
        o.lit(text).raw("}]}");
    });
    o.raw("]");
    if let Some(system) = &p.system {
        o.raw(",\"systemInstruction\":{\"parts\":[{\"text\":")
            .lit(system)
            .raw("}]}");
    }
    let config =
        p.max_tokens.is_some() || p.temperature.is_some() || p.top_p.is_some() || p.stop.is_some();
    if !empty_config && !config {
        return o.done("}");
    }
    o.raw(",\"generationConfig\":{");
    let mut first = true;
    if let Some(n) = p.max_tokens {
        o.raw("\"maxOutputTokens\":").int(n);
        first = false;
    }
    for (key, n) in [("temperature", &p.temperature), ("topP", &p.top_p)] {
        if let Some(n) = n {
            if !first {
                o.raw(",");
            }
            o.raw("\"").raw(key).raw("\":").number(n);
            first = false;
        }
    }
    if let Some(stop) = &p.stop {
        if !first {
            o.raw(",");
        }
        o.raw("\"stopSequences\":").lits(stop);
    }
    o.done("}}")
}

/// Where a Responses request carries the system text: as `instructions`, or (from Chat,
/// whose system message is a message) as a `system` input message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SystemAs {
    Instructions,
    Message,
}

/// An OpenAI Responses request (stateless: `store` false).
pub(crate) fn to_responses(
    p: &Plain<'_>,
    model: &str,
    system_as: SystemAs,
    stream: bool,
) -> Vec<u8> {
    let mut o = Out::new(capacity(p));
    o.raw("{\"model\":").str(model);
    o.raw(",\"input\":[");
    let system = match (system_as, &p.system) {
        (SystemAs::Message, Some(s)) => Some((None, s)),
        _ => None,
    };
    let turns = p.turns.iter().map(|(role, text)| (Some(*role), text));
    o.list(system.into_iter().chain(turns), |o, (role, text)| {
        o.raw("{\"type\":\"message\",\"role\":");
        match role {
            // The model's own words are plain output text, given as a string.
            Some(Role::Assistant) => {
                o.raw("\"assistant\",\"content\":").lit(text);
            }
            Some(Role::User) | None => {
                o.raw(match role {
                    Some(_) => "\"user\"",
                    None if p.developer => "\"developer\"",
                    None => "\"system\"",
                });
                o.raw(",\"content\":[{\"type\":\"input_text\",\"text\":")
                    .lit(text)
                    .raw("}]");
            }
        }
        o.raw("}");
    });
    o.raw("]");
    if let (SystemAs::Instructions, Some(system)) = (system_as, &p.system) {
        o.raw(",\"instructions\":").lit(system);
    }
    if let Some(n) = p.max_tokens {
        o.raw(",\"max_output_tokens\":").int(n);
    }
    o.numbers([
        ("temperature", p.temperature.as_ref()),
        ("top_p", p.top_p.as_ref()),
    ]);
    if stream {
        o.raw(",\"stream\":true");
    }
    o.done(",\"store\":false}")
}
