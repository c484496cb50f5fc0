//! OpenAI Chat Completions caller → Gemini generateContent upstream.
//!
//! Request: system and developer messages become `systemInstruction`; user parts become
//! text, `inlineData` (data URLs, PDFs) and `fileData` (URLs) parts; assistant tool calls
//! become `functionCall` parts (id kept), tool messages `functionResponse` parts in a user
//! turn, their function name found from the call they answer; the thought signature
//! carried in `thinking_blocks` goes back on the first call (else the text), the other
//! blocks and reasoning text without blocks are reported; tools become
//! `functionDeclarations` with `parametersJsonSchema` (JSON Schema as it came), tool choice
//! becomes `functionCallingConfig` (`required` → `ANY`, named → `ANY` with the allowed
//! name), `response_format` json_schema → `responseMimeType` + `responseJsonSchema`,
//! `reasoning_effort` → `thinkingConfig` with thoughts included, sampling and limits into
//! `generationConfig` (`n` → `candidateCount`). Streaming uses `streamGenerateContent` with
//! `alt=sse`.
//!
//! Response: each candidate becomes a choice: thought parts → `reasoning_content`, text →
//! `content`, function calls → `tool_calls` (ids synthesized where Gemini gives none),
//! `thoughtSignature`s → `thinking_blocks`; finish reasons and usage (thoughts counted as
//! reasoning tokens, cached content as cached tokens) mapped; a blocked prompt becomes
//! `content_filter`.
//!
//! Stream: each Gemini chunk → chat chunks (role first, then content, reasoning and whole
//! tool calls with increasing indexes); the chunk with a finish reason → the finish chunk;
//! at the upstream's end the usage chunk (when asked for) and `[DONE]`.

use aigw_gemini as ge;
use aigw_openai as oa;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::build::{gemini_text, push_gemini_turn};
use crate::tier::{Family, served_by_gemini};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, TryTranslate, parse_data_url};

/// Thinking budgets for OpenAI's `reasoning_effort` values.
pub(crate) fn budget(effort: &oa::ReasoningEffort) -> Option<i64> {
    Some(match effort {
        oa::ReasoningEffort::None => 0,
        oa::ReasoningEffort::Minimal => 512,
        oa::ReasoningEffort::Low => 1024,
        oa::ReasoningEffort::Medium => 8192,
        oa::ReasoningEffort::High | oa::ReasoningEffort::Xhigh | oa::ReasoningEffort::Max => 24576,
        oa::ReasoningEffort::Unknown(_) => return None,
    })
}

/// A MIME type from a URL's extension, for `fileData`.
pub(crate) fn mime_from_url(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let extension = path.rsplit('.').next().unwrap_or("");
    // The extension in any case, without a lower-case copy of the URL.
    const TYPES: [(&str, &str); 9] = [
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
        ("pdf", "application/pdf"),
        ("mp3", "audio/mp3"),
        ("wav", "audio/wav"),
        ("mp4", "video/mp4"),
    ];
    TYPES
        .iter()
        .find(|(e, _)| extension.eq_ignore_ascii_case(e))
        .map_or("application/octet-stream", |(_, mime)| mime)
}

/// Whether `url` names a PDF another provider can fetch: an http(s) URL whose path ends in
/// `.pdf`. A file by URL (a Responses `input_file`'s `file_url`) carries no type; the
/// extension is the only word on it, and Anthropic's URL source (PDFs only) and Gemini's
/// `fileData` (which needs a type) go by it.
pub(crate) fn pdf_url(url: &str) -> bool {
    http_url(url) && mime_from_url(url) == "application/pdf"
}

