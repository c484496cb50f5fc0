//! OpenAI Responses caller → Gemini generateContent upstream.
//!
//! Request: `instructions`, system and developer messages → `systemInstruction`; user
//! messages → text, `inlineData` and `fileData` parts (images by URL, and files by a URL
//! that names a PDF); assistant messages → model text;
//! `function_call` items → `functionCall` parts (`call_id` as the id),
//! `function_call_output` items → `functionResponse` parts (the name found from the call;
//! the output's base64 images and PDFs as the response's `parts` toward Gemini 3 and later);
//! a reasoning item's `encrypted_content` (`gm:` + a Gemini thought signature, as this
//! pair wrote it; another provider's state is reported, see [`Sealed`]) → the
//! `thoughtSignature` of the model part that follows; function tools →
//! `functionDeclarations`, `tool_choice` → `functionCallingConfig`, `text.format` →
//! `responseMimeType` + `responseJsonSchema`, `reasoning.effort` → `thinkingConfig`,
//! `max_output_tokens`, temperature, `top_p` → `generationConfig`.
//!
//! Response and stream: thought parts → reasoning items, a `thoughtSignature` → the
//! reasoning item's `encrypted_content` (`gm:` + it), text → message items, function calls →
//! `function_call` items (call ids synthesized where Gemini gives none), through
//! [`crate::responses::Writer`]; `MAX_TOKENS` and safety stops → `incomplete`. Gemini's
//! stream has no end event: the upstream's end finishes the answer.

use aigw_gemini as ge;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::openai_gemini::{mime_from_url, pdf_url, response_object};
use crate::responses::{self, Choice, Item, Part, Writer};
use crate::sealed::Sealed;
use crate::tier::{Family, served_by_gemini};
use crate::{Cx, TranslateError, TranslatedRequest, Translator, parse_data_url};

fn budget(effort: &str) -> i64 {
    match effort {
        "minimal" => 512,
        "low" => 1024,
        "medium" => 8192,
        _ => 24576,
    }
}

fn push(turns: &mut Vec<Value>, role: &str, items: Vec<Value>) {
    crate::build::push_json_turn(turns, role, "parts", items);
}

fn parts_of(content: &Value, at: &str, cx: &mut Cx) -> Result<Vec<Value>, TranslateError> {
    let mut out = Vec::new();
    for (j, p) in responses::parts(content).into_iter().enumerate() {
        let inline = |url: &str| {
            let (media, data) = parse_data_url(url)?;
            Some(json!({"inlineData": {"mimeType": media, "data": data}}))
        };
        match p {
            Part::Text(t) => out.push(json!({"text": t})),
            Part::File { data, filename } => match inline(&data) {
                Some(part) => {
                    // Gemini's file data has no name.
                    if filename.is_some() {
                        cx.lose(format!("{at}/content/{j}/filename"))?;
                    }
                    out.push(part);
                }
                // Data that is no `data:` URL is not a file Gemini can read.
                None => cx.lose(format!("{at}/content/{j}"))?,
            },
            Part::Image(url, _) => match inline(&url) {
                Some(part) => out.push(part),
                // An empty URL names nothing.
                None if url.is_empty() => cx.lose(format!("{at}/content/{j}"))?,
                None => {
                    out.push(json!({"fileData": {"mimeType": mime_from_url(&url), "fileUri": url}}))
                }
            },
            // A PDF by URL is file data; another file by URL has no type.
            Part::FileUrl { url, filename } if pdf_url(&url) => {
                if filename.is_some() {
                    cx.lose(format!("{at}/content/{j}/filename"))?;
                }
                out.push(json!({"fileData": {"mimeType": "application/pdf", "fileUri": url}}))
            }
            Part::FileUrl { .. } | Part::Other => cx.lose(format!("{at}/content/{j}"))?,
        }
    }
    Ok(out)
}

/// A function call output's images and PDFs (base64 `data:` URLs) as a function response's
/// parts; what Gemini cannot take inside a result (an image by http URL: the Gemini API's
/// response parts hold inline data only, a file by id) reported at `{at}/{j}`.
fn response_parts(output: &Value, at: &str, cx: &mut Cx) -> Result<Vec<Value>, TranslateError> {
    let mut out = Vec::new();
    for (j, p) in responses::parts(output).into_iter().enumerate() {
        let data = match p {
            Part::Text(_) => continue,
            Part::Image(url, _) => url,
            Part::File { data, filename } => {
                // Gemini's inline data has no name.
                if filename.is_some() {
                    cx.lose(format!("{at}/{j}/filename"))?;
                }
                data
            }
            // Gemini's response parts hold inline data only.
            Part::FileUrl { .. } | Part::Other => String::new(),
        };
        match parse_data_url(&data) {
            Some((media, data)) => {
                out.push(json!({"inlineData": {"mimeType": media, "data": data}}))
            }
            None => cx.lose(format!("{at}/{j}"))?,
        }
    }
    Ok(out)
}

