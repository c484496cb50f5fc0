//! The Gemini mock: generateContent, streamGenerateContent (`alt=sse` with Google's
//! `\r\n\r\n` framing, and the JSON-array form), embedContent, batchEmbedContents,
//! countTokens, models; function calls, thinking as Gemini does it (on when the
//! `thinkingConfig` asks for it: a budget other than 0, a level or `includeThoughts`; the
//! thought parts only with `includeThoughts`, the `thoughtSignature` and the thoughts'
//! token count whenever it thinks), `usageMetadata` in every chunk.

use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::{Answer, Call, Scenario, fidelity, pieces, sse, tokens, value_from_schema};

/// The model in `/{version}/models/{model}[:{method}]`.
pub(crate) fn model_in_path(path: &str) -> Option<String> {
    let rest = path.split_once("/models/")?.1;
    Some(rest.rsplit_once(':').map_or(rest, |(m, _)| m).to_owned())
}

pub(crate) fn answer(call: &Call, s: &Scenario) -> Answer {
    let path = call.path;
    let Some(rest) = path
        .strip_prefix("/v1beta/models")
        .or_else(|| path.strip_prefix("/v1/models"))
    else {
        return not_found(path);
    };
    if rest.is_empty() && call.method == "GET" {
        return Answer::Json(
            StatusCode::OK,
            json!({"models": [model("gemini-2.5-flash"), model("gemini-2.5-pro"), model("gemini-embedding-001")]}),
        );
    }
    let rest = rest.trim_start_matches('/');
    let (name, method) = rest.rsplit_once(':').unwrap_or((rest, ""));
    match (call.method, method) {
        ("GET", "") if name.starts_with("gemini-") => Answer::Json(StatusCode::OK, model(name)),
        ("POST", "generateContent") => generate(call, s, name, false),
        ("POST", "streamGenerateContent") => generate(call, s, name, true),
        ("POST", "embedContent") => {
            Answer::Json(StatusCode::OK, json!({"embedding": embedding(&call.body)}))
        }
        ("POST", "batchEmbedContents") => {
            let list: Vec<Value> = call
                .body
                .get("requests")
                .and_then(Value::as_array)
                .map(|rs| rs.iter().map(embedding).collect())
                .unwrap_or_default();
            Answer::Json(StatusCode::OK, json!({"embeddings": list}))
        }
        ("POST", "countTokens") => Answer::Json(
            StatusCode::OK,
            json!({"totalTokens": tokens(&call.body.to_string()), "promptTokensDetails": [{"modality": "TEXT", "tokenCount": tokens(&call.body.to_string())}]}),
        ),
        _ => not_found(path),
    }
}

fn model(name: &str) -> Value {
    json!({"name": format!("models/{name}"), "version": "001", "displayName": name,
           "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
           "supportedGenerationMethods": ["generateContent", "countTokens"]})
}

fn not_found(path: &str) -> Answer {
    Answer::Json(
        StatusCode::NOT_FOUND,
        json!({"error": {"code": 404, "message": format!("{path} is not found for API version v1beta"), "status": "NOT_FOUND"}}),
    )
}

fn embedding(req: &Value) -> Value {
    let text = req
        .pointer("/content/parts/0/text")
        .and_then(Value::as_str)
        .unwrap_or("");
    json!({"values": [0.25, text.len() as f64 / 100.0, -0.75]})
}

enum Reply {
    Text(String),
    Call { name: String, args: Value },
}

fn parts_text(parts: &Value) -> String {
    parts
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    p.get("text")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .or_else(|| {
                            field(p, "inlineData", "inline_data")
                                .or_else(|| field(p, "fileData", "file_data"))
                                .map(|d| media_name(d).trim_start().to_owned())
                        })
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// How the replies name inline or file data they were given, by its type (after a space),
/// as the other mocks name images and documents.
fn media_name(data: &Value) -> &'static str {
    match field(data, "mimeType", "mime_type").and_then(Value::as_str) {
        Some(m) if m.starts_with("image/") => " [image]",
        _ => " [document]",
    }
}

/// A field by its JSON name or its proto (snake_case) name: Gemini accepts both.
fn field<'a>(v: &'a Value, camel: &str, snake: &str) -> Option<&'a Value> {
    v.get(camel).or_else(|| v.get(snake))
}

