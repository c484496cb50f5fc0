//! Mock upstream servers that behave like OpenAI, Anthropic and Gemini: their paths, auth
//! headers, JSON bodies, SSE framing (OpenAI `data:` lines ending in `[DONE]`, Responses
//! and Anthropic `event:` lines, Gemini `\r\n\r\n`-separated chunks and the JSON-array
//! stream form), error bodies and statuses, rate-limit headers, delays and broken streams.
//!
//! Answers are computed from the request, so a client conversation makes sense: the last
//! user text is echoed, a request with tools gets a call to the first tool (arguments made
//! from its schema), a tool result gets "The tool said: ...", a structured-output request
//! gets JSON made from its schema, thinking requests get a thought with a signature.
//!
//! Scenarios ride on the model name after a `+` (`gpt-4o+status=429x2+retry_after=0`):
//!
//! | token | effect |
//! |---|---|
//! | `status=S` / `status=SxN` | answer status `S` in the provider's error shape (the first `N` times per model, path) |
//! | `retry_after=SECS` | `Retry-After` on those failures |
//! | `delay=MS` | wait before the response head |
//! | `interval=MS` | wait between stream events |
//! | `events=N` | text split into `N` deltas |
//! | `reset=N` | streams: after `N` events, break the connection |
//! | `stall=N` | streams: after `N` events, send nothing more |
//! | `truncate=N` | streams: after `N` events, end cleanly without the end event |
//! | `cut` | SSE streams: end with half an event after the last one (no blank line, cut JSON) |
//! | `fail=N` | SSE streams: after `N` events, the provider's in-band error event, then what that provider sends after one (Chat: `[DONE]`, as vLLM-style servers do; Responses: `response.failed`) |
//! | `fidelity` | the provider's recorded-shape fixture ([`fidelity`]), unknown events and fields included |
//!
//! Every request is recorded ([`Mock::requests`]); streams cut by the client are counted
//! ([`Mock::cancelled_streams`]).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{Value, json};

mod anthropic;
pub mod fidelity;
mod gemini;
mod openai;

/// Which provider a mock imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    OpenAi,
    Anthropic,
    Gemini,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "openai" => Some(Kind::OpenAi),
            "anthropic" => Some(Kind::Anthropic),
            "gemini" => Some(Kind::Gemini),
            _ => None,
        }
    }
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Shared state of a mock.
pub struct MockState {
    pub kind: Kind,
    /// The keys it accepts.
    pub keys: Vec<String>,
    extra_keys: Mutex<Vec<String>>,
    record: bool,
    requests: Mutex<Vec<Recorded>>,
    counters: Mutex<HashMap<String, u32>>,
    cancelled: AtomicUsize,
    ids: AtomicUsize,
}

impl MockState {
    fn next_id(&self) -> usize {
        self.ids.fetch_add(1, Ordering::Relaxed)
    }
}

