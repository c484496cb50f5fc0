//! The request flow: gateway auth, routing, same-protocol passthrough with retries and
//! fallbacks, and the response (JSON passed through, streams passed through event by event,
//! upstream errors passed through with their status and body).

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tracing::Instrument;

use crate::body::replace_model;
use crate::config::{Config, OpenAiApi, ProviderKind};
use crate::error::GatewayError;
use crate::metrics::Metrics;
use crate::protocol::{Protocol, StreamShape, Surface};
use crate::route::{Attempt, Router};
use crate::stream::{Outcome, Passthrough};
use crate::upstream::{self, Provider, SendError};
use crate::usage::tokens_in;
use aigw_translate::{Translator, Upstream};

/// The gateway's shared state.
pub struct Gateway {
    pub config: Config,
    pub router: Router,
    pub metrics: Arc<Metrics>,
    gateway_keys: Vec<[u8; 32]>,
    shutting_down: AtomicBool,
    /// Busy polling (`server.busy_poll_us`): when activity was last seen, and the spinner's
    /// wake-up.
    last_activity: std::sync::atomic::AtomicU64,
    activity: tokio::sync::Notify,
    epoch: Instant,
}

/// A request as the surfaces hand it over.
#[derive(Debug)]
pub struct Inbound {
    pub surface: Surface,
    pub method: Method,
    pub headers: HeaderMap,
    pub query: Option<String>,
    pub body: Bytes,
    /// The model: from the body, or from the path.
    pub model: Option<String>,
    /// Where the model sits in the body (absent when it is in the path).
    pub model_span: Option<Range<usize>>,
    pub stream: bool,
    /// For Gemini: the API version segment the caller used (`v1beta`, `v1`).
    pub version: &'static str,
    /// For surfaces addressed by id (stored responses): the path after the base, e.g.
    /// `/responses/resp_1/cancel`.
    pub suffix: Option<String>,
}

impl Gateway {
    pub fn new(config: Config) -> Gateway {
        let providers = config
            .providers
            .iter()
            .map(|p| Arc::new(Provider::new(p.clone())))
            .collect();
        let router = Router::new(&config, providers);
        let gateway_keys = config
            .gateway_keys
            .iter()
            .map(|k| Sha256::digest(k.expose_secret().as_bytes()).into())
            .collect();
        Gateway {
            config,
            router,
            metrics: Arc::new(Metrics::default()),
            gateway_keys,
            shutting_down: AtomicBool::new(false),
            last_activity: std::sync::atomic::AtomicU64::new(0),
            activity: tokio::sync::Notify::new(),
            epoch: Instant::now(),
        }
    }

    /// Records activity for the busy poller.
    fn touch(&self) {
        if self.config.server.busy_poll_us == 0 {
            return;
        }
        let now = self.epoch.elapsed().as_micros() as u64;
        let before = self.last_activity.swap(now, Ordering::Relaxed);
        if now.saturating_sub(before) >= self.config.server.busy_poll_us {
            self.activity.notify_one();
        }
    }

    /// The busy poller (`server.busy_poll_us` > 0): while activity is recent, yield in a
    /// loop, which keeps the worker polling the sockets with a zero timeout instead of
    /// sleeping until the kernel wakes it; once quiet, wait for the next activity.
    pub async fn busy_poll(self: Arc<Self>) {
        let window = self.config.server.busy_poll_us;
        if window == 0 {
            return;
        }
        loop {
            let now = self.epoch.elapsed().as_micros() as u64;
            if now.saturating_sub(self.last_activity.load(Ordering::Relaxed)) < window {
                tokio::task::yield_now().await;
            } else {
                self.activity.notified().await;
            }
        }
    }

    /// Marks the gateway as shutting down: `/readyz` fails, new requests get a 503.
    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    /// Whether the caller presented a gateway key (any, when none is configured). Every
    /// configured key is compared, in constant time, whatever the outcome.
    pub fn authorized(&self, protocol: Protocol, headers: &HeaderMap, query: Option<&str>) -> bool {
        if self.gateway_keys.is_empty() {
            return true;
        }
        let candidates = [
            upstream::client_key(protocol, headers, query),
            upstream::client_key(Protocol::OpenAi, headers, query),
            upstream::client_key(Protocol::Anthropic, headers, query),
            upstream::client_key(Protocol::Gemini, headers, query),
        ];
        let mut ok = subtle::Choice::from(0u8);
        for candidate in candidates.iter().flatten() {
            let digest: [u8; 32] = Sha256::digest(candidate.as_bytes()).into();
            for key in &self.gateway_keys {
                ok |= digest.ct_eq(key);
            }
        }
        bool::from(ok)
    }

