//! Reasoning state that this gateway hands a caller on another provider's behalf (an
//! Anthropic thinking signature or redacted block, a Gemini thought signature), marked
//! with the provider that made it. The caller sends it back as it got it, and each
//! upstream takes back only its own kind: Anthropic and Gemini refuse a signature they did
//! not make, and a conversation may have begun on another provider (OpenAI's own
//! `encrypted_content`, a signature from the provider the caller speaks to directly), so
//! any other state is reported as lost instead of sent.
//!
//! Two forms: a prefix (`an:`, `rd:`, `gm:`) in a Responses reasoning item's
//! `encrypted_content`, a free string; and base64 of a tag line and the state in an
//! Anthropic `signature` or a Gemini `thoughtSignature` (which google-genai reads as base64
//! bytes), as the Responses-upstream pairs mark theirs (`aigw-rs1`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The kinds of reasoning state the gateway marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealed {
    AnthropicThinking,
    AnthropicRedacted,
    GeminiThought,
}

impl Sealed {
    const fn prefix(self) -> &'static str {
        match self {
            Sealed::AnthropicThinking => "an:",
            Sealed::AnthropicRedacted => "rd:",
            Sealed::GeminiThought => "gm:",
        }
    }

    const fn tag(self) -> &'static str {
        match self {
            Sealed::AnthropicThinking => "aigw-an1\n",
            Sealed::AnthropicRedacted => "aigw-rd1\n",
            Sealed::GeminiThought => "aigw-gm1\n",
        }
    }

    /// `state` marked with a prefix (a Responses reasoning item's `encrypted_content`).
    pub fn seal(self, state: &str) -> String {
        format!("{}{state}", self.prefix())
    }

    /// The state inside `encrypted`, if [`Sealed::seal`] made it of this kind.
    pub fn open(self, encrypted: &str) -> Option<&str> {
        encrypted.strip_prefix(self.prefix())
    }

    /// `state` marked as base64 (an Anthropic `signature`, a Gemini `thoughtSignature`).
    pub fn seal_base64(self, state: &str) -> String {
        STANDARD.encode(format!("{}{state}", self.tag()))
    }

    /// The state inside `signature`, if [`Sealed::seal_base64`] made it of this kind.
    pub fn open_base64(self, signature: &str) -> Option<String> {
        let raw = STANDARD.decode(signature.trim()).ok()?;
        let text = String::from_utf8(raw).ok()?;
        text.strip_prefix(self.tag()).map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::Sealed;

    #[test]
    fn each_kind_opens_only_its_own_state() {
        let kinds = [
            Sealed::AnthropicThinking,
            Sealed::AnthropicRedacted,
            Sealed::GeminiThought,
        ];
        for kind in kinds {
            let (prefixed, based) = (kind.seal("c2ln+/="), kind.seal_base64("c2ln+/="));
            for other in kinds {
                let own = other == kind;
                assert_eq!(other.open(&prefixed).is_some(), own, "{kind:?} {other:?}");
                assert_eq!(
                    other.open_base64(&based).is_some(),
                    own,
                    "{kind:?} {other:?}"
                );
            }
            assert_eq!(kind.open(&prefixed), Some("c2ln+/="));
            assert_eq!(kind.open_base64(&based).as_deref(), Some("c2ln+/="));
            // OpenAI's Fernet state, a provider's own signature: not ours.
            for foreign in ["gAAAAABfernet==", "EqQBCkgIARABGAIi", "c2ln", ""] {
                assert_eq!(kind.open(foreign), None);
                assert_eq!(kind.open_base64(foreign), None);
            }
        }
    }
}
