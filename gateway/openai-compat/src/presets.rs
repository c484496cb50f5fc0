//! The presets: one [`Quirks`] per known OpenAI-compatible provider, each citing the public
//! documentation it follows. Where a provider's docs are silent the preset keeps OpenAI's
//! behaviour, so the provider's own error reaches the caller rather than the gateway
//! guessing; a config file overrides any field.

use crate::{MaxTokensField, Quirks, strings};

/// A known provider: where it listens, which environment variable holds its key, what it
/// supports, and the documentation that says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub name: &'static str,
    /// The OpenAI-compatible API's base URL (paths such as `/chat/completions` follow).
    pub base_url: &'static str,
    /// The environment variable conventionally holding the key.
    pub key_env: &'static str,
    /// Whether the provider needs a key (local servers do not).
    pub key_required: bool,
    /// Public documentation pages the quirks follow.
    pub docs: &'static [&'static str],
    pub quirks: Quirks,
}

/// The names of every preset.
pub const PRESETS: &[&str] = &[
    "groq",
    "together",
    "vllm",
    "fireworks",
    "perplexity",
    "lmstudio",
    "mistral",
    "deepseek",
    "openrouter",
    "ollama",
];

/// The preset named `name`.
pub fn preset(name: &str) -> Option<Preset> {
    let openai = Quirks::default();
    let p = match name {
        // https://console.groq.com/docs/openai: 400 for logprobs, logit_bias, top_logprobs
        // and messages[].name; n must be 1. https://console.groq.com/docs/responses-api:
        // Responses API (beta). https://console.groq.com/docs/reasoning: `reasoning_effort`,
        // reasoning text in `message.reasoning`. Embeddings: no model documented.
        "groq" => Preset {
            name: "groq",
            base_url: "https://api.groq.com/openai/v1",
            key_env: "GROQ_API_KEY",
            key_required: true,
            docs: &[
                "https://console.groq.com/docs/openai",
                "https://console.groq.com/docs/responses-api",
                "https://console.groq.com/docs/reasoning",
                "https://console.groq.com/docs/structured-outputs",
            ],
            quirks: Quirks {
                embeddings: false,
                message_name: false,
                n: false,
                reasoning_output: Some("reasoning".into()),
                unsupported_fields: strings(&["logprobs", "top_logprobs", "logit_bias"]),
                ..openai.clone()
            },
        },
        // https://docs.together.ai/docs/inference/openai-compatibility; max_tokens only,
        // no developer role, no parallel_tool_calls in its spec;
        // https://docs.together.ai/docs/inference/chat/reasoning: `reasoning` field.
        "together" => Preset {
            name: "together",
            base_url: "https://api.together.xyz/v1",
            key_env: "TOGETHER_API_KEY",
            key_required: true,
            docs: &[
                "https://docs.together.ai/docs/inference/openai-compatibility",
                "https://docs.together.ai/docs/inference/responses",
                "https://docs.together.ai/docs/inference/chat/reasoning",
            ],
            quirks: Quirks {
                max_tokens_field: MaxTokensField::MaxTokens,
                developer_role: false,
                parallel_tool_calls: false,
                stream_options: false,
                reasoning_output: Some("reasoning".into()),
                ..openai.clone()
            },
        },
        // https://docs.vllm.ai/en/stable/serving/openai_compatible_server/: chat, responses,
        // embeddings; unknown fields ignored; https://docs.vllm.ai/en/latest/features/tool_calling/
        // (auto tool choice needs server flags); reasoning text in `reasoning`.
        "vllm" => Preset {
            name: "vllm",
            base_url: "http://localhost:8000/v1",
            key_env: "VLLM_API_KEY",
            key_required: false,
            docs: &[
                "https://docs.vllm.ai/en/stable/serving/openai_compatible_server/",
                "https://docs.vllm.ai/en/latest/features/tool_calling/",
                "https://docs.vllm.ai/en/latest/features/reasoning_outputs/",
            ],
            quirks: Quirks {
                developer_role: false,
                reasoning_output: Some("reasoning".into()),
                ..openai.clone()
            },
        },
        // https://docs.fireworks.ai/tools-sdks/openai-compatibility: usage always in the last
        // stream chunk (no stream_options); max_completion_tokens is an alias of max_tokens;
        // https://docs.fireworks.ai/guides/reasoning: `reasoning_content`.
        "fireworks" => Preset {
            name: "fireworks",
            base_url: "https://api.fireworks.ai/inference/v1",
            key_env: "FIREWORKS_API_KEY",
            key_required: true,
            docs: &[
                "https://docs.fireworks.ai/tools-sdks/openai-compatibility",
                "https://docs.fireworks.ai/guides/response-api",
                "https://docs.fireworks.ai/guides/reasoning",
            ],
            quirks: Quirks {
                stream_options: false,
                max_tokens_field: MaxTokensField::MaxTokens,
                developer_role: false,
                reasoning_output: Some("reasoning_content".into()),
                ..openai.clone()
            },
        },
        // https://docs.perplexity.ai/docs/sonar/openai-compatibility: base URL without /v1;
        // https://docs.perplexity.ai/guides/structured-outputs: json_schema, no json_object;
        // no named tool_choice; max_tokens only; embeddings are int8 base64 by default.
        "perplexity" => Preset {
            name: "perplexity",
            base_url: "https://api.perplexity.ai",
            key_env: "PERPLEXITY_API_KEY",
            key_required: true,
            docs: &[
                "https://docs.perplexity.ai/docs/sonar/openai-compatibility",
                "https://docs.perplexity.ai/guides/chat-completions-guide",
                "https://docs.perplexity.ai/guides/structured-outputs",
            ],
            quirks: Quirks {
                responses_api: false,
                embeddings: false,
                stream_options: false,
                tool_choice: strings(&["auto", "none", "required"]),
                max_tokens_field: MaxTokensField::MaxTokens,
                developer_role: false,
                message_name: false,
                json_object: false,
                n: false,
                unsupported_fields: strings(&["logit_bias", "logprobs", "top_logprobs"]),
                ..openai.clone()
            },
        },
        // https://lmstudio.ai/docs/developer/openai-compat/chat-completions: max_tokens;
        // https://lmstudio.ai/docs/developer/api-changelog: tools (auto/none/required),
        // stream_options (0.3.18), responses (0.3.29), reasoning in `reasoning`.
        "lmstudio" => Preset {
            name: "lmstudio",
            base_url: "http://localhost:1234/v1",
            key_env: "LM_API_TOKEN",
            key_required: false,
            docs: &[
                "https://lmstudio.ai/docs/developer/openai-compat/chat-completions",
                "https://lmstudio.ai/docs/developer/api-changelog",
                "https://lmstudio.ai/docs/developer/openai-compat/structured-output",
            ],
            quirks: Quirks {
                tool_choice: strings(&["auto", "none", "required"]),
                max_tokens_field: MaxTokensField::MaxTokens,
                developer_role: false,
                json_object: false,
                n: false,
                reasoning_output: Some("reasoning".into()),
                ..openai.clone()
            },
        },
        // https://docs.mistral.ai/api/ (its OpenAPI, mistralai/platform-docs-public): unknown
        // fields are a 422 (`extra_forbidden`), `random_seed` for `seed`, `max_tokens`, no
        // developer role, no `messages[].name`, tool_choice also takes `any`.
        "mistral" => Preset {
            name: "mistral",
            base_url: "https://api.mistral.ai/v1",
            key_env: "MISTRAL_API_KEY",
            key_required: true,
            docs: &[
                "https://docs.mistral.ai/api/",
                "https://docs.mistral.ai/capabilities/function_calling/",
                "https://docs.mistral.ai/capabilities/structured-output/",
            ],
            quirks: Quirks {
                stream_options: false,
                tool_choice: strings(&["auto", "none", "required", "any", "named"]),
                max_tokens_field: MaxTokensField::MaxTokens,
                developer_role: false,
                message_name: false,
                seed_field: Some("random_seed".into()),
                accepted_fields: Some(strings(&[
                    "model",
                    "temperature",
                    "top_p",
                    "max_tokens",
                    "stream",
                    "stop",
                    "random_seed",
                    "metadata",
                    "messages",
                    "response_format",
                    "tools",
                    "tool_choice",
                    "presence_penalty",
                    "frequency_penalty",
                    "n",
                    "prediction",
                    "parallel_tool_calls",
                    "prompt_mode",
                    "reasoning_effort",
                    "guardrails",
                    "prompt_cache_key",
                    "safe_prompt",
                ])),
                ..openai.clone()
            },
        },
        // https://api-docs.deepseek.com/: no vision, json_object only
        // (https://api-docs.deepseek.com/guides/json_mode), `reasoning_content`
        // (https://api-docs.deepseek.com/guides/thinking_mode), no embeddings, max_tokens.
        "deepseek" => Preset {
            name: "deepseek",
            base_url: "https://api.deepseek.com/v1",
            key_env: "DEEPSEEK_API_KEY",
            key_required: true,
            docs: &[
                "https://api-docs.deepseek.com/",
                "https://api-docs.deepseek.com/guides/thinking_mode",
                "https://api-docs.deepseek.com/guides/json_mode",
                "https://api-docs.deepseek.com/guides/responses_api",
            ],
            quirks: Quirks {
                embeddings: false,
                vision: false,
                max_tokens_field: MaxTokensField::MaxTokens,
                developer_role: false,
                json_schema: false,
                n: false,
                reasoning_output: Some("reasoning_content".into()),
                ..openai.clone()
            },
        },
        // https://openrouter.ai/docs/api-reference/overview: a superset of OpenAI's request;
        // https://openrouter.ai/docs/use-cases/reasoning-tokens: `reasoning` and
        // `reasoning_details`; https://openrouter.ai/docs/api/reference/streaming: `:`
        // comment lines in streams (passed through).
        "openrouter" => Preset {
            name: "openrouter",
            base_url: "https://openrouter.ai/api/v1",
            key_env: "OPENROUTER_API_KEY",
            key_required: true,
            docs: &[
                "https://openrouter.ai/docs/api-reference/overview",
                "https://openrouter.ai/docs/use-cases/reasoning-tokens",
                "https://openrouter.ai/docs/api/reference/streaming",
            ],
            quirks: Quirks {
                reasoning_output: Some("reasoning".into()),
                ..openai.clone()
            },
        },
        // https://docs.ollama.com/api/openai-compatibility: no tool_choice, logit_bias, user
        // or n; images only as base64 data URIs; max_tokens; reasoning in `reasoning`.
        "ollama" => Preset {
            name: "ollama",
            base_url: "http://localhost:11434/v1",
            key_env: "OLLAMA_API_KEY",
            key_required: false,
            docs: &[
                "https://docs.ollama.com/api/openai-compatibility",
                "https://github.com/ollama/ollama/blob/main/docs/openai.md",
            ],
            quirks: Quirks {
                tool_choice: Vec::new(),
                parallel_tool_calls: false,
                image_urls: false,
                max_tokens_field: MaxTokensField::MaxTokens,
                n: false,
                reasoning_output: Some("reasoning".into()),
                unsupported_fields: strings(&["logit_bias", "user"]),
                ..openai.clone()
            },
        },
        _ => return None,
    };
    Some(p)
}