/// Whether `url` is an http(s) URL (not `data:`, `gs://` or a provider's own file id).
pub(crate) fn http_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn user_parts(
    content: Option<oa::ChatCompletionRequestUserMessageContent>,
    at: &str,
    cx: &mut Cx,
) -> Result<Vec<ge::Part>, TranslateError> {
    let mut out = Vec::new();
    match content {
        None => {}
        Some(oa::ChatCompletionRequestUserMessageContent::String(s)) => out.push(gemini_text(s)),
        Some(oa::ChatCompletionRequestUserMessageContent::Array(parts)) => {
            for (j, part) in parts.into_iter().enumerate() {
                let here = format!("{at}/content/{j}");
                match part {
                    oa::ChatCompletionRequestUserMessageContentPart::Text(t) => {
                        cx.lose_extra(&here, &t.extra)?;
                        lose_breakpoint(t.prompt_cache_breakpoint.is_some(), &here, cx)?;
                        out.push(gemini_text(t.text.unwrap_or_default()));
                    }
                    oa::ChatCompletionRequestUserMessageContentPart::Image(img) => {
                        let image_url = img.image_url.unwrap_or_default();
                        let url = image_url.url.unwrap_or_default();
                        // No image without its URL.
                        if url.is_empty() {
                            cx.lose(here)?;
                            continue;
                        }
                        // `auto` (the default) asks for nothing the upstream does not do.
                        let auto =
                            oa::ChatCompletionRequestMessageContentPartImageImageUrlDetail::Auto;
                        if image_url.detail.as_ref().is_some_and(|d| *d != auto) {
                            cx.lose(format!("{here}/image_url/detail"))?;
                        }
                        lose_breakpoint(img.prompt_cache_breakpoint.is_some(), &here, cx)?;
                        out.push(media_part(&url));
                    }
                    oa::ChatCompletionRequestUserMessageContentPart::File(f) => {
                        let file = f.file.unwrap_or_default();
                        match file.file_data {
                            Some(data) if parse_data_url(&data).is_some() => {
                                // Gemini's inline data has no name, and the data makes
                                // an id beside it of no use.
                                if file.filename.is_some() {
                                    cx.lose(format!("{here}/file/filename"))?;
                                }
                                if file.file_id.is_some() {
                                    cx.lose(format!("{here}/file/file_id"))?;
                                }
                                lose_breakpoint(f.prompt_cache_breakpoint.is_some(), &here, cx)?;
                                out.push(media_part(&data))
                            }
                            _ => cx.lose(here)?,
                        }
                    }
                    oa::ChatCompletionRequestUserMessageContentPart::Audio(a) => {
                        lose_breakpoint(a.prompt_cache_breakpoint.is_some(), &here, cx)?;
                        let audio = a.input_audio.unwrap_or_default();
                        let format = serde_json::to_value(&audio.format)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_else(|| "wav".into());
                        out.push(ge::Part {
                            inline_data: Some(ge::Blob {
                                data: audio.data,
                                mime_type: Some(format!("audio/{format}")),
                                ..Default::default()
                            }),
                            ..Default::default()
                        });
                    }
                    oa::ChatCompletionRequestUserMessageContentPart::Unknown(_) => cx.lose(here)?,
                }
            }
        }
        Some(oa::ChatCompletionRequestUserMessageContent::Unknown(_)) => {
            cx.lose(format!("{at}/content"))?
        }
    }
    Ok(out)
}

/// Reports a part's cache breakpoint (Gemini caches by its own API, not by a hint).
fn lose_breakpoint(set: bool, here: &str, cx: &mut Cx) -> Result<(), TranslateError> {
    if set {
        cx.lose(format!("{here}/prompt_cache_breakpoint"))?;
    }
    Ok(())
}

/// A data URL as `inlineData`, anything else as `fileData`.
fn media_part(url: &str) -> ge::Part {
    match parse_data_url(url) {
        Some((media, data)) => ge::Part {
            inline_data: Some(ge::Blob {
                data: Some(data.to_owned()),
                mime_type: Some(media.to_owned()),
                ..Default::default()
            }),
            ..Default::default()
        },
        None => ge::Part {
            file_data: Some(ge::FileData {
                file_uri: Some(url.to_owned()),
                mime_type: Some(mime_from_url(url).to_owned()),
                ..Default::default()
            }),
            ..Default::default()
        },
    }
}

/// A tool result's text as Gemini's `response` object.
pub(crate) fn response_object(text: String) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("result".into(), Value::String(text));
    m
}

