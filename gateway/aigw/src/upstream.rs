//! Upstreams: a configured provider with its pooled HTTP client, the headers a request to it
//! carries (the caller's, minus hop-by-hop and credentials, plus the provider's own auth),
//! sending with a time-to-first-byte limit, and the retry policy (which outcomes retry, how
//! long to wait, `Retry-After` honoured).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};

use crate::config::{ProviderKind, ProviderSpec, RetryConfig};
use crate::protocol::Protocol;

/// A provider at run time.
pub struct Provider {
    pub spec: ProviderSpec,
    pub protocol: Protocol,
    pub client: reqwest::Client,
    /// The base URL parsed once (scheme, host and port are not parsed again per request).
    base: Option<reqwest::Url>,
    next_key: AtomicUsize,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("name", &self.spec.name)
            .field("kind", &self.spec.kind)
            .field("base_url", &self.spec.base_url)
            .field("keys", &self.spec.keys.len())
            .finish()
    }
}

impl Provider {
    pub fn new(spec: ProviderSpec) -> Provider {
        let client = reqwest::Client::builder()
            .tcp_nodelay(true)
            .connect_timeout(spec.timeouts.connect())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(1024)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap_or_default();
        Provider {
            protocol: Protocol::of(spec.kind),
            base: reqwest::Url::parse(&spec.base_url).ok(),
            spec,
            client,
            next_key: AtomicUsize::new(0),
        }
    }

    /// The next key, in turn; `None` when the provider has none.
    pub fn key(&self) -> Option<&SecretString> {
        if self.spec.keys.is_empty() {
            return None;
        }
        let i = self.next_key.fetch_add(1, Ordering::Relaxed) % self.spec.keys.len();
        Some(&self.spec.keys[i])
    }

    /// The URL of `path` (which starts with `/`) at this provider.
    pub fn url(&self, path: &str, query: Option<&str>) -> reqwest::Url {
        let query = query.filter(|q| !q.is_empty());
        if let Some(base) = &self.base {
            let mut url = base.clone();
            let mut full = String::with_capacity(base.path().len() + path.len());
            full.push_str(base.path().trim_end_matches('/'));
            full.push_str(path);
            url.set_path(&full);
            url.set_query(query);
            return url;
        }
        let mut text = format!("{}{path}", self.spec.base_url);
        if let Some(q) = query {
            text.push('?');
            text.push_str(q);
        }
        reqwest::Url::parse(&text).unwrap_or_else(|_| {
            reqwest::Url::parse("http://invalid.invalid/").expect("a constant URL")
        })
    }
}

/// Caller headers never forwarded: hop-by-hop, framing, and credentials.
fn dropped_request_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "host"
            | "content-length"
            | "connection"
            | "keep-alive"
            | "proxy-authorization"
            | "proxy-authenticate"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "authorization"
            | "x-api-key"
            | "x-goog-api-key"
            | "api-key"
            | "cookie"
            | "accept-encoding"
            | "expect"
    ) || name.as_str().starts_with("x-aigw-")
}

/// Upstream response headers never passed back: hop-by-hop and framing.
pub fn dropped_response_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "content-length"
    )
}

/// The caller's key, from where `protocol` puts it.
pub fn client_key(protocol: Protocol, headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match protocol {
        Protocol::OpenAi => header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned),
        Protocol::Anthropic => header("x-api-key").map(str::to_owned).or_else(|| {
            header("authorization")
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_owned)
        }),
        Protocol::Gemini => header("x-goog-api-key")
            .map(str::to_owned)
            .or_else(|| query_param(query, "key")),
    }
}

/// A query parameter's value (percent-decoding `%XX` and `+`).
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query string without the `key` parameter (a Gemini caller's credential).
pub fn query_without_key(query: Option<&str>) -> Option<String> {
    let q = query?;
    let kept: Vec<&str> = q
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("key"))
        .collect();
    (!kept.is_empty()).then(|| kept.join("&"))
}

