//! Translation between the providers' protocols, over their generated native types, with
//! no I/O and no universal message type: one module per (caller protocol, upstream
//! protocol) pair, each mapping one native type directly to the other.
//!
//! Rust's orphan rule forbids `impl TryFrom<aigw_openai::X> for aigw_anthropic::Y` outside
//! the generated crates, so mappings implement this crate's [`TryTranslate`], the same
//! shape with a [`Cx`] beside it that collects what has no counterpart: every field the
//! target cannot carry is reported as a JSON pointer into the caller's document
//! ([`Cx::lose`]), never dropped silently, and in strict mode the first loss is an error.
//!
//! The gateway drives a pair through [`Translator`]: the request body, then either the
//! whole response body or the upstream's stream events one at a time (a per-request state
//! machine), and the upstream's error bodies.
//!
//! Modules are named `<caller>_<upstream>`: [`openai_anthropic`], [`openai_gemini`],
//! [`anthropic_openai`], [`anthropic_gemini`], [`gemini_openai`], [`gemini_anthropic`]
//! (Chat Completions, Messages and generateContent among themselves), and
//! [`responses_openai`], [`responses_anthropic`], [`responses_gemini`] (a Responses API
//! caller over a Chat-only, an Anthropic or a Gemini upstream, sharing [`responses`]).
//! What the pairs write alike lives in `build` and [`fixups`].

pub mod answer;
mod anthropic_caller;
pub mod anthropic_gemini;
pub mod anthropic_openai;
pub mod anthropic_responses;
mod build;
pub mod fast;
pub mod fixups;
pub mod gemini_anthropic;
mod gemini_caller;
pub mod gemini_openai;
pub mod gemini_responses;
pub mod openai_anthropic;
pub mod openai_gemini;
pub mod openai_responses;
mod plain;
pub mod responses;
pub mod responses_anthropic;
pub mod responses_gemini;
pub mod responses_openai;
pub mod responses_upstream;
mod scan;
pub mod sealed;
pub mod tier;

use bytes::Bytes;

/// A mapping from one native type to another, reporting what does not carry over.
pub trait TryTranslate<T> {
    fn try_translate(self, cx: &mut Cx) -> Result<T, TranslateError>;
}

/// Why a translation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslateError {
    /// The caller's document is not what its protocol allows (bad JSON, a wrong type).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The request asks for something the target cannot do at all.
    #[error("{0}")]
    Unsupported(String),
    /// Strict mode: a field would be lost.
    #[error("strict translation: {pointer} has no counterpart in the {target} protocol")]
    Strict {
        pointer: String,
        target: &'static str,
    },
    /// The upstream's answer could not be read.
    #[error("the upstream's answer could not be read: {0}")]
    Upstream(String),
}

/// What a translation carries besides the value: where the caller's fields went missing,
/// and whether that is allowed.
#[derive(Debug, Clone, Default)]
pub struct Cx {
    /// JSON pointers (into the caller's document) of what has no counterpart.
    pub losses: Vec<String>,
    /// Turn the first loss into an error.
    pub strict: bool,
    /// The target protocol's name, for messages.
    pub target: &'static str,
}

impl Cx {
    pub fn new(target: &'static str, strict: bool) -> Cx {
        Cx {
            losses: Vec::new(),
            strict,
            target,
        }
    }

    /// Records that `pointer` has no counterpart. A pointer inside one already recorded
    /// adds nothing; one that holds some already recorded takes their place.
    pub fn lose(&mut self, pointer: impl Into<String>) -> Result<(), TranslateError> {
        let pointer = pointer.into();
        if self.strict {
            return Err(TranslateError::Strict {
                pointer,
                target: self.target,
            });
        }
        if self.losses.iter().any(|l| within(&pointer, l)) {
            return Ok(());
        }
        self.losses.retain(|l| !within(l, &pointer));
        self.losses.push(pointer);
        Ok(())
    }

    /// Records every key of an `extra` map (fields the caller's schema does not name).
    pub fn lose_extra(
        &mut self,
        at: &str,
        extra: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), TranslateError> {
        for key in extra.keys() {
            self.lose(format!("{at}/{}", escape(key)))?;
        }
        Ok(())
    }
}

