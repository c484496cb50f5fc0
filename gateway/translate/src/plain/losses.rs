//! What the request fast path reads that an upstream has no place for, and how each pair
//! reports it: an Anthropic caller's cache hints, results' `is_error`,
//! `disable_parallel_tool_use` toward Gemini, results' images and
//! PDFs toward Chat (a Gemini or Responses caller's too), and thinking signatures an
//! upstream cannot take back (and `metadata` toward Gemini); a Responses caller's service
//! settings ([`Service`]) and reasoning items an upstream cannot take back; a Chat
//! caller's service settings toward Anthropic and Gemini; a Chat
//! caller's thinking blocks an upstream cannot take back and reasoning text without them;
//! a Chat or Responses caller's `parallel_tool_calls: false` and `user` toward Gemini; a
//! Gemini caller's thought signatures an upstream cannot take back, and the thoughts that
//! go with them; the settings only some protocols have ([`Unshared`]: a seed, `top_k`,
//! stop sequences, penalties) where the upstream has none; JSON without a schema toward
//! Anthropic. Each is reported as the pair's general path reports it, at the same
//! pointer and in the same order (which differs between the typed pairs and the
//! JSON-mapping Responses pair), so the loss header and strict mode cannot tell the two
//! paths apart; in strict mode a request with any takes the general path, which gives the
//! error.

use super::{At, ChatReasoning, Lit, Plain, Reasoning, Service, Thought, Unshared};
use crate::sealed::Sealed;
use crate::tier::{Family, Mapped};

/// Reports what a Chat or Responses caller's request sets that the upstream (`to`) has
/// no place for, as the pair's general path does and in its order: a Chat caller's
/// reasoning history (with its messages, before the settings), a Responses caller's
/// service settings (`responses::check_top_level`, before anything else), toward Chat
/// its function call outputs' images and PDFs, toward Gemini its tools' `strict: true`
/// (both `responses::check_settings`), what its reasoning items lose
/// (the mapping of `input`, in its order), then toward Gemini `parallel_tool_calls:
/// false` and `user` (the mapping of the rest); a Chat caller's seed, stop sequences and
/// penalties toward the Responses API first (the JSON mapping's walk of the request's
/// keys); toward Anthropic, after the messages, JSON mode without a schema, then the seed
/// and penalties; toward Anthropic and Gemini a Chat caller's service settings last.
/// `None` in strict mode when there is any (the general path gives the error).
pub(crate) fn report_openai_losses(p: &Plain<'_>, to: LossesTo, cx: &mut crate::Cx) -> Option<()> {
    let to_gemini = to == LossesTo::Gemini;
    let reasoning = p
        .turns
        .iter()
        .flat_map(|t| &t.reasoning)
        .filter_map(|r| r.lost(to));
    let chat_reasoning = p
        .turns
        .iter()
        .flat_map(|t| &t.chat_reasoning)
        .flat_map(|r| r.lost(to));
    // A Responses caller's function call outputs' images and PDFs toward Chat, whose
    // tool messages hold text only (`responses::check_settings`, item by item).
    let result_media = p
        .turns
        .iter()
        .flat_map(|t| &t.results)
        .filter(|_| matches!(to, LossesTo::Chat { .. }))
        .flat_map(|r| {
            let i = r.at.0;
            r.media
                .iter()
                .map(move |(k, _)| format!("/input/{i}/output/{k}"))
        });
    // A Responses caller's `text.verbosity` other than `medium`, the default, toward
    // Anthropic and Gemini (`responses::check_settings`, after the items).
    let verbosity = p
        .verbosity
        .filter(|v| p.from_responses && v.decoded() != "medium")
        .filter(|_| matches!(to, LossesTo::Anthropic | LossesTo::Gemini))
        .map(|_| "/text/verbosity".to_owned());
    let strict_tools = p
        .tools
        .iter()
        .enumerate()
        .filter(|(_, t)| to_gemini && t.strict == Some(true))
        .map(|(i, _)| format!("/tools/{i}/strict"));
    let mapped = [
        (
            "/parallel_tool_calls",
            to_gemini && p.parallel == Some(false),
        ),
        ("/user", to_gemini && p.chat_user.is_some()),
    ];
    // The JSON-mapping Responses pair reports the settings it has no place for first,
    // in the caller's order; the Anthropic pair after the messages.
    let (settings_first, settings_last) = match to {
        LossesTo::Responses => (unshared(p, to), Vec::new()),
        _ => (Vec::new(), unshared(p, to)),
    };
    // A Chat caller's messages come first, as its pairs read them.
    let lost: Vec<String> = settings_first
        .into_iter()
        .chain(chat_reasoning)
        .chain(services(p, to, true))
        .chain(result_media)
        .chain(verbosity)
        .chain(strict_tools)
        .chain(reasoning)
        .chain(
            mapped
                .into_iter()
                .filter(|(_, set)| *set)
                .map(|(pointer, _)| pointer.to_owned()),
        )
        .chain(json_mode(p, to))
        .chain(settings_last)
        .chain(services(p, to, false))
        .collect();
    report(lost, cx)
}

