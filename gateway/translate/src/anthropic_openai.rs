//! Anthropic Messages caller → OpenAI Chat Completions upstream (OpenAI itself or an
//! OpenAI-compatible provider).
//!
//! Request: `system` becomes the first system message; text, image (base64 → data URL,
//! URL) and PDF document blocks become content parts; `tool_use` blocks become tool calls
//! (input serialized as arguments), `tool_result` blocks tool messages placed right after
//! the assistant turn that called them (text in the same user turn follows as a user
//! message); thinking blocks go to the provider's reasoning field where it has one
//! (`reasoning_content`, `reasoning`), else are reported; tools, `tool_choice` (`any` →
//! `required`, `disable_parallel_tool_use` → `parallel_tool_calls: false`),
//! `output_config.format` → `response_format` json_schema, a thinking budget →
//! `reasoning_effort`, `max_tokens` → `max_completion_tokens`, `stop_sequences` → `stop`,
//! `metadata.user_id` → `user`. A stream asks for `stream_options.include_usage` so the
//! final `message_delta` carries usage. What has no counterpart (`top_k`, `cache_control`,
//! server tools, citations config, ...) is reported.
//!
//! Response: content, reasoning text and tool calls become text, thinking and `tool_use`
//! blocks (a call's id in Anthropic's alphabet, or made of the completion's id and the
//! call's index where the provider gave none; a call without a name is the upstream's
//! error); finish reasons become stop reasons; cached prompt tokens become
//! `cache_read_input_tokens`, tokens written to the cache (`cache_write_tokens`, which
//! the gateway's own Chat answers and some OpenAI-compatible providers give)
//! `cache_creation_input_tokens`.
//!
//! Stream: a state machine from chat chunks to Anthropic's events: `message_start`, then
//! one content block at a time (thinking, text, or one `tool_use` per tool-call index, its
//! argument deltas as `input_json_delta`), `content_block_stop` when the kind changes,
//! `message_delta` with the stop reason and usage once the usage chunk or `[DONE]` arrives,
//! `message_stop`.

use aigw_anthropic as an;
use aigw_openai as oa;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::build::chat_text;
use crate::tier::{Family, served_by_openai};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, TryTranslate};

/// `reasoning_effort` for an Anthropic thinking budget.
pub(crate) fn effort_for(budget: i64) -> oa::ReasoningEffort {
    match budget {
        b if b < 2048 => oa::ReasoningEffort::Low,
        b if b < 12288 => oa::ReasoningEffort::Medium,
        _ => oa::ReasoningEffort::High,
    }
}

/// Options of the pair.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The upstream's field for reasoning text (message and delta), when it has one.
    pub reasoning_field: Option<String>,
    /// Whether the upstream takes `stream_options`.
    pub stream_options: bool,
}

/// The request mapping, with its options.
pub struct Request<'a>(pub an::CreateMessageParams, pub &'a Options);