/// The JSON pointers of the fields a caller's request holds that its spec does not name,
/// anywhere in it (the generated types' `UnknownFields`): reported as lost unless the
/// pair reads them ([`Cx::lose_unknown`]).
pub(crate) trait Unknowns {
    fn unknowns(&self) -> Vec<String>;
}

macro_rules! unknowns {
    ($($t:ty => $walk:path),* $(,)?) => {$(
        impl Unknowns for $t {
            fn unknowns(&self) -> Vec<String> {
                let mut out = Vec::new();
                $walk(self, &mut String::new(), &mut |p: &str| out.push(p.to_owned()));
                out
            }
        }
    )*};
}

unknowns!(
    aigw_openai::CreateChatCompletionRequest => aigw_openai::UnknownFields::unknown_fields,
    aigw_openai::CreateResponse => aigw_openai::UnknownFields::unknown_fields,
    aigw_anthropic::CreateMessageParams => aigw_anthropic::UnknownFields::unknown_fields,
    aigw_gemini::GenerateContentRequest => aigw_gemini::UnknownFields::unknown_fields,
);

/// What the pairs of each caller protocol take whole although the generated types do not
/// name it, for [`Cx::lose_unknown`]: extensions they read, and JSON schemas, whose keys
/// are the caller's own and go to the upstream as they are. Pointer patterns: `*` matches
/// one token, a final `**` everything below.
pub(crate) mod read {
    /// Chat callers: an assistant turn's reasoning as compatible providers and this
    /// gateway write it.
    pub const CHAT: &[&str] = &[
        "/messages/*/reasoning_content",
        "/messages/*/thinking_blocks",
    ];
    /// Anthropic callers: a tool's input schema (the generated type names three of its
    /// keys; `$schema`, `additionalProperties`, `$defs`, ... are the schema's too).
    pub const ANTHROPIC: &[&str] = &["/tools/*/input_schema/**"];
    /// Gemini callers: schemas in Gemini's dialect, converted key by key.
    pub const GEMINI: &[&str] = &[
        "/tools/*/functionDeclarations/*/parameters/**",
        "/tools/*/functionDeclarations/*/response/**",
        "/generationConfig/responseSchema/**",
    ];
    /// Responses callers: nothing beyond the spec.
    pub const RESPONSES: &[&str] = &[];
}

/// Whether JSON pointer `p` matches `pattern`, token by token (`*` matches any one, a
/// final `**` the rest).
fn matches_pattern(pattern: &str, p: &str) -> bool {
    let (mut a, mut b) = (pattern.split('/'), p.split('/'));
    loop {
        match (a.next(), b.next()) {
            (None, None) | (Some("**"), Some(_)) => return true,
            (Some(x), Some(y)) if x == "*" || x == y => {}
            _ => return false,
        }
    }
}

/// Whether pointer `p` is `at` or inside it.
fn within(p: &str, at: &str) -> bool {
    p.strip_prefix(at)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

impl Cx {
    /// Reports the caller's unknown fields (`unknown`, from [`Unknowns`]) that the pair
    /// does not take whole (`read`, one of [`read`]'s lists). One inside a part reported
    /// whole adds nothing ([`Cx::lose`]).
    pub(crate) fn lose_unknown(
        &mut self,
        unknown: &[String],
        read: &[&str],
    ) -> Result<(), TranslateError> {
        for p in unknown {
            if !read.iter().any(|r| matches_pattern(r, p)) {
                self.lose(p.clone())?;
            }
        }
        Ok(())
    }
}

/// A JSON-pointer token for `key` (`~` → `~0`, `/` → `~1`).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A translated request.
#[derive(Debug, Clone)]
pub struct TranslatedRequest {
    pub body: Bytes,
    /// Whether the upstream is asked to stream.
    pub stream: bool,
}

/// The upstream path (and query) of a translated request, by upstream protocol.
pub fn upstream_path(
    upstream: Upstream,
    model: &str,
    stream: bool,
) -> (String, Option<&'static str>) {
    match upstream {
        Upstream::ChatCompletions => ("/chat/completions".into(), None),
        Upstream::Responses => ("/responses".into(), None),
        Upstream::Messages => ("/v1/messages".into(), None),
        Upstream::Gemini if stream => (
            format!("/v1beta/models/{model}:streamGenerateContent"),
            Some("alt=sse"),
        ),
        Upstream::Gemini => (format!("/v1beta/models/{model}:generateContent"), None),
    }
}

/// An upstream API a translation targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upstream {
    ChatCompletions,
    Responses,
    Messages,
    Gemini,
}