impl Service {
    /// Where the pair toward `to` reports the setting among the others, or `None` where it
    /// loses nothing: a Responses caller's pairs report each, in the order of
    /// `responses::check_top_level`, but those Chat has toward Chat (a tier Chat has not
    /// is left to [`services`]); a Chat caller's Anthropic and Gemini pairs in their lists'
    /// orders; its Responses pair carries them (and `modalities: ["text"]` is the
    /// Responses API's only way).
    fn rank(self, from_responses: bool, to: LossesTo) -> Option<u8> {
        use Service::*;
        let order: &[Service] = match (from_responses, to) {
            (true, LossesTo::Chat { .. }) if self.chat_has() && self != Tier => &[],
            (true, _) => &Service::ALL,
            (false, LossesTo::Anthropic) => &[
                Modalities,
                Metadata,
                Store,
                Tier,
                Verbosity,
                PromptCacheRetention,
                SafetyIdentifier,
                PromptCacheKey,
            ],
            (false, LossesTo::Gemini) => &[
                Metadata,
                Store,
                Tier,
                Modalities,
                Verbosity,
                SafetyIdentifier,
                PromptCacheKey,
                PromptCacheRetention,
            ],
            (false, _) => &[],
        };
        let at = order.iter().position(|&s| s == self)?;
        u8::try_from(at).ok()
    }
}

/// Where the caller set a service setting `to` has no place for, in the pair's order: a
/// Responses caller's (`responses`: its pairs report them before the items' losses), or
/// a Chat caller's (after its other settings).
fn services(p: &Plain<'_>, to: LossesTo, responses: bool) -> Vec<String> {
    if p.from_responses != responses {
        return Vec::new();
    }
    // A Chat caller's verbosity but the default.
    let verbosity = p
        .verbosity
        .filter(|v| !responses && v.decoded() != "medium")
        .map(|_| Service::Verbosity);
    // A tier the upstream has a word for goes under it (`to_anthropic`, `to_gemini`); a
    // Responses caller's to Chat when Chat's spec lists it (`to_chat`).
    let tier_sent = match to {
        LossesTo::Anthropic => super::tier(p, Family::Anthropic) != Mapped::Lost,
        LossesTo::Gemini => super::tier(p, Family::Gemini) != Mapped::Lost,
        LossesTo::Chat { .. } => super::chat_takes_tier(p),
        LossesTo::Responses => true,
    };
    let mut lost: Vec<(u8, Service)> = p
        .services
        .iter()
        .map(|&(s, _)| s)
        .filter(|&s| !(s == Service::Tier && tier_sent))
        .chain(verbosity)
        .filter_map(|s| Some((s.rank(responses, to)?, s)))
        .collect();
    lost.sort_unstable_by_key(|&(rank, _)| rank);
    lost.into_iter()
        .map(|(_, s)| format!("/{}", s.key()))
        .collect()
}

