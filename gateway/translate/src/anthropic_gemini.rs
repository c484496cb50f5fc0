//! Anthropic Messages caller → Gemini generateContent upstream.
//!
//! Request: `system` → `systemInstruction`; text, image (base64 → `inlineData`, URL →
//! `fileData`) and PDF document blocks (base64 → `inlineData`, URL → `fileData`) → parts; `tool_use` → `functionCall` (id kept),
//! `tool_result` → `functionResponse` (its function name found from the call it answers;
//! its base64 images and PDFs as the response's `parts` toward Gemini 3 and later models);
//! a thinking block's signature that came from Gemini (marked so, see
//! [`crate::sealed`]; another provider's is reported) goes back as the `thoughtSignature`
//! of the part it preceded (its text is Gemini's to regenerate); tools →
//! `functionDeclarations` with `parametersJsonSchema`; `tool_choice` →
//! `functionCallingConfig`; thinking → `thinkingConfig` (budget, thoughts included);
//! `output_config.format` → `responseMimeType` + `responseJsonSchema`; `max_tokens`,
//! temperature, `top_p`, `top_k`, `stop_sequences` → `generationConfig`.
//!
//! Response: thought parts → thinking blocks (with the signature Gemini attached to them
//! or to the part after, marked as Gemini's), text → text blocks, function calls →
//! `tool_use` blocks (ids synthesized where Gemini gives none); finish reasons → stop
//! reasons; usage with cached content as cache reads and thoughts counted as output.
//!
//! Stream: Gemini chunks → Anthropic's events, one content block at a time; the end of the
//! upstream's stream closes the open block and sends `message_delta` and `message_stop`.

use aigw_anthropic as an;
use aigw_gemini as ge;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::build::{gemini_takes_result_media, gemini_text, push_gemini_turn};
use crate::openai_gemini::{http_url, mime_from_url, response_object};
use crate::sealed::Sealed;
use crate::tier::{Family, served_by_gemini};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, TryTranslate};

/// A `tool_result`'s content: its texts joined, and (when the upstream model takes them,
/// `media`) its base64 images and PDFs as the function response's parts; the rest reported.
fn tool_result_content(
    content: Option<an::RequestToolResultBlockContent>,
    at: &str,
    media: bool,
    cx: &mut Cx,
) -> Result<(String, Vec<ge::FunctionResponsePart>), TranslateError> {
    use an::RequestToolResultBlockContentArrayItem as Item;
    let mut parts = Vec::new();
    let text = match content {
        None => String::new(),
        Some(an::RequestToolResultBlockContent::String(s)) => s,
        Some(an::RequestToolResultBlockContent::Array(items)) => {
            let mut text = String::new();
            for (k, item) in items.into_iter().enumerate() {
                let blob =
                    |mime_type: Option<String>, data: Option<String>| ge::FunctionResponsePart {
                        inline_data: Some(ge::FunctionResponseBlob {
                            data,
                            mime_type,
                            ..Default::default()
                        }),
                        ..Default::default()
                    };
                match item {
                    Item::TextBlock(t) => text.push_str(t.text.as_deref().unwrap_or("")),
                    Item::ImageBlock(an::RequestImageBlock {
                        source: Some(an::RequestImageBlockSource::Base64ImageSource(b)),
                        ..
                    }) if media => {
                        let mime = serde_json::to_value(&b.media_type)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned));
                        parts.push(blob(mime, b.data));
                    }
                    Item::DocumentBlock(an::RequestDocumentBlock {
                        source: Some(an::RequestDocumentBlockSource::Base64PdfSource(p)),
                        ..
                    }) if media => parts.push(blob(Some("application/pdf".into()), p.data)),
                    _ => cx.lose(format!("{at}/content/{k}"))?,
                }
            }
            text
        }
        Some(an::RequestToolResultBlockContent::Unknown(_)) => {
            cx.lose(format!("{at}/content"))?;
            String::new()
        }
    };
    Ok((text, parts))
}

/// The request mapping with the upstream model, which decides whether a function's result
/// may hold images and PDFs ([`gemini_takes_result_media`]).
pub struct Request<'m>(pub an::CreateMessageParams, pub &'m str);

