//! Builders shared by the pairs that write the same target protocol: turn merging, text
//! parts, and the last step of every typed request mapping (serialize, apply the target's
//! fixups, encode).

use aigw_anthropic as an;
use aigw_gemini as ge;
use aigw_openai as oa;
use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{Cx, TranslateError, TranslatedRequest};

/// A target's fixup pass over the serialized request (see [`crate::fixups`]).
pub(crate) type Fixup = fn(&mut Value, &mut Cx) -> Result<(), TranslateError>;

/// Serializes a typed target request, lets `edit` and then the target's `fixup` amend the
/// JSON, and encodes the body.
pub(crate) fn encode<T: Serialize>(
    out: &T,
    stream: bool,
    cx: &mut Cx,
    edit: impl FnOnce(&mut Value),
    fixup: Fixup,
) -> Result<TranslatedRequest, TranslateError> {
    let mut value =
        serde_json::to_value(out).map_err(|e| TranslateError::Invalid(e.to_string()))?;
    edit(&mut value);
    fixup(&mut value, cx)?;
    let body = serde_json::to_vec(&value).map_err(|e| TranslateError::Invalid(e.to_string()))?;
    Ok(TranslatedRequest {
        body: Bytes::from(body),
        stream,
    })
}

/// The texts of an Anthropic `system` list. A block of another type is reported and
/// left out; cache hints and citations (neither target has them on instructions) are
/// reported.
pub(crate) fn anthropic_system_texts(
    blocks: Vec<an::RequestTextBlock>,
    cx: &mut Cx,
) -> Result<Vec<String>, TranslateError> {
    let mut out = Vec::new();
    for (j, b) in blocks.into_iter().enumerate() {
        if !matches!(b.type_, None | Some(an::RequestTextBlockType::Text)) {
            cx.lose(format!("/system/{j}"))?;
            continue;
        }
        if matches!(b.cache_control, Some(Some(_))) {
            cx.lose(format!("/system/{j}/cache_control"))?;
        }
        if matches!(&b.citations, Some(Some(c)) if !c.is_empty()) {
            cx.lose(format!("/system/{j}/citations"))?;
        }
        out.push(b.text.unwrap_or_default());
    }
    Ok(out)
}

/// An Anthropic `output_config.format` the targets can take: a JSON schema (another type is
/// reported).
pub(crate) fn anthropic_json_format(
    format: an::JsonOutputFormat,
    cx: &mut Cx,
) -> Result<Option<Map<String, Value>>, TranslateError> {
    if !matches!(
        format.type_,
        None | Some(an::JsonOutputFormatType::JsonSchema)
    ) {
        cx.lose("/output_config/format")?;
        return Ok(None);
    }
    Ok(Some(format.schema.unwrap_or_default()))
}

/// The texts of Chat text parts (the content lists of system, developer and tool
/// messages hold text only), each with whether it sets a cache breakpoint. A part of
/// another type is reported and left out; a breakpoint is reported unless the target
/// takes it (`cache`).
pub(crate) fn chat_texts(
    parts: impl IntoIterator<Item = oa::ChatCompletionRequestMessageContentPartText>,
    at: &str,
    cache: bool,
    cx: &mut Cx,
) -> Result<Vec<(String, bool)>, TranslateError> {
    let mut out = Vec::new();
    for (j, p) in parts.into_iter().enumerate() {
        out.extend(chat_text_part(p, &format!("{at}/content/{j}"), cache, cx)?);
    }
    Ok(out)
}

/// One Chat text part at `here`, as [`chat_texts`] reads it (`None`: a part of another
/// type, reported).
pub(crate) fn chat_text_part(
    p: oa::ChatCompletionRequestMessageContentPartText,
    here: &str,
    cache: bool,
    cx: &mut Cx,
) -> Result<Option<(String, bool)>, TranslateError> {
    if !matches!(
        p.type_,
        None | Some(oa::ChatCompletionRequestMessageContentPartTextType::Text)
    ) {
        cx.lose(here.to_owned())?;
        return Ok(None);
    }
    let breakpoint = p.prompt_cache_breakpoint.is_some();
    if breakpoint && !cache {
        cx.lose(format!("{here}/prompt_cache_breakpoint"))?;
    }
    Ok(Some((p.text.unwrap_or_default(), breakpoint)))
}

/// Whether a Gemini turn of `role` is the model's (`None`: a turn of a role Gemini does
/// not have, reported whole and left out). No role, `user` and the older `function` are the
/// user's.
pub(crate) fn gemini_model_turn(
    role: Option<&str>,
    at: &str,
    cx: &mut Cx,
) -> Result<Option<bool>, TranslateError> {
    Ok(match role {
        Some("model") => Some(true),
        None | Some("user" | "function") => Some(false),
        Some(_) => {
            cx.lose(at.to_owned())?;
            None
        }
    })
}

/// Reports the fields of a Chat assistant message's `thinking_blocks` (an extension the
/// Chat-caller pairs read) other than those a block has: `type`, `thinking`, `signature`
/// and a redacted block's `data`.
pub(crate) fn lose_thinking_block_fields(
    blocks: Option<&Value>,
    at: &str,
    cx: &mut Cx,
) -> Result<(), TranslateError> {
    for (j, b) in blocks
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for key in b.as_object().into_iter().flat_map(Map::keys) {
            if !matches!(key.as_str(), "type" | "thinking" | "signature" | "data") {
                cx.lose(format!("{at}/thinking_blocks/{j}/{}", crate::escape(key)))?;
            }
        }
    }
    Ok(())
}

