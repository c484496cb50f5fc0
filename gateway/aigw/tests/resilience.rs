//! Retries (429 and 5xx, `Retry-After` honoured), fallbacks, timeouts (connect, first
//! byte, idle gap in a stream), broken streams ending well-formed in each protocol, client
//! disconnect cancelling the upstream, graceful shutdown.

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures_util::StreamExt;
use serde_json::{Value, json};

fn chat(model: &str) -> Value {
    json!({"model": model, "messages": [{"role": "user", "content": "hi"}]})
}

#[tokio::test]
async fn retries_429_and_5xx_then_succeeds() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &chat("gpt-4o+status=429x2+retry_after=0"),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(b.openai.requests().len(), 3, "two 429s retried");
    let r = b
        .post_json("/v1/chat/completions", &chat("gpt-4o+status=503x1"))
        .await;
    assert_eq!(r.status(), 200);
    let m = b.metrics().await;
    assert!(
        m.contains("aigw_retries_total{provider=\"openai\"} 3"),
        "{m}"
    );
    assert!(
        m.contains("aigw_upstream_errors_total{provider=\"openai\",reason=\"429\"} 2"),
        "{m}"
    );
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let b = Bench::start("").await;
    let started = Instant::now();
    let r = b
        .post_json(
            "/v1/chat/completions",
            &chat("gpt-4o+status=429x1+retry_after=1"),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn after_the_last_retry_the_upstream_answer_passes_through() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &chat("gpt-4o+status=429+retry_after=0"),
        )
        .await;
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.headers()["retry-after"],
        "0",
        "Retry-After kept for the caller"
    );
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["error"]["code"], "rate_limit_exceeded");
    assert_eq!(b.openai.requests().len(), 3, "one try and two retries");
    // Non-retryable errors are answered at once.
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "claude-x+status=400", "max_tokens": 5, "messages": []}),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(b.anthropic.requests().len(), 1);
}

