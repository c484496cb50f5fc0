//! Bad input gets a clear 4xx in the caller's own protocol's error shape; routes that need
//! translation are refused naming the route; OpenAI-compatible quirks strip and refuse;
//! gateway keys are checked where each protocol puts its key.

mod common;

use common::*;
use serde_json::{Value, json};

/// Checks `body` is an error in `protocol`'s shape and returns its message.
fn shaped(protocol: &str, status: u16, body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    match protocol {
        "openai" => {
            assert!(v["error"]["type"].is_string(), "{body}");
            v["error"]["message"].as_str().expect("message").to_owned()
        }
        "anthropic" => {
            assert_eq!(v["type"], "error", "{body}");
            assert!(v["error"]["type"].is_string(), "{body}");
            v["error"]["message"].as_str().expect("message").to_owned()
        }
        _ => {
            assert_eq!(v["error"]["code"], status, "{body}");
            assert!(v["error"]["status"].is_string(), "{body}");
            v["error"]["message"].as_str().expect("message").to_owned()
        }
    }
}

struct Case {
    name: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    status: u16,
    message: &'static str,
}

fn cases(protocol: &str) -> Vec<Case> {
    let (path, model_body): (&'static str, &str) = match protocol {
        "openai" => (
            "/v1/chat/completions",
            r#"{"model":"gpt-4o","messages":[]}"#,
        ),
        "anthropic" => (
            "/v1/messages",
            r#"{"model":"claude-x","max_tokens":5,"messages":[]}"#,
        ),
        _ => (
            "/v1beta/models/gemini-2.5-flash:generateContent",
            r#"{"contents":[]}"#,
        ),
    };
    let auth: Vec<(&'static str, &'static str)> = match protocol {
        "openai" => vec![("authorization", "Bearer c")],
        "anthropic" => vec![("x-api-key", "c"), ("anthropic-version", "2023-06-01")],
        _ => vec![("x-goog-api-key", "c")],
    };
    let json_ct = |mut h: Vec<(&'static str, &'static str)>| {
        h.push(("content-type", "application/json"));
        h
    };
    let mut out = vec![
        Case {
            name: "malformed JSON",
            path,
            headers: json_ct(auth.clone()),
            body: model_body.as_bytes()[..model_body.len() - 3].to_vec(),
            status: 400,
            message: "not valid JSON",
        },
        Case {
            name: "not an object",
            path,
            headers: json_ct(auth.clone()),
            body: b"[1]".to_vec(),
            status: 400,
            message: "must be a JSON object",
        },
        Case {
            name: "wrong content type",
            path,
            headers: {
                let mut h = auth.clone();
                h.push(("content-type", "application/x-www-form-urlencoded"));
                h
            },
            body: b"model=gpt-4o".to_vec(),
            status: 415,
            message: "send `application/json`",
        },
        Case {
            name: "oversize body",
            path,
            headers: json_ct(auth.clone()),
            body: format!(
                "{{\"model\":\"gpt-4o\",\"pad\":\"{}\"}}",
                "x".repeat(70_000)
            )
            .into_bytes(),
            status: 413,
            message: "larger than the gateway's limit of 65536 bytes",
        },
    ];
    if protocol != "gemini" {
        out.push(Case {
            name: "missing model",
            path,
            headers: json_ct(auth.clone()),
            body: br#"{"messages":[]}"#.to_vec(),
            status: 400,
            message: "has no `model`",
        });
        out.push(Case {
            name: "unknown model",
            path,
            headers: json_ct(auth.clone()),
            body: br#"{"model":"no-such-model","messages":[],"max_tokens":1}"#.to_vec(),
            status: 404,
            message: "`no-such-model` does not exist",
        });
    } else {
        out.push(Case {
            name: "unknown model",
            path: "/v1beta/models/no-such-model:generateContent",
            headers: json_ct(auth.clone()),
            body: br#"{"contents":[]}"#.to_vec(),
            status: 404,
            message: "`no-such-model` does not exist",
        });
        out.push(Case {
            name: "unknown method",
            path: "/v1beta/models/gemini-2.5-flash:fly",
            headers: json_ct(auth.clone()),
            body: br#"{"contents":[]}"#.to_vec(),
            status: 404,
            message: "unknown method `fly`",
        });
    }
    out
}

