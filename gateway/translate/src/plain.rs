//! The request fast path: a plain text conversation (an optional system text, then turns
//! of one text each, a string or a list of one text part, that alternate between user
//! and assistant, and nothing beyond the caller's model, max tokens, temperature, `top_p`,
//! stop sequences and stream switches), with or without function tools (a name, a
//! description, a parameters schema whose `type` is `object`, copied as written) and a tool
//! choice (auto, none, required or one named tool), is read from the caller's bytes
//! through a borrowed view ([`crate::scan`]) and written straight as the upstream's bytes:
//! no `Value`, no generated type. It is the commonest request a gateway sees (an agent's
//! first turn is one with tools), and the general path spends most of its time building
//! and checking trees for it.
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
/// [`crate::responses::Echo`] holds), as the general path would have read them; the tools
/// and tool choice as the caller wrote them.
pub(crate) fn responses_echo(p: &Plain<'_>) -> crate::responses::Echo {
    use serde_json::Value;
    let mut echo = crate::responses::Echo::default();
    if let Some(system) = &p.system {
        echo.parsed("instructions", Value::String(system.decoded().into_owned()));
    }
    if let Some(n) = p.max_tokens {
        echo.parsed("max_output_tokens", Value::Number(n.into()));
    }
    for (key, n) in [("temperature", &p.temperature), ("top_p", &p.top_p)] {
        if let Some(n) = n {
            echo.parsed(key, Value::Number(n.clone()));
        }
    }
    for (key, text) in [("tools", p.tools_text), ("tool_choice", p.choice_text)] {
        if let Some(text) = text {
            echo.written(key, text);
        }
    }
    echo
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
    /// Function tools, in the caller's order (none: no `tools`).
    pub tools: Vec<Tool<'a>>,
    /// The caller's `tools` and tool choice as written (the Responses callers' answers
    /// echo them).
    pub tools_text: Option<&'a str>,
    pub choice_text: Option<&'a str>,
    pub tool_choice: Option<Choice<'a>>,
}

/// A function tool as every target takes it, sent as written: a name of
/// `[A-Za-z0-9_-]`, a description, and a parameters schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tool<'a> {
    name: &'a str,
    description: Option<Lit<'a>>,
    /// The schema's JSON text: an object whose `type` is `"object"`, which no target
    /// changes (Anthropic's adds that `type` when it is missing).
    parameters: &'a str,
}

/// Which tools the model may or must call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice<'a> {
    Auto,
    None,
    Required,
    /// This tool (its name).
    Named(&'a str),
}

impl Choice<'_> {
    /// The choice in the words Chat and Responses share (`auto`, `none`, `required`).
    fn word(self) -> Option<&'static str> {
        match self {
            Choice::Auto => Some("auto"),
            Choice::None => Some("none"),
            Choice::Required => Some("required"),
            Choice::Named(_) => None,
        }
    }
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
        // A choice names one of the tools, and comes with some; a list has some.
        let tools_ok = match self.tool_choice {
            Some(Choice::Named(name)) => self.tools.iter().any(|t| t.name == name),
            Some(_) => !self.tools.is_empty(),
            None => true,
        } && self.tools_text.is_none_or(|_| !self.tools.is_empty());
        (!self.turns.is_empty()
            && tools_ok
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

/// A tool's name: 1 to 64 of `[A-Za-z0-9_-]`, sent as it is (the general path sends it
/// unchanged too; a provider may refuse some, e.g. Gemini a name that does not begin with
/// a letter or `_`, as it would from the general path).
fn name<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    let lit = s.literal()?;
    let name = &lit[1..lit.len() - 1];
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    ((1..=64).contains(&name.len()) && name.bytes().all(allowed)).then_some(name)
}

/// A parameters schema, as its JSON text: an object whose `type` is `"object"`, and
/// whose `properties` (an object) and `required` (a list of strings) are as the
/// generated types read them.
fn schema<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    let mut object = false;
    let (text, ()) = s.spanned(|s| {
        s.object(|key, s| {
            match key {
                b"type" => object = s.string()? == "object",
                b"properties" => s.peek_is(b'{').then(|| s.skip())??,
                b"required" => s.array(|_, s| s.string().map(drop))?,
                _ => s.skip()?,
            }
            Some(())
        })
    })?;
    object.then_some(text)
}

/// A function tool's fields, which the protocols name alike but for the schema's.
#[derive(Default)]
struct ToolParts<'a> {
    name: Option<&'a str>,
    description: Option<Lit<'a>>,
    parameters: Option<&'a str>,
}

impl<'a> ToolParts<'a> {
    /// Reads a field of the tool (`schema_key` names its parameters schema).
    fn member(&mut self, key: &[u8], s: &mut Scan<'a>, schema_key: &[u8]) -> Option<()> {
        match key {
            b"name" => self.name = Some(name(s)?),
            b"description" => self.description = Some(Lit(s.literal()?, false)),
            k if k == schema_key => self.parameters = Some(schema(s)?),
            _ => return None,
        }
        Some(())
    }