impl Unshared {
    /// Whether `to` has no place for the setting.
    fn lost(self, to: LossesTo) -> bool {
        match self {
            Unshared::Seed => matches!(to, LossesTo::Anthropic | LossesTo::Responses),
            Unshared::TopK => matches!(to, LossesTo::Chat { .. } | LossesTo::Responses),
            Unshared::Stop => to == LossesTo::Responses,
            Unshared::Presence | Unshared::Frequency => {
                matches!(to, LossesTo::Anthropic | LossesTo::Responses)
            }
        }
    }

    /// Where the typed pairs report the setting among the others they lose (one list in
    /// each: the seed, then Chat's frequency and presence penalties, Gemini's presence
    /// and frequency penalties); the JSON-mapping Responses pairs take the caller's order.
    fn rank(self, at: &str) -> u8 {
        let gemini = at.starts_with("/generationConfig/");
        match self {
            Unshared::Seed | Unshared::TopK | Unshared::Stop => 0,
            Unshared::Frequency => 1 + u8::from(gemini),
            Unshared::Presence => 2 - u8::from(gemini),
        }
    }
}

/// Where the caller asked for JSON without a schema, toward Anthropic (whose structured
/// output takes one).
fn json_mode(p: &Plain<'_>, to: LossesTo) -> Option<String> {
    p.json_mode
        .filter(|_| to == LossesTo::Anthropic)
        .map(str::to_owned)
}

/// Where the caller set what `to` has no place for of the settings only some protocols
/// have (seed, `top_k`, stop sequences, penalties): in the caller's order toward the
/// Responses API (its pairs walk the request's keys), in the typed pairs' order elsewhere
/// ([`Unshared::rank`]).
fn unshared(p: &Plain<'_>, to: LossesTo) -> Vec<String> {
    let mut lost: Vec<&(Unshared, &str)> = p
        .unshared
        .iter()
        .filter(|(setting, _)| setting.lost(to))
        .collect();
    if to != LossesTo::Responses {
        lost.sort_by_key(|(setting, at)| setting.rank(at));
    }
    lost.into_iter().map(|&(_, at)| at.to_owned()).collect()
}

