//! Service tiers across protocols. Each provider names a few of the same tiers: its
//! default (OpenAI's `auto`, Anthropic's `auto`, Gemini's `unspecified`), standard
//! capacity only (OpenAI's `default`, Anthropic's `standard_only`, Gemini's `standard`),
//! and, at OpenAI and Gemini, `flex` and `priority` (OpenAI's `fast` is its priority
//! tier too). A caller's tier goes to the upstream under the upstream's word; a default
//! is no setting (it is not sent, and nothing is lost); a tier the upstream has not
//! (Anthropic has no flex or priority word, no one but OpenAI has `scale`) or a word the
//! caller's spec does not list is reported, as before.
//!
//! The tier that served an answer comes back the same way ([`served`]): an upstream's
//! word for it (OpenAI's `service_tier`, Anthropic's `usage.service_tier`, Gemini's
//! `usageMetadata.serviceTier`) goes to the caller's answer under the caller's word; a
//! tier the caller's family has no word for (flex toward Anthropic, Anthropic's `batch`,
//! OpenAI's `scale` outside OpenAI) is reported.

/// A protocol family's words for the tiers (Chat and Responses share OpenAI's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
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
    /// OpenAI's `scale` (only OpenAI has it).
    Scale,
}

/// Each family's words: the first word of a tier is the one written.
const WORDS: &[(Family, &str, Tier)] = &[
    (Family::OpenAi, "auto", Tier::Default),
    (Family::OpenAi, "default", Tier::Standard),
    (Family::OpenAi, "flex", Tier::Flex),
    (Family::OpenAi, "priority", Tier::Priority),
    (Family::OpenAi, "fast", Tier::Priority),
    (Family::OpenAi, "scale", Tier::Scale),
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

/// Each family's words for the tier that served an answer (answers name the tier, not
/// a wish: OpenAI's `default` is standard capacity; `auto` and Gemini's `unspecified`
/// say nothing).
const SERVED: &[(Family, &str, Tier)] = &[
    (Family::OpenAi, "auto", Tier::Default),
    (Family::OpenAi, "default", Tier::Standard),
    (Family::OpenAi, "flex", Tier::Flex),
    (Family::OpenAi, "priority", Tier::Priority),
    (Family::OpenAi, "scale", Tier::Scale),
    (Family::Anthropic, "standard", Tier::Standard),
    (Family::Anthropic, "priority", Tier::Priority),
    (Family::Gemini, "unspecified", Tier::Default),
    (Family::Gemini, "standard", Tier::Standard),
    (Family::Gemini, "flex", Tier::Flex),
    (Family::Gemini, "priority", Tier::Priority),
];

/// `word` of family `from` under family `to`'s word in `words`.
fn translate(
    words: &[(Family, &'static str, Tier)],
    word: &str,
    from: Family,
    to: Family,
) -> Mapped {
    let Some(tier) = words
        .iter()
        .find(|(f, w, _)| *f == from && *w == word)
        .map(|&(_, _, t)| t)
    else {
        return Mapped::Lost;
    };
    if tier == Tier::Default {
        return Mapped::Default;
    }
    words
        .iter()
        .find(|(f, _, t)| *f == to && *t == tier)
        .map_or(Mapped::Lost, |&(_, w, _)| Mapped::Sent(w))
}

/// The caller's tier `word` (of family `from`) toward an upstream of family `to`.
pub(crate) fn map(word: &str, from: Family, to: Family) -> Mapped {
    translate(WORDS, word, from, to)
}

/// The tier an upstream of family `from` says served its answer (`word`), for a caller
/// of family `to`: `Sent` is the caller's word for it, `Default` nothing to say.
pub(crate) fn served(word: &str, from: Family, to: Family) -> Mapped {
    translate(SERVED, word, from, to)
}

/// The caller's word for the tier that served the answer, if the upstream said one:
/// an upstream's `word` (of family `from`) that has none in family `to` is reported at
/// `at`.
pub(crate) fn served_or_lose(
    word: Option<&str>,
    from: Family,
    to: Family,
    at: &str,
    cx: &mut crate::Cx,
) -> Result<Option<&'static str>, crate::TranslateError> {
    match word.map(|w| served(w, from, to)) {
        Some(Mapped::Sent(w)) => Ok(Some(w)),
        Some(Mapped::Lost) => cx.lose(at.to_owned()).map(|()| None),
        Some(Mapped::Default) | None => Ok(None),
    }
}

/// [`served_or_lose`] for the `service_tier` of an OpenAI answer or chunk.
pub(crate) fn served_by_openai(
    answer: &serde_json::Value,
    to: Family,
    at: &str,
    cx: &mut crate::Cx,
) -> Result<Option<&'static str>, crate::TranslateError> {
    let word = answer
        .get("service_tier")
        .and_then(serde_json::Value::as_str);
    served_or_lose(word, Family::OpenAi, to, at, cx)
}

/// [`served_or_lose`] for the `service_tier` of an Anthropic usage.
pub(crate) fn served_by_anthropic(
    usage: &aigw_anthropic::Usage,
    to: Family,
    at: &str,
    cx: &mut crate::Cx,
) -> Result<Option<&'static str>, crate::TranslateError> {
    let tier = usage.service_tier.as_ref().and_then(Option::as_ref);
    served_or_lose(tier.map(word_of).as_deref(), Family::Anthropic, to, at, cx)
}

/// [`served_or_lose`] for the `serviceTier` of a Gemini usage (read without
/// serializing: Gemini names it in every chunk's usage).
pub(crate) fn served_by_gemini(
    usage: Option<&aigw_gemini::UsageMetadata>,
    to: Family,
    at: &str,
    cx: &mut crate::Cx,
) -> Result<Option<&'static str>, crate::TranslateError> {
    use aigw_gemini::UsageMetadataServiceTier as T;
    let word = usage
        .and_then(|u| u.service_tier.as_ref())
        .map(|t| match t {
            T::Unspecified => "unspecified",
            T::Standard => "standard",
            T::Flex => "flex",
            T::Priority => "priority",
            T::Unknown(w) => w.as_str(),
        });
    served_or_lose(word, Family::Gemini, to, at, cx)
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
    fn served_tiers_come_back_under_the_callers_words() {
        use super::served;
        assert_eq!(served("default", OpenAi, Anthropic), Sent("standard"));
        assert_eq!(served("standard", Anthropic, OpenAi), Sent("default"));
        assert_eq!(served("standard", Anthropic, Gemini), Sent("standard"));
        assert_eq!(served("priority", Gemini, Anthropic), Sent("priority"));
        assert_eq!(served("flex", Gemini, OpenAi), Sent("flex"));
        assert_eq!(served("scale", OpenAi, OpenAi), Sent("scale"));
        assert_eq!(served("auto", OpenAi, Gemini), Default);
        assert_eq!(served("unspecified", Gemini, Anthropic), Default);
        assert_eq!(served("flex", OpenAi, Anthropic), Lost);
        assert_eq!(served("batch", Anthropic, Gemini), Lost);
        assert_eq!(served("scale", OpenAi, Gemini), Lost);
        assert_eq!(served("standard_only", Anthropic, OpenAi), Lost);
    }

    #[test]
    fn chat_takes_the_tiers_its_spec_lists() {
        assert!(super::chat_takes("flex"));
        assert!(super::chat_takes("scale"));
        assert!(!super::chat_takes("ultrafast"));
    }
}
