//! OpenAI Chat Completions caller → Anthropic Messages upstream.
//!
//! Request: system and developer messages become `system`; user parts become text, image
//! (base64 or URL) and document (PDF) blocks; assistant tool calls become `tool_use`
//! blocks (arguments parsed), tool messages `tool_result` blocks in the following user turn
//! (consecutive same-role turns merged); `thinking_blocks` / `reasoning_content` on an
//! assistant message (the convention OpenAI-shaped clients use to carry Anthropic thinking)
//! become thinking blocks with their signatures; tools, `tool_choice` (`required` → `any`,
//! `parallel_tool_calls: false` → `disable_parallel_tool_use`), `response_format`
//! json_schema → `output_config.format`, `reasoning_effort` → a thinking budget,
//! `max_completion_tokens`/`max_tokens` → `max_tokens`, `stop` → `stop_sequences`, `user` →
//! `metadata.user_id`. What has no counterpart (`logit_bias`, `logprobs`, `seed`,
//! penalties, `n`, audio, ...) is reported.
//!
//! Response: text blocks → `content`, `tool_use` → `tool_calls`, thinking →
//! `reasoning_content` plus `thinking_blocks` (with signatures, so the next turn can send
//! them back), stop reasons → finish reasons, usage with cache reads and writes.
//!
//! Stream: a state machine from Anthropic's typed events to chat chunks: role chunk first,
//! text and thinking deltas, one tool call per `tool_use` block with a stable index and its
//! `input_json_delta`s as argument deltas, the finish chunk, the usage chunk when
//! `stream_options.include_usage` asked for it, `[DONE]`; `ping` becomes an SSE comment;
//! Anthropic's `error` event becomes an OpenAI error chunk.

use aigw_anthropic as an;
use aigw_openai as oa;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::build::push_anthropic_turn;
use crate::tier::{Family, served_by_anthropic};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, TryTranslate, parse_data_url};

/// Output tokens asked for when the caller sets no limit (Anthropic requires one).
pub const DEFAULT_MAX_TOKENS: i64 = 4096;

/// Thinking budgets for OpenAI's `reasoning_effort` values.
pub(crate) fn thinking_budget(effort: &oa::ReasoningEffort) -> Option<i64> {
    Some(match effort {
        oa::ReasoningEffort::None => return None,
        oa::ReasoningEffort::Minimal | oa::ReasoningEffort::Low => 1024,
        oa::ReasoningEffort::Medium => 4096,
        oa::ReasoningEffort::High => 16384,
        oa::ReasoningEffort::Xhigh | oa::ReasoningEffort::Max => 32768,
        // A value the spec does not list: reported by the caller.
        oa::ReasoningEffort::Unknown(_) => return None,
    })
}

fn text_block(text: String) -> an::InputContentBlock {
    an::InputContentBlock::TextBlock(an::RequestTextBlock {
        text: Some(text),
        type_: Some(an::RequestTextBlockType::Text),
        ..Default::default()
    })
}

fn ephemeral() -> Option<Option<an::CacheControlEphemeral>> {
    Some(Some(an::CacheControlEphemeral {
        type_: Some(an::CacheControlEphemeralType::Ephemeral),
        ..Default::default()
    }))
}

fn image_block(url: &str, at: &str, cx: &mut Cx) -> Result<an::InputContentBlock, TranslateError> {
    let source = match parse_data_url(url) {
        Some((media, data)) => {
            let media_type = match media {
                "image/jpeg" | "image/jpg" => an::Base64ImageSourceMediaType::ImageJpeg,
                "image/png" => an::Base64ImageSourceMediaType::ImagePng,
                "image/gif" => an::Base64ImageSourceMediaType::ImageGif,
                "image/webp" => an::Base64ImageSourceMediaType::ImageWebp,
                other => {
                    return Err(TranslateError::Unsupported(format!(
                        "{at}: Anthropic takes jpeg, png, gif and webp images, not {other}"
                    )));
                }
            };
            an::RequestImageBlockSource::Base64ImageSource(an::Base64ImageSource {
                data: Some(data.to_owned()),
                media_type: Some(media_type),
                type_: Some(an::Base64ImageSourceType::Base64),
                ..Default::default()
            })
        }
        None if url.starts_with("http://") || url.starts_with("https://") => {
            an::RequestImageBlockSource::UrlImageSource(an::UrlImageSource {
                url: Some(url.to_owned()),
                type_: Some(an::UrlImageSourceType::Url),
                ..Default::default()
            })
        }
        None => {
            cx.lose(at)?;
            return Err(TranslateError::Invalid(format!(
                "{at}: not a data: or http(s) URL"
            )));
        }
    };
    Ok(an::InputContentBlock::ImageBlock(an::RequestImageBlock {
        source: Some(source),
        type_: Some(an::RequestImageBlockType::Image),
        ..Default::default()
    }))
}

fn text_of_parts<I: IntoIterator<Item = oa::ChatCompletionRequestMessageContentPartText>>(
    parts: I,
    at: &str,
    cx: &mut Cx,
) -> Result<Vec<an::RequestTextBlock>, TranslateError> {
    Ok(crate::build::chat_texts(parts, at, true, cx)?
        .into_iter()
        .map(text_block_of)
        .collect())
}