/// Reports what a Gemini caller's function responses and thoughts lose toward the
/// upstream (`to`), as the pair's general path does: toward Chat, first, each response's
/// images and PDFs; then in the parts' order, every signature
/// toward Chat, and each thought without a reasoning field; toward Anthropic a signature
/// that does not carry its thinking signature, and the thoughts no such signature follows
/// (after the part that ends their wait); toward Responses a signature that does not carry
/// a reasoning item, and the thoughts it signs (see [`crate::sealed`] and
/// `responses_upstream::signature`); then the `generationConfig` settings the upstream
/// has no place for (the pairs read the contents first; see [`unshared`] for their order)
/// and, toward Anthropic, JSON mode without a schema. `None` in strict mode when there is
/// any (the general path gives the error).
pub(crate) fn report_gemini_losses(p: &Plain<'_>, to: LossesTo, cx: &mut crate::Cx) -> Option<()> {
    // Whether the upstream loses a signature, and whether it signs the thoughts before it
    // (they wait for one toward Anthropic; the other pairs take them at any).
    let signature = |signature: &Lit<'_>| match to {
        LossesTo::Anthropic => match super::anthropic_signature(signature) {
            Some(opened) => (false, !opened.is_empty()),
            None => (true, false),
        },
        LossesTo::Responses => (super::signed_item(signature).is_none(), true),
        LossesTo::Chat { .. } | LossesTo::Gemini => (true, true),
    };
    let thought_lost = to == LossesTo::Chat { reasoning: false };
    let at_part = |at: At| format!("/contents/{}/parts/{}", at.content, at.part);
    // A function response's images and PDFs toward Chat, whose tool messages hold text
    // only: first, as `gemini_caller::lose_unread` reports them before the pair maps the
    // contents.
    let mut lost: Vec<String> = p
        .turns
        .iter()
        .flat_map(|t| &t.results)
        .filter(|r| !r.media.is_empty() && matches!(to, LossesTo::Chat { .. }))
        .map(|r| {
            format!(
                "/contents/{}/parts/{}/functionResponse/parts",
                r.at.0, r.at.1
            )
        })
        .collect();
    for t in &p.turns {
        // The thoughts waiting for a signature (a thought's own among them).
        let mut waiting = Vec::new();
        let signed = |lost: &mut Vec<String>, waiting: &mut Vec<At>, s: Option<(&Lit<'_>, At)>| {
            let (gone, signs) = s.map_or((false, false), |(s, _)| signature(s));
            if let Some((_, at)) = s.filter(|_| gone) {
                lost.push(at_part(at) + "/thoughtSignature");
                // Toward Responses, the thoughts go with the signature that takes them.
                if to == LossesTo::Responses {
                    lost.extend(waiting.drain(..).map(at_part));
                }
            }
            if signs {
                waiting.clear();
            }
        };
        for x in &t.gemini_thoughts {
            waiting.push(x.at);
            signed(
                &mut lost,
                &mut waiting,
                x.signature.as_ref().map(|s| (s, x.at)),
            );
            if thought_lost {
                lost.push(at_part(x.at));
            }
        }
        // The text, or the first call, ends the wait.
        let text = t
            .text
            .map(|_| t.text_signature.as_ref().map(|(s, at)| (s, *at)));
        let calls = t
            .calls
            .iter()
            .map(|c| c.signature.as_ref().map(|s| (s, c.head.at)));
        for s in text.into_iter().chain(calls) {
            signed(&mut lost, &mut waiting, s);
            lost.extend(waiting.drain(..).map(at_part));
        }
    }
    // The generation settings come after the contents, then JSON mode.
    lost.extend(unshared(p, to));
    lost.extend(json_mode(p, to));
    report(lost, cx)
}

/// Reports `lost` (pointers, in order); `None` in strict mode when there is any (the
/// general path then gives the error).
fn report(lost: Vec<String>, cx: &mut crate::Cx) -> Option<()> {
    if lost.is_empty() {
        return Some(());
    }
    if cx.strict {
        return None;
    }
    for pointer in lost {
        cx.lose(pointer).ok()?;
    }
    Some(())
}

/// What an Anthropic caller set that no other protocol has a place for, and the pairs
/// report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loss {
    /// A cache hint on the `n`th system block.
    SystemHint(usize),
    /// A cache hint on block `j` of message `i`.
    BlockHint(usize, usize),
    /// A cache hint on the `n`th tool.
    ToolHint(usize),
    /// `is_error` on the tool result of block `j` of message `i` (the result's text says
    /// it).
    ResultError(usize, usize),
}

impl Loss {
    /// The JSON pointer into the caller's request.
    fn pointer(self) -> String {
        match self {
            Loss::SystemHint(j) => format!("/system/{j}/cache_control"),
            Loss::BlockHint(i, j) => format!("/messages/{i}/content/{j}/cache_control"),
            Loss::ToolHint(i) => format!("/tools/{i}/cache_control"),
            Loss::ResultError(i, j) => format!("/messages/{i}/content/{j}/is_error"),
        }
    }
}

/// The upstream a pair sends to, for what it reports of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LossesTo {
    /// A Chat Completions upstream, with or without a field for reasoning text.
    Chat {
        reasoning: bool,
    },
    Gemini,
    Responses,
    Anthropic,
}