impl TryTranslate<ge::GenerateContentRequest> for Request<'_> {
    fn try_translate(self, cx: &mut Cx) -> Result<ge::GenerateContentRequest, TranslateError> {
        let Request(r, model) = self;
        let result_media = gemini_takes_result_media(model);
        cx.lose_extra("", &r.extra)?;
        let reads = crate::anthropic_caller::Reads {
            document_title: false,
            strict_tools: false,
            parallel_switch: false,
            effort: false,
        };
        crate::anthropic_caller::lose_unread(&r, &reads, cx)?;
        let mut out = ge::GenerateContentRequest::default();
        match r.system {
            None => {}
            Some(an::CreateMessageParamsSystem::String(s)) => {
                out.system_instruction = Some(ge::Content {
                    parts: Some(vec![gemini_text(s)]),
                    ..Default::default()
                })
            }
            Some(an::CreateMessageParamsSystem::Array(blocks)) => {
                let parts = crate::build::anthropic_system_texts(blocks, cx)?
                    .into_iter()
                    .map(gemini_text)
                    .collect();
                out.system_instruction = Some(ge::Content {
                    parts: Some(parts),
                    ..Default::default()
                });
            }
            Some(an::CreateMessageParamsSystem::Unknown(_)) => cx.lose("/system")?,
        }
        let mut contents = Vec::new();
        let mut names: Vec<(String, String)> = Vec::new();
        for (i, m) in r.messages.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/messages/{i}");
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
            let assistant = match m.role {
                Some(an::InputMessageRole::Assistant) => true,
                Some(an::InputMessageRole::User) | None => false,
                Some(_) => {
                    cx.lose(at.to_owned())?;
                    continue;
                }
            };
            let mut parts = Vec::new();
            let mut pending_signature: Option<String> = None;
            for (j, block) in blocks.into_iter().enumerate() {
                let here = format!("{at}/content/{j}");
                let mut part = match block {
                    // Cache hints: reported by `anthropic_caller`.
                    an::InputContentBlock::TextBlock(t) => gemini_text(t.text.unwrap_or_default()),
                    an::InputContentBlock::ImageBlock(img) => match img.source {
                        Some(an::RequestImageBlockSource::Base64ImageSource(b)) => ge::Part {
                            inline_data: Some(ge::Blob {
                                data: b.data,
                                mime_type: serde_json::to_value(&b.media_type)
                                    .ok()
                                    .and_then(|v| v.as_str().map(str::to_owned)),
                                ..Default::default()
                            }),
                            ..Default::default()
                        },
                        Some(an::RequestImageBlockSource::UrlImageSource(u)) => {
                            let url = u.url.unwrap_or_default();
                            ge::Part {
                                file_data: Some(ge::FileData {
                                    mime_type: Some(mime_from_url(&url).to_owned()),
                                    file_uri: Some(url),
                                    ..Default::default()
                                }),
                                ..Default::default()
                            }
                        }
                        _ => {
                            cx.lose(here)?;
                            continue;
                        }
                    },
                    an::InputContentBlock::DocumentBlock(d) => match d.source {
                        Some(an::RequestDocumentBlockSource::Base64PdfSource(p)) => ge::Part {
                            inline_data: Some(ge::Blob {
                                data: p.data,
                                mime_type: Some("application/pdf".into()),
                                ..Default::default()
                            }),
                            ..Default::default()
                        },
                        Some(an::RequestDocumentBlockSource::PlainTextSource(t)) => {
                            gemini_text(t.data.unwrap_or_default())
                        }
                        // A PDF by URL is file data, as an image by URL is.
                        Some(an::RequestDocumentBlockSource::UrlpdfSource(u))
                            if u.url.as_deref().is_some_and(http_url) =>
                        {
                            ge::Part {
                                file_data: Some(ge::FileData {
                                    mime_type: Some("application/pdf".into()),
                                    file_uri: u.url,
                                    ..Default::default()
                                }),
                                ..Default::default()
                            }
                        }
                        _ => {
                            cx.lose(here)?;
                            continue;
                        }
                    },
                    an::InputContentBlock::ToolUseBlock(t) => {
                        let name = t.name.unwrap_or_default();
                        if let Some(id) = &t.id {
                            names.push((id.clone(), name.clone()));
                        }
                        ge::Part {
                            function_call: Some(ge::FunctionCall {
                                id: t.id,
                                name: Some(name),
                                args: Some(t.input.unwrap_or_default()),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }
                    }
                    an::InputContentBlock::ToolResultBlock(t) => {
                        let id = t.tool_use_id.unwrap_or_default();
                        let name = names
                            .iter()
                            .find(|(i, _)| *i == id)
                            .map(|(_, n)| n.clone())
                            .ok_or_else(|| {
                                TranslateError::Invalid(format!(
                                    "{here}/tool_use_id: no earlier tool_use has the id {id:?}"
                                ))
                            })?;
                        if t.is_error == Some(true) {
                            cx.lose(format!("{here}/is_error"))?;
                        }
                        let (text, media) =
                            tool_result_content(t.content, &here, result_media, cx)?;
                        ge::Part {
                            function_response: Some(ge::FunctionResponse {
                                id: Some(id),
                                name: Some(name),
                                response: Some(response_object(text)),
                                parts: (!media.is_empty()).then_some(media),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }
                    }
                    an::InputContentBlock::ThinkingBlock(t) if assistant => {
                        // Gemini regenerates its thoughts; its signature (its own only, see
                        // `Sealed`) goes on the next part.
                        pending_signature = match t.signature.filter(|s| !s.is_empty()) {
                            Some(s) => match Sealed::GeminiThought.open_base64(&s) {
                                Some(sig) => Some(sig),
                                None => {
                                    cx.lose(format!("{here}/signature"))?;
                                    None
                                }
                            },
                            None => None,
                        };
                        continue;
                    }
                    _ => {
                        cx.lose(here)?;
                        continue;
                    }
                };
                if let Some(sig) = pending_signature.take() {
                    part.thought_signature = Some(sig);
                }
                parts.push(part);
            }
            push_gemini_turn(
                &mut contents,
                if assistant { "model" } else { "user" },
                parts,
            );
        }
        out.contents = Some(contents);
        let mut config = ge::GenerationConfig {
            max_output_tokens: crate::build::gemini_int32(r.max_tokens, "/max_tokens", cx)?,
            temperature: r.temperature,
            top_p: r.top_p,
            top_k: crate::build::gemini_int32(r.top_k, "/top_k", cx)?,
            stop_sequences: r.stop_sequences,
            ..Default::default()
        };
        match r.thinking {
            Some(an::ThinkingConfigParam::Enabled(t)) => {
                config.thinking_config = Some(ge::ThinkingConfig {
                    thinking_budget: t.budget_tokens,
                    include_thoughts: Some(true),
                    ..Default::default()
                })
            }
            Some(an::ThinkingConfigParam::Adaptive(_)) => {
                config.thinking_config = Some(ge::ThinkingConfig {
                    thinking_budget: Some(-1),
                    include_thoughts: Some(true),
                    ..Default::default()
                })
            }
            Some(an::ThinkingConfigParam::Disabled(_)) => {
                config.thinking_config = Some(ge::ThinkingConfig {
                    thinking_budget: Some(0),
                    ..Default::default()
                })
            }
            Some(an::ThinkingConfigParam::Unknown(_)) => cx.lose("/thinking")?,
            None => {}
        }
        if let Some(c) = r.output_config
            && let Some(Some(format)) = c.format
            && let Some(schema) = crate::build::anthropic_json_format(format, cx)?
        {
            config.response_mime_type = Some("application/json".into());
            config.response_json_schema_2 = Some(Value::Object(schema));
        }
        out.generation_config = Some(config);
        let mut declarations = Vec::new();
        for (i, t) in r.tools.unwrap_or_default().into_iter().enumerate() {
            let an::CreateMessageParamsToolsItem::Tool(t) = t else {
                cx.lose(format!("/tools/{i}"))?;
                continue;
            };
            declarations.push(ge::FunctionDeclaration {
                name: t.name,
                description: t.description,
                parameters_json_schema: t.input_schema.and_then(|s| serde_json::to_value(s).ok()),
                ..Default::default()
            });
        }
        if !declarations.is_empty() {
            out.tools = Some(vec![ge::Tool {
                function_declarations: Some(declarations),
                ..Default::default()
            }]);
        }
        let config =
            |mode: ge::FunctionCallingConfigMode, names: Option<Vec<String>>| ge::ToolConfig {
                function_calling_config: Some(ge::FunctionCallingConfig {
                    mode: Some(mode),
                    allowed_function_names: names,
                    ..Default::default()
                }),
                ..Default::default()
            };
        out.tool_config = match r.tool_choice {
            None => None,
            Some(an::ToolChoice::Auto(a)) => {
                if a.disable_parallel_tool_use == Some(true) {
                    cx.lose("/tool_choice/disable_parallel_tool_use")?;
                }
                Some(config(ge::FunctionCallingConfigMode::Auto, None))
            }
            Some(an::ToolChoice::Any(a)) => {
                if a.disable_parallel_tool_use == Some(true) {
                    cx.lose("/tool_choice/disable_parallel_tool_use")?;
                }
                Some(config(ge::FunctionCallingConfigMode::Any, None))
            }
            Some(an::ToolChoice::Tool(t)) => Some(config(
                ge::FunctionCallingConfigMode::Any,
                t.name.map(|n| vec![n]),
            )),
            Some(an::ToolChoice::None(_)) => {
                Some(config(ge::FunctionCallingConfigMode::None, None))
            }
            Some(an::ToolChoice::Unknown(_)) => {
                cx.lose("/tool_choice")?;
                None
            }
        };
        if r.metadata.is_some() {
            cx.lose("/metadata")?;
        }
        if let Some(t) = &r.service_tier {
            use crate::tier::{self, Family, Mapped};
            match tier::map(&tier::word_of(t), Family::Anthropic, Family::Gemini) {
                Mapped::Sent(word) => out.service_tier = tier::typed(word),
                Mapped::Default => {}
                Mapped::Lost => cx.lose("/service_tier")?,
            }
        }
        Ok(out)
    }
}

/// Gemini's finish reason → Anthropic's stop reason.
pub(crate) fn stop_reason(
    reason: Option<&ge::CandidateFinishReason>,
    called: bool,
) -> &'static str {
    use ge::CandidateFinishReason as F;
    match reason {
        Some(F::MaxTokens) => "max_tokens",
        Some(
            F::Safety
            | F::Recitation
            | F::Blocklist
            | F::ProhibitedContent
            | F::Spii
            | F::ImageSafety
            | F::Language,
        ) => "refusal",
        _ if called => "tool_use",
        _ => "end_turn",
    }
}

/// Anthropic usage from Gemini's metadata.
pub(crate) fn usage(u: &ge::UsageMetadata) -> Value {
    let n = |count: Option<i64>| crate::tokens(count.unwrap_or(0));
    let cached = n(u.cached_content_token_count);
    json!({
        "input_tokens": crate::tokens_less(n(u.prompt_token_count), cached),
        "output_tokens": n(u.candidates_token_count).saturating_add(n(u.thoughts_token_count)),
        "cache_read_input_tokens": cached,
        "cache_creation_input_tokens": 0,
    })
}

fn tool_id(response_id: &str, k: usize) -> String {
    format!(
        "toolu_{}_{k}",
        if response_id.is_empty() {
            "gemini"
        } else {
            response_id
        }
    )
}

/// Gemini parts → Anthropic content blocks.
pub(crate) fn blocks(
    parts: Vec<ge::Part>,
    response_id: &str,
    first_tool: usize,
    cx: &mut Cx,
    at: &str,
) -> Result<Vec<Value>, TranslateError> {
    let mut out: Vec<Value> = Vec::new();
    let mut tools = first_tool;
    for (j, p) in parts.into_iter().enumerate() {
        let signature = p
            .thought_signature
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| Sealed::GeminiThought.seal_base64(s));
        if p.thought == Some(true) {
            out.push(json!({"type": "thinking", "thinking": p.text.unwrap_or_default(), "signature": signature.unwrap_or_default()}));
            continue;
        }
        if let Some(sig) = signature {
            // A signature on the part after the thoughts belongs to them.
            match out.last_mut() {
                Some(last) if last["type"] == "thinking" && last["signature"] == "" => {
                    last["signature"] = Value::String(sig)
                }
                _ => out.push(json!({"type": "thinking", "thinking": "", "signature": sig})),
            }
        }
        if let Some(t) = p.text {
            out.push(json!({"type": "text", "text": t}));
        } else if let Some(f) = p.function_call {
            let id =
                crate::fixups::anthropic_id(&f.id.unwrap_or_else(|| tool_id(response_id, tools)));
            tools += 1;
            out.push(json!({"type": "tool_use", "id": id, "name": f.name, "input": Value::Object(f.args.unwrap_or_default())}));
        } else if p.thought_signature.is_none() {
            cx.lose(format!("{at}/parts/{j}"))?;
        }
    }
    Ok(out)
}

