//! Configuration: one TOML file, or the embedded default when there is none.
//!
//! Secrets never sit in the file: a provider names the environment variables that hold its
//! keys, and they are read into [`SecretString`]s when the config is resolved. Errors name
//! the file, the line and the field ([`ConfigError`]).
//!
//! ```toml
//! [server]
//! listen = "127.0.0.1:8080"
//! gateway_keys_env = ["AIGW_KEY"]          # optional: callers must present one of these
//!
//! [providers.openai]
//! kind = "openai"
//! api_key_env = "OPENAI_API_KEY"
//!
//! [providers.groq]
//! kind = "openai-compat"
//! preset = "groq"                          # base URL, key variable and quirks
//! quirks = { vision = false }              # override any quirk
//!
//! [[routes]]
//! model = "fast"
//! targets = [{ provider = "groq", model = "llama-3.1-8b-instant" }]
//! fallbacks = ["gpt-4o-mini"]
//!
//! [aliases]
//! smart = "claude-sonnet-4-5"
//! ```

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aigw_openai_compat::{Quirks, preset};
use secrecy::SecretString;
use serde::Deserialize;
use toml::Spanned;

/// The kind of upstream: which protocol it speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    Openai,
    Anthropic,
    Gemini,
    OpenaiCompat,
}

impl ProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Openai => "openai",
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::Gemini => "gemini",
            ProviderKind::OpenaiCompat => "openai-compat",
        }
    }
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub server: ServerConfig,
    #[serde(default)]
    pub timeouts: TimeoutsConfig,
    #[serde(default)]
    pub retry: RetryConfig,
    #[serde(default)]
    pub providers: indexmap::IndexMap<String, ProviderConfig>,
    #[serde(default)]
    pub routes: Vec<RouteConfig>,
    #[serde(default)]
    pub aliases: BTreeMap<String, Spanned<String>>,
}

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: String,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Environment variables holding gateway keys; when any is set, callers must present
    /// one (where their protocol puts its key).
    pub gateway_keys_env: Vec<Spanned<String>>,
    /// How long running requests and streams may go on after a shutdown signal.
    pub shutdown_grace_secs: u64,
    /// Route well-known model prefixes (`gpt-`, `claude-`, `gemini-`, ...) to the first
    /// provider of their kind.
    pub prefix_routing: bool,
    /// After each request event, keep polling the sockets this long (microseconds) before
    /// sleeping: trades CPU for latency when a core would otherwise idle between the
    /// request and the upstream's answer (0, the default, never spins). See the load
    /// benchmark in CONTRIBUTING.
    pub busy_poll_us: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            body_limit_bytes: 32 * 1024 * 1024,
            gateway_keys_env: Vec::new(),
            shutdown_grace_secs: 30,
            prefix_routing: true,
            busy_poll_us: 0,
        }
    }
}

/// `[timeouts]` (milliseconds), also per provider.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct TimeoutsConfig {
    /// Connecting to the upstream (TCP and TLS).
    pub connect_ms: u64,
    /// From sending the request to the upstream's response headers.
    pub first_byte_ms: u64,
    /// Longest gap between two body chunks (stream events) of the upstream's response.
    pub idle_ms: u64,
}

impl Default for TimeoutsConfig {
    fn default() -> Self {
        Self {
            connect_ms: 10_000,
            first_byte_ms: 600_000,
            idle_ms: 300_000,
        }
    }
}

impl TimeoutsConfig {
    pub fn connect(&self) -> Duration {
        Duration::from_millis(self.connect_ms)
    }
    pub fn first_byte(&self) -> Duration {
        Duration::from_millis(self.first_byte_ms)
    }
    pub fn idle(&self) -> Duration {
        Duration::from_millis(self.idle_ms)
    }
}

/// `[retry]`: retries of one upstream on connect errors, timeouts before the first byte,
/// 429 and 5xx, with jittered exponential backoff; then the route's next target.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    /// Retries after the first attempt, per target.
    pub retries: u32,
    /// First backoff, doubled each retry.
    pub base_ms: u64,
    /// Largest backoff.
    pub max_ms: u64,
    /// A `Retry-After` longer than this is not waited for: the next target is tried.
    pub max_retry_after_ms: u64,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            retries: 2,
            base_ms: 250,
            max_ms: 8_000,
            max_retry_after_ms: 30_000,
        }
    }
}