impl Reasoning<'_> {
    /// What `to`'s general path reports of the reasoning item: state the upstream cannot
    /// take back (Chat's, with a reasoning field for the summary; not Gemini's own: see
    /// [`crate::sealed`]), or the whole item (Chat without a reasoning field, unless it
    /// says nothing; Anthropic, unless the state is its own, or it says nothing).
    fn lost(&self, to: LossesTo) -> Option<String> {
        let at = self.at;
        let state = self.encrypted.is_some();
        let (lost, whole) = match to {
            LossesTo::Chat { reasoning: true } => (state, false),
            LossesTo::Chat { reasoning: false } => (state || self.has_summary(), true),
            LossesTo::Gemini => (state && self.state(Sealed::GeminiThought).is_none(), false),
            LossesTo::Anthropic => {
                let own = self.state(Sealed::AnthropicRedacted).is_some()
                    || self.state(Sealed::AnthropicThinking).is_some();
                (!own && (state || self.has_summary()), true)
            }
            // A Responses caller's request goes to a Responses upstream as it is.
            LossesTo::Responses => (false, false),
        };
        match (lost, whole) {
            (false, _) => None,
            (true, true) => Some(format!("/input/{at}")),
            (true, false) => Some(format!("/input/{at}/encrypted_content")),
        }
    }
}

impl ChatReasoning<'_> {
    /// Where a Chat caller's reasoning history is lost toward `to`, as the pairs' general
    /// paths report it: reasoning text without blocks; toward the Responses API the blocks
    /// whose signature carries no reasoning item the gateway sealed, toward Gemini every
    /// block but the first signed one (whose signature goes back).
    fn lost(&self, to: LossesTo) -> Vec<String> {
        let at = self.at;
        let mut lost = Vec::new();
        if self.unsigned_text() {
            lost.push(format!("/messages/{at}/reasoning_content"));
        }
        let used = self.blocks().iter().position(|(_, s)| !s.is_empty());
        for (j, (_, signature)) in self.blocks().iter().enumerate() {
            let kept = match to {
                LossesTo::Responses => {
                    crate::responses_upstream::opened(&signature.decoded()).is_some()
                }
                LossesTo::Gemini => Some(j) == used,
                LossesTo::Anthropic | LossesTo::Chat { .. } => true,
            };
            if !kept {
                lost.push(format!("/messages/{at}/thinking_blocks/{j}"));
            }
        }
        lost
    }
}

impl Thought<'_> {
    /// What `to`'s general path reports of the thinking block: a signature the upstream
    /// cannot take back (Chat's, or not Gemini's own: see [`crate::sealed`]), or the whole
    /// block (Chat without a reasoning field; Responses unless the signature carries one of
    /// its reasoning items).
    fn lost(&self, to: LossesTo) -> Option<String> {
        let (i, j) = self.at;
        let signature = self.signature.decoded();
        let lost_signature = match to {
            // An Anthropic caller's request goes to Anthropic as it is.
            LossesTo::Anthropic => false,
            LossesTo::Chat { reasoning: false } => {
                return Some(format!("/messages/{i}/content/{j}"));
            }
            LossesTo::Responses => {
                let item = crate::responses_upstream::reasoning_item(&signature, "");
                return item.is_none().then(|| format!("/messages/{i}/content/{j}"));
            }
            LossesTo::Chat { reasoning: true } => !signature.is_empty(),
            LossesTo::Gemini => gemini_signature(&signature).is_err(),
        };
        lost_signature.then(|| format!("/messages/{i}/content/{j}/signature"))
    }
}

/// A thinking block's signature as Gemini takes it back: none when empty, its own thought
/// signature when the gateway sealed one in it, else (another provider's) an error.
pub(super) fn gemini_signature(signature: &str) -> Result<Option<String>, ()> {
    if signature.is_empty() {
        return Ok(None);
    }
    crate::sealed::Sealed::GeminiThought
        .open_base64(signature)
        .map(Some)
        .ok_or(())
}

