//! The last step of every request translation, per target protocol: what the target's
//! spec demands of a request that the caller's protocol does not (so a request valid for
//! its caller stays valid for its target). Found by the property test that validates
//! translations of random valid requests against the target's spec.
//!
//! - Values outside the target's range (temperature, `top_p`, penalties, `n`, top
//!   logprobs) are clamped into it and reported as `upstream:/field` losses.
//! - Anthropic: empty text blocks (it refuses them) are dropped; stop sequences of white
//!   space only (it refuses them too) are dropped and reported; tool and tool-result ids
//!   outside its `[a-zA-Z0-9_-]` alphabet are rewritten the same way everywhere in the
//!   request (bytes outside it become `_xx` hex), so calls and results still pair up;
//!   a tool's input schema gets its `type: object`.
//! - Chat Completions: at most four stop sequences, none empty; messages with an empty
//!   content list dropped.
//! - Responses: `max_output_tokens` at least 16; calls and results need their id.
//! - All: a conversation with nothing in it (nothing given, or nothing left once what has
//!   no place is reported), and tools without a name, are refused.

use serde_json::{Value, json};

use crate::{Cx, TranslateError};

fn clamp(v: &mut Value, key: &str, lo: f64, hi: f64, cx: &mut Cx) -> Result<(), TranslateError> {
    let Some(x) = v.get(key).and_then(Value::as_f64) else {
        return Ok(());
    };
    let clamped = x.clamp(lo, hi);
    if clamped != x {
        cx.lose(format!("upstream:/{key}"))?;
        v[key] = if v[key].is_i64() || v[key].is_u64() {
            json!(clamped as i64)
        } else {
            json!(clamped)
        };
    }
    Ok(())
}

/// Refuses a request whose conversation (`key`) is empty: nothing to send, and every
/// provider refuses it.
fn require_conversation(v: &Value, key: &str) -> Result<(), TranslateError> {
    if v.get(key)
        .and_then(Value::as_array)
        .is_none_or(|m| m.is_empty())
    {
        return Err(TranslateError::Invalid(
            "the conversation is empty: nothing to send".into(),
        ));
    }
    Ok(())
}

fn require_tool_names(tools: Option<&Value>, name_at: &str) -> Result<(), TranslateError> {
    for (i, t) in tools
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let name = t.pointer(name_at).and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            return Err(TranslateError::Invalid(format!("tool {i} has no name")));
        }
    }
    Ok(())
}

/// A Chat Completions request.
pub fn chat(v: &mut Value, cx: &mut Cx) -> Result<(), TranslateError> {
    // A message whose content is an empty list says nothing (Chat wants one part at least).
    if let Some(messages) = v.get_mut("messages").and_then(Value::as_array_mut) {
        messages.retain(|m| {
            m.get("content")
                .and_then(Value::as_array)
                .is_none_or(|c| !c.is_empty())
                || m.get("tool_calls").is_some()
        });
    }
    require_conversation(v, "messages")?;
    require_tool_names(v.get("tools"), "/function/name")?;
    clamp(v, "temperature", 0.0, 2.0, cx)?;
    clamp(v, "top_p", 0.0, 1.0, cx)?;
    clamp(v, "presence_penalty", -2.0, 2.0, cx)?;
    clamp(v, "frequency_penalty", -2.0, 2.0, cx)?;
    clamp(v, "n", 1.0, 128.0, cx)?;
    clamp(v, "top_logprobs", 0.0, 20.0, cx)?;
    if let Some(stop) = v.get_mut("stop").and_then(Value::as_array_mut) {
        stop.retain(|s| s.as_str().is_some_and(|s| !s.is_empty()));
        if stop.len() > 4 {
            stop.truncate(4);
            cx.lose("upstream:/stop")?;
        }
    }
    if v.get("stop")
        .and_then(Value::as_array)
        .is_some_and(|s| s.is_empty())
    {
        v.as_object_mut().map(|o| o.shift_remove("stop"));
    }
    Ok(())
}

/// An id in Anthropic's alphabet (`[a-zA-Z0-9_-]+`), the same input giving the same id.
pub fn anthropic_id(id: &str) -> String {
    if !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return id.to_owned();
    }
    let mut out = String::from("toolu_");
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    out
}

