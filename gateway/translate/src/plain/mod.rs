//! The request fast path: a conversation of text, images, documents and function calls
//! (an optional system text, then turns that alternate between the user and the model: a
//! user's text, or texts, images of a type every target takes (given as base64 data or by
//! an http(s) URL) and PDFs (as base64 data, or by an http(s) URL: Anthropic's URL source,
//! Gemini's `fileData`, a Responses `file_url` whose path names a PDF; Chat takes files as
//! data only, so toward it they go the general way), or the results of the model's calls then
//! those; the model's text, its calls, or both), with nothing beyond the caller's model,
//! max tokens, temperature, `top_p`, stop sequences, seed, `top_k`, penalties and stream
//! switches (and a Chat caller's `n: 1` and `logprobs: false`, defaults some clients give
//! explicitly: every upstream's way) (where an upstream has no place for one of the last four, the pair reports it
//! as its general path does), with or without
//! function tools (a name, a description, a parameters schema whose `type` is `object`,
//! copied as written, or in Gemini's own schema dialect, converted to JSON Schema as the
//! general path converts it) and a tool choice (auto, none, required or one named tool),
//! with or without structured output by a JSON Schema (or JSON without one, which
//! the pairs report toward Anthropic), from Chat callers their
//! `reasoning_effort`, `parallel_tool_calls` and `user`, from Responses callers what Codex
//! adds (`store: false`, `include` of encrypted reasoning,
//! `prompt_cache_key`, `parallel_tool_calls`, `reasoning` with an effort and a summary,
//! `user`, the model's reasoning items sent back before its text and calls) and a
//! function call output given as one text beside images and PDFs, from Chat and
//! Responses callers the service settings ([`Service`]: `store`, `metadata`,
//! `service_tier`, `safety_identifier`, `prompt_cache_key`, `prompt_cache_retention`, a
//! Chat caller's `modalities: ["text"]`, a Responses caller's `truncation`,
//! `max_tool_calls` and `background: false`), from Chat
//! callers the reasoning history on the model's messages (`thinking_blocks` and
//! `reasoning_content`, as the pairs' answers give them), from Gemini callers the model's
//! thought parts and the thought signatures on its parts (a signature after the last
//! thought), the `thinkingConfig` that asks for them, and a function response's `parts`
//! of inline images and PDFs (after its text, as gemini-cli sends them to Gemini 3: the
//! result's blocks toward Anthropic, its output's parts toward the Responses API,
//! reported toward Chat), and from Anthropic callers what
//! agents such as Claude Code add (the system as a list of text blocks, cache hints on
//! blocks and tools, `metadata.user_id`, `disable_parallel_tool_use` on the tool choice
//! (Chat's and Responses' `parallel_tool_calls: false`, reported toward Gemini), several
//! texts in a user's turn, results as lists
//! of texts or flagged as errors, the `thinking` switch with its budget, the model's
//! thinking blocks sent back before its text and calls), is read from the caller's bytes
//! through a borrowed view ([`crate::scan`]) and written straight as the upstream's
//! bytes: no `Value`, no generated type. It is the commonest request a gateway sees (an
//! agent's turns are ones with tools, calls and results), and the general path spends
//! most of its time building and checking trees for it.
//!
//! Anything else (another field, another role, a content list of another shape, a value
//! out of the range every target takes, an empty text, two turns of one role in a row,
//! results that do not answer the calls before them one by one in order, a call id given
//! twice or outside `[A-Za-z0-9_-]`, arguments that are not a JSON object, a key given
//! twice, malformed JSON) makes the reader say `None`, and the pair takes its general
//! path, which reports losses and errors. So there is nothing to lose here: every field
//! read has its counterpart in every target, but for the few that some target has no
//! place for (an Anthropic caller's cache hints, results' `is_error`, thinking signatures
//! an upstream cannot take back, `metadata` toward Gemini; a Responses caller's service
//! settings and reasoning state an upstream cannot take back, and its function outputs'
//! images and PDFs toward Chat; a Chat caller's service settings toward Anthropic and
//! Gemini; a Chat caller's
//! thinking blocks an upstream cannot take back and reasoning text without them; a Gemini
//! caller's thought signatures an upstream cannot take back;
//! `parallel_tool_calls: false` and `user` toward Gemini; a seed and penalties toward
//! Anthropic and the Responses API, `top_k` toward Chat and the Responses API, stop
//! sequences toward the Responses API; JSON without a schema toward Anthropic), which the pair reports as its
//! general path does, in its order ([`losses`]). A thinking block goes back as its general
//! path sends it: its text in a Chat upstream's reasoning field, the Gemini thought
//! signature or Responses reasoning item the gateway sealed in its signature
//! ([`crate::sealed`]); so does a reasoning item: its summary in the reasoning field, the
//! Anthropic thinking (or redacted thinking) block or Gemini thought signature the gateway
//! sealed in its encrypted content; a Gemini thought signature: the Anthropic thinking
//! block or Responses reasoning item the gateway sealed in it, before its part, with the
//! thoughts before it as its thinking or summary (the thoughts in a Chat upstream's
//! reasoning field); and a Chat caller's thinking block: as itself toward Anthropic, its
//! signature toward Gemini, the Responses reasoning item the gateway sealed in its
//! signature. `tests/fast_requests.rs` holds the two paths to the same upstream request,
//! the same losses, and the same answer afterwards, over mutated requests.
//!
//! Each pair calls one reader (its caller's protocol) and one writer (its upstream's),
//! and sets its own per-request state from the [`Plain`] read, as its general path does.
//! A writer says `None` when it could not write something as the general path would (a
//! call without the id `Plain::checked` guarantees, arguments `serde_json` refuses after
//! `scan` took them); the pair then takes its general path too. Neither happens after
//! the readers' checks; the `None` keeps a broken invariant from reaching a provider.

use std::borrow::Cow;

use serde_json::Number;

use crate::TranslatedRequest;
use crate::scan::Scan;
use crate::sealed::Sealed;
use crate::tier::{Family, Mapped};

mod losses;

use losses::gemini_signature;
pub(crate) use losses::{
    Loss, LossesTo, report_gemini_losses, report_losses, report_openai_losses,
};

/// How the pairs join Anthropic's system blocks into one text (as it stands in a JSON
/// string).
const BLANK_LINE: &str = "\\n\\n";

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
    if let Some(parallel) = p.parallel {
        echo.parsed("parallel_tool_calls", Value::Bool(parallel));
    }
    // A function tool in a response has a `strict` (`null` when the caller gave none).
    let strictless = p.tools.iter().any(|t| t.strict.is_none());
    let tools = match p.tools_text {
        Some(_) if strictless => Some(Cow::Owned(tools_with_strict(&p.tools))),
        text => text.map(Cow::Borrowed),
    };
    let echoed = [
        ("tools", tools.as_deref()),
        ("tool_choice", p.choice_text),
        ("text", p.format_text),
        ("reasoning", p.reasoning_text),
    ];
    for (key, text) in echoed {
        if let Some(text) = text {
            echo.written(key, text);
        }
    }
    for &(service, text) in &p.services {
        if let Some(key) = service.echoed() {
            echo.written(key, text);
        }
    }
    if let Some(user) = &p.chat_user {
        echo.written("user", user.0);
    }
    echo
}

/// A Responses caller's function tools as it wrote them, each without a `strict` given
/// `"strict": null` at its end (as [`crate::responses::Echo::of`] adds it).
fn tools_with_strict(tools: &[Tool<'_>]) -> String {
    let mut out = String::with_capacity(2 + tools.iter().map(|t| t.text.len() + 16).sum::<usize>());
    out.push('[');
    for (i, t) in tools.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match (t.strict, t.text.strip_suffix('}')) {
            (None, Some(open)) => {
                out.push_str(open);
                out.push_str(",\"strict\":null}");
            }
            _ => out.push_str(t.text),
        }
    }
    out.push(']');
    out
}

/// A Chat or Responses caller's `service_tier`, decoded.
fn tier_word<'a>(p: &Plain<'a>) -> Option<Cow<'a, str>> {
    let &(_, text) = p.services.iter().find(|(s, _)| *s == Service::Tier)?;
    Some(Lit(text, false).decoded())
}

/// A Chat or Responses caller's service tier toward an upstream of family `to`
/// ([`crate::tier`]; none is the default).
fn tier(p: &Plain<'_>, to: Family) -> Mapped {
    tier_word(p).map_or(Mapped::Default, |w| {
        crate::tier::map(&w, Family::OpenAi, to)
    })
}

/// Whether a Responses caller's service tier (if any) is one Chat takes
/// ([`crate::tier::chat_takes`]).
fn chat_takes_tier(p: &Plain<'_>) -> bool {
    tier_word(p).is_none_or(|w| crate::tier::chat_takes(&w))
}

/// A string as the caller wrote it: its JSON literal, quotes and escapes included
/// (checked by [`Scan::literal`]), copied into the upstream's request as it is; and
/// whether it came as a list of one text part that a Chat upstream gets as a list too
/// (from Chat and Responses callers, as their general paths keep it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lit<'a>(&'a str, bool);

impl<'a> Lit<'a> {
    /// The empty text.
    const EMPTY: Lit<'static> = Lit("\"\"", false);

    fn is_empty(&self) -> bool {
        self.0.len() == 2
    }
    /// The literal without its quotes (escapes kept): literals' insides joined, and
    /// quoted, make one literal.
    fn inside(&self) -> &'a str {
        &self.0[1..self.0.len() - 1]
    }
    /// It came as a list of one text part.
    fn listed(&self) -> bool {
        self.1
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

/// A conversation of text and function calls, borrowed from the caller's request.
#[derive(Debug, Default)]
pub(crate) struct Plain<'a> {
    /// The caller's model (none for Gemini callers: theirs rides in the path).
    pub model: Option<Lit<'a>>,
    pub system: Option<Lit<'a>>,
    pub turns: Vec<Turn<'a>>,
    pub max_tokens: Option<i64>,
    pub temperature: Option<Number>,
    pub top_p: Option<Number>,
    pub stream: Option<bool>,
    /// Chat's `stream_options.include_usage`.
    pub include_usage: Option<bool>,
    /// Chat's system text came as a `developer` message.
    pub developer: bool,
    /// Stop sequences (Chat's `stop`, Anthropic's `stop_sequences`, Gemini's
    /// `stopSequences`); the Responses API has none, so its pairs report them.
    pub stop: Option<Vec<Lit<'a>>>,
    /// Chat's and Gemini's `seed` (Anthropic and the Responses API have none).
    pub seed: Option<i64>,
    /// A Chat caller's `n` of 1, as some clients send it (one answer: every upstream's way;
    /// Gemini's general path sends it as `candidateCount`).
    pub candidates: Option<i64>,
    /// Anthropic's `top_k` and Gemini's `topK` (Chat and the Responses API have none).
    pub top_k: Option<i64>,
    /// Chat's and Gemini's presence and frequency penalties.
    pub presence_penalty: Option<Number>,
    pub frequency_penalty: Option<Number>,
    /// The settings above that some upstream has no place for, in the caller's order,
    /// with where the caller set them: the pairs report them ([`Unshared`]).
    pub unshared: Vec<(Unshared, &'static str)>,
    /// Function tools, in the caller's order (none: no `tools`).
    pub tools: Vec<Tool<'a>>,
    /// The caller's `tools` and tool choice as written (the Responses callers' answers
    /// echo them).
    pub tools_text: Option<&'a str>,
    pub choice_text: Option<&'a str>,
    pub tool_choice: Option<Choice<'a>>,
    /// Structured output: the answer as JSON that a schema describes.
    pub format: Option<Format<'a>>,
    /// JSON without a schema (Chat's and Responses' `json_object`, Gemini's JSON mime type
    /// alone): where the caller asked for it, which the pairs report toward Anthropic
    /// (whose structured output takes a schema).
    pub json_mode: Option<&'static str>,
    /// A Responses caller's `text` as written (its answers echo it).
    pub format_text: Option<&'a str>,
    /// How the pair names a Gemini caller's calls that come without an id.
    pub synth: Option<Synth>,
    /// Anthropic's system blocks after the first (the pairs join their texts, or give
    /// each its part).
    pub system_rest: Vec<Lit<'a>>,
    /// What an Anthropic caller set that no other protocol has (cache hints, results'
    /// errors): the pairs report them ([`report_losses`]).
    pub losses: Vec<Loss>,
    /// Anthropic's `metadata.user_id` (Chat's and Responses' `user`).
    pub user: Option<Lit<'a>>,
    /// Anthropic's `thinking` switch.
    pub thinking: Option<Thinking>,
    /// Chat's `reasoning_effort` (a value its spec lists), as written and read.
    pub effort: Option<(&'a str, aigw_openai::ReasoningEffort)>,
    /// Chat's or Responses' `parallel_tool_calls`.
    pub parallel: Option<bool>,
    /// Chat's or Responses' `user`.
    pub chat_user: Option<Lit<'a>>,
    /// A Responses caller's `reasoning` as written (its answers echo it); its effort is
    /// in `effort`.
    pub reasoning_text: Option<&'a str>,
    /// The service settings a Chat or Responses caller gave, each as written (a string,
    /// `true`, an object of strings, a number).
    pub services: Vec<(Service, &'a str)>,
    /// Chat's `verbosity` or Responses' `text.verbosity`, as written.
    pub verbosity: Option<Lit<'a>>,
    /// The request is a Responses caller's (whose pairs map some fields their own way).
    pub from_responses: bool,
    /// A Gemini caller's `thinkingConfig`.
    pub gemini_thinking: Option<GeminiThinking>,
}

/// A setting that only some protocols have, as the pairs report it where the upstream
/// has no place for it (see [`losses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unshared {
    /// `seed`: Chat's and Gemini's.
    Seed,
    /// `top_k`: Anthropic's and Gemini's.
    TopK,
    /// Stop sequences: all but the Responses API's (a Chat caller's empty list is none).
    Stop,
    /// The presence penalty: Chat's and Gemini's.
    Presence,
    /// The frequency penalty: Chat's and Gemini's.
    Frequency,
}

/// A setting about the service rather than the conversation (where the answer is kept,
/// which tier serves it, whom it is for, how its prompt is cached), as a Chat or
/// Responses caller gives it. A Chat caller's go to the Responses API under the same
/// names, and a Responses caller's to Chat (but `truncation` and `max_tool_calls`, which
/// Chat has not); toward Anthropic and Gemini (which have none of them) the pairs report
/// them (a Responses caller's in `responses::check_top_level`), each pair in its order
/// (see [`losses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    /// `store: true` (`false` is what the pairs send: no setting).
    Store,
    /// `metadata`, an object of strings.
    Metadata,
    /// A Responses caller's `truncation`.
    Truncation,
    /// `service_tier`.
    Tier,
    /// `prompt_cache_key`.
    PromptCacheKey,
    /// `prompt_cache_retention`.
    PromptCacheRetention,
    /// A Responses caller's `max_tool_calls`.
    MaxToolCalls,
    /// `safety_identifier`.
    SafetyIdentifier,
    /// A Chat caller's `modalities: ["text"]` (the Responses API's only way: no setting
    /// there).
    Modalities,
    /// A Chat caller's `verbosity` other than `medium`, the default, toward Anthropic and
    /// Gemini (it goes to the Responses API as `text.verbosity`): reported in the
    /// service settings' order, read apart (`Plain::verbosity`).
    Verbosity,
}

impl Service {
    /// Every one read as a field of its own (the verbosity is read apart), in the order a
    /// Responses caller's pairs report them (`responses::check_top_level`'s).
    pub(crate) const ALL: [Service; 9] = [
        Service::Store,
        Service::Metadata,
        Service::Truncation,
        Service::Tier,
        Service::PromptCacheKey,
        Service::PromptCacheRetention,
        Service::MaxToolCalls,
        Service::SafetyIdentifier,
        Service::Modalities,
    ];

    /// The setting of `caller`'s request named `key`.
    fn named(key: &[u8], caller: Caller) -> Option<Service> {
        use Service::*;
        let service = Self::ALL.into_iter().find(|s| s.key().as_bytes() == key)?;
        let theirs = match service {
            Truncation | MaxToolCalls => caller == Caller::Responses,
            Modalities => caller == Caller::Chat,
            _ => true,
        };
        theirs.then_some(service)
    }

    /// Whether Chat Completions has the setting too (a Responses caller's pair toward Chat
    /// carries it: [`crate::responses::CHAT_SERVICE`]).
    fn chat_has(self) -> bool {
        crate::responses::CHAT_SERVICE.contains(&self.key())
    }

    /// The response object's field that echoes the setting, if it has one.
    fn echoed(self) -> Option<&'static str> {
        match self {
            Service::Metadata
            | Service::Truncation
            | Service::PromptCacheKey
            | Service::PromptCacheRetention
            | Service::MaxToolCalls
            | Service::SafetyIdentifier => Some(self.key()),
            _ => None,
        }
    }

    /// The request's field.
    fn key(self) -> &'static str {
        match self {
            Service::Store => "store",
            Service::Metadata => "metadata",
            Service::Truncation => "truncation",
            Service::Tier => "service_tier",
            Service::PromptCacheKey => "prompt_cache_key",
            Service::PromptCacheRetention => "prompt_cache_retention",
            Service::MaxToolCalls => "max_tool_calls",
            Service::SafetyIdentifier => "safety_identifier",
            Service::Modalities => "modalities",
            Service::Verbosity => "verbosity",
        }
    }

    /// Reads the setting's value as every pair takes it: a string, a boolean for `store`,
    /// an object of strings for `metadata`, an integer for `max_tool_calls`, `["text"]`
    /// for `modalities` (`null` or another value takes the general path, which decides).
    fn read<'a>(self, s: &mut Scan<'a>, p: &mut Plain<'a>) -> Option<()> {
        let text = match self {
            Service::Store => {
                if !s.bool()? {
                    return Some(());
                }
                "true"
            }
            Service::Metadata => {
                s.spanned(|s| {
                    s.object(|_, s| {
                        s.string()?;
                        Some(())
                    })
                })?
                .0
            }
            Service::MaxToolCalls => s.spanned(|s| s.int())?.0,
            Service::Modalities => {
                s.spanned(|s| s.single(|s| (s.string()? == "text").then_some(())))?
                    .0
            }
            _ => s.literal()?,
        };
        // Each once (the reader refuses a key given twice).
        p.services.push((self, text));
        Some(())
    }
}

