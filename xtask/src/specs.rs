//! Spec pins (`specs/pins.toml`): where each upstream spec comes from, how to
//! fetch it (local mirror first, then the upstream URL into `.specs-cache/`),
//! and the sha256 check that every read goes through.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Environment variable naming the local mirror of upstream spec files.
pub const MIRROR_ENV: &str = "AIGW_SPECS_MIRROR";

/// Errors of loading a pinned spec. Each names the file it is about.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read spec pins {path}: {source}")]
    PinsRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("malformed spec pins {path}: {message}")]
    PinsParse { path: PathBuf, message: String },
    #[error("no pin for provider `{0}` in specs/pins.toml")]
    UnknownProvider(String),
    #[error(
        "spec {file} is neither in the mirror ({mirror}) nor in the cache, and downloading {url} failed: {message}"
    )]
    Missing {
        file: String,
        mirror: PathBuf,
        url: String,
        message: String,
    },
    #[error("sha256 mismatch for spec {path}: expected {expected}, actual {actual}")]
    HashMismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("cannot read spec {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("malformed spec {path}: {message}")]
    Malformed { path: PathBuf, message: String },
}

/// The format of a pinned spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpecFormat {
    OpenapiYaml,
    OpenapiJson,
    GoogleDiscovery,
}

/// One pinned upstream spec.
#[derive(Debug, Clone, Deserialize)]
pub struct Pin {
    pub provider: String,
    pub file: String,
    pub format: SpecFormat,
    pub url: String,
    pub sha256: String,
    /// Where the newest upstream version is (for `spec-update`).
    #[serde(default)]
    pub latest: Option<String>,
    /// A YAML file whose `openapi_spec_url:` names the newest version (Anthropic's spec has
    /// no "latest" address; its SDK's `.stats.yml` names each revision).
    #[serde(default)]
    pub latest_via_stats: Option<String>,
}

#[derive(Deserialize)]
struct PinsFile {
    spec: Vec<Pin>,
}

/// The workspace root (the folder holding `specs/` and `generated/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The mirror directory: `$AIGW_SPECS_MIRROR`, else `../shared/specs` beside the workspace.
pub fn mirror_dir() -> PathBuf {
    match std::env::var_os(MIRROR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace_root().join("../shared/specs"),
    }
}

/// Environment variable overriding the pins file (tests point it at their own pins).
pub const PINS_ENV: &str = "AIGW_SPECS_PINS";
/// Environment variable overriding the download cache directory.
pub const CACHE_ENV: &str = "AIGW_SPECS_CACHE";

/// Reads the pins: `$AIGW_SPECS_PINS`, else `specs/pins.toml` of the workspace.
pub fn load_pins() -> Result<Vec<Pin>, SpecError> {
    match std::env::var_os(PINS_ENV) {
        Some(path) if !path.is_empty() => load_pins_from(Path::new(&path)),
        _ => load_pins_from(&workspace_root().join("specs/pins.toml")),
    }
}

/// The download cache: `$AIGW_SPECS_CACHE`, else `.specs-cache/` in the workspace (gitignored).
pub fn cache_dir() -> PathBuf {
    match std::env::var_os(CACHE_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace_root().join(".specs-cache"),
    }
}

/// Reads a pins file.
pub fn load_pins_from(path: &Path) -> Result<Vec<Pin>, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::PinsRead {
        path: path.to_owned(),
        source,
    })?;
    let pins: PinsFile = toml::from_str(&text).map_err(|e| SpecError::PinsParse {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(pins.spec)
}

/// The pin of one provider.
pub fn pin(provider: &str) -> Result<Pin, SpecError> {
    load_pins()?
        .into_iter()
        .find(|p| p.provider == provider)
        .ok_or_else(|| SpecError::UnknownProvider(provider.to_owned()))
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A spec file read and verified against its pin.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub pin: Pin,
    /// Where the bytes were read from.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl LoadedSpec {
    /// Parses the spec into a JSON value (YAML specs included).
    pub fn parse(&self) -> Result<serde_json::Value, SpecError> {
        parse_spec_bytes(&self.path, &self.bytes, self.pin.format)
    }
}

/// Parses spec bytes of the given format into a JSON value, naming `path` on error.
pub fn parse_spec_bytes(
    path: &Path,
    bytes: &[u8],
    format: SpecFormat,
) -> Result<serde_json::Value, SpecError> {
    let malformed = |message: String| SpecError::Malformed {
        path: path.to_owned(),
        message,
    };
    let value: serde_json::Value = match format {
        SpecFormat::OpenapiYaml => {
            serde_yaml::from_slice::<LenientJson>(bytes)
                .map_err(|e| malformed(e.to_string()))?
                .0
        }
        SpecFormat::OpenapiJson | SpecFormat::GoogleDiscovery => {
            serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?
        }
    };
    let obj = value
        .as_object()
        .ok_or_else(|| malformed("the document is not an object".into()))?;
    match format {
        SpecFormat::GoogleDiscovery => {
            if !obj.contains_key("discoveryVersion") || !obj.contains_key("schemas") {
                return Err(malformed(
                    "not a Google Discovery document (no `discoveryVersion` / `schemas`)".into(),
                ));
            }
        }
        _ => {
            if !obj.contains_key("openapi") || !obj.contains_key("paths") {
                return Err(malformed(
                    "not an OpenAPI document (no `openapi` / `paths`)".into(),
                ));
            }
        }
    }
    Ok(value)
}

/// A JSON value read leniently from YAML: OpenAI's spec writes int64 bounds as integer
/// literals beyond i64 (`-9223372036854776000`), which serde_json's own visitor rejects
/// (serde_yaml hands them over as i128); here they become floats.
struct LenientJson(serde_json::Value);

impl<'de> serde::Deserialize<'de> for LenientJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor).map(LenientJson)
    }
}

