//! Gemini generateContent caller → OpenAI Responses API upstream.
//!
//! Request: `systemInstruction` → `instructions`; user parts → `input_text`,
//! `input_image` (inline data and file URIs), `input_file` (PDF); model text → assistant
//! messages, thought parts and a `thoughtSignature` carrying a Responses reasoning item →
//! that item (the thought text as its summary; another signature is reported with the
//! thoughts it signs), `functionCall` → `function_call` items,
//! `functionResponse` → `function_call_output` (ids synthesized where Gemini has none and
//! matched by position and name; the images and PDFs of its `parts` after its text); function declarations (Gemini's schema dialect
//! converted, or `parametersJsonSchema`) → function tools; `functionCallingConfig` →
//! `tool_choice`; `generationConfig`: temperature, topP, maxOutputTokens, JSON output with
//! `responseJsonSchema` / `responseSchema` → `text.format`, `thinkingConfig` →
//! `reasoning.effort` (summaries when `includeThoughts`). `candidateCount` > 1 is refused;
//! topK, stop sequences, seed, penalties, safety settings and cached content have no
//! counterpart and are reported.
//!
//! Response and stream: [`crate::answer::gemini::GeminiWriter`] (SSE or the JSON-array
//! stream, as the caller asked) via [`crate::responses_upstream::Reader`].

use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::answer::gemini::GeminiWriter;
use crate::gemini_openai::{normalize_keys, schema_to_json};
use crate::responses_upstream::{Caller, RequestBuilder, ToResponses};
use crate::{Cx, TranslateError, escape};

/// How a call without an id is named (`call_{content}_{part}`), on both paths.
const SYNTH: crate::plain::Synth = crate::plain::Synth {
    prefix: "call_",
    by_part: true,
};

const READ: &[&str] = &[
    "contents",
    "systemInstruction",
    "tools",
    "toolConfig",
    "generationConfig",
    "model",
    // Reported or sent under the upstream's word (`gemini_caller`).
    "serviceTier",
];

/// `generationConfig` fields the mapping reads.
const CONFIG_READ: &[&str] = &[
    "temperature",
    "topP",
    "maxOutputTokens",
    "candidateCount",
    "responseMimeType",
    "responseJsonSchema",
    "_responseJsonSchema",
    "responseSchema",
    "thinkingConfig",
    "responseModalities",
];

fn media(mime: &str, url: String, at: &str, cx: &mut Cx) -> Result<Option<Value>, TranslateError> {
    Ok(Some(if mime.starts_with("image/") {
        json!({"type": "input_image", "image_url": url, "detail": "auto"})
    } else if mime == "application/pdf" {
        if url.starts_with("data:") {
            json!({"type": "input_file", "filename": "document.pdf", "file_data": url})
        } else {
            json!({"type": "input_file", "file_url": url})
        }
    } else {
        cx.lose(at.to_owned())?;
        return Ok(None);
    }))
}