/// The Gemini request for a Responses request, for the upstream `model` (which decides
/// whether a function's result may hold images and PDFs,
/// [`crate::build::gemini_takes_result_media`]).
pub fn request(
    req: &Map<String, Value>,
    model: &str,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    let tier = responses::check_top_level(req, &[], Some(crate::tier::Family::Gemini), cx)?;
    let result_media = crate::build::gemini_takes_result_media(model);
    let carries = responses::Carries {
        output_media: result_media,
        ..Default::default()
    };
    responses::check_settings(req, carries, cx)?;
    let mut system = Vec::new();
    if let Some(i) = req.get("instructions").and_then(Value::as_str) {
        system.push(json!({"text": i}));
    }
    let mut contents: Vec<Value> = Vec::new();
    let mut names: Vec<(String, String)> = Vec::new();
    let mut signature: Option<String> = None;
    for (i, v) in responses::input_items(req).iter().enumerate() {
        let at = format!("/input/{i}");
        let mut model_parts = match responses::item(v) {
            Item::Message { role, content } => match role {
                "system" | "developer" => {
                    system.extend(parts_of(content, &at, cx)?);
                    continue;
                }
                "user" => {
                    let p = parts_of(content, &at, cx)?;
                    push(&mut contents, "user", p);
                    continue;
                }
                "assistant" => parts_of(content, &at, cx)?,
                _ => {
                    cx.lose(at.to_owned())?;
                    continue;
                }
            },
            Item::FunctionCall {
                call_id,
                name,
                arguments,
            } => {
                let args = match serde_json::from_str::<Value>(if arguments.is_empty() {
                    "{}"
                } else {
                    arguments
                }) {
                    Ok(v @ Value::Object(_)) => v,
                    _ => {
                        return Err(TranslateError::Invalid(format!(
                            "{at}/arguments is not a JSON object"
                        )));
                    }
                };
                names.push((call_id.to_owned(), name.to_owned()));
                vec![json!({"functionCall": {"id": call_id, "name": name, "args": args}})]
            }
            Item::FunctionCallOutput { call_id, output } => {
                let name = names
                    .iter()
                    .find(|(c, _)| c == call_id)
                    .map(|(_, n)| n.clone())
                    .ok_or_else(|| {
                        TranslateError::Invalid(format!(
                            "{at}/call_id: no earlier function_call has the id {call_id:?}"
                        ))
                    })?;
                let text = responses::output_text(output);
                let mut response = json!({"id": call_id, "name": name, "response": Value::Object(response_object(text))});
                if result_media && responses::output_has_media(output) {
                    let media = response_parts(output, &format!("{at}/output"), cx)?;
                    if !media.is_empty() {
                        response["parts"] = Value::Array(media);
                    }
                }
                push(
                    &mut contents,
                    "user",
                    vec![json!({"functionResponse": response})],
                );
                continue;
            }
            Item::Reasoning { encrypted, .. } => {
                // Gemini regenerates its thoughts; the signature (its own only, see
                // `Sealed`) goes on the next part.
                signature = match encrypted.map(|e| Sealed::GeminiThought.open(e)) {
                    Some(Some(sig)) => Some(sig.to_owned()),
                    Some(None) => {
                        cx.lose(format!("{at}/encrypted_content"))?;
                        None
                    }
                    None => None,
                };
                continue;
            }
            Item::Other => {
                cx.lose(at)?;
                continue;
            }
        };
        if let Some(sig) = signature.take()
            && let Some(first) = model_parts.first_mut()
        {
            first["thoughtSignature"] = Value::String(sig);
        }
        push(&mut contents, "model", model_parts);
    }
    let mut config = Map::new();
    for (from, to) in [
        ("max_output_tokens", "maxOutputTokens"),
        ("temperature", "temperature"),
        ("top_p", "topP"),
    ] {
        if let Some(v) = req.get(from).filter(|v| !v.is_null()) {
            // Gemini's token limit is an `int32` (`build::gemini_int32`; the request's
            // types took it as an `i64`).
            let beyond = v.as_i64().is_some_and(|n| i32::try_from(n).is_err());
            if to == "maxOutputTokens" && beyond {
                cx.lose(format!("/{from}"))?;
                continue;
            }
            config.insert(to.into(), v.clone());
        }
    }
    match responses::json_format(req) {
        None => {}
        Some(format) => {
            config.insert("responseMimeType".into(), json!("application/json"));
            if let Some((_, schema)) = format {
                config.insert("responseJsonSchema".into(), Value::Object(schema));
            }
        }
    }
    if responses::effort_off(req) {
        // Reasoning turned off: a zero budget, as from Chat callers.
        config.insert("thinkingConfig".into(), json!({"thinkingBudget": 0}));
    }
    if let Some(effort) = responses::effort(req) {
        config.insert(
            "thinkingConfig".into(),
            json!({"thinkingBudget": budget(effort), "includeThoughts": true}),
        );
    }
    let mut out = json!({"contents": contents});
    if !system.is_empty() {
        out["systemInstruction"] = json!({"parts": system});
    }
    if !config.is_empty() {
        out["generationConfig"] = Value::Object(config);
    }
    let declarations: Vec<Value> = responses::function_tools(req, cx)?
        .into_iter()
        .map(|(name, description, parameters, _)| {
            let mut d = json!({"name": name, "parametersJsonSchema": parameters});
            if let Some(desc) = description {
                d["description"] = Value::String(desc);
            }
            d
        })
        .collect();
    if !declarations.is_empty() {
        out["tools"] = json!([{"functionDeclarations": declarations}]);
    }
    let mode = |m: &str| json!({"functionCallingConfig": {"mode": m}});
    match responses::tool_choice(req, cx)? {
        None => {}
        Some(Choice::Auto) => out["toolConfig"] = mode("AUTO"),
        Some(Choice::Required) => out["toolConfig"] = mode("ANY"),
        Some(Choice::None) => out["toolConfig"] = mode("NONE"),
        Some(Choice::Named(n)) => {
            out["toolConfig"] =
                json!({"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": [n]}})
        }
    }
    // Gemini may call several functions at once and has no switch: only turning parallel
    // calls off is lost.
    if req.get("parallel_tool_calls") == Some(&Value::Bool(false)) {
        cx.lose("/parallel_tool_calls")?;
    }
    if req.get("user").is_some_and(|v| !v.is_null()) {
        cx.lose("/user")?;
    }
    // The generated type checks the request's shape.
    serde_json::from_value::<ge::GenerateContentRequest>(out.clone())
        .map_err(|e| TranslateError::Invalid(e.to_string()))?;
    if let Some(word) = tier {
        out["serviceTier"] = json!(word);
    }
    Ok(out)
}