fn user_parts(
    blocks: Vec<an::InputContentBlock>,
    at: &str,
    cx: &mut Cx,
    tool_messages: &mut Vec<oa::ChatCompletionRequestMessage>,
) -> Result<Vec<oa::ChatCompletionRequestUserMessageContentPart>, TranslateError> {
    let mut parts = Vec::new();
    for (j, block) in blocks.into_iter().enumerate() {
        let here = format!("{at}/content/{j}");
        match block {
            // Cache hints and citations: reported by `anthropic_caller`.
            an::InputContentBlock::TextBlock(t) => {
                cx.lose_extra(&here, &t.extra)?;
                parts.push(oa::ChatCompletionRequestUserMessageContentPart::Text(
                    chat_text(t.text.unwrap_or_default()),
                ));
            }
            an::InputContentBlock::ImageBlock(img) => {
                let url = match img.source {
                    Some(an::RequestImageBlockSource::Base64ImageSource(b)) => {
                        let media = serde_json::to_value(&b.media_type)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_else(|| "image/png".into());
                        format!("data:{media};base64,{}", b.data.unwrap_or_default())
                    }
                    Some(an::RequestImageBlockSource::UrlImageSource(u)) => {
                        u.url.unwrap_or_default()
                    }
                    _ => {
                        cx.lose(here)?;
                        continue;
                    }
                };
                parts.push(oa::ChatCompletionRequestUserMessageContentPart::Image(
                    oa::ChatCompletionRequestMessageContentPartImage {
                        image_url: Some(oa::ChatCompletionRequestMessageContentPartImageImageUrl {
                            url: Some(url),
                            ..Default::default()
                        }),
                        type_: Some(oa::ChatCompletionRequestMessageContentPartImageType::ImageUrl),
                        ..Default::default()
                    },
                ));
            }
            an::InputContentBlock::DocumentBlock(d) => match d.source {
                Some(an::RequestDocumentBlockSource::Base64PdfSource(p)) => {
                    parts.push(oa::ChatCompletionRequestUserMessageContentPart::File(
                        oa::ChatCompletionRequestMessageContentPartFile {
                            file: Some(oa::ChatCompletionRequestMessageContentPartFileFile {
                                file_data: Some(format!(
                                    "data:application/pdf;base64,{}",
                                    p.data.unwrap_or_default()
                                )),
                                filename: Some(
                                    d.title.flatten().unwrap_or_else(|| "document.pdf".into()),
                                ),
                                ..Default::default()
                            }),
                            type_: Some(oa::ChatCompletionRequestMessageContentPartFileType::File),
                            ..Default::default()
                        },
                    ));
                }
                Some(an::RequestDocumentBlockSource::PlainTextSource(t)) => {
                    // A text goes as a text: its title has no place (a PDF's is its name).
                    if matches!(d.title, Some(Some(_))) {
                        cx.lose(format!("{here}/title"))?;
                    }
                    parts.push(oa::ChatCompletionRequestUserMessageContentPart::Text(
                        chat_text(t.data.unwrap_or_default()),
                    ));
                }
                _ => cx.lose(here)?,
            },
            an::InputContentBlock::ToolResultBlock(r) => {
                if r.is_error == Some(true) {
                    // OpenAI has no error flag on tool results: the content says it.
                    cx.lose(format!("{here}/is_error"))?;
                }
                let content = match r.content {
                    None => oa::ChatCompletionRequestToolMessageContent::String(String::new()),
                    Some(an::RequestToolResultBlockContent::String(s)) => {
                        oa::ChatCompletionRequestToolMessageContent::String(s)
                    }
                    Some(an::RequestToolResultBlockContent::Array(items)) => {
                        let mut texts = Vec::new();
                        for (k, item) in items.into_iter().enumerate() {
                            match item {
                                an::RequestToolResultBlockContentArrayItem::TextBlock(t) => texts
                                    .push(oa::ChatCompletionRequestToolMessageContentPart(
                                        chat_text(t.text.unwrap_or_default()),
                                    )),
                                _ => cx.lose(format!("{here}/content/{k}"))?,
                            }
                        }
                        oa::ChatCompletionRequestToolMessageContent::Array(texts)
                    }
                    Some(an::RequestToolResultBlockContent::Unknown(_)) => {
                        cx.lose(format!("{here}/content"))?;
                        oa::ChatCompletionRequestToolMessageContent::String(String::new())
                    }
                };
                tool_messages.push(oa::ChatCompletionRequestMessage::ToolMessage(
                    oa::ChatCompletionRequestToolMessage {
                        content: Some(content),
                        tool_call_id: r.tool_use_id,
                        role: Some(oa::ChatCompletionRequestToolMessageRole::Tool),
                        ..Default::default()
                    },
                ));
            }
            _ => cx.lose(here)?,
        }
    }
    Ok(parts)
}

