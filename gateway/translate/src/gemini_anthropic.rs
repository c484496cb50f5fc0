//! Gemini generateContent caller → Anthropic Messages upstream.
//!
//! Request: `systemInstruction` → `system`; user parts → text, image (inline data as
//! base64, `fileData` images as URLs) and PDF document blocks (inline, or by an http(s)
//! URL); `functionResponse` (its
//! images and PDFs as the result's blocks after its text) →
//! `tool_result` in the user turn; model parts → text and `tool_use` blocks, and a thought
//! part whose signature is Anthropic's (it came through this gateway, marked so: see
//! [`crate::sealed`]; another provider's is reported) → a thinking block with that
//! signature; function-call ids kept or synthesized by position and matched to
//! their responses by name and order; function declarations → tools (Gemini's schema
//! dialect converted); `functionCallingConfig` → `tool_choice`; `generationConfig` →
//! `max_tokens` (required by Anthropic), temperature, `top_p`, `top_k`, stop sequences,
//! thinking budget, JSON schema output.
//!
//! Response: thinking blocks → thought parts (for a caller that asked for thoughts with
//! `includeThoughts`; otherwise, as Gemini does, no thinking text) with their signature,
//! marked as Anthropic's, as the next part's `thoughtSignature`; text → text parts,
//! `tool_use` → `functionCall` parts; stop reasons → finish reasons; usage with cache
//! reads as cached content.
//!
//! Stream: Anthropic's events → Gemini chunks in the caller's form (`alt=sse` or the JSON
//! array): text and thinking deltas (thoughts only when asked for) as they arrive, a
//! signature on the next part, each `tool_use` sent whole when its block stops, the final
//! chunk with the finish reason and usage at `message_stop` (with a signature that nothing
//! followed).

use aigw_anthropic as an;
use aigw_gemini as ge;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::build::push_anthropic_turn;
use crate::gemini_openai::{normalize_keys, schema_to_json};
use crate::openai_gemini::http_url;
use crate::sealed::Sealed;
use crate::tier::{Family, served_by_anthropic};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, TryTranslate};

/// How a call without an id is named (`toolu_{content}_{n}`, `n` its place among the
/// turn's calls), on both paths.
const SYNTH: crate::plain::Synth = crate::plain::Synth {
    prefix: "toolu_",
    by_part: false,
};

/// The generation settings this pair reads beyond the ones every typed Gemini-caller pair
/// reads.
const READS: crate::gemini_caller::Reads = crate::gemini_caller::Reads {
    config: Some(&[]),
    allowed_names: false,
    tier_to: crate::tier::Family::Anthropic,
    result_media: true,
};

/// Output tokens asked for when the caller sets no limit (Anthropic requires one): the
/// same for every caller.
pub use crate::openai_anthropic::DEFAULT_MAX_TOKENS;

/// Options of the pair.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The caller called `streamGenerateContent`.
    pub stream: bool,
    /// With `alt=sse` (else the JSON-array stream).
    pub sse: bool,
}

fn text_block(text: String) -> an::InputContentBlock {
    an::InputContentBlock::TextBlock(an::RequestTextBlock {
        text: Some(text),
        type_: Some(an::RequestTextBlockType::Text),
        ..Default::default()
    })
}

fn image_media(mime: &str) -> Option<an::Base64ImageSourceMediaType> {
    Some(match mime {
        "image/jpeg" | "image/jpg" => an::Base64ImageSourceMediaType::ImageJpeg,
        "image/png" => an::Base64ImageSourceMediaType::ImagePng,
        "image/gif" => an::Base64ImageSourceMediaType::ImageGif,
        "image/webp" => an::Base64ImageSourceMediaType::ImageWebp,
        _ => return None,
    })
}

/// A Gemini caller's inline image or PDF as Anthropic's block.
enum Media {
    Image(an::RequestImageBlock),
    Pdf(an::RequestDocumentBlock),
}

/// Inline `data` of type `mime` as an image or PDF block; `None` for a type Anthropic
/// does not take.
fn inline_media(mime: &str, data: Option<String>) -> Option<Media> {
    if let Some(media) = image_media(mime) {
        return Some(Media::Image(an::RequestImageBlock {
            source: Some(an::RequestImageBlockSource::Base64ImageSource(
                an::Base64ImageSource {
                    data,
                    media_type: Some(media),
                    type_: Some(an::Base64ImageSourceType::Base64),
                    ..Default::default()
                },
            )),
            type_: Some(an::RequestImageBlockType::Image),
            ..Default::default()
        }));
    }
    (mime == "application/pdf").then(|| {
        Media::Pdf(an::RequestDocumentBlock {
            source: Some(an::RequestDocumentBlockSource::Base64PdfSource(
                an::Base64PdfSource {
                    data,
                    media_type: Some(an::Base64PdfSourceMediaType::ApplicationPdf),
                    type_: Some(an::Base64PdfSourceType::Base64),
                    ..Default::default()
                },
            )),
            type_: Some(an::RequestDocumentBlockType::Document),
            ..Default::default()
        })
    })
}

