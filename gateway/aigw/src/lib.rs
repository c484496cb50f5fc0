//! aigw: a protocol-faithful, multi-provider AI gateway.
//!
//! It serves the providers' own HTTP surfaces (OpenAI Chat Completions, Responses,
//! embeddings and models; Anthropic Messages, count_tokens and models; Gemini
//! generateContent, streamGenerateContent, embedContent, batchEmbedContents, countTokens and
//! models), routes each request by model to OpenAI, Anthropic, Gemini or an
//! OpenAI-compatible provider, and passes same-protocol traffic through changing only the
//! model name and the credentials.
//!
//! Modules: [`config`] (TOML and the embedded default), [`route`] (model → attempts),
//! [`server`] (the surfaces), [`gateway`] (the request flow: retries, fallbacks, responses),
//! [`upstream`] (clients, headers, retry policy), [`stream`] (the SSE passthrough),
//! [`body`] (the routing view of a body), [`protocol`] and [`error`] (error shapes),
//! [`usage`] and [`metrics`].

pub mod body;
pub mod config;
pub mod error;
pub mod gateway;
pub mod metrics;
pub mod protocol;
pub mod route;
pub mod server;
pub mod stream;
pub mod upstream;
pub mod usage;

pub use config::Config;
pub use gateway::Gateway;
