//! What the typed pairs with an Anthropic caller report alike: the settings of a Messages
//! request that no other protocol has a place for and that the pairs do not read (cache
//! hints on any block, a tool result's blocks included, citations, a document's context, image transformations, callers
//! and tool sets, tool examples and loading switches, the thinking display, data
//! residency). Each typed pair calls [`lose_unread`] before mapping what it reads, the
//! JSON-reading Responses pair after.

use aigw_anthropic as an;

use crate::{Cx, TranslateError};

/// What a pair reads beyond what every Anthropic-caller pair reads.
pub(crate) struct Reads {
    /// A document's `title` (as a file name).
    pub document_title: bool,
    /// A tool's `strict`.
    pub strict_tools: bool,
    /// `disable_parallel_tool_use`.
    pub parallel_switch: bool,
    /// `output_config.effort`.
    pub effort: bool,
}

/// Reports a block's setting `key` (a pointer from the block) when `set`.
type Lose<'a> = dyn FnMut(&str, bool) -> Result<(), TranslateError> + 'a;

/// Reports each of a block's `settings` that is set, at `prefix` + its key.
fn lose_set(
    settings: &[(&str, bool)],
    prefix: &str,
    lose: &mut Lose,
) -> Result<(), TranslateError> {
    for (key, set) in settings {
        lose(&format!("{prefix}{key}"), *set)?;
    }
    Ok(())
}

/// A text block's settings no other protocol has, at `prefix` from the message's block.
fn lose_text(
    t: &an::RequestTextBlock,
    prefix: &str,
    lose: &mut Lose,
) -> Result<(), TranslateError> {
    let settings = [
        ("cache_control", matches!(t.cache_control, Some(Some(_)))),
        (
            "citations",
            matches!(&t.citations, Some(Some(c)) if !c.is_empty()),
        ),
    ];
    lose_set(&settings, prefix, lose)
}

/// An image block's settings no other protocol has.
fn lose_image(
    t: &an::RequestImageBlock,
    prefix: &str,
    lose: &mut Lose,
) -> Result<(), TranslateError> {
    let settings = [
        ("cache_control", matches!(t.cache_control, Some(Some(_)))),
        (
            "transformations",
            matches!(t.transformations, Some(Some(_))),
        ),
    ];
    lose_set(&settings, prefix, lose)
}

/// A document block's settings no other protocol has (its title where the pair does not
/// read it).
fn lose_document(
    t: &an::RequestDocumentBlock,
    prefix: &str,
    reads: &Reads,
    lose: &mut Lose,
) -> Result<(), TranslateError> {
    let settings = [
        ("cache_control", matches!(t.cache_control, Some(Some(_)))),
        (
            "citations",
            matches!(&t.citations, Some(Some(c)) if c.enabled == Some(true)),
        ),
        ("context", matches!(t.context, Some(Some(_)))),
        (
            "title",
            !reads.document_title && matches!(t.title, Some(Some(_))),
        ),
    ];
    lose_set(&settings, prefix, lose)
}

/// Reports what `r` sets that the pair does not read (see the module doc).
pub(crate) fn lose_unread(
    r: &an::CreateMessageParams,
    reads: &Reads,
    cx: &mut Cx,
) -> Result<(), TranslateError> {
    for (key, set) in [
        ("/inference_geo", matches!(r.inference_geo, Some(Some(_)))),
        ("/container", matches!(r.container, Some(Some(_)))),
        ("/cache_control", matches!(r.cache_control, Some(Some(_)))),
    ] {
        if set {
            cx.lose(key)?;
        }
    }
    let display = match &r.thinking {
        Some(an::ThinkingConfigParam::Enabled(t)) => matches!(t.display, Some(Some(_))),
        Some(an::ThinkingConfigParam::Adaptive(t)) => matches!(t.display, Some(Some(_))),
        _ => false,
    };
    if display {
        cx.lose("/thinking/display")?;
    }
    if !reads.effort && matches!(&r.output_config, Some(c) if matches!(c.effort, Some(Some(_)))) {
        cx.lose("/output_config/effort")?;
    }
    for (i, m) in r.messages.iter().flatten().enumerate() {
        let Some(an::InputMessageContent::Array(blocks)) = &m.content else {
            continue;
        };
        for (j, b) in blocks.iter().enumerate() {
            let mut lose = |key: &str, set: bool| {
                if set {
                    cx.lose(format!("/messages/{i}/content/{j}/{key}"))
                } else {
                    Ok(())
                }
            };
            match b {
                an::InputContentBlock::TextBlock(t) => lose_text(t, "", &mut lose)?,
                an::InputContentBlock::ImageBlock(t) => lose_image(t, "", &mut lose)?,
                an::InputContentBlock::DocumentBlock(t) => lose_document(t, "", reads, &mut lose)?,
                an::InputContentBlock::ToolUseBlock(t) => {
                    lose("cache_control", matches!(t.cache_control, Some(Some(_))))?;
                    // A direct call (what Anthropic writes on every call) is every
                    // target's only kind.
                    lose(
                        "caller",
                        t.caller.as_ref().is_some_and(|c| {
                            !matches!(c, an::RequestToolUseBlockCaller::DirectCaller(_))
                        }),
                    )?;
                    lose("toolset_name", matches!(t.toolset_name, Some(Some(_))))?;
                }
                an::InputContentBlock::ToolResultBlock(t) => {
                    lose("cache_control", matches!(t.cache_control, Some(Some(_))))?;
                    lose("toolset_name", matches!(t.toolset_name, Some(Some(_))))?;
                    // The blocks of a result given as a list have the same settings (a
                    // block a pair does not carry at all it reports whole).
                    let items = match &t.content {
                        Some(an::RequestToolResultBlockContent::Array(items)) => &items[..],
                        _ => &[],
                    };
                    for (k, item) in items.iter().enumerate() {
                        use an::RequestToolResultBlockContentArrayItem as Item;
                        let prefix = format!("content/{k}/");
                        match item {
                            Item::TextBlock(b) => lose_text(b, &prefix, &mut lose)?,
                            Item::ImageBlock(b) => lose_image(b, &prefix, &mut lose)?,
                            Item::DocumentBlock(b) => lose_document(b, &prefix, reads, &mut lose)?,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (i, t) in r.tools.iter().flatten().enumerate() {
        let an::CreateMessageParamsToolsItem::Tool(t) = t else {
            continue;
        };
        for (key, set) in [
            ("input_examples", t.input_examples.is_some()),
            ("defer_loading", t.defer_loading == Some(true)),
            (
                "eager_input_streaming",
                matches!(t.eager_input_streaming, Some(Some(true))),
            ),
            (
                "allowed_callers",
                t.allowed_callers
                    .as_ref()
                    .is_some_and(|c| c.iter().any(|c| *c != an::AllowedCaller::Direct)),
            ),
            ("cache_control", matches!(t.cache_control, Some(Some(_)))),
            ("strict", !reads.strict_tools && t.strict == Some(true)),
        ] {
            if set {
                cx.lose(format!("/tools/{i}/{key}"))?;
            }
        }
    }
    let parallel_off = match &r.tool_choice {
        Some(an::ToolChoice::Auto(c)) => c.disable_parallel_tool_use == Some(true),
        Some(an::ToolChoice::Any(c)) => c.disable_parallel_tool_use == Some(true),
        Some(an::ToolChoice::Tool(c)) => c.disable_parallel_tool_use == Some(true),
        _ => false,
    };
    if !reads.parallel_switch && parallel_off {
        cx.lose("/tool_choice/disable_parallel_tool_use")?;
    }
    Ok(())
}