/// A Gemini caller's `thinkingConfig`: its budget (-1 dynamic, 0 off), its level (Gemini
/// 3's, which gemini-cli sends), and whether the thoughts are shown (`includeThoughts`),
/// as the pairs map them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GeminiThinking {
    budget: Option<i64>,
    level: Option<ThinkingLevel>,
    shows: bool,
}

/// A `thinkingLevel` the spec lists, as the pairs tell them apart: `MINIMAL` and `LOW`
/// alike, `MEDIUM` and `THINKING_LEVEL_UNSPECIFIED` alike.
#[derive(Debug, Clone, Copy)]
enum ThinkingLevel {
    Low,
    Medium,
    High,
}

impl ThinkingLevel {
    /// The level, when its word is one the spec lists.
    fn of(word: &str) -> Option<ThinkingLevel> {
        Some(match word {
            "MINIMAL" | "LOW" => ThinkingLevel::Low,
            "MEDIUM" | "THINKING_LEVEL_UNSPECIFIED" => ThinkingLevel::Medium,
            "HIGH" => ThinkingLevel::High,
            _ => return None,
        })
    }

    /// Chat's and Responses' effort for the level: the one of its name.
    fn word(self) -> &'static str {
        match self {
            ThinkingLevel::Low => "low",
            ThinkingLevel::Medium => "medium",
            ThinkingLevel::High => "high",
        }
    }
}

impl GeminiThinking {
    /// Anthropic's thinking budget (`gemini_anthropic`): none for a zero budget, 8192 for
    /// a dynamic one, at least 1024; for a level without a budget 1024, 4096 or 16384;
    /// 4096 for thoughts shown without either.
    fn anthropic_budget(self) -> Option<i64> {
        let by_level = self.level.map(|l| match l {
            ThinkingLevel::Low => 1024,
            ThinkingLevel::Medium => 4096,
            ThinkingLevel::High => 16384,
        });
        let budget = self
            .budget
            .or(by_level)
            .unwrap_or(if self.shows { 4096 } else { 0 });
        (budget != 0).then(|| if budget < 0 { 8192 } else { budget.max(1024) })
    }

    /// Chat's and Responses' effort for the budget (`gemini_openai::effort_for_budget`),
    /// else the level's; the Responses pair (`responses`) asks `medium` for thoughts shown
    /// without either.
    fn effort(self, responses: bool) -> Option<&'static str> {
        match (self.budget, self.level) {
            (Some(b), _) => crate::gemini_openai::effort_for_budget(b).map(effort_word),
            (None, Some(level)) => Some(level.word()),
            (None, None) if responses && self.shows => Some("medium"),
            (None, None) => None,
        }
    }
}

impl Plain<'_> {
    /// Whether a Gemini caller asked to see the thoughts (as
    /// [`crate::gemini_caller::shows_thoughts`]).
    pub(crate) fn shows_thoughts(&self) -> bool {
        self.gemini_thinking.is_some_and(|t| t.shows)
    }
}

/// The word of an effort of the budget tables (low, medium, high).
fn effort_word(effort: aigw_openai::ReasoningEffort) -> &'static str {
    use aigw_openai::ReasoningEffort as E;
    match effort {
        E::Low => "low",
        E::Medium => "medium",
        _ => "high",
    }
}

/// Chat's `reasoning_effort`, when its spec lists the value.
fn chat_effort(word: &str) -> Option<aigw_openai::ReasoningEffort> {
    use aigw_openai::ReasoningEffort as E;
    Some(match word {
        "none" => E::None,
        "minimal" => E::Minimal,
        "low" => E::Low,
        "medium" => E::Medium,
        "high" => E::High,
        "xhigh" => E::Xhigh,
        "max" => E::Max,
        _ => return None,
    })
}

/// An Anthropic caller's `thinking`, as every pair maps it: a budget to Chat's and
/// Responses' effort (`anthropic_openai::effort_for`) and to Gemini's `thinkingBudget`;
/// adaptive to `medium` and Gemini's dynamic budget (-1); off to nothing, and to Gemini's
/// budget 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Thinking {
    Budget(i64),
    Adaptive,
    Disabled,
}

impl Thinking {
    /// The effort Chat and Responses upstreams get (none when thinking is off).
    fn effort(self) -> Option<&'static str> {
        match self {
            Thinking::Budget(b) => Some(effort_word(crate::anthropic_openai::effort_for(b))),
            Thinking::Adaptive => Some("medium"),
            Thinking::Disabled => None,
        }
    }
}

/// A turn: the user's (the results of the model's last calls, in their order, then an
/// optional text, or texts, images and documents) or the model's (its thinking, then an
/// optional text, then its calls).
#[derive(Debug)]
pub(crate) struct Turn<'a> {
    pub role: Role,
    pub text: Option<Lit<'a>>,
    /// A user's texts, images and documents in their order, when there is an image or a
    /// document (then `text` is none).
    pub parts: Vec<Part<'a>>,
    pub calls: Vec<Call<'a>>,
    pub results: Vec<Reply<'a>>,
    /// The model's thinking blocks (an Anthropic caller's), before its text and calls.
    pub thoughts: Vec<Thought<'a>>,
    /// The model's reasoning items (a Responses caller's), before its text and calls.
    pub reasoning: Vec<Reasoning<'a>>,
    /// The thought signature on a Gemini caller's text part of the model's, and where
    /// that part stands.
    pub text_signature: Option<(Lit<'a>, At)>,
    /// A Gemini caller's thought parts of the model's, before its text and calls.
    pub gemini_thoughts: Vec<GeminiThought<'a>>,
    /// A Chat caller's reasoning history on the model's message.
    pub chat_reasoning: Option<ChatReasoning<'a>>,
}

/// An Anthropic thinking block: its text and signature, and where it stands in the
/// caller's request (message, block).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thought<'a> {
    text: Lit<'a>,
    signature: Lit<'a>,
    at: (usize, usize),
}

/// A Gemini caller's thought part (`thought: true`): its text, its signature (not empty)
/// and where it stands. Sent back, the model's thoughts come before its text and calls,
/// and a signature follows the last of them: on itself, or on the part after them (so
/// that every pair takes each thought with the signature that follows it).
#[derive(Debug)]
pub(crate) struct GeminiThought<'a> {
    text: Lit<'a>,
    signature: Option<Lit<'a>>,
    at: At,
}

/// A Responses caller's reasoning item: its summary's texts (joined by a line break, as
/// `responses::item` joins them; no text is an empty one), its state (`encrypted_content`:
/// what the gateway sealed for an upstream, or another's), and its place in `input`.
#[derive(Debug)]
pub(crate) struct Reasoning<'a> {
    summary: Lit<'a>,
    more: Vec<Lit<'a>>,
    encrypted: Option<Lit<'a>>,
    at: usize,
}

impl<'a> Reasoning<'a> {
    /// The summary says something (its texts joined are not empty).
    fn has_summary(&self) -> bool {
        !self.summary.is_empty() || !self.more.is_empty()
    }

    /// The state the gateway sealed as `kind`'s, when it is that.
    fn state(&self, kind: Sealed) -> Option<Cow<'a, str>> {
        match self.encrypted?.decoded() {
            Cow::Borrowed(e) => kind.open(e).map(Cow::Borrowed),
            Cow::Owned(e) => kind.open(&e).map(|s| Cow::Owned(s.to_owned())),
        }
    }
}

/// A Chat caller's reasoning history on the model's message, as the pairs' answers give
/// it: `thinking_blocks` (each block's text and signature, as written; `None`: no such
/// key) and `reasoning_content`, and the message's place in `messages`.
#[derive(Debug)]
pub(crate) struct ChatReasoning<'a> {
    blocks: Option<Vec<(Lit<'a>, Lit<'a>)>>,
    content: Option<Lit<'a>>,
    at: usize,
}

impl<'a> ChatReasoning<'a> {
    /// Itself, when the message gave either field.
    fn given(self) -> Option<Self> {
        (self.blocks.is_some() || self.content.is_some()).then_some(self)
    }

    /// The blocks, in their order (none without the key).
    fn blocks(&self) -> &[(Lit<'a>, Lit<'a>)] {
        self.blocks.as_deref().unwrap_or_default()
    }

    /// Reasoning text without the blocks that sign it (which no upstream can verify, so
    /// the pairs report it).
    fn unsigned_text(&self) -> bool {
        self.blocks.is_none() && self.content.is_some_and(|c| !c.is_empty())
    }
}

impl<'a> Turn<'a> {
    fn new(role: Role, text: Option<Lit<'a>>) -> Self {
        Turn {
            thoughts: Vec::new(),
            reasoning: Vec::new(),
            text_signature: None,
            gemini_thoughts: Vec::new(),
            chat_reasoning: None,
            role,
            text,
            parts: Vec::new(),
            calls: Vec::new(),
            results: Vec::new(),
        }
    }

    /// Nothing said yet: no text, no parts, no calls.
    fn before_text(&self) -> bool {
        self.text.is_none() && self.parts.is_empty() && self.calls.is_empty()
    }
}

/// A piece of a user's content that holds an image or a document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'a> {
    Text(Lit<'a>),
    Image(Image<'a>),
    Document(Document<'a>),
}

impl<'a> Part<'a> {
    /// The turn's block it is.
    fn block(self) -> Block<'a> {
        match self {
            Part::Text(t) => Block::Text(t),
            Part::Image(i) => Block::Image(i),
            Part::Document(d) => Block::Document(d),
        }
    }

    /// Its media type and base64 data, for a base64 image or an untitled PDF (what Gemini
    /// takes inside a function's result: inline data, no name).
    fn inline_blob(&self) -> Option<(&'a str, &'a str)> {
        match *self {
            Part::Image(Image {
                source: Source::Base64 { media, data },
                ..
            }) => Some((media, data)),
            Part::Document(Document {
                source: Source::Base64 { data, .. },
                name: None,
                ..
            }) => Some((PDF, data)),
            _ => None,
        }
    }

    /// The room it takes written, about (for the output's capacity).
    fn room(&self) -> usize {
        match self {
            Part::Text(x) => x.0.len() + 32,
            Part::Image(i) => i.len() + 96,
            Part::Document(d) => d.source.len() + d.name.map_or(0, |n| n.0.len()) + 128,
        }
    }
}

/// A PDF given as base64 data (Chat's and Responses' file of a `data:` URL, Anthropic's
/// base64 document, Gemini's `inlineData`) or by an http(s) URL (Responses' `file_url`
/// whose path names a PDF, Anthropic's URL source, Gemini's `fileData` of the PDF type),
/// with the name the caller gave it (Chat's and Responses' `filename`, Anthropic's
/// `title`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Document<'a> {
    /// The base64 text (of the PDF type) or the URL.
    source: Source<'a>,
    name: Option<Lit<'a>>,
    /// The name the pairs give a file without one, by the caller's protocol (none from
    /// Chat callers, `file` from Responses callers, else `document.pdf`; none for a file
    /// by URL).
    default_name: Option<&'static str>,
}

impl<'a> Document<'a> {
    fn base64(data: &'a str, name: Option<Lit<'a>>, default_name: &'static str) -> Self {
        Document {
            source: Source::Base64 { media: PDF, data },
            name,
            default_name: Some(default_name),
        }
    }

    /// A PDF at `url`, when it is an http(s) URL (the pairs send no other).
    fn url(url: &'a str, name: Option<Lit<'a>>) -> Option<Self> {
        crate::openai_gemini::http_url(url).then_some(Document {
            source: Source::Url(url),
            name,
            default_name: None,
        })
    }

    /// The file's name toward Chat and Responses, written as a member (`,"filename":…`),
    /// if it has one.
    fn write_name(&self, o: &mut Out) {
        match (self.name, self.default_name) {
            (Some(name), _) => {
                o.raw(",\"filename\":").lit(&name);
            }
            (None, Some(name)) => {
                o.raw(",\"filename\":\"").raw(name).raw("\"");
            }
            (None, None) => {}
        }
    }
}

/// An image given as base64 data of a type every target takes (`IMAGE_TYPES`): a
/// `data:` URL, Anthropic's base64 source, Gemini's `inlineData`; or by an http(s) URL:
/// Chat's and Responses' image URL, Anthropic's URL source, Gemini's `fileData` (of an
/// image type).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Image<'a> {
    source: Source<'a>,
    /// A Responses caller's `detail: "auto"` (its Chat pair copies it).
    auto_detail: bool,
}

/// Where an image's or a document's bytes are: each a string without escapes, written as
/// it came (no pair checks the data, and every pair sends the URL as it is).
#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    /// The media type and the base64 text.
    Base64 { media: &'a str, data: &'a str },
    /// An `http://` or `https://` URL.
    Url(&'a str),
}

impl<'a> Image<'a> {
    fn base64(media: &'a str, data: &'a str) -> Self {
        Image {
            source: Source::Base64 { media, data },
            auto_detail: false,
        }
    }

    /// An image at `url`, when it is an http(s) URL (the only kind every pair sends: Chat's
    /// Anthropic pair refuses others).
    fn url(url: &'a str) -> Option<Self> {
        crate::openai_gemini::http_url(url).then_some(Image {
            source: Source::Url(url),
            auto_detail: false,
        })
    }

    /// The bytes it takes to write.
    fn len(&self) -> usize {
        self.source.len()
    }
}

impl Source<'_> {
    /// The bytes it takes to write.
    fn len(&self) -> usize {
        match self {
            Source::Base64 { media, data } => media.len() + data.len(),
            Source::Url(url) => url.len(),
        }
    }
}

/// The image types Anthropic takes, which every pair passes unchanged (others the
/// pairs refuse, report or rename: `image/jpg` becomes `image/jpeg` toward Anthropic).
const IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// What names a call: its id (none only from a Gemini caller) and function, and where a
/// Gemini caller wrote it, from which the pairs synthesize an id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallRef<'a> {
    id: Option<&'a str>,
    name: &'a str,
    at: At,
}

/// Where a Gemini caller wrote a call (other callers' calls have ids, and this is zero).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct At {
    /// The index of its `Content` in `contents`.
    content: usize,
    /// Its place among its turn's calls.
    nth: usize,
    /// The index of its part in `parts`.
    part: usize,
}

/// A function call of the model's.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    head: CallRef<'a>,
    args: Args<'a>,
    /// The thought signature on a Gemini caller's call part.
    signature: Option<Lit<'a>>,
}

impl<'a> Call<'a> {
    fn new(id: Option<&'a str>, name: &'a str, args: Args<'a>, at: At) -> Self {
        Call {
            head: CallRef { id, name, at },
            args,
            signature: None,
        }
    }
}

/// A call's arguments: a JSON object.
#[derive(Debug)]
pub(crate) struct Args<'a> {
    /// As Chat and Responses write them (a string's literal), when the caller wrote
    /// them so.
    text: Option<Lit<'a>>,
    /// The object's JSON text (checked as `serde_json` reads it).
    object: Cow<'a, str>,
}

/// A tool's result: the id of the call it answers (none from a Gemini caller that gave
/// none), its function's name (Gemini callers give it), its text.
#[derive(Debug, Clone)]
pub(crate) struct Reply<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    /// Its text, or (listed) the first of its texts.
    text: Lit<'a>,
    /// The texts after the first, when it came as a list (Anthropic's).
    more: Vec<Lit<'a>>,
    /// The images and PDFs of that list (Anthropic's, or a Responses function call
    /// output's), each with its place in it, or of a Gemini function response's `parts`
    /// (after its text).
    media: Vec<(usize, Part<'a>)>,
    /// Where an Anthropic caller gave it: message and block (a Gemini caller's with media:
    /// content and part; a Responses caller's with media: its item).
    at: (usize, usize),
    /// The call it answers (set by [`Plain::checked`]).
    call: Option<CallRef<'a>>,
}

impl<'a> Reply<'a> {
    /// A result of the call `id` (or of one to `name`) with `text`.
    fn new(id: Option<&'a str>, name: Option<&'a str>, text: Lit<'a>) -> Self {
        Reply {
            id,
            name,
            text,
            more: Vec::new(),
            media: Vec::new(),
            at: (0, 0),
            call: None,
        }
    }

    /// Its texts, images and PDFs in the caller's order.
    fn items(&self) -> Vec<Part<'a>> {
        let mut texts = std::iter::once(self.text).chain(self.more.iter().copied());
        let mut media = self.media.iter().peekable();
        let mut out = Vec::with_capacity(1 + self.more.len() + self.media.len());
        for k in 0..out.capacity() {
            match media.next_if(|(at, _)| *at == k) {
                Some((_, part)) => out.push(*part),
                None => out.extend(texts.next().map(Part::Text)),
            }
        }
        out
    }
}

/// How a Gemini caller's pair names a call that came without an id:
/// `{prefix}{content}_{n}`, `n` the call's place among its turn's calls or (`by_part`)
/// its part's index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Synth {
    pub prefix: &'static str,
    pub by_part: bool,
}

/// A function tool as every target takes it, sent as written: a name of
/// `[A-Za-z0-9_-]`, a description, and a parameters schema.
#[derive(Debug, Clone)]
pub(crate) struct Tool<'a> {
    name: &'a str,
    description: Option<Lit<'a>>,
    /// The schema's JSON text: an object whose `type` is `"object"`, which no target
    /// changes (Anthropic's adds that `type` when it is missing); the caller's text, or
    /// the JSON Schema written for a Gemini caller's dialect (`gemini_schema`).
    parameters: Cow<'a, str>,
    /// A Responses caller's `strict` (Chat and Anthropic take it; Gemini has none).
    strict: Option<bool>,
    /// The tool as a Chat or Responses caller wrote it (a Responses answer echoes it);
    /// empty from the others.
    text: &'a str,
}