/// A text block, with its cache breakpoint.
fn text_block_of((text, breakpoint): (String, bool)) -> an::RequestTextBlock {
    an::RequestTextBlock {
        text: Some(text),
        type_: Some(an::RequestTextBlockType::Text),
        cache_control: if breakpoint { ephemeral() } else { None },
        ..Default::default()
    }
}

fn user_blocks(
    content: Option<oa::ChatCompletionRequestUserMessageContent>,
    at: &str,
    cx: &mut Cx,
) -> Result<Vec<an::InputContentBlock>, TranslateError> {
    let mut out = Vec::new();
    match content {
        None => {}
        Some(oa::ChatCompletionRequestUserMessageContent::String(s)) => out.push(text_block(s)),
        Some(oa::ChatCompletionRequestUserMessageContent::Array(parts)) => {
            for (j, part) in parts.into_iter().enumerate() {
                let here = format!("{at}/content/{j}");
                match part {
                    oa::ChatCompletionRequestUserMessageContentPart::Text(t) => {
                        let text = crate::build::chat_text_part(t, &here, true, cx)?;
                        out.extend(
                            text.map(text_block_of)
                                .map(an::InputContentBlock::TextBlock),
                        );
                    }
                    oa::ChatCompletionRequestUserMessageContentPart::Image(img) => {
                        cx.lose_extra(&here, &img.extra)?;
                        let image_url = img.image_url.unwrap_or_default();
                        // `auto` (the default) asks for nothing the upstream does not do.
                        let auto =
                            oa::ChatCompletionRequestMessageContentPartImageImageUrlDetail::Auto;
                        if image_url.detail.as_ref().is_some_and(|d| *d != auto) {
                            cx.lose(format!("{here}/image_url/detail"))?;
                        }
                        let mut block =
                            image_block(image_url.url.as_deref().unwrap_or(""), &here, cx)?;
                        // A cache breakpoint is Anthropic's cache hint, as on a text.
                        if img.prompt_cache_breakpoint.is_some()
                            && let an::InputContentBlock::ImageBlock(b) = &mut block
                        {
                            b.cache_control = ephemeral();
                        }
                        out.push(block);
                    }
                    oa::ChatCompletionRequestUserMessageContentPart::File(f) => {
                        let file = f.file.unwrap_or_default();
                        let document = file.file_data.as_deref().and_then(parse_data_url);
                        // A file given by its data has no use for an id beside it.
                        if document.is_some() && file.file_id.is_some() {
                            cx.lose(format!("{here}/file/file_id"))?;
                        }
                        match document {
                            Some(("application/pdf", data)) => {
                                out.push(an::InputContentBlock::DocumentBlock(an::RequestDocumentBlock {
                                    source: Some(an::RequestDocumentBlockSource::Base64PdfSource(an::Base64PdfSource {
                                        data: Some(data.to_owned()),
                                        media_type: Some(an::Base64PdfSourceMediaType::ApplicationPdf),
                                        type_: Some(an::Base64PdfSourceType::Base64),
                                        ..Default::default()
                                    })),
                                    title: file.filename.map(Some),
                                    type_: Some(an::RequestDocumentBlockType::Document),
                                    cache_control: if f.prompt_cache_breakpoint.is_some() {
                                        ephemeral()
                                    } else {
                                        None
                                    },
                                    ..Default::default()
                                }));
                            }
                            _ => cx.lose(here)?,
                        }
                    }
                    oa::ChatCompletionRequestUserMessageContentPart::Audio(_)
                    | oa::ChatCompletionRequestUserMessageContentPart::Unknown(_) => {
                        cx.lose(here)?
                    }
                }
            }
        }
        Some(oa::ChatCompletionRequestUserMessageContent::Unknown(_)) => {
            cx.lose(format!("{at}/content"))?
        }
    }
    Ok(out)
}

/// Thinking blocks an OpenAI-shaped client carries on an assistant message
/// (`thinking_blocks: [{type, thinking, signature}]`, or `reasoning_content` alone).
fn thinking_blocks(
    extra: &mut Map<String, Value>,
    at: &str,
    cx: &mut Cx,
) -> Result<Vec<an::InputContentBlock>, TranslateError> {
    let mut out = Vec::new();
    let reasoning = extra.shift_remove("reasoning_content");
    crate::build::lose_thinking_block_fields(extra.get("thinking_blocks"), at, cx)?;
    match extra.shift_remove("thinking_blocks") {
        Some(Value::Array(blocks)) => {
            for b in blocks {
                match b.get("type").and_then(Value::as_str) {
                    Some("thinking") => out.push(an::InputContentBlock::ThinkingBlock(
                        an::RequestThinkingBlock {
                            thinking: Some(
                                b.get("thinking")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_owned(),
                            ),
                            signature: Some(
                                b.get("signature")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_owned(),
                            ),
                            type_: Some(an::RequestThinkingBlockType::Thinking),
                            ..Default::default()
                        },
                    )),
                    Some("redacted_thinking") => {
                        out.push(an::InputContentBlock::RedactedThinkingBlock(
                            an::RequestRedactedThinkingBlock {
                                data: Some(
                                    b.get("data")
                                        .and_then(Value::as_str)
                                        .unwrap_or("")
                                        .to_owned(),
                                ),
                                type_: Some(an::RequestRedactedThinkingBlockType::RedactedThinking),
                                ..Default::default()
                            },
                        ))
                    }
                    _ => cx.lose(format!("{at}/thinking_blocks"))?,
                }
            }
        }
        Some(_) => cx.lose(format!("{at}/thinking_blocks"))?,
        None => {
            // Thinking text without a signature cannot be verified by Anthropic: reported.
            if reasoning
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
            {
                cx.lose(format!("{at}/reasoning_content"))?;
            }
        }
    }
    Ok(out)
}