/// A translator whose caller stream, once closed, stays closed: after the pair reports
/// the stream complete (its end, or an upstream error it closed the caller's stream
/// with), further upstream events are ignored and `stream_finish` / `stream_error` write
/// nothing. Servers do send more after an error (vLLM-style servers a `[DONE]`, the
/// Responses API a `response.failed` after its `error` event), and a read can hold
/// several events; without this a caller would see events after its stream's end.
/// [`by_name`] and the gateway hand out translators so wrapped.
pub struct Guarded(Box<dyn Translator>);

impl Guarded {
    pub fn wrap(inner: Box<dyn Translator>) -> Box<dyn Translator> {
        Box::new(Guarded(inner))
    }
}

impl Translator for Guarded {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        self.0.request(body, model)
    }
    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        self.0.response(body)
    }
    fn stream_event(
        &mut self,
        event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if self.0.stream_complete() {
            return Ok(());
        }
        self.0.stream_event(event, data, out)
    }
    fn stream_complete(&self) -> bool {
        self.0.stream_complete()
    }
    fn stream_finish(&mut self, out: &mut Vec<u8>) -> bool {
        self.0.stream_complete() || self.0.stream_finish(out)
    }
    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        if !self.0.stream_complete() {
            self.0.stream_error(message, out);
        }
    }
    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        self.0.error(status, body)
    }
    fn losses(&self) -> &[String] {
        self.0.losses()
    }
}

/// What to reserve for the caller's bytes of `upstream_bytes` of upstream stream: enough
/// that translating one chunk writes without growing the buffer (a caller's event is at
/// most a few times its upstream event: Responses events repeat the item's ids), so a
/// stream event costs one allocation, not one per doubling.
pub fn out_capacity(upstream_bytes: usize) -> usize {
    upstream_bytes.saturating_mul(3).saturating_add(512)
}

/// One (caller protocol, upstream protocol) pair, for one request.
pub trait Translator: Send {
    /// The caller's request body → the upstream's, for upstream model `model`.
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError>;
    /// A whole successful upstream response body → the caller's.
    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError>;
    /// One upstream stream event (`event:` name, `data:`) → the caller's events, appended
    /// to `out` as SSE bytes.
    fn stream_event(
        &mut self,
        event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError>;
    /// Whether the upstream's stream reached its end event.
    fn stream_complete(&self) -> bool;
    /// The upstream's stream ended cleanly: appends what the caller's stream still needs
    /// (for upstreams without an end event, such as Gemini) and says whether the stream
    /// ended well.
    fn stream_finish(&mut self, out: &mut Vec<u8>) -> bool {
        let _ = out;
        self.stream_complete()
    }
    /// Closes the caller's stream after the upstream broke off (`message`), in the
    /// caller's protocol.
    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>);
    /// An upstream error body (any status) → the caller's error body.
    fn error(&mut self, status: u16, body: &[u8]) -> Bytes;
    /// What did not carry over, as JSON pointers into the caller's documents.
    fn losses(&self) -> &[String];
}

/// A `data:` URL split into media type and base64 data.
pub fn parse_data_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    let media = meta.strip_suffix(";base64")?;
    Some((media, data))
}

/// A token count without the part of it another field reports (cached input, reasoning
/// output): never below 0, whatever a broken upstream says.
pub(crate) fn tokens_less(total: i64, part: i64) -> i64 {
    total.saturating_sub(part).max(0)
}

