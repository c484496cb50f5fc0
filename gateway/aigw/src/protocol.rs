//! The protocols the gateway speaks, the surfaces (endpoints) of each, and each protocol's
//! error shape: OpenAI `{"error":{...}}`, Anthropic `{"type":"error","error":{...}}`,
//! Gemini `{"error":{"code","message","status"}}`, in JSON bodies and as the stream event
//! that ends a broken stream.

use bytes::Bytes;
use http::StatusCode;
use serde_json::json;

use crate::config::ProviderKind;

/// A wire protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    OpenAi,
    Anthropic,
    Gemini,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::OpenAi => "openai",
            Protocol::Anthropic => "anthropic",
            Protocol::Gemini => "gemini",
        }
    }

    /// The protocol an upstream of `kind` speaks.
    pub fn of(kind: ProviderKind) -> Protocol {
        match kind {
            ProviderKind::Openai | ProviderKind::OpenaiCompat => Protocol::OpenAi,
            ProviderKind::Anthropic => Protocol::Anthropic,
            ProviderKind::Gemini => Protocol::Gemini,
        }
    }
}

/// An inbound endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Surface {
    ChatCompletions,
    Responses,
    /// Retrieve, delete, cancel, input items of a stored response.
    ResponsesById,
    Embeddings,
    OpenAiModels,
    Messages,
    CountTokens,
    AnthropicModels,
    GenerateContent,
    StreamGenerateContent,
    EmbedContent,
    BatchEmbedContents,
    GeminiCountTokens,
    GeminiModels,
}

impl Surface {
    pub fn protocol(self) -> Protocol {
        use Surface::*;
        match self {
            ChatCompletions | Responses | ResponsesById | Embeddings | OpenAiModels => {
                Protocol::OpenAi
            }
            Messages | CountTokens | AnthropicModels => Protocol::Anthropic,
            GenerateContent
            | StreamGenerateContent
            | EmbedContent
            | BatchEmbedContents
            | GeminiCountTokens
            | GeminiModels => Protocol::Gemini,
        }
    }

    /// A short name for logs and metric labels.
    pub fn as_str(self) -> &'static str {
        use Surface::*;
        match self {
            ChatCompletions => "chat_completions",
            Responses => "responses",
            ResponsesById => "responses_by_id",
            Embeddings => "embeddings",
            OpenAiModels => "openai_models",
            Messages => "messages",
            CountTokens => "count_tokens",
            AnthropicModels => "anthropic_models",
            GenerateContent => "generate_content",
            StreamGenerateContent => "stream_generate_content",
            EmbedContent => "embed_content",
            BatchEmbedContents => "batch_embed_contents",
            GeminiCountTokens => "gemini_count_tokens",
            GeminiModels => "gemini_models",
        }
    }

    /// The Gemini method name of a Gemini model-action surface.
    pub fn gemini_method(self) -> Option<&'static str> {
        Some(match self {
            Surface::GenerateContent => "generateContent",
            Surface::StreamGenerateContent => "streamGenerateContent",
            Surface::EmbedContent => "embedContent",
            Surface::BatchEmbedContents => "batchEmbedContents",
            Surface::GeminiCountTokens => "countTokens",
            _ => return None,
        })
    }

    /// The Gemini surface of a method name.
    pub fn from_gemini_method(method: &str) -> Option<Surface> {
        Some(match method {
            "generateContent" => Surface::GenerateContent,
            "streamGenerateContent" => Surface::StreamGenerateContent,
            "embedContent" => Surface::EmbedContent,
            "batchEmbedContents" => Surface::BatchEmbedContents,
            "countTokens" => Surface::GeminiCountTokens,
            _ => return None,
        })
    }
}

/// What went wrong, in terms every protocol has a word for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidRequest,
    Authentication,
    NotFound,
    TooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    RateLimited,
    Upstream,
    Timeout,
    Unavailable,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::InvalidRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Authentication => StatusCode::UNAUTHORIZED,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Upstream => StatusCode::BAD_GATEWAY,
            ErrorKind::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn openai_type(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest
            | ErrorKind::NotFound
            | ErrorKind::TooLarge
            | ErrorKind::UnsupportedMediaType
            | ErrorKind::MethodNotAllowed => "invalid_request_error",
            ErrorKind::Authentication => "authentication_error",
            ErrorKind::RateLimited => "rate_limit_error",
            ErrorKind::Upstream | ErrorKind::Timeout | ErrorKind::Unavailable => "server_error",
        }
    }

    fn anthropic_type(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest
            | ErrorKind::UnsupportedMediaType
            | ErrorKind::MethodNotAllowed => "invalid_request_error",
            ErrorKind::Authentication => "authentication_error",
            ErrorKind::NotFound => "not_found_error",
            ErrorKind::TooLarge => "request_too_large",
            ErrorKind::RateLimited => "rate_limit_error",
            ErrorKind::Upstream => "api_error",
            ErrorKind::Timeout => "timeout_error",
            ErrorKind::Unavailable => "overloaded_error",
        }
    }

    fn gemini_status(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest | ErrorKind::TooLarge | ErrorKind::UnsupportedMediaType => {
                "INVALID_ARGUMENT"
            }
            ErrorKind::Authentication => "UNAUTHENTICATED",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::MethodNotAllowed => "UNIMPLEMENTED",
            ErrorKind::RateLimited => "RESOURCE_EXHAUSTED",
            ErrorKind::Upstream | ErrorKind::Unavailable => "UNAVAILABLE",
            ErrorKind::Timeout => "DEADLINE_EXCEEDED",
        }
    }
}