/// The request mapping with its options.
pub struct Request(pub ge::GenerateContentRequest);

impl TryTranslate<an::CreateMessageParams> for Request {
    fn try_translate(self, cx: &mut Cx) -> Result<an::CreateMessageParams, TranslateError> {
        let Request(r) = self;
        cx.lose_extra("", &r.extra)?;
        crate::gemini_caller::lose_unread(&r, &READS, cx)?;
        let tier = crate::gemini_caller::tier_word(&r, READS.tier_to);
        let mut out = an::CreateMessageParams::default();
        if let Some(system) = r.system_instruction {
            let blocks: Vec<an::RequestTextBlock> = system
                .parts
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.text)
                .map(|t| an::RequestTextBlock {
                    text: Some(t),
                    type_: Some(an::RequestTextBlockType::Text),
                    ..Default::default()
                })
                .collect();
            out.system = Some(an::CreateMessageParamsSystem::Array(blocks));
        }
        let mut messages = Vec::new();
        let mut open_calls: Vec<(String, String)> = Vec::new();
        for (i, content) in r.contents.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/contents/{i}");
            let Some(model) = crate::build::gemini_model_turn(content.role.as_deref(), &at, cx)?
            else {
                continue;
            };
            let mut blocks = Vec::new();
            if model {
                open_calls.clear();
            }
            let parts = content.parts.unwrap_or_default();
            let mut k = 0;
            // Thought text waiting for its signature, and the parts it came from.
            let mut pending_thought = String::new();
            let mut thought_parts: Vec<usize> = Vec::new();
            for (j, mut p) in parts.into_iter().enumerate() {
                let here = format!("{at}/parts/{j}");
                // Only a signature Anthropic made goes back to it (see `Sealed`).
                if model && let Some(s) = p.thought_signature.take().filter(|s| !s.is_empty()) {
                    p.thought_signature = Sealed::AnthropicThinking.open_base64(&s);
                    if p.thought_signature.is_none() {
                        cx.lose(format!("{here}/thoughtSignature"))?;
                    }
                }
                if model && p.thought == Some(true) {
                    // Thought text waits for its signature: on this part, or (Gemini's
                    // convention) on the part after the thoughts.
                    let text = p.text.unwrap_or_default();
                    match p.thought_signature.filter(|s| !s.is_empty()) {
                        Some(sig) => {
                            blocks.push(thinking_block(
                                std::mem::take(&mut pending_thought) + &text,
                                sig,
                            ));
                            thought_parts.clear();
                        }
                        None => {
                            pending_thought.push_str(&text);
                            thought_parts.push(j);
                        }
                    }
                    continue;
                }
                if let Some(sig) = p.thought_signature.clone().filter(|s| !s.is_empty()) {
                    if model {
                        blocks.push(thinking_block(std::mem::take(&mut pending_thought), sig));
                        thought_parts.clear();
                    } else {
                        cx.lose(format!("{here}/thoughtSignature"))?;
                    }
                }
                // Thoughts without a signature cannot be sent back to Anthropic.
                pending_thought.clear();
                for k in thought_parts.drain(..) {
                    cx.lose(format!("{at}/parts/{k}"))?;
                }
                if let Some(t) = p.text {
                    // The model's empty text (a signature's carrier) is no block: Anthropic
                    // refuses empty text.
                    if !(model && t.is_empty()) {
                        blocks.push(text_block(t));
                    }
                } else if let Some(blob) = p.inline_data {
                    let mime = blob.mime_type.unwrap_or_default();
                    match inline_media(&mime, blob.data) {
                        Some(Media::Image(image)) => {
                            blocks.push(an::InputContentBlock::ImageBlock(image))
                        }
                        Some(Media::Pdf(pdf)) => {
                            blocks.push(an::InputContentBlock::DocumentBlock(pdf))
                        }
                        None => cx.lose(here)?,
                    }
                } else if let Some(file) = p.file_data {
                    if file
                        .mime_type
                        .as_deref()
                        .unwrap_or("")
                        .starts_with("image/")
                    {
                        blocks.push(an::InputContentBlock::ImageBlock(an::RequestImageBlock {
                            source: Some(an::RequestImageBlockSource::UrlImageSource(
                                an::UrlImageSource {
                                    url: file.file_uri,
                                    type_: Some(an::UrlImageSourceType::Url),
                                    ..Default::default()
                                },
                            )),
                            type_: Some(an::RequestImageBlockType::Image),
                            ..Default::default()
                        }));
                    } else if file.mime_type.as_deref() == Some("application/pdf")
                        && file.file_uri.as_deref().is_some_and(http_url)
                    {
                        // A PDF by an http(s) URL is Anthropic's URL source.
                        blocks.push(an::InputContentBlock::DocumentBlock(
                            an::RequestDocumentBlock {
                                source: Some(an::RequestDocumentBlockSource::UrlpdfSource(
                                    an::UrlpdfSource {
                                        url: file.file_uri,
                                        type_: Some(an::UrlpdfSourceType::Url),
                                        ..Default::default()
                                    },
                                )),
                                type_: Some(an::RequestDocumentBlockType::Document),
                                ..Default::default()
                            },
                        ));
                    } else {
                        cx.lose(here)?;
                    }
                } else if let Some(f) = p.function_call {
                    let name = f.name.unwrap_or_default();
                    let id = f.id.unwrap_or_else(|| format!("{}{i}_{k}", SYNTH.prefix));
                    k += 1;
                    open_calls.push((name.clone(), id.clone()));
                    blocks.push(an::InputContentBlock::ToolUseBlock(
                        an::RequestToolUseBlock {
                            id: Some(id),
                            name: Some(name),
                            input: Some(f.args.unwrap_or_default()),
                            type_: Some(an::RequestToolUseBlockType::ToolUse),
                            ..Default::default()
                        },
                    ));
                } else if let Some(resp) = p.function_response {
                    let name = resp.name.unwrap_or_default();
                    let id = match resp.id {
                        Some(id) => {
                            open_calls.retain(|(_, i)| *i != id);
                            id
                        }
                        None => match open_calls.iter().position(|(n, _)| *n == name) {
                            Some(k) => open_calls.remove(k).1,
                            None => format!("{}{i}_{j}", SYNTH.prefix),
                        },
                    };
                    let response = resp.response.unwrap_or_default();
                    let text = match response.values().collect::<Vec<_>>().as_slice() {
                        [Value::String(s)] => s.clone(),
                        _ => Value::Object(response).to_string(),
                    };
                    // Images and PDFs inside the result follow its text as its blocks.
                    use an::RequestToolResultBlockContentArrayItem as Item;
                    let mut items = Vec::new();
                    for (m, part) in resp.parts.into_iter().flatten().enumerate() {
                        let blob = part.inline_data.unwrap_or_default();
                        let mime = blob.mime_type.unwrap_or_default();
                        match inline_media(&mime, blob.data) {
                            Some(Media::Image(image)) => items.push(Item::ImageBlock(image)),
                            Some(Media::Pdf(pdf)) => items.push(Item::DocumentBlock(pdf)),
                            None => cx.lose(format!("{here}/functionResponse/parts/{m}"))?,
                        }
                    }
                    let content = match items.is_empty() {
                        true => an::RequestToolResultBlockContent::String(text),
                        false => {
                            if !text.is_empty() {
                                let block = an::RequestTextBlock {
                                    text: Some(text),
                                    type_: Some(an::RequestTextBlockType::Text),
                                    ..Default::default()
                                };
                                items.insert(0, Item::TextBlock(block));
                            }
                            an::RequestToolResultBlockContent::Array(items)
                        }
                    };
                    blocks.push(an::InputContentBlock::ToolResultBlock(
                        an::RequestToolResultBlock {
                            tool_use_id: Some(id),
                            content: Some(content),
                            type_: Some(an::RequestToolResultBlockType::ToolResult),
                            ..Default::default()
                        },
                    ));
                } else {
                    cx.lose(here)?;
                }
            }
            // Thoughts that end the turn without a signature cannot go back either.
            for k in thought_parts {
                cx.lose(format!("{at}/parts/{k}"))?;
            }
            let role = if model {
                an::InputMessageRole::Assistant
            } else {
                an::InputMessageRole::User
            };
            push_anthropic_turn(&mut messages, role, blocks);
        }
        out.messages = Some(messages);
        out.max_tokens = Some(DEFAULT_MAX_TOKENS);
        if let Some(c) = r.generation_config {
            cx.lose_extra("/generationConfig", &c.extra)?;
            if let Some(m) = c.max_output_tokens {
                out.max_tokens = Some(m);
            }
            if let Some(t) = c.temperature {
                if t.as_f64().unwrap_or(0.0) > 1.0 {
                    cx.lose("/generationConfig/temperature")?;
                    out.temperature = serde_json::Number::from_f64(1.0);
                } else {
                    out.temperature = Some(t);
                }
            }
            out.top_p = c.top_p;
            out.top_k = c.top_k;
            out.stop_sequences = c.stop_sequences;
            if c.candidate_count.is_some_and(|n| n > 1) {
                return Err(TranslateError::Unsupported(
                    "candidateCount > 1: Anthropic returns one candidate".into(),
                ));
            }
            for (pointer, present) in [
                ("/generationConfig/seed", c.seed.is_some()),
                (
                    "/generationConfig/presencePenalty",
                    c.presence_penalty.is_some(),
                ),
                (
                    "/generationConfig/frequencyPenalty",
                    c.frequency_penalty.is_some(),
                ),
                (
                    "/generationConfig/responseLogprobs",
                    c.response_logprobs.is_some(),
                ),
                (
                    "/generationConfig/responseModalities",
                    c.response_modalities.is_some(),
                ),
            ] {
                if present {
                    cx.lose(pointer)?;
                }
            }
            let schema = c
                .response_json_schema_2
                .or(c.response_json_schema)
                .or_else(|| {
                    c.response_schema
                        .and_then(|s| serde_json::to_value(s).ok())
                        .map(|s| schema_to_json(&s))
                });
            if c.response_mime_type.as_deref() == Some("application/json") {
                match schema {
                    Some(Value::Object(schema)) => {
                        out.output_config = Some(an::OutputConfig {
                            format: Some(Some(an::JsonOutputFormat {
                                schema: Some(schema),
                                type_: Some(an::JsonOutputFormatType::JsonSchema),
                                ..Default::default()
                            })),
                            ..Default::default()
                        })
                    }
                    _ => cx.lose("/generationConfig/responseMimeType")?,
                }
            } else if c
                .response_mime_type
                .as_deref()
                .is_some_and(|m| m != "text/plain")
            {
                // An enum (`text/x.enum`) or another type: Anthropic has JSON schemas only.
                cx.lose("/generationConfig/responseMimeType")?;
            }
            if let Some(t) = c.thinking_config {
                // A level is a budget of the size the other pairs give its effort.
                let by_level = t.thinking_level.as_ref().and_then(|l| match l {
                    ge::ThinkingConfigThinkingLevel::Minimal
                    | ge::ThinkingConfigThinkingLevel::Low => Some(1024),
                    ge::ThinkingConfigThinkingLevel::High => Some(16384),
                    // A level the spec does not list: reported (gemini_caller), not guessed.
                    ge::ThinkingConfigThinkingLevel::Unknown(_) => None,
                    _ => Some(4096),
                });
                let budget =
                    t.thinking_budget
                        .or(by_level)
                        .unwrap_or(if t.include_thoughts == Some(true) {
                            4096
                        } else {
                            0
                        });
                if budget != 0 {
                    let budget = if budget < 0 { 8192 } else { budget.max(1024) };
                    out.thinking = Some(an::ThinkingConfigParam::Enabled(
                        an::ThinkingConfigEnabled {
                            budget_tokens: Some(budget),
                            type_: Some(an::ThinkingConfigEnabledType::Enabled),
                            ..Default::default()
                        },
                    ));
                    let max = out.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS);
                    if max <= budget {
                        out.max_tokens = Some(max.saturating_add(budget));
                    }
                    if out.temperature.take().is_some() {
                        cx.lose("/generationConfig/temperature")?;
                    }
                }
            }
        }
        let mut tools = Vec::new();
        for (i, t) in r.tools.unwrap_or_default().into_iter().enumerate() {
            for d in t.function_declarations.unwrap_or_default() {
                let schema = match (d.parameters_json_schema, d.parameters) {
                    (Some(v @ Value::Object(_)), _) => v,
                    (_, Some(s)) => schema_to_json(&serde_json::to_value(s).unwrap_or(Value::Null)),
                    _ => json!({"type": "object"}),
                };
                let input_schema: an::InputSchema = serde_json::from_value(schema)
                    .map_err(|e| TranslateError::Invalid(format!("/tools/{i}: {e}")))?;
                tools.push(an::CreateMessageParamsToolsItem::Tool(an::Tool {
                    name: d.name,
                    description: d.description,
                    input_schema: Some(input_schema),
                    ..Default::default()
                }));
            }
        }
        if !tools.is_empty() {
            out.tools = Some(tools);
        }
        if let Some(config) = r.tool_config.and_then(|c| c.function_calling_config) {
            let names = config.allowed_function_names.unwrap_or_default();
            out.tool_choice = Some(match config.mode {
                // VALIDATED lets the model answer in words: auto, its calls checked.
                Some(ge::FunctionCallingConfigMode::Any) if names.len() == 1 => {
                    an::ToolChoice::Tool(an::ToolChoiceTool {
                        name: names.into_iter().next(),
                        type_: Some(an::ToolChoiceToolType::Tool),
                        ..Default::default()
                    })
                }
                Some(ge::FunctionCallingConfigMode::Any) => {
                    an::ToolChoice::Any(an::ToolChoiceAny {
                        type_: Some(an::ToolChoiceAnyType::Any),
                        ..Default::default()
                    })
                }
                Some(ge::FunctionCallingConfigMode::None) => {
                    an::ToolChoice::None(an::ToolChoiceNone {
                        type_: Some(an::ToolChoiceNoneType::None),
                        ..Default::default()
                    })
                }
                _ => an::ToolChoice::Auto(an::ToolChoiceAuto {
                    type_: Some(an::ToolChoiceAutoType::Auto),
                    ..Default::default()
                }),
            });
        }
        if r.safety_settings.is_some() {
            cx.lose("/safetySettings")?;
        }
        if r.cached_content.is_some() {
            cx.lose("/cachedContent")?;
        }
        if let Some(word) = tier {
            out.service_tier = crate::tier::typed(word);
        }
        Ok(out)
    }
}

