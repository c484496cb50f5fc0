//! Gemini generateContent caller → OpenAI Chat Completions upstream (OpenAI or an
//! OpenAI-compatible provider).
//!
//! Request: `systemInstruction` → a system message; user parts → text, image (inline data
//! as a data URL, `fileData` images as URLs) and PDF (file part) parts (other inline data,
//! audio among it, is reported); `functionResponse` parts → tool messages; model parts → assistant text, tool calls and
//! (where the provider has a reasoning field) thought text; function-call ids are kept, or
//! synthesized from their position (`call_{turn}_{k}`) and matched to the responses that
//! follow by name and order, so the conversation's ids stay consistent. Function
//! declarations → tools (Gemini's schema dialect converted to JSON Schema,
//! `parametersJsonSchema` passed as it is); `functionCallingConfig` → `tool_choice`;
//! `generationConfig` → sampling, limits, `n`, stop sequences, `response_format` (JSON mode
//! or a schema), `reasoning_effort` from the thinking budget or level.
//!
//! Response: each choice → a candidate: reasoning → a thought part (for a caller that asked
//! for thoughts with `includeThoughts`; otherwise left out, as Gemini does), content → a
//! text part, tool calls → `functionCall` parts (arguments parsed); finish reasons and
//! usage mapped.
//!
//! Stream: chat chunks → Gemini chunks in the caller's form (`alt=sse` events, or the
//! JSON-array stream): text and thought deltas (thoughts only when asked for) as they come;
//! tool calls, which Gemini sends whole, are gathered from their argument deltas and sent
//! with the final chunk, which also carries the finish reason and usage.

use aigw_gemini as ge;
use aigw_openai as oa;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::build::chat_text;
use crate::tier::{Family, served_by_openai};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, TryTranslate};

/// How a call without an id is named (`call_{content}_{n}`, `n` its place among the turn's
/// calls), on both paths.
const SYNTH: crate::plain::Synth = crate::plain::Synth {
    prefix: "call_",
    by_part: false,
};

/// The generation settings this pair reads beyond the ones every typed Gemini-caller pair
/// reads.
const READS: crate::gemini_caller::Reads = crate::gemini_caller::Reads {
    config: Some(&["logprobs"]),
    allowed_names: false,
    tier_to: crate::tier::Family::OpenAi,
    // A tool message holds text only.
    result_media: false,
};

/// Options of the pair.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The upstream's field for reasoning text (message and delta), when it has one.
    pub reasoning_field: Option<String>,
    /// Whether the upstream takes `stream_options`.
    pub stream_options: bool,
    /// The caller called `streamGenerateContent`.
    pub stream: bool,
    /// With `alt=sse` (else the JSON-array stream).
    pub sse: bool,
}