impl TryTranslate<an::CreateMessageParams> for oa::CreateChatCompletionRequest {
    fn try_translate(self, cx: &mut Cx) -> Result<an::CreateMessageParams, TranslateError> {
        let r = self;
        cx.lose_extra("", &r.extra)?;
        let mut system: Vec<an::RequestTextBlock> = Vec::new();
        let mut messages: Vec<an::InputMessage> = Vec::new();
        for (i, m) in r.messages.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/messages/{i}");
            match m {
                oa::ChatCompletionRequestMessage::SystemMessage(s) => {
                    cx.lose_extra(&at, &s.extra)?;
                    if s.name.is_some() {
                        cx.lose(format!("{at}/name"))?;
                    }
                    match s.content {
                        Some(oa::ChatCompletionRequestSystemMessageContent::String(t)) => system
                            .push(an::RequestTextBlock {
                                text: Some(t),
                                type_: Some(an::RequestTextBlockType::Text),
                                ..Default::default()
                            }),
                        Some(oa::ChatCompletionRequestSystemMessageContent::Array(parts)) => {
                            system.extend(text_of_parts(parts.into_iter().map(|p| p.0), &at, cx)?)
                        }
                        _ => cx.lose(format!("{at}/content"))?,
                    }
                }
                oa::ChatCompletionRequestMessage::DeveloperMessage(s) => {
                    cx.lose_extra(&at, &s.extra)?;
                    if s.name.is_some() {
                        cx.lose(format!("{at}/name"))?;
                    }
                    match s.content {
                        Some(oa::ChatCompletionRequestDeveloperMessageContent::String(t)) => system
                            .push(an::RequestTextBlock {
                                text: Some(t),
                                type_: Some(an::RequestTextBlockType::Text),
                                ..Default::default()
                            }),
                        Some(oa::ChatCompletionRequestDeveloperMessageContent::Array(parts)) => {
                            system.extend(text_of_parts(parts, &at, cx)?)
                        }
                        _ => cx.lose(format!("{at}/content"))?,
                    }
                }
                oa::ChatCompletionRequestMessage::UserMessage(u) => {
                    cx.lose_extra(&at, &u.extra)?;
                    if u.name.is_some() {
                        cx.lose(format!("{at}/name"))?;
                    }
                    let blocks = user_blocks(u.content, &at, cx)?;
                    push_anthropic_turn(&mut messages, an::InputMessageRole::User, blocks);
                }
                oa::ChatCompletionRequestMessage::AssistantMessage(a) => {
                    let mut extra = a.extra;
                    let mut blocks = thinking_blocks(&mut extra, &at, cx)?;
                    cx.lose_extra(&at, &extra)?;
                    if a.name.is_some() {
                        cx.lose(format!("{at}/name"))?;
                    }
                    if matches!(a.audio, Some(Some(_))) {
                        cx.lose(format!("{at}/audio"))?;
                    }
                    if matches!(a.function_call, Some(Some(_))) {
                        cx.lose(format!("{at}/function_call"))?;
                    }
                    match a.content.flatten() {
                        None => {}
                        Some(oa::ChatCompletionRequestAssistantMessageContent::String(t))
                            if !t.is_empty() =>
                        {
                            blocks.push(text_block(t));
                        }
                        Some(oa::ChatCompletionRequestAssistantMessageContent::String(_)) => {}
                        Some(oa::ChatCompletionRequestAssistantMessageContent::Array(parts)) => {
                            for (j, p) in parts.into_iter().enumerate() {
                                match p {
                                    oa::ChatCompletionRequestAssistantMessageContentPart::Text(t) => blocks.push(text_block(t.text.unwrap_or_default())),
                                    oa::ChatCompletionRequestAssistantMessageContentPart::Refusal(r) => {
                                        blocks.push(text_block(r.refusal.unwrap_or_default()))
                                    }
                                    oa::ChatCompletionRequestAssistantMessageContentPart::Unknown(_) => {
                                        cx.lose(format!("{at}/content/{j}"))?
                                    }
                                }
                            }
                        }
                        Some(oa::ChatCompletionRequestAssistantMessageContent::Unknown(_)) => {
                            cx.lose(format!("{at}/content"))?
                        }
                    }
                    if let Some(Some(refusal)) = a.refusal {
                        blocks.push(text_block(refusal));
                    }
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
                        let function = call.function.unwrap_or_default();
                        let arguments = function.arguments.unwrap_or_default();
                        let input: Map<String, Value> = if arguments.trim().is_empty() {
                            Map::new()
                        } else {
                            match serde_json::from_str(&arguments) {
                                Ok(Value::Object(m)) => m,
                                _ => {
                                    return Err(TranslateError::Invalid(format!(
                                        "{here}/function/arguments is not a JSON object"
                                    )));
                                }
                            }
                        };
                        blocks.push(an::InputContentBlock::ToolUseBlock(
                            an::RequestToolUseBlock {
                                id: call.id,
                                name: function.name,
                                input: Some(input),
                                type_: Some(an::RequestToolUseBlockType::ToolUse),
                                ..Default::default()
                            },
                        ));
                    }
                    push_anthropic_turn(&mut messages, an::InputMessageRole::Assistant, blocks);
                }
                oa::ChatCompletionRequestMessage::ToolMessage(t) => {
                    cx.lose_extra(&at, &t.extra)?;
                    let content = match t.content {
                        Some(oa::ChatCompletionRequestToolMessageContent::String(s)) => {
                            an::RequestToolResultBlockContent::String(s)
                        }
                        Some(oa::ChatCompletionRequestToolMessageContent::Array(parts)) => {
                            an::RequestToolResultBlockContent::Array(
                                text_of_parts(parts.into_iter().map(|p| p.0), &at, cx)?
                                    .into_iter()
                                    .map(an::RequestToolResultBlockContentArrayItem::TextBlock)
                                    .collect(),
                            )
                        }
                        _ => an::RequestToolResultBlockContent::String(String::new()),
                    };
                    let block =
                        an::InputContentBlock::ToolResultBlock(an::RequestToolResultBlock {
                            tool_use_id: t.tool_call_id,
                            content: Some(content),
                            type_: Some(an::RequestToolResultBlockType::ToolResult),
                            ..Default::default()
                        });
                    push_anthropic_turn(&mut messages, an::InputMessageRole::User, vec![block]);
                }
                oa::ChatCompletionRequestMessage::FunctionMessage(_)
                | oa::ChatCompletionRequestMessage::Unknown(_) => cx.lose(at)?,
            }
        }

        let mut out = an::CreateMessageParams {
            messages: Some(messages),
            ..Default::default()
        };
        if !system.is_empty() {
            out.system = Some(an::CreateMessageParamsSystem::Array(system));
        }
        let max_tokens = r
            .max_completion_tokens
            .flatten()
            .or(r.max_tokens.flatten())
            .unwrap_or(DEFAULT_MAX_TOKENS);
        out.max_tokens = Some(max_tokens);
        if let Some(Some(t)) = r.temperature {
            let v = t.as_f64().unwrap_or(1.0);
            if v > 1.0 {
                // Anthropic's range is 0..1; OpenAI's 0..2.
                cx.lose("/temperature")?;
                out.temperature = serde_json::Number::from_f64(1.0);
            } else {
                out.temperature = Some(t);
            }
        }
        out.top_p = r.top_p.flatten();
        match r.stop.flatten() {
            Some(oa::StopConfiguration::Variant0(Some(s))) => out.stop_sequences = Some(vec![s]),
            Some(oa::StopConfiguration::Variant1(v)) => out.stop_sequences = Some(v),
            Some(oa::StopConfiguration::Unknown(_)) => cx.lose("/stop")?,
            _ => {}
        }
        out.stream = r.stream.flatten();
        if let Some(Some(options)) = &r.stream_options {
            cx.lose_extra("/stream_options", &options.extra)?;
        }
        let mut tools = Vec::new();
        for (i, t) in r.tools.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/tools/{i}");
            let oa::CreateChatCompletionRequestToolsItem::ChatCompletionTool(t) = t else {
                cx.lose(at)?;
                continue;
            };
            let f = t.function.unwrap_or_default();
            let schema = f.parameters.map(|p| p.0).unwrap_or_else(|| {
                let mut m = Map::new();
                m.insert("type".into(), json!("object"));
                m
            });
            let input_schema: an::InputSchema = serde_json::from_value(Value::Object(schema))
                .map_err(|e| TranslateError::Invalid(format!("{at}/function/parameters: {e}")))?;
            tools.push(an::CreateMessageParamsToolsItem::Tool(an::Tool {
                name: f.name,
                description: f.description,
                input_schema: Some(input_schema),
                strict: f.strict.flatten(),
                ..Default::default()
            }));
        }
        if !tools.is_empty() {
            out.tools = Some(tools);
        }
        let disable_parallel = r.parallel_tool_calls.map(|p| !p.0);
        out.tool_choice = match r.tool_choice {
            None => disable_parallel.filter(|d| *d).map(|_| {
                an::ToolChoice::Auto(an::ToolChoiceAuto {
                    disable_parallel_tool_use: Some(true),
                    type_: Some(an::ToolChoiceAutoType::Auto),
                    ..Default::default()
                })
            }),
            Some(oa::ChatCompletionToolChoiceOption::String(s)) => match s {
                oa::ChatCompletionToolChoiceOptionString::Auto => {
                    Some(an::ToolChoice::Auto(an::ToolChoiceAuto {
                        disable_parallel_tool_use: disable_parallel,
                        type_: Some(an::ToolChoiceAutoType::Auto),
                        ..Default::default()
                    }))
                }
                oa::ChatCompletionToolChoiceOptionString::Required => {
                    Some(an::ToolChoice::Any(an::ToolChoiceAny {
                        disable_parallel_tool_use: disable_parallel,
                        type_: Some(an::ToolChoiceAnyType::Any),
                        ..Default::default()
                    }))
                }
                oa::ChatCompletionToolChoiceOptionString::None => {
                    Some(an::ToolChoice::None(an::ToolChoiceNone {
                        type_: Some(an::ToolChoiceNoneType::None),
                        ..Default::default()
                    }))
                }
                oa::ChatCompletionToolChoiceOptionString::Unknown(_) => {
                    cx.lose("/tool_choice")?;
                    None
                }
            },
            Some(oa::ChatCompletionToolChoiceOption::ChatCompletionNamedToolChoice(n)) => {
                Some(an::ToolChoice::Tool(an::ToolChoiceTool {
                    name: n.function.and_then(|f| f.name),
                    disable_parallel_tool_use: disable_parallel,
                    type_: Some(an::ToolChoiceToolType::Tool),
                    ..Default::default()
                }))
            }
            Some(_) => {
                cx.lose("/tool_choice")?;
                None
            }
        };
        match r.response_format {
            None | Some(oa::CreateChatCompletionRequestResponseFormat::Text(_)) => {}
            Some(oa::CreateChatCompletionRequestResponseFormat::JsonSchema(s)) => {
                let schema = crate::build::chat_format_schema(s, cx)?.unwrap_or_default();
                out.output_config = Some(an::OutputConfig {
                    format: Some(Some(an::JsonOutputFormat {
                        schema: Some(schema),
                        type_: Some(an::JsonOutputFormatType::JsonSchema),
                        ..Default::default()
                    })),
                    ..Default::default()
                });
            }
            Some(_) => cx.lose("/response_format")?,
        }
        if let Some(Some(oa::ReasoningEffort::Unknown(_))) = &r.reasoning_effort {
            cx.lose("/reasoning_effort")?;
        }
        if let Some(Some(effort)) = &r.reasoning_effort
            && let Some(budget) = thinking_budget(effort)
        {
            out.thinking = Some(an::ThinkingConfigParam::Enabled(
                an::ThinkingConfigEnabled {
                    budget_tokens: Some(budget),
                    type_: Some(an::ThinkingConfigEnabledType::Enabled),
                    ..Default::default()
                },
            ));
            // The budget is part of max_tokens.
            if max_tokens <= budget {
                out.max_tokens = Some(budget.saturating_add(max_tokens));
            }
            // Anthropic allows no temperature other than 1 with thinking.
            if out.temperature.take().is_some() {
                cx.lose("/temperature")?;
            }
        }
        if let Some(Some(user)) = r.user {
            out.metadata = Some(an::Metadata {
                user_id: Some(Some(user)),
                ..Default::default()
            });
        }
        if let Some(Some(n)) = r.n
            && n > 1
        {
            return Err(TranslateError::Unsupported(format!(
                "n = {n}: Anthropic returns one choice per request"
            )));
        }
        use crate::tier::{self, Family, Mapped};
        let tier = match &r.service_tier {
            Some(Some(t)) => tier::map(&tier::word_of(t), Family::OpenAi, Family::Anthropic),
            _ => Mapped::Default,
        };
        if let Mapped::Sent(word) = tier {
            out.service_tier = tier::typed(word);
        }
        let lost: &[(&str, bool)] = &[
            ("/logit_bias", matches!(r.logit_bias, Some(Some(_)))),
            ("/logprobs", matches!(r.logprobs, Some(Some(true)))),
            ("/top_logprobs", r.top_logprobs.is_some()),
            ("/seed", matches!(r.seed, Some(Some(_)))),
            (
                "/frequency_penalty",
                matches!(r.frequency_penalty, Some(Some(_))),
            ),
            (
                "/presence_penalty",
                matches!(r.presence_penalty, Some(Some(_))),
            ),
            ("/audio", matches!(r.audio, Some(Some(_)))),
            ("/modalities", matches!(r.modalities, Some(Some(_)))),
            ("/prediction", matches!(r.prediction, Some(Some(_)))),
            ("/metadata", matches!(r.metadata, Some(Some(_)))),
            ("/store", matches!(r.store, Some(Some(true)))),
            ("/service_tier", tier == Mapped::Lost),
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
        if matches!(r.safety_identifier, Some(Some(_))) {
            cx.lose("/safety_identifier")?;
        }
        if matches!(r.prompt_cache_key, Some(Some(_))) {
            cx.lose("/prompt_cache_key")?;
        }
        Ok(out)
    }
}