impl TryTranslate<oa::CreateChatCompletionRequest> for Request<'_> {
    fn try_translate(self, cx: &mut Cx) -> Result<oa::CreateChatCompletionRequest, TranslateError> {
        let Request(r, options) = self;
        cx.lose_extra("", &r.extra)?;
        let reads = crate::anthropic_caller::Reads {
            document_title: true,
            strict_tools: true,
            parallel_switch: true,
            effort: false,
        };
        crate::anthropic_caller::lose_unread(&r, &reads, cx)?;
        let mut messages = Vec::new();
        match r.system {
            None => {}
            Some(an::CreateMessageParamsSystem::String(s)) => {
                messages.push(oa::ChatCompletionRequestMessage::SystemMessage(
                    oa::ChatCompletionRequestSystemMessage {
                        content: Some(oa::ChatCompletionRequestSystemMessageContent::String(s)),
                        role: Some(oa::ChatCompletionRequestSystemMessageRole::System),
                        ..Default::default()
                    },
                ));
            }
            Some(an::CreateMessageParamsSystem::Array(blocks)) => {
                let text = crate::build::anthropic_system_texts(blocks, cx)?;
                messages.push(oa::ChatCompletionRequestMessage::SystemMessage(
                    oa::ChatCompletionRequestSystemMessage {
                        content: Some(oa::ChatCompletionRequestSystemMessageContent::String(
                            text.join("\n\n"),
                        )),
                        role: Some(oa::ChatCompletionRequestSystemMessageRole::System),
                        ..Default::default()
                    },
                ));
            }
            Some(an::CreateMessageParamsSystem::Unknown(_)) => cx.lose("/system")?,
        }
        for (i, m) in r.messages.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/messages/{i}");
            cx.lose_extra(&at, &m.extra)?;
            let blocks = match m.content {
                Some(an::InputMessageContent::String(s)) => {
                    vec![an::InputContentBlock::TextBlock(an::RequestTextBlock {
                        text: Some(s),
                        ..Default::default()
                    })]
                }
                Some(an::InputMessageContent::Array(b)) => b,
                _ => Vec::new(),
            };
            match m.role {
                Some(an::InputMessageRole::Assistant) => {
                    let mut text = String::new();
                    let mut reasoning = String::new();
                    let mut calls = Vec::new();
                    for (j, block) in blocks.into_iter().enumerate() {
                        let here = format!("{at}/content/{j}");
                        match block {
                            an::InputContentBlock::TextBlock(t) => {
                                text.push_str(t.text.as_deref().unwrap_or(""))
                            }
                            an::InputContentBlock::ToolUseBlock(t) => {
                                calls.push(oa::ChatCompletionMessageToolCallsItem::ToolCall(
                                    oa::ChatCompletionMessageToolCall {
                                        id: t.id,
                                        function: Some(oa::ChatCompletionMessageToolCallFunction {
                                            name: t.name,
                                            arguments: Some(
                                                Value::Object(t.input.unwrap_or_default())
                                                    .to_string(),
                                            ),
                                            ..Default::default()
                                        }),
                                        type_: Some(
                                            oa::ChatCompletionMessageToolCallType::Function,
                                        ),
                                        ..Default::default()
                                    },
                                ));
                            }
                            an::InputContentBlock::ThinkingBlock(t)
                                if options.reasoning_field.is_some() =>
                            {
                                reasoning.push_str(t.thinking.as_deref().unwrap_or(""));
                                // The text goes on; Anthropic's signature has no place.
                                if t.signature.as_deref().is_some_and(|s| !s.is_empty()) {
                                    cx.lose(format!("{here}/signature"))?;
                                }
                            }
                            _ => cx.lose(here)?,
                        }
                    }
                    let mut extra = Map::new();
                    if let Some(field) = &options.reasoning_field
                        && !reasoning.is_empty()
                    {
                        extra.insert(field.clone(), Value::String(reasoning));
                    }
                    messages.push(oa::ChatCompletionRequestMessage::AssistantMessage(
                        oa::ChatCompletionRequestAssistantMessage {
                            content: Some(if text.is_empty() && !calls.is_empty() {
                                None
                            } else {
                                Some(oa::ChatCompletionRequestAssistantMessageContent::String(
                                    text,
                                ))
                            }),
                            tool_calls: (!calls.is_empty())
                                .then_some(oa::ChatCompletionMessageToolCalls(calls)),
                            role: Some(oa::ChatCompletionRequestAssistantMessageRole::Assistant),
                            extra,
                            ..Default::default()
                        },
                    ));
                }
                Some(an::InputMessageRole::User) | None => {
                    let mut tool_messages = Vec::new();
                    let parts = user_parts(blocks, &at, cx, &mut tool_messages)?;
                    // Tool results answer the previous assistant turn: they come first.
                    messages.extend(tool_messages);
                    if !parts.is_empty() {
                        let content = match parts.as_slice() {
                            [oa::ChatCompletionRequestUserMessageContentPart::Text(t)] => {
                                oa::ChatCompletionRequestUserMessageContent::String(
                                    t.text.clone().unwrap_or_default(),
                                )
                            }
                            _ => oa::ChatCompletionRequestUserMessageContent::Array(parts),
                        };
                        messages.push(oa::ChatCompletionRequestMessage::UserMessage(
                            oa::ChatCompletionRequestUserMessage {
                                content: Some(content),
                                role: Some(oa::ChatCompletionRequestUserMessageRole::User),
                                ..Default::default()
                            },
                        ));
                    }
                }
                Some(_) => cx.lose(at.to_owned())?,
            }
        }
        let mut out = oa::CreateChatCompletionRequest {
            messages: Some(messages),
            max_completion_tokens: r.max_tokens.map(Some),
            temperature: r.temperature.map(Some),
            top_p: r.top_p.map(Some),
            stop: r
                .stop_sequences
                .map(|s| Some(oa::StopConfiguration::Variant1(s))),
            ..Default::default()
        };
        if r.top_k.is_some() {
            cx.lose("/top_k")?;
        }
        if r.stream == Some(true) {
            out.stream = Some(Some(true));
            if options.stream_options {
                out.stream_options = Some(Some(oa::ChatCompletionStreamOptions {
                    include_usage: Some(true),
                    ..Default::default()
                }));
            }
        }
        let mut tools = Vec::new();
        for (i, t) in r.tools.unwrap_or_default().into_iter().enumerate() {
            let an::CreateMessageParamsToolsItem::Tool(t) = t else {
                cx.lose(format!("/tools/{i}"))?;
                continue;
            };
            let parameters = match t.input_schema {
                Some(schema) => match serde_json::to_value(schema) {
                    Ok(Value::Object(m)) => m,
                    _ => Map::new(),
                },
                None => Map::new(),
            };
            tools.push(
                oa::CreateChatCompletionRequestToolsItem::ChatCompletionTool(
                    oa::ChatCompletionTool {
                        function: Some(oa::FunctionObject {
                            name: t.name,
                            description: t.description,
                            parameters: Some(oa::FunctionParameters(parameters)),
                            strict: t.strict.map(Some),
                            ..Default::default()
                        }),
                        type_: Some(oa::ChatCompletionToolType::Function),
                        ..Default::default()
                    },
                ),
            );
        }
        if !tools.is_empty() {
            out.tools = Some(tools);
        }
        let (choice, disable_parallel) = match r.tool_choice {
            None => (None, None),
            Some(an::ToolChoice::Auto(a)) => (
                Some(oa::ChatCompletionToolChoiceOptionString::Auto),
                a.disable_parallel_tool_use,
            ),
            Some(an::ToolChoice::Any(a)) => (
                Some(oa::ChatCompletionToolChoiceOptionString::Required),
                a.disable_parallel_tool_use,
            ),
            Some(an::ToolChoice::None(_)) => {
                (Some(oa::ChatCompletionToolChoiceOptionString::None), None)
            }
            Some(an::ToolChoice::Tool(t)) => {
                out.tool_choice = Some(
                    oa::ChatCompletionToolChoiceOption::ChatCompletionNamedToolChoice(
                        oa::ChatCompletionNamedToolChoice {
                            function: Some(oa::ChatCompletionNamedToolChoiceFunction {
                                name: t.name,
                                ..Default::default()
                            }),
                            type_: Some(oa::ChatCompletionNamedToolChoiceType::Function),
                            ..Default::default()
                        },
                    ),
                );
                (None, t.disable_parallel_tool_use)
            }
            Some(an::ToolChoice::Unknown(_)) => {
                cx.lose("/tool_choice")?;
                (None, None)
            }
        };
        if let Some(c) = choice {
            out.tool_choice = Some(oa::ChatCompletionToolChoiceOption::String(c));
        }
        if disable_parallel == Some(true) {
            out.parallel_tool_calls = Some(oa::ParallelToolCalls(false));
        }
        if let Some(config) = r.output_config {
            if let Some(Some(format)) = config.format
                && let Some(schema) = crate::build::anthropic_json_format(format, cx)?
            {
                out.response_format =
                    Some(oa::CreateChatCompletionRequestResponseFormat::JsonSchema(
                        oa::ResponseFormatJsonSchema {
                            json_schema: Some(oa::ResponseFormatJsonSchemaJsonSchema {
                                name: Some("output".into()),
                                schema: Some(oa::ResponseFormatJsonSchemaSchema(schema)),
                                strict: Some(Some(true)),
                                ..Default::default()
                            }),
                            type_: Some(oa::ResponseFormatJsonSchemaType::JsonSchema),
                            ..Default::default()
                        },
                    ));
            }
            if matches!(config.effort, Some(Some(_))) {
                cx.lose("/output_config/effort")?;
            }
        }
        match r.thinking {
            Some(an::ThinkingConfigParam::Enabled(t)) => {
                out.reasoning_effort = Some(Some(effort_for(t.budget_tokens.unwrap_or(4096))));
            }
            Some(an::ThinkingConfigParam::Adaptive(_)) => {
                out.reasoning_effort = Some(Some(oa::ReasoningEffort::Medium))
            }
            // Thinking turned off sends nothing: Chat's `none` is refused by every model
            // that does not reason, and clients send the switch whatever the model.
            Some(an::ThinkingConfigParam::Disabled(_)) | None => {}
            Some(an::ThinkingConfigParam::Unknown(_)) => cx.lose("/thinking")?,
        }
        if let Some(m) = r.metadata
            && let Some(Some(user)) = m.user_id
        {
            out.user = Some(Some(user));
        }
        if let Some(t) = &r.service_tier {
            use crate::tier::{self, Family, Mapped};
            match tier::map(&tier::word_of(t), Family::Anthropic, Family::OpenAi) {
                Mapped::Sent(word) => out.service_tier = Some(tier::typed(word)),
                Mapped::Default => {}
                Mapped::Lost => cx.lose("/service_tier")?,
            }
        }
        if matches!(r.container, Some(Some(_))) {
            cx.lose("/container")?;
        }
        Ok(out)
    }
}