/// Gemini's schema dialect (upper-case types, `nullable`) → JSON Schema.
pub fn schema_to_json(schema: &Value) -> Value {
    match schema {
        Value::Object(m) => {
            let mut out = Map::new();
            let mut nullable = false;
            for (k, v) in m {
                match k.as_str() {
                    "type" => {
                        let t = v.as_str().unwrap_or("").to_ascii_lowercase();
                        if t != "type_unspecified" {
                            out.insert("type".into(), Value::String(t));
                        }
                    }
                    "nullable" => nullable = v.as_bool() == Some(true),
                    "properties" => {
                        let props = v
                            .as_object()
                            .map(|p| {
                                p.iter()
                                    .map(|(k, v)| (k.clone(), schema_to_json(v)))
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.insert("properties".into(), Value::Object(props));
                    }
                    "items" => {
                        out.insert("items".into(), schema_to_json(v));
                    }
                    "anyOf" => {
                        let list = v
                            .as_array()
                            .map(|a| a.iter().map(schema_to_json).collect())
                            .unwrap_or_default();
                        out.insert("anyOf".into(), Value::Array(list));
                    }
                    "minItems" | "maxItems" | "minLength" | "maxLength" | "minProperties"
                    | "maxProperties" => {
                        // int64 as strings in the dialect.
                        let n = v
                            .as_str()
                            .and_then(|s| s.parse::<u64>().ok())
                            .map(Value::from)
                            .unwrap_or(v.clone());
                        out.insert(k.clone(), n);
                    }
                    "propertyOrdering" => {}
                    _ => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            if nullable && let Some(Value::String(t)) = out.get("type").cloned() {
                out.insert("type".into(), json!([t, "null"]));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Keys holding free-form JSON (function arguments, results, JSON Schemas): not renamed.
const FREE_FORM: &[&str] = &[
    "args",
    "response",
    "parameters",
    "parametersJsonSchema",
    "parameters_json_schema",
    "responseJsonSchema",
    "response_json_schema",
    "responseSchema",
    "response_schema",
    "_responseJsonSchema",
];

/// Renames proto field names (`include_thoughts`) to their JSON names (`includeThoughts`):
/// Gemini takes both, and clients (google-genai among them) send some nested fields by
/// their proto names. Free-form values are left as they are.
pub fn normalize_keys(v: &mut Value) {
    match v {
        Value::Object(m) => {
            // Rebuilt in the caller's order (a removal would move the last key into the
            // removed one's place, and the loss report's order with it).
            let mut old = std::mem::take(m);
            let keys: Vec<String> = old.keys().cloned().collect();
            for k in keys {
                let camel = if k.contains('_') && !k.starts_with('_') {
                    to_camel(&k)
                } else {
                    k.clone()
                };
                let Some(mut value) = old.get_mut(&k).map(Value::take) else {
                    continue;
                };
                if !FREE_FORM.contains(&k.as_str()) {
                    normalize_keys(&mut value);
                }
                // Both spellings: the JSON name wins, the other is kept as sent.
                let key = if camel != k && old.contains_key(&camel) {
                    k
                } else {
                    camel
                };
                m.insert(key, value);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize_keys),
        _ => {}
    }
}

fn to_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = false;
    for c in s.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn effort_for_budget(budget: i64) -> Option<oa::ReasoningEffort> {
    match budget {
        0 => None,
        b if b < 0 => Some(oa::ReasoningEffort::Medium),
        b if b <= 1024 => Some(oa::ReasoningEffort::Low),
        b if b <= 8192 => Some(oa::ReasoningEffort::Medium),
        _ => Some(oa::ReasoningEffort::High),
    }
}

/// The request mapping with its options.
pub struct Request<'a>(pub ge::GenerateContentRequest, pub &'a Options);

impl TryTranslate<oa::CreateChatCompletionRequest> for Request<'_> {
    fn try_translate(self, cx: &mut Cx) -> Result<oa::CreateChatCompletionRequest, TranslateError> {
        let Request(r, options) = self;
        cx.lose_extra("", &r.extra)?;
        crate::gemini_caller::lose_unread(&r, &READS, cx)?;
        let tier = crate::gemini_caller::tier_word(&r, READS.tier_to);
        let mut messages = Vec::new();
        if let Some(system) = r.system_instruction {
            let text: Vec<String> = system
                .parts
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.text)
                .collect();
            messages.push(oa::ChatCompletionRequestMessage::SystemMessage(
                oa::ChatCompletionRequestSystemMessage {
                    content: Some(oa::ChatCompletionRequestSystemMessageContent::String(
                        text.join("\n"),
                    )),
                    role: Some(oa::ChatCompletionRequestSystemMessageRole::System),
                    ..Default::default()
                },
            ));
        }
        // Calls of the last model turn not answered yet: (name, id).
        let mut open_calls: Vec<(String, String)> = Vec::new();
        for (i, content) in r.contents.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/contents/{i}");
            let Some(model) = crate::build::gemini_model_turn(content.role.as_deref(), &at, cx)?
            else {
                continue;
            };
            let parts = content.parts.unwrap_or_default();
            if model {
                let mut text = String::new();
                let mut reasoning = String::new();
                let mut calls = Vec::new();
                open_calls.clear();
                for (j, p) in parts.into_iter().enumerate() {
                    let here = format!("{at}/parts/{j}");
                    if p.thought_signature.is_some() {
                        cx.lose(format!("{here}/thoughtSignature"))?;
                    }
                    if let Some(t) = p.text {
                        if p.thought == Some(true) {
                            if options.reasoning_field.is_some() {
                                reasoning.push_str(&t);
                            } else {
                                cx.lose(here)?;
                            }
                        } else {
                            text.push_str(&t);
                        }
                    } else if let Some(f) = p.function_call {
                        let name = f.name.unwrap_or_default();
                        let id =
                            f.id.unwrap_or_else(|| format!("{}{i}_{}", SYNTH.prefix, calls.len()));
                        open_calls.push((name.clone(), id.clone()));
                        calls.push(oa::ChatCompletionMessageToolCallsItem::ToolCall(
                            oa::ChatCompletionMessageToolCall {
                                id: Some(id),
                                function: Some(oa::ChatCompletionMessageToolCallFunction {
                                    name: Some(name),
                                    arguments: Some(
                                        Value::Object(f.args.unwrap_or_default()).to_string(),
                                    ),
                                    ..Default::default()
                                }),
                                type_: Some(oa::ChatCompletionMessageToolCallType::Function),
                                ..Default::default()
                            },
                        ));
                    } else {
                        cx.lose(here)?;
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
                continue;
            }
            let mut user = Vec::new();
            for (j, p) in parts.into_iter().enumerate() {
                let here = format!("{at}/parts/{j}");
                if let Some(t) = p.text {
                    user.push(oa::ChatCompletionRequestUserMessageContentPart::Text(
                        chat_text(t),
                    ));
                } else if let Some(blob) = p.inline_data {
                    let mime = blob.mime_type.unwrap_or_default();
                    let data = blob.data.unwrap_or_default();
                    if mime.starts_with("image/") {
                        user.push(image(format!("data:{mime};base64,{data}")));
                    } else if mime == "application/pdf" {
                        user.push(oa::ChatCompletionRequestUserMessageContentPart::File(
                            oa::ChatCompletionRequestMessageContentPartFile {
                                file: Some(oa::ChatCompletionRequestMessageContentPartFileFile {
                                    file_data: Some(format!("data:{mime};base64,{data}")),
                                    filename: Some("document.pdf".into()),
                                    ..Default::default()
                                }),
                                type_: Some(
                                    oa::ChatCompletionRequestMessageContentPartFileType::File,
                                ),
                                ..Default::default()
                            },
                        ));
                    } else {
                        cx.lose(here)?;
                    }
                } else if let Some(file) = p.file_data {
                    if file
                        .mime_type
                        .as_deref()
                        .unwrap_or("")
                        .starts_with("image/")
                    {
                        user.push(image(file.file_uri.unwrap_or_default()));
                    } else {
                        cx.lose(here)?;
                    }
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
                    // `{"result": "..."}` (or any one string) is the tool's text.
                    let text = match response.values().collect::<Vec<_>>().as_slice() {
                        [Value::String(s)] => s.clone(),
                        _ => Value::Object(response).to_string(),
                    };
                    messages.push(oa::ChatCompletionRequestMessage::ToolMessage(
                        oa::ChatCompletionRequestToolMessage {
                            content: Some(oa::ChatCompletionRequestToolMessageContent::String(
                                text,
                            )),
                            tool_call_id: Some(id),
                            role: Some(oa::ChatCompletionRequestToolMessageRole::Tool),
                            ..Default::default()
                        },
                    ));
                } else {
                    cx.lose(here)?;
                }
            }
            if !user.is_empty() {
                let content = match user.as_slice() {
                    [oa::ChatCompletionRequestUserMessageContentPart::Text(t)] => {
                        oa::ChatCompletionRequestUserMessageContent::String(
                            t.text.clone().unwrap_or_default(),
                        )
                    }
                    _ => oa::ChatCompletionRequestUserMessageContent::Array(user),
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
        let mut out = oa::CreateChatCompletionRequest {
            messages: Some(messages),
            ..Default::default()
        };
        if let Some(c) = r.generation_config {
            cx.lose_extra("/generationConfig", &c.extra)?;
            out.max_completion_tokens = c.max_output_tokens.map(Some);
            out.temperature = c.temperature.map(Some);
            out.top_p = c.top_p.map(Some);
            out.seed = c.seed.map(Some);
            out.n = c.candidate_count.map(Some);
            out.presence_penalty = c.presence_penalty.map(Some);
            out.frequency_penalty = c.frequency_penalty.map(Some);
            out.stop = c
                .stop_sequences
                .map(|s| Some(oa::StopConfiguration::Variant1(s)));
            if c.top_k.is_some() {
                cx.lose("/generationConfig/topK")?;
            }
            if c.response_logprobs == Some(true) {
                out.logprobs = Some(Some(true));
                out.top_logprobs = c.logprobs;
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
                out.response_format = Some(match schema {
                    Some(Value::Object(schema)) => {
                        oa::CreateChatCompletionRequestResponseFormat::JsonSchema(
                            oa::ResponseFormatJsonSchema {
                                json_schema: Some(oa::ResponseFormatJsonSchemaJsonSchema {
                                    name: Some("response".into()),
                                    schema: Some(oa::ResponseFormatJsonSchemaSchema(schema)),
                                    ..Default::default()
                                }),
                                type_: Some(oa::ResponseFormatJsonSchemaType::JsonSchema),
                                ..Default::default()
                            },
                        )
                    }
                    _ => serde_json::from_value(json!({"type": "json_object"}))
                        .map_err(|e| TranslateError::Invalid(e.to_string()))?,
                });
            } else if c
                .response_mime_type
                .as_deref()
                .is_some_and(|m| m != "text/plain")
            {
                cx.lose("/generationConfig/responseMimeType")?;
            }
            if let Some(t) = c.thinking_config {
                let effort = match (t.thinking_budget, t.thinking_level) {
                    (Some(b), _) => effort_for_budget(b),
                    (
                        None,
                        Some(
                            ge::ThinkingConfigThinkingLevel::Low
                            | ge::ThinkingConfigThinkingLevel::Minimal,
                        ),
                    ) => Some(oa::ReasoningEffort::Low),
                    (None, Some(ge::ThinkingConfigThinkingLevel::High)) => {
                        Some(oa::ReasoningEffort::High)
                    }
                    // A level the spec does not list: reported (gemini_caller), not guessed.
                    (None, Some(ge::ThinkingConfigThinkingLevel::Unknown(_))) => None,
                    (None, Some(_)) => Some(oa::ReasoningEffort::Medium),
                    (None, None) => None,
                };
                out.reasoning_effort = effort.map(Some);
            }
            if c.response_modalities.is_some() {
                cx.lose("/generationConfig/responseModalities")?;
            }
        }
        let mut tools = Vec::new();
        for t in r.tools.unwrap_or_default() {
            for d in t.function_declarations.unwrap_or_default() {
                let parameters = match (d.parameters_json_schema, d.parameters) {
                    (Some(Value::Object(m)), _) => m,
                    (_, Some(schema)) => {
                        match schema_to_json(&serde_json::to_value(schema).unwrap_or(Value::Null)) {
                            Value::Object(m) => m,
                            _ => Map::new(),
                        }
                    }
                    _ => Map::new(),
                };
                tools.push(
                    oa::CreateChatCompletionRequestToolsItem::ChatCompletionTool(
                        oa::ChatCompletionTool {
                            function: Some(oa::FunctionObject {
                                name: d.name,
                                description: d.description,
                                parameters: Some(oa::FunctionParameters(parameters)),
                                ..Default::default()
                            }),
                            type_: Some(oa::ChatCompletionToolType::Function),
                            ..Default::default()
                        },
                    ),
                );
            }
        }
        if !tools.is_empty() {
            out.tools = Some(tools);
        }
        if let Some(config) = r.tool_config.and_then(|c| c.function_calling_config) {
            let names = config.allowed_function_names.unwrap_or_default();
            out.tool_choice = match config.mode {
                // VALIDATED lets the model answer in words: auto, its calls checked.
                Some(ge::FunctionCallingConfigMode::Any) if names.len() == 1 => Some(
                    oa::ChatCompletionToolChoiceOption::ChatCompletionNamedToolChoice(
                        oa::ChatCompletionNamedToolChoice {
                            function: Some(oa::ChatCompletionNamedToolChoiceFunction {
                                name: names.into_iter().next(),
                                ..Default::default()
                            }),
                            type_: Some(oa::ChatCompletionNamedToolChoiceType::Function),
                            ..Default::default()
                        },
                    ),
                ),
                Some(ge::FunctionCallingConfigMode::Any) => {
                    Some(oa::ChatCompletionToolChoiceOption::String(
                        oa::ChatCompletionToolChoiceOptionString::Required,
                    ))
                }
                Some(ge::FunctionCallingConfigMode::None) => {
                    Some(oa::ChatCompletionToolChoiceOption::String(
                        oa::ChatCompletionToolChoiceOptionString::None,
                    ))
                }
                _ => Some(oa::ChatCompletionToolChoiceOption::String(
                    oa::ChatCompletionToolChoiceOptionString::Auto,
                )),
            };
        }
        if r.safety_settings.is_some() {
            cx.lose("/safetySettings")?;
        }
        if r.cached_content.is_some() {
            cx.lose("/cachedContent")?;
        }
        if options.stream {
            out.stream = Some(Some(true));
            if options.stream_options {
                out.stream_options = Some(Some(oa::ChatCompletionStreamOptions {
                    include_usage: Some(true),
                    ..Default::default()
                }));
            }
        }
        if let Some(word) = tier {
            out.service_tier = Some(crate::tier::typed(word));
        }
        Ok(out)
    }
}

fn image(url: String) -> oa::ChatCompletionRequestUserMessageContentPart {
    oa::ChatCompletionRequestUserMessageContentPart::Image(
        oa::ChatCompletionRequestMessageContentPartImage {
            image_url: Some(oa::ChatCompletionRequestMessageContentPartImageImageUrl {
                url: Some(url),
                ..Default::default()
            }),
            type_: Some(oa::ChatCompletionRequestMessageContentPartImageType::ImageUrl),
            ..Default::default()
        },
    )
}

/// OpenAI's finish reason → Gemini's.
fn finish_reason(finish: &str) -> &'static str {
    match finish {
        "length" => "MAX_TOKENS",
        "content_filter" => "SAFETY",
        _ => "STOP",
    }
}

/// Gemini usage metadata from OpenAI's usage.
fn usage_metadata(u: Option<&Value>) -> Value {
    let n = |p: &str| {
        u.and_then(|u| u.pointer(p))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    let reasoning = n("/completion_tokens_details/reasoning_tokens");
    let mut out = json!({
        "promptTokenCount": n("/prompt_tokens"),
        "candidatesTokenCount": crate::tokens_less(n("/completion_tokens"), reasoning),
        "totalTokenCount": n("/total_tokens"),
    });
    if reasoning > 0 {
        out["thoughtsTokenCount"] = json!(reasoning);
    }
    let cached = n("/prompt_tokens_details/cached_tokens");
    if cached > 0 {
        out["cachedContentTokenCount"] = json!(cached);
    }
    out
}

fn parse_args(arguments: &str) -> Value {
    match serde_json::from_str::<Value>(arguments) {
        Ok(Value::Object(m)) => Value::Object(m),
        _ => json!({}),
    }
}

/// A whole chat completion → a Gemini response (as JSON); the reasoning text is shown only
/// when the caller asked for thoughts (`shows_thoughts`).
pub fn response(
    body: &Value,
    caller_model: &str,
    options: &Options,
    shows_thoughts: bool,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let completion: oa::CreateChatCompletionResponse = serde_json::from_value(body.clone())
        .map_err(|e| TranslateError::Upstream(e.to_string()))?;
    let mut candidates = Vec::new();
    for (i, choice) in completion
        .choices
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let message = choice.message.unwrap_or_default();
        let mut parts = Vec::new();
        if let Some(field) = &options.reasoning_field
            && shows_thoughts
            && let Some(t) = message.extra.get(field).and_then(Value::as_str)
            && !t.is_empty()
        {
            parts.push(json!({"text": t, "thought": true}));
        }
        if let Some(Some(t)) = &message.content
            && !t.is_empty()
        {
            parts.push(json!({"text": t}));
        }
        if let Some(Some(r)) = &message.refusal {
            parts.push(json!({"text": r}));
        }
        for call in message
            .tool_calls
            .flatten()
            .map(|c| c.0)
            .unwrap_or_default()
        {
            let oa::ChatCompletionMessageToolCallsItem::ToolCall(call) = call else {
                cx.lose(format!("/choices/{i}/message/tool_calls"))?;
                continue;
            };
            let f = call.function.unwrap_or_default();
            parts.push(json!({"functionCall": {"id": call.id, "name": f.name, "args": parse_args(f.arguments.as_deref().unwrap_or("{}"))}}));
        }
        let finish = choice
            .finish_reason
            .and_then(|f| serde_json::to_value(f).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "stop".into());
        candidates.push(json!({"content": {"role": "model", "parts": parts}, "finishReason": finish_reason(&finish), "index": i}));
    }
    let mut usage = usage_metadata(body.get("usage"));
    if let Some(word) = served_by_openai(body, Family::Gemini, "/service_tier", cx)? {
        usage["serviceTier"] = json!(word);
    }
    Ok(json!({
        "candidates": candidates,
        "usageMetadata": usage,
        "modelVersion": caller_model,
        "responseId": completion.id.unwrap_or_default(),
    }))
}

/// An upstream error body (OpenAI's, Anthropic's or the Responses API's: the message is
/// at `/error/message`) → Gemini's error shape. A status that is no HTTP error status
/// (none, or past 599) is 500; Anthropic's 529 (overloaded) is 503.
pub fn error(status: u16, body: &[u8]) -> Bytes {
    let raw: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = raw
        .pointer("/error/message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let code = match status {
        529 => 503,
        400..=599 => status,
        _ => 500,
    };
    let s = match code {
        400 | 413 | 422 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };
    Bytes::from(json!({"error": {"code": code, "message": message, "status": s}}).to_string())
}

/// A tool call being gathered from its deltas.
#[derive(Debug, Default, Clone)]
struct PendingCall {
    id: String,
    name: String,
    arguments: String,
}

/// Per-request state of the Gemini-caller / OpenAI-upstream pair.
#[derive(Debug)]
pub struct GeminiToChat {
    cx: Cx,
    options: Options,
    caller_model: String,
    id: String,
    /// Chunks written so far (the JSON-array form needs `[` then `,`).
    written: usize,
    /// The calls being gathered, by the upstream's tool-call index, in the order they
    /// began (the index is the upstream's to choose: it never sizes anything).
    calls: Vec<(u64, PendingCall)>,
    finish: Option<String>,
    usage: Option<Value>,
    /// The tier that served the answer (`service_tier` of the chunks), in the last chunk's
    /// `usageMetadata`.
    tier: Option<&'static str>,
    complete: bool,
    /// The caller asked for thoughts (`includeThoughts`, read from its request); without
    /// it the upstream's reasoning text is left out, as Gemini leaves it out.
    shows_thoughts: bool,
    /// The last upstream chunk the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<()>,
}

impl GeminiToChat {
    pub fn new(strict: bool, options: Options, caller_model: &str) -> Self {
        GeminiToChat {
            cx: Cx::new("openai", strict),
            options,
            caller_model: caller_model.to_owned(),
            id: String::new(),
            written: 0,
            calls: Vec::new(),
            finish: None,
            usage: None,
            tier: None,
            complete: false,
            shows_thoughts: false,
            memo: Default::default(),
        }
    }

    /// Writes one Gemini chunk in the caller's stream form.
    fn emit(&mut self, chunk: &Value, out: &mut Vec<u8>) {
        self.emit_bytes(chunk.to_string().as_bytes(), out);
    }

    fn emit_bytes(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        self.open_frame(out);
        out.extend_from_slice(chunk);
        self.close_frame(out);
    }

    fn open_frame(&mut self, out: &mut Vec<u8>) {
        if self.options.sse {
            out.extend_from_slice(b"data: ");
        } else {
            out.extend_from_slice(if self.written == 0 { b"[" } else { b",\r\n" });
        }
        self.written += 1;
    }

    fn close_frame(&self, out: &mut Vec<u8>) {
        if self.options.sse {
            out.extend_from_slice(b"\r\n\r\n");
        }
    }

    /// A chunk carrying only a text, reasoning or argument delta, written as bytes (or,
    /// for arguments, gathered); false for anything else (left to the general path).
    fn fast_delta(&mut self, data: &str, out: &mut Vec<u8>) -> bool {
        use crate::fast::Piece;
        let Some(piece) = crate::fast::chat(
            data,
            self.options.reasoning_field.as_deref(),
            &mut self.memo,
        ) else {
            return false;
        };
        let (text, thought) = match piece {
            Piece::Text(t) => (t, false),
            Piece::Thinking(_) if !self.shows_thoughts => return true,
            Piece::Thinking(t) => (t, true),
            Piece::Arguments(i, a) => {
                let Some(call) = u64::try_from(i).ok().and_then(|i| self.call(i)) else {
                    return false;
                };
                call.arguments.push_str(&a);
                return true;
            }
        };
        if !text.is_empty() {
            self.open_frame(out);
            crate::fast::gemini_chunk(&text, thought, None, b"", &self.caller_model, &self.id, out);
            self.close_frame(out);
        }
        true
    }

    /// The call gathered under the upstream's tool-call `index`, once it began.
    fn call(&mut self, index: u64) -> Option<&mut PendingCall> {
        self.calls
            .iter_mut()
            .find(|(k, _)| *k == index)
            .map(|(_, c)| c)
    }

    fn chunk(&self, parts: Vec<Value>, finish: Option<&str>, usage: Option<Value>) -> Value {
        let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
        if let Some(f) = finish {
            candidate["finishReason"] = json!(f);
        }
        let mut c = json!({"candidates": [candidate], "modelVersion": self.caller_model, "responseId": self.id});
        if let Some(u) = usage {
            c["usageMetadata"] = u;
        }
        c
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        // In Chat's order: a call's index is its place in the message.
        self.calls.sort_by_key(|(index, _)| *index);
        let parts: Vec<Value> = self
            .calls
            .iter()
            .map(|(_, c)| json!({"functionCall": {"id": c.id, "name": c.name, "args": parse_args(&c.arguments)}}))
            .collect();
        let finish = finish_reason(self.finish.as_deref().unwrap_or("stop"));
        let mut usage = usage_metadata(self.usage.as_ref());
        if let Some(word) = self.tier {
            usage["serviceTier"] = json!(word);
        }
        let chunk = self.chunk(parts, Some(finish), Some(usage));
        self.emit(&chunk, out);
        if !self.options.sse {
            out.push(b']');
        }
        self.complete = true;
    }
}

impl Translator for GeminiToChat {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        let (stream, options) = (self.options.stream, self.options.stream_options);
        let field = self.options.reasoning_field.as_deref();
        if let Some(p) = plain::gemini(body, SYNTH)
            && let Some(out) = plain::to_chat(&p, model, stream, options, field)
            && let to = (plain::LossesTo::Chat {
                reasoning: field.is_some(),
            })
            && plain::report_gemini_losses(&p, to, &mut self.cx).is_some()
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
        let options = self.options.clone();
        let out: oa::CreateChatCompletionRequest =
            Request(req, &options).try_translate(&mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::GEMINI)?;
        let stream = options.stream;
        crate::build::encode(
            &out,
            stream,
            &mut self.cx,
            |value| {
                value["model"] = Value::String(model.to_owned());
            },
            crate::fixups::chat,
        )
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let v: Value =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let out = response(
            &v,
            &self.caller_model,
            &self.options,
            self.shows_thoughts,
            &mut self.cx,
        )?;
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
                self.end(out);
            }
            return Ok(());
        }
        if !self.id.is_empty() && self.fast_delta(data, out) {
            return Ok(());
        }
        let chunk: Value =
            serde_json::from_str(data).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        if chunk.get("error").is_some() {
            let e = error(500, data.as_bytes());
            self.stream_error_body(&e, out);
            return Ok(());
        }
        if self.id.is_empty() {
            // The tier, from the first chunk (OpenAI names it on every chunk alike).
            let at = "/stream/service_tier";
            self.tier = served_by_openai(&chunk, Family::Gemini, at, &mut self.cx)?;
            self.id = chunk
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
        }
        if let Some(u) = chunk.get("usage").filter(|u| !u.is_null()) {
            self.usage = Some(u.clone());
        }
        let Some(choice) = chunk.pointer("/choices/0") else {
            return Ok(());
        };
        let delta = choice.get("delta").cloned().unwrap_or(Value::Null);
        let mut parts = Vec::new();
        if let Some(field) = &self.options.reasoning_field
            && self.shows_thoughts
            && let Some(t) = delta.get(field.as_str()).and_then(Value::as_str)
            && !t.is_empty()
        {
            parts.push(json!({"text": t, "thought": true}));
        }
        if let Some(t) = delta.get("content").and_then(Value::as_str)
            && !t.is_empty()
        {
            parts.push(json!({"text": t}));
        }
        for call in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let index = call.get("index").and_then(Value::as_u64).unwrap_or(0);
            if self.call(index).is_none() {
                self.calls.push((index, PendingCall::default()));
            }
            let Some(pending) = self.call(index) else {
                continue;
            };
            if let Some(id) = call.get("id").and_then(Value::as_str) {
                pending.id = id.to_owned();
            }
            if let Some(name) = call.pointer("/function/name").and_then(Value::as_str) {
                pending.name.push_str(name);
            }
            if let Some(args) = call.pointer("/function/arguments").and_then(Value::as_str) {
                pending.arguments.push_str(args);
            }
        }
        if !parts.is_empty() {
            let c = self.chunk(parts, None, None);
            self.emit(&c, out);
        }
        if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(f.to_owned());
        }
        Ok(())
    }

    fn stream_complete(&self) -> bool {
        self.complete
    }

    fn stream_finish(&mut self, out: &mut Vec<u8>) -> bool {
        if !self.complete && self.finish.is_some() {
            // An upstream that ends without `[DONE]` after its finish chunk.
            self.end(out);
        }
        self.complete
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        let e = json!({"error": {"code": 502, "message": message, "status": "UNAVAILABLE"}})
            .to_string();
        self.stream_error_body(e.as_bytes(), out);
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        error(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}

impl GeminiToChat {
    /// Ends the caller's stream with an error element/event (google-genai raises on a chunk
    /// starting `{"error":`).
    fn stream_error_body(&mut self, e: &[u8], out: &mut Vec<u8>) {
        if self.options.sse {
            out.extend_from_slice(b"data: ");
            out.extend_from_slice(e);
            out.extend_from_slice(b"\r\n\r\n");
        } else {
            out.extend_from_slice(if self.written == 0 { b"[" } else { b",\r\n" });
            out.extend_from_slice(e);
            out.push(b']');
        }
        self.complete = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proto_names_become_json_names_outside_free_form_values() {
        let mut v = json!({"generation_config": {"thinking_config": {"include_thoughts": true}},
            "tools": [{"function_declarations": [{"name": "f", "parameters_json_schema": {"properties": {"max_tokens": {}}}}]}],
            "contents": [{"parts": [{"function_call": {"name": "f", "args": {"user_id": 1}}}]}]});
        normalize_keys(&mut v);
        assert_eq!(
            v,
            json!({"generationConfig": {"thinkingConfig": {"includeThoughts": true}},
            "tools": [{"functionDeclarations": [{"name": "f", "parametersJsonSchema": {"properties": {"max_tokens": {}}}}]}],
            "contents": [{"parts": [{"functionCall": {"name": "f", "args": {"user_id": 1}}}]}]})
        );
    }

    #[test]
    fn proto_names_keep_the_callers_key_order() {
        let mut v = json!({"generation_config": {"seed": 1, "top_k": 2, "stopSequences": [],
            "temperature": 0, "top_p": 1, "topP": 0.5}});
        normalize_keys(&mut v);
        let config = v["generationConfig"].as_object().expect("object");
        let keys: Vec<&str> = config.keys().map(String::as_str).collect();
        // Both spellings: the JSON name wins, the proto name stays as sent, in place.
        assert_eq!(
            keys,
            [
                "seed",
                "topK",
                "stopSequences",
                "temperature",
                "top_p",
                "topP"
            ]
        );
    }

    #[test]
    fn gemini_schemas_become_json_schema() {
        let s = json!({"type": "OBJECT", "properties": {"city": {"type": "STRING", "nullable": true},
            "days": {"type": "ARRAY", "items": {"type": "INTEGER"}, "minItems": "1"}}, "required": ["city"], "propertyOrdering": ["city", "days"]});
        assert_eq!(
            schema_to_json(&s),
            json!({"type": "object", "properties": {"city": {"type": ["string", "null"]},
                "days": {"type": "array", "items": {"type": "integer"}, "minItems": 1}}, "required": ["city"]})
        );
    }
}
