//! What the pairs with a Gemini caller report alike: the settings of a generateContent
//! request that no other protocol has a place for and that the pairs do not read (part
//! metadata, a function result's scheduling and its parts where the target has no place
//! for them, declarations' behaviour and response schemas, retrieval settings, the
//! generation settings a pair leaves unread, non-text instructions). Each pair calls [`lose_unread`] before mapping what it reads.

use aigw_gemini as ge;
use serde_json::Value;

use crate::tier::{Family, Mapped};
use crate::{Cx, TranslateError, escape};

/// The `generationConfig` fields the typed pairs map or report themselves.
const CONFIG_READ: &[&str] = &[
    "maxOutputTokens",
    "temperature",
    "topP",
    "topK",
    "seed",
    "candidateCount",
    "presencePenalty",
    "frequencyPenalty",
    "stopSequences",
    "responseLogprobs",
    "responseJsonSchema",
    "_responseJsonSchema",
    "responseSchema",
    "responseMimeType",
    "responseModalities",
    "thinkingConfig",
];

/// What a pair reads beyond what every Gemini-caller pair reads.
pub(crate) struct Reads {
    /// The `generationConfig` fields it reads beyond [`CONFIG_READ`] (`None`: it reads or
    /// reports all of them itself).
    pub config: Option<&'static [&'static str]>,
    /// Whether it carries `allowedFunctionNames` of more than one name.
    pub allowed_names: bool,
    /// The upstream's family (its words for the service tier: [`crate::tier`]).
    pub tier_to: crate::tier::Family,
    /// Whether it carries a function response's `parts` (images, PDFs; it reports
    /// those it cannot place).
    pub result_media: bool,
}

/// Whether the caller asked to see the model's thoughts (`includeThoughts`). Gemini sends
/// thought parts only then; otherwise its answers carry the thoughts' signatures alone,
/// and so do the pairs' (the thinking text an upstream returns is left out).
pub(crate) fn shows_thoughts(r: &ge::GenerateContentRequest) -> bool {
    r.generation_config
        .as_ref()
        .and_then(|c| c.thinking_config.as_ref())
        .and_then(|t| t.include_thoughts)
        == Some(true)
}

/// The caller's service tier toward an upstream of family `to`.
fn tier(t: &ge::GenerateContentRequestServiceTier, to: Family) -> Mapped {
    crate::tier::map(&crate::tier::word_of(t), Family::Gemini, to)
}

/// The caller's service tier under the word of the upstream (of family `to`), where it
/// has one (the default is no setting; what it has not is reported by [`lose_unread`]).
pub(crate) fn tier_word(r: &ge::GenerateContentRequest, to: Family) -> Option<&'static str> {
    match tier(r.service_tier.as_ref()?, to) {
        Mapped::Sent(word) => Some(word),
        Mapped::Default | Mapped::Lost => None,
    }
}