fn reply(body: &Value) -> Reply {
    let contents = body
        .get("contents")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let last = contents.last().cloned().unwrap_or(Value::Null);
    if let Some(resp) = last.get("parts").and_then(Value::as_array).and_then(|ps| {
        ps.iter()
            .find_map(|p| field(p, "functionResponse", "function_response"))
    }) {
        // A response object holding one string is read as that string.
        let response = resp.get("response").cloned().unwrap_or(Value::Null);
        let said = match response.as_object().map(|o| o.values().collect::<Vec<_>>()) {
            Some(values) if values.len() == 1 && values[0].is_string() => {
                values[0].as_str().unwrap_or("").to_owned()
            }
            _ => response.to_string(),
        };
        // Media inside the result, as the other mocks name them.
        let media = resp
            .get("parts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let named: String = media
            .filter_map(|p| field(p, "inlineData", "inline_data"))
            .map(media_name)
            .collect();
        return Reply::Text(format!("The tool said: {said}{named}"));
    }
    let user = contents
        .iter()
        .rev()
        .find(|c| c.get("role").and_then(Value::as_str).unwrap_or("user") == "user")
        .map(|c| parts_text(&c["parts"]))
        .unwrap_or_default();
    let declaration = body
        .pointer("/tools/0")
        .and_then(|t| field(t, "functionDeclarations", "function_declarations"))
        .and_then(|d| d.get(0));
    if let Some(f) = declaration {
        let schema = f
            .get("parameters")
            .or_else(|| field(f, "parametersJsonSchema", "parameters_json_schema"))
            .cloned()
            .unwrap_or(json!({}));
        let args = match value_from_schema(&schema, "Paris") {
            v @ Value::Object(_) => v,
            _ => json!({}),
        };
        let name = f.get("name").and_then(Value::as_str).unwrap_or("tool");
        return Reply::Call {
            name: name.to_owned(),
            args,
        };
    }
    let config = field(body, "generationConfig", "generation_config")
        .cloned()
        .unwrap_or(Value::Null);
    let schema = field(&config, "responseSchema", "response_schema")
        .or_else(|| field(&config, "responseJsonSchema", "response_json_schema"));
    if let Some(schema) = schema {
        return Reply::Text(value_from_schema(schema, &format!("Echo: {user}")).to_string());
    }
    Reply::Text(format!("Echo: {user}"))
}

/// The major version of a model named `gemini-<major>...` (0 for other names).
fn major_version(model: &str) -> u32 {
    let name = model.strip_prefix("models/").unwrap_or(model);
    let version = name.strip_prefix("gemini-").unwrap_or("");
    let digits = version.bytes().take_while(u8::is_ascii_digit).count();
    version[..digits].parse().unwrap_or(0)
}

/// The prefix of every thought signature this mock makes.
const SIGNATURE: &str = "c2lnX21vY2tf";

fn generate(call: &Call, s: &Scenario, model: &str, stream: bool) -> Answer {
    let body = &call.body;
    let sse_form = call
        .query
        .is_some_and(|q| q.split('&').any(|p| p == "alt=sse"));
    if s.fidelity {
        return match (stream, sse_form) {
            (true, true) => Answer::Raw(
                StatusCode::OK,
                "text/event-stream",
                Bytes::from_static(fidelity::GEMINI_SSE_STREAM.as_bytes()),
            ),
            (true, false) => Answer::Raw(
                StatusCode::OK,
                "application/json; charset=UTF-8",
                Bytes::from_static(fidelity::GEMINI_ARRAY_STREAM.as_bytes()),
            ),
            _ => Answer::Raw(
                StatusCode::OK,
                "application/json; charset=UTF-8",
                Bytes::from_static(fidelity::GEMINI_JSON.as_bytes()),
            ),
        };
    }
    if body.get("contents").and_then(Value::as_array).is_none() {
        return Answer::Json(
            StatusCode::BAD_REQUEST,
            json!({"error": {"code": 400, "message": "* GenerateContentRequest.contents: contents is not specified", "status": "INVALID_ARGUMENT"}}),
        );
    }
    // As Gemini does, a thought signature must be one this server made.
    let parts = body["contents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("parts").and_then(Value::as_array))
        .flatten();
    for p in parts {
        let signature = field(p, "thoughtSignature", "thought_signature").and_then(Value::as_str);
        if signature.is_some_and(|s| !s.starts_with(SIGNATURE)) {
            return Answer::Json(
                StatusCode::BAD_REQUEST,
                json!({"error": {"code": 400, "message": "Corrupted thought signature.", "status": "INVALID_ARGUMENT"}}),
            );
        }
    }
    // As Gemini does, models before Gemini 3 refuse media inside a function's result.
    let result_media = body["contents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("parts").and_then(Value::as_array))
        .flatten()
        .filter_map(|p| field(p, "functionResponse", "function_response"))
        .any(|r| {
            r.get("parts")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        });
    if result_media && major_version(model) < 3 {
        return Answer::Json(
            StatusCode::BAD_REQUEST,
            json!({"error": {"code": 400, "message": "Unable to submit request because `function_response.parts` is not supported for this model.", "status": "INVALID_ARGUMENT"}}),
        );
    }
    let n = call.state.next_id();
    let config = field(body, "generationConfig", "generation_config")
        .and_then(|c| field(c, "thinkingConfig", "thinking_config"));
    let shows = config.and_then(|t| field(t, "includeThoughts", "include_thoughts"))
        == Some(&Value::Bool(true));
    let budget = config.and_then(|t| field(t, "thinkingBudget", "thinking_budget"));
    let level = config.and_then(|t| field(t, "thinkingLevel", "thinking_level"));
    let thinking = shows || level.is_some() || budget.is_some_and(|b| b != &json!(0));
    let reply = reply(body);
    let prompt = tokens(&body["contents"].to_string());
    let usage = |out: u64, thoughts: u64| {
        let mut u = json!({"promptTokenCount": prompt, "candidatesTokenCount": out, "totalTokenCount": prompt + out + thoughts});
        if thoughts > 0 {
            u["thoughtsTokenCount"] = json!(thoughts);
        }
        // The tier, when the request named one.
        if let Some(tier) = field(body, "serviceTier", "service_tier").filter(|t| t.is_string()) {
            u["serviceTier"] = tier.clone();
        }
        u
    };
    // Valid base64 (the SDK decodes it): 12 + 8 characters.
    let signature = format!("{SIGNATURE}{n:08}");
    let thought_text = "Thinking about the question.";
    let candidate = |parts: Value, finish: Option<&str>| {
        let mut c = json!({"content": {"parts": parts, "role": "model"}, "index": 0});
        if let Some(f) = finish {
            c["finishReason"] = json!(f);
        }
        c
    };
    let chunk = |parts: Value, finish: Option<&str>, usage: Value| json!({"candidates": [candidate(parts, finish)], "usageMetadata": usage, "modelVersion": model, "responseId": format!("resp-mock{n}")});
    let (final_parts, out_tokens) = match &reply {
        Reply::Text(t) => (vec![json!({"text": t})], tokens(t)),
        Reply::Call { name, args } => (
            vec![json!({"functionCall": {"name": name, "args": args}})],
            tokens(&args.to_string()),
        ),
    };
    let thought_tokens = if thinking { tokens(thought_text) } else { 0 };
    if !stream {
        let mut parts = Vec::new();
        if shows {
            parts.push(json!({"text": thought_text, "thought": true}));
        }
        let mut first = final_parts.clone();
        if thinking && let Some(p) = first.first_mut() {
            p["thoughtSignature"] = json!(signature);
        }
        parts.extend(first);
        return Answer::Json(
            StatusCode::OK,
            chunk(
                json!(parts),
                Some("STOP"),
                usage(out_tokens, thought_tokens),
            ),
        );
    }
    let mut chunks = Vec::new();
    if shows {
        chunks.push(chunk(
            json!([{"text": thought_text, "thought": true}]),
            None,
            usage(0, thought_tokens),
        ));
    }
    match &reply {
        Reply::Text(t) => {
            let ps = pieces(t, s.events.unwrap_or(3));
            let last = ps.len() - 1;
            for (i, p) in ps.into_iter().enumerate() {
                let mut part = json!({"text": p});
                if i == 0 && thinking {
                    part["thoughtSignature"] = json!(signature);
                }
                let finish = (i == last).then_some("STOP");
                let so_far = if i == last {
                    out_tokens
                } else {
                    (i as u64 + 1).min(out_tokens)
                };
                chunks.push(chunk(json!([part]), finish, usage(so_far, thought_tokens)));
            }
        }
        Reply::Call { .. } => {
            let mut part = final_parts[0].clone();
            if thinking {
                part["thoughtSignature"] = json!(signature);
            }
            chunks.push(chunk(
                json!([part]),
                Some("STOP"),
                usage(out_tokens, thought_tokens),
            ));
        }
    }
    if sse_form {
        return Answer::Stream {
            content_type: "text/event-stream",
            events: chunks
                .iter()
                .map(|c| sse(None, &c.to_string(), true))
                .collect(),
        };
    }
    // The JSON-array form, streamed element by element as Google does.
    let mut events = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        let lead = if i == 0 { "[" } else { ",\r\n" };
        events.push(Bytes::from(format!("{lead}{c}")));
    }
    events.push(Bytes::from_static(b"]"));
    Answer::Stream {
        content_type: "application/json; charset=UTF-8",
        events,
    }
}