impl TryTranslate<ge::GenerateContentRequest> for oa::CreateChatCompletionRequest {
    fn try_translate(self, cx: &mut Cx) -> Result<ge::GenerateContentRequest, TranslateError> {
        let r = self;
        cx.lose_extra("", &r.extra)?;
        let mut system = Vec::new();
        let mut contents: Vec<ge::Content> = Vec::new();
        // Tool-call id → function name, from the assistant turns seen so far.
        let mut names: Vec<(String, String)> = Vec::new();
        for (i, m) in r.messages.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/messages/{i}");
            // Gemini's instructions have no speaker names.
            let named = match &m {
                oa::ChatCompletionRequestMessage::SystemMessage(s) => s.name.is_some(),
                oa::ChatCompletionRequestMessage::DeveloperMessage(s) => s.name.is_some(),
                _ => false,
            };
            if named {
                cx.lose(format!("{at}/name"))?;
            }
            // The reasoning extensions are read on the model's messages only (the unknown
            // fields' report, `read::CHAT`, passes them anywhere): elsewhere, reported.
            let extra = match &m {
                oa::ChatCompletionRequestMessage::SystemMessage(s) => Some(&s.extra),
                oa::ChatCompletionRequestMessage::DeveloperMessage(s) => Some(&s.extra),
                oa::ChatCompletionRequestMessage::ToolMessage(t) => Some(&t.extra),
                _ => None,
            };
            for key in ["reasoning_content", "thinking_blocks"] {
                if extra.is_some_and(|e| e.contains_key(key)) {
                    cx.lose(format!("{at}/{key}"))?;
                }
            }
            match m {
                oa::ChatCompletionRequestMessage::SystemMessage(s) => match s.content {
                    Some(oa::ChatCompletionRequestSystemMessageContent::String(t)) => {
                        system.push(gemini_text(t))
                    }
                    Some(oa::ChatCompletionRequestSystemMessageContent::Array(parts)) => system
                        .extend(
                            crate::build::chat_texts(
                                parts.into_iter().map(|p| p.0),
                                &at,
                                false,
                                cx,
                            )?
                            .into_iter()
                            .map(|(t, _)| gemini_text(t)),
                        ),
                    _ => cx.lose(format!("{at}/content"))?,
                },
                oa::ChatCompletionRequestMessage::DeveloperMessage(s) => match s.content {
                    Some(oa::ChatCompletionRequestDeveloperMessageContent::String(t)) => {
                        system.push(gemini_text(t))
                    }
                    Some(oa::ChatCompletionRequestDeveloperMessageContent::Array(parts)) => system
                        .extend(
                            crate::build::chat_texts(parts, &at, false, cx)?
                                .into_iter()
                                .map(|(t, _)| gemini_text(t)),
                        ),
                    _ => cx.lose(format!("{at}/content"))?,
                },
                oa::ChatCompletionRequestMessage::UserMessage(u) => {
                    cx.lose_extra(&at, &u.extra)?;
                    if u.name.is_some() {
                        cx.lose(format!("{at}/name"))?;
                    }
                    let parts = user_parts(u.content, &at, cx)?;
                    push_gemini_turn(&mut contents, "user", parts);
                }
                oa::ChatCompletionRequestMessage::AssistantMessage(a) => {
                    let mut extra = a.extra;
                    // Gemini's thought signature, carried in `thinking_blocks`.
                    crate::build::lose_thinking_block_fields(
                        extra.get("thinking_blocks"),
                        &at,
                        cx,
                    )?;
                    let reasoning = extra.shift_remove("reasoning_content");
                    let blocks = extra.shift_remove("thinking_blocks");
                    // Thinking text without the blocks that sign it: Gemini regenerates its
                    // thoughts, and takes none it cannot verify.
                    if blocks.is_none()
                        && reasoning
                            .as_ref()
                            .and_then(Value::as_str)
                            .is_some_and(|s| !s.is_empty())
                    {
                        cx.lose(format!("{at}/reasoning_content"))?;
                    }
                    let signature = thought_signature(blocks, &at, cx)?;
                    cx.lose_extra(&at, &extra)?;
                    for (key, set) in [
                        ("name", a.name.is_some()),
                        ("audio", matches!(a.audio, Some(Some(_)))),
                        ("function_call", matches!(a.function_call, Some(Some(_)))),
                    ] {
                        if set {
                            cx.lose(format!("{at}/{key}"))?;
                        }
                    }
                    let mut parts = Vec::new();
                    match a.content.flatten() {
                        Some(oa::ChatCompletionRequestAssistantMessageContent::String(t))
                            if !t.is_empty() =>
                        {
                            parts.push(gemini_text(t))
                        }
                        Some(oa::ChatCompletionRequestAssistantMessageContent::Array(ps)) => {
                            for (j, p) in ps.into_iter().enumerate() {
                                use oa::ChatCompletionRequestAssistantMessageContentPart as P;
                                match p {
                                    P::Text(t) => {
                                        let here = format!("{at}/content/{j}");
                                        let text =
                                            crate::build::chat_text_part(t, &here, false, cx)?;
                                        parts.extend(text.map(|(t, _)| gemini_text(t)))
                                    }
                                    // A refusal is the model's words too.
                                    P::Refusal(r) => {
                                        parts.push(gemini_text(r.refusal.unwrap_or_default()))
                                    }
                                    P::Unknown(_) => cx.lose(format!("{at}/content/{j}"))?,
                                }
                            }
                        }
                        Some(oa::ChatCompletionRequestAssistantMessageContent::Unknown(_)) => {
                            cx.lose(format!("{at}/content"))?
                        }
                        _ => {}
                    }
                    // A refusal is the model's words too.
                    if let Some(Some(refusal)) = a.refusal
                        && !refusal.is_empty()
                    {
                        parts.push(gemini_text(refusal));
                    }
                    let text_parts = parts.len();
                    for (j, call) in a
                        .tool_calls
                        .map(|c| c.0)
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                    {
                        let here = format!("{at}/tool_calls/{j}");
                        let oa::ChatCompletionMessageToolCallsItem::ToolCall(call) = call else {
                            cx.lose(here)?;
                            continue;
                        };
                        let f = call.function.unwrap_or_default();
                        let args: Map<String, Value> =
                            match serde_json::from_str(f.arguments.as_deref().unwrap_or("{}")) {
                                Ok(Value::Object(m)) => m,
                                _ => {
                                    return Err(TranslateError::Invalid(format!(
                                        "{here}/function/arguments is not a JSON object"
                                    )));
                                }
                            };
                        let name = f.name.unwrap_or_default();
                        if let Some(id) = &call.id {
                            names.push((id.clone(), name.clone()));
                        }
                        parts.push(ge::Part {
                            function_call: Some(ge::FunctionCall {
                                id: call.id,
                                name: Some(name),
                                args: Some(args),
                                ..Default::default()
                            }),
                            ..Default::default()
                        });
                    }
                    // The signature belongs on the first function call (else the first part).
                    if let Some(sig) = signature {
                        let target = if parts.len() > text_parts {
                            text_parts
                        } else {
                            0
                        };
                        if let Some(p) = parts.get_mut(target) {
                            p.thought_signature = Some(sig);
                        }
                    }
                    push_gemini_turn(&mut contents, "model", parts);
                }
                oa::ChatCompletionRequestMessage::ToolMessage(t) => {
                    let id = t.tool_call_id.unwrap_or_default();
                    let name = names
                        .iter()
                        .find(|(i, _)| *i == id)
                        .map(|(_, n)| n.clone())
                        .ok_or_else(|| {
                            TranslateError::Invalid(format!(
                                "{at}/tool_call_id: no earlier assistant tool call has the id {id:?}"
                            ))
                        })?;
                    let text = match t.content {
                        Some(oa::ChatCompletionRequestToolMessageContent::String(s)) => s,
                        Some(oa::ChatCompletionRequestToolMessageContent::Array(ps)) => {
                            crate::build::chat_texts(ps.into_iter().map(|p| p.0), &at, false, cx)?
                                .into_iter()
                                .map(|(t, _)| t)
                                .collect::<Vec<_>>()
                                .join("")
                        }
                        _ => String::new(),
                    };
                    let part = ge::Part {
                        function_response: Some(ge::FunctionResponse {
                            id: Some(id),
                            name: Some(name),
                            response: Some(response_object(text)),
                            ..Default::default()
                        }),
                        ..Default::default()
                    };
                    push_gemini_turn(&mut contents, "user", vec![part]);
                }
                oa::ChatCompletionRequestMessage::FunctionMessage(_)
                | oa::ChatCompletionRequestMessage::Unknown(_) => cx.lose(at)?,
            }
        }
        let (max_tokens, max_at) = match r.max_completion_tokens.flatten() {
            Some(n) => (Some(n), "/max_completion_tokens"),
            None => (r.max_tokens.flatten(), "/max_tokens"),
        };
        let mut config = ge::GenerationConfig {
            max_output_tokens: crate::build::gemini_int32(max_tokens, max_at, cx)?,
            temperature: r.temperature.flatten(),
            top_p: r.top_p.flatten(),
            seed: crate::build::gemini_int32(r.seed.flatten(), "/seed", cx)?,
            presence_penalty: r.presence_penalty.flatten(),
            frequency_penalty: r.frequency_penalty.flatten(),
            candidate_count: r.n.flatten(),
            ..Default::default()
        };
        match r.stop.flatten() {
            Some(oa::StopConfiguration::Variant0(Some(s))) => config.stop_sequences = Some(vec![s]),
            Some(oa::StopConfiguration::Variant1(v)) => config.stop_sequences = Some(v),
            Some(oa::StopConfiguration::Unknown(_)) => cx.lose("/stop")?,
            _ => {}
        }
        match r.response_format {
            None | Some(oa::CreateChatCompletionRequestResponseFormat::Text(_)) => {}
            Some(oa::CreateChatCompletionRequestResponseFormat::JsonSchema(s)) => {
                config.response_mime_type = Some("application/json".into());
                let schema = crate::build::chat_format_schema(s, cx)?.map(Value::Object);
                // `responseJsonSchema` (the generator numbers it: `_responseJsonSchema` is another field).
                config.response_json_schema_2 = schema;
            }
            Some(oa::CreateChatCompletionRequestResponseFormat::JsonObject(_)) => {
                config.response_mime_type = Some("application/json".into());
            }
            Some(oa::CreateChatCompletionRequestResponseFormat::Unknown(_)) => {
                cx.lose("/response_format")?
            }
        }
        if let Some(Some(oa::ReasoningEffort::Unknown(_))) = &r.reasoning_effort {
            cx.lose("/reasoning_effort")?;
        }
        if let Some(Some(effort)) = &r.reasoning_effort
            && let Some(b) = budget(effort)
        {
            config.thinking_config = Some(ge::ThinkingConfig {
                thinking_budget: Some(b),
                include_thoughts: Some(b > 0),
                ..Default::default()
            });
        }
        if matches!(r.logprobs, Some(Some(true))) {
            config.response_logprobs = Some(true);
            config.logprobs = r.top_logprobs;
        }
        let mut declarations = Vec::new();
        for (i, t) in r.tools.unwrap_or_default().into_iter().enumerate() {
            let oa::CreateChatCompletionRequestToolsItem::ChatCompletionTool(t) = t else {
                cx.lose(format!("/tools/{i}"))?;
                continue;
            };
            let f = t.function.unwrap_or_default();
            if matches!(f.strict, Some(Some(true))) {
                cx.lose(format!("/tools/{i}/function/strict"))?;
            }
            declarations.push(ge::FunctionDeclaration {
                name: f.name,
                description: f.description,
                parameters_json_schema: f.parameters.map(|p| Value::Object(p.0)),
                ..Default::default()
            });
        }
        let mut out = ge::GenerateContentRequest {
            contents: Some(contents),
            generation_config: Some(config),
            ..Default::default()
        };
        if !system.is_empty() {
            out.system_instruction = Some(ge::Content {
                parts: Some(system),
                ..Default::default()
            });
        }
        if !declarations.is_empty() {
            out.tools = Some(vec![ge::Tool {
                function_declarations: Some(declarations),
                ..Default::default()
            }]);
        }
        let mode = |m: ge::FunctionCallingConfigMode, names: Option<Vec<String>>| ge::ToolConfig {
            function_calling_config: Some(ge::FunctionCallingConfig {
                mode: Some(m),
                allowed_function_names: names,
                ..Default::default()
            }),
            ..Default::default()
        };
        out.tool_config = match r.tool_choice {
            None => None,
            Some(oa::ChatCompletionToolChoiceOption::String(s)) => match s {
                oa::ChatCompletionToolChoiceOptionString::Auto => {
                    Some(mode(ge::FunctionCallingConfigMode::Auto, None))
                }
                oa::ChatCompletionToolChoiceOptionString::Required => {
                    Some(mode(ge::FunctionCallingConfigMode::Any, None))
                }
                oa::ChatCompletionToolChoiceOptionString::None => {
                    Some(mode(ge::FunctionCallingConfigMode::None, None))
                }
                oa::ChatCompletionToolChoiceOptionString::Unknown(_) => {
                    cx.lose("/tool_choice")?;
                    None
                }
            },
            Some(oa::ChatCompletionToolChoiceOption::ChatCompletionNamedToolChoice(n)) => {
                let name = n.function.and_then(|f| f.name).unwrap_or_default();
                Some(mode(ge::FunctionCallingConfigMode::Any, Some(vec![name])))
            }
            Some(_) => {
                cx.lose("/tool_choice")?;
                None
            }
        };
        use crate::tier::{self, Family, Mapped};
        let tier = match &r.service_tier {
            Some(Some(t)) => tier::map(&tier::word_of(t), Family::OpenAi, Family::Gemini),
            _ => Mapped::Default,
        };
        if let Mapped::Sent(word) = tier {
            out.service_tier = tier::typed(word);
        }
        let lost: &[(&str, bool)] = &[
            // Gemini may call several functions at once and has no switch: only turning
            // parallel calls off is lost.
            (
                "/parallel_tool_calls",
                r.parallel_tool_calls.as_ref().is_some_and(|p| !p.0),
            ),
            ("/logit_bias", matches!(r.logit_bias, Some(Some(_)))),
            ("/user", matches!(r.user, Some(Some(_)))),
            ("/metadata", matches!(r.metadata, Some(Some(_)))),
            ("/store", matches!(r.store, Some(Some(true)))),
            ("/service_tier", tier == Mapped::Lost),
            ("/audio", matches!(r.audio, Some(Some(_)))),
            ("/modalities", matches!(r.modalities, Some(Some(_)))),
            ("/prediction", matches!(r.prediction, Some(Some(_)))),
            ("/web_search_options", r.web_search_options.is_some()),
            ("/functions", r.functions.is_some()),
            ("/function_call", r.function_call.is_some()),
            // `medium` is the default: nothing to lose.
            (
                "/verbosity",
                matches!(&r.verbosity, Some(Some(v)) if *v != oa::Verbosity::Medium),
            ),
            ("/moderation", matches!(r.moderation, Some(Some(_)))),
            (
                "/safety_identifier",
                matches!(r.safety_identifier, Some(Some(_))),
            ),
            (
                "/prompt_cache_key",
                matches!(r.prompt_cache_key, Some(Some(_))),
            ),
            (
                "/prompt_cache_retention",
                matches!(r.prompt_cache_retention, Some(Some(_))),
            ),
            ("/prompt_cache_options", r.prompt_cache_options.is_some()),
        ];
        for &(pointer, present) in lost {
            if present {
                cx.lose(pointer)?;
            }
        }
        if let Some(Some(options)) = &r.stream_options {
            cx.lose_extra("/stream_options", &options.extra)?;
        }
        Ok(out)
    }
}