/// Structured output by a JSON Schema (Chat's `response_format`, Responses' `text.format`,
/// Anthropic's `output_config.format`, Gemini's `responseJsonSchema` with the JSON mime
/// type), with what the pairs write of its name and `strict`.
#[derive(Debug, Clone)]
pub(crate) struct Format<'a> {
    /// The schema's JSON text (an object), copied as written, as every pair sends it; or
    /// a Gemini caller's `responseSchema` in its dialect, converted (`gemini_schema`).
    schema: Cow<'a, str>,
    /// Its name (`[A-Za-z0-9_-]`): the caller's, or the name the caller's pairs give it
    /// (`output`; `response` from Gemini callers).
    name: &'a str,
    /// `strict` as given (always true from Anthropic callers, none from Gemini's).
    strict: Option<bool>,
    /// Toward Chat, a `strict` not given is written as `null` (from Responses callers,
    /// as their general path writes it) rather than left out (from Gemini callers).
    null_strict: bool,
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

impl<'a> Plain<'a> {
    /// Reads a setting only some protocols have (a Chat caller's `stop` apart: a string
    /// or a list, and none when empty), with `at`, where the caller set it.
    fn unshared_setting(
        &mut self,
        setting: Unshared,
        at: &'static str,
        s: &mut Scan<'a>,
    ) -> Option<()> {
        match setting {
            Unshared::Seed => self.seed = Some(s.int()?),
            Unshared::TopK => self.top_k = Some(s.int()?),
            Unshared::Stop => self.stop = Some(strings(s)?),
            Unshared::Presence => self.presence_penalty = Some(s.number()?),
            Unshared::Frequency => self.frequency_penalty = Some(s.number()?),
        }
        self.unshared.push((setting, at));
        Some(())
    }

    /// The conversation, if every target takes it as it is (else the general path
    /// decides: it clamps, merges, refuses or reports).
    fn checked(mut self) -> Option<Self> {
        let within = |n: &Option<Number>, range: std::ops::RangeInclusive<f64>| {
            n.as_ref()
                .is_none_or(|n| n.as_f64().is_some_and(|x| range.contains(&x)))
        };
        let unit = |n: &Option<Number>| within(n, 0.0..=1.0);
        // Chat's range (a Chat upstream's general path clamps the others).
        let penalty = |n: &Option<Number>| within(n, -2.0..=2.0);
        let texts_ok = self.system.is_none_or(|s| !s.is_empty())
            && self.system_rest.iter().all(|s| !s.is_empty())
            && self.turns.iter().all(|t| {
                let part_ok = |p: &Part<'_>| !matches!(p, Part::Text(x) if x.is_empty());
                t.text.is_none_or(|x| !x.is_empty())
                    && t.parts.iter().all(part_ok)
                    && !(t.before_text() && t.results.is_empty())
            });
        let alternating = self.turns.windows(2).all(|w| w[0].role != w[1].role);
        // Chat takes four at most, none empty; Anthropic none of white space only.
        let stop_ok = self
            .stop
            .as_ref()
            .is_none_or(|s| s.len() <= 4 && s.iter().all(|t| !t.decoded().trim().is_empty()));
        // Responses wants at least 16 output tokens, Gemini an `int32`.
        let max_ok = self
            .max_tokens
            .is_none_or(|n| (16..=i64::from(i32::MAX)).contains(&n));
        // Gemini's seed and `topK` are `int32`s; Anthropic's `top_k` is not negative.
        let int32 = i64::from(i32::MIN)..=i64::from(i32::MAX);
        let seed_ok = self.seed.is_none_or(|n| int32.contains(&n));
        let top_k_ok = self
            .top_k
            .is_none_or(|n| (1..=i64::from(i32::MAX)).contains(&n));
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
            && seed_ok
            && top_k_ok
            && unit(&self.temperature)
            && unit(&self.top_p)
            && penalty(&self.presence_penalty)
            && penalty(&self.frequency_penalty))
        .then_some(())?;
        self.pair_calls()?;
        Some(self)
    }

    /// Each turn after the model's calls answers them one by one, in their order (then
    /// every pair finds the same call for each result: by id, or for a Gemini caller's
    /// result without one, the first unanswered call of its name); the model's last
    /// turn has no calls left unanswered; the calls' ids are all given and distinct (so
    /// an id names one call), or none are (a Gemini caller's, which the pair
    /// synthesizes).
    fn pair_calls(&mut self) -> Option<()> {
        for i in 0..self.turns.len() {
            let (before, rest) = self.turns.split_at_mut(i);
            let calls = before.last().map_or(&[][..], |t| &t.calls[..]);
            let turn = &mut rest[0];
            if turn.role == Role::User && turn.results.len() != calls.len() {
                return None;
            }
            for (reply, call) in turn.results.iter_mut().zip(calls) {
                let call = call.head;
                if reply.id.is_some() && reply.id != call.id
                    || reply.name.is_some_and(|n| n != call.name)
                {
                    return None;
                }
                reply.call = Some(call);
            }
        }
        let calls = || self.turns.iter().flat_map(|t| &t.calls);
        let last_answered = self.turns.last().is_some_and(|t| t.calls.is_empty());
        let mut given: Vec<&str> = calls().filter_map(|c| c.head.id).collect();
        let ids_ok = if given.is_empty() {
            self.synth.is_some() || calls().next().is_none()
        } else {
            // Sorted, so a long conversation is not checked pair by pair.
            given.sort_unstable();
            given.len() == calls().count() && given.windows(2).all(|w| w[0] != w[1])
        };
        (last_answered && ids_ok).then_some(())
    }
}

/// The body as text, when the fast paths are on (`fast::set_enabled`).
fn text(body: &[u8]) -> Option<&str> {
    if !crate::fast::enabled() {
        return None;
    }
    std::str::from_utf8(body).ok()
}

/// The caller protocols whose content lists [`list_part`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Chat,
    Responses,
}

/// A text part of a content list (`{"type": "text" | "input_text" | "output_text",
/// "text": ...}`) or, from Chat and Responses callers, an image part with a `data:` or
/// http(s) URL (Chat's `{"type": "image_url", "image_url": {"url"}}`, Responses'
/// `{"type": "input_image", "image_url", "detail": "auto"}`, its detail optional) or a
/// PDF's (Chat's `{"type": "file", "file": {"file_data", "filename"}}`, Responses'
/// `{"type": "input_file", "file_data" | "file_url", "filename"}`, the name optional, the
/// URL an http(s) one whose path names a PDF, as the general paths take it). A
/// Responses `output_text` part may carry empty `annotations` and `logprobs`, as the
/// API's own output items do (the SDKs send them back).
fn list_part<'a>(s: &mut Scan<'a>, caller: Caller) -> Option<Part<'a>> {
    let (mut text, mut kind, mut output_only) = (None, None, false);
    let (mut image, mut auto_detail): (Option<Image<'a>>, _) = (None, false);
    let (mut pdf, mut filename) = (None, None);
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(s.string()?),
            b"file" if caller == Caller::Chat => {
                s.object(|key, s| {
                    match key {
                        b"file_data" => {
                            pdf = Some(Source::Base64 {
                                media: PDF,
                                data: pdf_url(s)?,
                            });
                        }
                        b"filename" => filename = Some(Lit(s.literal()?, false)),
                        _ => return None,
                    }
                    Some(())
                })?;
                // A file is its data.
                pdf?;
            }
            b"file_data" if caller == Caller::Responses && pdf.is_none() => {
                pdf = Some(Source::Base64 {
                    media: PDF,
                    data: pdf_url(s)?,
                });
            }
            // The general paths send a file's data, else its URL: not both.
            b"file_url" if caller == Caller::Responses && pdf.is_none() => {
                let url = plain_string(s)?;
                crate::openai_gemini::pdf_url(url).then_some(())?;
                pdf = Some(Source::Url(url));
            }
            b"filename" if caller == Caller::Responses => {
                filename = Some(Lit(s.literal()?, false));
            }
            b"text" => text = Some(Lit(s.literal()?, true)),
            b"annotations" | b"logprobs" if caller == Caller::Responses => {
                s.array(|_, _| None)?;
                output_only = true;
            }
            b"image_url" if caller == Caller::Chat => {
                s.object(|key, s| {
                    (key == b"url").then_some(())?;
                    image = Some(image_url(s)?);
                    Some(())
                })?;
                // An image is its URL.
                image?;
            }
            b"image_url" if caller == Caller::Responses => image = Some(image_url(s)?),
            b"detail" if caller == Caller::Responses => {
                auto_detail = s.string()? == "auto";
                auto_detail.then_some(())?;
            }
            _ => return None,
        }
        Some(())
    })?;
    let kind = kind?;
    if let Some(source) = pdf {
        let (typed, default_name) = match (caller, source) {
            (Caller::Chat, _) => (kind == "file", None),
            (Caller::Responses, Source::Base64 { .. }) => {
                (kind == "input_file" && !output_only, Some("file"))
            }
            (Caller::Responses, Source::Url(_)) => (kind == "input_file" && !output_only, None),
        };
        let alone = text.is_none() && image.is_none() && !auto_detail;
        let document = Document {
            source,
            name: filename,
            default_name,
        };
        return (typed && alone).then_some(Part::Document(document));
    }
    // Only a file has a name.
    filename.is_none().then_some(())?;
    if let Some(mut image) = image {
        let typed = match caller {
            Caller::Chat => kind == "image_url",
            _ => kind == "input_image" && !output_only,
        };
        image.auto_detail = auto_detail;
        return (typed && text.is_none()).then_some(Part::Image(image));
    }
    let typed = match (caller, &*kind) {
        (Caller::Responses, "output_text") => true,
        (Caller::Responses, "input_text") => !output_only,
        (_, kind) => kind == "text" && caller != Caller::Responses,
    };
    (typed && !auto_detail).then_some(Part::Text(text?))
}

/// A Chat or Responses content list: its one text, or (with an image or a document) its
/// parts.
fn content_list<'a>(s: &mut Scan<'a>, caller: Caller) -> Option<Content<'a>> {
    let mut parts = Vec::new();
    s.array(|_, s| {
        parts.push(list_part(s, caller)?);
        Some(())
    })?;
    match parts[..] {
        [Part::Text(t)] => Some(Content::Text(t)),
        _ if parts.iter().any(|p| !matches!(p, Part::Text(_))) => Some(Content::Parts(parts)),
        _ => None,
    }
}

/// A Chat or Responses message's content: a text, or parts with an image (a user's).
enum Content<'a> {
    Text(Lit<'a>),
    Parts(Vec<Part<'a>>),
}

/// The content's text: none for parts (only a user's content may hold images and
/// documents).
fn text_only(content: Option<Content<'_>>) -> Option<Option<Lit<'_>>> {
    match content {
        None => Some(None),
        Some(Content::Text(t)) => Some(Some(t)),
        Some(Content::Parts(_)) => None,
    }
}

/// A string without escapes, without its quotes.
fn plain_string<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    let lit = s.literal()?;
    let inner = &lit[1..lit.len() - 1];
    (!inner.contains('\\')).then_some(inner)
}

/// A `data:` URL of a base64 PDF (Chat's and Responses' file data), its base64 text.
fn pdf_url<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    plain_string(s)?.strip_prefix("data:application/pdf;base64,")
}

/// A Chat or Responses image URL: a `data:` URL of base64 image data
/// (`data:<type>;base64,<data>`), or an http(s) URL.
fn image_url<'a>(s: &mut Scan<'a>) -> Option<Image<'a>> {
    let url = plain_string(s)?;
    let Some(data_url) = url.strip_prefix("data:") else {
        return Image::url(url);
    };
    let (media, data) = data_url.split_once(";base64,")?;
    IMAGE_TYPES
        .contains(&media)
        .then_some(Image::base64(media, data))
}

/// The PDF type, the one document type every target takes.
const PDF: &str = "application/pdf";

/// The name the pairs give an Anthropic or Gemini caller's PDF without one.
const PDF_NAME: &str = "document.pdf";

/// What an Anthropic block's `source` or a Gemini `inlineData` holds: an image, a PDF's
/// base64 text, or (an Anthropic URL source) an http(s) URL, an image's or a document's
/// by the block's type.
enum Media<'a> {
    Image(Image<'a>),
    Pdf(&'a str),
    Url(&'a str),
}

/// An image type every target takes, or the PDF type, as a string without escapes.
fn media_type<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    let media = plain_string(s)?;
    (IMAGE_TYPES.contains(&media) || media == PDF).then_some(media)
}

/// Base64 `data` of `media`'s type.
fn base64_media<'a>(media: &'a str, data: &'a str) -> Media<'a> {
    match media {
        PDF => Media::Pdf(data),
        _ => Media::Image(Image::base64(media, data)),
    }
}

/// An Anthropic image or document block's `source`: base64 (`type`, `media_type`,
/// `data`) or an http(s) URL (`type`, `url`).
fn anthropic_source<'a>(s: &mut Scan<'a>) -> Option<Media<'a>> {
    let (mut kind, mut media, mut data, mut url) = (None, None, None, None);
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(s.string()?),
            b"media_type" => media = Some(media_type(s)?),
            b"data" => data = Some(plain_string(s)?),
            b"url" => url = Some(plain_string(s)?),
            _ => return None,
        }
        Some(())
    })?;
    match (&*kind?, media, data, url) {
        ("base64", Some(media), Some(data), None) => Some(base64_media(media, data)),
        ("url", None, None, Some(url)) => {
            crate::openai_gemini::http_url(url).then_some(Media::Url(url))
        }
        _ => None,
    }
}

/// A Gemini `inlineData` image or PDF (`mimeType`, `data`; Gemini's inline data has no
/// name). The type may come by its proto name, `mime_type`, as google-genai sends it (the
/// general path renames it).
fn gemini_inline<'a>(s: &mut Scan<'a>) -> Option<Part<'a>> {
    let (mut media, mut data) = (None, None);
    s.object(|key, s| {
        match key {
            b"mimeType" | b"mime_type" if media.is_none() => media = Some(media_type(s)?),
            b"data" => data = Some(plain_string(s)?),
            _ => return None,
        }
        Some(())
    })?;
    let (media, data) = (media?, data?);
    Some(match media {
        PDF => Part::Document(Document::base64(data, None, PDF_NAME)),
        _ => Part::Image(Image::base64(media, data)),
    })
}

/// A Gemini `fileData` image or PDF (`mimeType` of an image type or the PDF type,
/// `fileUri` an http(s) URL), each in either spelling (google-genai writes the proto
/// names). Every other pair takes the URL alone (the content names its type).
fn gemini_file<'a>(s: &mut Scan<'a>) -> Option<Block<'a>> {
    let (mut media, mut url) = (None, None);
    s.object(|key, s| {
        match key {
            b"mimeType" | b"mime_type" if media.is_none() => media = Some(media_type(s)?),
            b"fileUri" | b"file_uri" if url.is_none() => url = Some(plain_string(s)?),
            _ => return None,
        }
        Some(())
    })?;
    match media? {
        // Gemini's file data has no name.
        PDF => Document::url(url?, None).map(Block::Document),
        _ => Image::url(url?).map(Block::Image),
    }
}

/// One piece of an Anthropic or Gemini turn, in the order [`Turn::add`] takes them.
enum Block<'a> {
    Text(Lit<'a>),
    Image(Image<'a>),
    Document(Document<'a>),
    Call(Call<'a>),
    Reply(Reply<'a>),
    /// An Anthropic thinking block.
    Thought(Thought<'a>),
}

impl<'a> Turn<'a> {
    /// Adds a block: the results first, then at most one text, or texts, images and
    /// documents,
    /// then the calls.
    fn add(&mut self, block: Block<'a>) -> Option<()> {
        let speaking = self.calls.is_empty();
        match block {
            Block::Text(t) if self.before_text() => self.text = Some(t),
            Block::Text(t) if speaking && !self.parts.is_empty() => self.parts.push(Part::Text(t)),
            Block::Image(i) if speaking => {
                self.parts.extend(self.text.take().map(Part::Text));
                self.parts.push(Part::Image(i));
            }
            Block::Document(d) if speaking => {
                self.parts.extend(self.text.take().map(Part::Text));
                self.parts.push(Part::Document(d));
            }
            Block::Reply(r) if self.before_text() => self.results.push(r),
            Block::Call(c) => self.calls.push(c),
            _ => return None,
        }
        Some(())
    }

    /// Adds an Anthropic block: as [`Turn::add`], but a second text before any call
    /// makes the texts a list of parts (a user's: every Anthropic-caller pair sends them
    /// as one; the model's turn of parts is refused by [`Turn::of`], as the pairs join
    /// its texts).
    fn add_anthropic(&mut self, block: Block<'a>) -> Option<()> {
        match block {
            // Thinking comes first, as Anthropic answers it.
            Block::Thought(t) if self.before_text() && self.results.is_empty() => {
                self.thoughts.push(t);
                Some(())
            }
            Block::Thought(_) => None,
            Block::Text(t) if self.calls.is_empty() && self.text.is_some() => {
                self.parts.extend(self.text.take().map(Part::Text));
                self.parts.push(Part::Text(t));
                Some(())
            }
            block => self.add(block),
        }
    }

    /// The turn as `role`'s (`model` names the model's role): the model's has no results,
    /// images or documents, the user's no calls and no thinking.
    fn of(mut self, role: &str, model: &str) -> Option<Self> {
        self.role = match role {
            "user"
                if self.calls.is_empty()
                    && self.thoughts.is_empty()
                    && self.gemini_thoughts.is_empty() =>
            {
                Role::User
            }
            r if r == model && self.results.is_empty() && self.parts.is_empty() => Role::Assistant,
            _ => return None,
        };
        Some(self)
    }
}

/// The user's turn that a text, parts or another result join: the turn of results just
/// before, while nothing follows its results; else a new one.
fn user_turn<'a, 'p>(p: &'p mut Plain<'a>) -> &'p mut Turn<'a> {
    let joins = p
        .turns
        .last()
        .is_some_and(|t| t.role == Role::User && !t.results.is_empty() && t.before_text());
    if !joins {
        p.turns.push(Turn::new(Role::User, None));
    }
    let last = p.turns.len() - 1;
    &mut p.turns[last]
}

/// A user's text or parts.
fn user_content<'a>(p: &mut Plain<'a>, content: Content<'a>) {
    let turn = user_turn(p);
    match content {
        Content::Text(text) => turn.text = Some(text),
        Content::Parts(parts) => turn.parts = parts,
    }
}

/// A tool's result.
fn reply<'a>(p: &mut Plain<'a>, reply: Reply<'a>) {
    user_turn(p).results.push(reply);
}

/// A call of the model's: one more of the model's turn just before it, or a turn of its
/// own (Responses items).
fn model_call<'a>(p: &mut Plain<'a>, call: Call<'a>) {
    match p.turns.last_mut() {
        Some(t) if t.role == Role::Assistant => t.calls.push(call),
        _ => {
            let mut turn = Turn::new(Role::Assistant, None);
            turn.calls.push(call);
            p.turns.push(turn);
        }
    }
}

/// A reasoning item of the model's: the start of its turn, or one more before its text
/// and calls (after them, it is interleaved, which the pairs send apart: the general
/// path's).
fn model_reasoning<'a>(p: &mut Plain<'a>, reasoning: Reasoning<'a>) -> Option<()> {
    match p.turns.last_mut() {
        Some(t) if t.role == Role::Assistant => {
            t.before_text().then_some(())?;
            t.reasoning.push(reasoning);
        }
        _ => {
            let mut turn = Turn::new(Role::Assistant, None);
            turn.reasoning.push(reasoning);
            p.turns.push(turn);
        }
    }
    Some(())
}

/// A call's arguments given as a string (Chat, Responses), whose text must be a JSON
/// object.
fn string_args<'a>(s: &mut Scan<'a>) -> Option<Args<'a>> {
    let lit = Lit(s.literal()?, false);
    let object = lit.decoded();
    let mut inner = Scan::new(&object);
    inner.peek_is(b'{').then_some(())?;
    inner.skip()?;
    inner.end()?;
    Some(Args {
        text: Some(lit),
        object,
    })
}