/// The schema of a Chat `response_format` json_schema, for a target whose structured
/// output takes a schema only: the format's description is reported.
pub(crate) fn chat_format_schema(
    s: oa::ResponseFormatJsonSchema,
    cx: &mut Cx,
) -> Result<Option<Map<String, Value>>, TranslateError> {
    let Some(j) = s.json_schema else {
        return Ok(None);
    };
    if j.description.is_some() {
        cx.lose("/response_format/json_schema/description")?;
    }
    Ok(j.schema.map(|s| s.0))
}

/// A Gemini text part.
pub(crate) fn gemini_text(text: String) -> ge::Part {
    ge::Part {
        text: Some(text),
        ..Default::default()
    }
}

/// Whether the Gemini model `model` takes images and PDFs inside a function's result
/// (`functionResponse.parts`): the Gemini 3 models and later do; Gemini 2.x refuses such a
/// request (400, "`function_response.parts` is not supported for this model"). A model
/// named otherwise (an alias, a tuned model) is taken not to: the pairs then report the
/// media lost rather than have the request refused.
pub(crate) fn gemini_takes_result_media(model: &str) -> bool {
    let name = model.strip_prefix("models/").unwrap_or(model);
    let Some(version) = name.strip_prefix("gemini-") else {
        return false;
    };
    let digits = version.bytes().take_while(u8::is_ascii_digit).count();
    version[..digits]
        .parse::<u32>()
        .is_ok_and(|major| major >= 3)
}

/// A setting Gemini takes as an `int32` (a seed, `topK`, `maxOutputTokens`): `value` when
/// in that range, else reported at `at` and left out (Gemini refuses the request
/// otherwise; a token limit beyond it is beyond every model's, which is the limit left
/// out means).
pub(crate) fn gemini_int32(
    value: Option<i64>,
    at: &str,
    cx: &mut Cx,
) -> Result<Option<i64>, TranslateError> {
    match value {
        Some(v) if i32::try_from(v).is_err() => {
            cx.lose(at)?;
            Ok(None)
        }
        v => Ok(v),
    }
}

/// Appends `parts` as a `role` turn, merged into the previous turn when it has the same
/// role (Gemini wants turns to alternate).
pub(crate) fn push_gemini_turn(contents: &mut Vec<ge::Content>, role: &str, parts: Vec<ge::Part>) {
    if parts.is_empty() {
        return;
    }
    if let Some(last) = contents.last_mut()
        && last.role.as_deref() == Some(role)
    {
        last.parts.get_or_insert_with(Vec::new).extend(parts);
        return;
    }
    contents.push(ge::Content {
        role: Some(role.to_owned()),
        parts: Some(parts),
        ..Default::default()
    });
}

/// Appends `items` as a `role` turn of JSON (`{"role", <key>: items}`), merged into the
/// previous turn when it has the same role: the JSON-mapping pairs' form of the two
/// typed builders here (`key` is `content` for Anthropic, `parts` for Gemini).
pub(crate) fn push_json_turn(turns: &mut Vec<Value>, role: &str, key: &str, items: Vec<Value>) {
    if items.is_empty() {
        return;
    }
    if let Some(last) = turns.last_mut()
        && last["role"] == role
        && let Some(existing) = last[key].as_array_mut()
    {
        existing.extend(items);
        return;
    }
    let mut turn = Map::new();
    turn.insert("role".into(), Value::String(role.to_owned()));
    turn.insert(key.into(), Value::Array(items));
    turns.push(Value::Object(turn));
}

/// Appends `blocks` as a `role` turn, merged into the previous turn when it has the same
/// role (Anthropic wants tool results and the text after them in one user turn).
pub(crate) fn push_anthropic_turn(
    messages: &mut Vec<an::InputMessage>,
    role: an::InputMessageRole,
    blocks: Vec<an::InputContentBlock>,
) {
    if blocks.is_empty() {
        return;
    }
    if let Some(last) = messages.last_mut()
        && last.role.as_ref() == Some(&role)
        && let Some(an::InputMessageContent::Array(existing)) = &mut last.content
    {
        existing.extend(blocks);
        return;
    }
    messages.push(an::InputMessage {
        role: Some(role),
        content: Some(an::InputMessageContent::Array(blocks)),
        ..Default::default()
    });
}

/// A Chat Completions text content part.
pub(crate) fn chat_text(text: String) -> oa::ChatCompletionRequestMessageContentPartText {
    oa::ChatCompletionRequestMessageContentPartText {
        text: Some(text),
        type_: Some(oa::ChatCompletionRequestMessageContentPartTextType::Text),
        ..Default::default()
    }
}

/// The caller's request as a JSON object, read once and checked against the caller's
/// generated type `T` (the shape of every field it knows) for the pairs that map from JSON.
pub(crate) fn checked_object<T: DeserializeOwned>(
    body: &[u8],
) -> Result<(Map<String, Value>, T), TranslateError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| TranslateError::Invalid(e.to_string()))?;
    let typed = T::deserialize(&v).map_err(|e| TranslateError::Invalid(e.to_string()))?;
    match v {
        Value::Object(m) => Ok((m, typed)),
        _ => Err(TranslateError::Invalid(
            "the request is not a JSON object".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::gemini_takes_result_media;

    #[test]
    fn only_gemini_3_and_later_take_media_in_results() {
        for model in [
            "gemini-3-pro-preview",
            "models/gemini-3-flash",
            "gemini-3.5-flash",
            "gemini-10-ultra",
        ] {
            assert!(gemini_takes_result_media(model), "{model}");
        }
        for model in [
            "gemini-2.5-flash",
            "gemini-1.5-pro",
            "gemini-flash-latest",
            "gemini-",
            "gemma-3-27b-it",
            "tunedModels/gemini-3-x",
            "",
        ] {
            assert!(!gemini_takes_result_media(model), "{model}");
        }
    }
}