/// The Responses request for a generateContent request (JSON names, see
/// [`normalize_keys`]).
pub fn request(
    req: &Map<String, Value>,
    model: &str,
    stream: bool,
    cx: &mut Cx,
) -> Result<Value, TranslateError> {
    for key in req.keys().filter(|k| !READ.contains(&k.as_str())) {
        cx.lose(format!("/{}", escape(key)))?;
    }
    let mut b = RequestBuilder::new(model, stream);
    if let Some(parts) = req
        .get("systemInstruction")
        .and_then(|s| s.get("parts"))
        .and_then(Value::as_array)
    {
        for p in parts {
            b.instructions.push(
                p.get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
            );
        }
    }
    let contents = req
        .get("contents")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    // Calls not yet answered: (name, id), for responses without an id.
    let mut open_calls: Vec<(String, String)> = Vec::new();
    for (i, c) in contents.iter().enumerate() {
        let Some(model_turn) = crate::build::gemini_model_turn(
            c.get("role").and_then(Value::as_str),
            &format!("/contents/{i}"),
            cx,
        )?
        else {
            continue;
        };
        let mut user = Vec::new();
        // Thought text waiting for a signature, and the parts it came from.
        let mut thought = String::new();
        let mut thought_parts = Vec::new();
        for (j, p) in c
            .get("parts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let here = format!("/contents/{i}/parts/{j}");
            let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("");
            if p.get("thought") == Some(&Value::Bool(true)) {
                thought.push_str(s("text"));
                thought_parts.push(j);
                if p.get("thoughtSignature").is_none() {
                    continue;
                }
            }
            if let Some(sig) = p.get("thoughtSignature").and_then(Value::as_str) {
                let signed = std::mem::take(&mut thought_parts);
                if !b.reasoning(sig, &std::mem::take(&mut thought)) {
                    // A signature OpenAI cannot verify, and the thoughts it signs.
                    cx.lose(format!("{here}/thoughtSignature"))?;
                    for k in signed {
                        cx.lose(format!("/contents/{i}/parts/{k}"))?;
                    }
                }
                if p.get("thought") == Some(&Value::Bool(true)) {
                    continue;
                }
            }
            if let Some(text) = p.get("text").and_then(Value::as_str) {
                if model_turn {
                    b.assistant_text(text);
                } else {
                    user.push(json!({"type": "input_text", "text": text}));
                }
            } else if let Some(d) = p.get("inlineData") {
                let mime = d.get("mimeType").and_then(Value::as_str).unwrap_or("");
                let url = format!(
                    "data:{mime};base64,{}",
                    d.get("data").and_then(Value::as_str).unwrap_or("")
                );
                match model_turn {
                    false => user.extend(media(mime, url, &here, cx)?),
                    true => cx.lose(here)?,
                }
            } else if let Some(f) = p.get("fileData") {
                let mime = f.get("mimeType").and_then(Value::as_str).unwrap_or("");
                let uri = f
                    .get("fileUri")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                match model_turn {
                    false => user.extend(media(mime, uri, &here, cx)?),
                    true => cx.lose(here)?,
                }
            } else if let Some(call) = p.get("functionCall") {
                let name = call.get("name").and_then(Value::as_str).unwrap_or("");
                let id = match call.get("id").and_then(Value::as_str) {
                    Some(id) if !id.is_empty() => id.to_owned(),
                    _ => format!("{}{i}_{j}", SYNTH.prefix),
                };
                open_calls.push((name.to_owned(), id.clone()));
                let args = call.get("args").cloned().unwrap_or_else(|| json!({}));
                b.call(&id, name, args.to_string());
            } else if let Some(resp) = p.get("functionResponse") {
                b.message("user", std::mem::take(&mut user));
                let name = resp.get("name").and_then(Value::as_str).unwrap_or("");
                let id = match resp.get("id").and_then(Value::as_str) {
                    Some(id) if !id.is_empty() => {
                        open_calls.retain(|(_, i)| i != id);
                        id.to_owned()
                    }
                    _ => match open_calls.iter().position(|(n, _)| n == name) {
                        Some(k) => open_calls.remove(k).1,
                        None => format!("{}{i}_{j}", SYNTH.prefix),
                    },
                };
                let response = resp
                    .get("response")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                // `{"result": "..."}` (or any one string) is the tool's text.
                let output = match response.values().collect::<Vec<_>>().as_slice() {
                    [Value::String(s)] => s.clone(),
                    _ => Value::Object(response).to_string(),
                };
                // Images and PDFs inside the result follow its text as the output's parts.
                let attached = resp.get("parts").and_then(Value::as_array);
                let mut parts = Vec::new();
                for (m, part) in attached.into_iter().flatten().enumerate() {
                    let at = format!("{here}/functionResponse/parts/{m}");
                    let Some(d) = part.get("inlineData") else {
                        cx.lose(at)?;
                        continue;
                    };
                    let mime = d.get("mimeType").and_then(Value::as_str).unwrap_or("");
                    let data = d.get("data").and_then(Value::as_str).unwrap_or("");
                    parts.extend(media(mime, format!("data:{mime};base64,{data}"), &at, cx)?);
                }
                let output = match parts.is_empty() {
                    true => Value::String(output),
                    false if output.is_empty() => Value::Array(parts),
                    false => {
                        parts.insert(0, json!({"type": "input_text", "text": output}));
                        Value::Array(parts)
                    }
                };
                b.call_output(&id, output);
            } else {
                cx.lose(here)?;
            }
        }
        if !thought_parts.is_empty() {
            // Thoughts without a signature OpenAI would verify.
            cx.lose(format!("/contents/{i}/parts"))?;
        }
        b.message("user", user);
    }
    // Tools other than functions: reported by `gemini_caller`.
    for t in req
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for d in t
            .get("functionDeclarations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameters = match (d.get("parametersJsonSchema"), d.get("parameters")) {
                (Some(p @ Value::Object(_)), _) => p.clone(),
                (_, Some(p)) => schema_to_json(p),
                _ => json!({"type": "object", "properties": {}}),
            };
            let name = d.get("name").and_then(Value::as_str).unwrap_or("");
            b.function_tool(
                name,
                d.get("description").and_then(Value::as_str),
                parameters,
            );
        }
    }
    if let Some(f) = req
        .get("toolConfig")
        .and_then(|t| t.get("functionCallingConfig"))
    {
        let allowed: Vec<&str> = f
            .get("allowedFunctionNames")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let choice = match (f.get("mode").and_then(Value::as_str), allowed.as_slice()) {
            (Some("NONE"), _) => json!("none"),
            // VALIDATED lets the model answer in words: auto, its calls checked.
            (Some("ANY"), [one]) => json!({"type": "function", "name": one}),
            (Some("ANY"), []) => json!("required"),
            (Some("ANY"), many) => {
                json!({"type": "allowed_tools", "mode": "required",
                "tools": many.iter().map(|n| json!({"type": "function", "name": n})).collect::<Vec<_>>()})
            }
            (_, []) => json!("auto"),
            (_, many) => json!({"type": "allowed_tools", "mode": "auto",
                "tools": many.iter().map(|n| json!({"type": "function", "name": n})).collect::<Vec<_>>()}),
        };
        b.set("tool_choice", choice);
    }
    if let Some(c) = req.get("generationConfig").and_then(Value::as_object) {
        for k in c.keys().filter(|k| !CONFIG_READ.contains(&k.as_str())) {
            if !c[k].is_null() {
                cx.lose(format!("/generationConfig/{}", escape(k)))?;
            }
        }
        if let Some(n) = c.get("candidateCount").and_then(Value::as_i64)
            && n > 1
        {
            return Err(TranslateError::Unsupported(format!(
                "candidateCount = {n}: the Responses API returns one answer per request"
            )));
        }
        if let Some(t) = c.get("temperature").filter(|v| !v.is_null()) {
            b.set("temperature", t.clone());
        }
        if let Some(t) = c.get("topP").filter(|v| !v.is_null()) {
            b.set("top_p", t.clone());
        }
        if let Some(t) = c.get("maxOutputTokens").filter(|v| !v.is_null()) {
            b.set("max_output_tokens", t.clone());
        }
        let schema = c
            .get("responseJsonSchema")
            .or_else(|| c.get("_responseJsonSchema"))
            .filter(|s| s.is_object())
            .cloned()
            .or_else(|| c.get("responseSchema").map(schema_to_json));
        match c.get("responseMimeType").and_then(Value::as_str) {
            Some("application/json") => {
                b.json_format(schema.map(|s| ("response".into(), s, false)))
            }
            None | Some("text/plain") => {}
            Some(_) => cx.lose("/generationConfig/responseMimeType")?,
        }
        if let Some(m) = c.get("responseModalities").and_then(Value::as_array)
            && m.iter().any(|v| v != "TEXT")
        {
            cx.lose("/generationConfig/responseModalities")?;
        }
        if let Some(t) = c.get("thinkingConfig") {
            let shows = t.get("includeThoughts") == Some(&Value::Bool(true));
            let effort = match (
                t.get("thinkingBudget").and_then(Value::as_i64),
                t.get("thinkingLevel").and_then(Value::as_str),
            ) {
                (Some(budget), _) => crate::gemini_openai::effort_for_budget(budget)
                    .and_then(|e| serde_json::to_value(e).ok())
                    .and_then(|v| v.as_str().map(str::to_owned)),
                (None, Some("LOW" | "MINIMAL")) => Some("low".into()),
                (None, Some("HIGH")) => Some("high".into()),
                (None, Some("MEDIUM" | "THINKING_LEVEL_UNSPECIFIED")) => Some("medium".into()),
                // A level the spec does not list: reported (gemini_caller), not guessed.
                (None, Some(_)) => None,
                (None, None) if shows => Some("medium".into()),
                (None, None) => None,
            };
            if let Some(e) = effort {
                b.effort(&e, shows);
            }
        }
    }
    Ok(b.finish())
}