/// Anthropic's stop reason → OpenAI's finish reason.
fn finish_reason(stop: Option<&an::StopReason>) -> &'static str {
    match stop {
        Some(
            an::StopReason::EndTurn | an::StopReason::StopSequence | an::StopReason::PauseTurn,
        )
        | None => "stop",
        Some(an::StopReason::MaxTokens | an::StopReason::ModelContextWindowExceeded) => "length",
        Some(an::StopReason::ToolUse) => "tool_calls",
        Some(an::StopReason::Refusal) => "content_filter",
        Some(an::StopReason::Unknown(_)) => "stop",
    }
}

/// OpenAI usage from Anthropic's (input tokens include cache reads and writes).
fn usage(input: i64, output: i64, cache_read: i64, cache_write: i64) -> Value {
    let prompt = input.saturating_add(cache_read).saturating_add(cache_write);
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": output,
        "total_tokens": prompt.saturating_add(output),
        "prompt_tokens_details": {"cached_tokens": cache_read, "cache_write_tokens": cache_write},
        "completion_tokens_details": {"reasoning_tokens": 0},
    })
}

/// A whole Anthropic message → an OpenAI chat completion (as JSON).
pub fn response(
    message: an::Message,
    caller_model: &str,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let mut text = String::new();
    let mut reasoning = String::new();
    let mut thinking_blocks = Vec::new();
    let mut tool_calls = Vec::new();
    for (i, block) in message.content.unwrap_or_default().into_iter().enumerate() {
        match block {
            an::ContentBlock::TextBlock(t) => {
                if matches!(t.citations, Some(Some(ref c)) if !c.is_empty()) {
                    cx.lose(format!("/content/{i}/citations"))?;
                }
                text.push_str(t.text.as_deref().unwrap_or(""));
            }
            an::ContentBlock::ThinkingBlock(t) => {
                let thinking = t.thinking.unwrap_or_default();
                reasoning.push_str(&thinking);
                thinking_blocks.push(json!({"type": "thinking", "thinking": thinking, "signature": t.signature.unwrap_or_default()}));
            }
            an::ContentBlock::RedactedThinkingBlock(t) => {
                thinking_blocks
                    .push(json!({"type": "redacted_thinking", "data": t.data.unwrap_or_default()}));
            }
            an::ContentBlock::ToolUseBlock(t) => {
                let arguments = Value::Object(t.input.unwrap_or_default()).to_string();
                tool_calls.push(json!({"id": t.id, "type": "function", "function": {"name": t.name, "arguments": arguments}}));
            }
            _ => cx.lose(format!("/content/{i}"))?,
        }
    }
    let stop = message.stop_reason.flatten();
    let mut msg = json!({"role": "assistant", "content": if text.is_empty() && !tool_calls.is_empty() { Value::Null } else { Value::String(text) }, "refusal": null});
    if !tool_calls.is_empty() {
        msg["tool_calls"] = Value::Array(tool_calls);
    }
    if !thinking_blocks.is_empty() {
        msg["reasoning_content"] = Value::String(reasoning);
        msg["thinking_blocks"] = Value::Array(thinking_blocks);
    }
    let u = message.usage.unwrap_or_default();
    let mut answer = json!({
        "id": message.id.unwrap_or_default(),
        "object": "chat.completion",
        "created": crate::now_secs(),
        "model": caller_model,
        "choices": [{"index": 0, "message": msg, "logprobs": null, "finish_reason": finish_reason(stop.as_ref())}],
        "usage": usage(
            u.input_tokens.unwrap_or(0),
            u.output_tokens.unwrap_or(0),
            u.cache_read_input_tokens.flatten().unwrap_or(0),
            u.cache_creation_input_tokens.flatten().unwrap_or(0),
        ),
    });
    if let Some(word) = served_by_anthropic(&u, Family::OpenAi, "/usage/service_tier", cx)? {
        answer["service_tier"] = json!(word);
    }
    Ok(answer)
}