/// A function call's name, which no caller's protocol takes empty (Anthropic's `tool_use`
/// needs one, Gemini's `functionCall` too): a call without one is the upstream's error.
pub(crate) fn call_name(name: &str) -> Result<&str, TranslateError> {
    if name.is_empty() {
        return Err(TranslateError::Upstream(
            "a function call without a name".into(),
        ));
    }
    Ok(name)
}

/// A token count as an upstream gave it, never below 0 (Anthropic's counts have a
/// minimum of 0; a broken upstream's negative count is none).
pub(crate) fn tokens(n: i64) -> i64 {
    n.max(0)
}

/// The seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The HTTP status a Gemini error object stands for (its `code`, else 500).
/// A chunk of a Gemini stream: an answer, or the error the stream ends with.
pub(crate) enum GeminiChunk {
    Answer(Box<aigw_gemini::GenerateContentResponse>),
    Error(serde_json::Value),
}

/// Reads a Gemini stream chunk straight into the generated type (an error object lands in
/// its `extra`, and is then read as JSON): one parse for the chunks that matter.
pub(crate) fn gemini_chunk(data: &str) -> Result<GeminiChunk, TranslateError> {
    use serde_json::Value;
    match serde_json::from_str::<aigw_gemini::GenerateContentResponse>(data) {
        Ok(r) if !r.extra.contains_key("error") => Ok(GeminiChunk::Answer(Box::new(r))),
        _ => {
            let v: Value =
                serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
            if v.get("error").is_some() {
                return Ok(GeminiChunk::Error(v));
            }
            serde_json::from_value(v)
                .map(|r| GeminiChunk::Answer(Box::new(r)))
                .map_err(|e| TranslateError::Upstream(e.to_string()))
        }
    }
}