    /// Serves one request.
    pub async fn handle(self: &Arc<Self>, inbound: Inbound) -> Response {
        let surface = inbound.surface;
        let span = tracing::info_span!(
            "request",
            surface = surface.as_str(),
            model = inbound.model.as_deref().unwrap_or(""),
            stream = inbound.stream,
            provider = tracing::field::Empty,
            upstream_model = tracing::field::Empty,
            status = tracing::field::Empty,
            retries = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let this = self.clone();
        self.touch();
        async move {
            let protocol = surface.protocol();
            let response = match this
                .route_and_send(inbound, &tracing::Span::current())
                .await
            {
                Ok(r) => r,
                Err(e) => {
                    let kind = e.kind();
                    if kind.status().is_server_error() {
                        tracing::warn!(error = %e, "request failed");
                    } else {
                        tracing::info!(error = %e, "request refused");
                    }
                    this.metrics.add(
                        "aigw_requests_total",
                        &[
                            ("surface", surface.as_str()),
                            ("provider", ""),
                            ("model", ""),
                            ("status", kind.status().as_str()),
                        ],
                        1,
                    );
                    e.into_response_for(protocol)
                }
            };
            let span = tracing::Span::current();
            span.record("status", response.status().as_u16());
            span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
            tracing::info!("answered");
            this.touch();
            response
        }
        .instrument(span)
        .await
    }

    async fn route_and_send(
        &self,
        inbound: Inbound,
        span: &tracing::Span,
    ) -> Result<Response, GatewayError> {
        let surface = inbound.surface;
        let protocol = surface.protocol();
        if self.is_shutting_down() {
            return Err(GatewayError::ShuttingDown);
        }
        let attempts: Vec<Attempt> = match (&inbound.model, surface) {
            (None, Surface::ResponsesById) => {
                let provider = self.responses_provider(&inbound.headers)?;
                vec![Attempt {
                    provider,
                    model: String::new(),
                    strict: false,
                }]
            }
            (None, Surface::OpenAiModels | Surface::AnthropicModels | Surface::GeminiModels) => {
                return self.list_models(inbound).await;
            }
            (None, _) => return Err(GatewayError::MissingModel),
            (Some(model), _) => self.router.resolve(model)?,
        };
        let caller_key = upstream::client_key(protocol, &inbound.headers, inbound.query.as_deref());
        let query = match protocol {
            Protocol::Gemini => upstream::query_without_key(inbound.query.as_deref()),
            _ => inbound.query.clone(),
        };
        let strict = inbound
            .headers
            .get("x-aigw-strict")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
        let retry = self.config.retry;
        let mut retries = 0u32;
        let mut last_failure: Option<Failure> = None;
        for (i, attempt) in attempts.iter().enumerate() {
            let provider = &attempt.provider;
            let prepared = match prepare(&inbound, attempt, strict || attempt.strict) {
                Ok(p) => p,
                Err(e) if i == 0 => return Err(e),
                Err(e) => {
                    tracing::info!(provider = %provider.spec.name, error = %e, "fallback skipped");
                    continue;
                }
            };
            if let Some(t) = &prepared.translation {
                let path = if t.fast { "fast" } else { "general" };
                let labels = [
                    ("surface", inbound.surface.as_str()),
                    ("provider", provider.spec.name.as_str()),
                    ("path", path),
                ];
                self.metrics.add("aigw_translations_total", &labels, 1);
            }
            if i > 0 {
                let previous = attempts[i - 1].provider.spec.name.as_str();
                self.metrics
                    .add("aigw_fallbacks_total", &[("provider", previous)], 1);
            }
            let url = match &prepared.translation {
                Some(t) => provider.url(&t.path, t.query),
                None => provider.url(&path_for(&inbound, &attempt.model), query.as_deref()),
            };
            let started = Instant::now();
            for n in 0..=retry.retries {
                let headers =
                    upstream::outgoing_headers(&inbound.headers, provider, caller_key.as_deref());
                let result = upstream::send(
                    provider,
                    inbound.method.clone(),
                    url.clone(),
                    headers,
                    prepared.body.clone(),
                )
                .await;
                let wait = match result {
                    Ok(response) if !upstream::retryable_status(response.status().as_u16()) => {
                        span.record("provider", provider.spec.name.as_str());
                        span.record("upstream_model", attempt.model.as_str());
                        span.record("retries", retries);
                        return Ok(self
                            .respond(&inbound, attempt, &prepared, response, started)
                            .await);
                    }
                    Ok(response) => {
                        let status = response.status().as_u16();
                        self.metrics.add(
                            "aigw_upstream_errors_total",
                            &[
                                ("provider", &provider.spec.name),
                                ("reason", &status.to_string()),
                            ],
                            1,
                        );
                        let after = upstream::retry_after(response.headers());
                        last_failure = Some(Failure::Response(Box::new((
                            response,
                            attempt.clone(),
                            prepared.clone(),
                            started,
                        ))));
                        match after {
                            Some(d) if d.as_millis() > u128::from(retry.max_retry_after_ms) => {
                                break;
                            }
                            Some(d) => d,
                            None => upstream::backoff(&retry, n),
                        }
                    }
                    Err(e) => {
                        let reason = match e {
                            SendError::FirstByteTimeout { .. } => "first_byte_timeout",
                            SendError::Transport { .. } => "transport",
                        };
                        self.metrics.add(
                            "aigw_upstream_errors_total",
                            &[("provider", &provider.spec.name), ("reason", reason)],
                            1,
                        );
                        tracing::info!(provider = %provider.spec.name, error = %e, "upstream attempt failed");
                        last_failure = Some(Failure::Send(e));
                        upstream::backoff(&retry, n)
                    }
                };
                if n == retry.retries {
                    break;
                }
                retries += 1;
                self.metrics.add(
                    "aigw_retries_total",
                    &[("provider", &provider.spec.name)],
                    1,
                );
                tokio::time::sleep(wait).await;
            }
        }
        span.record("retries", retries);
        match last_failure {
            // The last upstream answer, passed through as it came.
            Some(Failure::Response(failed)) => {
                let (response, attempt, prepared, started) = *failed;
                span.record("provider", attempt.provider.spec.name.as_str());
                Ok(self
                    .respond(&inbound, &attempt, &prepared, response, started)
                    .await)
            }
            Some(Failure::Send(SendError::FirstByteTimeout { provider, ms })) => Err(
                GatewayError::Timeout(format!("{provider} sent no response within {ms} ms")),
            ),
            Some(Failure::Send(e)) => Err(GatewayError::Upstream(e.to_string())),
            None => Err(GatewayError::Upstream(
                "no target could take the request".into(),
            )),
        }
    }

    /// The provider that stores responses: `x-aigw-provider` names it, else the first
    /// OpenAI-protocol provider that serves the Responses API.
    fn responses_provider(&self, headers: &HeaderMap) -> Result<Arc<Provider>, GatewayError> {
        if let Some(name) = headers.get("x-aigw-provider").and_then(|v| v.to_str().ok()) {
            return self
                .router
                .provider(name)
                .filter(|p| p.protocol == Protocol::OpenAi)
                .cloned()
                .ok_or_else(|| {
                    GatewayError::NoProvider(format!(
                        "x-aigw-provider names {name:?}, which is not an OpenAI-protocol provider here"
                    ))
                });
        }
        self.router
            .providers()
            .iter()
            .find(|p| {
                p.protocol == Protocol::OpenAi
                    && p.spec.quirks.as_ref().is_none_or(|q| q.responses_api)
            })
            .cloned()
            .ok_or_else(|| GatewayError::NoProvider("no provider serves the Responses API".into()))
    }

    /// Builds the caller's response from the upstream's.
    async fn respond(
        &self,
        inbound: &Inbound,
        attempt: &Attempt,
        prepared: &Prepared,
        response: reqwest::Response,
        started: Instant,
    ) -> Response {
        let provider = &attempt.provider;
        let status = response.status();
        let mut headers = HeaderMap::with_capacity(response.headers().len() + 3);
        for (name, value) in response.headers() {
            if !upstream::dropped_response_header(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        if let Ok(v) = HeaderValue::from_str(&provider.spec.name) {
            headers.insert(HeaderName::from_static("x-aigw-provider"), v);
        }
        for (name, list) in [
            ("x-aigw-stripped", &prepared.stripped),
            ("x-aigw-rewritten", &prepared.rewritten),
        ] {
            if !list.is_empty()
                && let Ok(v) = HeaderValue::from_str(&list.join(","))
            {
                headers.insert(HeaderName::from_static(name), v);
            }
        }
        if let Some(t) = &prepared.translation {
            return self
                .respond_translated(inbound, attempt, t, response, headers, started)
                .await;
        }
        let surface = inbound.surface.as_str();
        let provider_name = provider.spec.name.clone();
        let model = attempt.model.clone();
        self.metrics.observe(
            "aigw_request_duration_seconds",
            &[("surface", surface), ("provider", &provider_name)],
            started.elapsed().as_secs_f64(),
        );
        self.metrics.add(
            "aigw_requests_total",
            &[
                ("surface", surface),
                ("provider", &provider_name),
                ("model", &model),
                ("status", status.as_str()),
            ],
            1,
        );
        let is_sse = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        let idle = provider.spec.timeouts.idle();
        if status.is_success() && (is_sse || inbound.surface == Surface::StreamGenerateContent) {
            let metrics = self.metrics.clone();
            let on_end: crate::stream::OnEnd = Box::new(move |tokens, outcome| {
                for (kind, count) in tokens.kinds() {
                    metrics.add(
                        "aigw_tokens_total",
                        &[
                            ("provider", &provider_name),
                            ("model", &model),
                            ("kind", kind),
                        ],
                        count,
                    );
                }
                if let Outcome::Broken(reason) = outcome {
                    metrics.add(
                        "aigw_upstream_errors_total",
                        &[("provider", &provider_name), ("reason", reason)],
                        1,
                    );
                    tracing::warn!(provider = %provider_name, reason, "upstream stream broke off");
                }
            });
            let upstream = Box::pin(response.bytes_stream());
            let stream = if is_sse {
                Passthrough::sse(upstream, stream_shape(inbound.surface), idle, on_end)
            } else {
                Passthrough::json_array(upstream, idle, on_end)
            };
            let mut r = Response::new(Body::from_stream(stream));
            *r.status_mut() = status;
            *r.headers_mut() = headers;
            return r;
        }
        // A JSON answer (or an error): read whole, then answer with its exact bytes.
        let body = match read_body(response, idle).await {
            Ok(b) => b,
            Err(message) => {
                self.metrics.add(
                    "aigw_upstream_errors_total",
                    &[("provider", &provider_name), ("reason", "body")],
                    1,
                );
                return GatewayError::Upstream(format!("{provider_name}: {message}"))
                    .into_response_for(inbound.surface.protocol());
            }
        };
        if status.is_success()
            && let Some(tokens) = tokens_in(&body)
        {
            for (kind, count) in tokens.kinds() {
                self.metrics.add(
                    "aigw_tokens_total",
                    &[
                        ("provider", &provider_name),
                        ("model", &model),
                        ("kind", kind),
                    ],
                    count,
                );
            }
        }
        let mut r = (status, body).into_response();
        *r.headers_mut() = headers;
        r
    }

    /// The caller's response from an upstream of another protocol: errors in the caller's
    /// shape (status and headers kept), JSON translated whole, streams event by event.
    async fn respond_translated(
        &self,
        inbound: &Inbound,
        attempt: &Attempt,
        translation: &Translation,
        response: reqwest::Response,
        mut headers: HeaderMap,
        started: Instant,
    ) -> Response {
        let provider = &attempt.provider;
        let protocol = inbound.surface.protocol();
        let status = response.status();
        let surface = inbound.surface.as_str();
        let provider_name = provider.spec.name.clone();
        let model = attempt.model.clone();
        self.metrics.observe(
            "aigw_request_duration_seconds",
            &[("surface", surface), ("provider", &provider_name)],
            started.elapsed().as_secs_f64(),
        );
        self.metrics.add(
            "aigw_requests_total",
            &[
                ("surface", surface),
                ("provider", &provider_name),
                ("model", &model),
                ("status", status.as_str()),
            ],
            1,
        );
        if let Ok(v) = HeaderValue::from_str(&translation.pair) {
            headers.insert(HeaderName::from_static("x-aigw-translation"), v);
        }
        let is_sse = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        let idle = provider.spec.timeouts.idle();
        if status.is_success() && is_sse {
            if !translation.losses.is_empty()
                && let Ok(v) = HeaderValue::from_str(&translation.losses.join(","))
            {
                headers.insert(HeaderName::from_static("x-aigw-lost"), v);
            }
            let content_type =
                if inbound.surface == Surface::StreamGenerateContent && !gemini_sse(inbound) {
                    "application/json"
                } else {
                    "text/event-stream"
                };
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            let metrics = self.metrics.clone();
            let on_end: crate::stream::OnEnd = Box::new(move |tokens, outcome| {
                for (kind, count) in tokens.kinds() {
                    metrics.add(
                        "aigw_tokens_total",
                        &[
                            ("provider", &provider_name),
                            ("model", &model),
                            ("kind", kind),
                        ],
                        count,
                    );
                }
                if let Outcome::Broken(reason) = outcome {
                    metrics.add(
                        "aigw_upstream_errors_total",
                        &[("provider", &provider_name), ("reason", reason)],
                        1,
                    );
                    tracing::warn!(provider = %provider_name, reason, "translated stream broke off");
                }
            });
            let stream = Passthrough::translated(
                Box::pin(response.bytes_stream()),
                translation.translator.clone(),
                provider.spec.kind == ProviderKind::Gemini,
                idle,
                on_end,
            );
            let mut r = Response::new(Body::from_stream(stream));
            *r.status_mut() = status;
            *r.headers_mut() = headers;
            return r;
        }
        let body = match read_body(response, idle).await {
            Ok(b) => b,
            Err(message) => {
                return GatewayError::Upstream(format!("{provider_name}: {message}"))
                    .into_response_for(protocol);
            }
        };
        let Ok(mut translator) = translation.translator.lock() else {
            return GatewayError::Upstream("translator unavailable".into())
                .into_response_for(protocol);
        };
        let out = if status.is_success() {
            if let Some(tokens) = tokens_in(&body) {
                for (kind, count) in tokens.kinds() {
                    self.metrics.add(
                        "aigw_tokens_total",
                        &[
                            ("provider", &provider_name),
                            ("model", &model),
                            ("kind", kind),
                        ],
                        count,
                    );
                }
            }
            match translator.response(&body) {
                Ok(b) => b,
                Err(e) => return GatewayError::Upstream(e.to_string()).into_response_for(protocol),
            }
        } else {
            translator.error(status.as_u16(), &body)
        };
        let mut losses = translation.losses.clone();
        for l in translator.losses() {
            if !losses.contains(l) {
                losses.push(l.clone());
            }
        }
        if !losses.is_empty()
            && let Ok(v) = HeaderValue::from_str(&losses.join(","))
        {
            headers.insert(HeaderName::from_static("x-aigw-lost"), v);
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let mut r = (status, out).into_response();
        *r.headers_mut() = headers;
        r
    }

    /// `GET /v1/models` (and Anthropic's, Gemini's): the one provider of the caller's
    /// protocol answers as it is; several are asked together and their lists merged, each
    /// id written so that routing it reaches the provider that listed it.
    async fn list_models(&self, inbound: Inbound) -> Result<Response, GatewayError> {
        let protocol = inbound.surface.protocol();
        let providers: Vec<Arc<Provider>> = self
            .router
            .providers()
            .iter()
            .filter(|p| p.protocol == protocol)
            .cloned()
            .collect();
        let caller_key = upstream::client_key(protocol, &inbound.headers, inbound.query.as_deref());
        let query = match protocol {
            Protocol::Gemini => upstream::query_without_key(inbound.query.as_deref()),
            _ => inbound.query.clone(),
        };
        let path = path_for(&inbound, "");
        if let [only] = providers.as_slice() {
            let attempt = Attempt {
                provider: only.clone(),
                model: String::new(),
                strict: false,
            };
            let url = only.url(&path, query.as_deref());
            let headers = upstream::outgoing_headers(&inbound.headers, only, caller_key.as_deref());
            let started = Instant::now();
            return match upstream::send(only, Method::GET, url, headers, Bytes::new()).await {
                Ok(r) => Ok(self
                    .respond(&inbound, &attempt, &Prepared::default(), r, started)
                    .await),
                Err(e) => Err(GatewayError::Upstream(e.to_string())),
            };
        }
        let calls = providers.iter().map(|p| {
            let url = p.url(&path, query.as_deref());
            let headers = upstream::outgoing_headers(&inbound.headers, p, caller_key.as_deref());
            async move {
                let r = upstream::send(p, Method::GET, url, headers, Bytes::new())
                    .await
                    .ok()?;
                if !r.status().is_success() {
                    return None;
                }
                let body = read_body(r, p.spec.timeouts.idle()).await.ok()?;
                serde_json::from_slice::<serde_json::Value>(&body).ok()
            }
        });
        let lists = futures_util::future::join_all(calls).await;
        let mut merged = Vec::new();
        for (p, list) in providers.iter().zip(lists) {
            let Some(list) = list else {
                tracing::warn!(provider = %p.spec.name, "model list unavailable");
                continue;
            };
            let (array, id_field) = match protocol {
                Protocol::Gemini => ("models", "name"),
                _ => ("data", "id"),
            };
            for mut m in list
                .get(array)
                .and_then(|a| a.as_array())
                .cloned()
                .unwrap_or_default()
            {
                let Some(id) = m.get(id_field).and_then(|v| v.as_str()).map(str::to_owned) else {
                    continue;
                };
                let bare = id.strip_prefix("models/").unwrap_or(&id);
                if !self.router.routes_to(bare, p) {
                    let routed = format!("{}/{bare}", p.spec.name);
                    m[id_field] = serde_json::Value::String(match protocol {
                        Protocol::Gemini => format!("models/{routed}"),
                        _ => routed,
                    });
                }
                merged.push(m);
            }
        }
        let body = match protocol {
            Protocol::OpenAi => serde_json::json!({"object": "list", "data": merged}),
            Protocol::Anthropic => {
                let first = merged.first().and_then(|m| m.get("id")).cloned();
                let last = merged.last().and_then(|m| m.get("id")).cloned();
                serde_json::json!({"data": merged, "has_more": false, "first_id": first, "last_id": last})
            }
            Protocol::Gemini => serde_json::json!({"models": merged}),
        };
        let mut r = (StatusCode::OK, body.to_string()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Ok(r)
    }
}

/// A failed attempt kept for the answer when nothing succeeds.
enum Failure {
    Response(Box<(reqwest::Response, Attempt, Prepared, Instant)>),
    Send(SendError),
}

/// The body for one attempt and what shaping changed in it.
#[derive(Clone, Default)]
struct Prepared {
    body: Bytes,
    stripped: Vec<String>,
    rewritten: Vec<String>,
    /// Set when the upstream speaks another protocol.
    translation: Option<Translation>,
}

/// A cross-protocol attempt: the pair's translator (its per-request state) and the
/// upstream path.
#[derive(Clone)]
struct Translation {
    translator: Arc<std::sync::Mutex<Box<dyn Translator>>>,
    path: String,
    query: Option<&'static str>,
    /// What did not carry over in the request.
    losses: Vec<String>,
    /// `caller->upstream` API names, for `x-aigw-translation`.
    pair: String,
    /// The request took the translation fast path (read and written as bytes).
    fast: bool,
}

/// The translator for a caller surface and an upstream, when the pair is implemented.
fn translator_for(
    inbound: &Inbound,
    provider: &Provider,
    strict: bool,
) -> Option<(Box<dyn Translator>, Upstream)> {
    let quirks = provider.spec.quirks.as_ref();
    let reasoning_field = quirks.and_then(|q| q.reasoning_output.clone());
    let stream_options = quirks.is_none_or(|q| q.stream_options);
    if provider.protocol == Protocol::OpenAi && provider.spec.api == OpenAiApi::Responses {
        let translator: Box<dyn Translator> = match inbound.surface {
            Surface::ChatCompletions => {
                Box::new(aigw_translate::openai_responses::translator(strict))
            }
            Surface::Messages => Box::new(aigw_translate::anthropic_responses::translator(strict)),
            Surface::GenerateContent | Surface::StreamGenerateContent => {
                Box::new(aigw_translate::gemini_responses::translator(
                    strict,
                    aigw_translate::gemini_responses::Gemini {
                        caller_model: inbound.model.clone().unwrap_or_default(),
                        stream: inbound.surface == Surface::StreamGenerateContent,
                        sse: gemini_sse(inbound),
                    },
                ))
            }
            _ => return None,
        };
        return Some((translator, Upstream::Responses));
    }
    match (inbound.surface, provider.protocol) {
        (Surface::ChatCompletions, Protocol::Anthropic) => Some((
            Box::new(aigw_translate::openai_anthropic::ChatToMessages::new(
                strict,
            )),
            Upstream::Messages,
        )),
        (Surface::ChatCompletions, Protocol::Gemini) => Some((
            Box::new(aigw_translate::openai_gemini::ChatToGemini::new(strict)),
            Upstream::Gemini,
        )),
        (Surface::Messages, Protocol::OpenAi) => Some((
            Box::new(aigw_translate::anthropic_openai::MessagesToChat::new(
                strict,
                aigw_translate::anthropic_openai::Options {
                    reasoning_field,
                    stream_options,
                },
            )),
            Upstream::ChatCompletions,
        )),
        (Surface::GenerateContent | Surface::StreamGenerateContent, Protocol::OpenAi) => {
            let options = aigw_translate::gemini_openai::Options {
                reasoning_field,
                stream_options,
                stream: inbound.surface == Surface::StreamGenerateContent,
                sse: gemini_sse(inbound),
            };
            let model = inbound.model.as_deref().unwrap_or("");
            Some((
                Box::new(aigw_translate::gemini_openai::GeminiToChat::new(
                    strict, options, model,
                )),
                Upstream::ChatCompletions,
            ))
        }
        (Surface::Responses, Protocol::OpenAi) => Some((
            Box::new(aigw_translate::responses_openai::ResponsesToChat::new(
                strict,
                aigw_translate::responses_openai::Options {
                    reasoning_field,
                    stream_options,
                },
            )),
            Upstream::ChatCompletions,
        )),
        (Surface::Responses, Protocol::Anthropic) => Some((
            Box::new(aigw_translate::responses_anthropic::ResponsesToMessages::new(strict)),
            Upstream::Messages,
        )),
        (Surface::Responses, Protocol::Gemini) => Some((
            Box::new(aigw_translate::responses_gemini::ResponsesToGemini::new(
                strict,
            )),
            Upstream::Gemini,
        )),
        (Surface::Messages, Protocol::Gemini) => Some((
            Box::new(aigw_translate::anthropic_gemini::MessagesToGemini::new(
                strict,
            )),
            Upstream::Gemini,
        )),
        (Surface::GenerateContent | Surface::StreamGenerateContent, Protocol::Anthropic) => {
            let options = aigw_translate::gemini_anthropic::Options {
                stream: inbound.surface == Surface::StreamGenerateContent,
                sse: gemini_sse(inbound),
            };
            let model = inbound.model.as_deref().unwrap_or("");
            Some((
                Box::new(aigw_translate::gemini_anthropic::GeminiToMessages::new(
                    strict, options, model,
                )),
                Upstream::Messages,
            ))
        }
        _ => None,
    }
}

/// Whether a Gemini caller asked for SSE (`alt=sse`) rather than the JSON-array stream.
fn gemini_sse(inbound: &Inbound) -> bool {
    upstream::query_param(inbound.query.as_deref(), "alt").as_deref() == Some("sse")
}

/// The upstream body for `attempt`: the caller's bytes, with only the model name changed
/// where the route renames it; for an OpenAI-compatible provider with quirks, the request
/// shaped for it.
fn prepare(inbound: &Inbound, attempt: &Attempt, strict: bool) -> Result<Prepared, GatewayError> {
    let provider = &attempt.provider;
    let unsupported = |source| GatewayError::Unsupported {
        provider: provider.spec.name.clone(),
        source,
    };
    let protocol = inbound.surface.protocol();
    // A Responses caller to a Chat-only provider is translated too.
    let chat_only = inbound.surface == Surface::Responses
        && provider
            .spec
            .quirks
            .as_ref()
            .is_some_and(|q| !q.responses_api);
    // Every other caller to a provider called through the Responses API is translated.
    let responses_only = provider.spec.api == OpenAiApi::Responses
        && matches!(
            inbound.surface,
            Surface::ChatCompletions
                | Surface::Messages
                | Surface::GenerateContent
                | Surface::StreamGenerateContent
        );
    if provider.protocol != protocol || chat_only || responses_only {
        let Some((mut translator, upstream)) = translator_for(inbound, provider, strict)
            .map(|(t, upstream)| (aigw_translate::Guarded::wrap(t), upstream))
        else {
            if !matches!(
                inbound.surface,
                Surface::ChatCompletions
                    | Surface::Responses
                    | Surface::Messages
                    | Surface::GenerateContent
                    | Surface::StreamGenerateContent
            ) {
                return Err(GatewayError::NoCounterpart {
                    surface: inbound.surface.as_str(),
                    provider: provider.spec.name.clone(),
                    to: provider.protocol.as_str(),
                });
            }
            return Err(GatewayError::NeedsTranslation {
                model: inbound.model.clone().unwrap_or_default(),
                provider: provider.spec.name.clone(),
                from: protocol.as_str(),
                to: provider.protocol.as_str(),
            });
        };
        // The fast path counts on this thread, and the translation runs on it.
        let fast_before = aigw_translate::fast::plain_requests();
        let translated = translator
            .request(&inbound.body, &attempt.model)
            .map_err(|e| GatewayError::Translation(e.to_string()))?;
        let losses = translator.losses().to_vec();
        let (path, query) =
            aigw_translate::upstream_path(upstream, &attempt.model, translated.stream);
        let mut prepared = Prepared {
            body: translated.body,
            ..Prepared::default()
        };
        // An OpenAI-compatible Chat upstream still gets its quirks applied.
        if let Some(quirks) = &provider.spec.quirks
            && upstream == Upstream::ChatCompletions
            && !quirks.is_openai()
        {
            let mut value: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&prepared.body)
                    .map_err(|e| GatewayError::Translation(e.to_string()))?;
            let shaped = aigw_openai_compat::shape_chat(&mut value, quirks).map_err(unsupported)?;
            prepared.body = Bytes::from(
                serde_json::to_vec(&value).map_err(|e| GatewayError::Translation(e.to_string()))?,
            );
            prepared.stripped = shaped.stripped;
            prepared.rewritten = shaped.rewritten;
        }
        let caller = match inbound.surface {
            Surface::Responses => "openai-responses",
            _ => protocol.as_str(),
        };
        let upstream_name = match upstream {
            Upstream::Responses => "openai-responses",
            _ => provider.protocol.as_str(),
        };
        prepared.translation = Some(Translation {
            translator: Arc::new(std::sync::Mutex::new(translator)),
            path,
            query,
            losses,
            pair: format!("{caller}->{upstream_name}"),
            fast: aigw_translate::fast::plain_requests() > fast_before,
        });
        return Ok(prepared);
    }
    if let Some(quirks) = &provider.spec.quirks {
        match inbound.surface {
            Surface::ResponsesById => {
                aigw_openai_compat::check_responses(quirks).map_err(unsupported)?
            }
            Surface::Embeddings => {
                aigw_openai_compat::check_embeddings(quirks).map_err(unsupported)?
            }
            Surface::ChatCompletions if !quirks.is_openai() => {
                let mut value: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_slice(&inbound.body)
                        .map_err(|e| GatewayError::MalformedJson(e.to_string()))?;
                value.insert(
                    "model".into(),
                    serde_json::Value::String(attempt.model.clone()),
                );
                let shaped =
                    aigw_openai_compat::shape_chat(&mut value, quirks).map_err(unsupported)?;
                let body = serde_json::to_vec(&value)
                    .map_err(|e| GatewayError::MalformedJson(e.to_string()))?;
                return Ok(Prepared {
                    body: Bytes::from(body),
                    stripped: shaped.stripped,
                    rewritten: shaped.rewritten,
                    translation: None,
                });
            }
            _ => {}
        }
    }
    let body = match (&inbound.model_span, &inbound.model) {
        (Some(span), Some(model)) if *model != attempt.model => {
            replace_model(&inbound.body, span.clone(), &attempt.model)
        }
        _ => inbound.body.clone(),
    };
    Ok(Prepared {
        body,
        ..Prepared::default()
    })
}

/// The upstream path of `inbound` for upstream model `model`.
fn path_for(inbound: &Inbound, model: &str) -> String {
    let v = inbound.version;
    match inbound.surface {
        Surface::ChatCompletions => "/chat/completions".into(),
        Surface::Responses => "/responses".into(),
        Surface::ResponsesById => inbound.suffix.clone().unwrap_or_default(),
        Surface::Embeddings => "/embeddings".into(),
        Surface::OpenAiModels if model.is_empty() => "/models".into(),
        Surface::OpenAiModels => format!("/models/{model}"),
        Surface::Messages => "/v1/messages".into(),
        Surface::CountTokens => "/v1/messages/count_tokens".into(),
        Surface::AnthropicModels if model.is_empty() => "/v1/models".into(),
        Surface::AnthropicModels => format!("/v1/models/{model}"),
        Surface::GeminiModels if model.is_empty() => format!("/{v}/models"),
        Surface::GeminiModels => format!("/{v}/models/{model}"),
        s => format!(
            "/{v}/models/{model}:{}",
            s.gemini_method().unwrap_or("generateContent")
        ),
    }
}

fn stream_shape(surface: Surface) -> StreamShape {
    match surface {
        Surface::Responses => StreamShape::Responses,
        Surface::Messages => StreamShape::Messages,
        Surface::StreamGenerateContent | Surface::GenerateContent => StreamShape::GeminiSse,
        _ => StreamShape::ChatCompletions,
    }
}

/// Reads a whole upstream body, waiting at most `idle` for each chunk.
async fn read_body(
    mut response: reqwest::Response,
    idle: std::time::Duration,
) -> Result<Bytes, String> {
    let mut first: Option<Bytes> = None;
    let mut rest: Option<BytesMut> = None;
    loop {
        match tokio::time::timeout(idle, response.chunk()).await {
            Err(_) => {
                return Err(format!(
                    "no data for {} ms while reading the body",
                    idle.as_millis()
                ));
            }
            Ok(Err(e)) => return Err(format!("the body broke off: {e}")),
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => match (&mut first, &mut rest) {
                (None, _) => first = Some(chunk),
                (Some(f), None) => {
                    let mut b = BytesMut::with_capacity(f.len() + chunk.len());
                    b.extend_from_slice(f);
                    b.extend_from_slice(&chunk);
                    rest = Some(b);
                }
                (Some(_), Some(b)) => b.extend_from_slice(&chunk),
            },
        }
    }
    Ok(match rest {
        Some(b) => b.freeze(),
        None => first.unwrap_or_default(),
    })
}