/// Reports what the fast path read that the upstream has no place for, as the pair's
/// general path does and in its order: the [`Loss`]es and what thinking blocks lose,
/// `top_k` toward Chat (after the messages), then `/metadata` toward Gemini when the
/// caller gave it; toward the Responses API, `top_k` and the stop sequences first, in the
/// caller's order (the JSON mapping's walk of the request's keys). `None` (the general
/// path then gives the error) in strict mode when there is any.
///
/// The typed pairs (`anthropic_caller::lose_unread`, then the mapping) report the
/// messages' cache hints, the tools', the parallel switch (toward Gemini), the system's,
/// then the results' errors and the
/// thinking blocks' losses in the messages' order; the JSON-mapping Responses pair, in its
/// request's order, the system's hints, each block's hint then what it loses in the
/// messages' order, then the tools' hints.
pub(crate) fn report_losses(p: &Plain<'_>, to: LossesTo, cx: &mut crate::Cx) -> Option<()> {
    let metadata = to == LossesTo::Gemini && p.user.is_some();
    let typed = to != LossesTo::Responses;
    // Each thinking block's signature is read once.
    let thoughts: Vec<(u8, usize, usize, bool, String)> = p
        .turns
        .iter()
        .flat_map(|t| &t.thoughts)
        .filter_map(|t| {
            let (i, j) = t.at;
            Some((if typed { 3 } else { 1 }, i, j, true, t.lost(to)?))
        })
        .collect();
    // A result's images and PDFs toward Chat, whose tool messages hold text only (toward
    // Gemini the writer takes them or leaves the request to the general path).
    let media: Vec<(u8, usize, usize, bool, String)> = p
        .turns
        .iter()
        .flat_map(|t| &t.results)
        .filter(|_| matches!(to, LossesTo::Chat { .. }))
        .flat_map(|r| {
            let (i, j) = r.at;
            let at = move |k| format!("/messages/{i}/content/{j}/content/{k}");
            r.media.iter().map(move |(k, _)| (3, i, j, true, at(k)))
        })
        .collect();
    let settings = unshared(p, to);
    // `disable_parallel_tool_use` toward Gemini, which has no switch for parallel calls
    // (`anthropic_caller::lose_unread`, after the tools' hints); the others take it as
    // `parallel_tool_calls: false`.
    let parallel_switch = (to == LossesTo::Gemini && p.parallel == Some(false)).then(|| {
        (
            1,
            usize::MAX,
            0,
            false,
            "/tool_choice/disable_parallel_tool_use".to_owned(),
        )
    });
    if p.losses.is_empty()
        && parallel_switch.is_none()
        && !metadata
        && thoughts.is_empty()
        && media.is_empty()
        && settings.is_empty()
    {
        return Some(());
    }
    if cx.strict {
        return None;
    }
    // (rank, message or list index, block, after the block's hint, pointer)
    let mut all: Vec<(u8, usize, usize, bool, String)> = p
        .losses
        .iter()
        .map(|l| {
            let (rank, i, j, after) = match (typed, *l) {
                (true, Loss::BlockHint(i, j)) => (0, i, j, false),
                (true, Loss::ToolHint(n)) => (1, n, 0, false),
                (true, Loss::SystemHint(n)) => (2, n, 0, false),
                (true, Loss::ResultError(i, j)) => (3, i, j, true),
                (false, Loss::SystemHint(n)) => (0, n, 0, false),
                (false, Loss::BlockHint(i, j)) => (1, i, j, false),
                (false, Loss::ResultError(i, j)) => (1, i, j, true),
                (false, Loss::ToolHint(n)) => (2, n, 0, false),
            };
            (rank, i, j, after, l.pointer())
        })
        .collect();
    all.extend(thoughts);
    all.extend(parallel_switch);
    // After the result's `is_error` (the sort is stable), in their order.
    all.extend(media);
    all.sort_by_key(|&(rank, i, j, after, _)| (rank, i, j, after));
    let all = all.into_iter().map(|(.., pointer)| pointer);
    // The JSON-mapping Responses pair reports the settings it has no place for first,
    // in the caller's order; the Chat pair after the messages.
    let lost: Vec<String> = if typed {
        all.chain(settings).collect()
    } else {
        settings.into_iter().chain(all).collect()
    };
    for pointer in lost {
        cx.lose(pointer).ok()?;
    }
    if metadata {
        cx.lose("/metadata").ok()?;
    }
    Some(())
}