fn thinking_block(thinking: String, signature: String) -> an::InputContentBlock {
    an::InputContentBlock::ThinkingBlock(an::RequestThinkingBlock {
        thinking: Some(thinking),
        signature: Some(signature),
        type_: Some(an::RequestThinkingBlockType::Thinking),
        ..Default::default()
    })
}

/// Anthropic's stop reason → Gemini's finish reason.
fn finish_reason(stop: Option<&str>) -> &'static str {
    match stop {
        Some("max_tokens" | "model_context_window_exceeded") => "MAX_TOKENS",
        Some("refusal") => "SAFETY",
        _ => "STOP",
    }
}

/// Gemini usage metadata from Anthropic's counts, with the tier that served the answer.
fn usage_metadata(
    (input, output, cache_read, cache_write): (i64, i64, i64, i64),
    tier: Option<&str>,
) -> Value {
    let prompt = input.saturating_add(cache_read).saturating_add(cache_write);
    let mut u = json!({"promptTokenCount": prompt, "candidatesTokenCount": output, "totalTokenCount": prompt.saturating_add(output)});
    if cache_read > 0 {
        u["cachedContentTokenCount"] = json!(cache_read);
    }
    if let Some(word) = tier {
        u["serviceTier"] = json!(word);
    }
    u
}

