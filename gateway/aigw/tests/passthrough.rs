//! Same-protocol passthrough over real HTTP on loopback, for every surface, streaming and
//! not: what reaches the upstream (only the model and the credentials changed), what
//! reaches the caller (the upstream's bytes, status and headers), and byte fidelity of
//! recorded-shape answers with unknown events and fields.

mod common;

use aigw_mock::fidelity;
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn chat_json_reaches_the_upstream_with_only_model_and_auth_changed() {
    let b = Bench::start(
        r#"
[[routes]]
model = "house-model"
provider = "openai"
upstream_model = "gpt-4o-2024-08-06"
"#,
    )
    .await;
    let body = r#"{"model":"house-model","messages":[{"role":"user","content":"hi"}],  "x_unknown": {"keep": [1, 2.50, "me"]}, "temperature":0.7}"#;
    let r = b
        .post_raw(
            "/v1/chat/completions",
            &[
                ("content-type", "application/json"),
                ("authorization", "Bearer caller-key"),
                ("openai-beta", "assistants=v2"),
                ("x-custom-trace", "t-1"),
            ],
            body,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-provider"], "openai");
    assert!(
        r.headers()["x-request-id"]
            .to_str()
            .expect("id")
            .starts_with("req_mock")
    );
    assert_eq!(r.headers()["x-ratelimit-remaining-requests"], "4999");
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["choices"][0]["message"]["content"], "Echo: hi");

    let got = b.openai.last().expect("request");
    assert_eq!(got.uri, "/v1/chat/completions");
    let expected = body.replace("house-model", "gpt-4o-2024-08-06");
    assert_eq!(
        std::str::from_utf8(&got.body).expect("utf8"),
        expected,
        "byte-exact but the model"
    );
    assert_eq!(
        got.header("authorization"),
        Some(format!("Bearer {OPENAI_KEY}").as_str())
    );
    assert_eq!(got.header("openai-beta"), Some("assistants=v2"));
    assert_eq!(got.header("x-custom-trace"), Some("t-1"));
}

#[tokio::test]
async fn chat_stream_passes_event_by_event_with_tool_call_deltas_and_usage() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "gpt-4o", "stream": true, "stream_options": {"include_usage": true},
                    "messages": [{"role": "user", "content": "weather?"}],
                    "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/event-stream")
    );
    let text = r.text().await.expect("body");
    let data = sse_data(&text);
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
    let mut args = String::new();
    for d in &data[..data.len() - 1] {
        let v: Value = serde_json::from_str(d).expect("chunk");
        if let Some(a) = v.pointer("/choices/0/delta/tool_calls/0/function/arguments") {
            args.push_str(a.as_str().expect("str"));
        }
    }
    assert_eq!(args, r#"{"city":"Paris"}"#);
    let metrics = b.metrics().await;
    assert!(
        metrics.contains("aigw_tokens_total{provider=\"openai\",model=\"gpt-4o\",kind=\"output\"}"),
        "streamed usage is counted:\n{metrics}"
    );
}

async fn fidelity_case(
    b: &Bench,
    path: &str,
    headers: &[(&str, &str)],
    body: Value,
    expected: &str,
) {
    let r = b
        .post_raw(path, headers, serde_json::to_vec(&body).expect("json"))
        .await;
    assert_eq!(r.status(), 200, "{path}");
    let got = r.bytes().await.expect("body");
    assert_eq!(
        std::str::from_utf8(&got).expect("utf8"),
        expected,
        "{path}: the caller gets the upstream's bytes"
    );
}