/// A call's arguments given as an object (Anthropic, Gemini).
fn object_args<'a>(s: &mut Scan<'a>) -> Option<Args<'a>> {
    s.peek_is(b'{').then_some(())?;
    let (text, ()) = s.spanned(Scan::skip)?;
    Some(Args {
        text: None,
        object: Cow::Borrowed(text),
    })
}

/// A request body as a plain conversation: `member` reads each top-level field it
/// knows (and says `None` to any other), then the conversation is checked.
fn read<'a>(
    body: &'a [u8],
    synth: Option<Synth>,
    mut member: impl FnMut(&'a [u8], &mut Scan<'a>, &mut Plain<'a>) -> Option<()>,
) -> Option<Plain<'a>> {
    let mut s = Scan::new(text(body)?);
    let mut p = Plain {
        synth,
        ..Plain::default()
    };
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

/// A string of 1 to `max` of `[A-Za-z0-9_-]`, without its quotes.
fn token<'a>(s: &mut Scan<'a>, max: usize) -> Option<&'a str> {
    let lit = s.literal()?;
    let token = &lit[1..lit.len() - 1];
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    ((1..=max).contains(&token.len()) && token.bytes().all(allowed)).then_some(token)
}

/// A tool's name: 1 to 64 of `[A-Za-z0-9_-]`, sent as it is (the general path sends it
/// unchanged too; a provider may refuse some, e.g. Gemini a name that does not begin with
/// a letter or `_`, as it would from the general path).
fn name<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    token(s, 64)
}

/// A call's id: 1 to 256 of `[A-Za-z0-9_-]` (every provider's ids are; Anthropic's
/// fixup rewrites others).
fn id_token<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    token(s, 256)
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
    parameters: Option<Cow<'a, str>>,
}

impl<'a> ToolParts<'a> {
    /// Reads a field of the tool (`schema_key` names its parameters schema).
    fn member(&mut self, key: &[u8], s: &mut Scan<'a>, schema_key: &[u8]) -> Option<()> {
        match key {
            b"name" => self.name = Some(name(s)?),
            b"description" => self.description = Some(Lit(s.literal()?, false)),
            k if k == schema_key => self.parameters = Some(Cow::Borrowed(schema(s)?)),
            _ => return None,
        }
        Some(())
    }

    /// Reads a field of a Gemini function declaration: its schema in JSON Schema
    /// (`parametersJsonSchema`) or in Gemini's dialect (`parameters`), not both.
    fn gemini_member(&mut self, key: &[u8], s: &mut Scan<'a>) -> Option<()> {
        match key {
            b"parameters" if self.parameters.is_none() => {
                self.parameters = Some(Cow::Owned(gemini_schema(s)?));
                Some(())
            }
            b"parametersJsonSchema" if self.parameters.is_some() => None,
            _ => self.member(key, s, b"parametersJsonSchema"),
        }
    }

    fn tool(self) -> Option<Tool<'a>> {
        Some(Tool {
            name: self.name?,
            description: self.description,
            parameters: self.parameters?,
            strict: None,
            text: "",
        })
    }
}

/// A parameters schema in Gemini's own dialect (`parameters`: upper-case types,
/// `nullable`, int64 limits as strings), as the JSON Schema the general path makes of it
/// (`gemini_openai::schema_to_json` over the generated `Schema`): the types in lower
/// case, `nullable` as a type list with `"null"`, the limits as numbers, no
/// `propertyOrdering`, every other field as written. Only an object schema that is not
/// nullable; `None` for anything the generated type reads otherwise or refuses (a type
/// it does not list, a `null`, a value of another type, an escape in a limit), and for
/// schemas nested deeper than `MAX_SCHEMA_DEPTH`.
fn gemini_schema(s: &mut Scan<'_>) -> Option<String> {
    let mut out = String::new();
    let (kind, nullable) = dialect_schema(s, &mut out, 0)?;
    (kind == Some("object") && !nullable).then_some(out)
}

/// How deep `gemini_schema` follows schemas within schemas.
const MAX_SCHEMA_DEPTH: usize = 16;

/// The dialect's types, as the generated `SchemaType` lists them, and in JSON Schema
/// (`None`: unspecified, which the general path leaves out).
const DIALECT_TYPES: [(&str, Option<&str>); 8] = [
    ("TYPE_UNSPECIFIED", None),
    ("STRING", Some("string")),
    ("NUMBER", Some("number")),
    ("INTEGER", Some("integer")),
    ("BOOLEAN", Some("boolean")),
    ("ARRAY", Some("array")),
    ("OBJECT", Some("object")),
    ("NULL", Some("null")),
];

/// `"key":` after a comma unless it is the first member written.
fn member_key(out: &mut String, first: &mut bool, key: &str) {
    if !std::mem::take(first) {
        out.push(',');
    }
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

/// One schema of the dialect written as JSON Schema into `out` (see `gemini_schema`):
/// its type in JSON Schema, and whether it is nullable.
fn dialect_schema(
    s: &mut Scan<'_>,
    out: &mut String,
    depth: usize,
) -> Option<(Option<&'static str>, bool)> {
    if depth > MAX_SCHEMA_DEPTH {
        return None;
    }
    // The type, and where its string begins in `out` (a nullable one becomes a list).
    let (mut kind, mut at, mut nullable, mut first) = (None, 0, false, true);
    out.push('{');
    s.object(|key, s| {
        // Keys come without escapes, so as text.
        let key = std::str::from_utf8(key).ok()?;
        match key {
            "type" => {
                let name = s.string()?;
                let (_, json) = DIALECT_TYPES.iter().find(|(n, _)| *n == name)?;
                if let Some(json) = json {
                    member_key(out, &mut first, key);
                    (kind, at) = (Some(*json), out.len());
                    out.push('"');
                    out.push_str(json);
                    out.push('"');
                }
            }
            "nullable" => nullable = s.bool()?,
            "propertyOrdering" => drop(strings(s)?),
            "properties" => {
                member_key(out, &mut first, key);
                out.push('{');
                let mut first_property = true;
                s.object(|name, s| {
                    member_key(out, &mut first_property, std::str::from_utf8(name).ok()?);
                    dialect_schema(s, out, depth + 1).map(drop)
                })?;
                out.push('}');
            }
            "items" => {
                member_key(out, &mut first, key);
                dialect_schema(s, out, depth + 1)?;
            }
            "anyOf" => {
                member_key(out, &mut first, key);
                out.push('[');
                s.array(|i, s| {
                    if i > 0 {
                        out.push(',');
                    }
                    dialect_schema(s, out, depth + 1).map(drop)
                })?;
                out.push(']');
            }
            // int64 as strings: numbers where they read as one, else as they are.
            "minItems" | "maxItems" | "minLength" | "maxLength" | "minProperties"
            | "maxProperties" => {
                let lit = s.literal()?;
                let digits = &lit[1..lit.len() - 1];
                (!digits.contains('\\')).then_some(())?;
                member_key(out, &mut first, key);
                match digits.parse::<u64>() {
                    Ok(n) => out.push_str(itoa::Buffer::new().format(n)),
                    Err(_) => out.push_str(lit),
                }
            }
            "description" | "format" | "pattern" | "title" => {
                let lit = s.literal()?;
                member_key(out, &mut first, key);
                out.push_str(lit);
            }
            "required" | "enum" => {
                let (text, _) = s.spanned(strings)?;
                member_key(out, &mut first, key);
                out.push_str(text);
            }
            "minimum" | "maximum" => {
                let (text, _) = s.spanned(Scan::number)?;
                member_key(out, &mut first, key);
                out.push_str(text);
            }
            // `default`, `example` and fields the generated type keeps in `extra`.
            _ => {
                let (text, ()) = s.spanned(Scan::skip)?;
                member_key(out, &mut first, key);
                out.push_str(text);
            }
        }
        Some(())
    })?;
    out.push('}');
    if nullable && let Some(json) = kind {
        out.replace_range(at..at + json.len() + 2, &format!("[\"{json}\",\"null\"]"));
    }
    Some((kind, nullable))
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
    let (mut typed, mut parts, mut strict) = (false, ToolParts::default(), None);
    let (text, ()) = s.spanned(|s| {
        s.object(|key, s| {
            match key {
                b"type" => typed = s.string()? == "function",
                b"function" if caller == Caller::Chat => {
                    s.object(|key, s| parts.member(key, s, b"parameters"))?;
                }
                b"strict" if caller == Caller::Responses => strict = Some(s.bool()?),
                _ if caller == Caller::Responses => parts.member(key, s, b"parameters")?,
                _ => return None,
            }
            Some(())
        })
    })?;
    typed.then_some(())?;
    out.push(Tool {
        strict,
        text,
        ..parts.tool()?
    });
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
    read(body, None, |key, s, p| {
        match key {
            b"messages" => s.array(|i, s| chat_message(s, i, p))?,
            b"max_completion_tokens" | b"max_tokens" if p.max_tokens.is_none() => {
                p.max_tokens = Some(s.int()?);
            }
            b"stop" => {
                let stop = if s.peek_is(b'"') {
                    vec![Lit(s.literal()?, false)]
                } else {
                    strings(s)?
                };
                // An empty list is no setting to the Responses pair.
                if !stop.is_empty() {
                    p.unshared.push((Unshared::Stop, "/stop"));
                }
                p.stop = Some(stop);
            }
            b"seed" => p.unshared_setting(Unshared::Seed, "/seed", s)?,
            b"n" if p.candidates.is_none() => {
                (s.int()? == 1).then_some(())?;
                p.candidates = Some(1);
            }
            // No log probabilities: every upstream's default (the pairs report `true`).
            b"logprobs" => (!s.bool()?).then_some(())?,
            b"presence_penalty" => {
                p.unshared_setting(Unshared::Presence, "/presence_penalty", s)?;
            }
            b"frequency_penalty" => {
                p.unshared_setting(Unshared::Frequency, "/frequency_penalty", s)?;
            }
            b"tools" => tools(s, p, |s, out| openai_tool(s, out, Caller::Chat))?,
            b"tool_choice" => choice(s, p, |s| openai_choice(s, Caller::Chat))?,
            b"response_format" => match chat_format(s)? {
                Some(format) => p.format = Some(format),
                None => p.json_mode = Some("/response_format"),
            },
            b"reasoning_effort" => {
                let lit = s.literal()?;
                let word = &lit[1..lit.len() - 1];
                p.effort = Some((word, chat_effort(word)?));
            }
            b"parallel_tool_calls" => p.parallel = Some(s.bool()?),
            b"user" => p.chat_user = Some(Lit(s.literal()?, false)),
            b"verbosity" => p.verbosity = Some(Lit(s.literal()?, false)),
            b"stream_options" => s.object(|key, s| {
                (key == b"include_usage").then_some(())?;
                p.include_usage = Some(s.bool()?);
                Some(())
            })?,
            _ => match Service::named(key, Caller::Chat) {
                Some(service) => service.read(s, p)?,
                None => shared(key, s, p)?,
            },
        }
        Some(())
    })
}

/// A Chat message (the `i`th): the system or developer text (first), a user's text, the
/// assistant's text and calls (with the reasoning history the pairs' answers gave it), or
/// a tool's result (whose content is a string: a list stays a list toward Anthropic).
fn chat_message<'a>(s: &mut Scan<'a>, i: usize, p: &mut Plain<'a>) -> Option<()> {
    let (mut role, mut content, mut calls, mut call_id) = (None, None, None, None);
    let mut nulls = false;
    let mut reasoning = ChatReasoning {
        blocks: None,
        content: None,
        at: i,
    };
    s.object(|key, s| {
        match key {
            b"role" => role = Some(s.string()?),
            // `null` (consumed by the guard) is none, on the model's message only (the
            // pairs differ on it elsewhere).
            b"reasoning_content" if s.null() => nulls = true,
            b"reasoning_content" => reasoning.content = Some(Lit(s.literal()?, false)),
            b"thinking_blocks" => reasoning.blocks = Some(chat_thinking_blocks(s)?),
            // What the API answers beside the model's text, sent back as it came: no value.
            b"refusal" | b"audio" | b"function_call" => {
                s.only_null()?;
                nulls = true;
            }
            b"content" if s.peek_is(b'[') => content = Some(content_list(s, Caller::Chat)?),
            // `null` (consumed by the guard) is no text.
            b"content" if s.null() => {}
            b"content" => content = Some(Content::Text(Lit(s.literal()?, false))),
            b"tool_calls" => calls = Some(chat_calls(s)?),
            b"tool_call_id" => call_id = Some(id_token(s)?),
            _ => return None,
        }
        Some(())
    })?;
    let role = role?;
    (!nulls || role == "assistant").then_some(())?;
    let reasoning = reasoning.given();
    (reasoning.is_none() || role == "assistant").then_some(())?;
    if let ("user", None, None) = (&*role, &calls, call_id) {
        user_content(p, content?);
        return Some(());
    }
    let content = text_only(content)?;
    match (&*role, calls, call_id) {
        ("system" | "developer", None, None) if p.turns.is_empty() && p.system.is_none() => {
            p.developer = role == "developer";
            p.system = Some(content?);
        }
        ("assistant", None, None) => {
            let mut turn = Turn::new(Role::Assistant, Some(content?));
            turn.chat_reasoning = reasoning;
            p.turns.push(turn);
        }
        ("assistant", Some(calls), None) => {
            // Beside calls, `""` is no text too (an empty list part is not: the pairs
            // differ on it).
            let text = content.filter(|t| !t.is_empty() || t.listed());
            let mut turn = Turn::new(Role::Assistant, text);
            turn.calls = calls;
            turn.chat_reasoning = reasoning;
            p.turns.push(turn);
        }
        ("tool", None, Some(id)) => reply(
            p,
            Reply::new(Some(id), None, content.filter(|t| !t.listed())?),
        ),
        _ => return None,
    }
    Some(())
}

/// A Chat assistant message's `thinking_blocks`: thinking blocks of a text and a
/// signature, each given (a redacted block, another key or a missing one is the general
/// path's).
fn chat_thinking_blocks<'a>(s: &mut Scan<'a>) -> Option<Vec<(Lit<'a>, Lit<'a>)>> {
    let mut blocks = Vec::new();
    s.array(|_, s| {
        let (mut typed, mut text, mut signature) = (false, None, None);
        s.object(|key, s| {
            match key {
                b"type" => typed = s.string()? == "thinking",
                b"thinking" => text = Some(Lit(s.literal()?, false)),
                b"signature" => signature = Some(Lit(s.literal()?, false)),
                _ => return None,
            }
            Some(())
        })?;
        typed.then_some(())?;
        blocks.push((text?, signature?));
        Some(())
    })?;
    Some(blocks)
}

/// An assistant message's `tool_calls`: function calls with their id, name and arguments.
fn chat_calls<'a>(s: &mut Scan<'a>) -> Option<Vec<Call<'a>>> {
    let mut calls = Vec::new();
    s.array(|_, s| {
        let (mut call_id, mut typed, mut named, mut args) = (None, false, None, None);
        s.object(|key, s| {
            match key {
                b"id" => call_id = Some(id_token(s)?),
                b"type" => typed = s.string()? == "function",
                b"function" => s.object(|key, s| {
                    match key {
                        b"name" => named = Some(name(s)?),
                        b"arguments" => args = Some(string_args(s)?),
                        _ => return None,
                    }
                    Some(())
                })?,
                _ => return None,
            }
            Some(())
        })?;
        typed.then_some(())?;
        calls.push(Call::new(Some(call_id?), named?, args?, At::default()));
        Some(())
    })?;
    (!calls.is_empty()).then_some(calls)
}

/// An Anthropic Messages request.
pub(crate) fn anthropic(body: &[u8]) -> Option<Plain<'_>> {
    read(body, None, |key, s, p| {
        match key {
            b"system" if s.peek_is(b'[') => anthropic_system(s, p)?,
            b"system" => p.system = Some(Lit(s.literal()?, false)),
            b"messages" => s.array(|i, s| {
                let turn = anthropic_message(s, i, &mut p.losses)?;
                p.turns.push(turn);
                Some(())
            })?,
            b"max_tokens" => p.max_tokens = Some(s.int()?),
            b"stop_sequences" => p.unshared_setting(Unshared::Stop, "/stop_sequences", s)?,
            b"top_k" => p.unshared_setting(Unshared::TopK, "/top_k", s)?,
            b"tools" => {
                let mut hinted = Vec::new();
                tools(s, p, |s, out| {
                    let mut parts = ToolParts::default();
                    s.object(|key, s| match key {
                        b"cache_control" => {
                            cache_hint(s)?;
                            hinted.push(Loss::ToolHint(out.len()));
                            Some(())
                        }
                        _ => parts.member(key, s, b"input_schema"),
                    })?;
                    out.push(parts.tool()?);
                    Some(())
                })?;
                p.losses.extend(hinted);
            }
            b"tool_choice" => {
                let mut parallel = None;
                choice(s, p, |s| anthropic_choice(s, &mut parallel))?;
                p.parallel = parallel;
            }
            b"output_config" => p.format = Some(anthropic_format(s)?),
            b"metadata" => p.user = Some(anthropic_user(s)?),
            b"thinking" => p.thinking = Some(anthropic_thinking(s)?),
            _ => shared(key, s, p)?,
        }
        Some(())
    })
}