    fn tool(self) -> Option<Tool<'a>> {
        Some(Tool {
            name: self.name?,
            description: self.description,
            parameters: self.parameters?,
        })
    }
}

/// The `tools` list, each element read by `element` (which adds its tools).
fn tools<'a>(
    s: &mut Scan<'a>,
    p: &mut Plain<'a>,
    mut element: impl FnMut(&mut Scan<'a>, &mut Vec<Tool<'a>>) -> Option<()>,
) -> Option<()> {
    let tools = &mut p.tools;
    let (text, ()) = s.spanned(|s| s.array(|_, s| element(s, tools)))?;
    p.tools_text = Some(text);
    Some(())
}

/// The tool choice, as `read` reads it.
fn choice<'a>(
    s: &mut Scan<'a>,
    p: &mut Plain<'a>,
    read: impl FnOnce(&mut Scan<'a>) -> Option<Choice<'a>>,
) -> Option<()> {
    let (text, choice) = s.spanned(read)?;
    p.tool_choice = Some(choice);
    p.choice_text = Some(text);
    Some(())
}

/// `auto`, `none` or `required`, as Chat and Responses write them.
fn word<'a>(s: &mut Scan<'a>) -> Option<Choice<'a>> {
    match &*s.string()? {
        "auto" => Some(Choice::Auto),
        "none" => Some(Choice::None),
        "required" => Some(Choice::Required),
        _ => None,
    }
}

/// A Chat or Responses function tool (`{"type": "function", ...}`, its fields in
/// `function` for Chat).
fn openai_tool<'a>(s: &mut Scan<'a>, out: &mut Vec<Tool<'a>>, caller: Caller) -> Option<()> {
    let (mut typed, mut parts) = (false, ToolParts::default());
    s.object(|key, s| {
        match key {
            b"type" => typed = s.string()? == "function",
            b"function" if caller == Caller::Chat => {
                s.object(|key, s| parts.member(key, s, b"parameters"))?;
            }
            _ if caller == Caller::Responses => parts.member(key, s, b"parameters")?,
            _ => return None,
        }
        Some(())
    })?;
    typed.then_some(())?;
    out.push(parts.tool()?);
    Some(())
}

/// A Chat or Responses tool choice: a word, or one function by name
/// (`{"type": "function", "function": {"name"}}` for Chat, `{"type": "function",
/// "name"}` for Responses).
fn openai_choice<'a>(s: &mut Scan<'a>, caller: Caller) -> Option<Choice<'a>> {
    if s.peek_is(b'"') {
        return word(s);
    }
    let (mut typed, mut named) = (false, None);
    s.object(|key, s| {
        match key {
            b"type" => typed = s.string()? == "function",
            b"function" if caller == Caller::Chat => s.object(|key, s| {
                (key == b"name").then_some(())?;
                named = Some(name(s)?);
                Some(())
            })?,
            b"name" if caller == Caller::Responses => named = Some(name(s)?),
            _ => return None,
        }
        Some(())
    })?;
    typed.then_some(Choice::Named(named?))
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
            b"tools" => tools(s, p, |s, out| openai_tool(s, out, Caller::Chat))?,
            b"tool_choice" => choice(s, p, |s| openai_choice(s, Caller::Chat))?,
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
            b"tools" => tools(s, p, |s, out| {
                let mut parts = ToolParts::default();
                s.object(|key, s| parts.member(key, s, b"input_schema"))?;
                out.push(parts.tool()?);
                Some(())
            })?,
            b"tool_choice" => choice(s, p, anthropic_choice)?,
            _ => shared(key, s, p)?,
        }
        Some(())
    })
}

/// An Anthropic tool choice: `{"type": "auto" | "any" | "none"}`, or `{"type": "tool",
/// "name"}`.
fn anthropic_choice<'a>(s: &mut Scan<'a>) -> Option<Choice<'a>> {
    let (mut kind, mut named) = (None, None);
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(s.string()?),
            b"name" => named = Some(name(s)?),
            _ => return None,
        }
        Some(())
    })?;
    match (&*kind?, named) {
        ("auto", None) => Some(Choice::Auto),
        ("none", None) => Some(Choice::None),
        ("any", None) => Some(Choice::Required),
        ("tool", Some(name)) => Some(Choice::Named(name)),
        _ => None,
    }
}

