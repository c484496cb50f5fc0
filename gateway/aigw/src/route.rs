//! Routing: a model name → the ordered attempts (provider and upstream model) a request
//! makes: the route's deployments, starting at the next one in weighted round robin, then
//! its fallbacks, each resolved the same way.
//!
//! A name is resolved through aliases, then exact routes, then pattern routes (`*` matches
//! any run of characters) in config order, then `provider/model`, then well-known prefixes
//! (`gpt-`, `claude-`, `gemini-`, `deepseek-`, ...) when a provider of that kind is
//! configured.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::{Config, ProviderKind};
use crate::error::GatewayError;
use crate::upstream::Provider;

/// One attempt: where to send, and the model name the upstream knows.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub provider: Arc<Provider>,
    pub model: String,
    /// The route asks for strict translation.
    pub strict: bool,
}

enum Pattern {
    Exact(String),
    /// The pieces between `*`s.
    Glob(Vec<String>),
}

impl Pattern {
    fn new(p: &str) -> Pattern {
        if p.contains('*') {
            Pattern::Glob(p.split('*').map(str::to_owned).collect())
        } else {
            Pattern::Exact(p.to_owned())
        }
    }

    fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Exact(p) => p == name,
            Pattern::Glob(parts) => glob_match(parts, name),
        }
    }
}

fn glob_match(parts: &[String], name: &str) -> bool {
    let (first, rest) = match parts.split_first() {
        Some(x) => x,
        None => return name.is_empty(),
    };
    let Some(mut remaining) = name.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for part in middle {
        match remaining.find(part.as_str()) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last.as_str())
}

struct CompiledRoute {
    pattern: Pattern,
    /// (provider index, upstream model or `None` for the caller's).
    targets: Vec<(usize, Option<String>)>,
    /// Target indexes, each repeated by its weight.
    schedule: Vec<usize>,
    cursor: AtomicUsize,
    fallbacks: Vec<String>,
    strict: bool,
}

