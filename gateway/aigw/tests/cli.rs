//! The `aigw` binary: `config check` errors name file, line and field; `serve` on the
//! embedded default (providers enabled by their key variables, pointed at mocks) answers
//! every protocol, exposes health, readiness and metrics, stops on SIGTERM; and no key
//! appears in its logs (at trace level), metrics, error bodies or `Debug` output.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use aigw_mock::{Kind, Mock};
use common::*;
use serde_json::{Value, json};

fn aigw() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aigw"))
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("aigw-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn config_check_names_file_line_and_field() {
    let good = temp_file(
        "good.toml",
        "[providers.openai]\nkind = \"openai\"\napi_key_env = \"AIGW_TEST_UNSET_KEY\"\n\n[[routes]]\nmodel = \"x\"\nprovider = \"openai\"\n",
    );
    let out = aigw()
        .args(["config", "check"])
        .arg(&good)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "warning: providers.openai: environment variable AIGW_TEST_UNSET_KEY is not set"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok (1 providers, 1 routes, 0 aliases)"),
        "{stdout}"
    );

    let bad = temp_file(
        "bad.toml",
        "[providers.openai]\nkind = \"openai\"\n\n[[routes]]\nmodel = \"x\"\nprovider = \"opnai\"\n",
    );
    let out = aigw()
        .args(["config", "check"])
        .arg(&bad)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:6:12: routes[0].provider: no provider named \"opnai\"",
            bad.display()
        )),
        "{stderr}"
    );
    let out = aigw()
        .args(["config", "check", "/no/such/file.toml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /no/such/file.toml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_on_the_embedded_default_and_leak_no_key() {
    let openai = Mock::start(Kind::OpenAi, OPENAI_KEY).await;
    let anthropic = Mock::start(Kind::Anthropic, ANTHROPIC_KEY).await;
    let gemini = Mock::start(Kind::Gemini, GEMINI_KEY).await;
    let mut child = aigw()
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AIGW_LISTEN", "127.0.0.1:0")
        .env("AIGW_LOG", "trace")
        .env("OPENAI_API_KEY", OPENAI_KEY)
        .env("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
        .env("GEMINI_API_KEY", GEMINI_KEY)
        .env("AIGW_GATEWAY_KEY", GATEWAY_KEY)
        .env("AIGW_OPENAI_BASE_URL", openai.base_url())
        .env("AIGW_ANTHROPIC_BASE_URL", anthropic.base_url())
        .env("AIGW_GEMINI_BASE_URL", gemini.base_url())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aigw");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first line");
    let base = line
        .trim()
        .strip_prefix("aigw listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let mut stderr = child.stderr.take().expect("stderr");
    let logs = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });

    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let mut bodies = Vec::new();
    // OpenAI, streaming with usage; then a wrong gateway key.
    let r = http
        .post(format!("{base}/v1/chat/completions"))
        .bearer_auth(GATEWAY_KEY)
        .json(
            &json!({"model": "gpt-4o", "stream": true, "stream_options": {"include_usage": true},
                      "messages": [{"role": "user", "content": "hi"}]}),
        )
        .send()
        .await
        .expect("chat");
    assert_eq!(r.status(), 200);
    bodies.push(r.text().await.expect("body"));
    let r = http
        .post(format!("{base}/v1/chat/completions"))
        .bearer_auth("wrong")
        .json(&json!({"model": "gpt-4o", "messages": []}))
        .send()
        .await
        .expect("chat");
    assert_eq!(r.status(), 401);
    bodies.push(r.text().await.expect("body"));
    // Anthropic and Gemini by their prefixes.
    let r = http
        .post(format!("{base}/v1/messages"))
        .header("x-api-key", GATEWAY_KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "claude-sonnet-4-5", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("messages");
    assert_eq!(r.status(), 200);
    bodies.push(r.text().await.expect("body"));
    let r = http
        .post(format!(
            "{base}/v1beta/models/gemini-2.5-flash:generateContent?key={GATEWAY_KEY}"
        ))
        .json(&json!({"contents": [{"parts": [{"text": "hi"}]}]}))
        .send()
        .await
        .expect("gemini");
    assert_eq!(r.status(), 200);
    bodies.push(r.text().await.expect("body"));
    // An upstream error and a gateway error.
    let r = http
        .post(format!("{base}/v1/chat/completions"))
        .bearer_auth(GATEWAY_KEY)
        .json(&json!({"model": "gpt-4o+status=500", "messages": []}))
        .send()
        .await
        .expect("chat");
    assert_eq!(r.status(), 500);
    bodies.push(r.text().await.expect("body"));
    let r = http
        .post(format!("{base}/v1/chat/completions"))
        .bearer_auth(GATEWAY_KEY)
        .json(&json!({"model": "llama-unknown", "messages": []}))
        .send()
        .await
        .expect("chat");
    assert_eq!(r.status(), 404);
    bodies.push(r.text().await.expect("body"));
    for path in ["/healthz", "/readyz"] {
        let r = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("health");
        assert_eq!(r.status(), 200, "{path}");
    }
    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("aigw_requests_total{surface=\"chat_completions\",provider=\"openai\",model=\"gpt-4o\",status=\"200\"} 1"), "{metrics}");
    assert!(
        metrics.contains("aigw_tokens_total{provider=\"openai\",model=\"gpt-4o\",kind=\"input\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("aigw_request_duration_seconds_bucket{surface=\"messages\",provider=\"anthropic\",le=\"+Inf\"} 1"), "{metrics}");

    // SIGTERM: a graceful stop.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut waited = 0;
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(waited < 100, "aigw did not stop on SIGTERM");
        waited += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");
    let logs = logs.join().expect("logs");
    assert!(logs.contains("aigw listening"), "{logs}");
    assert!(
        logs.contains("provider=\"openai\"") || logs.contains("provider=openai"),
        "request spans name the provider:\n{logs}"
    );

    for key in [OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY, GATEWAY_KEY] {
        assert!(!logs.contains(key), "a key in the logs");
        assert!(!metrics.contains(key), "a key in the metrics");
        for b in &bodies {
            assert!(!b.contains(key), "a key in a response body: {b}");
        }
    }
    // Debug output of the resolved config and the gateway.
    let config = aigw::config::parse(
        "t.toml",
        "[server]\ngateway_keys_env = [\"GATEWAY_KEY\"]\n[providers.openai]\nkind = \"openai\"\napi_key_env = \"OPENAI_KEY\"\n",
        &env,
        aigw::config::MissingKeys::Error,
    )
    .expect("config");
    let gw = aigw::Gateway::new(config.clone());
    let debug = format!("{config:?} {:?}", gw.router.providers());
    assert!(
        !debug.contains(OPENAI_KEY) && !debug.contains(GATEWAY_KEY),
        "{debug}"
    );
    let _: Value = serde_json::from_str(&bodies[1]).expect("401 body is JSON");
}