/// The Gemini caller: the model comes from the path, the stream form from the method and
/// `alt`.
#[derive(Debug, Clone)]
pub struct Gemini {
    pub caller_model: String,
    /// `streamGenerateContent`.
    pub stream: bool,
    /// `alt=sse` (else the JSON-array stream).
    pub sse: bool,
}

impl Caller for Gemini {
    type Writer = GeminiWriter;
    const FAMILY: crate::tier::Family = crate::tier::Family::Gemini;

    fn request(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Result<(Value, GeminiWriter), TranslateError> {
        let mut raw: Value =
            serde_json::from_slice(body).map_err(|e| TranslateError::Invalid(e.to_string()))?;
        normalize_keys(&mut raw);
        let typed = aigw_gemini::GenerateContentRequest::deserialize(&raw)
            .map_err(|e| TranslateError::Invalid(e.to_string()))?;
        let unknown = crate::Unknowns::unknowns(&typed);
        // The generation settings and allowed names are read (or reported) from the JSON.
        let reads = crate::gemini_caller::Reads {
            config: None,
            allowed_names: true,
            tier_to: crate::tier::Family::OpenAi,
            result_media: true,
        };
        crate::gemini_caller::lose_unread(&typed, &reads, cx)?;
        let Value::Object(req) = raw else {
            return Err(TranslateError::Invalid(
                "the request is not a JSON object".into(),
            ));
        };
        let mut out = request(&req, model, self.stream, cx)?;
        if let Some(word) = crate::gemini_caller::tier_word(&typed, crate::tier::Family::OpenAi) {
            out["service_tier"] = Value::String(word.into());
        }
        cx.lose_unknown(&unknown, crate::read::GEMINI)?;
        let shows = crate::gemini_caller::shows_thoughts(&typed);
        Ok((
            out,
            GeminiWriter::new(&self.caller_model, self.stream, self.sse, shows),
        ))
    }

    fn plain(
        &mut self,
        body: &[u8],
        model: &str,
        cx: &mut Cx,
    ) -> Option<(Vec<u8>, bool, GeminiWriter)> {
        use crate::plain;
        let p = plain::gemini(body, SYNTH)?;
        let out = plain::to_responses(&p, model, plain::SystemAs::Instructions, self.stream)?;
        plain::report_gemini_losses(&p, plain::LossesTo::Responses, cx)?;
        let shows = p.shows_thoughts();
        let writer = GeminiWriter::new(&self.caller_model, self.stream, self.sse, shows);
        Some((out, self.stream, writer))
    }

    fn error(&self, status: u16, body: &[u8]) -> Bytes {
        crate::gemini_openai::error(status, body)
    }
}

/// The Gemini-caller / Responses-upstream translator.
pub type GeminiToResponses = ToResponses<Gemini>;

/// A translator for one request.
pub fn translator(strict: bool, caller: Gemini) -> GeminiToResponses {
    ToResponses::new(caller, strict)
}