/// OpenAI's finish reason → Anthropic's stop reason.
fn stop_reason(finish: &str) -> &'static str {
    match finish {
        "length" => "max_tokens",
        "tool_calls" | "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    }
}

/// A `tool_use` id for a Chat tool call: its id in Anthropic's alphabet, or (a provider
/// that gave none) one made of the completion's id and the call's index.
fn tool_use_id(id: &str, completion_id: &str, index: impl std::fmt::Display) -> String {
    if id.is_empty() {
        crate::fixups::anthropic_id(&format!("toolu_{completion_id}_{index}"))
    } else {
        crate::fixups::anthropic_id(id)
    }
}

/// Anthropic's input (without the tokens read from or written to the cache), output,
/// cache-read and cache-write tokens from a Chat usage.
fn anthropic_usage(usage: Option<&Value>) -> (i64, i64, i64, i64) {
    let n = |p: &str| {
        crate::tokens(
            usage
                .and_then(|u| u.pointer(p))
                .and_then(Value::as_i64)
                .unwrap_or(0),
        )
    };
    let cached = n("/prompt_tokens_details/cached_tokens");
    let written = n("/prompt_tokens_details/cache_write_tokens");
    (
        crate::tokens_less(n("/prompt_tokens"), cached.saturating_add(written)),
        n("/completion_tokens"),
        cached,
        written,
    )
}