/// An Anthropic cache hint: `{"type": "ephemeral"}`, its `ttl` `5m` or `1h` if given.
fn cache_hint(s: &mut Scan<'_>) -> Option<()> {
    let mut typed = false;
    s.object(|key, s| {
        match key {
            b"type" => typed = s.string()? == "ephemeral",
            b"ttl" => matches!(&*s.string()?, "5m" | "1h").then_some(())?,
            _ => return None,
        }
        Some(())
    })?;
    typed.then_some(())
}

/// Anthropic's `thinking`: `{"type": "enabled", "budget_tokens"}` (1024 up to an
/// `int32`, as Anthropic and Gemini take it), `{"type": "adaptive"}` or
/// `{"type": "disabled"}`, nothing else.
fn anthropic_thinking(s: &mut Scan<'_>) -> Option<Thinking> {
    let (mut kind, mut budget) = (None, None);
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(s.string()?),
            b"budget_tokens" => budget = Some(s.int()?),
            _ => return None,
        }
        Some(())
    })?;
    match (&*kind?, budget) {
        ("enabled", Some(b)) if (1024..=i64::from(i32::MAX)).contains(&b) => {
            Some(Thinking::Budget(b))
        }
        ("adaptive", None) => Some(Thinking::Adaptive),
        ("disabled", None) => Some(Thinking::Disabled),
        _ => None,
    }
}

/// Anthropic's `metadata` holding only a `user_id` string.
fn anthropic_user<'a>(s: &mut Scan<'a>) -> Option<Lit<'a>> {
    let mut user = None;
    s.object(|key, s| {
        (key == b"user_id").then_some(())?;
        user = Some(Lit(s.literal()?, false));
        Some(())
    })?;
    user
}

/// Anthropic's `system` as a list of one or more text blocks (`{"type": "text", "text"}`,
/// each maybe with a cache hint).
fn anthropic_system<'a>(s: &mut Scan<'a>, p: &mut Plain<'a>) -> Option<()> {
    s.array(|j, s| {
        let (mut typed, mut text) = (false, None);
        s.object(|key, s| {
            match key {
                b"type" => typed = s.string()? == "text",
                b"text" => text = Some(Lit(s.literal()?, false)),
                b"cache_control" => {
                    cache_hint(s)?;
                    p.losses.push(Loss::SystemHint(j));
                }
                _ => return None,
            }
            Some(())
        })?;
        let text = typed.then_some(text?)?;
        match p.system {
            None => p.system = Some(text),
            Some(_) => p.system_rest.push(text),
        }
        Some(())
    })?;
    p.system.is_some().then_some(())
}

/// Anthropic message `i`: a text, or blocks (a user's tool results then texts and
/// images; the assistant's text then its calls), what it sets that the pairs report
/// added to `losses`.
fn anthropic_message<'a>(s: &mut Scan<'a>, i: usize, losses: &mut Vec<Loss>) -> Option<Turn<'a>> {
    let (mut role, mut turn) = (None, None);
    s.object(|key, s| {
        match key {
            b"role" => role = Some(s.string()?),
            b"content" if s.peek_is(b'[') => {
                let mut blocks = Turn::new(Role::User, None);
                s.array(|j, s| {
                    let (mut block, hinted, error) = anthropic_block(s)?;
                    match &mut block {
                        Block::Thought(t) => t.at = (i, j),
                        Block::Reply(r) => r.at = (i, j),
                        _ => {}
                    }
                    if hinted {
                        losses.push(Loss::BlockHint(i, j));
                    }
                    if error {
                        losses.push(Loss::ResultError(i, j));
                    }
                    blocks.add_anthropic(block)
                })?;
                turn = Some(blocks);
            }
            b"content" => turn = Some(Turn::new(Role::User, Some(Lit(s.literal()?, false)))),
            _ => return None,
        }
        Some(())
    })?;
    turn?.of(&role?, "assistant")
}

/// A `text`, `image`, `document` (a base64 PDF, maybe with a `title`), `tool_use` or
/// `tool_result` block (whose content is a string or a list of texts, maybe with
/// `is_error`) with nothing else but a cache hint, or a `thinking` block (its text and
/// signature, nothing else); whether it has a hint, and whether it is a result that says it
/// is an error.
fn anthropic_block<'a>(s: &mut Scan<'a>) -> Option<(Block<'a>, bool, bool)> {
    let (mut kind, mut text, mut call_id, mut use_id, mut named, mut input, mut content) =
        (None, None, None, None, None, None, None);
    let (mut image, mut hinted, mut error, mut more) = (None, false, None, Vec::new());
    let (mut thinking, mut signature, mut title, mut media) = (None, None, None, Vec::new());
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(s.string()?),
            b"text" => text = Some(Lit(s.literal()?, false)),
            b"source" => image = Some(anthropic_source(s)?),
            b"title" => title = Some(Lit(s.literal()?, false)),
            b"id" => call_id = Some(id_token(s)?),
            b"tool_use_id" => use_id = Some(id_token(s)?),
            b"name" => named = Some(name(s)?),
            b"input" => input = Some(object_args(s)?),
            b"content" if s.peek_is(b'[') => {
                let (first, rest, items) = result_items(s)?;
                content = Some(first);
                more = rest;
                media = items;
            }
            b"content" => content = Some(Lit(s.literal()?, false)),
            b"is_error" => error = Some(s.bool()?),
            b"cache_control" => {
                cache_hint(s)?;
                hinted = true;
            }
            b"thinking" => thinking = Some(Lit(s.literal()?, false)),
            b"signature" => signature = Some(Lit(s.literal()?, false)),
            _ => return None,
        }
        Some(())
    })?;
    let call_fields = call_id.is_some() || named.is_some() || input.is_some();
    let kind = kind?;
    if thinking.is_some() || signature.is_some() {
        // A thinking block: its text and signature, nothing else.
        let alone = text.is_none()
            && use_id.is_none()
            && content.is_none()
            && image.is_none()
            && title.is_none()
            && error.is_none()
            && !hinted
            && !call_fields;
        let thought = Thought {
            text: thinking?,
            signature: signature?,
            at: (0, 0),
        };
        return (kind == "thinking" && alone).then_some((Block::Thought(thought), false, false));
    }
    // Only a result says whether it is an error.
    (error.is_none() || kind == "tool_result").then_some(())?;
    if let Some(media) = image {
        let alone = text.is_none() && use_id.is_none() && content.is_none() && !call_fields;
        let block = anthropic_media(&kind, media, title)?.block();
        return alone.then_some((block, hinted, false));
    }
    // Only a document has a title.
    title.is_none().then_some(())?;
    let block = match (&*kind, text, use_id, content) {
        ("text", Some(t), None, None) if !call_fields => Block::Text(t),
        ("tool_result", None, Some(u), Some(c)) if !call_fields => {
            let mut reply = Reply::new(Some(u), None, c);
            reply.more = more;
            reply.media = media;
            Block::Reply(reply)
        }
        ("tool_use", None, None, None) => {
            Block::Call(Call::new(Some(call_id?), named?, input?, At::default()))
        }
        _ => return None,
    };
    Some((block, hinted, error == Some(true)))
}

/// A list of `{"type": kind, "text"}` parts: the first text (none for an empty list) and
/// the rest, each marked `listed` or not.
fn typed_texts<'a>(
    s: &mut Scan<'a>,
    kind: &str,
    listed: bool,
) -> Option<(Option<Lit<'a>>, Vec<Lit<'a>>)> {
    let (mut first, mut rest) = (None, Vec::new());
    s.array(|_, s| {
        let (mut typed, mut text) = (false, None);
        s.object(|key, s| {
            match key {
                b"type" => typed = s.string()? == kind,
                b"text" => text = Some(Lit(s.literal()?, listed)),
                _ => return None,
            }
            Some(())
        })?;
        let text = text.filter(|_| typed)?;
        match first {
            None => first = Some(text),
            Some(_) => rest.push(text),
        }
        Some(())
    })?;
    Some((first, rest))
}

/// A tool result's content given as a list of text blocks (`{"type": "text", "text"}`,
/// none empty), images and base64 PDFs (a document maybe with a `title`), one text at
/// least: the first text (marked as listed), the other texts, and the images and PDFs
/// with their places in the list.
#[allow(clippy::type_complexity)]
fn result_items<'a>(s: &mut Scan<'a>) -> Option<(Lit<'a>, Vec<Lit<'a>>, Vec<(usize, Part<'a>)>)> {
    let (mut first, mut rest, mut media) = (None, Vec::new(), Vec::new());
    s.array(|k, s| {
        let (mut kind, mut text, mut source, mut title) = (None, None, None, None);
        s.object(|key, s| {
            match key {
                b"type" => kind = Some(s.string()?),
                b"text" => text = Some(Lit(s.literal()?, true)),
                b"source" => source = Some(anthropic_source(s)?),
                b"title" => title = Some(Lit(s.literal()?, false)),
                _ => return None,
            }
            Some(())
        })?;
        let kind = kind?;
        match (text, source) {
            (Some(t), None) if &*kind == "text" && title.is_none() && !t.is_empty() => {
                match first {
                    None => first = Some(t),
                    Some(_) => rest.push(t),
                }
            }
            (None, Some(source)) => media.push((k, anthropic_media(&kind, source, title)?)),
            _ => return None,
        }
        Some(())
    })?;
    Some((first?, rest, media))
}

/// An Anthropic block of type `kind` with a `source` (and maybe a `title`): an image (no
/// title), or a PDF document (its title the name).
fn anthropic_media<'a>(kind: &str, media: Media<'a>, title: Option<Lit<'a>>) -> Option<Part<'a>> {
    match media {
        Media::Image(image) if kind == "image" && title.is_none() => Some(Part::Image(image)),
        Media::Url(url) if kind == "image" && title.is_none() => Image::url(url).map(Part::Image),
        Media::Pdf(data) if kind == "document" => {
            Some(Part::Document(Document::base64(data, title, PDF_NAME)))
        }
        Media::Url(url) if kind == "document" => Document::url(url, title).map(Part::Document),
        _ => None,
    }
}

/// An Anthropic tool choice: `{"type": "auto" | "any" | "none"}`, or `{"type": "tool",
/// "name"}`; but for `none`, with `disable_parallel_tool_use` (`true`: the Chat and
/// Responses `parallel_tool_calls: false` into `parallel`; `false`, the default, no
/// setting).
fn anthropic_choice<'a>(s: &mut Scan<'a>, parallel: &mut Option<bool>) -> Option<Choice<'a>> {
    let (mut kind, mut named, mut disable) = (None, None, None);
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(s.string()?),
            b"name" => named = Some(name(s)?),
            b"disable_parallel_tool_use" => disable = Some(s.bool()?),
            _ => return None,
        }
        Some(())
    })?;
    let choice = match (&*kind?, named) {
        ("auto", None) => Choice::Auto,
        // (Anthropic's `none` has no switch: the pairs report it as a field they do not
        // know.)
        ("none", None) if disable.is_none() => Choice::None,
        ("any", None) => Choice::Required,
        ("tool", Some(name)) => Choice::Named(name),
        _ => return None,
    };
    if disable == Some(true) {
        *parallel = Some(false);
    }
    Some(choice)
}

/// A structured output's schema: an object, as its JSON text.
fn object_schema<'a>(s: &mut Scan<'a>) -> Option<&'a str> {
    s.peek_is(b'{').then_some(())?;
    Some(s.spanned(Scan::skip)?.0)
}

/// A JSON Schema format's fields as Chat (in `json_schema`) and Responses (in `format`,
/// beside its `type`) name them: `name`, `schema`, `strict`. `other` reads any other
/// field. The format's name defaults to `output`, as both callers' pairs name it. `None`
/// inside when none of the three is given (Responses' JSON mode).
fn schema_format<'a>(
    s: &mut Scan<'a>,
    mut other: impl FnMut(&[u8], &mut Scan<'a>) -> Option<()>,
) -> Option<Option<Format<'a>>> {
    let (mut named, mut schema, mut strict) = (None, None, None);
    s.object(|key, s| {
        match key {
            b"name" => named = Some(name(s)?),
            b"schema" => schema = Some(object_schema(s)?),
            b"strict" => strict = Some(s.bool()?),
            _ => other(key, s)?,
        }
        Some(())
    })?;
    let Some(schema) = schema else {
        return (named.is_none() && strict.is_none()).then_some(None);
    };
    Some(Some(Format {
        schema: Cow::Borrowed(schema),
        name: named.unwrap_or("output"),
        strict,
        null_strict: false,
    }))
}

/// Whether a format's `type` asks for a schema (`json_schema`) or for JSON alone
/// (`json_object`); `None` for another.
fn json_kind(s: &mut Scan<'_>) -> Option<bool> {
    match &*s.string()? {
        "json_schema" => Some(true),
        "json_object" => Some(false),
        _ => None,
    }
}

/// Chat's `response_format` of `{"type": "json_schema", "json_schema": {...}}`, or of
/// `{"type": "json_object"}` (JSON mode: `None` inside).
fn chat_format<'a>(s: &mut Scan<'a>) -> Option<Option<Format<'a>>> {
    let (mut kind, mut format) = (None, None);
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(json_kind(s)?),
            b"json_schema" => format = Some(schema_format(s, |_, _| None)??),
            _ => return None,
        }
        Some(())
    })?;
    match (kind?, format) {
        (true, Some(format)) => Some(Some(format)),
        (false, None) => Some(None),
        _ => None,
    }
}

/// Responses' `text` of `{"format": {"type": "json_schema", ...}}`, or of `{"format":
/// {"type": "json_object"}}` (JSON mode: `None` inside).
fn responses_text<'a>(s: &mut Scan<'a>) -> Option<ResponsesText<'a>> {
    let (mut format, mut verbosity) = (None, None);
    s.object(|key, s| {
        if key == b"verbosity" {
            verbosity = Some(Lit(s.literal()?, false));
            return Some(());
        }
        (key == b"format").then_some(())?;
        let mut kind = None;
        let f = schema_format(s, |key, s| {
            (key == b"type").then_some(())?;
            kind = Some(json_kind(s)?);
            Some(())
        })?;
        format = Some(match (kind?, f) {
            (true, Some(f)) => Some(Format {
                null_strict: true,
                ..f
            }),
            (false, None) => None,
            _ => return None,
        });
        Some(())
    })?;
    // Something to say.
    (format.is_some() || verbosity.is_some()).then_some((format, verbosity))
}

/// A Responses `text`: its format (`None` inside for JSON mode), its verbosity.
type ResponsesText<'a> = (Option<Option<Format<'a>>>, Option<Lit<'a>>);

/// Anthropic's `output_config` of `{"format": {"type": "json_schema", "schema"}}`
/// (toward Chat and Responses, named `output` and strict, as its pairs write it).
fn anthropic_format<'a>(s: &mut Scan<'a>) -> Option<Format<'a>> {
    let (mut typed, mut schema) = (false, None);
    s.object(|key, s| {
        (key == b"format").then_some(())?;
        s.object(|key, s| {
            match key {
                b"type" => typed = s.string()? == "json_schema",
                b"schema" => schema = Some(object_schema(s)?),
                _ => return None,
            }
            Some(())
        })
    })?;
    typed.then_some(Format {
        schema: Cow::Borrowed(schema?),
        name: "output",
        strict: Some(true),
        null_strict: false,
    })
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
            s.object(|key, s| parts.gemini_member(key, s))?;
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

/// A Gemini `Content`, the `i`th: a role and parts (a user's function responses then a
/// text, or texts, images and documents; the model's thoughts, then its text, then its
/// function calls).
fn gemini_content<'a>(s: &mut Scan<'a>, i: usize) -> Option<Turn<'a>> {
    let (mut role, mut turn, mut signed) = (None, None, false);
    s.object(|key, s| {
        match key {
            b"role" => role = Some(s.string()?),
            b"parts" => {
                let mut parts = Turn::new(Role::User, None);
                s.array(|j, s| {
                    let at = At {
                        content: i,
                        nth: parts.calls.len(),
                        part: j,
                    };
                    let (mut block, signature, thought) = gemini_part(s, at)?;
                    if thought {
                        // The model's thoughts come before its text and calls.
                        let Block::Text(text) = block else {
                            return None;
                        };
                        parts.before_text().then_some(())?;
                        signed |= signature.is_some();
                        let at = At { nth: 0, ..at };
                        parts.gemini_thoughts.push(GeminiThought {
                            text,
                            signature,
                            at,
                        });
                        return Some(());
                    }
                    if let Some(signature) = signature {
                        signed = true;
                        match &mut block {
                            Block::Call(c) => c.signature = Some(signature),
                            Block::Text(_) if parts.before_text() => {
                                parts.text_signature = Some((signature, at));
                            }
                            _ => return None,
                        }
                    }
                    parts.add(block)
                })?;
                turn = Some(parts);
            }
            _ => return None,
        }
        Some(())
    })?;
    let turn = turn?.of(&role?, "model")?;
    // Only the model's parts carry the signatures of its thoughts.
    (!signed || turn.role == Role::Assistant).then_some(())?;
    // Its thoughts come before something they are about, and a signature follows the
    // last (the pairs differ on thoughts nothing signs).
    if let Some(last) = turn.gemini_thoughts.last() {
        let next = match turn.text {
            Some(_) => turn.text_signature.is_some(),
            None => turn.calls.first()?.signature.is_some(),
        };
        (last.signature.is_some() || next).then_some(())?;
    }
    Some(turn)
}