/// Anthropic content blocks → Gemini parts. A thinking block's signature goes, as Gemini
/// puts it, on the part after the thoughts (on the thought itself when none follows). The
/// thinking text is a thought part only for a caller that asked for thoughts (`shows`);
/// otherwise only its signature is sent, on an empty text part when nothing follows.
fn parts(
    blocks: Vec<an::ContentBlock>,
    shows: bool,
    cx: &mut Cx,
) -> Result<Vec<Value>, TranslateError> {
    let mut out: Vec<Value> = Vec::new();
    let mut pending: Option<String> = None;
    for (i, b) in blocks.into_iter().enumerate() {
        let mut part = match b {
            an::ContentBlock::ThinkingBlock(t) => {
                // The signature of thinking just before goes on its own thought part, or
                // rides on an empty text part when thoughts are not shown.
                if let Some(sig) = pending.take() {
                    place_alone(&mut out, sig, shows);
                }
                if shows {
                    out.push(json!({"text": t.thinking.unwrap_or_default(), "thought": true}));
                }
                pending = t
                    .signature
                    .filter(|s| !s.is_empty())
                    .map(|s| Sealed::AnthropicThinking.seal_base64(&s));
                continue;
            }
            an::ContentBlock::TextBlock(t) => json!({"text": t.text.unwrap_or_default()}),
            an::ContentBlock::ToolUseBlock(t) => {
                json!({"functionCall": {"id": t.id, "name": t.name, "args": Value::Object(t.input.unwrap_or_default())}})
            }
            _ => {
                cx.lose(format!("/content/{i}"))?;
                continue;
            }
        };
        if let Some(sig) = pending.take() {
            part["thoughtSignature"] = Value::String(sig);
        }
        out.push(part);
    }
    if let Some(sig) = pending {
        place_alone(&mut out, sig, shows);
    }
    Ok(out)
}