#[tokio::test]
async fn fallbacks_take_over_when_targets_fail() {
    let b = Bench::start(
        r#"
[[routes]]
model = "resilient"
targets = [{ provider = "openai", model = "gpt-4o+status=503" }]
fallbacks = ["backup-route", "claude-sonnet-4-5"]

[[routes]]
model = "backup-route"
provider = "openai-backup"
upstream_model = "gpt-4o-mini"

[[routes]]
model = "impatient"
targets = [{ provider = "openai", model = "gpt-4o+status=429+retry_after=60" }, { provider = "openai-backup", model = "gpt-4o" }]
"#,
    )
    .await;
    let r = b
        .post_json("/v1/chat/completions", &chat("resilient"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-provider"], "openai-backup");
    let models: Vec<String> = b
        .openai
        .requests()
        .iter()
        .map(|r| r.json()["model"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        models,
        [
            "gpt-4o+status=503",
            "gpt-4o+status=503",
            "gpt-4o+status=503",
            "gpt-4o-mini"
        ]
    );
    // A Retry-After longer than the limit is not waited for: the next target answers.
    let started = Instant::now();
    let r = b
        .post_json("/v1/chat/completions", &chat("impatient"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    let m = b.metrics().await;
    assert!(
        m.contains("aigw_fallbacks_total{provider=\"openai\"} 2"),
        "{m}"
    );
}

#[tokio::test]
async fn connect_errors_retry_then_fall_back_or_answer_502() {
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let dead_addr = dead.local_addr().expect("addr");
    drop(dead);
    let b = Bench::start(&format!(
        r#"
[providers.dead]
kind = "openai"
base_url = "http://{dead_addr}/v1"
api_key_env = "OPENAI_KEY"

[[routes]]
model = "dead-only"
provider = "dead"

[[routes]]
model = "dead-then-alive"
provider = "dead"
fallbacks = ["gpt-4o"]
"#
    ))
    .await;
    let r = b
        .post_json("/v1/chat/completions", &chat("dead-only"))
        .await;
    assert_eq!(r.status(), 502);
    let v: Value = r.json().await.expect("json");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("msg")
            .contains("cannot connect"),
        "{v}"
    );
    let r = b
        .post_json("/v1/chat/completions", &chat("dead-then-alive"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-provider"], "openai");
}

#[tokio::test]
async fn first_byte_timeout_is_a_504_in_the_callers_shape() {
    let b = Bench::start_with(
        &BASE_TOML
            .replace("first_byte_ms = 5000", "first_byte_ms = 300")
            .replace("retries = 2", "retries = 0"),
        "",
    )
    .await;
    let started = Instant::now();
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "claude-x+delay=3000", "max_tokens": 5, "messages": []}),
        )
        .await;
    assert_eq!(r.status(), 504);
    assert!(started.elapsed() < Duration::from_millis(2500));
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["type"], "error");
    assert_eq!(v["error"]["type"], "timeout_error");
}

/// The body of a streamed request, read to its end.
#[tokio::test]
async fn broken_streams_end_with_the_callers_error_event() {
    let b = Bench::start_with(&BASE_TOML.replace("idle_ms = 3000", "idle_ms = 400"), "").await;
    let msgs = json!([{"role": "user", "content": "a long enough answer please"}]);
    // OpenAI chat: a reset after two events.
    let text = b
        .stream_body(
            "/v1/chat/completions",
            &json!({"model": "gpt-4o+reset=2+events=6", "stream": true, "messages": msgs}),
        )
        .await;
    let data = sse_data(&text);
    assert_eq!(data.len(), 4, "{text}");
    let err: Value = serde_json::from_str(&data[2]).expect("error chunk");
    assert!(
        err["error"]["message"]
            .as_str()
            .expect("m")
            .contains("broke off"),
        "{err}"
    );
    assert_eq!(data[3], "[DONE]");
    assert_eq!(
        b.openai.requests().len(),
        1,
        "never retried after the first byte"
    );
    // A stall: the idle timeout closes it.
    let started = Instant::now();
    let text = b
        .stream_body(
            "/v1/chat/completions",
            &json!({"model": "gpt-4o+stall=2", "stream": true, "messages": msgs}),
        )
        .await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        text.contains("no data from the upstream for 400 ms"),
        "{text}"
    );
    // Responses: the error event carries the next sequence number.
    let text = b
        .stream_body(
            "/v1/responses",
            &json!({"model": "gpt-4o+reset=3", "stream": true, "input": "hi"}),
        )
        .await;
    let events = sse_events(&text);
    assert_eq!(events.last().map(String::as_str), Some("error"), "{text}");
    let last: Value = serde_json::from_str(sse_data(&text).last().expect("data")).expect("json");
    assert_eq!(last["sequence_number"], 3);
    // Anthropic: an end without message_stop.
    let text = b.stream_body("/v1/messages",
        &json!({"model": "claude-x+truncate=4", "max_tokens": 9, "stream": true, "messages": msgs}),
    )
    .await;
    let events = sse_events(&text);
    assert_eq!(events.last().map(String::as_str), Some("error"), "{text}");
    let last: Value = serde_json::from_str(sse_data(&text).last().expect("data")).expect("json");
    assert_eq!(last["type"], "error");
    assert_eq!(last["error"]["type"], "api_error");
    // Gemini SSE: a reset.
    let gem = json!({"contents": [{"role": "user", "parts": [{"text": "a long enough answer"}]}]});
    let r = b
        .http
        .post(b.url("/v1beta/models/gemini-2.5-flash+reset=1:streamGenerateContent?alt=sse"))
        .header("x-goog-api-key", "c")
        .json(&gem)
        .send()
        .await
        .expect("send");
    let text = r.text().await.expect("body");
    let data = sse_data(&text);
    assert_eq!(data.len(), 2, "{text}");
    assert!(
        data[1].starts_with("{\"error\":"),
        "google-genai raises on this: {text}"
    );
    // Gemini JSON array: closed as an array with the error last.
    let r = b
        .http
        .post(b.url("/v1beta/models/gemini-2.5-flash+reset=2:streamGenerateContent"))
        .header("x-goog-api-key", "c")
        .json(&gem)
        .send()
        .await
        .expect("send");
    let v: Value =
        serde_json::from_str(&r.text().await.expect("body")).expect("a well-formed array");
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 3);
    assert_eq!(items[2]["error"]["status"], "UNAVAILABLE");
    let m = b.metrics().await;
    assert!(m.contains("reason=\"reset\""), "{m}");
    assert!(m.contains("reason=\"idle_timeout\""), "{m}");
    assert!(m.contains("reason=\"truncated\""), "{m}");
}