/// A running mock.
pub struct Mock {
    pub addr: SocketAddr,
    pub state: Arc<MockState>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Mock {
    /// Starts a mock of `kind` on a free loopback port, accepting `key`.
    pub async fn start(kind: Kind, key: &str) -> Mock {
        Self::start_on("127.0.0.1:0", kind, key, true).await
    }

    /// Starts a mock that accepts any of `keys`.
    pub async fn start_keys(kind: Kind, keys: &[&str]) -> Mock {
        let mock = Self::start_on(
            "127.0.0.1:0",
            kind,
            keys.first().copied().unwrap_or(""),
            true,
        )
        .await;
        if let Ok(mut extra) = mock.state.extra_keys.lock() {
            extra.extend(keys.iter().skip(1).map(|k| (*k).to_owned()));
        }
        mock
    }

    /// Starts a mock on `addr`; `record` keeps every request (off for load runs).
    pub async fn start_on(addr: &str, kind: Kind, key: &str, record: bool) -> Mock {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("bind the mock");
        let addr = listener.local_addr().expect("address");
        let state = Arc::new(MockState {
            kind,
            keys: vec![key.to_owned()],
            extra_keys: Mutex::new(Vec::new()),
            record,
            requests: Mutex::new(Vec::new()),
            counters: Mutex::new(HashMap::new()),
            cancelled: AtomicUsize::new(0),
            ids: AtomicUsize::new(1),
        });
        let app = Router::new().fallback(handle).with_state(state.clone());
        let task = tokio::spawn(async move {
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let _ = axum::serve(listener, app).await;
        });
        Mock { addr, state, task }
    }

    /// The base URL a gateway's provider config uses (OpenAI's includes `/v1`).
    pub fn base_url(&self) -> String {
        match self.state.kind {
            Kind::OpenAi => format!("http://{}/v1", self.addr),
            _ => format!("http://{}", self.addr),
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state
            .requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// The last request received.
    pub fn last(&self) -> Option<Recorded> {
        self.state.requests.lock().ok()?.last().cloned()
    }

    /// Streams the client went away from before their end.
    pub fn cancelled_streams(&self) -> usize {
        self.state.cancelled.load(Ordering::SeqCst)
    }
}

/// The scenario carried by a model name.
#[derive(Debug, Default, Clone)]
pub struct Scenario {
    /// The model name without the scenario.
    pub base: String,
    pub status: Option<(u16, Option<u32>)>,
    pub retry_after: Option<String>,
    pub delay_ms: u64,
    pub interval_ms: u64,
    pub events: Option<usize>,
    pub reset: Option<usize>,
    pub stall: Option<usize>,
    pub truncate: Option<usize>,
    pub fail: Option<usize>,
    pub cut: bool,
    pub fidelity: bool,
}

impl Scenario {
    pub fn parse(model: &str) -> Scenario {
        let mut parts = model.split('+');
        let mut s = Scenario {
            base: parts.next().unwrap_or("").to_owned(),
            ..Scenario::default()
        };
        for token in parts {
            let (k, v) = token.split_once('=').unwrap_or((token, ""));
            let num = || v.parse::<usize>().ok();
            match k {
                "status" => {
                    let (code, times) = v.split_once('x').unwrap_or((v, ""));
                    if let Ok(code) = code.parse() {
                        s.status = Some((code, times.parse().ok()));
                    }
                }
                "retry_after" => s.retry_after = Some(v.to_owned()),
                "delay" => s.delay_ms = v.parse().unwrap_or(0),
                "interval" => s.interval_ms = v.parse().unwrap_or(0),
                "events" => s.events = num(),
                "reset" => s.reset = num(),
                "stall" => s.stall = num(),
                "truncate" => s.truncate = num(),
                "fail" => s.fail = num(),
                "cut" => s.cut = true,
                "fidelity" => s.fidelity = true,
                _ => {}
            }
        }
        s
    }
}

/// What a provider module answers.
pub(crate) enum Answer {
    Json(StatusCode, Value),
    /// Exact bytes (fidelity fixtures).
    Raw(StatusCode, &'static str, Bytes),
    /// Stream events, each already framed; the last is the end event where the protocol
    /// has one.
    Stream {
        content_type: &'static str,
        events: Vec<Bytes>,
    },
}

/// A request parsed for the provider modules.
pub(crate) struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: Value,
    pub state: &'a MockState,
}

async fn handle(State(state): State<Arc<MockState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024 * 1024)
        .await
        .unwrap_or_default();
    if state.record
        && let Ok(mut r) = state.requests.lock()
    {
        r.push(Recorded {
            method: parts.method.to_string(),
            uri: parts.uri.to_string(),
            headers: parts.headers.clone(),
            body: bytes.clone(),
        });
    }
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                return error(state.kind, 400, &format!("invalid JSON body: {e}"));
            }
        }
    };
    let call = Call {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
        body,
        state: &state,
    };
    if let Err(r) = check_auth(&call) {
        return *r;
    }
    let model = match state.kind {
        Kind::Gemini => gemini::model_in_path(call.path).unwrap_or_default(),
        _ => call
            .body
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
    };
    let scenario = Scenario::parse(&model);
    if scenario.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(scenario.delay_ms)).await;
    }
    if let Some((code, times)) = scenario.status {
        let fail = match times {
            None => true,
            Some(n) => {
                let key = format!("{}|{}", call.path, model);
                let mut counters = state.counters.lock().expect("counters");
                let seen = counters.entry(key).or_insert(0);
                *seen += 1;
                *seen <= n
            }
        };
        if fail {
            let mut r = error(state.kind, code, "scripted failure");
            if let Some(after) = &scenario.retry_after
                && let Ok(v) = HeaderValue::from_str(after)
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return r;
        }
    }
    let answer = match state.kind {
        Kind::OpenAi => openai::answer(&call, &scenario),
        Kind::Anthropic => anthropic::answer(&call, &scenario),
        Kind::Gemini => gemini::answer(&call, &scenario),
    };
    let mut response = match answer {
        Answer::Json(status, v) => {
            let mut r = Response::new(Body::from(v.to_string()));
            *r.status_mut() = status;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Answer::Raw(status, content_type, bytes) => {
            let mut r = Response::new(Body::from(bytes));
            *r.status_mut() = status;
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            r
        }
        Answer::Stream {
            content_type,
            mut events,
        } => {
            if let Some(n) = scenario.fail
                && content_type.starts_with("text/event-stream")
            {
                // One write, as a server sends an error and its end together.
                events.truncate(n);
                events.push(stream_failure(state.kind, call.path, n).concat().into());
            }
            if scenario.cut && content_type.starts_with("text/event-stream") {
                events.push(Bytes::from_static(b"data: {\"cut"));
            }
            let mut r = Response::new(stream_body(events, &scenario, state.clone()));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
    };
    provider_headers(state.kind, response.headers_mut(), state.next_id());
    response
}

/// The headers each provider adds (request ids, rate limits).
fn provider_headers(kind: Kind, h: &mut HeaderMap, id: usize) {
    let mut set = |k: &'static str, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    };
    match kind {
        Kind::OpenAi => {
            set("x-request-id", format!("req_mock{id}"));
            set("openai-processing-ms", "3".into());
            set("x-ratelimit-remaining-requests", "4999".into());
            set("x-ratelimit-limit-requests", "5000".into());
        }
        Kind::Anthropic => {
            set("request-id", format!("req_mock{id}"));
            set("anthropic-ratelimit-requests-remaining", "999".into());
            set("anthropic-ratelimit-requests-limit", "1000".into());
        }
        Kind::Gemini => {
            set("x-goog-request-id", format!("mock{id}"));
            set("server-timing", "gfet4t7; dur=3".into());
        }
    }
}

/// Counts a stream the client dropped before its end.
struct CancelGuard {
    state: Arc<MockState>,
    finished: bool,
}

impl CancelGuard {
    fn complete(&mut self) {
        self.finished = true;
    }
}

impl Drop for CancelGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.state.cancelled.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// A provider's in-band stream error after `n` events, and what the provider sends after
/// it (`fail=N`), event by event.
fn stream_failure(kind: Kind, path: &str, n: usize) -> Vec<Bytes> {
    let message = "scripted stream failure";
    let sse = |event: Option<&str>, data: Value| {
        let head = event.map(|e| format!("event: {e}\n")).unwrap_or_default();
        Bytes::from(format!("{head}data: {data}\n\n"))
    };
    match kind {
        Kind::OpenAi if path.ends_with("/responses") => vec![
            sse(
                Some("error"),
                json!({"type": "error", "code": "server_error", "message": message, "param": null, "sequence_number": n}),
            ),
            sse(
                Some("response.failed"),
                json!({"type": "response.failed", "sequence_number": n + 1, "response": {
                    "id": "resp_failed", "object": "response", "created_at": 0, "status": "failed",
                    "model": "mock", "output": [], "error": {"code": "server_error", "message": message}
                }}),
            ),
        ],
        Kind::OpenAi => vec![
            sse(
                None,
                json!({"error": {"message": message, "type": "server_error", "param": null, "code": null}}),
            ),
            Bytes::from_static(b"data: [DONE]\n\n"),
        ],
        Kind::Anthropic => vec![sse(
            Some("error"),
            json!({"type": "error", "error": {"type": "overloaded_error", "message": message}}),
        )],
        Kind::Gemini => vec![Bytes::from(format!(
            "data: {}\r\n\r\n",
            json!({"error": {"code": 503, "message": message, "status": "UNAVAILABLE"}})
        ))],
    }
}

fn stream_body(events: Vec<Bytes>, s: &Scenario, state: Arc<MockState>) -> Body {
    let interval = Duration::from_millis(s.interval_ms);
    let (reset, stall, truncate) = (s.reset, s.stall, s.truncate);
    let guard = CancelGuard {
        state,
        finished: false,
    };
    let stream = futures_util::stream::unfold(
        (events.into_iter().enumerate(), guard),
        move |(mut it, mut guard)| async move {
            let (i, event) = match it.next() {
                Some(x) => x,
                None => {
                    guard.complete();
                    return None;
                }
            };
            if i > 0 && !interval.is_zero() {
                tokio::time::sleep(interval).await;
            }
            if reset == Some(i) {
                // Let what came before reach the client first, as a real mid-stream
                // reset does.
                tokio::time::sleep(Duration::from_millis(50)).await;
                guard.complete();
                let e = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "scripted reset");
                return Some((Err(e), (it, guard)));
            }
            if stall == Some(i) {
                std::future::pending::<()>().await;
            }
            if truncate == Some(i) {
                guard.complete();
                return None;
            }
            Some((Ok::<Bytes, std::io::Error>(event), (it, guard)))
        },
    );
    // After a reset error the stream must end.
    let stream = stream.scan(false, |failed, item| {
        if *failed {
            return futures_util::future::ready(None);
        }
        *failed = item.is_err();
        futures_util::future::ready(Some(item))
    });
    Body::from_stream(stream)
}