/// Places a signature that no part follows: on its own thought part (the last one) where
/// thoughts are shown, else on an empty text part.
fn place_alone(out: &mut Vec<Value>, signature: String, shows: bool) {
    match out.last_mut() {
        Some(last) if shows => last["thoughtSignature"] = Value::String(signature),
        _ => out.push(json!({"text": "", "thoughtSignature": signature})),
    }
}

/// A whole Anthropic message → a Gemini response (as JSON); the thinking text is shown
/// only when the caller asked for thoughts (`shows_thoughts`).
pub fn response(
    message: an::Message,
    caller_model: &str,
    shows_thoughts: bool,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let stop = message
        .stop_reason
        .flatten()
        .and_then(|s| serde_json::to_value(s).ok())
        .and_then(|v| v.as_str().map(str::to_owned));
    let u = message.usage.unwrap_or_default();
    let tier = served_by_anthropic(&u, Family::Gemini, "/usage/service_tier", cx)?;
    Ok(json!({
        "candidates": [{"content": {"role": "model", "parts": parts(message.content.unwrap_or_default(), shows_thoughts, cx)?},
                        "finishReason": finish_reason(stop.as_deref()), "index": 0}],
        "usageMetadata": usage_metadata(
            (
                u.input_tokens.unwrap_or(0),
                u.output_tokens.unwrap_or(0),
                u.cache_read_input_tokens.flatten().unwrap_or(0),
                u.cache_creation_input_tokens.flatten().unwrap_or(0),
            ),
            tier,
        ),
        "modelVersion": caller_model,
        "responseId": message.id.unwrap_or_default(),
    }))
}