/// An error body in `protocol`'s shape. `code` is OpenAI's `code` (e.g. `model_not_found`).
pub fn error_body(protocol: Protocol, kind: ErrorKind, message: &str, code: Option<&str>) -> Bytes {
    let v = match protocol {
        Protocol::OpenAi => json!({"error": {
            "message": message,
            "type": kind.openai_type(),
            "param": null,
            "code": code,
        }}),
        Protocol::Anthropic => json!({"type": "error", "error": {
            "type": kind.anthropic_type(),
            "message": message,
        }}),
        Protocol::Gemini => json!({"error": {
            "code": kind.status().as_u16(),
            "message": message,
            "status": kind.gemini_status(),
        }}),
    };
    Bytes::from(v.to_string())
}

/// How a stream in each protocol's shape ends when the upstream broke off: the caller's
/// SDK raises the error instead of waiting or reading a truncated answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamShape {
    /// `data: {"error":...}` then `data: [DONE]`.
    ChatCompletions,
    /// `event: error` with `{"type":"error","code","message","sequence_number"}`.
    Responses,
    /// `event: error` with Anthropic's error object.
    Messages,
    /// `data: {"error":{...}}` (google-genai raises on a chunk starting `{"error":`).
    GeminiSse,
}

/// The closing error event of a broken stream.
pub fn stream_error_event(
    shape: StreamShape,
    kind: ErrorKind,
    message: &str,
    next_sequence_number: Option<u64>,
) -> Bytes {
    let mut out = Vec::with_capacity(256);
    match shape {
        StreamShape::ChatCompletions => {
            let body = error_body(
                Protocol::OpenAi,
                kind,
                message,
                Some("upstream_stream_error"),
            );
            aigw_sse::encode(None, std::str::from_utf8(&body).unwrap_or("{}"), &mut out);
            aigw_sse::encode(None, "[DONE]", &mut out);
        }
        StreamShape::Responses => {
            let v = json!({
                "type": "error",
                "code": "upstream_stream_error",
                "message": message,
                "param": null,
                "sequence_number": next_sequence_number.unwrap_or(0),
            });
            aigw_sse::encode(Some("error"), &v.to_string(), &mut out);
        }
        StreamShape::Messages => {
            let body = error_body(Protocol::Anthropic, kind, message, None);
            aigw_sse::encode(
                Some("error"),
                std::str::from_utf8(&body).unwrap_or("{}"),
                &mut out,
            );
        }
        StreamShape::GeminiSse => {
            let body = error_body(Protocol::Gemini, kind, message, None);
            aigw_sse::encode(None, std::str::from_utf8(&body).unwrap_or("{}"), &mut out);
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shapes() {
        let v: serde_json::Value = serde_json::from_slice(&error_body(
            Protocol::OpenAi,
            ErrorKind::NotFound,
            "no",
            Some("model_not_found"),
        ))
        .expect("json");
        assert_eq!(v["error"]["code"], "model_not_found");
        assert_eq!(v["error"]["type"], "invalid_request_error");
        let v: serde_json::Value = serde_json::from_slice(&error_body(
            Protocol::Anthropic,
            ErrorKind::TooLarge,
            "big",
            None,
        ))
        .expect("json");
        assert_eq!(v["type"], "error");
        assert_eq!(v["error"]["type"], "request_too_large");
        let v: serde_json::Value = serde_json::from_slice(&error_body(
            Protocol::Gemini,
            ErrorKind::Authentication,
            "who",
            None,
        ))
        .expect("json");
        assert_eq!(v["error"]["code"], 401);
        assert_eq!(v["error"]["status"], "UNAUTHENTICATED");
    }

    #[test]
    fn gemini_stream_errors_start_as_the_sdk_expects() {
        let e = stream_error_event(StreamShape::GeminiSse, ErrorKind::Upstream, "cut", None);
        assert!(e.starts_with(b"data: {\"error\":"));
        let e = stream_error_event(
            StreamShape::ChatCompletions,
            ErrorKind::Upstream,
            "cut",
            None,
        );
        assert!(e.ends_with(b"data: [DONE]\n\n"));
    }
}