/// Gemini's finish reason → OpenAI's (`tool_calls` when the candidate called functions).
pub(crate) fn finish_reason(
    reason: Option<&ge::CandidateFinishReason>,
    called: bool,
) -> &'static str {
    use ge::CandidateFinishReason as F;
    match reason {
        Some(F::MaxTokens) => "length",
        Some(
            F::Safety
            | F::Recitation
            | F::Blocklist
            | F::ProhibitedContent
            | F::Spii
            | F::ImageSafety
            | F::ImageProhibitedContent
            | F::Language,
        ) => "content_filter",
        _ if called => "tool_calls",
        _ => "stop",
    }
}

/// OpenAI usage from Gemini's metadata (completion tokens include thoughts).
pub(crate) fn usage(u: &ge::UsageMetadata) -> Value {
    let prompt = u
        .prompt_token_count
        .unwrap_or(0)
        .saturating_add(u.tool_use_prompt_token_count.unwrap_or(0));
    let thoughts = u.thoughts_token_count.unwrap_or(0);
    let completion = u
        .candidates_token_count
        .unwrap_or(0)
        .saturating_add(thoughts);
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt.saturating_add(completion),
        "prompt_tokens_details": {"cached_tokens": u.cached_content_token_count.unwrap_or(0)},
        "completion_tokens_details": {"reasoning_tokens": thoughts},
    })
}