#[tokio::test]
async fn bad_input_gets_the_callers_error_shape() {
    let b = Bench::start_with(
        &BASE_TOML.replace("[server]", "[server]\nbody_limit_bytes = 65536"),
        "",
    )
    .await;
    for protocol in ["openai", "anthropic", "gemini"] {
        for c in cases(protocol) {
            let r = b.post_raw(c.path, &c.headers, c.body.clone()).await;
            assert_eq!(r.status().as_u16(), c.status, "{protocol}: {}", c.name);
            assert_eq!(r.headers()["content-type"], "application/json");
            let message = shaped(protocol, c.status, &r.text().await.expect("text"));
            assert!(
                message.contains(c.message),
                "{protocol}: {}: {message}",
                c.name
            );
        }
    }
    // Unknown paths and wrong methods, shaped by the path's protocol.
    let r = b
        .http
        .get(b.url("/v1beta/nothing"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
    shaped("gemini", 404, &r.text().await.expect("text"));
    let r = b
        .http
        .get(b.url("/v1/chat/completions"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 405);
    shaped("openai", 405, &r.text().await.expect("text"));
    let r = b
        .http
        .get(b.url("/v1/messages"))
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 405);
    shaped("anthropic", 405, &r.text().await.expect("text"));
    // Nothing reached an upstream.
    assert!(b.openai.requests().is_empty());
    assert!(b.anthropic.requests().is_empty());
    assert!(b.gemini.requests().is_empty());
}

#[tokio::test]
async fn surfaces_without_a_counterpart_are_refused_naming_the_route() {
    let b = Bench::start("").await;
    // Surfaces with no counterpart in the upstream's protocol.
    let r = b
        .post_json(
            "/v1/messages/count_tokens",
            &json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(r.status(), 400);
    let message = shaped("anthropic", 400, &r.text().await.expect("text"));
    assert!(
        message.contains("`count_tokens` has no counterpart in the openai protocol"),
        "{message}"
    );
    let r = b
        .post_json(
            "/v1/embeddings",
            &json!({"model": "claude-sonnet-4-5", "input": "hi"}),
        )
        .await;
    assert_eq!(r.status(), 400);
    shaped("openai", 400, &r.text().await.expect("text"));
    assert!(b.gemini.requests().is_empty() && b.anthropic.requests().is_empty());
    assert!(b.openai.requests().is_empty());
}

#[tokio::test]
async fn compat_quirks_strip_rename_and_refuse() {
    let b = Bench::start("").await;
    // Groq: logprobs and message names stripped, the caller told which.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "groq/llama-3.3-70b", "logprobs": true, "top_logprobs": 2,
                    "messages": [{"role": "user", "name": "ann", "content": "hi"}], "x_keep": 1}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["x-aigw-stripped"],
        "/logprobs,/messages/0/name,/top_logprobs"
    );
    let sent = b.openai.last().expect("req").json();
    assert_eq!(sent["model"], "llama-3.3-70b");
    assert!(sent.get("logprobs").is_none() && sent["messages"][0].get("name").is_none());
    assert_eq!(
        sent["x_keep"], 1,
        "unknown fields a lenient provider takes are kept"
    );

    // Mistral: only its own fields, renamed ones.
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "mistral-large-latest", "seed": 3, "max_completion_tokens": 9, "x_drop": 1,
                    "messages": [{"role": "developer", "content": "be brief"}, {"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-aigw-stripped"], "/x_drop");
    assert_eq!(
        r.headers()["x-aigw-rewritten"],
        "/max_completion_tokens->/max_tokens,/seed->/random_seed,/messages/0/role=system"
    );
    let sent = b.openai.last().expect("req").json();
    assert_eq!(sent["random_seed"], 3);
    assert_eq!(sent["max_tokens"], 9);
    assert_eq!(sent["messages"][0]["role"], "system");

    // DeepSeek has no vision and no embeddings: clear 400s, nothing sent.
    let before = b.openai.requests().len();
    let r = b
        .post_json(
            "/v1/chat/completions",
            &json!({"model": "deepseek-chat", "messages": [{"role": "user", "content": [
                {"type": "text", "text": "what is it"},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}),
        )
        .await;
    assert_eq!(r.status(), 400);
    let message = shaped("openai", 400, &r.text().await.expect("text"));
    assert!(
        message.contains("provider `deepseek`: this provider does not take image inputs"),
        "{message}"
    );
    let r = b
        .post_json(
            "/v1/embeddings",
            &json!({"model": "deepseek/embed", "input": "x"}),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(
        shaped("openai", 400, &r.text().await.expect("text")).contains("does not serve embeddings")
    );
    assert_eq!(b.openai.requests().len(), before);
}

#[tokio::test]
async fn gateway_keys_are_required_where_each_protocol_puts_them() {
    let base = BASE_TOML.replace("[server]", "[server]\ngateway_keys_env = [\"GATEWAY_KEY\"]");
    let b = Bench::start_with(&base, "").await;
    let chat = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]});
    let msg = json!({"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]});
    let gem = json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]});
    let gem_path = "/v1beta/models/gemini-2.5-flash:generateContent";
    let send = |path: &str, headers: Vec<(&str, String)>, body: &Value| {
        let mut r = b.http.post(b.url(path)).json(body);
        for (k, v) in headers {
            r = r.header(k, v);
        }
        r.send()
    };
    let bearer = |k: &str| vec![("authorization", format!("Bearer {k}"))];
    let xkey = |k: &str| {
        vec![
            ("x-api-key", k.to_owned()),
            ("anthropic-version", "2023-06-01".to_owned()),
        ]
    };
    let gkey = |k: &str| vec![("x-goog-api-key", k.to_owned())];

    for (path, body, proto, wrong, right) in [
        (
            "/v1/chat/completions",
            &chat,
            "openai",
            bearer("nope"),
            bearer(GATEWAY_KEY),
        ),
        (
            "/v1/messages",
            &msg,
            "anthropic",
            xkey("nope"),
            xkey(GATEWAY_KEY),
        ),
        (gem_path, &gem, "gemini", gkey("nope"), gkey(GATEWAY_KEY)),
    ] {
        let r = send(path, wrong, body).await.expect("send");
        assert_eq!(r.status(), 401, "{proto}");
        let text = r.text().await.expect("text");
        shaped(proto, 401, &text);
        assert!(!text.contains(GATEWAY_KEY));
        let r = send(path, vec![], body).await.expect("send");
        assert_eq!(r.status(), 401, "{proto} without a key");
        let r = send(path, right, body).await.expect("send");
        assert_eq!(r.status(), 200, "{proto} with the gateway key");
    }
    let r = send(&format!("{gem_path}?key={GATEWAY_KEY}"), vec![], &gem)
        .await
        .expect("send");
    assert_eq!(r.status(), 200, "?key= works for Gemini");
    // The upstream got the gateway's upstream key, never the caller's.
    for req in b.openai.requests() {
        assert_eq!(
            req.header("authorization"),
            Some(format!("Bearer {OPENAI_KEY}").as_str())
        );
    }
    assert!(
        b.gemini
            .requests()
            .iter()
            .all(|r| !r.uri.contains(GATEWAY_KEY))
    );
}

/// A refusal given before the body is read leaves the connection usable when the body is
/// small (it is read first), and closes it, saying so, when the body does not come.
#[tokio::test]
async fn refusals_before_the_body_keep_or_close_the_connection_cleanly() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let base = BASE_TOML.replace("[server]", "[server]\ngateway_keys_env = [\"GATEWAY_KEY\"]");
    let b = Bench::start_with(&base, "").await;
    let head = |len: usize| {
        format!(
            "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer wrong\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n"
        )
    };
    let body = r#"{"model":"gpt-4o","messages":[]}"#;
    // The body arrives after the headers, in two parts; then a second request on the
    // same connection is answered too.
    let mut tcp = tokio::net::TcpStream::connect(b.addr)
        .await
        .expect("connect");
    tcp.write_all(head(body.len()).as_bytes())
        .await
        .expect("write");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    tcp.write_all(&body.as_bytes()[..10]).await.expect("write");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    tcp.write_all(&body.as_bytes()[10..]).await.expect("write");
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut got = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read_to_end(&mut got))
        .await
        .expect("answered")
        .expect("read");
    let text = String::from_utf8_lossy(&got).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 401"), "{text}");
    assert_eq!(text.matches("http/1.1 ").count(), 2, "{text}");
    assert!(text.contains("http/1.1 200"), "{text}");
    // Half a body that never completes: refused, and the connection closes, saying so.
    let mut tcp = tokio::net::TcpStream::connect(b.addr)
        .await
        .expect("connect");
    tcp.write_all(format!("{}{}", head(400), &body[..10]).as_bytes())
        .await
        .expect("write");
    let mut got = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read_to_end(&mut got))
        .await
        .expect("the gateway closes the connection")
        .expect("read");
    let text = String::from_utf8_lossy(&got).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 401"), "{text}");
    assert!(text.contains("connection: close"), "{text}");
}