/// An Anthropic error body → OpenAI's error shape.
pub fn error(status: u16, body: &[u8]) -> Bytes {
    let raw: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = raw
        .pointer("/error/message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let kind = raw
        .pointer("/error/type")
        .and_then(Value::as_str)
        .unwrap_or("api_error");
    let (t, code) = match (status, kind) {
        (401, _) | (_, "authentication_error") => ("authentication_error", Some("invalid_api_key")),
        (403, _) | (_, "permission_error") => ("permission_error", None),
        (404, _) | (_, "not_found_error") => ("invalid_request_error", Some("model_not_found")),
        (429, _) | (_, "rate_limit_error") => ("rate_limit_error", Some("rate_limit_exceeded")),
        (s, _) if s >= 500 => ("server_error", None),
        _ => ("invalid_request_error", None),
    };
    Bytes::from(
        json!({"error": {"message": message, "type": t, "param": null, "code": code}}).to_string(),
    )
}

/// Per-request state of the OpenAI-caller / Anthropic-upstream pair.
#[derive(Debug)]
pub struct ChatToMessages {
    cx: Cx,
    caller_model: String,
    include_usage: bool,
    stream: StreamState,
    /// The last upstream event the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<crate::fast::AnthropicDelta>,
}

#[derive(Debug, Default)]
struct StreamState {
    /// The rendered start of every chunk (id, created, model): see `chunk_prefix`.
    prefix: Vec<u8>,
    id: String,
    created: i64,
    /// Anthropic block index → OpenAI tool-call index, for tool_use blocks.
    tool_index: Vec<(i64, usize)>,
    tools: usize,
    input_tokens: i64,
    output_tokens: i64,
    cache_read: i64,
    cache_write: i64,
    /// The tier that served the answer (from `message_start`), on every chunk.
    tier: Option<&'static str>,
    stop: Option<an::StopReason>,
    finished: bool,
    complete: bool,
}

impl ChatToMessages {
    pub fn new(strict: bool) -> Self {
        ChatToMessages {
            cx: Cx::new("anthropic", strict),
            caller_model: String::new(),
            include_usage: false,
            stream: StreamState::default(),
            memo: Default::default(),
        }
    }

    /// Writes a `content_block_delta` of text, tool input or thinking as a chunk, without
    /// building values; false for any other event (left to the typed path).
    fn fast_delta(&mut self, data: &str, out: &mut Vec<u8>) -> bool {
        let Some((index, piece)) = crate::fast::anthropic(data, &mut self.memo) else {
            return false;
        };
        if self.stream.prefix.is_empty() {
            self.stream.prefix = crate::fast::chat_prefix(
                &self.stream.id,
                self.stream.created,
                &self.caller_model,
                self.stream.tier,
            );
        }
        let prefix = &self.stream.prefix;
        match piece {
            crate::fast::Piece::Text(t) => {
                crate::fast::chat_chunk(prefix, "content", &t, None, out)
            }
            crate::fast::Piece::Thinking(t) => {
                crate::fast::chat_chunk(prefix, "reasoning_content", &t, None, out)
            }
            crate::fast::Piece::Arguments(_, j) => {
                let Some(k) = self
                    .stream
                    .tool_index
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map(|(_, k)| *k)
                else {
                    return false;
                };
                crate::fast::chat_chunk(prefix, "", &j, Some(k as i64), out);
            }
        }
        true
    }

    fn chunk(&self, delta: Value, finish: Option<&str>) -> Value {
        let choices =
            json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]);
        let s = &self.stream;
        crate::fast::chat_head(&s.id, s.created, &self.caller_model, s.tier, choices)
    }
}

