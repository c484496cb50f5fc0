//! Recorded-shape answers with what no schema knows: unknown events, unknown fields and
//! delta types, comments, blank keep-alives, mixed line endings, odd spacing. Written for
//! this project in the providers' shapes. A same-protocol passthrough must hand these to
//! the caller byte for byte.

/// An OpenAI chat stream: `obfuscation`, an unknown top-level field, an `id:` field, a
/// comment, CRLF lines, a usage chunk, `[DONE]`.
pub const OPENAI_CHAT_STREAM: &str = concat!(
    ": openai keep-alive\n\n",
    "data: {\"id\":\"chatcmpl-fid\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_f1d\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"a1B2\"}\n\n",
    "id: 2\r\ndata: {\"id\":\"chatcmpl-fid\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hél\",\"x_future_delta\":{\"k\":[1,2.50,true]}},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"x_future\":\"kept\"}\r\n\r\n",
    "data: {\"id\":\"chatcmpl-fid\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_f1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
    "data: {\"id\":\"chatcmpl-fid\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n",
    "data: {\"id\":\"chatcmpl-fid\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":9,\"total_tokens\":40,\"prompt_tokens_details\":{\"cached_tokens\":16,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"future_tokens\":3}}}\n\n",
    "data: [DONE]\n\n",
);

/// An OpenAI chat completion as the API prints it (two-space indentation, unknown fields).
pub const OPENAI_CHAT_JSON: &str = "{\n  \"id\": \"chatcmpl-fid\",\n  \"object\": \"chat.completion\",\n  \"created\": 1767225600,\n  \"model\": \"gpt-4o-2024-08-06\",\n  \"choices\": [\n    {\n      \"index\": 0,\n      \"message\": {\n        \"role\": \"assistant\",\n        \"content\": \"Bonjour\",\n        \"refusal\": null,\n        \"annotations\": [],\n        \"x_future_message_field\": 1.0\n      },\n      \"logprobs\": null,\n      \"finish_reason\": \"stop\"\n    }\n  ],\n  \"usage\": {\n    \"prompt_tokens\": 12,\n    \"completion_tokens\": 2,\n    \"total_tokens\": 14,\n    \"prompt_tokens_details\": {\"cached_tokens\": 0, \"audio_tokens\": 0},\n    \"completion_tokens_details\": {\"reasoning_tokens\": 0}\n  },\n  \"service_tier\": \"default\",\n  \"system_fingerprint\": \"fp_f1d\",\n  \"x_future\": {\"nested\": [null, 1e3]}\n}\n";

/// An OpenAI Responses stream with an event type no schema has.
pub const OPENAI_RESPONSES_STREAM: &str = concat!(
    "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_fid\",\"object\":\"response\",\"created_at\":1767225600,\"status\":\"in_progress\",\"model\":\"gpt-4o\",\"output\":[],\"usage\":null}}\n\n",
    "event: response.future_event\ndata: {\"type\":\"response.future_event\",\"sequence_number\":1,\"payload\":{\"anything\":true}}\n\n",
    "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"item_id\":\"msg_fid\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\",\"logprobs\":[],\"obfuscation\":\"zz\"}\n\n",
    "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":3,\"response\":{\"id\":\"resp_fid\",\"object\":\"response\",\"created_at\":1767225600,\"status\":\"completed\",\"model\":\"gpt-4o\",\"output\":[{\"type\":\"message\",\"id\":\"msg_fid\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\",\"annotations\":[]}]}],\"usage\":{\"input_tokens\":5,\"output_tokens\":1,\"total_tokens\":6,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens_details\":{\"reasoning_tokens\":0}}}}\n\n",
);

/// An Anthropic stream: `ping`, thinking with a signature, an unknown event, an unknown
/// delta type, a comment, cache usage.
pub const ANTHROPIC_STREAM: &str = concat!(
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_fid\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1200,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n",
    "event: ping\ndata: {\"type\": \"ping\"}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Considering…\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCkgIARABGAIiQLfid==\"}}\n\n",
    ": a comment the gateway must keep\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
    "event: content_block_future\ndata: {\"type\":\"content_block_future\",\"index\":1,\"what\":\"a new event\"}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\",\"citations\":null}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"future_delta\",\"blob\":[1,2,3]}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Bonjour\"}}\n\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":42},\"context_management\":{\"applied_edits\":[]}}\n\n",
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
);

/// An Anthropic message with unknown fields and a content block type no schema has.
pub const ANTHROPIC_JSON: &str = "{\"id\":\"msg_fid\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"future_block\",\"data\":{\"x\":1}},{\"type\":\"text\",\"text\":\"Bonjour\",\"citations\":null}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1200,\"output_tokens\":3,\"server_tool_use\":null,\"service_tier\":\"standard\"},\"container\":null,\"x_future\":[1.50]}";

/// A Gemini `alt=sse` stream, framed as Google frames it (`\r\n\r\n`), with a thought, a
/// signature and unknown fields.
pub const GEMINI_SSE_STREAM: &str = concat!(
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Pondering.\",\"thought\": true}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 9,\"totalTokenCount\": 12,\"thoughtsTokenCount\": 3,\"futureTokenCount\": 1},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"fid1\"}\r\n\r\n",
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Bonjour\",\"thoughtSignature\": \"c2lnX2ZpZA==\"}],\"role\": \"model\"},\"index\": 0,\"futureField\": {\"a\": 1}}],\"usageMetadata\": {\"promptTokenCount\": 9,\"candidatesTokenCount\": 1,\"totalTokenCount\": 13,\"thoughtsTokenCount\": 3},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"fid1\"}\r\n\r\n",
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" !\"}],\"role\": \"model\"},\"finishReason\": \"FUTURE_REASON\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 9,\"candidatesTokenCount\": 2,\"totalTokenCount\": 14,\"thoughtsTokenCount\": 3},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"fid1\"}\r\n\r\n",
);

/// Gemini's JSON-array stream form, as Google prints it.
pub const GEMINI_ARRAY_STREAM: &str = "[{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"Bon\"\n          }\n        ],\n        \"role\": \"model\"\n      },\n      \"index\": 0\n    }\n  ],\n  \"usageMetadata\": {\n    \"promptTokenCount\": 9,\n    \"totalTokenCount\": 9\n  },\n  \"modelVersion\": \"gemini-2.5-flash\"\n}\n,\r\n{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"jour\"\n          }\n        ],\n        \"role\": \"model\"\n      },\n      \"finishReason\": \"STOP\",\n      \"index\": 0\n    }\n  ],\n  \"usageMetadata\": {\n    \"promptTokenCount\": 9,\n    \"candidatesTokenCount\": 2,\n    \"totalTokenCount\": 11\n  },\n  \"modelVersion\": \"gemini-2.5-flash\",\n  \"futureTopLevel\": true\n}\n]";

/// A Gemini generateContent answer with unknown fields.
pub const GEMINI_JSON: &str = "{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"Bonjour\"\n          }\n        ],\n        \"role\": \"model\"\n      },\n      \"finishReason\": \"STOP\",\n      \"avgLogprobs\": -0.0500,\n      \"futureCandidateField\": \"x\"\n    }\n  ],\n  \"usageMetadata\": {\n    \"promptTokenCount\": 9,\n    \"candidatesTokenCount\": 2,\n    \"totalTokenCount\": 11\n  },\n  \"modelVersion\": \"gemini-2.5-flash\",\n  \"responseId\": \"fid2\"\n}\n";