/// Which OpenAI API an OpenAI-protocol provider is called with for generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpenAiApi {
    /// Chat Completions: Chat callers pass through; Responses callers pass through too
    /// (unless the quirks say the provider has no Responses API).
    #[default]
    Chat,
    /// The Responses API, for models served only there: Chat Completions, Messages and
    /// Gemini callers are translated to it; Responses callers pass through.
    Responses,
}

/// `[providers.NAME]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub kind: Spanned<ProviderKind>,
    /// For `openai-compat`: a preset name (`groq`, `together`, ...).
    pub preset: Option<Spanned<String>>,
    pub base_url: Option<Spanned<String>>,
    /// The environment variable holding the key.
    pub api_key_env: Option<Spanned<String>>,
    /// Several keys, used in turn.
    #[serde(default)]
    pub api_keys_env: Vec<Spanned<String>>,
    /// Use the caller's own key (from where its protocol puts it) when this provider has
    /// none. Only without gateway keys.
    #[serde(default)]
    pub forward_client_key: bool,
    /// Quirk overrides (fields of `aigw_openai_compat::Quirks`).
    pub quirks: Option<Spanned<toml::Table>>,
    /// `openai` and `openai-compat` providers: `"responses"` sends every caller's
    /// generation requests to the Responses API (default `"chat"`).
    pub api: Option<Spanned<OpenAiApi>>,
    pub timeouts: Option<TimeoutsConfig>,
    /// Extra headers sent to this provider (e.g. OpenRouter's `HTTP-Referer`).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

/// `[[routes]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    /// The model name callers use; `*` matches any run of characters.
    pub model: Spanned<String>,
    /// Shorthand for one target.
    pub provider: Option<Spanned<String>>,
    /// With `provider`: the upstream's name for the model (default: the caller's).
    pub upstream_model: Option<String>,
    /// Deployments, used in turn (weighted round robin); each a provider and a model.
    #[serde(default)]
    pub targets: Vec<TargetConfig>,
    /// Model names tried, through routing, when every target failed.
    #[serde(default)]
    pub fallbacks: Vec<Spanned<String>>,
    /// Cross-protocol translation refuses (400) instead of reporting a lost field.
    #[serde(default)]
    pub strict: bool,
}

/// One deployment of a route.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    pub provider: Spanned<String>,
    pub model: Option<String>,
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

/// A configuration error, naming where.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    At {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// A resolved provider.
#[derive(Debug, Clone)]
pub struct ProviderSpec {
    pub name: String,
    pub kind: ProviderKind,
    /// For compat providers: the preset used, if any.
    pub preset: Option<String>,
    /// Without a trailing `/`.
    pub base_url: String,
    pub keys: Vec<SecretString>,
    pub forward_client_key: bool,
    /// Compat providers only.
    pub quirks: Option<Quirks>,
    /// OpenAI-protocol providers: the API generation requests go to.
    pub api: OpenAiApi,
    pub timeouts: TimeoutsConfig,
    pub headers: Vec<(String, String)>,
}

/// A resolved route.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub model: String,
    /// (provider name, upstream model or `None` for the caller's, weight).
    pub targets: Vec<(String, Option<String>, u32)>,
    pub fallbacks: Vec<String>,
    pub strict: bool,
}

/// The whole resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it came from (a path, or "embedded default").
    pub source: String,
    pub server: ServerConfig,
    pub retry: RetryConfig,
    pub gateway_keys: Vec<SecretString>,
    pub providers: Vec<ProviderSpec>,
    pub routes: Vec<RouteSpec>,
    pub aliases: BTreeMap<String, String>,
    /// What resolving noticed that is not an error (a key variable not set, ...).
    pub warnings: Vec<String>,
}

/// How resolving treats a key variable that is not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKeys {
    /// An error (serving).
    Error,
    /// A warning (`aigw config check` on a machine without the secrets).
    Warn,
}

struct Src<'a> {
    file: &'a str,
    text: &'a str,
}

