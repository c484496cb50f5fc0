//! The HTTP server: the providers' own surfaces (OpenAI `/v1/...`, Anthropic `/v1/messages`
//! and `/v1/models`, Gemini `/v1beta/models/{model}:{method}`), health, readiness and
//! metrics, each request read into an [`Inbound`] (auth checked, body size limited, only
//! `model` and `stream` read) and handed to the [`Gateway`]. Serving sets `TCP_NODELAY` on
//! every accepted socket and shuts down gracefully within the configured grace period.

use std::future::{Future, IntoFuture};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::serve::ListenerExt;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use crate::body;
use crate::error::GatewayError;
use crate::gateway::{Gateway, Inbound};
use crate::protocol::{Protocol, Surface};

/// The router of every surface.
pub fn app(gw: Arc<Gateway>) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/responses", post(responses))
        .route("/v1/responses/{*rest}", any(responses_by_id))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/models", get(models))
        .route("/v1/models/{*rest}", any(models_rest))
        .route("/v1/messages", post(messages))
        .route("/v1/messages/count_tokens", post(count_tokens))
        .route("/v1beta/models", get(gemini_models))
        .route("/v1beta/models/{*rest}", any(gemini_rest))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(gw)
}

/// Serves `gw` on `listener` until `shutdown` completes, then lets running requests and
/// streams finish for up to `server.shutdown_grace_secs`.
pub async fn serve(
    gw: Arc<Gateway>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let grace = Duration::from_secs(gw.config.server.shutdown_grace_secs);
    let spinner = tokio::spawn(gw.clone().busy_poll());
    let begun = Arc::new(tokio::sync::Notify::new());
    let signal = {
        let gw = gw.clone();
        let begun = begun.clone();
        async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections; running requests may finish");
            gw.begin_shutdown();
            begun.notify_one();
        }
    };
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = axum::serve(listener, app(gw))
        .with_graceful_shutdown(signal)
        .into_future();
    let result = tokio::select! {
        r = server => r,
        _ = async { begun.notified().await; tokio::time::sleep(grace).await } => {
            tracing::warn!(grace_secs = grace.as_secs(), "grace period over: cutting the connections still open");
            Ok(())
        }
    };
    spinner.abort();
    result
}

/// Which protocol a request on a shared path (`/v1/models`) speaks: Anthropic's clients
/// send `anthropic-version` and `x-api-key`.
fn shared_path_protocol(headers: &HeaderMap) -> Protocol {
    if headers.contains_key("anthropic-version") || headers.contains_key("x-api-key") {
        Protocol::Anthropic
    } else if headers.contains_key("x-goog-api-key") {
        Protocol::Gemini
    } else {
        Protocol::OpenAi
    }
}

async fn chat(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    body_request(gw, Surface::ChatCompletions, req, None, "v1").await
}

async fn responses(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    body_request(gw, Surface::Responses, req, None, "v1").await
}

async fn embeddings(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    body_request(gw, Surface::Embeddings, req, None, "v1").await
}

async fn messages(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    body_request(gw, Surface::Messages, req, None, "v1").await
}

async fn count_tokens(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    body_request(gw, Surface::CountTokens, req, None, "v1").await
}

async fn responses_by_id(
    State(gw): State<Arc<Gateway>>,
    Path(rest): Path<String>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let query = parts.uri.query().map(str::to_owned);
    if !gw.authorized(Protocol::OpenAi, &parts.headers, query.as_deref()) {
        return GatewayError::Unauthorized.into_response_for(Protocol::OpenAi);
    }
    let body = match read_limited(&gw, &parts.headers, body).await {
        Ok(b) => b,
        Err(e) => return e.into_response_for(Protocol::OpenAi),
    };
    gw.handle(Inbound {
        surface: Surface::ResponsesById,
        method: parts.method,
        headers: parts.headers,
        query,
        body,
        model: None,
        model_span: None,
        stream: false,
        version: "v1",
        suffix: Some(format!("/responses/{rest}")),
    })
    .await
}

async fn models(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    let surface = match shared_path_protocol(req.headers()) {
        Protocol::Anthropic => Surface::AnthropicModels,
        Protocol::Gemini => Surface::GeminiModels,
        Protocol::OpenAi => Surface::OpenAiModels,
    };
    get_request(gw, surface, req, None, "v1").await
}

/// `/v1/models/{id}` (OpenAI and Anthropic retrieve; Gemini v1 get) and Gemini v1's
/// `POST /v1/models/{model}:{method}`.
async fn models_rest(
    State(gw): State<Arc<Gateway>>,
    Path(rest): Path<String>,
    req: Request,
) -> Response {
    if req.method() == Method::POST {
        return gemini_action(gw, rest, req, "v1").await;
    }
    let surface = match shared_path_protocol(req.headers()) {
        Protocol::Anthropic => Surface::AnthropicModels,
        Protocol::Gemini => Surface::GeminiModels,
        Protocol::OpenAi => Surface::OpenAiModels,
    };
    if req.method() != Method::GET {
        return GatewayError::MethodNotAllowed(format!("/v1/models/{rest}"))
            .into_response_for(surface.protocol());
    }
    get_request(gw, surface, req, Some(rest), "v1").await
}

async fn gemini_models(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    get_request(gw, Surface::GeminiModels, req, None, "v1beta").await
}