/// A part of one field: `text`, `inlineData` (an image or a PDF), `fileData` (an image or
/// a PDF by URL), `functionCall` (`name`, `args`, an optional `id`) or `functionResponse`
/// (`name`, an optional `id`, a `response` of one string member, which every pair takes as
/// the result's text, not empty when `parts` of inline images and PDFs follow it), its
/// `thoughtSignature` (not empty), and
/// whether it says it is a thought (`thought: true`); `at` is where a call stands.
fn gemini_part<'a>(s: &mut Scan<'a>, at: At) -> Option<(Block<'a>, Option<Lit<'a>>, bool)> {
    let (mut block, mut signature, mut thought) = (None, None, false);
    s.object(|key, s| {
        if key == b"thoughtSignature" {
            let lit = Lit(s.literal()?, false);
            (signature.is_none() && !lit.is_empty()).then_some(())?;
            signature = Some(lit);
            return Some(());
        }
        if key == b"thought" {
            (!thought && s.bool()?).then_some(())?;
            thought = true;
            return Some(());
        }
        block.is_none().then_some(())?;
        block = Some(match key {
            b"text" => Block::Text(Lit(s.literal()?, false)),
            b"inlineData" | b"inline_data" => gemini_inline(s)?.block(),
            b"fileData" | b"file_data" => gemini_file(s)?,
            b"functionCall" => {
                let f = gemini_function(s)?;
                (f.response.is_none() && f.parts.is_none()).then_some(())?;
                Block::Call(Call::new(f.id, f.name?, f.args?, at))
            }
            b"functionResponse" => {
                let f = gemini_function(s)?;
                f.args.is_none().then_some(())?;
                let mut reply = Reply::new(f.id, Some(f.name?), f.response?);
                // Its images and PDFs follow its text (the pairs leave an empty text out:
                // the general path's way).
                if let Some(parts) = f.parts.filter(|p| !p.is_empty()) {
                    (!reply.text.is_empty()).then_some(())?;
                    reply.media = (1..).zip(parts).collect();
                    reply.at = (at.content, at.part);
                }
                Block::Reply(reply)
            }
            _ => return None,
        });
        Some(())
    })?;
    Some((block?, signature, thought))
}

/// The fields of a `functionCall` or `functionResponse`, as read.
#[derive(Default)]
struct Function<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    args: Option<Args<'a>>,
    response: Option<Lit<'a>>,
    /// A response's images and PDFs (`parts` of `inlineData`, as Gemini 3 takes them).
    parts: Option<Vec<Part<'a>>>,
}

/// A `functionCall`'s or `functionResponse`'s fields (kept apart from [`gemini_part`], whose
/// text parts, the common ones, then read without them).
fn gemini_function<'a>(s: &mut Scan<'a>) -> Option<Function<'a>> {
    let mut f = Function::default();
    s.object(|key, s| {
        match key {
            b"id" => f.id = Some(id_token(s)?),
            b"name" => f.name = Some(name(s)?),
            b"args" => f.args = Some(object_args(s)?),
            b"response" => {
                let (mut text, mut members) = (None, 0);
                s.object(|_, s| {
                    members += 1;
                    text = Some(Lit(s.literal()?, false));
                    Some(())
                })?;
                f.response = Some(text.filter(|_| members == 1)?);
            }
            // (An empty list is none, to the general paths too.)
            b"parts" if f.parts.is_none() => {
                let mut parts = Vec::new();
                s.array(|_, s| {
                    let mut part = None;
                    s.object(|key, s| {
                        let inline = matches!(key, b"inlineData" | b"inline_data");
                        (part.is_none() && inline).then_some(())?;
                        part = Some(gemini_inline(s)?);
                        Some(())
                    })?;
                    parts.push(part?);
                    Some(())
                })?;
                f.parts = Some(parts);
            }
            _ => return None,
        }
        Some(())
    })?;
    Some(f)
}

/// A Gemini `thinkingConfig` of a budget (-1 or up to a million), a level the spec lists
/// and `includeThoughts`, each in either spelling (google-genai writes `include_thoughts`),
/// once.
fn gemini_thinking(s: &mut Scan<'_>) -> Option<GeminiThinking> {
    let (mut budget, mut level, mut shows) = (None, None, None);
    s.object(|key, s| {
        match key {
            b"thinkingBudget" | b"thinking_budget" if budget.is_none() => {
                let b = s.int()?;
                (-1..=1_000_000).contains(&b).then_some(())?;
                budget = Some(b);
            }
            b"includeThoughts" | b"include_thoughts" if shows.is_none() => {
                shows = Some(s.bool()?);
            }
            b"thinkingLevel" | b"thinking_level" if level.is_none() => {
                level = Some(ThinkingLevel::of(plain_string(s)?)?);
            }
            _ => return None,
        }
        Some(())
    })?;
    Some(GeminiThinking {
        budget,
        level,
        shows: shows == Some(true),
    })
}

/// A Gemini `generateContent` request (its model is in the path).
pub(crate) fn gemini(body: &[u8], synth: Synth) -> Option<Plain<'_>> {
    read(body, Some(synth), |key, s, p| {
        match key {
            b"contents" => s.array(|i, s| {
                let turn = gemini_content(s, i)?;
                p.turns.push(turn);
                Some(())
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
            b"generationConfig" => {
                let (mut json, mut schema) = (false, None);
                s.object(|key, s| {
                    match key {
                        b"maxOutputTokens" => p.max_tokens = Some(s.int()?),
                        b"temperature" => p.temperature = Some(s.number()?),
                        b"topP" => p.top_p = Some(s.number()?),
                        b"stopSequences" => {
                            let at = "/generationConfig/stopSequences";
                            p.unshared_setting(Unshared::Stop, at, s)?;
                        }
                        b"seed" => {
                            p.unshared_setting(Unshared::Seed, "/generationConfig/seed", s)?;
                        }
                        b"topK" => {
                            p.unshared_setting(Unshared::TopK, "/generationConfig/topK", s)?;
                        }
                        b"presencePenalty" => {
                            let at = "/generationConfig/presencePenalty";
                            p.unshared_setting(Unshared::Presence, at, s)?;
                        }
                        b"frequencyPenalty" => {
                            let at = "/generationConfig/frequencyPenalty";
                            p.unshared_setting(Unshared::Frequency, at, s)?;
                        }
                        b"responseMimeType" => {
                            json = s.string()? == "application/json";
                            json.then_some(())?;
                        }
                        b"responseJsonSchema" if schema.is_none() => {
                            schema = Some(Cow::Borrowed(object_schema(s)?));
                        }
                        // In Gemini's dialect (google-genai's typed `Schema`), converted;
                        // not beside `responseJsonSchema`, which the pairs prefer.
                        b"responseSchema" if schema.is_none() => {
                            schema = Some(Cow::Owned(gemini_schema(s)?));
                        }
                        b"thinkingConfig" => p.gemini_thinking = Some(gemini_thinking(s)?),
                        _ => return None,
                    }
                    Some(())
                })?;
                // The mime type and the schema go together (the pairs drop a schema
                // without it, and write a mime type alone otherwise each).
                if json || schema.is_some() {
                    (json && p.format.is_none() && p.json_mode.is_none()).then_some(())?;
                    p.format = match schema {
                        Some(schema) => Some(Format {
                            schema,
                            name: "response",
                            strict: None,
                            null_strict: false,
                        }),
                        None => {
                            p.json_mode = Some("/generationConfig/responseMimeType");
                            None
                        }
                    };
                }
            }
            _ => return None,
        }
        Some(())
    })
}

/// An OpenAI Responses request: `input` as a string, or as items: `{role, content}`
/// messages (the content a string or one text part), function calls and their outputs
/// (strings).
pub(crate) fn responses(body: &[u8]) -> Option<Plain<'_>> {
    let p = read(body, None, |key, s, p| {
        match key {
            b"instructions" => p.system = Some(Lit(s.literal()?, false)),
            b"input" if s.peek_is(b'"') => {
                p.turns
                    .push(Turn::new(Role::User, Some(Lit(s.literal()?, false))));
            }
            b"input" => s.array(|i, s| responses_item(s, i, p))?,
            b"max_output_tokens" => p.max_tokens = Some(s.int()?),
            b"tools" => tools(s, p, |s, out| openai_tool(s, out, Caller::Responses))?,
            b"tool_choice" => choice(s, p, |s| openai_choice(s, Caller::Responses))?,
            b"text" => {
                let (text, (format, verbosity)) = s.spanned(responses_text)?;
                match format {
                    Some(Some(format)) => p.format = Some(format),
                    Some(None) => p.json_mode = Some("/text/format"),
                    None => {}
                }
                p.verbosity = verbosity;
                p.format_text = Some(text);
            }
            b"include" => {
                s.array(|_, s| (s.string()? == "reasoning.encrypted_content").then_some(()))?
            }
            // A response in the foreground (the pairs refuse one in the background).
            b"background" => (!s.bool()?).then_some(())?,
            b"parallel_tool_calls" => p.parallel = Some(s.bool()?),
            b"user" => p.chat_user = Some(Lit(s.literal()?, false)),
            b"reasoning" => {
                let (text, effort) = s.spanned(responses_reasoning)?;
                p.reasoning_text = Some(text);
                p.effort = effort;
            }
            _ => match Service::named(key, Caller::Responses) {
                Some(service) => service.read(s, p)?,
                None => shared(key, s, p)?,
            },
        }
        Some(())
    })?;
    Some(Plain {
        from_responses: true,
        ..p
    })
}

/// A Responses `reasoning`: an `effort` the spec lists and a `summary` of `auto`,
/// `concise` or `detailed`, each optional (the summary only echoed: the pairs ask for
/// summaries whenever they reason).
fn responses_reasoning<'a>(
    s: &mut Scan<'a>,
) -> Option<Option<(&'a str, aigw_openai::ReasoningEffort)>> {
    let mut effort = None;
    s.object(|key, s| {
        match key {
            b"effort" => {
                let lit = s.literal()?;
                let word = &lit[1..lit.len() - 1];
                effort = Some((word, chat_effort(word)?));
            }
            b"summary" => matches!(&*s.string()?, "auto" | "concise" | "detailed").then_some(())?,
            _ => return None,
        }
        Some(())
    })?;
    Some(effort)
}

/// A Responses input item (the `i`th): a message (its `type` optional), a
/// `function_call`, a `function_call_output` or a `reasoning` item (a summary of
/// `summary_text`s, encrypted content) before the model's text and calls. The model's
/// items may carry their item `id` and `status`, as the API's output items do (no target
/// has them; the general path drops them too).
fn responses_item<'a>(s: &mut Scan<'a>, i: usize, p: &mut Plain<'a>) -> Option<()> {
    let (mut kind, mut role, mut content) = (None, None, None);
    let (mut call_id, mut named, mut args, mut output, mut item_id) =
        (None, None, None, None, false);
    let (mut summary, mut encrypted) = (None, None);
    s.object(|key, s| {
        match key {
            b"type" => kind = Some(s.string()?),
            b"role" => role = Some(s.string()?),
            b"content" if s.peek_is(b'[') => {
                content = Some(content_list(s, Caller::Responses)?);
            }
            b"content" => content = Some(Content::Text(Lit(s.literal()?, false))),
            b"call_id" => call_id = Some(id_token(s)?),
            b"name" => named = Some(name(s)?),
            b"arguments" => args = Some(string_args(s)?),
            b"output" if s.peek_is(b'[') => output = Some(output_parts(s)?),
            b"output" => output = Some((Lit(s.literal()?, false), Vec::new())),
            b"id" | b"status" => {
                s.string()?;
                item_id = true;
            }
            b"summary" => summary = Some(summary_texts(s)?),
            b"encrypted_content" => encrypted = Some(Lit(s.literal()?, false)),
            _ => return None,
        }
        Some(())
    })?;
    let message = role.is_some() || content.is_some();
    let call_fields = named.is_some() || args.is_some();
    if kind.as_deref() == Some("reasoning") {
        (!message && !call_fields && call_id.is_none() && output.is_none()).then_some(())?;
        let (summary, more) = summary.unwrap_or((Lit::EMPTY, Vec::new()));
        let reasoning = Reasoning {
            summary,
            more,
            encrypted,
            at: i,
        };
        return model_reasoning(p, reasoning);
    }
    (summary.is_none() && encrypted.is_none()).then_some(())?;
    match kind.as_deref() {
        None | Some("message") if call_id.is_none() && !call_fields && output.is_none() => {
            match &*role? {
                "user" if !item_id => user_content(p, content?),
                // The API's own output message (its content a list), sent back with its
                // item id and status; with string content it is an input message, which
                // has neither.
                "assistant" => {
                    let content = text_only(content)??;
                    (!item_id || content.listed()).then_some(())?;
                    match p.turns.last_mut() {
                        // After the model's reasoning.
                        Some(t) if t.role == Role::Assistant && t.before_text() => {
                            t.text = Some(content);
                        }
                        _ => p.turns.push(Turn::new(Role::Assistant, Some(content))),
                    }
                }
                _ => return None,
            }
        }
        Some("function_call") if !message && output.is_none() => {
            model_call(p, Call::new(Some(call_id?), named?, args?, At::default()));
        }
        Some("function_call_output") if !message && !call_fields => {
            let (text, media) = output?;
            let mut r = Reply::new(Some(call_id?), None, text);
            if !media.is_empty() {
                r.media = media;
                r.at = (i, 0);
            }
            reply(p, r);
        }
        _ => return None,
    }
    Some(())
}

/// A Responses function call output given as a list of parts: its one text, and the
/// images and PDFs beside it, each with its place in the list. The pairs join several
/// texts differently (toward Anthropic each is a block, elsewhere they are one text), and
/// leave an empty text beside media out: such outputs take the general path.
fn output_parts<'a>(s: &mut Scan<'a>) -> Option<(Lit<'a>, Vec<(usize, Part<'a>)>)> {
    let (mut text, mut media) = (None, Vec::new());
    s.array(|k, s| {
        match list_part(s, Caller::Responses)? {
            // A string to every target, as the output's one text.
            Part::Text(t) if text.is_none() => text = Some(Lit(t.0, false)),
            Part::Text(_) => return None,
            part => media.push((k, part)),
        }
        Some(())
    })?;
    let text = text?;
    (media.is_empty() || !text.is_empty()).then_some((text, media))
}

/// A reasoning summary's texts: `{"type": "summary_text", "text"}` parts, the first and
/// the rest (none: an empty text).
fn summary_texts<'a>(s: &mut Scan<'a>) -> Option<(Lit<'a>, Vec<Lit<'a>>)> {
    let (first, rest) = typed_texts(s, "summary_text", false)?;
    Some((first.unwrap_or(Lit::EMPTY), rest))
}

/// The texts of a Gemini caller's thoughts.
fn texts<'t, 'a: 't>(
    thoughts: &'t [GeminiThought<'a>],
) -> impl Iterator<Item = Lit<'a>> + Clone + 't {
    thoughts.iter().map(|x| x.text)
}

/// The Anthropic thinking signature the gateway sealed in a Gemini caller's thought
/// signature, if it did.
fn anthropic_signature(signature: &Lit<'_>) -> Option<String> {
    Sealed::AnthropicThinking.open_base64(&signature.decoded())
}

/// The Responses reasoning item's id and state a Gemini caller's thought signature
/// carries, if it does.
fn signed_item(signature: &Lit<'_>) -> Option<(String, String)> {
    crate::responses_upstream::opened(&signature.decoded())
}

/// Writes the request's bytes.
struct Out {
    bytes: Vec<u8>,
    /// Something could not be written as the general path would (the pair takes it).
    failed: bool,
}