/// The thought signature a Chat assistant message's `thinking_blocks` carry (the first
/// block's with one, as this pair's answers give it: one per signed part); every other
/// block is reported, for Gemini takes one signature per part and there is no telling
/// which part another belonged to.
fn thought_signature(
    blocks: Option<Value>,
    at: &str,
    cx: &mut Cx,
) -> Result<Option<String>, TranslateError> {
    let blocks = match blocks {
        None => return Ok(None),
        Some(Value::Array(blocks)) => blocks,
        Some(_) => {
            cx.lose(format!("{at}/thinking_blocks"))?;
            return Ok(None);
        }
    };
    let signature = |b: &Value| {
        b.get("signature")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let used = blocks.iter().position(|b| signature(b).is_some());
    for j in (0..blocks.len()).filter(|&j| Some(j) != used) {
        cx.lose(format!("{at}/thinking_blocks/{j}"))?;
    }
    Ok(used.and_then(|j| signature(&blocks[j])))
}

/// A synthesized tool-call id, stable for a response: Gemini calls may have none.
fn call_id(response_id: &str, index: usize) -> String {
    format!(
        "call_{}_{index}",
        if response_id.is_empty() {
            "gemini"
        } else {
            response_id
        }
    )
}

/// One candidate's parts → (content, reasoning, tool calls, thinking blocks).
fn split_parts(
    parts: Vec<ge::Part>,
    response_id: &str,
    first_call: usize,
    cx: &mut Cx,
    at: &str,
) -> Result<(String, String, Vec<Value>, Vec<Value>), TranslateError> {
    let (mut text, mut reasoning, mut calls, mut blocks) =
        (String::new(), String::new(), Vec::new(), Vec::new());
    for (j, p) in parts.into_iter().enumerate() {
        let thought = p.thought == Some(true);
        if let Some(sig) = &p.thought_signature {
            blocks.push(json!({"type": "thinking", "thinking": "", "signature": sig}));
        }
        if let Some(t) = p.text {
            if thought {
                reasoning.push_str(&t);
            } else {
                text.push_str(&t);
            }
        } else if let Some(f) = p.function_call {
            let id =
                f.id.unwrap_or_else(|| call_id(response_id, first_call + calls.len()));
            let args = Value::Object(f.args.unwrap_or_default()).to_string();
            calls.push(json!({"id": id, "type": "function", "function": {"name": f.name, "arguments": args}}));
        } else if p.thought_signature.is_none() {
            cx.lose(format!("{at}/parts/{j}"))?;
        }
    }
    Ok((text, reasoning, calls, blocks))
}

/// A whole Gemini response → an OpenAI chat completion (as JSON).
pub fn response(
    r: ge::GenerateContentResponse,
    caller_model: &str,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let response_id = r.response_id.clone().unwrap_or_default();
    let mut choices = Vec::new();
    for (i, c) in r.candidates.unwrap_or_default().into_iter().enumerate() {
        let at = format!("/candidates/{i}/content");
        let parts = c.content.and_then(|c| c.parts).unwrap_or_default();
        let (text, reasoning, calls, blocks) = split_parts(parts, &response_id, 0, cx, &at)?;
        let called = !calls.is_empty();
        let mut msg = json!({"role": "assistant", "content": if text.is_empty() && called { Value::Null } else { Value::String(text) }, "refusal": null});
        if called {
            msg["tool_calls"] = Value::Array(calls);
        }
        if !reasoning.is_empty() {
            msg["reasoning_content"] = Value::String(reasoning);
        }
        if !blocks.is_empty() {
            msg["thinking_blocks"] = Value::Array(blocks);
        }
        choices.push(json!({"index": i, "message": msg, "logprobs": null,
                            "finish_reason": finish_reason(c.finish_reason.as_ref(), called)}));
    }
    if choices.is_empty() {
        // A blocked prompt: no candidates, the reason in promptFeedback.
        let blocked = r
            .prompt_feedback
            .as_ref()
            .and_then(|f| f.block_reason.as_ref())
            .is_some();
        choices.push(json!({"index": 0, "message": {"role": "assistant", "content": "", "refusal": null}, "logprobs": null,
                            "finish_reason": if blocked { "content_filter" } else { "stop" }}));
    }
    let u = r.usage_metadata.unwrap_or_default();
    let mut answer = json!({
        "id": if response_id.is_empty() { "chatcmpl-gemini".to_owned() } else { response_id },
        "object": "chat.completion",
        "created": crate::now_secs(),
        "model": caller_model,
        "choices": choices,
        "usage": usage(&u),
    });
    if let Some(word) =
        served_by_gemini(Some(&u), Family::OpenAi, "/usageMetadata/serviceTier", cx)?
    {
        answer["service_tier"] = json!(word);
    }
    Ok(answer)
}

/// A Gemini error body → OpenAI's error shape.
pub fn error(status: u16, body: &[u8]) -> Bytes {
    crate::responses::error_body(status, body)
}

/// Per-request state of the OpenAI-caller / Gemini-upstream pair.
#[derive(Debug)]
pub struct ChatToGemini {
    cx: Cx,
    caller_model: String,
    include_usage: bool,
    started: bool,
    id: String,
    created: i64,
    calls: usize,
    finished: bool,
    usage: Option<ge::UsageMetadata>,
    /// The tier that served the answer (from the latest `usageMetadata` that names one),
    /// on every chunk from then on.
    tier: Option<&'static str>,
    complete: bool,
    /// The rendered start of every chunk (see `fast_delta`).
    prefix: Vec<u8>,
    /// The last upstream chunk the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<crate::fast::GeminiShape>,
}

impl ChatToGemini {
    pub fn new(strict: bool) -> Self {
        ChatToGemini {
            cx: Cx::new("gemini", strict),
            caller_model: String::new(),
            include_usage: false,
            started: false,
            id: String::new(),
            created: 0,
            calls: 0,
            finished: false,
            usage: None,
            tier: None,
            complete: false,
            prefix: Vec::new(),
            memo: Default::default(),
        }
    }

    /// A chunk of one text or thought part, written as a Chat chunk in bytes; false for
    /// anything else (left to the general path).
    fn fast_delta(&mut self, data: &str, out: &mut Vec<u8>) -> bool {
        use crate::fast::Piece;
        let Some((piece, usage)) = crate::fast::gemini(data, &mut self.memo) else {
            return false;
        };
        if let Some(u) = usage {
            u.store(self.usage.get_or_insert_with(Default::default));
            if self.learn_tier().is_err() {
                return false;
            }
        }
        if self.prefix.is_empty() {
            self.prefix =
                crate::fast::chat_prefix(&self.id, self.created, &self.caller_model, self.tier);
        }
        match piece {
            Piece::Text(t) if !t.is_empty() => {
                crate::fast::chat_chunk(&self.prefix, "content", &t, None, out)
            }
            Piece::Thinking(t) if !t.is_empty() => {
                crate::fast::chat_chunk(&self.prefix, "reasoning_content", &t, None, out)
            }
            _ => {}
        }
        true
    }

    /// The tier the usage names, if it names one: on the chunks from now on.
    fn learn_tier(&mut self) -> Result<(), TranslateError> {
        let at = "/stream/usageMetadata/serviceTier";
        let word = served_by_gemini(self.usage.as_ref(), Family::OpenAi, at, &mut self.cx)?;
        if word.is_some() && word != self.tier {
            self.tier = word;
            self.prefix.clear();
        }
        Ok(())
    }

    fn chunk(&self, delta: Value, finish: Option<&str>) -> Value {
        let choices =
            json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]);
        crate::fast::chat_head(
            &self.id,
            self.created,
            &self.caller_model,
            self.tier,
            choices,
        )
    }
}