/// An Anthropic error body → Gemini's error shape (Anthropic's 529, overloaded, is
/// Gemini's 503).
pub fn error(status: u16, body: &[u8]) -> Bytes {
    crate::gemini_openai::error(status, body)
}

/// Per-request state of the Gemini-caller / Anthropic-upstream pair.
#[derive(Debug)]
pub struct GeminiToMessages {
    cx: Cx,
    options: Options,
    caller_model: String,
    id: String,
    written: usize,
    /// The open `tool_use` block: (id, name, input so far).
    tool: Option<(String, String, String)>,
    input_tokens: i64,
    output_tokens: i64,
    cache_read: i64,
    cache_write: i64,
    /// The tier that served the answer (from `message_start`), in every chunk's usage.
    tier: Option<&'static str>,
    stop: Option<String>,
    /// A thinking signature waiting for the part it goes on.
    signature: Option<String>,
    /// The caller asked for thoughts (`includeThoughts`, read from its request); without
    /// it the thinking text is left out, as Gemini leaves it out.
    shows_thoughts: bool,
    complete: bool,
    /// `usageMetadata` rendered for these token counts (input, output, cache read, write).
    usage_json: Option<((i64, i64, i64, i64), String)>,
    /// The last upstream event the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<crate::fast::AnthropicDelta>,
}

impl GeminiToMessages {
    pub fn new(strict: bool, options: Options, caller_model: &str) -> Self {
        GeminiToMessages {
            cx: Cx::new("anthropic", strict),
            options,
            caller_model: caller_model.to_owned(),
            id: String::new(),
            written: 0,
            tool: None,
            input_tokens: 0,
            output_tokens: 0,
            cache_read: 0,
            cache_write: 0,
            tier: None,
            stop: None,
            signature: None,
            shows_thoughts: false,
            complete: false,
            usage_json: None,
            memo: Default::default(),
        }
    }

    /// A text or thinking delta written as a Gemini chunk in bytes; false for any other
    /// event (left to the typed path).
    fn fast_delta(&mut self, data: &str, out: &mut Vec<u8>) -> bool {
        use crate::fast::Piece;
        let Some((_, piece)) = crate::fast::anthropic(data, &mut self.memo) else {
            return false;
        };
        let (text, thought) = match &piece {
            Piece::Text(t) => (t, false),
            Piece::Thinking(_) if !self.shows_thoughts => return true,
            Piece::Thinking(t) => (t, true),
            Piece::Arguments(..) => return false,
        };
        let signature = if thought { None } else { self.signature.take() };
        let counts = self.counts();
        if self.usage_json.as_ref().is_none_or(|(c, _)| *c != counts) {
            let json = usage_metadata(counts, self.tier).to_string();
            self.usage_json = Some((counts, json));
        }
        let usage = self
            .usage_json
            .as_ref()
            .map(|(_, j)| j.as_str())
            .unwrap_or("");
        if self.options.sse {
            out.extend_from_slice(b"data: ");
        } else {
            out.extend_from_slice(if self.written == 0 { b"[" } else { b",\r\n" });
        }
        self.written += 1;
        crate::fast::gemini_chunk(
            text,
            thought,
            signature.as_deref(),
            usage.as_bytes(),
            &self.caller_model,
            &self.id,
            out,
        );
        if self.options.sse {
            out.extend_from_slice(b"\r\n\r\n");
        }
        true
    }

