//! The gateway's own errors, each rendered in the caller's protocol's error shape with the
//! right status. Messages never hold a key: they are built from names and routes only.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};

use crate::protocol::{ErrorKind, Protocol, error_body};

/// Something the gateway refuses or cannot do.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the request body must be a JSON object")]
    NotAnObject,
    #[error("the request has no `model`")]
    MissingModel,
    #[error("`model` must be a string")]
    ModelNotString,
    #[error("`stream` must be a boolean")]
    StreamNotBool,
    #[error("unsupported content type {0:?}: send `application/json`")]
    ContentType(String),
    #[error("the request body is larger than the gateway's limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error(
        "the model `{0}` does not exist or no route serves it (route with `provider/model`, or see the gateway's config)"
    )]
    UnknownModel(String),
    #[error("no provider configured for this request: {0}")]
    NoProvider(String),
    #[error("invalid or missing gateway key")]
    Unauthorized,
    #[error(
        "model `{model}` routes to provider `{provider}`, which speaks the {to} protocol; translation from {from} is not available yet"
    )]
    NeedsTranslation {
        model: String,
        provider: String,
        from: &'static str,
        to: &'static str,
    },
    #[error("provider `{provider}`: {source}")]
    Unsupported {
        provider: String,
        #[source]
        source: aigw_openai_compat::Unsupported,
    },
    #[error(
        "`{surface}` has no counterpart in the {to} protocol of provider `{provider}`: route this model to a provider of the caller's protocol"
    )]
    NoCounterpart {
        surface: &'static str,
        provider: String,
        to: &'static str,
    },
    #[error("cannot translate the request: {0}")]
    Translation(String),
    #[error("no upstream could be reached: {0}")]
    Upstream(String),
    #[error("the upstream did not answer in time: {0}")]
    Timeout(String),
    #[error("no such endpoint: {0}")]
    NotFound(String),
    #[error("method not allowed for {0}")]
    MethodNotAllowed(String),
    #[error("the gateway is shutting down")]
    ShuttingDown,
}

impl GatewayError {
    pub fn kind(&self) -> ErrorKind {
        use GatewayError::*;
        match self {
            MalformedJson(_)
            | NotAnObject
            | MissingModel
            | ModelNotString
            | StreamNotBool
            | NeedsTranslation { .. }
            | Unsupported { .. }
            | NoProvider(_)
            | NoCounterpart { .. }
            | Translation(_) => ErrorKind::InvalidRequest,
            ContentType(_) => ErrorKind::UnsupportedMediaType,
            TooLarge { .. } => ErrorKind::TooLarge,
            UnknownModel(_) | NotFound(_) => ErrorKind::NotFound,
            Unauthorized => ErrorKind::Authentication,
            Upstream(_) => ErrorKind::Upstream,
            Timeout(_) => ErrorKind::Timeout,
            MethodNotAllowed(_) => ErrorKind::MethodNotAllowed,
            ShuttingDown => ErrorKind::Unavailable,
        }
    }

    /// OpenAI's `code` for the error, where it has one.
    fn code(&self) -> Option<&'static str> {
        match self {
            GatewayError::UnknownModel(_) => Some("model_not_found"),
            GatewayError::Unauthorized => Some("invalid_api_key"),
            GatewayError::NeedsTranslation { .. } => Some("translation_unavailable"),
            GatewayError::Unsupported { .. } => Some("unsupported_by_provider"),
            GatewayError::Translation(_) => Some("translation_error"),
            _ => None,
        }
    }

    /// The error as a response in `protocol`'s shape.
    pub fn into_response_for(self, protocol: Protocol) -> Response {
        let kind = self.kind();
        let body = error_body(protocol, kind, &self.to_string(), self.code());
        let mut response = (kind.status(), body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}