impl Translator for ChatToGemini {
    fn request(&mut self, body: &[u8], _model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        if let Some(p) = plain::chat(body)
            && let Some(out) = plain::to_gemini(&p, true, false)
            && plain::report_openai_losses(&p, plain::LossesTo::Gemini, &mut self.cx).is_some()
        {
            self.caller_model = plain::caller_model(&p);
            self.include_usage = p.include_usage == Some(true);
            return Ok(plain::sent(out, p.stream == Some(true)));
        }
        let req: oa::CreateChatCompletionRequest =
            serde_json::from_slice(body).map_err(|e| TranslateError::Invalid(e.to_string()))?;
        let unknown = crate::Unknowns::unknowns(&req);
        self.caller_model = req
            .model
            .as_ref()
            .and_then(|m| serde_json::to_value(m).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.include_usage =
            matches!(&req.stream_options, Some(Some(o)) if o.include_usage == Some(true));
        let stream = matches!(req.stream, Some(Some(true)));
        let out: ge::GenerateContentRequest = req.try_translate(&mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::CHAT)?;
        crate::build::encode(&out, stream, &mut self.cx, |_| {}, crate::fixups::gemini)
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let r: ge::GenerateContentResponse =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let v = response(r, &self.caller_model, &mut self.cx)?;
        Ok(Bytes::from(v.to_string()))
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if self.started && self.fast_delta(data, out) {
            return Ok(());
        }
        let r = match crate::gemini_chunk(data)? {
            crate::GeminiChunk::Answer(r) => *r,
            crate::GeminiChunk::Error(v) => {
                let e = error(crate::gemini_error_status(&v), data.as_bytes());
                aigw_sse::encode(None, std::str::from_utf8(&e).unwrap_or("{}"), out);
                aigw_sse::encode(None, "[DONE]", out);
                self.complete = true;
                return Ok(());
            }
        };
        if let Some(u) = r.usage_metadata {
            self.usage = Some(u);
            self.learn_tier()?;
        }
        if !self.started {
            self.started = true;
            self.id = r
                .response_id
                .clone()
                .unwrap_or_else(|| "chatcmpl-gemini".into());
            self.created = crate::now_secs();
            crate::sse(
                out,
                None,
                &self.chunk(json!({"role": "assistant", "content": ""}), None),
            );
        }
        let candidate = r
            .candidates
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default();
        let parts = candidate.content.and_then(|c| c.parts).unwrap_or_default();
        let (text, reasoning, calls, blocks) =
            split_parts(parts, &self.id, self.calls, &mut self.cx, "/stream")?;
        if !reasoning.is_empty() {
            crate::sse(
                out,
                None,
                &self.chunk(json!({"reasoning_content": reasoning}), None),
            );
        }
        if !blocks.is_empty() {
            crate::sse(
                out,
                None,
                &self.chunk(json!({"thinking_blocks": blocks}), None),
            );
        }
        if !text.is_empty() {
            crate::sse(out, None, &self.chunk(json!({"content": text}), None));
        }
        for mut call in calls {
            call["index"] = json!(self.calls);
            self.calls += 1;
            crate::sse(out, None, &self.chunk(json!({"tool_calls": [call]}), None));
        }
        if let Some(reason) = candidate.finish_reason {
            let finish = finish_reason(Some(&reason), self.calls > 0);
            crate::sse(out, None, &self.chunk(json!({}), Some(finish)));
            self.finished = true;
        }
        Ok(())
    }

    fn stream_complete(&self) -> bool {
        self.complete
    }

    fn stream_finish(&mut self, out: &mut Vec<u8>) -> bool {
        if self.complete {
            return true;
        }
        if !self.finished {
            return false;
        }
        if self.include_usage {
            let mut last = self.chunk(json!({}), None);
            last["choices"] = json!([]);
            last["usage"] = usage(&self.usage.clone().unwrap_or_default());
            crate::sse(out, None, &last);
        }
        aigw_sse::encode(None, "[DONE]", out);
        self.complete = true;
        true
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        let body = json!({"error": {"message": message, "type": "server_error", "param": null, "code": "upstream_stream_error"}});
        crate::sse(out, None, &body);
        aigw_sse::encode(None, "[DONE]", out);
        self.complete = true;
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        error(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
