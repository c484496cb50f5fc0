//! OpenAI-compatible providers: what each supports and how it differs from OpenAI, as a
//! [`Quirks`] value, with presets for Groq, Together, vLLM, Fireworks, Perplexity, LM
//! Studio, Mistral, DeepSeek, OpenRouter and Ollama, and the request shaping that follows
//! from it. No I/O.
//!
//! Shaping a Chat Completions request for a provider ([`shape_chat`]) strips what the
//! provider would reject (reporting each stripped field as a JSON pointer), renames what it
//! names differently (`max_completion_tokens` -> `max_tokens`, `seed` -> `random_seed`, the
//! `developer` role -> `system`), and refuses what it cannot do at all (images to a provider
//! without vision, streaming where there is none, a `tool_choice` it does not take) with an
//! [`Unsupported`] error the gateway turns into a 400 in the caller's shape.
//!
//! ```
//! use aigw_openai_compat::{preset, shape_chat};
//! let groq = preset("groq").unwrap();
//! let mut body = serde_json::json!({
//!     "model": "llama-3.3-70b-versatile",
//!     "messages": [{"role": "user", "name": "ann", "content": "hi"}],
//!     "logprobs": true,
//! });
//! let shaped = shape_chat(body.as_object_mut().unwrap(), &groq.quirks).unwrap();
//! assert_eq!(shaped.stripped, ["/logprobs", "/messages/0/name"]);
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod presets;
pub use presets::{PRESETS, Preset, preset};

/// The request field that limits output tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxTokensField {
    /// OpenAI's current name.
    MaxCompletionTokens,
    /// The older name most compatible servers still use.
    MaxTokens,
}

/// What an OpenAI-compatible provider supports and how it differs from OpenAI's Chat
/// Completions API. Every field has OpenAI's behaviour as its default, so a config file
/// overrides only what differs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quirks {
    /// Serves `POST /responses`.
    pub responses_api: bool,
    /// Serves `POST /embeddings`.
    pub embeddings: bool,
    /// Streams (`stream: true`).
    pub streaming: bool,
    /// Takes `stream_options` (`include_usage`); stripped otherwise.
    pub stream_options: bool,
    /// Takes `tools`.
    pub tools: bool,
    /// The `tool_choice` forms it takes: any of `auto`, `none`, `required`, `named`.
    pub tool_choice: Vec<String>,
    /// Takes `parallel_tool_calls`; stripped otherwise.
    pub parallel_tool_calls: bool,
    /// Takes image content parts.
    pub vision: bool,
    /// Takes `http(s)` image URLs; when false only `data:` URIs.
    pub image_urls: bool,
    /// The output-token limit's name; the other name is renamed to it.
    pub max_tokens_field: MaxTokensField,
    /// Takes the `developer` role; rewritten to `system` otherwise.
    pub developer_role: bool,
    /// Takes `messages[].name`; stripped otherwise.
    pub message_name: bool,
    /// Takes `reasoning_effort`; stripped otherwise.
    pub reasoning_effort: bool,
    /// The response field (message and delta) holding reasoning text, when there is one
    /// (`reasoning_content`, `reasoning`).
    pub reasoning_output: Option<String>,
    /// Takes `response_format: {"type": "json_object"}`.
    pub json_object: bool,
    /// Takes `response_format: {"type": "json_schema"}`.
    pub json_schema: bool,
    /// Takes `n` greater than 1.
    pub n: bool,
    /// The name of the sampling seed field; `None` strips `seed`.
    pub seed_field: Option<String>,
    /// Top-level request fields it rejects: stripped.
    pub unsupported_fields: Vec<String>,
    /// When set, the only top-level request fields it accepts (it rejects unknown ones):
    /// anything else is stripped.
    pub accepted_fields: Option<Vec<String>>,
}