/// A whole Gemini response → an Anthropic message (as JSON).
pub fn response(
    r: ge::GenerateContentResponse,
    caller_model: &str,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let response_id = r.response_id.clone().unwrap_or_default();
    let mut candidates = r.candidates.unwrap_or_default().into_iter();
    let c = candidates.next().unwrap_or_default();
    if candidates.next().is_some() {
        cx.lose("/candidates/1")?;
    }
    let content = blocks(
        c.content.and_then(|c| c.parts).unwrap_or_default(),
        &response_id,
        0,
        cx,
        "/candidates/0/content",
    )?;
    let called = content.iter().any(|b| b["type"] == "tool_use");
    let blocked = r
        .prompt_feedback
        .as_ref()
        .and_then(|f| f.block_reason.as_ref())
        .is_some();
    let u = r.usage_metadata.unwrap_or_default();
    let mut usage = usage(&u);
    if let Some(word) = served_by_gemini(
        Some(&u),
        Family::Anthropic,
        "/usageMetadata/serviceTier",
        cx,
    )? {
        usage["service_tier"] = json!(word);
    }
    Ok(json!({
        "id": format!("msg_{}", if response_id.is_empty() { "gemini" } else { &response_id }),
        "type": "message",
        "role": "assistant",
        "model": caller_model,
        "content": content,
        "stop_reason": if blocked { "refusal" } else { stop_reason(c.finish_reason.as_ref(), called) },
        "stop_sequence": null,
        "usage": usage,
    }))
}