#[tokio::test]
async fn a_client_disconnect_cancels_the_upstream_stream() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "gpt-4o+interval=100+events=50", "stream": true,
                    "messages": [{"role": "user", "content": "tell me a very long story about many things"}]}),
        )
        .await;
    let mut body = r.bytes_stream();
    let first = body.next().await.expect("a chunk").expect("ok");
    assert!(!first.is_empty());
    drop(body);
    let deadline = Instant::now() + Duration::from_secs(3);
    while b.openai.cancelled_streams() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        b.openai.cancelled_streams(),
        1,
        "the upstream saw the cancellation"
    );
}

#[tokio::test]
async fn a_client_disconnect_cancels_a_waiting_json_request() {
    let b = Bench::start("").await;
    let http = b.http.clone();
    let url = b.url("/v1/chat/completions");
    let pending = tokio::spawn(async move {
        http.post(url)
            .header("authorization", "Bearer c")
            .json(&chat("gpt-4o+delay=1500"))
            .timeout(Duration::from_millis(200))
            .send()
            .await
    });
    assert!(pending.await.expect("join").is_err(), "the client gave up");
    // The gateway dropped the request with the caller: when the upstream would have
    // answered (1.5 s), nothing is answered or counted. The upstream saw the request.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(b.openai.requests().len(), 1);
    let m = b.metrics().await;
    assert!(!m.contains("status=\"200\""), "no answer was produced: {m}");
}

#[tokio::test]
async fn graceful_shutdown_lets_running_streams_finish() {
    let mut b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "gpt-4o+interval=100+events=10", "stream": true,
                    "messages": [{"role": "user", "content": "ten pieces of an answer for a graceful end"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    b.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // New connections are refused while the stream goes on.
    let refused = reqwest::Client::new().get(b.url("/healthz")).send().await;
    assert!(refused.is_err(), "no new connections after shutdown began");
    let text = r.text().await.expect("the stream finishes");
    assert_eq!(sse_data(&text).last().map(String::as_str), Some("[DONE]"));
    let server = b.server.take().expect("server");
    let done = tokio::time::timeout(Duration::from_secs(2), server).await;
    assert!(done.is_ok(), "the server stopped once the stream ended");
}

#[tokio::test]
async fn graceful_shutdown_cuts_streams_at_the_deadline() {
    let mut b = Bench::start_with(
        &BASE_TOML.replace("shutdown_grace_secs = 3", "shutdown_grace_secs = 1"),
        "",
    )
    .await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "gpt-4o+interval=200+events=40", "stream": true,
                    "messages": [{"role": "user", "content": "forty pieces of an answer that takes eight seconds to finish completely"}]}),
        )
        .await;
    let started = Instant::now();
    b.shutdown();
    let server = b.server.take().expect("server");
    let _ = tokio::time::timeout(Duration::from_secs(4), server)
        .await
        .expect("stopped at the deadline");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert!(r.text().await.is_err() || started.elapsed() >= Duration::from_millis(900));
}

/// Times at which each text delta reached the client, from the start of the body.
async fn delta_arrivals(r: reqwest::Response, marker: &str) -> Vec<Duration> {
    let start = Instant::now();
    let mut seen = Vec::new();
    let mut body = r.bytes_stream();
    let mut text = String::new();
    while let Some(chunk) = body.next().await {
        text.push_str(&String::from_utf8_lossy(&chunk.expect("chunk")));
        let count = text.matches(marker).count();
        while seen.len() < count {
            seen.push(start.elapsed());
        }
    }
    seen
}

#[tokio::test]
async fn stream_events_reach_the_client_as_the_upstream_sends_them() {
    // The gateway passes each upstream event on as it arrives, never holding it back for
    // more: events 150 ms apart upstream arrive spread out, passed through and translated
    // alike.
    let b = Bench::start("").await;
    for (model, marker) in [
        ("gpt-4o+interval=150+events=5", "\"content\":\""),
        ("claude-sonnet-4-5+interval=150+events=5", "\"content\":\""),
    ] {
        let r = b
            .post_json(
                "/v1/chat/completions",
                &json!({"model": model, "stream": true,
                        "messages": [{"role": "user", "content": "one two three four five six"}]}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let at = delta_arrivals(r, marker).await;
        assert!(at.len() >= 5, "{model}: {at:?}");
        let spread = at[at.len() - 1] - at[0];
        assert!(
            spread >= Duration::from_millis(400),
            "{model}: the deltas came together, held back: {at:?}"
        );
    }
}
