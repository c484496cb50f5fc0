//! `spec-update`: the scheduled job's step. For each pinned spec, take the newest upstream
//! version (downloaded from the pin's `latest`, or a file given), and when it differs from
//! the pin: the spec-diff report, and what regenerating from it would change in
//! `generated/` (files, lines added and removed). `--write` then moves the pin (url,
//! sha256), keeps the file in the download cache, and rewrites `generated/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::codegen::{self, CodegenError};
use crate::diff::{self, DiffError, Report};
use crate::generate;
use crate::select::{self, Provider};
use crate::specs::{self, LoadedSpec, Pin, SpecError};

/// Errors of spec-update, each naming the provider or file.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Codegen(#[from] CodegenError),
    #[error(transparent)]
    Generate(#[from] generate::GenerateError),
    #[error(transparent)]
    Diff(#[from] DiffError),
    #[error("{provider}: the pin names no `latest` or `latest_via_stats`")]
    NoLatest { provider: String },
    #[error("{provider}: downloading {url} failed: {message}")]
    Download {
        provider: String,
        url: String,
        message: String,
    },
    #[error("{provider}: {url} has no `openapi_spec_url:` line")]
    NoSpecUrl { provider: String, url: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The newest upstream version of a pinned spec.
#[derive(Debug, Clone)]
pub struct Newest {
    /// Where it came from (a URL, or the file given).
    pub url: String,
    pub bytes: Vec<u8>,
}

/// Downloads the newest version named by `pin` (`latest`, or the spec URL a stats file
/// names), or reads `from`.
pub fn newest(pin: &Pin, from: Option<&Path>) -> Result<Newest, UpdateError> {
    if let Some(path) = from {
        let bytes = std::fs::read(path).map_err(|source| SpecError::Read {
            path: path.to_owned(),
            source,
        })?;
        return Ok(Newest {
            url: path.display().to_string(),
            bytes,
        });
    }
    let download = |url: &str| {
        specs::download_bytes(url).map_err(|message| UpdateError::Download {
            provider: pin.provider.clone(),
            url: url.to_owned(),
            message,
        })
    };
    let url = match (&pin.latest, &pin.latest_via_stats) {
        (Some(url), _) => url.clone(),
        (None, Some(stats)) => {
            let text = String::from_utf8_lossy(&download(stats)?).into_owned();
            spec_url_in_stats(&text).ok_or_else(|| UpdateError::NoSpecUrl {
                provider: pin.provider.clone(),
                url: stats.clone(),
            })?
        }
        (None, None) => {
            return Err(UpdateError::NoLatest {
                provider: pin.provider.clone(),
            });
        }
    };
    Ok(Newest {
        bytes: download(&url)?,
        url,
    })
}

/// The `openapi_spec_url:` of a Stainless `.stats.yml`.
pub fn spec_url_in_stats(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let value = l.trim().strip_prefix("openapi_spec_url:")?.trim();
        Some(value.trim_matches(|c| c == '"' || c == '\'').to_owned()).filter(|v| !v.is_empty())
    })
}

/// Lines added and removed in one generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    pub added: usize,
    pub removed: usize,
}

/// What moving one pin to the newest version means.
#[derive(Debug)]
pub struct Outcome {
    pub provider: String,
    pub old_sha256: String,
    pub new_sha256: String,
    /// `None` when the newest version is the pinned one.
    pub report: Option<Report>,
    /// Generated files that would change.
    pub generated: Vec<FileChange>,
    /// The pin moved to the newest version, and the files regenerated from it.
    pub new_pin: Pin,
    pub files: generate::Files,
    pub bytes: Vec<u8>,
}