/// A Gemini `toolConfig`: `functionCallingConfig` with its mode `AUTO`, `NONE` or `ANY`,
/// and for `ANY` one allowed function at most (then the choice names it).
fn gemini_choice<'a>(s: &mut Scan<'a>) -> Option<Choice<'a>> {
    let (mut mode, mut names) = (None, None);
    s.object(|key, s| {
        (key == b"functionCallingConfig").then_some(())?;
        s.object(|key, s| {
            match key {
                b"mode" => mode = Some(s.string()?),
                b"allowedFunctionNames" => {
                    let mut named = None;
                    s.single(|s| {
                        named = Some(name(s)?);
                        Some(())
                    })?;
                    names = named;
                }
                _ => return None,
            }
            Some(())
        })
    })?;
    match (&*mode?, names) {
        ("AUTO", None) => Some(Choice::Auto),
        ("NONE", None) => Some(Choice::None),
        ("ANY", None) => Some(Choice::Required),
        ("ANY", Some(name)) => Some(Choice::Named(name)),
        _ => None,
    }
}

/// A Gemini tool that holds function declarations, and nothing else.
fn gemini_tool<'a>(s: &mut Scan<'a>, out: &mut Vec<Tool<'a>>) -> Option<()> {
    s.object(|key, s| {
        (key == b"functionDeclarations").then_some(())?;
        s.array(|_, s| {
            let mut parts = ToolParts::default();
            s.object(|key, s| parts.member(key, s, b"parametersJsonSchema"))?;
            out.push(parts.tool()?);
            Some(())
        })
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
            b"tools" => tools(s, p, gemini_tool)?,
            b"toolConfig" => choice(s, p, gemini_choice)?,
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
            b"tools" => tools(s, p, |s, out| openai_tool(s, out, Caller::Responses))?,
            b"tool_choice" => choice(s, p, |s| openai_choice(s, Caller::Responses))?,
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
    /// `,"tools":[...]` of `head`, the tools, `tail`, when there are tools: each tool
    /// between `open` and `close`, with its `"name"` and `"description"`, then
    /// `schema_key` and the schema.
    fn tools(&mut self, tools: &[Tool<'_>], [head, open, schema_key, close, tail]: [&str; 5]) {
        if tools.is_empty() {
            return;
        }
        self.raw(",\"tools\":[").raw(head);
        self.list(tools, |o, t| {
            o.raw(open).raw("\"name\":\"").raw(t.name).raw("\"");
            if let Some(d) = &t.description {
                o.raw(",\"description\":").lit(d);
            }
            o.raw(",\"").raw(schema_key).raw("\":").raw(t.parameters);
            o.raw(close);
        });
        self.raw(tail).raw("]");
    }
    /// `,"tool_choice":...` as Chat (`chat`) or Responses write it.
    fn openai_choice(&mut self, choice: Option<Choice<'_>>, chat: bool) -> &mut Self {
        let Some(choice) = choice else {
            return self;
        };
        self.raw(",\"tool_choice\":");
        match (choice, choice.word()) {
            (_, Some(word)) => self.raw("\"").raw(word).raw("\""),
            (Choice::Named(name), None) if chat => self
                .raw("{\"type\":\"function\",\"function\":{\"name\":\"")
                .raw(name)
                .raw("\"}}"),
            (Choice::Named(name), None) => self
                .raw("{\"type\":\"function\",\"name\":\"")
                .raw(name)
                .raw("\"}"),
            _ => self,
        }
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
    let tools = p.tools_text.map_or(0, |t| t.len() + 64 * p.tools.len());
    text + tools + p.system.map_or(0, |s| s.0.len()) + 256
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
    o.tools(&p.tools, ["", "{", "input_schema", "}", ""]);
    if let Some(choice) = p.tool_choice {
        o.raw(",\"tool_choice\":{\"type\":");
        match choice {
            Choice::Auto => o.raw("\"auto\"}"),
            Choice::None => o.raw("\"none\"}"),
            Choice::Required => o.raw("\"any\"}"),
            Choice::Named(name) => o.raw("\"tool\",\"name\":\"").raw(name).raw("\"}"),
        };
    }
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
    let function = "{\"type\":\"function\",\"function\":{";
    o.tools(&p.tools, ["", function, "parameters", "}}", ""]);
    o.openai_choice(p.tool_choice, true);
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
    let declarations = "{\"functionDeclarations\":[";
    o.tools(
        &p.tools,
        [declarations, "{", "parametersJsonSchema", "}", "]}"],
    );
    if let Some(choice) = p.tool_choice {
        o.raw(",\"toolConfig\":{\"functionCallingConfig\":{\"mode\":");
        match choice {
            Choice::Auto => o.raw("\"AUTO\"}}"),
            Choice::None => o.raw("\"NONE\"}}"),
            Choice::Required => o.raw("\"ANY\"}}"),
            Choice::Named(name) => o
                .raw("\"ANY\",\"allowedFunctionNames\":[\"")
                .raw(name)
                .raw("\"]}}"),
        };
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
    let function = "{\"type\":\"function\",";
    o.tools(
        &p.tools,
        ["", function, "parameters", ",\"strict\":false}", ""],
    );
    o.openai_choice(p.tool_choice, false);
    if stream {
        o.raw(",\"stream\":true");
    }
    o.done(",\"store\":false}")
}
