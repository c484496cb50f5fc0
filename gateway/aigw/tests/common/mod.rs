//! The test bench: three mock upstreams (OpenAI, Anthropic, Gemini) on loopback and a
//! gateway in front of them, configured by TOML the way a user would, over real HTTP.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use aigw_mock::{Kind, Mock};
use tokio::sync::oneshot;

/// Upstream keys the mocks accept; tests check none of them leaks.
pub const OPENAI_KEY: &str = "sk-openai-upstream-SECRET-0001";
pub const ANTHROPIC_KEY: &str = "sk-ant-upstream-SECRET-0002";
pub const GEMINI_KEY: &str = "AIza-upstream-SECRET-0003";
pub const GATEWAY_KEY: &str = "gw-key-SECRET-0004";
pub const OPENAI_KEY_2: &str = "sk-openai-upstream-SECRET-0005";

pub fn env(name: &str) -> Option<String> {
    match name {
        "OPENAI_KEY" => Some(OPENAI_KEY.into()),
        "OPENAI_KEY_2" => Some(OPENAI_KEY_2.into()),
        "ANTHROPIC_KEY" => Some(ANTHROPIC_KEY.into()),
        "GEMINI_KEY" => Some(GEMINI_KEY.into()),
        "GATEWAY_KEY" => Some(GATEWAY_KEY.into()),
        _ => None,
    }
}

pub struct Bench {
    pub openai: Mock,
    pub anthropic: Mock,
    pub gemini: Mock,
    pub addr: SocketAddr,
    pub gw: Arc<aigw::Gateway>,
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    pub server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// The providers section every bench has: the three protocols, a second OpenAI deployment,
/// and three OpenAI-compatible presets pointed at the OpenAI mock.
pub fn providers_toml(openai: &str, anthropic: &str, gemini: &str) -> String {
    format!(
        r#"
[providers.openai]
kind = "openai"
base_url = "{openai}"
api_key_env = "OPENAI_KEY"

[providers.openai-backup]
kind = "openai"
base_url = "{openai}"
api_key_env = "OPENAI_KEY"

[providers.openai-responses]
kind = "openai"
base_url = "{openai}"
api_key_env = "OPENAI_KEY"
api = "responses"

[providers.anthropic]
kind = "anthropic"
base_url = "{anthropic}"
api_key_env = "ANTHROPIC_KEY"

[providers.gemini]
kind = "gemini"
base_url = "{gemini}"
api_key_env = "GEMINI_KEY"

[providers.groq]
kind = "openai-compat"
preset = "groq"
base_url = "{openai}"
api_key_env = "OPENAI_KEY"

[providers.mistral]
kind = "openai-compat"
preset = "mistral"
base_url = "{openai}"
api_key_env = "OPENAI_KEY"

[providers.deepseek]
kind = "openai-compat"
preset = "deepseek"
base_url = "{openai}"
api_key_env = "OPENAI_KEY"

[providers.chat-only]
kind = "openai-compat"
base_url = "{openai}"
api_key_env = "OPENAI_KEY"
quirks = {{ responses_api = false }}
"#
    )
}

pub const BASE_TOML: &str = r#"
[server]
listen = "127.0.0.1:0"
shutdown_grace_secs = 3

[retry]
retries = 2
base_ms = 10
max_ms = 40
max_retry_after_ms = 3000

[timeouts]
connect_ms = 1000
first_byte_ms = 5000
idle_ms = 3000
"#;

impl Bench {
    /// Mocks and a gateway with `BASE_TOML`, the providers, and `extra` (routes, or
    /// sections that override; a `[server]`-free string).
    pub async fn start(extra: &str) -> Bench {
        Self::start_with(BASE_TOML, extra).await
    }

    pub async fn start_with(base: &str, extra: &str) -> Bench {
        let openai = Mock::start_keys(Kind::OpenAi, &[OPENAI_KEY, OPENAI_KEY_2]).await;
        let anthropic = Mock::start(Kind::Anthropic, ANTHROPIC_KEY).await;
        let gemini = Mock::start(Kind::Gemini, GEMINI_KEY).await;
        let toml = format!(
            "{base}{}{extra}",
            providers_toml(
                &openai.base_url(),
                &anthropic.base_url(),
                &gemini.base_url()
            )
        );
        let config =
            aigw::config::parse("bench.toml", &toml, &env, aigw::config::MissingKeys::Error)
                .unwrap_or_else(|e| panic!("bench config: {e}\n{toml}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let gw = Arc::new(aigw::Gateway::new(config));
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(aigw::server::serve(gw.clone(), listener, async move {
            let _ = rx.await;
        }));
        Bench {
            openai,
            anthropic,
            gemini,
            addr,
            gw,
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Starts a graceful shutdown.
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// A streamed answer's whole body (the status must be 200; the body must end).
    pub async fn stream_body(&self, path: &str, body: &serde_json::Value) -> String {
        let r = self.post_json(path, body).await;
        assert_eq!(r.status(), 200);
        r.text().await.expect("the stream ends")
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("authorization", "Bearer caller-key")
            .header("x-api-key", "caller-key")
            .header("anthropic-version", "2023-06-01")
            .json(body)
            .send()
            .await
            .expect("send")
    }

    /// POSTs raw bytes with the given headers.
    pub async fn post_raw(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        let mut r = self.http.post(self.url(path));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.body(body).send().await.expect("send")
    }

    pub async fn metrics(&self) -> String {
        self.http
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text")
    }
}

/// The `data:` payloads of an SSE body, in order.
pub fn sse_data(body: &str) -> Vec<String> {
    let mut d = aigw_sse::Decoder::new();
    d.push(body.as_bytes());
    let mut out = Vec::new();
    while let Some(f) = d.next_frame() {
        if let Some(data) = f.data() {
            out.push(data.into_owned());
        }
    }
    out
}

/// The `event:` names of an SSE body, in order.
pub fn sse_events(body: &str) -> Vec<String> {
    let mut d = aigw_sse::Decoder::new();
    d.push(body.as_bytes());
    let mut out = Vec::new();
    while let Some(f) = d.next_frame() {
        if let Some(e) = f.event() {
            out.push(e.to_owned());
        }
    }
    out
}