/// A Messages request.
pub fn anthropic(v: &mut Value, cx: &mut Cx) -> Result<(), TranslateError> {
    require_tool_names(v.get("tools"), "/name")?;
    for (i, t) in v
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let name = t.get("name").and_then(Value::as_str).unwrap_or("");
        let ok = name.len() <= 128
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            return Err(TranslateError::Invalid(format!(
                "tool {i}: Anthropic takes tool names of 1 to 128 letters, digits, `_` and `-`, not {name:?}"
            )));
        }
    }
    for t in v
        .get_mut("tools")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(schema) = t.get_mut("input_schema").and_then(Value::as_object_mut) {
            schema.insert("type".into(), json!("object"));
        }
    }
    clamp(v, "temperature", 0.0, 1.0, cx)?;
    clamp(v, "top_p", 0.0, 1.0, cx)?;
    clamp(v, "max_tokens", 1.0, f64::from(u32::MAX), cx)?;
    clamp(v, "top_p", 0.0, 1.0, cx)?;
    clamp(v, "top_k", 0.0, f64::MAX, cx)?;
    if let Some(Value::Array(system)) = v.get_mut("system") {
        system.retain(|b| {
            b.get("type") != Some(&json!("text"))
                || b.get("text")
                    .and_then(Value::as_str)
                    .is_some_and(|t| !t.is_empty())
        });
    }
    if v.get("system")
        .and_then(Value::as_array)
        .is_some_and(|s| s.is_empty())
    {
        v.as_object_mut().map(|o| o.shift_remove("system"));
    }
    if let Some(Value::Array(stops)) = v.get_mut("stop_sequences") {
        // Anthropic refuses a stop sequence of white space only: dropped, and reported.
        let before = stops.len();
        stops.retain(|s| s.as_str().is_some_and(|s| !s.trim().is_empty()));
        if stops.len() < before {
            cx.lose("upstream:/stop_sequences")?;
        }
    }
    for m in v
        .get_mut("messages")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(Value::Array(blocks)) = m.get_mut("content") {
            blocks.retain(|b| {
                b.get("type") != Some(&json!("text"))
                    || b.get("text")
                        .and_then(Value::as_str)
                        .is_some_and(|t| !t.is_empty())
            });
            for b in blocks.iter_mut() {
                for key in ["id", "tool_use_id"] {
                    if let Some(id) = b.get(key).and_then(Value::as_str) {
                        let fixed = anthropic_id(id);
                        b[key] = Value::String(fixed);
                    }
                }
                if let Some(Value::Array(inner)) = b.get_mut("content") {
                    inner.retain(|x| {
                        x.get("type") != Some(&json!("text"))
                            || x.get("text")
                                .and_then(Value::as_str)
                                .is_some_and(|t| !t.is_empty())
                    });
                }
            }
        }
    }
    // A turn left with nothing in it goes.
    if let Some(messages) = v.get_mut("messages").and_then(Value::as_array_mut) {
        messages.retain(|m| {
            !m.get("content")
                .and_then(Value::as_array)
                .is_some_and(|c| c.is_empty())
        });
    }
    require_conversation(v, "messages")
}

/// A generateContent request.
pub fn gemini(v: &mut Value, _cx: &mut Cx) -> Result<(), TranslateError> {
    require_conversation(v, "contents")?;
    for t in v
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        require_tool_names(t.get("functionDeclarations"), "/name")?;
    }
    Ok(())
}

/// A Responses API request.
pub fn responses(v: &mut Value, cx: &mut Cx) -> Result<(), TranslateError> {
    require_conversation(v, "input")?;
    require_tool_names(v.get("tools"), "/name")?;
    for (i, item) in v
        .get("input")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if matches!(
            item.get("type").and_then(Value::as_str),
            Some("function_call" | "function_call_output")
        ) && item
            .get("call_id")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(TranslateError::Invalid(format!(
                "input item {i}: a tool call or result without an id cannot be paired"
            )));
        }
    }
    clamp(v, "temperature", 0.0, 2.0, cx)?;
    clamp(v, "top_p", 0.0, 1.0, cx)?;
    clamp(v, "top_logprobs", 0.0, 20.0, cx)?;
    clamp(v, "max_output_tokens", 16.0, f64::from(u32::MAX), cx)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anthropic_ids_are_rewritten_the_same_way() {
        assert_eq!(anthropic_id("call_1-a"), "call_1-a");
        assert_eq!(anthropic_id("call.1"), "toolu_call_2e1");
        assert_eq!(anthropic_id(""), "toolu_");
        assert_eq!(anthropic_id("é"), "toolu__c3_a9");
    }

    #[test]
    fn out_of_range_values_are_clamped_and_reported() {
        let mut cx = Cx::new("anthropic", false);
        let turn = json!([{"role": "user", "content": "hi"}]);
        let mut v = json!({"temperature": 1.7, "top_p": -1, "messages": turn});
        anthropic(&mut v, &mut cx).expect("ok");
        assert_eq!(v["temperature"], 1.0);
        assert_eq!(v["top_p"], 0);
        assert_eq!(cx.losses, ["upstream:/temperature", "upstream:/top_p"]);
        // An empty conversation is refused by every target.
        let mut v = json!({"messages": []});
        assert!(chat(&mut v, &mut Cx::new("openai", false)).is_err());
        assert!(anthropic(&mut v, &mut Cx::new("anthropic", false)).is_err());
        let mut v = json!({"contents": []});
        assert!(gemini(&mut v, &mut Cx::new("gemini", false)).is_err());
        let mut v = json!({"input": []});
        assert!(responses(&mut v, &mut Cx::new("openai-responses", false)).is_err());
    }

    #[test]
    fn blank_stop_sequences_are_dropped_for_anthropic_and_reported() {
        let request = || {
            json!({"stop_sequences": ["\n", "END", " \t"],
                   "messages": [{"role": "user", "content": "hi"}]})
        };
        let mut cx = Cx::new("anthropic", false);
        let mut v = request();
        anthropic(&mut v, &mut cx).expect("lenient");
        assert_eq!(v["stop_sequences"], json!(["END"]));
        assert_eq!(cx.losses, ["upstream:/stop_sequences"]);
        assert!(anthropic(&mut request(), &mut Cx::new("anthropic", true)).is_err());
    }
}