impl Src<'_> {
    fn at(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        let before = &self.text[..span.start.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        ConfigError::At {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// Reads and resolves the config file at `path`.
pub fn load_file(
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    missing: MissingKeys,
) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&path.display().to_string(), &text, env, missing)
}

/// Parses and resolves config text; `file` names it in errors.
pub fn parse(
    file: &str,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
    missing: MissingKeys,
) -> Result<Config, ConfigError> {
    let src = Src { file, text };
    let raw: FileConfig = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => src.at(span, e.message().to_owned()),
        None => ConfigError::File {
            file: file.to_owned(),
            message: e.message().to_owned(),
        },
    })?;
    resolve(&src, raw, env, missing)
}

fn secret_from(
    src: &Src,
    var: &Spanned<String>,
    env: &dyn Fn(&str) -> Option<String>,
    missing: MissingKeys,
    warnings: &mut Vec<String>,
    what: &str,
) -> Result<Option<SecretString>, ConfigError> {
    match env(var.get_ref()).filter(|v| !v.is_empty()) {
        Some(v) => Ok(Some(SecretString::from(v))),
        None => {
            let message = format!("{what}: environment variable {} is not set", var.get_ref());
            match missing {
                MissingKeys::Error => Err(src.at(var.span(), message)),
                MissingKeys::Warn => {
                    warnings.push(message);
                    Ok(None)
                }
            }
        }
    }
}

