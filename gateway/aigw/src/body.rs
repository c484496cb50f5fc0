//! The passthrough's view of a request body: only what routing needs (`model` and
//! `stream`), borrowed from the bytes, and the one rewrite it may make (the model name),
//! done in place on the bytes so everything else stays as the caller wrote it.

use std::borrow::Cow;
use std::ops::Range;

use bytes::{Bytes, BytesMut};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::GatewayError;

/// What routing reads from a JSON request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingView {
    /// The model, unescaped.
    pub model: Option<String>,
    /// Where the model's JSON string (with its quotes) sits in the body.
    pub model_span: Option<Range<usize>>,
    pub stream: bool,
}

#[derive(Deserialize)]
struct Borrowed<'a> {
    #[serde(borrow, default)]
    model: Option<&'a RawValue>,
    #[serde(default)]
    stream: Option<&'a RawValue>,
}

/// Reads the routing view from `body` (the whole body is checked to be well-formed JSON;
/// other fields are skipped, not built).
pub fn routing_view(body: &[u8]) -> Result<RoutingView, GatewayError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Err(e) => Err(GatewayError::MalformedJson(e.to_string())),
            Ok(_) => Err(GatewayError::NotAnObject),
        };
    }
    let view: Borrowed =
        serde_json::from_slice(body).map_err(|e| GatewayError::MalformedJson(e.to_string()))?;
    let (model, model_span) = match view.model {
        None => (None, None),
        Some(raw) if raw.get() == "null" => (None, None),
        Some(raw) => {
            let text = raw.get();
            let name: Cow<str> =
                serde_json::from_str(text).map_err(|_| GatewayError::ModelNotString)?;
            let start = text.as_ptr() as usize - body.as_ptr() as usize;
            (Some(name.into_owned()), Some(start..start + text.len()))
        }
    };
    let stream = match view.stream.map(RawValue::get) {
        None | Some("null") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(GatewayError::StreamNotBool),
    };
    Ok(RoutingView {
        model,
        model_span,
        stream,
    })
}

/// `body` with the JSON string at `span` replaced by `model`.
pub fn replace_model(body: &Bytes, span: Range<usize>, model: &str) -> Bytes {
    let quoted = serde_json::to_string(model).unwrap_or_else(|_| format!("\"{model}\""));
    let mut out = BytesMut::with_capacity(body.len() + quoted.len());
    out.extend_from_slice(&body[..span.start]);
    out.extend_from_slice(quoted.as_bytes());
    out.extend_from_slice(&body[span.end..]);
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_model_and_stream_and_rewrites_only_the_model() {
        let body = Bytes::from_static(
            br#"{ "messages":[{"role":"user","content":"x"}], "model" : "gpt-\u0034o", "stream":true, "zz":{"model":"inner"} }"#,
        );
        let v = routing_view(&body).expect("view");
        assert_eq!(v.model.as_deref(), Some("gpt-4o"));
        assert!(v.stream);
        let out = replace_model(&body, v.model_span.expect("span"), "gpt-4o-2024-08-06");
        assert_eq!(
            &out[..],
            &br#"{ "messages":[{"role":"user","content":"x"}], "model" : "gpt-4o-2024-08-06", "stream":true, "zz":{"model":"inner"} }"#[..]
        );
    }

    #[test]
    fn bad_bodies_are_named() {
        let cases: &[(&[u8], &str)] = &[
            (b"{\"model\": \"x\",", "not valid JSON"),
            (b"[1,2]", "must be a JSON object"),
            (b"", "not valid JSON"),
            (b"{\"model\": 5}", "`model` must be a string"),
            (
                b"{\"model\": \"m\", \"stream\": \"yes\"}",
                "`stream` must be a boolean",
            ),
            (b"{\"model\": \"a\", \"model\": \"b\"}", "duplicate field"),
        ];
        for (body, want) in cases {
            let e = routing_view(body).expect_err("error").to_string();
            assert!(e.contains(want), "{e}");
        }
        let v = routing_view(b"{\"stream\": null}").expect("view");
        assert_eq!(v.model, None);
        assert!(!v.stream);
    }
}