    /// The token counts so far: input, output, cache reads, cache writes.
    fn counts(&self) -> (i64, i64, i64, i64) {
        (
            self.input_tokens,
            self.output_tokens,
            self.cache_read,
            self.cache_write,
        )
    }

    /// The part a signature rides on when no other part follows its thinking: an empty
    /// thought (where thoughts are shown), else an empty text part.
    fn carrier(&self, signature: String) -> Value {
        match self.shows_thoughts {
            true => json!({"text": "", "thought": true, "thoughtSignature": signature}),
            false => json!({"text": "", "thoughtSignature": signature}),
        }
    }

    fn emit(&mut self, parts: Vec<Value>, finish: Option<&str>, out: &mut Vec<u8>) {
        let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
        if let Some(f) = finish {
            candidate["finishReason"] = json!(f);
        }
        let chunk = json!({"candidates": [candidate],
            "usageMetadata": usage_metadata(self.counts(), self.tier),
            "modelVersion": self.caller_model, "responseId": self.id});
        write(
            &self.options,
            &mut self.written,
            chunk.to_string().as_bytes(),
            false,
            out,
        );
    }
}

/// Writes one chunk (or the closing error) in the caller's Gemini stream form.
pub(crate) fn write(
    options: &Options,
    written: &mut usize,
    chunk: &[u8],
    last: bool,
    out: &mut Vec<u8>,
) {
    if options.sse {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n\r\n");
    } else {
        out.extend_from_slice(if *written == 0 { b"[" } else { b",\r\n" });
        out.extend_from_slice(chunk);
        if last {
            out.push(b']');
        }
    }
    *written += 1;
}