/// A Gemini error body → Anthropic's error shape.
pub fn error(status: u16, body: &[u8]) -> Bytes {
    let raw: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = raw
        .pointer("/error/message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let t = match status {
        400 => "invalid_request_error",
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Thinking,
    Text,
}

/// Per-request state of the Anthropic-caller / Gemini-upstream pair.
#[derive(Debug)]
pub struct MessagesToGemini {
    cx: Cx,
    caller_model: String,
    started: bool,
    id: String,
    open: Open,
    next_block: i64,
    tools: usize,
    finish: Option<ge::CandidateFinishReason>,
    usage: ge::UsageMetadata,
    complete: bool,
    /// The last upstream chunk the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<crate::fast::GeminiShape>,
}

impl MessagesToGemini {
    pub fn new(strict: bool) -> Self {
        MessagesToGemini {
            cx: Cx::new("gemini", strict),
            caller_model: String::new(),
            started: false,
            id: String::new(),
            open: Open::None,
            next_block: 0,
            tools: 0,
            finish: None,
            usage: ge::UsageMetadata::default(),
            complete: false,
            memo: Default::default(),
        }
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

    fn start_block(&mut self, kind: Open, block: Value, out: &mut Vec<u8>) {
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

    /// A chunk of one text or thought part continuing the open block, written as a
    /// `content_block_delta` in bytes; false for anything else (left to the general path).
    fn fast_delta(&mut self, data: &str, out: &mut Vec<u8>) -> bool {
        use crate::fast::Piece;
        let Some((piece, usage)) = crate::fast::gemini(data, &mut self.memo) else {
            return false;
        };
        let index = self.next_block - 1;
        match (&piece, self.open) {
            (Piece::Text(t), Open::Text) if !t.is_empty() => {
                crate::fast::anthropic_delta(index, "text_delta", "text", t, out)
            }
            (Piece::Thinking(t), Open::Thinking) if !t.is_empty() => {
                crate::fast::anthropic_delta(index, "thinking_delta", "thinking", t, out)
            }
            _ => return false,
        }
        if let Some(u) = usage {
            u.store(&mut self.usage);
        }
        true
    }
}

impl Translator for MessagesToGemini {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        if let Some(p) = plain::anthropic(body)
            && let Some(out) = plain::to_gemini(&p, true, gemini_takes_result_media(model))
            && plain::report_losses(&p, plain::LossesTo::Gemini, &mut self.cx).is_some()
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
        let out: ge::GenerateContentRequest = Request(req, model).try_translate(&mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::ANTHROPIC)?;
        crate::build::encode(&out, stream, &mut self.cx, |_| {}, crate::fixups::gemini)
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let r: ge::GenerateContentResponse =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        Ok(Bytes::from(
            response(r, &self.caller_model, &mut self.cx)?.to_string(),
        ))
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
                aigw_sse::encode(Some("error"), std::str::from_utf8(&e).unwrap_or("{}"), out);
                self.complete = true;
                return Ok(());
            }
        };
        if let Some(u) = r.usage_metadata {
            self.usage = u;
        }
        if !self.started {
            self.started = true;
            self.id = format!(
                "msg_{}",
                r.response_id.clone().unwrap_or_else(|| "gemini".into())
            );
            // The tier, when the first chunk names it (`message_delta` has no place for it).
            let mut usage = json!({"input_tokens": 0, "output_tokens": 0});
            let at = "/stream/usageMetadata/serviceTier";
            if let Some(word) =
                served_by_gemini(Some(&self.usage), Family::Anthropic, at, &mut self.cx)?
            {
                usage["service_tier"] = json!(word);
            }
            crate::sse(
                out,
                Some("message_start"),
                &json!({"type": "message_start", "message": {"id": self.id, "type": "message",
                "role": "assistant", "model": self.caller_model, "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": usage}}),
            );
        }
        let candidate = r
            .candidates
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default();
        let response_id = self.id.clone();
        let parts = candidate.content.and_then(|c| c.parts).unwrap_or_default();
        for block in blocks(parts, &response_id, self.tools, &mut self.cx, "/stream")? {
            match block["type"].as_str() {
                Some("thinking") => {
                    if self.open != Open::Thinking {
                        self.start_block(
                            Open::Thinking,
                            json!({"type": "thinking", "thinking": "", "signature": ""}),
                            out,
                        );
                    }
                    if let Some(t) = block["thinking"].as_str().filter(|t| !t.is_empty()) {
                        self.delta(json!({"type": "thinking_delta", "thinking": t}), out);
                    }
                    if let Some(s) = block["signature"].as_str().filter(|s| !s.is_empty()) {
                        self.delta(json!({"type": "signature_delta", "signature": s}), out);
                    }
                }
                Some("text") => {
                    if self.open != Open::Text {
                        self.start_block(Open::Text, json!({"type": "text", "text": ""}), out);
                    }
                    self.delta(json!({"type": "text_delta", "text": block["text"]}), out);
                }
                Some("tool_use") => {
                    self.tools += 1;
                    let input = block["input"].to_string();
                    self.start_block(Open::Text, json!({"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}), out);
                    self.delta(
                        json!({"type": "input_json_delta", "partial_json": input}),
                        out,
                    );
                    self.close(out);
                }
                _ => {}
            }
        }
        if let Some(f) = candidate.finish_reason {
            self.finish = Some(f);
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
        if self.finish.is_none() {
            return false;
        }
        self.close(out);
        let stop = stop_reason(self.finish.as_ref(), self.tools > 0);
        let mut u = usage(&self.usage);
        if let Some(o) = u.as_object_mut() {
            o.shift_remove("cache_creation_input_tokens");
        }
        crate::sse(
            out,
            Some("message_delta"),
            &json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": u}),
        );
        crate::sse(out, Some("message_stop"), &json!({"type": "message_stop"}));
        self.complete = true;
        true
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        crate::sse(
            out,
            Some("error"),
            &json!({"type": "error", "error": {"type": "api_error", "message": message}}),
        );
        self.complete = true;
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        error(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