async fn gemini_rest(
    State(gw): State<Arc<Gateway>>,
    Path(rest): Path<String>,
    req: Request,
) -> Response {
    match *req.method() {
        Method::POST => gemini_action(gw, rest, req, "v1beta").await,
        Method::GET => get_request(gw, Surface::GeminiModels, req, Some(rest), "v1beta").await,
        _ => GatewayError::MethodNotAllowed(format!("/v1beta/models/{rest}"))
            .into_response_for(Protocol::Gemini),
    }
}

/// `POST /{version}/models/{model}:{method}`.
async fn gemini_action(
    gw: Arc<Gateway>,
    rest: String,
    req: Request,
    version: &'static str,
) -> Response {
    let Some((model, method)) = rest.rsplit_once(':') else {
        return GatewayError::NotFound(format!(
            "/{version}/models/{rest}: expected {{model}}:{{method}}"
        ))
        .into_response_for(Protocol::Gemini);
    };
    let Some(surface) = Surface::from_gemini_method(method) else {
        return GatewayError::NotFound(format!(
            "/{version}/models/{rest}: unknown method `{method}`"
        ))
        .into_response_for(Protocol::Gemini);
    };
    body_request(gw, surface, req, Some(model.to_owned()), version).await
}

/// A request with a JSON body: auth, content type, size limit, routing view.
async fn body_request(
    gw: Arc<Gateway>,
    surface: Surface,
    req: Request,
    path_model: Option<String>,
    version: &'static str,
) -> Response {
    let protocol = surface.protocol();
    let (parts, body) = req.into_parts();
    let query = parts.uri.query().map(str::to_owned);
    if !gw.authorized(protocol, &parts.headers, query.as_deref()) {
        return refuse_before_body(body, GatewayError::Unauthorized.into_response_for(protocol))
            .await;
    }
    if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("");
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/json") {
            let refusal = GatewayError::ContentType(ct.to_owned()).into_response_for(protocol);
            return refuse_before_body(body, refusal).await;
        }
    }
    let body = match read_limited(&gw, &parts.headers, body).await {
        Ok(b) => b,
        Err(e) => return e.into_response_for(protocol),
    };
    let view = match body::routing_view(&body) {
        Ok(v) => v,
        Err(e) => return e.into_response_for(protocol),
    };
    let (model, model_span) = match path_model {
        Some(m) => (Some(m), None),
        None => (view.model, view.model_span),
    };
    let stream = view.stream || surface == Surface::StreamGenerateContent;
    gw.handle(Inbound {
        surface,
        method: parts.method,
        headers: parts.headers,
        query,
        body,
        model,
        model_span,
        stream,
        version,
        suffix: None,
    })
    .await
}

/// A `GET` with no body (model lists, model retrieval).
async fn get_request(
    gw: Arc<Gateway>,
    surface: Surface,
    req: Request,
    model: Option<String>,
    version: &'static str,
) -> Response {
    let protocol = surface.protocol();
    let (parts, _) = req.into_parts();
    let query = parts.uri.query().map(str::to_owned);
    if !gw.authorized(protocol, &parts.headers, query.as_deref()) {
        return GatewayError::Unauthorized.into_response_for(protocol);
    }
    gw.handle(Inbound {
        surface,
        method: Method::GET,
        headers: parts.headers,
        query,
        body: Bytes::new(),
        model,
        model_span: None,
        stream: false,
        version,
        suffix: None,
    })
    .await
}

/// Most of an unread body that a refusal waits for, and how long.
const DRAIN_BYTES: usize = 64 * 1024;
const DRAIN_TIME: Duration = Duration::from_millis(500);

/// A refusal given before the request body was read. A small body is read first, so the
/// connection stays usable: answered with part of the body still arriving, hyper closes
/// the connection after the answer, and a client that reuses it (the openai SDK's next call
/// on the same client) meets a closed socket. A larger or slower body gets the refusal with
/// `connection: close`.
async fn refuse_before_body(body: axum::body::Body, mut refusal: Response) -> Response {
    let drained = tokio::time::timeout(DRAIN_TIME, axum::body::to_bytes(body, DRAIN_BYTES)).await;
    if !matches!(drained, Ok(Ok(_))) {
        refusal
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    refusal
}

/// Reads the body, refusing more than the configured limit.
async fn read_limited(
    gw: &Gateway,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Bytes, GatewayError> {
    let limit = gw.config.server.body_limit_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(GatewayError::TooLarge { limit });
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return GatewayError::TooLarge { limit };
            }
            source = s.source();
        }
        GatewayError::MalformedJson(format!("could not read the request body: {e}"))
    })
}

async fn readyz(State(gw): State<Arc<Gateway>>) -> Response {
    if gw.is_shutting_down() {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response()
    } else {
        (StatusCode::OK, "ready").into_response()
    }
}

async fn metrics(State(gw): State<Arc<Gateway>>) -> Response {
    let mut r = gw.metrics.render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    r
}

/// The protocol a request on an unknown path most likely speaks.
fn guess_protocol(req: &Request) -> Protocol {
    if req.uri().path().starts_with("/v1beta") {
        Protocol::Gemini
    } else {
        shared_path_protocol(req.headers())
    }
}

async fn not_found(req: Request) -> Response {
    GatewayError::NotFound(req.uri().path().to_owned()).into_response_for(guess_protocol(&req))
}

async fn method_not_allowed(req: Request) -> Response {
    GatewayError::MethodNotAllowed(format!("{} {}", req.method(), req.uri().path()))
        .into_response_for(guess_protocol(&req))
}