/// Who a well-known prefix belongs to.
#[derive(Clone, Copy)]
enum Owner {
    Kind(ProviderKind),
    Preset(&'static str),
}

/// Well-known model-name prefixes. A prefix ending in a letter or digit matches the name
/// itself or the name followed by `-` (`o3`, `o3-mini`, not `o3x`).
const PREFIXES: &[(&str, Owner)] = &[
    ("gpt-", Owner::Kind(ProviderKind::Openai)),
    ("chatgpt-", Owner::Kind(ProviderKind::Openai)),
    ("o1", Owner::Kind(ProviderKind::Openai)),
    ("o3", Owner::Kind(ProviderKind::Openai)),
    ("o4", Owner::Kind(ProviderKind::Openai)),
    ("codex-", Owner::Kind(ProviderKind::Openai)),
    ("text-embedding-3", Owner::Kind(ProviderKind::Openai)),
    ("text-embedding-ada", Owner::Kind(ProviderKind::Openai)),
    ("omni-moderation", Owner::Kind(ProviderKind::Openai)),
    ("claude-", Owner::Kind(ProviderKind::Anthropic)),
    ("gemini-", Owner::Kind(ProviderKind::Gemini)),
    ("gemma-", Owner::Kind(ProviderKind::Gemini)),
    ("learnlm-", Owner::Kind(ProviderKind::Gemini)),
    ("text-embedding-004", Owner::Kind(ProviderKind::Gemini)),
    ("embedding-001", Owner::Kind(ProviderKind::Gemini)),
    ("deepseek-", Owner::Preset("deepseek")),
    ("mistral-", Owner::Preset("mistral")),
    ("codestral-", Owner::Preset("mistral")),
    ("magistral-", Owner::Preset("mistral")),
    ("ministral-", Owner::Preset("mistral")),
    ("pixtral-", Owner::Preset("mistral")),
    ("devstral-", Owner::Preset("mistral")),
    ("open-mistral-", Owner::Preset("mistral")),
    ("sonar", Owner::Preset("perplexity")),
];

fn prefix_matches(prefix: &str, name: &str) -> bool {
    if prefix.ends_with('-') {
        return name.starts_with(prefix);
    }
    name == prefix
        || name
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// The routing table.
pub struct Router {
    providers: Vec<Arc<Provider>>,
    routes: Vec<CompiledRoute>,
    aliases: HashMap<String, String>,
    prefix_routing: bool,
}

/// Alias chains and fallbacks are followed this deep at most.
const MAX_DEPTH: usize = 8;

impl Router {
    /// Builds the table; providers are in config order.
    pub fn new(config: &Config, providers: Vec<Arc<Provider>>) -> Router {
        let index: HashMap<&str, usize> = providers
            .iter()
            .enumerate()
            .map(|(i, p)| (p.spec.name.as_str(), i))
            .collect();
        let routes = config
            .routes
            .iter()
            .map(|r| {
                let targets: Vec<(usize, Option<String>)> = r
                    .targets
                    .iter()
                    .filter_map(|(p, m, _)| index.get(p.as_str()).map(|&i| (i, m.clone())))
                    .collect();
                let schedule = r
                    .targets
                    .iter()
                    .enumerate()
                    .flat_map(|(i, (_, _, w))| std::iter::repeat_n(i, *w as usize))
                    .collect();
                CompiledRoute {
                    pattern: Pattern::new(&r.model),
                    targets,
                    schedule,
                    cursor: AtomicUsize::new(0),
                    fallbacks: r.fallbacks.clone(),
                    strict: r.strict,
                }
            })
            .collect();
        Router {
            providers,
            routes,
            aliases: config
                .aliases
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            prefix_routing: config.server.prefix_routing,
        }
    }

    /// The configured providers, in config order.
    pub fn providers(&self) -> &[Arc<Provider>] {
        &self.providers
    }

    /// The provider named `name`.
    pub fn provider(&self, name: &str) -> Option<&Arc<Provider>> {
        self.providers.iter().find(|p| p.spec.name == name)
    }

    /// The attempts for `model`, in order.
    pub fn resolve(&self, model: &str) -> Result<Vec<Attempt>, GatewayError> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.resolve_into(model, 0, &mut seen, &mut out);
        if out.is_empty() {
            return Err(GatewayError::UnknownModel(model.to_owned()));
        }
        Ok(out)
    }

    fn resolve_into(
        &self,
        model: &str,
        depth: usize,
        seen: &mut HashSet<String>,
        out: &mut Vec<Attempt>,
    ) {
        if depth > MAX_DEPTH || !seen.insert(model.to_owned()) {
            return;
        }
        let mut name = model;
        for _ in 0..MAX_DEPTH {
            match self.aliases.get(name) {
                Some(target) => name = target,
                None => break,
            }
        }
        if name != model && !seen.insert(name.to_owned()) {
            return;
        }
        let push = |out: &mut Vec<Attempt>, provider: &Arc<Provider>, m: &str, strict: bool| {
            if !out
                .iter()
                .any(|a| Arc::ptr_eq(&a.provider, provider) && a.model == m)
            {
                out.push(Attempt {
                    provider: provider.clone(),
                    model: m.to_owned(),
                    strict,
                });
            }
        };
        if let Some(route) = self.routes.iter().find(|r| r.pattern.matches(name)) {
            let n = route.targets.len();
            let first = if route.schedule.is_empty() {
                0
            } else {
                route.schedule[route.cursor.fetch_add(1, Ordering::Relaxed) % route.schedule.len()]
            };
            for k in 0..n {
                let (pi, upstream) = &route.targets[(first + k) % n];
                push(
                    out,
                    &self.providers[*pi],
                    upstream.as_deref().unwrap_or(name),
                    route.strict,
                );
            }
            for f in &route.fallbacks {
                self.resolve_into(f, depth + 1, seen, out);
            }
            return;
        }
        if let Some((provider, rest)) = name.split_once('/')
            && let Some(p) = self.provider(provider)
            && !rest.is_empty()
        {
            push(out, p, rest, false);
            return;
        }
        if self.prefix_routing
            && let Some(p) = self.by_prefix(name)
        {
            push(out, &p, name, false);
        }
    }

    fn by_prefix(&self, name: &str) -> Option<Arc<Provider>> {
        let (_, owner) = PREFIXES.iter().find(|(p, _)| prefix_matches(p, name))?;
        self.providers
            .iter()
            .find(|p| match owner {
                Owner::Kind(k) => p.spec.kind == *k,
                Owner::Preset(name) => p.spec.preset.as_deref() == Some(*name),
            })
            .cloned()
    }

    /// Whether routing `id` (a model an upstream listed) by itself reaches `provider`.
    pub fn routes_to(&self, id: &str, provider: &Provider) -> bool {
        let mut out = Vec::new();
        self.resolve_into(id, 0, &mut HashSet::new(), &mut out);
        out.first()
            .is_some_and(|a| a.provider.spec.name == provider.spec.name && a.model == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{MissingKeys, parse};

    fn router(toml: &str) -> Router {
        let config =
            parse("t.toml", toml, &|_| Some("k".into()), MissingKeys::Error).expect("config");
        let providers = config
            .providers
            .iter()
            .map(|p| Arc::new(Provider::new(p.clone())))
            .collect();
        Router::new(&config, providers)
    }

    fn plan(r: &Router, model: &str) -> Vec<String> {
        r.resolve(model)
            .map(|a| {
                a.iter()
                    .map(|a| format!("{}:{}", a.provider.spec.name, a.model))
                    .collect()
            })
            .unwrap_or_else(|e| vec![e.to_string()])
    }

    const PROVIDERS: &str = r#"
[providers.openai]
kind = "openai"
api_key_env = "K"
[providers.claude]
kind = "anthropic"
api_key_env = "K"
[providers.groq]
kind = "openai-compat"
preset = "groq"
api_key_env = "K"
"#;

    #[test]
    fn prefixes_and_provider_slash_model() {
        let r = router(PROVIDERS);
        assert_eq!(plan(&r, "gpt-4o"), ["openai:gpt-4o"]);
        assert_eq!(plan(&r, "o3"), ["openai:o3"]);
        assert_eq!(plan(&r, "o3-mini"), ["openai:o3-mini"]);
        assert!(plan(&r, "o3x")[0].contains("does not exist"));
        assert_eq!(plan(&r, "claude-sonnet-4-5"), ["claude:claude-sonnet-4-5"]);
        assert_eq!(
            plan(&r, "groq/meta-llama/llama-4"),
            ["groq:meta-llama/llama-4"]
        );
        assert!(
            plan(&r, "gemini-2.5-pro")[0].contains("does not exist"),
            "no gemini provider"
        );
        assert!(plan(&r, "nobody/x")[0].contains("does not exist"));
    }

    #[test]
    fn routes_rotate_by_weight_then_fall_back() {
        let r = router(&format!(
            "{PROVIDERS}
[[routes]]
model = \"fast\"
targets = [{{ provider = \"groq\", model = \"llama\", weight = 2 }}, {{ provider = \"openai\", model = \"gpt-4o-mini\" }}]
fallbacks = [\"smart\", \"fast\"]

[[routes]]
model = \"team-*-model\"
provider = \"claude\"
upstream_model = \"claude-haiku\"

[aliases]
smart = \"claude-opus-4\"
quick = \"fast\"
"
        ));
        let plans: Vec<Vec<String>> = (0..3).map(|_| plan(&r, "quick")).collect();
        assert_eq!(
            plans[0],
            ["groq:llama", "openai:gpt-4o-mini", "claude:claude-opus-4"]
        );
        assert_eq!(plans[1], plans[0], "weight 2: the first target twice");
        assert_eq!(
            plans[2],
            ["openai:gpt-4o-mini", "groq:llama", "claude:claude-opus-4"]
        );
        assert_eq!(plan(&r, "team-a-model"), ["claude:claude-haiku"]);
        assert!(plan(&r, "team-a-modelx")[0].contains("does not exist"));
    }

    #[test]
    fn globs() {
        let g = |p: &str, n: &str| Pattern::new(p).matches(n);
        assert!(g("*", "anything"));
        assert!(g("a*", "a"));
        assert!(g("a*b*c", "aXbYc"));
        assert!(!g("a*b*c", "aXcYb"));
        assert!(g("*-mini", "gpt-4o-mini"));
        assert!(!g("ab*ba", "aba"));
    }
}