impl Out {
    fn new(capacity: usize) -> Out {
        Out {
            bytes: Vec::with_capacity(capacity),
            failed: false,
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
            o.raw(",\"").raw(schema_key).raw("\":").raw(&t.parameters);
            // Gemini has no `strict` (its pair reports it), and a Responses upstream's
            // tools get theirs from the writer (only other callers' tools go there).
            if let Some(strict) = t.strict.filter(|_| schema_key != "parametersJsonSchema") {
                o.raw(if strict {
                    ",\"strict\":true"
                } else {
                    ",\"strict\":false"
                });
            }
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
    /// A comma before every item but the first.
    fn sep(&mut self, first: &mut bool) -> &mut Self {
        if !std::mem::take(first) {
            self.raw(",");
        }
        self
    }
    /// A call's id, quoted: as given, or as the pair synthesizes it.
    fn id(&mut self, call: &CallRef<'_>, synth: Option<Synth>) -> &mut Self {
        self.raw("\"");
        match (call.id, synth) {
            (Some(id), _) => self.raw(id),
            (None, Some(synth)) => {
                let n = if synth.by_part {
                    call.at.part
                } else {
                    call.at.nth
                };
                let mut b = itoa::Buffer::new();
                self.raw(synth.prefix)
                    .raw(b.format(call.at.content))
                    .raw("_");
                self.raw(b.format(n))
            }
            // `Plain::pair_calls` refuses calls without ids when nothing synthesizes them.
            (None, None) => {
                self.failed = true;
                &mut *self
            }
        };
        self.raw("\"")
    }
    /// The id of the call a result answers, and that call's function name.
    fn answered<'r>(&mut self, reply: &Reply<'r>, synth: Option<Synth>) -> &'r str {
        match reply.call {
            Some(call) => {
                self.id(&call, synth);
                call.name
            }
            // Set by `Plain::pair_calls` for every result.
            None => {
                self.failed = true;
                ""
            }
        }
    }
    /// A call's arguments as an object (Anthropic's `input`, Gemini's `args`): the
    /// caller's object text, checked as `serde_json` reads it. The general path sends the
    /// object it read, which is the same JSON; it rewrites some numbers (`1.50` as `1.5`,
    /// an integer beyond 64 bits as a float), which the caller's text keeps as written.
    fn args_object(&mut self, args: &Args<'_>) -> &mut Self {
        self.raw(&args.object)
    }
    /// A call's arguments as a string, as Chat and Responses take them: as the caller
    /// wrote it, or the object as the general path writes it (`Value::to_string`, which
    /// `Scan::compact` writes unless a number needs `serde_json`'s rewriting).
    fn args_string(&mut self, args: &Args<'_>) -> &mut Self {
        if let Some(text) = &args.text {
            return self.lit(text);
        }
        let mut compact = Vec::with_capacity(args.object.len());
        if Scan::new(&args.object).compact(&mut compact).is_some()
            && let Ok(compact) = std::str::from_utf8(&compact)
        {
            return self.str(compact);
        }
        match serde_json::from_str::<serde_json::Value>(&args.object) {
            Ok(object) => self.str(&object.to_string()),
            Err(_) => {
                self.failed = true;
                self
            }
        }
    }
    /// Texts joined, as one string.
    fn texts<'l>(&mut self, texts: impl Iterator<Item = Lit<'l>>) -> &mut Self {
        self.raw("\"");
        for text in texts {
            self.raw(text.inside());
        }
        self.raw("\"")
    }
    /// Texts as one string literal, joined by `sep` (as it stands in a JSON string).
    fn joined(&mut self, first: &Lit<'_>, rest: &[Lit<'_>], sep: &str) -> &mut Self {
        if rest.is_empty() {
            return self.lit(first);
        }
        self.raw("\"").raw(first.inside());
        for text in rest {
            self.raw(sep).raw(text.inside());
        }
        self.raw("\"")
    }
    /// A result's content: its text, or its texts as a list of parts (`[open`, text,
    /// `close]`) when `listed` says so.
    fn result(&mut self, r: &Reply<'_>, listed: bool, [open, close]: [&str; 2]) -> &mut Self {
        if !listed {
            return self.lit(&r.text);
        }
        self.raw("[");
        self.list(std::iter::once(&r.text).chain(&r.more), |o, t| {
            o.raw(open).lit(t).raw(close);
        });
        self.raw("]")
    }
    /// A user's texts, images and documents, each after a comma but the first: a text
    /// between `text`'s halves, an image as `image` writes it, a document as `document`
    /// does.
    fn parts(
        &mut self,
        parts: &[Part<'_>],
        first: &mut bool,
        [open, close]: [&str; 2],
        image: impl Fn(&mut Self, &Image<'_>),
        document: impl Fn(&mut Self, &Document<'_>),
    ) -> &mut Self {
        for part in parts {
            self.sep(first);
            match part {
                Part::Text(t) => {
                    self.raw(open).lit(t).raw(close);
                }
                Part::Image(i) => image(self, i),
                Part::Document(d) => document(self, d),
            }
        }
        self
    }
    /// A Responses reasoning item of `id` and `encrypted` state (as
    /// `responses_upstream::reasoning_item` writes it), with the texts of `summary` joined
    /// as its one summary text unless they are all empty.
    fn reasoning_item<'l>(
        &mut self,
        (id, encrypted): &(String, String),
        summary: impl Iterator<Item = Lit<'l>> + Clone,
    ) -> &mut Self {
        self.raw("{\"type\":\"reasoning\",\"id\":").str(id);
        if summary.clone().all(|text| text.is_empty()) {
            self.raw(",\"summary\":[]");
        } else {
            self.raw(",\"summary\":[{\"type\":\"summary_text\",\"text\":")
                .texts(summary)
                .raw("}]");
        }
        if !encrypted.is_empty() {
            self.raw(",\"encrypted_content\":").str(encrypted);
        }
        self.raw("}")
    }
    /// A PDF's `data:` URL, quoted; a PDF by URL fails (Chat takes files as data only: its
    /// general paths report them).
    fn pdf_url(&mut self, d: &Document<'_>) -> &mut Self {
        match d.source {
            Source::Base64 { data, .. } => self
                .raw("\"data:application/pdf;base64,")
                .raw(data)
                .raw("\""),
            Source::Url(_) => {
                self.failed = true;
                self
            }
        }
    }
    /// An image's `data:` or http(s) URL, quoted.
    fn image_url(&mut self, i: &Image<'_>) -> &mut Self {
        match i.source {
            Source::Base64 { media, data } => self
                .raw("\"data:")
                .raw(media)
                .raw(";base64,")
                .raw(data)
                .raw("\""),
            Source::Url(url) => self.raw("\"").raw(url).raw("\""),
        }
    }
    /// The bytes, after the closing `tail`, unless something could not be written.
    fn done(mut self, tail: &str) -> Option<Vec<u8>> {
        self.raw(tail);
        (!self.failed).then_some(self.bytes)
    }
}

fn capacity(p: &Plain<'_>) -> usize {
    let turns: usize = p
        .turns
        .iter()
        .map(|t| {
            let calls: usize = t
                .calls
                .iter()
                .map(|c| 2 * c.args.object.len() + c.signature.map_or(0, |s| s.0.len()) + 128)
                .sum();
            let results: usize = t
                .results
                .iter()
                .map(|r| {
                    let texts: usize = r.more.iter().map(|x| x.0.len() + 32).sum();
                    let media: usize = r.media.iter().map(|(_, p)| p.room()).sum();
                    r.text.0.len() + texts + media + 128
                })
                .sum();
            let parts: usize = t.parts.iter().map(Part::room).sum();
            let thoughts: usize = t
                .thoughts
                .iter()
                .map(|x| x.text.0.len() + x.signature.0.len() + 96)
                .sum::<usize>()
                + t.gemini_thoughts
                    .iter()
                    .map(|x| x.text.0.len() + x.signature.map_or(0, |s| s.0.len()) + 96)
                    .sum::<usize>()
                + t.reasoning
                    .iter()
                    .map(|r| {
                        let more: usize = r.more.iter().map(|x| x.0.len() + 2).sum();
                        r.summary.0.len() + more + r.encrypted.map_or(0, |e| e.0.len()) + 96
                    })
                    .sum::<usize>()
                + t.chat_reasoning
                    .iter()
                    .flat_map(ChatReasoning::blocks)
                    .map(|(text, signature)| text.0.len() + signature.0.len() + 96)
                    .sum::<usize>();
            t.text.map_or(0, |x| x.0.len()) + parts + calls + results + thoughts + 64
        })
        .sum();
    let tools = p.tools_text.map_or(0, |t| t.len() + 64 * p.tools.len());
    let format = p.format.as_ref().map_or(0, |f| f.schema.len() + 128);
    let system: usize = p
        .system
        .iter()
        .chain(&p.system_rest)
        .map(|s| s.0.len() + 32)
        .sum();
    turns + tools + format + system + 256
}

/// An Anthropic text block's halves, around its text.
const ANTHROPIC_TEXT: [&str; 2] = ["{\"type\":\"text\",\"text\":", "}"];

/// An Anthropic block's `source` member: base64 data of its media type, or a URL.
fn anthropic_source_member(o: &mut Out, source: Source<'_>) {
    o.raw("\"source\":{\"type\":");
    match source {
        Source::Base64 { media, data } => o
            .raw("\"base64\",\"media_type\":\"")
            .raw(media)
            .raw("\",\"data\":\"")
            .raw(data),
        Source::Url(url) => o.raw("\"url\",\"url\":\"").raw(url),
    };
    o.raw("\"}");
}

/// An Anthropic image block.
fn anthropic_image(o: &mut Out, i: &Image<'_>) {
    o.raw("{\"type\":\"image\",");
    anthropic_source_member(o, i.source);
    o.raw("}");
}

/// An Anthropic document block of a PDF, its name the title.
fn anthropic_document(o: &mut Out, d: &Document<'_>) {
    o.raw("{\"type\":\"document\",");
    anthropic_source_member(o, d.source);
    if let Some(name) = &d.name {
        o.raw(",\"title\":").lit(name);
    }
    o.raw("}");
}

/// A Gemini part of base64 data (`inlineData` of its media type) or of a URL (`fileData`
/// of the type `url_type` gives it).
fn gemini_data(o: &mut Out, source: Source<'_>, url_type: impl FnOnce(&str) -> &'static str) {
    match source {
        Source::Base64 { media, data } => o
            .raw("{\"inlineData\":{\"mimeType\":\"")
            .raw(media)
            .raw("\",\"data\":\"")
            .raw(data),
        Source::Url(url) => o
            .raw("{\"fileData\":{\"mimeType\":\"")
            .raw(url_type(url))
            .raw("\",\"fileUri\":\"")
            .raw(url),
    };
    o.raw("\"}}");
}

/// An Anthropic Messages request (which needs its max tokens: the general path's
/// default when the caller set none). `stream` is what the pair writes of its stream
/// switch.
pub(crate) fn to_anthropic(p: &Plain<'_>, model: &str, stream: Option<bool>) -> Option<Vec<u8>> {
    // Only an Anthropic caller (passed through, never here) sets these.
    let listed_results = p
        .turns
        .iter()
        .flat_map(|t| &t.results)
        .any(|r| r.text.listed() || !r.more.is_empty());
    let anthropic_only = !p.system_rest.is_empty()
        || !p.losses.is_empty()
        || p.user.is_some()
        || p.thinking.is_some()
        || listed_results
        || p.turns.iter().any(|t| !t.thoughts.is_empty());
    (!anthropic_only).then_some(())?;
    let budget = p
        .effort
        .as_ref()
        .and_then(|(_, e)| crate::openai_anthropic::thinking_budget(e))
        .or_else(|| p.gemini_thinking?.anthropic_budget());
    // Anthropic takes no temperature but 1 with thinking: the general path reports it.
    (budget.is_none() || p.temperature.is_none()).then_some(())?;
    let mut max_tokens = p
        .max_tokens
        .unwrap_or(crate::openai_anthropic::DEFAULT_MAX_TOKENS);
    // The budget is part of max tokens.
    if let Some(b) = budget
        && max_tokens <= b
    {
        max_tokens = b.saturating_add(max_tokens);
    }
    let mut o = Out::new(capacity(p));
    o.raw("{\"model\":").str(model);
    o.raw(",\"max_tokens\":").int(max_tokens);
    o.raw(",\"messages\":[");
    o.list(&p.turns, |o, t| {
        o.raw("{\"role\":\"").raw(t.role.name("assistant"));
        o.raw("\",\"content\":[");
        let first = &mut true;
        for r in &t.results {
            o.sep(first)
                .raw("{\"type\":\"tool_result\",\"tool_use_id\":");
            o.answered(r, p.synth);
            if r.media.is_empty() {
                o.raw(",\"content\":").lit(&r.text).raw("}");
            } else {
                // With images and PDFs (a Gemini caller's): its blocks in order.
                o.raw(",\"content\":[")
                    .parts(
                        &r.items(),
                        &mut true,
                        ANTHROPIC_TEXT,
                        anthropic_image,
                        anthropic_document,
                    )
                    .raw("]}");
            }
        }
        // A Chat caller's thinking blocks go back as they came, whatever their signature
        // (as the general path sends them).
        for (text, signature) in t.chat_reasoning.iter().flat_map(ChatReasoning::blocks) {
            o.sep(first)
                .raw("{\"type\":\"thinking\",\"thinking\":")
                .lit(text)
                .raw(",\"signature\":")
                .lit(signature)
                .raw("}");
        }
        // Reasoning whose state the gateway sealed for Anthropic goes back as the block
        // it came from (the summary the thinking); the rest is reported.
        for r in &t.reasoning {
            if let Some(data) = r.state(Sealed::AnthropicRedacted) {
                o.sep(first)
                    .raw("{\"type\":\"redacted_thinking\",\"data\":")
                    .str(&data)
                    .raw("}");
            } else if let Some(signature) = r.state(Sealed::AnthropicThinking) {
                o.sep(first)
                    .raw("{\"type\":\"thinking\",\"thinking\":")
                    .joined(&r.summary, &r.more, "\\n")
                    .raw(",\"signature\":")
                    .str(&signature)
                    .raw("}");
            }
        }
        // A Gemini caller's thought signature that carries Anthropic's goes back as the
        // thinking block it came from, with the thoughts it signs, before its part; the
        // rest is reported.
        let thinking = |o: &mut Out,
                        first: &mut bool,
                        signature: Option<&Lit<'_>>,
                        thoughts: &[GeminiThought<'_>]| {
            // A sealed empty signature is no block (and no loss), as in the general path.
            let signature = signature.and_then(anthropic_signature);
            let signed = signature.filter(|s| !s.is_empty());
            if let Some(signature) = &signed {
                o.sep(first)
                    .raw("{\"type\":\"thinking\",\"thinking\":")
                    .texts(texts(thoughts))
                    .raw(",\"signature\":")
                    .str(signature)
                    .raw("}");
            }
            signed.is_some()
        };
        // Thoughts wait for a signature (Anthropic's, else they are reported): on a
        // thought, or on the part after them.
        let mut from = 0;
        for (k, x) in t.gemini_thoughts.iter().enumerate() {
            let thoughts = &t.gemini_thoughts[from..=k];
            if thinking(&mut *o, first, x.signature.as_ref(), thoughts) {
                from = k + 1;
            }
        }
        let mut thoughts = &t.gemini_thoughts[from..];
        if t.text.is_some() {
            let signature = t.text_signature.as_ref().map(|(s, _)| s);
            thinking(&mut *o, first, signature, std::mem::take(&mut thoughts));
        }
        if let Some(text) = &t.text {
            o.sep(first)
                .raw("{\"type\":\"text\",\"text\":")
                .lit(text)
                .raw("}");
        }
        o.parts(
            &t.parts,
            first,
            ANTHROPIC_TEXT,
            anthropic_image,
            anthropic_document,
        );
        for c in &t.calls {
            thinking(
                &mut *o,
                first,
                c.signature.as_ref(),
                std::mem::take(&mut thoughts),
            );
            o.sep(first)
                .raw("{\"type\":\"tool_use\",\"id\":")
                .id(&c.head, p.synth);
            o.raw(",\"name\":\"").raw(c.head.name);
            o.raw("\",\"input\":").args_object(&c.args).raw("}");
        }
        o.raw("]}");
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
    if let Some(n) = p.top_k {
        o.raw(",\"top_k\":").int(n);
    }
    o.stop("stop_sequences", p.stop.as_deref());
    if let Some(f) = &p.format {
        o.raw(",\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":")
            .raw(&f.schema)
            .raw("}}");
    }
    o.tools(&p.tools, ["", "{", "input_schema", "}", ""]);
    // Chat's `parallel_tool_calls` as the choice's switch (a choice of none has none).
    // (A Responses caller's pair reads only its turning them off.)
    let disable = match p.from_responses {
        false => p.parallel.map(|parallel| !parallel),
        true => (p.parallel == Some(false)).then_some(true),
    };
    let choice = match (p.tool_choice, disable) {
        (None, Some(true)) => Some(Choice::Auto),
        (choice, _) => choice,
    };
    if let Some(choice) = choice {
        o.raw(",\"tool_choice\":{\"type\":");
        match choice {
            Choice::Auto => o.raw("\"auto\""),
            Choice::None => o.raw("\"none\""),
            Choice::Required => o.raw("\"any\""),
            Choice::Named(name) => o.raw("\"tool\",\"name\":\"").raw(name).raw("\""),
        };
        match disable {
            Some(d) if choice != Choice::None => o
                .raw(",\"disable_parallel_tool_use\":")
                .raw(if d { "true}" } else { "false}" }),
            _ => o.raw("}"),
        };
    }
    if let Some(b) = budget {
        o.raw(",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":")
            .int(b)
            .raw("}");
    }
    if let Some(user) = &p.chat_user {
        o.raw(",\"metadata\":{\"user_id\":").lit(user).raw("}");
    }
    if let Mapped::Sent(word) = tier(p, Family::Anthropic) {
        o.raw(",\"service_tier\":\"").raw(word).raw("\"");
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
pub(crate) fn to_chat(
    p: &Plain<'_>,
    model: &str,
    stream: bool,
    stream_options: bool,
    reasoning_field: Option<&str>,
) -> Option<Vec<u8>> {
    // A reasoning field of the message's own keys would be written twice.
    let own_key = |f: &str| matches!(f, "role" | "content" | "tool_calls");
    reasoning_field.is_none_or(|f| !own_key(f)).then_some(())?;
    // Only a Chat caller (passed through, never here) gives its reasoning history so.
    p.turns
        .iter()
        .all(|t| t.chat_reasoning.is_none())
        .then_some(())?;
    let mut o = Out::new(capacity(p));
    o.raw("{\"model\":").str(model);
    o.raw(",\"messages\":[");
    let first = &mut true;
    // A text the caller gave as a list of parts stays one.
    let text = |o: &mut Out, role: &str, text: &Lit<'_>| {
        o.raw("{\"role\":\"").raw(role).raw("\",\"content\":");
        if text.listed() {
            o.raw("[{\"type\":\"text\",\"text\":").lit(text).raw("}]}");
        } else {
            o.lit(text).raw("}");
        }
    };
    if let Some(system) = &p.system {
        if p.system_rest.is_empty() {
            text(o.sep(first), "system", system);
        } else {
            // Anthropic's system blocks, joined as the general path joins them.
            o.sep(first).raw("{\"role\":\"system\",\"content\":");
            o.joined(system, &p.system_rest, BLANK_LINE).raw("}");
        }
    }
    for t in &p.turns {
        for r in &t.results {
            o.sep(first).raw("{\"role\":\"tool\",\"tool_call_id\":");
            o.answered(r, p.synth);
            // Anthropic's list of texts stays a list of parts.
            o.raw(",\"content\":")
                .result(r, r.text.listed(), ["{\"type\":\"text\",\"text\":", "}"])
                .raw("}");
        }
        match (t.role, &t.text) {
            (Role::User, Some(t)) => text(o.sep(first), "user", t),
            (Role::User, None) if !t.parts.is_empty() => {
                o.sep(first).raw("{\"role\":\"user\",\"content\":[");
                o.parts(
                    &t.parts,
                    &mut true,
                    ["{\"type\":\"text\",\"text\":", "}"],
                    |o, i| {
                        o.raw("{\"type\":\"image_url\",\"image_url\":{\"url\":")
                            .image_url(i);
                        if i.auto_detail {
                            o.raw(",\"detail\":\"auto\"");
                        }
                        o.raw("}}");
                    },
                    |o, d| {
                        o.raw("{\"type\":\"file\",\"file\":{\"file_data\":")
                            .pdf_url(d);
                        d.write_name(o);
                        o.raw("}}");
                    },
                );
                o.raw("]}");
            }
            (Role::User, None) => {}
            (Role::Assistant, content) => {
                o.sep(first).raw("{\"role\":\"assistant\",\"content\":");
                match content {
                    Some(content) => o.lit(content),
                    None => o.raw("null"),
                };
                if !t.calls.is_empty() {
                    o.raw(",\"tool_calls\":[");
                    o.list(&t.calls, |o, c| {
                        o.raw("{\"id\":").id(&c.head, p.synth);
                        o.raw(",\"type\":\"function\",\"function\":{\"name\":\"");
                        o.raw(c.head.name).raw("\",\"arguments\":");
                        o.args_string(&c.args).raw("}}");
                    });
                    o.raw("]");
                }
                // The thinking texts, the reasoning summaries or the thoughts, joined, in
                // the upstream's reasoning field.
                if let Some(field) = reasoning_field
                    && (t.thoughts.iter().any(|x| !x.text.is_empty())
                        || t.reasoning.iter().any(Reasoning::has_summary)
                        || t.gemini_thoughts.iter().any(|x| !x.text.is_empty()))
                {
                    o.raw(",").str(field).raw(":\"");
                    for x in &t.thoughts {
                        o.raw(x.text.inside());
                    }
                    for x in &t.gemini_thoughts {
                        o.raw(x.text.inside());
                    }
                    for r in &t.reasoning {
                        o.raw(r.summary.inside());
                        for more in &r.more {
                            o.raw("\\n").raw(more.inside());
                        }
                    }
                    o.raw("\"");
                }
                o.raw("}");
            }
        }
    }
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
    if let Some(n) = p.seed {
        o.raw(",\"seed\":").int(n);
    }
    o.numbers([
        ("presence_penalty", p.presence_penalty.as_ref()),
        ("frequency_penalty", p.frequency_penalty.as_ref()),
    ]);
    let function = "{\"type\":\"function\",\"function\":{";
    o.tools(&p.tools, ["", function, "parameters", "}}", ""]);
    o.openai_choice(p.tool_choice, true);
    // Anthropic's `metadata.user_id`, or a Responses caller's `user`.
    if let Some(user) = p.user.as_ref().or(p.chat_user.as_ref()) {
        o.raw(",\"user\":").lit(user);
    }
    // Anthropic's thinking, or a Responses caller's effort as it is.
    let effort = p.thinking.and_then(Thinking::effort);
    let effort = effort
        .or(p.effort.as_ref().map(|(word, _)| *word))
        .or_else(|| p.gemini_thinking?.effort(false));
    if let Some(effort) = effort {
        o.raw(",\"reasoning_effort\":\"").raw(effort).raw("\"");
    }
    // A Responses caller's `text.verbosity`, and the service settings Chat has too.
    if let Some(v) = &p.verbosity {
        o.raw(",\"verbosity\":").lit(v);
    }
    let carried = |s: Service| s.chat_has() && (s != Service::Tier || chat_takes_tier(p));
    for &(service, text) in p.services.iter().filter(|(s, _)| carried(*s)) {
        o.raw(",\"").raw(service.key()).raw("\":").raw(text);
    }
    if let Some(parallel) = p.parallel {
        o.raw(",\"parallel_tool_calls\":")
            .raw(if parallel { "true" } else { "false" });
    }
    if let Some(f) = &p.format {
        o.raw(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"")
            .raw(f.name)
            .raw("\",\"schema\":")
            .raw(&f.schema);
        match (f.strict, f.null_strict) {
            (Some(strict), _) => o
                .raw(",\"strict\":")
                .raw(if strict { "true" } else { "false" }),
            (None, true) => o.raw(",\"strict\":null"),
            (None, false) => &mut o,
        };
        o.raw("}}");
    } else if p.json_mode.is_some() {
        o.raw(",\"response_format\":{\"type\":\"json_object\"}");
    }
    if stream {
        o.raw(",\"stream\":true");
        if stream_options {
            o.raw(",\"stream_options\":{\"include_usage\":true}");
        }
    }
    o.done("}")
}

/// A Gemini `generateContent` request; `generationConfig` is written when empty too
/// when `empty_config` (as the typed pairs write it). A result's images (base64) and
/// untitled PDFs go as its function response's parts when the model takes them
/// (`result_media`, see [`crate::build::gemini_takes_result_media`]); the general path
/// reports the rest.
pub(crate) fn to_gemini(p: &Plain<'_>, empty_config: bool, result_media: bool) -> Option<Vec<u8>> {
    let replies = p.turns.iter().flat_map(|t| &t.results);
    replies
        .flat_map(|r| &r.media)
        .all(|(_, part)| result_media && part.inline_blob().is_some())
        .then_some(())?;
    let mut o = Out::new(capacity(p));
    o.raw("{\"contents\":[");
    o.list(&p.turns, |o, t| {
        o.raw("{\"role\":\"")
            .raw(t.role.name("model"))
            .raw("\",\"parts\":[");
        let first = &mut true;
        for r in &t.results {
            o.sep(first).raw("{\"functionResponse\":{\"id\":");
            let name = o.answered(r, p.synth);
            o.raw(",\"name\":\"").raw(name);
            // Anthropic's list of texts, as one text.
            o.raw("\",\"response\":{\"result\":")
                .joined(&r.text, &r.more, "")
                .raw("}");
            if !r.media.is_empty() {
                o.raw(",\"parts\":[");
                o.list(&r.media, |o, (_, part)| {
                    // Each is inline: checked above.
                    let (media, data) = part.inline_blob().unwrap_or_default();
                    gemini_data(o, Source::Base64 { media, data }, |_| PDF);
                });
                o.raw("]");
            }
            o.raw("}}");
        }
        // Gemini regenerates its thoughts; the last thinking block's signature, or
        // reasoning item's state (Gemini's own, else reported), goes on the model's next
        // part.
        let mut signature = t.thoughts.iter().fold(None, |_, x| {
            gemini_signature(&x.signature.decoded()).unwrap_or(None)
        });
        if !t.reasoning.is_empty() {
            signature = t.reasoning.iter().fold(None, |_, r| {
                r.state(Sealed::GeminiThought).map(Cow::into_owned)
            });
        }
        let mut signed = |o: &mut Out| {
            if let Some(sig) = signature.take() {
                o.raw(",\"thoughtSignature\":").str(&sig);
            }
        };
        // A Chat caller's first signature (Gemini's, as its pair's answers gave it) goes
        // on the first call, else on the text, as the general path puts it.
        let mut chat_signature = t
            .chat_reasoning
            .iter()
            .flat_map(ChatReasoning::blocks)
            .map(|(_, signature)| signature)
            .find(|signature| !signature.is_empty());
        let mut chat_signed = |o: &mut Out, here: bool| {
            if here && let Some(sig) = chat_signature.take() {
                o.raw(",\"thoughtSignature\":").lit(sig);
            }
        };
        if let Some(text) = &t.text {
            o.sep(first).raw("{\"text\":").lit(text);
            signed(o);
            chat_signed(o, t.calls.is_empty());
            o.raw("}");
        }
        o.parts(
            &t.parts,
            first,
            ["{\"text\":", "}"],
            // An image by URL of the type its extension names, as the general paths guess it.
            |o, i| gemini_data(o, i.source, crate::openai_gemini::mime_from_url),
            |o, d| {
                // Gemini's inline data has no name: the general path reports it.
                if d.name.is_some() {
                    o.failed = true;
                }
                gemini_data(o, d.source, |_| PDF);
            },
        );
        for c in &t.calls {
            o.sep(first)
                .raw("{\"functionCall\":{\"id\":")
                .id(&c.head, p.synth);
            o.raw(",\"name\":\"").raw(c.head.name);
            o.raw("\",\"args\":").args_object(&c.args).raw("}");
            signed(o);
            chat_signed(o, true);
            o.raw("}");
        }
        o.raw("]}");
    });
    o.raw("]");
    if let Some(system) = &p.system {
        o.raw(",\"systemInstruction\":{\"parts\":[");
        o.list(std::iter::once(system).chain(&p.system_rest), |o, s| {
            o.raw("{\"text\":").lit(s).raw("}");
        });
        o.raw("]}");
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
    let config = p.max_tokens.is_some()
        || p.temperature.is_some()
        || p.top_p.is_some()
        || p.stop.is_some()
        || p.seed.is_some()
        || p.top_k.is_some()
        || p.candidates.is_some()
        || p.presence_penalty.is_some()
        || p.frequency_penalty.is_some()
        || p.format.is_some()
        || p.json_mode.is_some()
        || p.thinking.is_some()
        || p.effort.is_some();
    if let Mapped::Sent(word) = tier(p, Family::Gemini) {
        o.raw(",\"serviceTier\":\"").raw(word).raw("\"");
    }
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
        first = false;
    }
    for (key, n) in [
        ("topK", p.top_k),
        ("seed", p.seed),
        ("candidateCount", p.candidates),
    ] {
        if let Some(n) = n {
            if !first {
                o.raw(",");
            }
            o.raw("\"").raw(key).raw("\":").int(n);
            first = false;
        }
    }
    let penalties = [
        ("presencePenalty", &p.presence_penalty),
        ("frequencyPenalty", &p.frequency_penalty),
    ];
    for (key, n) in penalties {
        if let Some(n) = n {
            if !first {
                o.raw(",");
            }
            o.raw("\"").raw(key).raw("\":").number(n);
            first = false;
        }
    }
    if let Some(f) = &p.format {
        if !first {
            o.raw(",");
        }
        o.raw("\"responseMimeType\":\"application/json\",\"responseJsonSchema\":")
            .raw(&f.schema);
        first = false;
    } else if p.json_mode.is_some() {
        if !first {
            o.raw(",");
        }
        o.raw("\"responseMimeType\":\"application/json\"");
        first = false;
    }
    if let Some(thinking) = p.thinking {
        if !first {
            o.raw(",");
        }
        o.raw("\"thinkingConfig\":");
        match thinking {
            Thinking::Budget(b) => o
                .raw("{\"thinkingBudget\":")
                .int(b)
                .raw(",\"includeThoughts\":true}"),
            Thinking::Adaptive => o.raw("{\"thinkingBudget\":-1,\"includeThoughts\":true}"),
            Thinking::Disabled => o.raw("{\"thinkingBudget\":0}"),
        };
        first = false;
    }
    if let Some((_, effort)) = &p.effort {
        if !first {
            o.raw(",");
        }
        // Every value the reader takes has a budget.
        let b = crate::openai_gemini::budget(effort)?;
        o.raw("\"thinkingConfig\":{\"thinkingBudget\":").int(b);
        o.raw(match (b > 0, p.from_responses) {
            (true, _) => ",\"includeThoughts\":true}",
            (false, false) => ",\"includeThoughts\":false}",
            // A Responses caller's pair sends the zero budget alone.
            (false, true) => "}",
        });
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

/// A Responses input text part's halves, around its text.
const INPUT_TEXT: [&str; 2] = ["{\"type\":\"input_text\",\"text\":", "}"];

/// A Responses input image part.
fn input_image(o: &mut Out, i: &Image<'_>) {
    o.raw("{\"type\":\"input_image\",\"image_url\":")
        .image_url(i)
        .raw(",\"detail\":\"auto\"}");
}

/// A Responses input file part of a PDF, by its data or its URL.
fn input_file(o: &mut Out, d: &Document<'_>) {
    o.raw("{\"type\":\"input_file\",");
    match d.source {
        Source::Base64 { .. } => o.raw("\"file_data\":").pdf_url(d),
        Source::Url(url) => o.raw("\"file_url\":\"").raw(url).raw("\""),
    };
    d.write_name(o);
    o.raw("}");
}

/// An OpenAI Responses request (stateless: `store` false, unless a Chat caller asked for
/// `store: true`).
pub(crate) fn to_responses(
    p: &Plain<'_>,
    model: &str,
    system_as: SystemAs,
    stream: bool,
) -> Option<Vec<u8>> {
    // Only a Responses caller (passed through, never here) gives tools a `strict`.
    p.tools.iter().all(|t| t.strict.is_none()).then_some(())?;
    let mut o = Out::new(capacity(p));
    o.raw("{\"model\":").str(model);
    o.raw(",\"input\":[");
    let first = &mut true;
    let mut carries_reasoning = false;
    // A user's (or the system's) text is a list of one input text part.
    let input_text = |o: &mut Out, role: &str, text: &Lit<'_>| {
        o.raw("{\"type\":\"message\",\"role\":\"").raw(role);
        o.raw("\",\"content\":[{\"type\":\"input_text\",\"text\":")
            .lit(text)
            .raw("}]}");
    };
    if let (SystemAs::Message, Some(system)) = (system_as, &p.system) {
        let role = if p.developer { "developer" } else { "system" };
        input_text(o.sep(first), role, system);
    }
    for t in &p.turns {
        for r in &t.results {
            o.sep(first)
                .raw("{\"type\":\"function_call_output\",\"call_id\":");
            o.answered(r, p.synth);
            if r.media.is_empty() {
                // Anthropic's list of texts: one as its text, more as input text parts.
                o.raw(",\"output\":")
                    .result(r, !r.more.is_empty(), INPUT_TEXT)
                    .raw("}");
            } else {
                // With images and PDFs: its parts in order.
                o.raw(",\"output\":[")
                    .parts(&r.items(), &mut true, INPUT_TEXT, input_image, input_file)
                    .raw("]}");
            }
        }
        // Thinking blocks (an Anthropic caller's, or a Chat caller's) whose signature
        // carries a Responses reasoning item give it back (with the thinking as its
        // summary); the others are reported.
        let chat_blocks = t.chat_reasoning.iter().flat_map(ChatReasoning::blocks);
        let blocks = t.thoughts.iter().map(|x| (&x.text, &x.signature));
        for (text, signature) in blocks.chain(chat_blocks.map(|(t, s)| (t, s))) {
            if let Some(item) = signed_item(signature) {
                o.sep(first).reasoning_item(&item, std::iter::once(*text));
                carries_reasoning = true;
            }
        }
        // A Gemini caller's thoughts: those up to each signature carrying a reasoning item
        // the gateway sealed go back as its summary (the rest, with the signature that
        // carries none, reported); the thoughts after the last signed one go with the
        // item on the next part.
        let mut from = 0;
        for (k, x) in t.gemini_thoughts.iter().enumerate() {
            let Some(signature) = &x.signature else {
                continue;
            };
            if let Some(item) = signed_item(signature) {
                o.sep(first)
                    .reasoning_item(&item, texts(&t.gemini_thoughts[from..=k]));
                carries_reasoning = true;
            }
            from = k + 1;
        }
        let mut thoughts = &t.gemini_thoughts[from..];
        match (t.role, &t.text) {
            (Role::User, Some(text)) => input_text(o.sep(first), "user", text),
            (Role::User, None) if !t.parts.is_empty() => {
                o.sep(first)
                    .raw("{\"type\":\"message\",\"role\":\"user\",\"content\":[");
                o.parts(&t.parts, &mut true, INPUT_TEXT, input_image, input_file);
                o.raw("]}");
            }
            // The model's own words are plain output text, given as a string (after the
            // reasoning item a Gemini caller's signature on it carries).
            (Role::Assistant, Some(text)) => {
                let signature = t.text_signature.as_ref().map(|(s, _)| s);
                let thoughts = std::mem::take(&mut thoughts);
                if let Some(item) = signature.and_then(signed_item) {
                    o.sep(first).reasoning_item(&item, texts(thoughts));
                    carries_reasoning = true;
                }
                o.sep(first)
                    .raw("{\"type\":\"message\",\"role\":\"assistant\",\"content\":");
                o.lit(text).raw("}");
            }
            (_, None) => {}
        }
        for c in &t.calls {
            // (Thoughts are left only for the first call, which is signed.)
            let thoughts = std::mem::take(&mut thoughts);
            if let Some(item) = c.signature.as_ref().and_then(signed_item) {
                o.sep(first).reasoning_item(&item, texts(thoughts));
                carries_reasoning = true;
            }
            o.sep(first)
                .raw("{\"type\":\"function_call\",\"call_id\":")
                .id(&c.head, p.synth);
            o.raw(",\"name\":\"")
                .raw(c.head.name)
                .raw("\",\"arguments\":");
            o.args_string(&c.args).raw("}");
        }
    }
    o.raw("]");
    if let (SystemAs::Instructions, Some(system)) = (system_as, &p.system) {
        o.raw(",\"instructions\":")
            .joined(system, &p.system_rest, BLANK_LINE);
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
    // The format and (a Chat caller's) verbosity.
    if p.format.is_some() || p.json_mode.is_some() || p.verbosity.is_some() {
        o.raw(",\"text\":{");
        if let Some(f) = &p.format {
            o.raw("\"format\":{\"type\":\"json_schema\",\"name\":\"")
                .raw(f.name)
                .raw("\",\"schema\":")
                .raw(&f.schema)
                .raw(if f.strict == Some(true) {
                    ",\"strict\":true}"
                } else {
                    ",\"strict\":false}"
                });
        } else if p.json_mode.is_some() {
            o.raw("\"format\":{\"type\":\"json_object\"}");
        }
        if let Some(v) = &p.verbosity {
            if p.format.is_some() || p.json_mode.is_some() {
                o.raw(",");
            }
            o.raw("\"verbosity\":").lit(v);
        }
        o.raw("}");
    }
    let effort = p
        .thinking
        .and_then(Thinking::effort)
        .or(p.effort.as_ref().map(|(word, _)| *word))
        .or_else(|| p.gemini_thinking?.effort(true));
    if let Some(user) = p.user.as_ref().or(p.chat_user.as_ref()) {
        o.raw(",\"user\":").lit(user);
    }
    if let Some(parallel) = p.parallel {
        o.raw(",\"parallel_tool_calls\":")
            .raw(if parallel { "true" } else { "false" });
    }
    if let Some(effort) = effort {
        // Summaries shown as thinking (unless a Gemini caller hides its thoughts).
        o.raw(",\"reasoning\":{\"effort\":\"").raw(effort);
        if p.gemini_thinking.is_none_or(|t| t.shows) {
            o.raw("\",\"summary\":\"auto\"}");
        } else {
            o.raw("\"}");
        }
    }
    // A Chat caller's service settings, under the same names (`modalities: ["text"]` is
    // no setting here).
    let mut stored = false;
    for &(service, text) in &p.services {
        match service {
            Service::Store => stored = true,
            Service::Modalities => {}
            _ => {
                o.raw(",\"").raw(service.key()).raw("\":").raw(text);
            }
        }
    }
    // The reasoning comes back for the next turn (when the request is stateless).
    if !stored && (effort.is_some() || carries_reasoning) {
        o.raw(",\"include\":[\"reasoning.encrypted_content\"]");
    }
    if stream {
        o.raw(",\"stream\":true");
    }
    o.done(if stored {
        ",\"store\":true}"
    } else {
        ",\"store\":false}"
    })
}