impl Default for Quirks {
    /// OpenAI's own behaviour.
    fn default() -> Self {
        Self {
            responses_api: true,
            embeddings: true,
            streaming: true,
            stream_options: true,
            tools: true,
            tool_choice: strings(&["auto", "none", "required", "named"]),
            parallel_tool_calls: true,
            vision: true,
            image_urls: true,
            max_tokens_field: MaxTokensField::MaxCompletionTokens,
            developer_role: true,
            message_name: true,
            reasoning_effort: true,
            reasoning_output: None,
            json_object: true,
            json_schema: true,
            n: true,
            seed_field: Some("seed".into()),
            unsupported_fields: Vec::new(),
            accepted_fields: None,
        }
    }
}

pub(crate) fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Quirks {
    /// Whether a Chat Completions request passes unchanged (OpenAI's own behaviour).
    pub fn is_openai(&self) -> bool {
        *self == Quirks::default()
    }

    /// `self` with the fields set in `overrides` (a table of [`Quirks`] fields) replaced.
    pub fn with_overrides(&self, overrides: &Map<String, Value>) -> Result<Quirks, String> {
        let mut value = serde_json::to_value(self).map_err(|e| e.to_string())?;
        if let Value::Object(map) = &mut value {
            for (k, v) in overrides {
                map.insert(k.clone(), v.clone());
            }
        }
        serde_json::from_value(value).map_err(|e| e.to_string())
    }
}

/// A capability the provider lacks, asked for by the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsupported {
    #[error("this provider does not stream; send the request without `stream: true`")]
    Streaming,
    #[error("this provider does not take tools")]
    Tools,
    #[error("this provider does not take `tool_choice: {0}`")]
    ToolChoice(String),
    #[error("this provider does not take image inputs (message {message})")]
    Vision { message: usize },
    #[error(
        "this provider takes images only as `data:` URIs, not URLs (message {message}); send the image inline as base64"
    )]
    ImageUrl { message: usize },
    #[error("this provider does not take `response_format: {0}`")]
    ResponseFormat(String),
    #[error("this provider returns one choice only (`n: {0}`)")]
    N(u64),
    #[error("this provider does not serve the Responses API")]
    ResponsesApi,
    #[error("this provider does not serve embeddings")]
    Embeddings,
}

/// What shaping changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shaped {
    /// Fields removed, as JSON pointers into the caller's request.
    pub stripped: Vec<String>,
    /// Fields renamed or rewritten, as `pointer->pointer` or `pointer=value`.
    pub rewritten: Vec<String>,
}

impl Shaped {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.stripped.is_empty() && self.rewritten.is_empty()
    }
}