struct LenientVisitor;

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(LenientJson(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((LenientJson(k), LenientJson(v))) = map.next_entry()? {
            let key = match k {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            out.insert(key, v);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// Fetches the pinned spec of `provider`: mirror, then cache, then download; verifies sha256.
pub fn fetch(provider: &str) -> Result<LoadedSpec, SpecError> {
    fetch_pin(&pin(provider)?, &mirror_dir(), &cache_dir())
}

/// Fetches one pin from `mirror` or `cache` (the first whose file has the pinned sha256:
/// after `cargo xtask spec-update --write` the new version sits in the cache while the
/// mirror still holds the old one), else downloads its URL into `cache`.
pub fn fetch_pin(pin: &Pin, mirror: &Path, cache: &Path) -> Result<LoadedSpec, SpecError> {
    let mut mismatch = None;
    for path in [mirror.join(&pin.file), cache.join(&pin.file)] {
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| SpecError::Read {
            path: path.clone(),
            source,
        })?;
        let actual = sha256_hex(&bytes);
        if actual.eq_ignore_ascii_case(&pin.sha256) {
            return Ok(LoadedSpec {
                pin: pin.clone(),
                path,
                bytes,
            });
        }
        mismatch.get_or_insert(SpecError::HashMismatch {
            path,
            expected: pin.sha256.clone(),
            actual,
        });
    }
    // A file that is there but different is reported as such, not replaced.
    if let Some(e) = mismatch {
        return Err(e);
    }
    let target = cache.join(&pin.file);
    download(&pin.url, &target).map_err(|message| SpecError::Missing {
        file: pin.file.clone(),
        mirror: mirror.to_owned(),
        url: pin.url.clone(),
        message,
    })?;
    let bytes = std::fs::read(&target).map_err(|source| SpecError::Read {
        path: target.clone(),
        source,
    })?;
    let actual = sha256_hex(&bytes);
    if !actual.eq_ignore_ascii_case(&pin.sha256) {
        return Err(SpecError::HashMismatch {
            path: target,
            expected: pin.sha256.clone(),
            actual,
        });
    }
    Ok(LoadedSpec {
        pin: pin.clone(),
        path: target,
        bytes,
    })
}

/// Downloads `url` (no cache, no pin): the newest upstream version for spec-update.
pub fn download_bytes(url: &str) -> Result<Vec<u8>, String> {
    if std::env::var_os("AIGW_SPECS_OFFLINE").is_some() {
        return Err("AIGW_SPECS_OFFLINE is set".into());
    }
    let mut response = ureq::get(url).call().map_err(|e| e.to_string())?;
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| e.to_string())
}

fn download(url: &str, target: &Path) -> Result<(), String> {
    let bytes = download_bytes(url)?;
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(target, bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin_for(file: &str, sha256: &str) -> Pin {
        Pin {
            provider: "test".into(),
            file: file.into(),
            format: SpecFormat::OpenapiJson,
            url: "http://127.0.0.1:9/unreachable.json".into(),
            sha256: sha256.into(),
            latest: None,
            latest_via_stats: None,
        }
    }

    #[test]
    fn mismatch_names_file_and_both_hashes() {
        let dir = tempdir();
        std::fs::write(dir.join("spec.json"), b"{}").unwrap();
        let err = fetch_pin(
            &pin_for("spec.json", &"0".repeat(64)),
            &dir,
            &dir.join("cache"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("spec.json"), "{err}");
        assert!(err.contains(&"0".repeat(64)), "{err}");
        assert!(err.contains(&sha256_hex(b"{}")), "{err}");
    }

    #[test]
    fn missing_spec_is_a_clear_error() {
        let dir = tempdir();
        let err = fetch_pin(&pin_for("nope.json", "00"), &dir, &dir.join("cache"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("nope.json") && err.contains("unreachable.json"),
            "{err}"
        );
    }

    #[test]
    fn malformed_spec_is_a_clear_error() {
        let err = parse_spec_bytes(Path::new("x.json"), b"{not json", SpecFormat::OpenapiJson)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("malformed spec x.json"), "{err}");
        let err = parse_spec_bytes(Path::new("y.json"), b"{\"a\":1}", SpecFormat::OpenapiJson)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an OpenAPI document"), "{err}");
        let err = parse_spec_bytes(
            Path::new("z.json"),
            b"{\"openapi\":\"3.1.0\",\"paths\":{}}",
            SpecFormat::GoogleDiscovery,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("not a Google Discovery document"), "{err}");
    }

    fn tempdir() -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "aigw-specs-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