fn incomplete(reason: Option<&ge::CandidateFinishReason>) -> Option<&'static str> {
    use ge::CandidateFinishReason as F;
    match reason {
        Some(F::MaxTokens) => Some("max_output_tokens"),
        Some(
            F::Safety
            | F::Recitation
            | F::Blocklist
            | F::ProhibitedContent
            | F::Spii
            | F::ImageSafety,
        ) => Some("content_filter"),
        _ => None,
    }
}

fn usage(u: &ge::UsageMetadata) -> Value {
    let thoughts = u.thoughts_token_count.unwrap_or(0);
    responses::usage(
        u.prompt_token_count.unwrap_or(0),
        u.cached_content_token_count.unwrap_or(0),
        0,
        u.candidates_token_count
            .unwrap_or(0)
            .saturating_add(thoughts),
        thoughts,
    )
}

/// Per-request state of the Responses-caller / Gemini-upstream pair.
#[derive(Debug)]
pub struct ResponsesToGemini {
    cx: Cx,
    /// What the answer echoes of the request.
    echo: crate::responses::Echo,
    caller_model: String,
    writer: Option<Writer>,
    calls: usize,
    finish: Option<ge::CandidateFinishReason>,
    usage: ge::UsageMetadata,
    complete: bool,
    /// The last upstream chunk the fast path took whole, as the template of the next.
    memo: crate::fast::Memo<crate::fast::GeminiShape>,
}

impl ResponsesToGemini {
    pub fn new(strict: bool) -> Self {
        ResponsesToGemini {
            cx: Cx::new("gemini", strict),
            echo: Default::default(),
            caller_model: String::new(),
            writer: None,
            calls: 0,
            finish: None,
            usage: ge::UsageMetadata::default(),
            complete: false,
            memo: Default::default(),
        }
    }