fn resolve(
    src: &Src,
    raw: FileConfig,
    env: &dyn Fn(&str) -> Option<String>,
    missing: MissingKeys,
) -> Result<Config, ConfigError> {
    let mut warnings = Vec::new();
    if raw.server.listen.parse::<std::net::SocketAddr>().is_err() {
        return Err(ConfigError::File {
            file: src.file.to_owned(),
            message: format!(
                "server.listen: {:?} is not an address such as 127.0.0.1:8080",
                raw.server.listen
            ),
        });
    }
    let mut gateway_keys = Vec::new();
    for var in &raw.server.gateway_keys_env {
        if let Some(k) = secret_from(src, var, env, missing, &mut warnings, "gateway key")? {
            gateway_keys.push(k);
        }
    }

    let mut providers = Vec::new();
    for (name, p) in &raw.providers {
        let kind = *p.kind.get_ref();
        let what = format!("providers.{name}");
        if name.contains('/') {
            return Err(src.at(
                p.kind.span(),
                format!("{what}: a provider name cannot contain `/`"),
            ));
        }
        let preset = match (&p.preset, kind) {
            (Some(pr), ProviderKind::OpenaiCompat) => {
                Some(preset(pr.get_ref()).ok_or_else(|| {
                    src.at(
                        pr.span(),
                        format!(
                            "{what}.preset: unknown preset {:?} (known: {})",
                            pr.get_ref(),
                            aigw_openai_compat::PRESETS.join(", ")
                        ),
                    )
                })?)
            }
            (Some(pr), _) => {
                return Err(src.at(
                    pr.span(),
                    format!("{what}.preset: presets are for kind = \"openai-compat\""),
                ));
            }
            (None, _) => None,
        };
        let base_url = match (&p.base_url, kind, &preset) {
            (Some(u), _, _) => {
                let url = u.get_ref().trim_end_matches('/').to_owned();
                if !(url.starts_with("http://") || url.starts_with("https://"))
                    || reqwest::Url::parse(&url).is_err()
                {
                    return Err(src.at(
                        u.span(),
                        format!("{what}.base_url: {url:?} is not an http(s) URL"),
                    ));
                }
                url
            }
            (None, ProviderKind::Openai, _) => "https://api.openai.com/v1".into(),
            (None, ProviderKind::Anthropic, _) => "https://api.anthropic.com".into(),
            (None, ProviderKind::Gemini, _) => "https://generativelanguage.googleapis.com".into(),
            (None, ProviderKind::OpenaiCompat, Some(pr)) => pr.base_url.to_owned(),
            (None, ProviderKind::OpenaiCompat, None) => {
                return Err(src.at(
                    p.kind.span(),
                    format!("{what}: an openai-compat provider needs `base_url` or `preset`"),
                ));
            }
        };
        let mut keys = Vec::new();
        for var in p.api_key_env.iter().chain(&p.api_keys_env) {
            if let Some(k) = secret_from(src, var, env, missing, &mut warnings, &what)? {
                keys.push(k);
            }
        }
        if p.forward_client_key && !raw.server.gateway_keys_env.is_empty() {
            return Err(src.at(
                p.kind.span(),
                format!(
                    "{what}.forward_client_key: cannot be used with server.gateway_keys_env (callers present the gateway key, not an upstream key)"
                ),
            ));
        }
        let quirks = match kind {
            ProviderKind::OpenaiCompat => {
                let base = preset
                    .as_ref()
                    .map(|p| p.quirks.clone())
                    .unwrap_or_default();
                Some(match &p.quirks {
                    Some(table) => {
                        let overrides = serde_json::to_value(table.get_ref())
                            .ok()
                            .and_then(|v| v.as_object().cloned())
                            .unwrap_or_default();
                        base.with_overrides(&overrides)
                            .map_err(|e| src.at(table.span(), format!("{what}.quirks: {e}")))?
                    }
                    None => base,
                })
            }
            _ => {
                if let Some(q) = &p.quirks {
                    return Err(src.at(
                        q.span(),
                        format!("{what}.quirks: quirks are for kind = \"openai-compat\""),
                    ));
                }
                None
            }
        };
        let api = match &p.api {
            None => OpenAiApi::Chat,
            Some(a) if matches!(kind, ProviderKind::Openai | ProviderKind::OpenaiCompat) => {
                if *a.get_ref() == OpenAiApi::Responses
                    && quirks.as_ref().is_some_and(|q| !q.responses_api)
                {
                    return Err(src.at(
                        a.span(),
                        format!("{what}.api: \"responses\" with quirks.responses_api = false"),
                    ));
                }
                *a.get_ref()
            }
            Some(a) => {
                return Err(src.at(
                    a.span(),
                    format!("{what}.api: for kind = \"openai\" or \"openai-compat\""),
                ));
            }
        };
        providers.push(ProviderSpec {
            name: name.clone(),
            kind,
            preset: preset.map(|p| p.name.to_owned()),
            base_url,
            keys,
            forward_client_key: p.forward_client_key,
            quirks,
            api,
            timeouts: p.timeouts.unwrap_or(raw.timeouts),
            headers: p
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        });
    }
    let known = |name: &Spanned<String>, field: &str| -> Result<(), ConfigError> {
        if raw.providers.contains_key(name.get_ref()) {
            Ok(())
        } else {
            Err(src.at(
                name.span(),
                format!(
                    "{field}: no provider named {:?} (configured: {})",
                    name.get_ref(),
                    raw.providers.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ))
        }
    };
    let mut routes = Vec::new();
    for (i, r) in raw.routes.iter().enumerate() {
        let field = format!("routes[{i}]");
        let mut targets = Vec::new();
        if let Some(p) = &r.provider {
            known(p, &format!("{field}.provider"))?;
            targets.push((p.get_ref().clone(), r.upstream_model.clone(), 1));
        }
        for (j, t) in r.targets.iter().enumerate() {
            known(&t.provider, &format!("{field}.targets[{j}].provider"))?;
            if t.weight == 0 {
                return Err(src.at(
                    t.provider.span(),
                    format!("{field}.targets[{j}].weight: must be at least 1"),
                ));
            }
            targets.push((t.provider.get_ref().clone(), t.model.clone(), t.weight));
        }
        if targets.is_empty() {
            return Err(src.at(
                r.model.span(),
                format!("{field}: a route needs `provider` or `targets`"),
            ));
        }
        routes.push(RouteSpec {
            model: r.model.get_ref().clone(),
            targets,
            fallbacks: r.fallbacks.iter().map(|f| f.get_ref().clone()).collect(),
            strict: r.strict,
        });
    }
    Ok(Config {
        source: src.file.to_owned(),
        server: raw.server.clone(),
        retry: raw.retry,
        gateway_keys,
        providers,
        routes,
        aliases: raw
            .aliases
            .into_iter()
            .map(|(k, v)| (k, v.into_inner()))
            .collect(),
        warnings,
    })
}

/// The providers the embedded default knows: (name, kind, preset, key variable, default
/// base URL). Each is enabled when its key variable is set, or, for local servers, when
/// `AIGW_<NAME>_BASE_URL` is.
const DEFAULT_PROVIDERS: &[(&str, ProviderKind, Option<&str>, &str)] = &[
    ("openai", ProviderKind::Openai, None, "OPENAI_API_KEY"),
    (
        "anthropic",
        ProviderKind::Anthropic,
        None,
        "ANTHROPIC_API_KEY",
    ),
    ("gemini", ProviderKind::Gemini, None, "GEMINI_API_KEY"),
];

/// The embedded default: listen on loopback (`AIGW_LISTEN` overrides), enable each provider
/// whose key variable is set (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `GEMINI_API_KEY`, and
/// each preset's, e.g. `GROQ_API_KEY`; local servers by `AIGW_VLLM_BASE_URL` etc.),
/// `AIGW_<NAME>_BASE_URL` overriding a provider's base URL; route by `provider/model` and
/// well-known model prefixes.
pub fn embedded_default(env: &dyn Fn(&str) -> Option<String>) -> Config {
    let set = |var: &str| env(var).filter(|v| !v.is_empty());
    let mut providers = Vec::new();
    let mut add = |name: &str, kind: ProviderKind, preset_name: Option<&str>, key_env: &str| {
        let base_override = set(&format!("AIGW_{}_BASE_URL", name.to_uppercase()));
        let key = set(key_env);
        let preset = preset_name.and_then(preset);
        let key_required = preset.as_ref().is_none_or(|p| p.key_required);
        let enabled = key.is_some() || (!key_required && base_override.is_some());
        if !enabled {
            return;
        }
        let base_url = base_override
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| match (kind, &preset) {
                (ProviderKind::Openai, _) => "https://api.openai.com/v1".into(),
                (ProviderKind::Anthropic, _) => "https://api.anthropic.com".into(),
                (ProviderKind::Gemini, _) => "https://generativelanguage.googleapis.com".into(),
                (ProviderKind::OpenaiCompat, Some(p)) => p.base_url.to_owned(),
                (ProviderKind::OpenaiCompat, None) => String::new(),
            });
        providers.push(ProviderSpec {
            name: name.to_owned(),
            kind,
            preset: preset.as_ref().map(|p| p.name.to_owned()),
            base_url,
            keys: key.map(SecretString::from).into_iter().collect(),
            forward_client_key: false,
            quirks: preset.map(|p| p.quirks),
            api: OpenAiApi::Chat,
            timeouts: TimeoutsConfig::default(),
            headers: Vec::new(),
        });
    };
    for (name, kind, preset_name, key_env) in DEFAULT_PROVIDERS {
        add(name, *kind, *preset_name, key_env);
    }
    for name in aigw_openai_compat::PRESETS {
        if let Some(p) = preset(name) {
            add(name, ProviderKind::OpenaiCompat, Some(name), p.key_env);
        }
    }
    let server = ServerConfig {
        listen: set("AIGW_LISTEN").unwrap_or_else(|| ServerConfig::default().listen),
        ..ServerConfig::default()
    };
    Config {
        source: "embedded default".into(),
        server,
        retry: RetryConfig::default(),
        gateway_keys: set("AIGW_GATEWAY_KEY")
            .map(SecretString::from)
            .into_iter()
            .collect(),
        providers,
        routes: Vec::new(),
        aliases: BTreeMap::new(),
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    fn err(text: &str) -> String {
        parse(
            "gw.toml",
            text,
            &env(&[("K", "secret")]),
            MissingKeys::Error,
        )
        .expect_err("error")
        .to_string()
    }

    #[test]
    fn a_full_config_resolves() {
        let c = parse(
            "gw.toml",
            r#"
[server]
listen = "127.0.0.1:9999"
gateway_keys_env = ["GW"]

[providers.openai]
kind = "openai"
api_keys_env = ["K", "K2"]

[providers.groq]
kind = "openai-compat"
preset = "groq"
api_key_env = "K"
quirks = { vision = false }

[[routes]]
model = "fast"
targets = [{ provider = "groq", model = "llama", weight = 3 }, { provider = "openai" }]
fallbacks = ["gpt-4o-mini"]

[aliases]
quick = "fast"
"#,
            &env(&[("K", "k1"), ("K2", "k2"), ("GW", "gw")]),
            MissingKeys::Error,
        )
        .expect("config");
        assert_eq!(c.server.listen, "127.0.0.1:9999");
        assert_eq!(c.gateway_keys[0].expose_secret(), "gw");
        assert_eq!(c.providers[0].keys.len(), 2);
        assert_eq!(c.providers[0].base_url, "https://api.openai.com/v1");
        assert_eq!(c.providers[1].base_url, "https://api.groq.com/openai/v1");
        let q = c.providers[1].quirks.as_ref().expect("quirks");
        assert!(!q.vision);
        assert!(!q.message_name, "the preset's other quirks stay");
        assert_eq!(
            c.routes[0].targets[0],
            ("groq".into(), Some("llama".into()), 3)
        );
        assert_eq!(c.aliases["quick"], "fast");
        // Keys never show in Debug.
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("k1") && !debug.contains("\"gw\""),
            "{debug}"
        );
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = err("[server]\nlisten = \"127.0.0.1:1\"\nbogus = 1\n");
        assert!(e.starts_with("gw.toml:3:1: unknown field `bogus`"), "{e}");
        let e = err(
            "[providers.x]\nkind = \"openai\"\n\n[[routes]]\nmodel = \"m\"\nprovider = \"y\"\n",
        );
        assert!(
            e.starts_with("gw.toml:6:12: routes[0].provider: no provider named \"y\""),
            "{e}"
        );
        let e = err("[providers.x]\nkind = \"nope\"\n");
        assert!(e.starts_with("gw.toml:2:8: unknown variant `nope`"), "{e}");
        let e = err("[providers.x]\nkind = \"openai-compat\"\npreset = \"grok\"\n");
        assert!(
            e.starts_with("gw.toml:3:10: providers.x.preset: unknown preset \"grok\""),
            "{e}"
        );
        let e = err("[providers.x]\nkind = \"openai\"\napi_key_env = \"MISSING\"\n");
        assert!(
            e.starts_with("gw.toml:3:15: providers.x: environment variable MISSING is not set"),
            "{e}"
        );
        let e = err(
            "[providers.x]\nkind = \"openai-compat\"\npreset = \"groq\"\nquirks = { visoin = true }\n",
        );
        assert!(e.contains("gw.toml:4:") && e.contains("visoin"), "{e}");
        let e = err("[[routes]]\nmodel = \"m\"\n");
        assert!(
            e.starts_with("gw.toml:2:9: routes[0]: a route needs"),
            "{e}"
        );
        let e = err("[server]\nlisten = \"nowhere\"\n");
        assert!(e.contains("server.listen"), "{e}");
        let e = err("[providers.x]\nkind = \"openai\"\nbase_url = \"ftp://x\"\n");
        assert!(e.contains("gw.toml:3:12: providers.x.base_url"), "{e}");
        let e = err("not toml at all [");
        assert!(e.starts_with("gw.toml:1:"), "{e}");
    }

    #[test]
    fn missing_keys_warn_when_asked() {
        let c = parse(
            "gw.toml",
            "[providers.x]\nkind = \"openai\"\napi_key_env = \"MISSING\"\n",
            &env(&[]),
            MissingKeys::Warn,
        )
        .expect("config");
        assert_eq!(
            c.warnings,
            ["providers.x: environment variable MISSING is not set"]
        );
    }

    #[test]
    fn the_embedded_default_enables_what_has_a_key() {
        let c = embedded_default(&env(&[
            ("OPENAI_API_KEY", "o"),
            ("GROQ_API_KEY", "g"),
            ("AIGW_OLLAMA_BASE_URL", "http://127.0.0.1:1/v1/"),
            ("AIGW_ANTHROPIC_BASE_URL", "http://127.0.0.1:2"),
        ]));
        let names: Vec<&str> = c.providers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["openai", "groq", "ollama"]);
        assert_eq!(c.providers[2].base_url, "http://127.0.0.1:1/v1");
        assert!(c.providers[2].keys.is_empty());
        assert_eq!(c.server.listen, "127.0.0.1:8080");
        assert!(embedded_default(&env(&[])).providers.is_empty());
    }
}