#[tokio::test]
async fn recorded_answers_reach_the_caller_byte_for_byte() {
    let b = Bench::start("").await;
    let oa = [
        ("content-type", "application/json"),
        ("authorization", "Bearer x"),
    ];
    let an = [
        ("content-type", "application/json"),
        ("x-api-key", "x"),
        ("anthropic-version", "2023-06-01"),
    ];
    let ge = [
        ("content-type", "application/json"),
        ("x-goog-api-key", "x"),
    ];
    let msgs = json!([{"role": "user", "content": "hi"}]);
    fidelity_case(
        &b,
        "/v1/chat/completions",
        &oa,
        json!({"model": "gpt-4o+fidelity", "stream": true, "messages": msgs}),
        fidelity::OPENAI_CHAT_STREAM,
    )
    .await;
    fidelity_case(
        &b,
        "/v1/chat/completions",
        &oa,
        json!({"model": "gpt-4o+fidelity", "messages": msgs}),
        fidelity::OPENAI_CHAT_JSON,
    )
    .await;
    fidelity_case(
        &b,
        "/v1/responses",
        &oa,
        json!({"model": "gpt-4o+fidelity", "stream": true, "input": "hi"}),
        fidelity::OPENAI_RESPONSES_STREAM,
    )
    .await;
    fidelity_case(&b, "/v1/messages", &an, json!({"model": "claude-sonnet-4-5+fidelity", "max_tokens": 100, "stream": true, "messages": msgs}), fidelity::ANTHROPIC_STREAM).await;
    fidelity_case(
        &b,
        "/v1/messages",
        &an,
        json!({"model": "claude-sonnet-4-5+fidelity", "max_tokens": 100, "messages": msgs}),
        fidelity::ANTHROPIC_JSON,
    )
    .await;
    let contents = json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]});
    fidelity_case(
        &b,
        "/v1beta/models/gemini-2.5-flash+fidelity:streamGenerateContent?alt=sse",
        &ge,
        contents.clone(),
        fidelity::GEMINI_SSE_STREAM,
    )
    .await;
    fidelity_case(
        &b,
        "/v1beta/models/gemini-2.5-flash+fidelity:streamGenerateContent",
        &ge,
        contents.clone(),
        fidelity::GEMINI_ARRAY_STREAM,
    )
    .await;
    fidelity_case(
        &b,
        "/v1beta/models/gemini-2.5-flash+fidelity:generateContent",
        &ge,
        contents,
        fidelity::GEMINI_JSON,
    )
    .await;
    // Usage from the recorded streams is counted, cache reads included.
    let m = b.metrics().await;
    assert!(m.contains("aigw_tokens_total{provider=\"anthropic\",model=\"claude-sonnet-4-5+fidelity\",kind=\"cached_input\"} 2400"), "{m}");
    assert!(m.contains("aigw_tokens_total{provider=\"openai\",model=\"gpt-4o+fidelity\",kind=\"cached_input\"} 16"), "{m}");
    assert!(m.contains("aigw_tokens_total{provider=\"gemini\",model=\"gemini-2.5-flash+fidelity\",kind=\"reasoning\"} 3"), "{m}");
}

#[tokio::test]
async fn responses_create_stream_and_stored_calls() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/responses",
            &json!({"model": "gpt-4o", "input": "hello", "unknown_param": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["output"][0]["content"][0]["text"], "Echo: hello");
    assert_eq!(b.openai.last().expect("req").json()["unknown_param"], true);

    let r = b
        .post_json(
            "/v1/responses",
            &json!({"model": "gpt-4o", "input": "hello", "stream": true}),
        )
        .await;
    let text = r.text().await.expect("body");
    let events = sse_events(&text);
    assert_eq!(events.first().map(String::as_str), Some("response.created"));
    assert_eq!(
        events.last().map(String::as_str),
        Some("response.completed")
    );

    for (method, path, check) in [
        ("GET", "/v1/responses/resp_42", "completed"),
        ("POST", "/v1/responses/resp_42/cancel", "cancelled"),
        ("GET", "/v1/responses/resp_42/input_items", "list"),
        ("DELETE", "/v1/responses/resp_42", "response"),
    ] {
        let r = b
            .http
            .request(
                method.parse().expect("method"),
                b.url(&format!("{path}?include=x")),
            )
            .header("authorization", "Bearer caller")
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200, "{method} {path}");
        let text = r.text().await.expect("text");
        assert!(text.contains(check), "{method} {path}: {text}");
        let got = b.openai.last().expect("req");
        assert_eq!(got.method, method);
        assert_eq!(got.uri, format!("{path}?include=x"));
    }
}

