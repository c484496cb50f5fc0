//! Service tiers across protocols. Each provider names a few of the same tiers: its
//! default (OpenAI's `auto`, Anthropic's `auto`, Gemini's `unspecified`), standard
//! capacity only (OpenAI's `default`, Anthropic's `standard_only`, Gemini's `standard`),
//! and, at OpenAI and Gemini, `flex` and `priority` (OpenAI's `fast` is its priority
//! tier too). A caller's tier goes to the upstream under the upstream's word; a default
//! is no setting (it is not sent, and nothing is lost); a tier the upstream has not
//! (Anthropic has no flex or priority word, no one but OpenAI has `scale`) or a word the
//! caller's spec does not list is reported, as before.

/// A protocol family's words for the tiers (Chat and Responses share OpenAI's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    OpenAi,
    Anthropic,
    Gemini,
}

/// A tier as every family means it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// The provider's default.
    Default,
    /// Standard capacity only.
    Standard,
    Flex,
    Priority,
}

/// Each family's words: the first word of a tier is the one written.
const WORDS: &[(Family, &str, Tier)] = &[
    (Family::OpenAi, "auto", Tier::Default),
    (Family::OpenAi, "default", Tier::Standard),
    (Family::OpenAi, "flex", Tier::Flex),
    (Family::OpenAi, "priority", Tier::Priority),
    (Family::OpenAi, "fast", Tier::Priority),
    (Family::Anthropic, "auto", Tier::Default),
    (Family::Anthropic, "standard_only", Tier::Standard),
    (Family::Gemini, "unspecified", Tier::Default),
    (Family::Gemini, "standard", Tier::Standard),
    (Family::Gemini, "flex", Tier::Flex),
    (Family::Gemini, "priority", Tier::Priority),
];

/// What becomes of a caller's tier toward an upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mapped {
    /// Sent under this word.
    Sent(&'static str),
    /// The default: nothing to send, nothing lost.
    Default,
    /// Reported.
    Lost,
}

/// The caller's tier `word` (of family `from`) toward an upstream of family `to`.
pub(crate) fn map(word: &str, from: Family, to: Family) -> Mapped {
    let Some(tier) = WORDS
        .iter()
        .find(|(f, w, _)| *f == from && *w == word)
        .map(|&(_, _, t)| t)
    else {
        return Mapped::Lost;
    };
    if tier == Tier::Default {
        return Mapped::Default;
    }
    WORDS
        .iter()
        .find(|(f, _, t)| *f == to && *t == tier)
        .map_or(Mapped::Lost, |&(_, w, _)| Mapped::Sent(w))
}

/// Whether Chat Completions' spec lists the tier `word` (a Responses caller may name
/// tiers only the Responses API has, such as `ultrafast`).
pub(crate) fn chat_takes(word: &str) -> bool {
    typed::<aigw_openai::ServiceTier>(word)
        .is_some_and(|t| !matches!(t, aigw_openai::ServiceTier::Unknown(_)))
}

/// A typed tier's word (the generated enums serialize to their words).
pub(crate) fn word_of<T: serde::Serialize>(tier: &T) -> String {
    match serde_json::to_value(tier) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A typed tier of the upstream's from its word (the generated enums read their words).
pub(crate) fn typed<T: serde::de::DeserializeOwned>(word: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(word.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::{Family::*, Mapped::*, map};

    #[test]
    fn tiers_go_under_the_upstreams_words() {
        assert_eq!(map("default", OpenAi, Anthropic), Sent("standard_only"));
        assert_eq!(map("default", OpenAi, Gemini), Sent("standard"));
        assert_eq!(map("flex", OpenAi, Gemini), Sent("flex"));
        assert_eq!(map("fast", OpenAi, Gemini), Sent("priority"));
        assert_eq!(map("standard_only", Anthropic, OpenAi), Sent("default"));
        assert_eq!(map("priority", Gemini, OpenAi), Sent("priority"));
        assert_eq!(map("standard", Gemini, Anthropic), Sent("standard_only"));
    }

    #[test]
    fn defaults_are_no_setting_and_the_rest_is_lost() {
        assert_eq!(map("auto", OpenAi, Anthropic), Default);
        assert_eq!(map("auto", Anthropic, Gemini), Default);
        assert_eq!(map("unspecified", Gemini, OpenAi), Default);
        assert_eq!(map("flex", OpenAi, Anthropic), Lost);
        assert_eq!(map("priority", Gemini, Anthropic), Lost);
        assert_eq!(map("scale", OpenAi, Gemini), Lost);
        assert_eq!(map("FLEX", Gemini, OpenAi), Lost);
    }

    #[test]
    fn chat_takes_the_tiers_its_spec_lists() {
        assert!(super::chat_takes("flex"));
        assert!(super::chat_takes("scale"));
        assert!(!super::chat_takes("ultrafast"));
    }
}