/// A whole chat completion → an Anthropic message (as JSON).
pub fn response(
    body: &Value,
    caller_model: &str,
    options: &Options,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let completion: oa::CreateChatCompletionResponse = serde_json::from_value(body.clone())
        .map_err(|e| TranslateError::Upstream(e.to_string()))?;
    let choices = completion.choices.unwrap_or_default();
    if choices.len() > 1 {
        cx.lose("/choices/1")?;
    }
    let choice = choices.into_iter().next().unwrap_or_default();
    let message = choice.message.unwrap_or_default();
    let mut content = Vec::new();
    if let Some(field) = &options.reasoning_field
        && let Some(text) = message.extra.get(field).and_then(Value::as_str)
        && !text.is_empty()
    {
        content.push(json!({"type": "thinking", "thinking": text, "signature": ""}));
    }
    if let Some(Some(text)) = &message.content
        && !text.is_empty()
    {
        content.push(json!({"type": "text", "text": text}));
    }
    let refused = matches!(&message.refusal, Some(Some(_)));
    if let Some(Some(r)) = &message.refusal {
        content.push(json!({"type": "text", "text": r}));
    }
    let completion_id = completion.id.clone().unwrap_or_default();
    for (k, call) in message
        .tool_calls
        .flatten()
        .map(|c| c.0)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let oa::ChatCompletionMessageToolCallsItem::ToolCall(call) = call else {
            cx.lose("/choices/0/message/tool_calls")?;
            continue;
        };
        let f = call.function.unwrap_or_default();
        let input = match serde_json::from_str::<Value>(f.arguments.as_deref().unwrap_or("{}")) {
            Ok(Value::Object(m)) => Value::Object(m),
            _ => {
                cx.lose("/choices/0/message/tool_calls/function/arguments")?;
                json!({})
            }
        };
        let id = tool_use_id(call.id.as_deref().unwrap_or(""), &completion_id, k);
        let name = crate::call_name(f.name.as_deref().unwrap_or(""))?;
        content.push(json!({"type": "tool_use", "id": id, "name": name, "input": input}));
    }
    let finish = choice
        .finish_reason
        .and_then(|f| serde_json::to_value(f).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "stop".into());
    let stop = if refused {
        "refusal"
    } else {
        stop_reason(&finish)
    };
    let usage = body.get("usage");
    let (input, output, cached, written) = anthropic_usage(usage);
    let mut usage = json!({"input_tokens": input, "output_tokens": output, "cache_read_input_tokens": cached, "cache_creation_input_tokens": written});
    if let Some(word) = served_by_openai(body, Family::Anthropic, "/service_tier", cx)? {
        usage["service_tier"] = json!(word);
    }
    Ok(json!({
        "id": format!("msg_{}", completion.id.unwrap_or_default()),
        "type": "message",
        "role": "assistant",
        "model": caller_model,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": null,
        "usage": usage,
    }))
}