/// The headers of a request to `provider`: the caller's (minus dropped ones), the
/// provider's auth (its own key, or the caller's where the provider says so), the
/// provider's configured headers.
pub fn outgoing_headers(
    caller: &HeaderMap,
    provider: &Provider,
    caller_key: Option<&str>,
) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(caller.len() + 4);
    for (name, value) in caller {
        if !dropped_request_header(name) {
            out.append(name.clone(), value.clone());
        }
    }
    let key: Option<String> = match provider.key() {
        Some(k) => Some(k.expose_secret().to_owned()),
        None if provider.spec.forward_client_key => caller_key.map(str::to_owned),
        None => None,
    };
    if let Some(key) = key {
        let (name, value) = match provider.spec.kind {
            ProviderKind::Openai | ProviderKind::OpenaiCompat => {
                (header::AUTHORIZATION, format!("Bearer {key}"))
            }
            ProviderKind::Anthropic => (HeaderName::from_static("x-api-key"), key),
            ProviderKind::Gemini => (HeaderName::from_static("x-goog-api-key"), key),
        };
        if let Ok(mut v) = HeaderValue::from_str(&value) {
            v.set_sensitive(true);
            out.insert(name, v);
        }
    }
    if provider.spec.kind == ProviderKind::Anthropic && !out.contains_key("anthropic-version") {
        out.insert(
            HeaderName::from_static("anthropic-version"),
            HeaderValue::from_static("2023-06-01"),
        );
    }
    for (k, v) in &provider.spec.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v)) {
            out.insert(k, v);
        }
    }
    out
}

/// Why sending failed before a response.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("no response headers from {provider} within {ms} ms")]
    FirstByteTimeout { provider: String, ms: u64 },
    #[error("{provider}: {message}")]
    Transport { provider: String, message: String },
}

/// Sends one request; waits for the response headers at most the provider's first-byte
/// timeout.
pub async fn send(
    provider: &Provider,
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Bytes,
) -> Result<reqwest::Response, SendError> {
    let mut request = provider.client.request(method, url).headers(headers);
    if !body.is_empty() {
        request = request.body(body);
    }
    let limit = provider.spec.timeouts.first_byte();
    match tokio::time::timeout(limit, request.send()).await {
        Err(_) => Err(SendError::FirstByteTimeout {
            provider: provider.spec.name.clone(),
            ms: provider.spec.timeouts.first_byte_ms,
        }),
        Ok(Err(e)) => Err(SendError::Transport {
            provider: provider.spec.name.clone(),
            message: transport_message(&e),
        }),
        Ok(Ok(r)) => Ok(r),
    }
}

/// A transport error's message with its causes (no URL query, no headers).
fn transport_message(e: &reqwest::Error) -> String {
    let mut msg = if e.is_connect() {
        "cannot connect".to_owned()
    } else if e.is_timeout() {
        "timed out".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Whether an upstream status is worth retrying (or falling back from).
pub fn retryable_status(status: u16) -> bool {
    status == 429 || status == 408 || (status >= 500 && status != 501)
}

/// How long the upstream asked to wait: `retry-after-ms` (OpenAI), else `Retry-After` in
/// seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(ms) = text("retry-after-ms").and_then(|s| s.trim().parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let v = text("retry-after")?.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The wait before retry `n` (0-based): exponential from `base_ms`, capped at `max_ms`,
/// uniformly jittered over its upper half.
pub fn backoff(retry: &RetryConfig, n: u32) -> Duration {
    let exp = retry
        .base_ms
        .saturating_mul(1u64 << n.min(30))
        .min(retry.max_ms);
    let low = exp / 2;
    let ms = if exp > low {
        rand::rng().random_range(low..=exp)
    } else {
        exp
    };
    Duration::from_millis(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", HeaderValue::from_static("150"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(150)));
        let mut h = HeaderMap::new();
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        h.insert("retry-after", HeaderValue::from_str(&later).expect("date"));
        let d = retry_after(&h).expect("date");
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig {
            retries: 5,
            base_ms: 100,
            max_ms: 1000,
            max_retry_after_ms: 0,
        };
        for _ in 0..50 {
            let d0 = backoff(&r, 0).as_millis();
            assert!((50..=100).contains(&d0), "{d0}");
            let d3 = backoff(&r, 3).as_millis();
            assert!((400..=800).contains(&d3), "{d3}");
            let d9 = backoff(&r, 9).as_millis();
            assert!((500..=1000).contains(&d9), "{d9}");
        }
    }

    #[test]
    fn query_handling() {
        assert_eq!(
            query_without_key(Some("alt=sse&key=secret")),
            Some("alt=sse".into())
        );
        assert_eq!(query_without_key(Some("key=secret")), None);
        assert_eq!(
            query_param(Some("alt=sse&key=a%2Bb+c"), "key"),
            Some("a+b c".into())
        );
        assert_eq!(query_param(Some("x=%zz"), "x"), Some("%zz".into()));
    }

    #[test]
    fn statuses() {
        for s in [429, 408, 500, 502, 503, 504, 529] {
            assert!(retryable_status(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 413, 422, 501] {
            assert!(!retryable_status(s), "{s}");
        }
    }
}