#[tokio::test]
async fn embeddings_and_models() {
    let b = Bench::start("").await;
    let r = b
        .post_json(
            "/v1/embeddings",
            &json!({"model": "text-embedding-3-small", "input": ["a", "bb"]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["data"].as_array().map(Vec::len), Some(2));

    // Several OpenAI-protocol providers: their lists merged, each id routable.
    let r = b
        .http
        .get(b.url("/v1/models"))
        .header("authorization", "Bearer x")
        .send()
        .await
        .expect("models");
    let v: Value = r.json().await.expect("json");
    let ids: Vec<&str> = v["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert!(ids.contains(&"gpt-4o"), "{ids:?}");
    assert!(ids.contains(&"groq/gpt-4o"), "{ids:?}");
    assert!(ids.contains(&"openai-backup/gpt-4o-mini"), "{ids:?}");

    let r = b
        .http
        .get(b.url("/v1/models/gpt-4o"))
        .header("authorization", "Bearer x")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.expect("json")["id"], "gpt-4o");

    // Anthropic's models, told apart by its headers.
    let r = b
        .http
        .get(b.url("/v1/models"))
        .header("x-api-key", "x")
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .expect("models");
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["data"][0]["type"], "model");
    assert_eq!(b.anthropic.last().expect("req").uri, "/v1/models");
    let r = b
        .http
        .get(b.url("/v1/models/claude-haiku-4-5"))
        .header("x-api-key", "x")
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.json::<Value>().await.expect("json")["id"],
        "claude-haiku-4-5"
    );
}

#[tokio::test]
async fn anthropic_messages_count_tokens_and_headers() {
    let b = Bench::start("").await;
    let r = b
        .http
        .post(b.url("/v1/messages"))
        .header("x-api-key", "caller")
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "interleaved-thinking-2025-05-14")
        .json(
            &json!({"model": "claude-sonnet-4-5", "max_tokens": 50, "stream": true,
                      "thinking": {"type": "enabled", "budget_tokens": 1024},
                      "messages": [{"role": "user", "content": "hi"}]}),
        )
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["request-id"]
            .to_str()
            .expect("id")
            .starts_with("req_mock")
    );
    let text = r.text().await.expect("body");
    let events = sse_events(&text);
    assert_eq!(events.first().map(String::as_str), Some("message_start"));
    assert!(events.contains(&"ping".to_owned()));
    assert_eq!(events.last().map(String::as_str), Some("message_stop"));
    assert!(text.contains("signature_delta"));
    let got = b.anthropic.last().expect("req");
    assert_eq!(got.header("x-api-key"), Some(ANTHROPIC_KEY));
    assert_eq!(
        got.header("anthropic-beta"),
        Some("interleaved-thinking-2025-05-14")
    );
    assert_eq!(got.header("anthropic-version"), Some("2023-06-01"));

    let r = b
        .post_json("/v1/messages/count_tokens", &json!({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "a b c"}]}))
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.json::<Value>().await.expect("json")["input_tokens"]
            .as_u64()
            .is_some()
    );
    assert_eq!(
        b.anthropic.last().expect("req").uri,
        "/v1/messages/count_tokens"
    );
}