/// An OpenAI error body → Anthropic's error shape.
pub fn error(status: u16, body: &[u8]) -> Bytes {
    let raw: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = raw
        .pointer("/error/message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let t = match status {
        400 | 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 | 529 => "overloaded_error",
        504 => "timeout_error",
        _ => "api_error",
    };
    Bytes::from(json!({"type": "error", "error": {"type": t, "message": message}}).to_string())
}

/// Which content block is open in the caller's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Thinking,
    Text,
    Tool(i64),
}

/// Per-request state of the Anthropic-caller / OpenAI-upstream pair.
#[derive(Debug)]
pub struct MessagesToChat {
    cx: Cx,
    options: Options,
    caller_model: String,
    started: bool,
    open: Open,
    /// Index of the next content block.
    next_block: i64,
    finish: Option<String>,
    usage: Option<Value>,
    complete: bool,
    /// The last upstream chunk the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<()>,
}

impl MessagesToChat {
    pub fn new(strict: bool, options: Options) -> Self {
        MessagesToChat {
            cx: Cx::new("openai", strict),
            options,
            caller_model: String::new(),
            started: false,
            open: Open::None,
            next_block: 0,
            finish: None,
            usage: None,
            complete: false,
            memo: Default::default(),
        }
    }

    /// `message_start`, with the tier that serves the answer (`tier`) when the first
    /// chunk names it.
    fn start(&mut self, id: &str, tier: Option<&str>, out: &mut Vec<u8>) {
        if self.started {
            return;
        }
        self.started = true;
        let mut usage = json!({"input_tokens": 0, "output_tokens": 0});
        if let Some(word) = tier {
            usage["service_tier"] = json!(word);
        }
        crate::sse(
            out,
            Some("message_start"),
            &json!({"type": "message_start", "message": {"id": format!("msg_{id}"), "type": "message", "role": "assistant",
                "model": self.caller_model, "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": usage}}),
        );
    }