/// Reports what `r` sets that the pair does not read (see the module doc).
pub(crate) fn lose_unread(
    r: &ge::GenerateContentRequest,
    reads: &Reads,
    cx: &mut Cx,
) -> Result<(), TranslateError> {
    for (key, set) in [
        (
            "/serviceTier",
            r.service_tier
                .as_ref()
                .is_some_and(|t| tier(t, reads.tier_to) == Mapped::Lost),
        ),
        ("/store", r.store.is_some()),
    ] {
        if set {
            cx.lose(key)?;
        }
    }
    let system = r.system_instruction.as_ref().and_then(|s| s.parts.as_ref());
    for (j, p) in system.into_iter().flatten().enumerate() {
        if p.text.is_none() {
            cx.lose(format!("/systemInstruction/parts/{j}"))?;
        }
    }
    for (i, c) in r.contents.iter().flatten().enumerate() {
        for (j, p) in c.parts.iter().flatten().enumerate() {
            let at = || format!("/contents/{i}/parts/{j}");
            for (key, set) in [
                ("mediaResolution", p.media_resolution.is_some()),
                ("partMetadata", p.part_metadata.is_some()),
                ("videoMetadata", p.video_metadata.is_some()),
                ("mediaProcessing", p.media_processing.is_some()),
            ] {
                if set {
                    cx.lose(format!("{}/{key}", at()))?;
                }
            }
            if let Some(f) = &p.function_response {
                for (key, set) in [
                    (
                        "parts",
                        !reads.result_media && f.parts.as_ref().is_some_and(|p| !p.is_empty()),
                    ),
                    ("scheduling", f.scheduling.is_some()),
                    ("willContinue", f.will_continue.is_some()),
                ] {
                    if set {
                        cx.lose(format!("{}/functionResponse/{key}", at()))?;
                    }
                }
            }
        }
    }
    for (i, t) in r.tools.iter().flatten().enumerate() {
        // A tool other than functions (search, code execution, maps, files, ...): only
        // Gemini runs them.
        let other = t.code_execution.is_some()
            || t.computer_use.is_some()
            || t.file_search.is_some()
            || t.google_maps.is_some()
            || t.google_search.is_some()
            || t.google_search_retrieval.is_some()
            || t.mcp_servers.is_some()
            || t.url_context.is_some();
        if other {
            cx.lose(format!("/tools/{i}"))?;
        }
        for (k, d) in t.function_declarations.iter().flatten().enumerate() {
            for (key, set) in [
                ("behavior", d.behavior.is_some()),
                ("response", d.response.is_some()),
                ("responseJsonSchema", d.response_json_schema.is_some()),
            ] {
                if set {
                    cx.lose(format!("/tools/{i}/functionDeclarations/{k}/{key}"))?;
                }
            }
        }
    }
    if let Some(c) = &r.tool_config {
        for (key, set) in [
            (
                "includeServerSideToolInvocations",
                c.include_server_side_tool_invocations.is_some(),
            ),
            ("retrievalConfig", c.retrieval_config.is_some()),
        ] {
            if set {
                cx.lose(format!("/toolConfig/{key}"))?;
            }
        }
        let f = c.function_calling_config.as_ref();
        let names = f
            .and_then(|f| f.allowed_function_names.as_ref())
            .map_or(0, Vec::len);
        let mode = f.and_then(|f| f.mode.as_ref());
        // A mode the spec does not list is read as AUTO: reported.
        if matches!(mode, Some(ge::FunctionCallingConfigMode::Unknown(_))) {
            cx.lose("/toolConfig/functionCallingConfig/mode")?;
        }
        let forced = matches!(mode, Some(ge::FunctionCallingConfigMode::Any));
        // One name of a forced choice is a named choice everywhere; another restriction
        // only the Responses API takes (`allowed_tools`).
        if !reads.allowed_names && names > 0 && !(forced && names == 1) {
            cx.lose("/toolConfig/functionCallingConfig/allowedFunctionNames")?;
        }
    }
    let level = r
        .generation_config
        .as_ref()
        .and_then(|c| c.thinking_config.as_ref())
        .and_then(|t| t.thinking_level.as_ref());
    if matches!(level, Some(ge::ThinkingConfigThinkingLevel::Unknown(_))) {
        cx.lose("/generationConfig/thinkingConfig/thinkingLevel")?;
    }
    // A response schema without the JSON mime type: the pairs write structured output
    // only with it (Gemini refuses a schema without it).
    if let Some(c) = &r.generation_config
        && c.response_mime_type.as_deref() != Some("application/json")
    {
        let given = |v: &Option<Value>| v.as_ref().is_some_and(|v| !v.is_null());
        for (key, set) in [
            ("responseJsonSchema", given(&c.response_json_schema_2)),
            ("_responseJsonSchema", given(&c.response_json_schema)),
            ("responseSchema", c.response_schema.is_some()),
        ] {
            if set {
                cx.lose(format!("/generationConfig/{key}"))?;
            }
        }
    }
    if let (Some(c), Some(read)) = (&r.generation_config, reads.config)
        && let Ok(Value::Object(config)) = serde_json::to_value(c)
    {
        for (key, v) in &config {
            let key_read = CONFIG_READ.contains(&key.as_str()) || read.contains(&key.as_str());
            if !v.is_null() && !key_read && !c.extra.contains_key(key) {
                cx.lose(format!("/generationConfig/{}", escape(key)))?;
            }
        }
    }
    Ok(())
}