impl Translator for GeminiToMessages {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        let stream = self.options.stream;
        if let Some(p) = plain::gemini(body, SYNTH)
            && let Some(out) = plain::to_anthropic(&p, model, stream.then_some(true))
            && plain::report_gemini_losses(&p, plain::LossesTo::Anthropic, &mut self.cx).is_some()
        {
            self.shows_thoughts = p.shows_thoughts();
            return Ok(plain::sent(out, stream));
        }
        let mut raw: Value =
            serde_json::from_slice(body).map_err(|e| TranslateError::Invalid(e.to_string()))?;
        normalize_keys(&mut raw);
        let req: ge::GenerateContentRequest =
            serde_json::from_value(raw).map_err(|e| TranslateError::Invalid(e.to_string()))?;
        let unknown = crate::Unknowns::unknowns(&req);
        self.shows_thoughts = crate::gemini_caller::shows_thoughts(&req);
        let mut out: an::CreateMessageParams = Request(req).try_translate(&mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::GEMINI)?;
        out.model = Some(an::Model::Variant0(model.to_owned()));
        if self.options.stream {
            out.stream = Some(true);
        }
        let stream = self.options.stream;
        crate::build::encode(&out, stream, &mut self.cx, |_| {}, crate::fixups::anthropic)
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let message: an::Message =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        Ok(Bytes::from(
            response(
                message,
                &self.caller_model,
                self.shows_thoughts,
                &mut self.cx,
            )?
            .to_string(),
        ))
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if self.fast_delta(data, out) {
            return Ok(());
        }
        let event: an::MessageStreamEvent =
            serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        match event {
            an::MessageStreamEvent::MessageStartEvent(start) => {
                let message = start.message.unwrap_or_default();
                self.id = message.id.unwrap_or_default();
                if let Some(u) = message.usage {
                    self.input_tokens = u.input_tokens.unwrap_or(0);
                    self.output_tokens = u.output_tokens.unwrap_or(0);
                    self.cache_read = u.cache_read_input_tokens.flatten().unwrap_or(0);
                    self.cache_write = u.cache_creation_input_tokens.flatten().unwrap_or(0);
                    let at = "/stream/message/usage/service_tier";
                    self.tier = served_by_anthropic(&u, Family::Gemini, at, &mut self.cx)?;
                }
            }
            an::MessageStreamEvent::ContentBlockStartEvent(start) => {
                use an::ContentBlockStartEventContentBlock as B;
                match start.content_block {
                    Some(B::ToolUseBlock(t)) => {
                        self.tool = Some((
                            t.id.unwrap_or_default(),
                            t.name.unwrap_or_default(),
                            String::new(),
                        ));
                    }
                    // The signature of thinking just before is sent before this thinking
                    // starts, on a part of its own.
                    Some(B::ThinkingBlock(_)) => {
                        if let Some(sig) = self.signature.take() {
                            let part = self.carrier(sig);
                            self.emit(vec![part], None, out);
                        }
                    }
                    Some(B::TextBlock(_)) | None => {}
                    // What a Gemini caller has no part for, as the answer reports it.
                    Some(_) => self
                        .cx
                        .lose(format!("/content/{}", start.index.unwrap_or(0)))?,
                }
            }
            an::MessageStreamEvent::ContentBlockDeltaEvent(d) => match d.delta {
                Some(an::ContentBlockDeltaEventDelta::TextContentBlockDelta(t)) => {
                    let mut part = json!({"text": t.text.unwrap_or_default()});
                    if let Some(sig) = self.signature.take() {
                        part["thoughtSignature"] = Value::String(sig);
                    }
                    self.emit(vec![part], None, out)
                }
                Some(an::ContentBlockDeltaEventDelta::ThinkingContentBlockDelta(t)) => {
                    if self.shows_thoughts {
                        let text = t.thinking.unwrap_or_default();
                        self.emit(vec![json!({"text": text, "thought": true})], None, out)
                    }
                }
                Some(an::ContentBlockDeltaEventDelta::SignatureContentBlockDelta(s)) => {
                    // Sent on the next part, as Gemini does, marked as Anthropic's.
                    self.signature = s
                        .signature
                        .filter(|s| !s.is_empty())
                        .map(|s| Sealed::AnthropicThinking.seal_base64(&s));
                }
                Some(an::ContentBlockDeltaEventDelta::InputJsonContentBlockDelta(j)) => {
                    if let Some((_, _, input)) = &mut self.tool {
                        input.push_str(j.partial_json.as_deref().unwrap_or(""));
                    }
                }
                _ => self.cx.lose("/stream/delta")?,
            },
            an::MessageStreamEvent::ContentBlockStopEvent(_) => {
                if let Some((id, name, input)) = self.tool.take() {
                    let args = match serde_json::from_str::<Value>(&input) {
                        Ok(Value::Object(m)) => Value::Object(m),
                        _ => Value::Object(Map::new()),
                    };
                    let mut part = json!({"functionCall": {"id": id, "name": name, "args": args}});
                    if let Some(sig) = self.signature.take() {
                        part["thoughtSignature"] = Value::String(sig);
                    }
                    self.emit(vec![part], None, out);
                }
            }
            an::MessageStreamEvent::MessageDeltaEvent(d) => {
                if let Some(delta) = d.delta {
                    self.stop = delta
                        .stop_reason
                        .flatten()
                        .and_then(|s| serde_json::to_value(s).ok())
                        .and_then(|v| v.as_str().map(str::to_owned));
                }
                if let Some(u) = d.usage {
                    self.output_tokens = u.output_tokens.unwrap_or(self.output_tokens);
                    if let Some(Some(i)) = u.input_tokens {
                        self.input_tokens = i;
                    }
                }
            }
            an::MessageStreamEvent::MessageStopEvent(_) => {
                let finish = finish_reason(self.stop.as_deref());
                let parts = match self.signature.take() {
                    Some(sig) => json!([self.carrier(sig)]),
                    None => json!([]),
                };
                let candidate = json!({"content": {"role": "model", "parts": parts}, "finishReason": finish, "index": 0});
                let chunk = json!({"candidates": [candidate],
                    "usageMetadata": usage_metadata(self.counts(), self.tier),
                    "modelVersion": self.caller_model, "responseId": self.id});
                write(
                    &self.options,
                    &mut self.written,
                    chunk.to_string().as_bytes(),
                    true,
                    out,
                );
                self.complete = true;
            }
            an::MessageStreamEvent::ErrorResponse(e) => {
                let body = serde_json::to_vec(&e).unwrap_or_default();
                let status = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|v| {
                        v.pointer("/error/type")
                            .and_then(Value::as_str)
                            .map(crate::anthropic_error_status)
                    })
                    .unwrap_or(500);
                let err = error(status, &body);
                write(&self.options, &mut self.written, &err, true, out);
                self.complete = true;
            }
            an::MessageStreamEvent::PingEvent(_) | an::MessageStreamEvent::Unknown(_) => {}
        }
        Ok(())
    }

    fn stream_complete(&self) -> bool {
        self.complete
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        let e = json!({"error": {"code": 502, "message": message, "status": "UNAVAILABLE"}})
            .to_string();
        write(&self.options, &mut self.written, e.as_bytes(), true, out);
        self.complete = true;
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        error(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