    fn close(&mut self, out: &mut Vec<u8>) {
        if self.open != Open::None {
            crate::sse(
                out,
                Some("content_block_stop"),
                &json!({"type": "content_block_stop", "index": self.next_block - 1}),
            );
            self.open = Open::None;
        }
    }

    fn open_block(&mut self, kind: Open, block: Value, out: &mut Vec<u8>) {
        self.close(out);
        crate::sse(
            out,
            Some("content_block_start"),
            &json!({"type": "content_block_start", "index": self.next_block, "content_block": block}),
        );
        self.next_block += 1;
        self.open = kind;
    }

    fn delta(&self, delta: Value, out: &mut Vec<u8>) {
        crate::sse(
            out,
            Some("content_block_delta"),
            &json!({"type": "content_block_delta", "index": self.next_block - 1, "delta": delta}),
        );
    }

    /// A chunk carrying only a delta for the open block, written as bytes; false for
    /// anything else (left to the general path).
    fn fast_delta(&mut self, data: &str, out: &mut Vec<u8>) -> bool {
        use crate::fast::Piece;
        let Some(piece) = crate::fast::chat(
            data,
            self.options.reasoning_field.as_deref(),
            &mut self.memo,
        ) else {
            return false;
        };
        let index = self.next_block - 1;
        match (piece, self.open) {
            (Piece::Text(t), Open::Text) if !t.is_empty() => {
                crate::fast::anthropic_delta(index, "text_delta", "text", &t, out)
            }
            (Piece::Thinking(t), Open::Thinking) if !t.is_empty() => {
                crate::fast::anthropic_delta(index, "thinking_delta", "thinking", &t, out)
            }
            (Piece::Arguments(i, a), Open::Tool(open)) if i == open && !a.is_empty() => {
                crate::fast::anthropic_delta(index, "input_json_delta", "partial_json", &a, out)
            }
            _ => return false,
        }
        true
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        self.close(out);
        let finish = self.finish.clone().unwrap_or_else(|| "stop".into());
        let (input, output, cached, written) = anthropic_usage(self.usage.as_ref());
        crate::sse(
            out,
            Some("message_delta"),
            &json!({"type": "message_delta", "delta": {"stop_reason": stop_reason(&finish), "stop_sequence": null},
                    "usage": {"input_tokens": input, "output_tokens": output, "cache_read_input_tokens": cached, "cache_creation_input_tokens": written}}),
        );
        crate::sse(out, Some("message_stop"), &json!({"type": "message_stop"}));
        self.complete = true;
    }
}