#[tokio::test]
async fn gemini_surfaces_and_key_in_query() {
    let b = Bench::start(
        r#"
[[routes]]
model = "flash"
provider = "gemini"
upstream_model = "gemini-2.5-flash"
"#,
    )
    .await;
    let contents = json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]});
    let post = |path: &str| {
        b.http
            .post(b.url(path))
            .header("x-goog-api-key", "caller")
            .json(&contents)
            .send()
    };
    let r = post("/v1beta/models/flash:generateContent")
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(
        v["candidates"][0]["content"]["parts"][0]["text"],
        "Echo: hi"
    );
    let got = b.gemini.last().expect("req");
    assert_eq!(got.uri, "/v1beta/models/gemini-2.5-flash:generateContent");
    assert_eq!(got.header("x-goog-api-key"), Some(GEMINI_KEY));

    let r = post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
        .await
        .expect("send");
    let text = r.text().await.expect("body");
    assert!(text.contains("\r\n\r\n"), "Google's framing kept");
    assert_eq!(sse_data(&text).len(), 3);

    let r = post("/v1beta/models/gemini-2.5-flash:streamGenerateContent")
        .await
        .expect("send");
    let v: Value = serde_json::from_str(&r.text().await.expect("body")).expect("a JSON array");
    assert_eq!(v.as_array().map(Vec::len), Some(3));

    // `?key=` authenticates the caller (not sent upstream, replaced by the gateway's key).
    let r = b
        .http
        .post(b.url("/v1beta/models/gemini-2.5-flash:countTokens?key=caller-key"))
        .json(&contents)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert!(
        r.json::<Value>().await.expect("json")["totalTokens"]
            .as_u64()
            .is_some()
    );
    let got = b.gemini.last().expect("req");
    assert_eq!(got.uri, "/v1beta/models/gemini-2.5-flash:countTokens");

    let r = b
        .http
        .post(b.url("/v1beta/models/gemini-embedding-001:embedContent"))
        .header("x-goog-api-key", "c")
        .json(&json!({"content": {"parts": [{"text": "abc"}]}}))
        .send()
        .await
        .expect("send");
    assert!(r.json::<Value>().await.expect("json")["embedding"]["values"].is_array());
    let r = b
        .http
        .post(b.url("/v1beta/models/gemini-embedding-001:batchEmbedContents"))
        .header("x-goog-api-key", "c")
        .json(&json!({"requests": [{"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "a"}]}}, {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "b"}]}}]}))
        .send()
        .await
        .expect("send");
    assert_eq!(
        r.json::<Value>().await.expect("json")["embeddings"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    let r = b
        .http
        .get(b.url("/v1beta/models"))
        .header("x-goog-api-key", "c")
        .send()
        .await
        .expect("list");
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["models"][0]["name"], "models/gemini-2.5-flash");
    let r = b
        .http
        .get(b.url("/v1beta/models/gemini-2.5-pro"))
        .header("x-goog-api-key", "c")
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.json::<Value>().await.expect("json")["name"],
        "models/gemini-2.5-pro"
    );
}

#[tokio::test]
async fn upstream_errors_pass_through_with_status_body_and_headers() {
    let b = Bench::start("").await;
    // The OpenAI mock's own 400 (missing messages) reaches the caller as it was.
    let r = b
        .post_json("/v1/chat/completions", &json!({"model": "gpt-4o"}))
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.headers().contains_key("x-request-id"));
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["error"]["code"], "missing_required_parameter");
    // Anthropic's 400 without max_tokens.
    let r = b
        .post_json(
            "/v1/messages",
            &json!({"model": "claude-sonnet-4-5", "messages": []}),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"]["message"],
        "max_tokens: Field required"
    );
}

#[tokio::test]
async fn several_keys_are_used_in_turn_and_the_callers_key_only_where_configured() {
    let openai =
        aigw_mock::Mock::start_keys(aigw_mock::Kind::OpenAi, &[OPENAI_KEY, OPENAI_KEY_2]).await;
    let toml = format!(
        "{BASE_TOML}\n[providers.multi]\nkind = \"openai\"\nbase_url = \"{0}\"\napi_keys_env = [\"OPENAI_KEY\", \"OPENAI_KEY_2\"]\n\n[providers.byok]\nkind = \"openai\"\nbase_url = \"{0}\"\nforward_client_key = true\n",
        openai.base_url()
    );
    let config = aigw::config::parse("t.toml", &toml, &env, aigw::config::MissingKeys::Error)
        .expect("config");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let gw = std::sync::Arc::new(aigw::Gateway::new(config));
    tokio::spawn(aigw::server::serve(gw, listener, std::future::pending()));
    let http = reqwest::Client::new();
    let chat = |model: &str, key: &str| {
        http.post(format!("http://{addr}/v1/chat/completions"))
            .bearer_auth(key)
            .json(&json!({"model": model, "messages": [{"role": "user", "content": "hi"}]}))
            .send()
    };
    for _ in 0..4 {
        assert_eq!(
            chat("multi/gpt-4o", "caller").await.expect("send").status(),
            200
        );
    }
    let keys: Vec<String> = openai
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or("").to_owned())
        .collect();
    let (k1, k2) = (
        format!("Bearer {OPENAI_KEY}"),
        format!("Bearer {OPENAI_KEY_2}"),
    );
    assert_eq!(
        keys,
        [k1.clone(), k2.clone(), k1.clone(), k2],
        "keys in turn"
    );
    // A provider without keys that says so takes the caller's key; a wrong one gets the
    // upstream's 401.
    assert_eq!(
        chat("byok/gpt-4o", OPENAI_KEY)
            .await
            .expect("send")
            .status(),
        200
    );
    assert_eq!(
        openai.last().expect("req").header("authorization"),
        Some(k1.as_str())
    );
    let r = chat("byok/gpt-4o", "sk-wrong").await.expect("send");
    assert_eq!(r.status(), 401);
    // A provider with its own key never forwards the caller's.
    assert_eq!(
        chat("multi/gpt-4o", "sk-wrong")
            .await
            .expect("send")
            .status(),
        200
    );
}