/// Compares the pin of `provider` with `newest`: the report and the generated-code change.
pub fn check(provider: &Provider, newest: Newest, root: &Path) -> Result<Outcome, UpdateError> {
    let pin = specs::pin(provider.name)?;
    let new_sha256 = specs::sha256_hex(&newest.bytes);
    let new_pin = Pin {
        url: newest.url.clone(),
        sha256: new_sha256.clone(),
        ..pin.clone()
    };
    let mut outcome = Outcome {
        provider: provider.name.to_owned(),
        old_sha256: pin.sha256.clone(),
        new_sha256: new_sha256.clone(),
        report: None,
        generated: Vec::new(),
        new_pin: new_pin.clone(),
        files: generate::Files::new(),
        bytes: Vec::new(),
    };
    if new_sha256.eq_ignore_ascii_case(&pin.sha256) {
        return Ok(outcome);
    }
    let spec = LoadedSpec {
        pin: new_pin.clone(),
        path: PathBuf::from(&newest.url),
        bytes: newest.bytes,
    };
    let new_input = diff::Input {
        label: format!("newest {} ({})", provider.name, short(&new_sha256)),
        value: spec.parse()?,
        format: pin.format,
        provider: Some(provider.name.to_owned()),
    };
    let old_input = diff::load(provider.name)?;
    outcome.report = Some(diff::diff(
        &old_input,
        &new_input,
        &diff::Options::default(),
    )?);
    let normalized = codegen::normalized_from(provider, &spec)?;
    let files = generate::generate_provider(provider, &new_pin, &normalized)?;
    outcome.generated = files
        .iter()
        .filter_map(|(path, text)| {
            let current = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            let (added, removed) = line_changes(&current, text);
            (added + removed > 0).then(|| FileChange {
                path: path.clone(),
                added,
                removed,
            })
        })
        .collect();
    outcome.files = files;
    outcome.bytes = spec.bytes;
    Ok(outcome)
}

/// Lines only in `new` and lines only in `old`, counted as multisets: the size of a
/// diff without computing one.
pub fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let mut counts: BTreeMap<&str, isize> = BTreeMap::new();
    for l in old.lines() {
        *counts.entry(l).or_default() -= 1;
    }
    for l in new.lines() {
        *counts.entry(l).or_default() += 1;
    }
    counts.values().fold((0, 0), |(a, r), &c| {
        if c > 0 {
            (a + c as usize, r)
        } else {
            (a, r + (-c) as usize)
        }
    })
}

/// Moves the pin in `pins_path`, stores the new file in the download cache, and writes the
/// regenerated files under `root`.
pub fn write(outcome: &Outcome, root: &Path, pins_path: &Path) -> Result<(), UpdateError> {
    let write_file = |path: &Path, bytes: &[u8]| -> Result<(), UpdateError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| UpdateError::Write {
                path: dir.to_owned(),
                source,
            })?;
        }
        std::fs::write(path, bytes).map_err(|source| UpdateError::Write {
            path: path.to_owned(),
            source,
        })
    };
    if outcome.report.is_none() {
        return Ok(());
    }
    write_file(
        &specs::cache_dir().join(&outcome.new_pin.file),
        &outcome.bytes,
    )?;
    let pins = std::fs::read_to_string(pins_path).map_err(|source| SpecError::PinsRead {
        path: pins_path.to_owned(),
        source,
    })?;
    write_file(pins_path, move_pin(&pins, outcome).as_bytes())?;
    for (path, text) in &outcome.files {
        write_file(&root.join(path), text.as_bytes())?;
    }
    Ok(())
}

/// The pins text with the provider's `url` and `sha256` moved (comments kept).
fn move_pin(pins: &str, outcome: &Outcome) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in pins.lines() {
        let t = line.trim();
        if t.starts_with("[[spec]]") {
            in_block = false;
        }
        if t == format!("provider = \"{}\"", outcome.provider) {
            in_block = true;
        }
        if in_block && t.starts_with("url =") {
            out.push_str(&format!("url = \"{}\"\n", outcome.new_pin.url));
        } else if in_block && t.starts_with("sha256 =") {
            out.push_str(&format!("sha256 = \"{}\"\n", outcome.new_sha256));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn short(sha: &str) -> &str {
    &sha[..12.min(sha.len())]
}

/// The provider named `name`.
pub fn provider(name: &str) -> Option<Provider> {
    select::providers().into_iter().find(|p| p.name == name)
}

/// The outcome as text (or Markdown) for the job's log.
pub fn summary(outcome: &Outcome, markdown: bool) -> String {
    let Some(report) = &outcome.report else {
        return format!(
            "{}: up to date (sha256 {})\n",
            outcome.provider,
            short(&outcome.old_sha256)
        );
    };
    let mut out = if markdown {
        diff::markdown(report)
    } else {
        diff::text(report)
    };
    out.push_str(&format!(
        "\n{}regenerated from {} ({} → {}):\n",
        if markdown { "#### " } else { "" },
        outcome.new_pin.url,
        short(&outcome.old_sha256),
        short(&outcome.new_sha256)
    ));
    if outcome.generated.is_empty() {
        out.push_str("  generated/ unchanged\n");
    }
    for f in &outcome.generated {
        out.push_str(&format!(
            "  {}{} +{} -{}\n",
            if markdown { "- " } else { "" },
            f.path.display(),
            f.added,
            f.removed
        ));
    }
    out
}