impl Translator for MessagesToChat {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        let (options, field) = (
            self.options.stream_options,
            self.options.reasoning_field.as_deref(),
        );
        let to = plain::LossesTo::Chat {
            reasoning: field.is_some(),
        };
        if let Some(p) = plain::anthropic(body)
            && let Some(out) = plain::to_chat(&p, model, p.stream == Some(true), options, field)
            && plain::report_losses(&p, to, &mut self.cx).is_some()
        {
            self.caller_model = plain::caller_model(&p);
            return Ok(plain::sent(out, p.stream == Some(true)));
        }
        let req: an::CreateMessageParams =
            serde_json::from_slice(body).map_err(|e| TranslateError::Invalid(e.to_string()))?;
        let unknown = crate::Unknowns::unknowns(&req);
        self.caller_model = req
            .model
            .as_ref()
            .and_then(|m| serde_json::to_value(m).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let stream = req.stream == Some(true);
        let options = self.options.clone();
        let mut out: oa::CreateChatCompletionRequest =
            Request(req, &options).try_translate(&mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::ANTHROPIC)?;
        out.model = serde_json::from_value(Value::String(model.to_owned())).ok();
        crate::build::encode(
            &out,
            stream,
            &mut self.cx,
            |value| {
                // The model id passes as the caller named it, whatever the generated enum knows.
                value["model"] = Value::String(model.to_owned());
            },
            crate::fixups::chat,
        )
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let v: Value =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let out = response(&v, &self.caller_model, &self.options, &mut self.cx)?;
        Ok(Bytes::from(out.to_string()))
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if data.trim() == "[DONE]" {
            if !self.complete {
                self.start("", None, out);
                self.end(out);
            }
            return Ok(());
        }
        if self.started && self.fast_delta(data, out) {
            return Ok(());
        }
        let chunk: Value =
            serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        if let Some(err) = chunk.get("error") {
            let body = json!({"error": err}).to_string();
            let e = error(500, body.as_bytes());
            aigw_sse::encode(Some("error"), std::str::from_utf8(&e).unwrap_or("{}"), out);
            self.complete = true;
            return Ok(());
        }
        let chunk_id = chunk
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if !self.started {
            let at = "/stream/service_tier";
            let tier = served_by_openai(&chunk, Family::Anthropic, at, &mut self.cx)?;
            self.start(&chunk_id, tier, out);
        }
        if let Some(u) = chunk.get("usage").filter(|u| !u.is_null()) {
            self.usage = Some(u.clone());
        }
        let Some(choice) = chunk.pointer("/choices/0") else {
            return Ok(());
        };
        let delta = choice.get("delta").cloned().unwrap_or(Value::Null);
        if let Some(field) = &self.options.reasoning_field
            && let Some(text) = delta.get(field.as_str()).and_then(Value::as_str)
            && !text.is_empty()
        {
            if self.open != Open::Thinking {
                self.open_block(
                    Open::Thinking,
                    json!({"type": "thinking", "thinking": "", "signature": ""}),
                    out,
                );
            }
            self.delta(json!({"type": "thinking_delta", "thinking": text}), out);
        }
        if let Some(text) = delta.get("content").and_then(Value::as_str)
            && !text.is_empty()
        {
            if self.open != Open::Text {
                self.open_block(Open::Text, json!({"type": "text", "text": ""}), out);
            }
            self.delta(json!({"type": "text_delta", "text": text}), out);
        }
        for call in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let index = call.get("index").and_then(Value::as_i64).unwrap_or(0);
            if self.open != Open::Tool(index) {
                let id = call
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let name = crate::call_name(
                    call.pointer("/function/name")
                        .and_then(Value::as_str)
                        .unwrap_or(""),
                )?
                .to_owned();
                let id = tool_use_id(&id, &chunk_id, index);
                self.open_block(
                    Open::Tool(index),
                    json!({"type": "tool_use", "id": id, "name": name, "input": {}}),
                    out,
                );
            }
            if let Some(args) = call.pointer("/function/arguments").and_then(Value::as_str)
                && !args.is_empty()
            {
                self.delta(
                    json!({"type": "input_json_delta", "partial_json": args}),
                    out,
                );
            }
        }
        if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(f.to_owned());
            self.close(out);
        }
        Ok(())
    }

    fn stream_complete(&self) -> bool {
        self.complete
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        let e = json!({"type": "error", "error": {"type": "api_error", "message": message}});
        crate::sse(out, Some("error"), &e);
        self.complete = true;
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        error(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
