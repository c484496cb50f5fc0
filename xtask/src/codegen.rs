//! `codegen`: every provider from its pinned spec to files, and the stale check.

use std::path::{Path, PathBuf};

use crate::generate::{self, Files};
use crate::select::{self, Provider};
use crate::specs;

/// Errors of a whole codegen run.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error(transparent)]
    Spec(#[from] specs::SpecError),
    #[error(transparent)]
    Select(#[from] select::SelectError),
    #[error(transparent)]
    Generate(#[from] generate::GenerateError),
    #[error("overlay {path}: {message}")]
    Overlay { path: PathBuf, message: String },
    #[error("unknown provider `{0}`")]
    UnknownProvider(String),
}

/// Loads, verifies and normalizes one provider's pinned spec.
pub fn normalized(
    provider: &Provider,
) -> Result<(specs::LoadedSpec, select::Normalized), CodegenError> {
    let spec = specs::fetch(provider.name)?;
    let normalized = normalized_from(provider, &spec)?;
    Ok((spec, normalized))
}

/// Normalizes `spec` (any version of `provider`'s spec, with its overlay).
pub fn normalized_from(
    provider: &Provider,
    spec: &specs::LoadedSpec,
) -> Result<select::Normalized, CodegenError> {
    let value = spec.parse()?;
    let overlay = match provider.overlay {
        Some(rel) => {
            let path = specs::workspace_root().join("specs").join(rel);
            let text = std::fs::read_to_string(&path).map_err(|e| CodegenError::Overlay {
                path: path.clone(),
                message: e.to_string(),
            })?;
            Some(
                serde_json::from_str(&text).map_err(|e| CodegenError::Overlay {
                    path: path.clone(),
                    message: e.to_string(),
                })?,
            )
        }
        None => None,
    };
    Ok(select::normalize_spec(
        provider,
        &value,
        spec.pin.format,
        overlay.as_ref(),
    )?)
}

/// Generates the files of the named providers (all when `only` is empty).
pub fn generate_all(only: &[String], dump: Option<&Path>) -> Result<Files, CodegenError> {
    let all = select::providers();
    for name in only {
        if !all.iter().any(|p| p.name == name) {
            return Err(CodegenError::UnknownProvider(name.clone()));
        }
    }
    let mut files = Files::new();
    for provider in all
        .iter()
        .filter(|p| only.is_empty() || only.iter().any(|o| o == p.name))
    {
        let (spec, normalized) = normalized(provider)?;
        if let Some(dir) = dump {
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(
                dir.join(format!("{}.json", provider.name)),
                serde_json::to_string_pretty(&normalized.doc).unwrap_or_default(),
            );
        }
        files.extend(generate::generate_provider(
            provider,
            &spec.pin,
            &normalized,
        )?);
    }
    Ok(files)
}

/// Files under `root` whose content differs from `files` (or that are missing).
pub fn stale_files(root: &Path, files: &Files) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(path, _)| path.clone())
        .collect()
}