impl Translator for ChatToMessages {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        if let Some(p) = plain::chat(body)
            && let Some(out) = plain::to_anthropic(&p, model, p.stream)
            && plain::report_openai_losses(&p, plain::LossesTo::Anthropic, &mut self.cx).is_some()
        {
            self.caller_model = plain::caller_model(&p);
            self.include_usage = p.include_usage == Some(true);
            return Ok(plain::sent(out, p.stream == Some(true)));
        }
        let req: oa::CreateChatCompletionRequest =
            serde_json::from_slice(body).map_err(|e| TranslateError::Invalid(e.to_string()))?;
        let unknown = crate::Unknowns::unknowns(&req);
        self.caller_model = match &req.model {
            Some(m) => serde_json::to_value(m)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            None => String::new(),
        };
        self.include_usage =
            matches!(&req.stream_options, Some(Some(o)) if o.include_usage == Some(true));
        let stream = matches!(req.stream, Some(Some(true)));
        let mut out: an::CreateMessageParams = req.try_translate(&mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::CHAT)?;
        out.model = Some(an::Model::Variant0(model.to_owned()));
        crate::build::encode(&out, stream, &mut self.cx, |_| {}, crate::fixups::anthropic)
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let message: an::Message =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let v = response(message, &self.caller_model, &mut self.cx)?;
        Ok(Bytes::from(v.to_string()))
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        // The events that make most of a stream (text, tool-argument and thinking deltas)
        // go straight from a borrowed view to the chunk's bytes.
        if self.fast_delta(data, out) {
            return Ok(());
        }
        // Events that carry nothing for the caller, recognized by their type alone.
        if data.starts_with("{\"type\":\"content_block_stop\"") {
            return Ok(());
        }
        if data.starts_with("{\"type\":\"ping\"") || data.starts_with("{\"type\": \"ping\"") {
            out.extend_from_slice(b": ping\n\n");
            return Ok(());
        }
        let event: an::MessageStreamEvent =
            serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        match event {
            an::MessageStreamEvent::MessageStartEvent(start) => {
                let message = start.message.unwrap_or_default();
                self.stream.id = message.id.clone().unwrap_or_default();
                self.stream.created = crate::now_secs();
                if let Some(u) = &message.usage {
                    self.stream.input_tokens = u.input_tokens.unwrap_or(0);
                    self.stream.output_tokens = u.output_tokens.unwrap_or(0);
                    self.stream.cache_read = u.cache_read_input_tokens.flatten().unwrap_or(0);
                    self.stream.cache_write = u.cache_creation_input_tokens.flatten().unwrap_or(0);
                    self.stream.tier = served_by_anthropic(
                        u,
                        Family::OpenAi,
                        "/stream/message/usage/service_tier",
                        &mut self.cx,
                    )?;
                }
                crate::sse(
                    out,
                    None,
                    &self.chunk(json!({"role": "assistant", "content": ""}), None),
                );
            }
            an::MessageStreamEvent::ContentBlockStartEvent(start) => {
                let index = start.index.unwrap_or(0);
                match start.content_block {
                    Some(an::ContentBlockStartEventContentBlock::ToolUseBlock(t)) => {
                        let k = self.stream.tools;
                        self.stream.tools += 1;
                        self.stream.tool_index.push((index, k));
                        let delta = json!({"tool_calls": [{"index": k, "id": t.id, "type": "function", "function": {"name": t.name, "arguments": ""}}]});
                        crate::sse(out, None, &self.chunk(delta, None));
                    }
                    Some(an::ContentBlockStartEventContentBlock::TextBlock(t)) => {
                        if let Some(text) = t.text.filter(|t| !t.is_empty()) {
                            crate::sse(out, None, &self.chunk(json!({"content": text}), None));
                        }
                    }
                    Some(an::ContentBlockStartEventContentBlock::ThinkingBlock(_)) => {}
                    Some(an::ContentBlockStartEventContentBlock::RedactedThinkingBlock(t)) => {
                        let delta = json!({"thinking_blocks": [{"type": "redacted_thinking", "data": t.data}]});
                        crate::sse(out, None, &self.chunk(delta, None));
                    }
                    _ => self.cx.lose(format!("/stream/content_block/{index}"))?,
                }
            }
            an::MessageStreamEvent::ContentBlockDeltaEvent(d) => {
                let index = d.index.unwrap_or(0);
                let delta = match d.delta {
                    Some(an::ContentBlockDeltaEventDelta::TextContentBlockDelta(t)) => {
                        json!({"content": t.text})
                    }
                    Some(an::ContentBlockDeltaEventDelta::InputJsonContentBlockDelta(j)) => {
                        let k = self
                            .stream
                            .tool_index
                            .iter()
                            .find(|(i, _)| *i == index)
                            .map(|(_, k)| *k)
                            .unwrap_or(0);
                        json!({"tool_calls": [{"index": k, "function": {"arguments": j.partial_json}}]})
                    }
                    Some(an::ContentBlockDeltaEventDelta::ThinkingContentBlockDelta(t)) => {
                        json!({"reasoning_content": t.thinking})
                    }
                    Some(an::ContentBlockDeltaEventDelta::SignatureContentBlockDelta(s)) => {
                        json!({"thinking_blocks": [{"type": "thinking", "thinking": "", "signature": s.signature}]})
                    }
                    _ => {
                        self.cx.lose(format!("/stream/delta/{index}"))?;
                        return Ok(());
                    }
                };
                crate::sse(out, None, &self.chunk(delta, None));
            }
            an::MessageStreamEvent::ContentBlockStopEvent(_) => {}
            an::MessageStreamEvent::MessageDeltaEvent(d) => {
                if let Some(delta) = d.delta {
                    self.stream.stop = delta.stop_reason.flatten();
                }
                if let Some(u) = d.usage {
                    self.stream.output_tokens =
                        u.output_tokens.unwrap_or(self.stream.output_tokens);
                    if let Some(Some(i)) = u.input_tokens {
                        self.stream.input_tokens = i;
                    }
                    if let Some(Some(c)) = u.cache_read_input_tokens {
                        self.stream.cache_read = c;
                    }
                    if let Some(Some(c)) = u.cache_creation_input_tokens {
                        self.stream.cache_write = c;
                    }
                }
                let finish = finish_reason(self.stream.stop.as_ref());
                crate::sse(out, None, &self.chunk(json!({}), Some(finish)));
                self.stream.finished = true;
            }
            an::MessageStreamEvent::MessageStopEvent(_) => {
                if !self.stream.finished {
                    crate::sse(
                        out,
                        None,
                        &self.chunk(json!({}), Some(finish_reason(self.stream.stop.as_ref()))),
                    );
                }
                if self.include_usage {
                    let mut last = self.chunk(json!({}), None);
                    last["choices"] = json!([]);
                    last["usage"] = usage(
                        self.stream.input_tokens,
                        self.stream.output_tokens,
                        self.stream.cache_read,
                        self.stream.cache_write,
                    );
                    crate::sse(out, None, &last);
                }
                aigw_sse::encode(None, "[DONE]", out);
                self.stream.complete = true;
            }
            an::MessageStreamEvent::PingEvent(_) => out.extend_from_slice(b": ping\n\n"),
            an::MessageStreamEvent::ErrorResponse(e) => {
                let body = serde_json::to_vec(&e).unwrap_or_default();
                let err = error(529, &body);
                aigw_sse::encode(None, std::str::from_utf8(&err).unwrap_or("{}"), out);
                aigw_sse::encode(None, "[DONE]", out);
                self.stream.complete = true;
            }
            an::MessageStreamEvent::Unknown(_) => {}
        }
        Ok(())
    }

    fn stream_complete(&self) -> bool {
        self.stream.complete
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        let body = json!({"error": {"message": message, "type": "server_error", "param": null, "code": "upstream_stream_error"}});
        crate::sse(out, None, &body);
        aigw_sse::encode(None, "[DONE]", out);
        self.stream.complete = true;
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        error(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