/// Shapes a Chat Completions request body for a provider with `quirks`.
pub fn shape_chat(body: &mut Map<String, Value>, quirks: &Quirks) -> Result<Shaped, Unsupported> {
    let mut out = Shaped::default();
    check_capabilities(body, quirks)?;

    let strip = |body: &mut Map<String, Value>, key: &str, out: &mut Shaped| {
        // `shift_remove`: the other fields keep their order (`remove` swaps the last
        // one into the gap).
        if body.shift_remove(key).is_some() {
            out.stripped.push(format!("/{key}"));
        }
    };
    if !quirks.stream_options {
        strip(body, "stream_options", &mut out);
    }
    if !quirks.parallel_tool_calls {
        strip(body, "parallel_tool_calls", &mut out);
    }
    if !quirks.reasoning_effort {
        strip(body, "reasoning_effort", &mut out);
    }
    // `tool_choice: "auto"` is the default where it cannot be said.
    if body.get("tool_choice").and_then(Value::as_str) == Some("auto")
        && !quirks.tool_choice.iter().any(|c| c == "auto")
    {
        strip(body, "tool_choice", &mut out);
    }
    // `n: 1` is the default where more cannot be asked for.
    if !quirks.n && body.get("n").and_then(Value::as_u64) == Some(1) {
        strip(body, "n", &mut out);
    }
    for key in &quirks.unsupported_fields {
        strip(body, key, &mut out);
    }

    // Renames.
    let (from, to) = match quirks.max_tokens_field {
        MaxTokensField::MaxTokens => ("max_completion_tokens", "max_tokens"),
        MaxTokensField::MaxCompletionTokens => ("max_tokens", "max_completion_tokens"),
    };
    if body.contains_key(from) {
        if body.contains_key(to) {
            strip(body, from, &mut out);
        } else {
            rename(body, from, to);
            out.rewritten.push(format!("/{from}->/{to}"));
        }
    }
    match quirks.seed_field.as_deref() {
        Some("seed") => {}
        Some(name) => {
            if body.contains_key("seed") {
                rename(body, "seed", name);
                out.rewritten.push(format!("/seed->/{name}"));
            }
        }
        None => strip(body, "seed", &mut out),
    }

    // Per message.
    if let Some(Value::Array(messages)) = body.get_mut("messages") {
        for (i, m) in messages.iter_mut().enumerate() {
            let Some(m) = m.as_object_mut() else { continue };
            if !quirks.developer_role && m.get("role").and_then(Value::as_str) == Some("developer")
            {
                m.insert("role".into(), Value::String("system".into()));
                out.rewritten.push(format!("/messages/{i}/role=system"));
            }
            if !quirks.message_name && m.shift_remove("name").is_some() {
                out.stripped.push(format!("/messages/{i}/name"));
            }
        }
    }

    if let Some(accepted) = &quirks.accepted_fields {
        let extra: Vec<String> = body
            .keys()
            .filter(|k| !accepted.iter().any(|a| a == *k))
            .cloned()
            .collect();
        for key in extra {
            strip(body, &key, &mut out);
        }
    }
    out.stripped.sort();
    Ok(out)
}

/// Renames the field `from` to `to` in its place (the other fields keep their order).
fn rename(body: &mut Map<String, Value>, from: &str, to: &str) {
    *body = std::mem::take(body)
        .into_iter()
        .map(|(k, v)| {
            if k == from {
                (to.to_owned(), v)
            } else {
                (k, v)
            }
        })
        .collect();
}

/// Refuses what the provider cannot do at all.
fn check_capabilities(body: &Map<String, Value>, quirks: &Quirks) -> Result<(), Unsupported> {
    if !quirks.streaming && body.get("stream") == Some(&Value::Bool(true)) {
        return Err(Unsupported::Streaming);
    }
    let has_tools = body
        .get("tools")
        .is_some_and(|t| t.as_array().is_none_or(|a| !a.is_empty()));
    if !quirks.tools && has_tools {
        return Err(Unsupported::Tools);
    }
    if let Some(choice) = body.get("tool_choice") {
        let form = match choice {
            Value::String(s) => s.clone(),
            Value::Object(_) => "named".into(),
            other => other.to_string(),
        };
        // `auto` is stripped where it cannot be said (it is the default).
        if form != "auto" && !quirks.tool_choice.contains(&form) {
            return Err(Unsupported::ToolChoice(form));
        }
    }
    if let Some(n) = body.get("n").and_then(Value::as_u64)
        && n > 1
        && !quirks.n
    {
        return Err(Unsupported::N(n));
    }
    if let Some(format) = body
        .get("response_format")
        .and_then(|f| f.get("type"))
        .and_then(Value::as_str)
    {
        let ok = match format {
            "json_object" => quirks.json_object,
            "json_schema" => quirks.json_schema,
            _ => true,
        };
        if !ok {
            return Err(Unsupported::ResponseFormat(format.to_owned()));
        }
    }
    if let Some(Value::Array(messages)) = body.get("messages") {
        for (i, m) in messages.iter().enumerate() {
            let Some(Value::Array(parts)) = m.get("content") else {
                continue;
            };
            for part in parts {
                if part.get("type").and_then(Value::as_str) != Some("image_url") {
                    continue;
                }
                if !quirks.vision {
                    return Err(Unsupported::Vision { message: i });
                }
                let url = part
                    .pointer("/image_url/url")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if !quirks.image_urls && !url.starts_with("data:") {
                    return Err(Unsupported::ImageUrl { message: i });
                }
            }
        }
    }
    Ok(())
}