fn check_auth(call: &Call) -> Result<(), Box<Response>> {
    let h = |n: &str| call.headers.get(n).and_then(|v| v.to_str().ok());
    let extra = call
        .state
        .extra_keys
        .lock()
        .map(|k| k.clone())
        .unwrap_or_default();
    let ok = call
        .state
        .keys
        .iter()
        .chain(&extra)
        .any(|key| match call.state.kind {
            Kind::OpenAi => h("authorization") == Some(&format!("Bearer {key}")),
            Kind::Anthropic => h("x-api-key") == Some(key.as_str()),
            Kind::Gemini => {
                h("x-goog-api-key") == Some(key.as_str())
                    || call
                        .query
                        .is_some_and(|q| q.split('&').any(|p| p == format!("key={key}")))
            }
        });
    if !ok {
        return Err(Box::new(error(call.state.kind, 401, "invalid API key")));
    }
    if call.state.kind == Kind::Anthropic && h("anthropic-version").is_none() {
        return Err(Box::new(error(
            Kind::Anthropic,
            400,
            "anthropic-version: header is required",
        )));
    }
    Ok(())
}

/// An error in the provider's own shape.
pub fn error(kind: Kind, status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = match kind {
        Kind::OpenAi => {
            let (t, code) = match status.as_u16() {
                401 => ("invalid_request_error", json!("invalid_api_key")),
                404 => ("invalid_request_error", json!("model_not_found")),
                429 => ("requests", json!("rate_limit_exceeded")),
                s if s >= 500 => ("server_error", Value::Null),
                _ => ("invalid_request_error", Value::Null),
            };
            json!({"error": {"message": message, "type": t, "param": null, "code": code}})
        }
        Kind::Anthropic => {
            let t = match status.as_u16() {
                400 => "invalid_request_error",
                401 => "authentication_error",
                403 => "permission_error",
                404 => "not_found_error",
                413 => "request_too_large",
                429 => "rate_limit_error",
                529 => "overloaded_error",
                _ => "api_error",
            };
            json!({"type": "error", "error": {"type": t, "message": message}, "request_id": "req_mock_error"})
        }
        Kind::Gemini => {
            let s = match status.as_u16() {
                400 => "INVALID_ARGUMENT",
                401 => "UNAUTHENTICATED",
                403 => "PERMISSION_DENIED",
                404 => "NOT_FOUND",
                429 => "RESOURCE_EXHAUSTED",
                503 => "UNAVAILABLE",
                _ => "INTERNAL",
            };
            json!({"error": {"code": status.as_u16(), "message": message, "status": s}})
        }
    };
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

// ---------------------------------------------------------------------------------------
// Helpers shared by the provider modules.

/// Splits `text` into `n` pieces (at least one), at char boundaries.
pub(crate) fn pieces(text: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = n.clamp(1, chars.len().max(1));
    let size = chars.len().div_ceil(n).max(1);
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

/// A JSON value shaped by a JSON Schema (OpenAPI or Gemini dialect): strings take `text`.
pub(crate) fn value_from_schema(schema: &Value, text: &str) -> Value {
    let t = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    if let Some(Value::Array(e)) = schema.get("enum")
        && let Some(first) = e.first()
    {
        return first.clone();
    }
    match t.as_deref() {
        Some("object") | None if schema.get("properties").is_some() => {
            let mut out = serde_json::Map::new();
            if let Some(Value::Object(props)) = schema.get("properties") {
                for (k, v) in props {
                    out.insert(k.clone(), value_from_schema(v, text));
                }
            }
            Value::Object(out)
        }
        Some("object") => json!({}),
        Some("array") => json!([value_from_schema(
            schema.get("items").unwrap_or(&json!({"type": "string"})),
            text
        )]),
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        _ => Value::String(text.to_owned()),
    }
}

/// A rough token count.
pub(crate) fn tokens(text: &str) -> u64 {
    text.split_whitespace().count().max(1) as u64
}

/// Frames `data` as an SSE event (`event:` line when given).
pub(crate) fn sse(event: Option<&str>, data: &str, crlf: bool) -> Bytes {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut s = String::with_capacity(data.len() + 32);
    if let Some(e) = event {
        s.push_str("event: ");
        s.push_str(e);
        s.push_str(nl);
    }
    s.push_str("data: ");
    s.push_str(data);
    s.push_str(nl);
    s.push_str(nl);
    Bytes::from(s)
}