    /// The Responses word for the tier the usage so far names.
    fn served(&mut self) -> Result<Option<&'static str>, TranslateError> {
        let at = "/usageMetadata/serviceTier";
        served_by_gemini(Some(&self.usage), Family::OpenAi, at, &mut self.cx)
    }

    /// Writes one Gemini response (whole or a stream chunk) through the writer.
    fn write(
        &mut self,
        r: ge::GenerateContentResponse,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        let id = r.response_id.clone().unwrap_or_else(|| "gemini".into());
        if let Some(u) = r.usage_metadata {
            self.usage = u;
        }
        let tier = self.served()?;
        let candidate = r
            .candidates
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default();
        let (model, request) = (&self.caller_model, &self.echo);
        let w = self
            .writer
            .get_or_insert_with(|| Writer::new(format!("resp_{id}"), model, request));
        if let Some(word) = tier {
            w.tier(word);
        }
        w.start(out);
        let mut lost = Vec::new();
        for (j, p) in candidate
            .content
            .and_then(|c| c.parts)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            if p.thought == Some(true) {
                w.reasoning(p.text.as_deref().unwrap_or(""), out);
                if let Some(sig) = &p.thought_signature {
                    w.sealed(Sealed::GeminiThought, sig, out);
                }
                continue;
            }
            if let Some(sig) = &p.thought_signature {
                w.sealed(Sealed::GeminiThought, sig, out);
            }
            if let Some(t) = p.text {
                w.text(&t, out);
            } else if let Some(f) = p.function_call {
                let call_id = f.id.unwrap_or_else(|| format!("call_{id}_{}", self.calls));
                self.calls += 1;
                w.call(&call_id, f.name.as_deref().unwrap_or(""), out);
                w.arguments(&Value::Object(f.args.unwrap_or_default()).to_string(), out);
                w.close(out);
            } else if p.thought_signature.is_none() {
                lost.push(format!("/candidates/0/content/parts/{j}"));
            }
        }
        if let Some(f) = candidate.finish_reason {
            self.finish = Some(f);
        }
        for l in lost {
            self.cx.lose(l)?;
        }
        Ok(())
    }
}

impl Translator for ResponsesToGemini {
    fn request(&mut self, body: &[u8], model: &str) -> Result<TranslatedRequest, TranslateError> {
        use crate::plain;
        if let Some(p) = plain::responses(body)
            && let Some(out) =
                plain::to_gemini(&p, false, crate::build::gemini_takes_result_media(model))
            && plain::report_openai_losses(&p, plain::LossesTo::Gemini, &mut self.cx).is_some()
        {
            let stream = p.stream == Some(true);
            self.caller_model = plain::caller_model(&p);
            self.echo = plain::responses_echo(&p);
            return Ok(plain::sent(out, stream));
        }
        let (req, typed) = crate::build::checked_object::<aigw_openai::CreateResponse>(body)?;
        let unknown = crate::Unknowns::unknowns(&typed);
        self.caller_model = req
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let stream = req.get("stream") == Some(&Value::Bool(true));
        let mut out = request(&req, model, &mut self.cx)?;
        self.cx.lose_unknown(&unknown, crate::read::RESPONSES)?;
        crate::fixups::gemini(&mut out, &mut self.cx)?;
        self.echo = crate::responses::Echo::of(&req);
        Ok(TranslatedRequest {
            body: Bytes::from(out.to_string()),
            stream,
        })
    }

    fn response(&mut self, body: &[u8]) -> Result<Bytes, TranslateError> {
        let r: ge::GenerateContentResponse =
            serde_json::from_slice(body).map_err(|e| TranslateError::Upstream(e.to_string()))?;
        let id = r.response_id.as_deref().unwrap_or("gemini");
        let mut w = Writer::new(format!("resp_{id}"), &self.caller_model, &self.echo);
        w.mute();
        self.writer = Some(w);
        let mut sink = Vec::new();
        self.write(r, &mut sink)?;
        let usage = usage(&self.usage);
        let incomplete = incomplete(self.finish.as_ref());
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| TranslateError::Upstream("empty response".into()))?;
        Ok(w.finish_body(usage, incomplete))
    }

    fn stream_event(
        &mut self,
        _event: Option<&str>,
        data: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if self.writer.is_some()
            && let Some((piece, usage)) = crate::fast::gemini(data, &mut self.memo)
        {
            let mut tier = Ok(None);
            if let Some(u) = usage {
                u.store(&mut self.usage);
                tier = self.served();
            }
            // A tier to report takes the general path, which reports it.
            if let (Ok(tier), Some(w)) = (tier, self.writer.as_mut()) {
                if let Some(word) = tier {
                    w.tier(word);
                }
                if w.fast_delta(&piece, out) {
                    return Ok(());
                }
            }
        }
        match crate::gemini_chunk(data)? {
            crate::GeminiChunk::Answer(r) => self.write(*r, out),
            crate::GeminiChunk::Error(v) => {
                self.stream_error(crate::error_message(&v), out);
                Ok(())
            }
        }
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
        let usage = usage(&self.usage);
        let incomplete = incomplete(self.finish.as_ref());
        if let Some(w) = self.writer.as_mut() {
            w.finish(usage, incomplete, out);
        }
        self.complete = true;
        true
    }

    fn stream_error(&mut self, message: &str, out: &mut Vec<u8>) {
        let (model, request) = (&self.caller_model, &self.echo);
        self.writer
            .get_or_insert_with(|| Writer::new("resp_gemini".into(), model, request))
            .error(message, out);
        self.complete = true;
    }

    fn error(&mut self, status: u16, body: &[u8]) -> Bytes {
        responses::error_body(status, body)
    }

    fn losses(&self) -> &[String] {
        &self.cx.losses
    }
}