/// Checks a Responses API request for a provider; the body passes unchanged.
pub fn check_responses(quirks: &Quirks) -> Result<(), Unsupported> {
    if quirks.responses_api {
        Ok(())
    } else {
        Err(Unsupported::ResponsesApi)
    }
}

/// Checks an embeddings request for a provider; the body passes unchanged.
pub fn check_embeddings(quirks: &Quirks) -> Result<(), Unsupported> {
    if quirks.embeddings {
        Ok(())
    } else {
        Err(Unsupported::Embeddings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(preset_name: &str, body: Value) -> (Result<Shaped, Unsupported>, Value) {
        let mut body = body;
        let q = preset(preset_name).expect("preset").quirks;
        let r = shape_chat(body.as_object_mut().expect("object"), &q);
        (r, body)
    }

    #[test]
    fn shaping_keeps_the_order_of_the_fields_it_does_not_touch() {
        // A field stripped, one renamed in its place, the rest in the caller's order.
        let mut q = Quirks {
            max_tokens_field: MaxTokensField::MaxTokens,
            ..Quirks::default()
        };
        q.unsupported_fields = vec!["store".into()];
        q.seed_field = Some("random_seed".into());
        let mut body = json!({"model": "m", "store": true, "seed": 3, "messages": [],
            "max_completion_tokens": 9, "temperature": 0.5, "user": "u"});
        let r = shape_chat(body.as_object_mut().expect("object"), &q).expect("shaped");
        assert_eq!(r.stripped, ["/store"]);
        let keys: Vec<&str> = body
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "model",
                "random_seed",
                "messages",
                "max_tokens",
                "temperature",
                "user"
            ]
        );
    }

    #[test]
    fn openai_defaults_change_nothing() {
        let body = json!({"model": "m", "messages": [{"role": "developer", "content": "x", "name": "n"}],
            "max_completion_tokens": 5, "seed": 1, "stream": true, "stream_options": {"include_usage": true},
            "tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "required",
            "parallel_tool_calls": false, "n": 2, "logprobs": true, "unknown_field": 1});
        let mut shaped = body.clone();
        let r = shape_chat(shaped.as_object_mut().expect("object"), &Quirks::default());
        assert_eq!(r, Ok(Shaped::default()));
        assert_eq!(shaped, body);
        assert!(Quirks::default().is_openai());
    }

    #[test]
    fn groq_strips_what_it_rejects() {
        let (r, body) = shape(
            "groq",
            json!({"model": "m", "messages": [{"role": "user", "name": "ann", "content": "hi"}],
                "logprobs": true, "top_logprobs": 2, "logit_bias": {"1": 2}, "n": 1, "max_completion_tokens": 9}),
        );
        let shaped = r.expect("shaped");
        assert_eq!(
            shaped.stripped,
            [
                "/logit_bias",
                "/logprobs",
                "/messages/0/name",
                "/n",
                "/top_logprobs"
            ]
        );
        assert_eq!(
            body,
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_completion_tokens": 9})
        );
    }

    #[test]
    fn groq_refuses_n_above_one() {
        let (r, _) = shape("groq", json!({"model": "m", "messages": [], "n": 3}));
        assert_eq!(r, Err(Unsupported::N(3)));
    }

    #[test]
    fn mistral_renames_and_keeps_only_what_it_accepts() {
        let (r, body) = shape(
            "mistral",
            json!({"model": "m", "messages": [{"role": "developer", "content": "be brief"}, {"role": "user", "content": "hi", "name": "x"}],
                "max_completion_tokens": 10, "seed": 7, "stream": true, "stream_options": {"include_usage": true},
                "store": true, "user": "u", "metadata": {"a": "b"}}),
        );
        let shaped = r.expect("shaped");
        assert_eq!(
            shaped.stripped,
            ["/messages/1/name", "/store", "/stream_options", "/user"]
        );
        assert_eq!(
            shaped.rewritten,
            [
                "/max_completion_tokens->/max_tokens",
                "/seed->/random_seed",
                "/messages/0/role=system"
            ]
        );
        assert_eq!(body["max_tokens"], 10);
        assert_eq!(body["random_seed"], 7);
        assert_eq!(body["messages"][0]["role"], "system");
    }

    #[test]
    fn capabilities_are_refused_clearly() {
        let image = json!({"model": "m", "messages": [{"role": "user", "content": [
            {"type": "text", "text": "what is this"},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]});
        assert_eq!(
            shape("deepseek", image.clone()).0,
            Err(Unsupported::Vision { message: 0 })
        );
        assert_eq!(
            shape("ollama", image.clone()).0,
            Err(Unsupported::ImageUrl { message: 0 })
        );
        assert!(shape("openrouter", image).0.is_ok());
        let schema = json!({"model": "m", "messages": [], "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}});
        assert_eq!(
            shape("deepseek", schema).0,
            Err(Unsupported::ResponseFormat("json_schema".into()))
        );
        let named = json!({"model": "m", "messages": [], "tools": [{"type": "function", "function": {"name": "f"}}],
            "tool_choice": {"type": "function", "function": {"name": "f"}}});
        assert_eq!(
            shape("perplexity", named).0,
            Err(Unsupported::ToolChoice("named".into()))
        );
        let mut q = Quirks {
            streaming: false,
            ..Quirks::default()
        };
        let mut body = json!({"model": "m", "stream": true});
        assert_eq!(
            shape_chat(body.as_object_mut().expect("object"), &q),
            Err(Unsupported::Streaming)
        );
        q.tools = false;
        let mut body = json!({"model": "m", "tools": [{"type": "function"}]});
        assert_eq!(
            shape_chat(body.as_object_mut().expect("object"), &q),
            Err(Unsupported::Tools)
        );
    }

    #[test]
    fn ollama_drops_auto_tool_choice_it_cannot_say() {
        let (r, body) = shape(
            "ollama",
            json!({"model": "m", "messages": [], "tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "auto"}),
        );
        assert_eq!(r.expect("shaped").stripped, ["/tool_choice"]);
        assert!(body.get("tool_choice").is_none());
    }

    #[test]
    fn both_token_limits_keep_the_target_name() {
        let (r, body) = shape(
            "together",
            json!({"model": "m", "max_tokens": 5, "max_completion_tokens": 9}),
        );
        assert_eq!(r.expect("shaped").stripped, ["/max_completion_tokens"]);
        assert_eq!(body["max_tokens"], 5);
    }

    #[test]
    fn overrides_replace_fields_and_reject_typos() {
        let q = preset("deepseek").expect("preset").quirks;
        let mut o = Map::new();
        o.insert("vision".into(), json!(true));
        let q2 = q.with_overrides(&o).expect("override");
        assert!(q2.vision);
        assert!(!q2.json_schema);
        let mut bad = Map::new();
        bad.insert("visoin".into(), json!(true));
        assert!(q.with_overrides(&bad).unwrap_err().contains("visoin"));
    }

    #[test]
    fn every_preset_cites_its_docs_and_differs_from_openai() {
        assert_eq!(PRESETS.len(), 10);
        for p in PRESETS {
            let preset = preset(p).expect("preset");
            assert!(!preset.docs.is_empty(), "{p}");
            assert!(preset.docs.iter().all(|d| d.starts_with("https://")), "{p}");
            assert!(preset.base_url.starts_with("http"), "{p}");
            assert!(
                !preset.quirks.is_openai(),
                "{p} differs from OpenAI somewhere"
            );
        }
        assert!(preset("nope").is_none());
    }
}