/// The message of an error an upstream sent in a stream (`error.message`, or a top-level
/// `message`), for the caller's error event.
pub(crate) fn error_message(v: &serde_json::Value) -> &str {
    v.pointer("/error/message")
        .or_else(|| v.get("message"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or("upstream error")
}

pub(crate) fn gemini_error_status(v: &serde_json::Value) -> u16 {
    v.pointer("/error/code")
        .and_then(serde_json::Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(500)
}

/// The HTTP status an Anthropic error type stands for (errors in a stream carry no
/// status of their own).
pub(crate) fn anthropic_error_status(kind: &str) -> u16 {
    match kind {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "overloaded_error" => 529,
        "timeout_error" => 504,
        _ => 500,
    }
}

/// Appends one SSE event whose data is `data` as compact JSON, serialized in place: one
/// `data:` line, as compact JSON has no raw line breaks (they are escaped in strings).
pub(crate) fn sse(out: &mut Vec<u8>, event: Option<&str>, data: &impl serde::Serialize) {
    if let Some(event) = event {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(event.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(b"data: ");
    // Into a Vec, only a failing `Serialize` impl could fail; ours are values and
    // derived structs of strings and numbers.
    let _ = serde_json::to_writer(&mut *out, data);
    out.extend_from_slice(b"\n\n");
}

/// Every pair, named `<caller>_<upstream>` after its module (`responses` is OpenAI's
/// Responses API, `openai` its Chat Completions).
pub const PAIRS: [&str; 12] = [
    "openai_anthropic",
    "openai_gemini",
    "openai_responses",
    "anthropic_openai",
    "anthropic_gemini",
    "anthropic_responses",
    "gemini_openai",
    "gemini_anthropic",
    "gemini_responses",
    "responses_openai",
    "responses_anthropic",
    "responses_gemini",
];

/// What a pair may need beyond the request body (see each pair's `Options`).
#[derive(Debug, Clone, Default)]
pub struct PairOptions {
    /// A Chat upstream's field for reasoning text (`reasoning_content`, ...).
    pub reasoning_field: Option<String>,
    /// A Gemini caller called `streamGenerateContent`.
    pub stream: bool,
    /// A Gemini caller's stream is SSE (else the JSON-array form).
    pub sse: bool,
    /// A Gemini caller's model (it rides in the path, not the body).
    pub caller_model: String,
}

/// The translator of the pair named `pair` (one of [`PAIRS`]), for tools and tests that
/// pick pairs by name; the gateway picks by caller surface and provider.
pub fn by_name(pair: &str, strict: bool, o: &PairOptions) -> Option<Box<dyn Translator>> {
    let field = o.reasoning_field.clone();
    let inner: Box<dyn Translator> = match pair {
        "openai_anthropic" => Box::new(openai_anthropic::ChatToMessages::new(strict)),
        "openai_gemini" => Box::new(openai_gemini::ChatToGemini::new(strict)),
        "openai_responses" => Box::new(openai_responses::translator(strict)),
        "anthropic_openai" => Box::new(anthropic_openai::MessagesToChat::new(
            strict,
            anthropic_openai::Options {
                reasoning_field: field,
                stream_options: true,
            },
        )),
        "anthropic_gemini" => Box::new(anthropic_gemini::MessagesToGemini::new(strict)),
        "anthropic_responses" => Box::new(anthropic_responses::translator(strict)),
        "gemini_openai" => Box::new(gemini_openai::GeminiToChat::new(
            strict,
            gemini_openai::Options {
                reasoning_field: field,
                stream_options: true,
                stream: o.stream,
                sse: o.sse,
            },
            &o.caller_model,
        )),
        "gemini_anthropic" => Box::new(gemini_anthropic::GeminiToMessages::new(
            strict,
            gemini_anthropic::Options {
                stream: o.stream,
                sse: o.sse,
            },
            &o.caller_model,
        )),
        "gemini_responses" => Box::new(gemini_responses::translator(
            strict,
            gemini_responses::Gemini {
                caller_model: o.caller_model.clone(),
                stream: o.stream,
                sse: o.sse,
            },
        )),
        "responses_openai" => Box::new(responses_openai::ResponsesToChat::new(
            strict,
            responses_openai::Options {
                reasoning_field: field,
                stream_options: true,
            },
        )),
        "responses_anthropic" => Box::new(responses_anthropic::ResponsesToMessages::new(strict)),
        "responses_gemini" => Box::new(responses_gemini::ResponsesToGemini::new(strict)),
        _ => return None,
    };
    Some(Guarded::wrap(inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_keep_the_widest_pointer_and_patterns_match_by_token() {
        let mut cx = Cx::new("anthropic", false);
        cx.lose("/messages/1/name").expect("lenient");
        cx.lose("/messages/1").expect("lenient");
        cx.lose("/messages/1/content/0").expect("lenient");
        cx.lose("/messages/10").expect("lenient");
        assert_eq!(cx.losses, ["/messages/1", "/messages/10"]);
        assert!(matches_pattern(
            "/tools/*/input_schema/**",
            "/tools/3/input_schema/$defs/a"
        ));
        assert!(!matches_pattern(
            "/tools/*/input_schema/**",
            "/tools/3/input_schema"
        ));
        assert!(!matches_pattern(
            "/tools/*/input_schema/**",
            "/tools/3/name"
        ));
        assert!(matches_pattern(
            "/messages/*/thinking_blocks",
            "/messages/0/thinking_blocks"
        ));
        assert!(!matches_pattern(
            "/messages/*/thinking_blocks",
            "/messages/0/thinking_blocks/0"
        ));
    }

    #[test]
    fn losses_and_strict() {
        let mut cx = Cx::new("anthropic", false);
        cx.lose("/logit_bias").expect("lenient");
        cx.lose("/logit_bias").expect("lenient");
        assert_eq!(cx.losses, ["/logit_bias"]);
        let mut strict = Cx::new("anthropic", true);
        let e = strict.lose("/n").expect_err("strict");
        assert_eq!(
            e.to_string(),
            "strict translation: /n has no counterpart in the anthropic protocol"
        );
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn data_urls() {
        assert_eq!(
            parse_data_url("data:image/png;base64,iVBOR"),
            Some(("image/png", "iVBOR"))
        );
        assert_eq!(parse_data_url("https://x/y.png"), None);
    }
}
