//! The `xtask` binary end to end: `codegen --check` passes on this tree and fails,
//! naming the file, on a copy with one byte changed; spec problems (sha256 mismatch,
//! missing, malformed) are clear errors, never panics.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aigw-xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn check_passes_on_this_tree_and_fails_on_a_one_byte_change() {
    let out = xtask()
        .args(["codegen", "--check"])
        .output()
        .expect("run xtask");
    assert!(
        out.status.success(),
        "generated/ is stale here:\n{}",
        text(&out)
    );

    let root = temp_dir("stale");
    let workspace = xtask::specs::workspace_root();
    std::fs::create_dir_all(root.join("generated")).expect("mkdir");
    copy_tree(&workspace.join("generated"), &root.join("generated"));
    let victim = root.join("generated/anthropic/src/types.rs");
    let mut bytes = std::fs::read(&victim).expect("read");
    let i = bytes.len() / 2;
    bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
    std::fs::write(&victim, bytes).expect("write");

    let out = xtask()
        .args(["codegen", "--check", "--root"])
        .arg(&root)
        .output()
        .expect("run xtask");
    let said = text(&out);
    assert!(
        !out.status.success(),
        "--check passed on a changed file:\n{said}"
    );
    assert!(
        said.contains("stale: generated/anthropic/src/types.rs"),
        "{said}"
    );
    assert_eq!(said.matches("stale:").count(), 1, "{said}");
    assert!(!said.contains("panicked"), "{said}");
}

/// Runs `xtask specs` with pins and a mirror of the test's own.
fn specs_with(name: &str, file_bytes: Option<&[u8]>, sha256: &str) -> (bool, String) {
    let dir = temp_dir(name);
    let mirror = dir.join("mirror");
    std::fs::create_dir_all(mirror.join("openai")).expect("mkdir");
    if let Some(bytes) = file_bytes {
        std::fs::write(mirror.join("openai/openapi.yaml"), bytes).expect("write");
    }
    let pins = dir.join("pins.toml");
    std::fs::write(
        &pins,
        format!(
            "[[spec]]\nprovider = \"openai\"\nfile = \"openai/openapi.yaml\"\nformat = \"openapi-yaml\"\n\
             url = \"http://127.0.0.1:9/openapi.yaml\"\nsha256 = \"{sha256}\"\n"
        ),
    )
    .expect("pins");
    let out = xtask()
        .arg("specs")
        .env("AIGW_SPECS_PINS", &pins)
        .env("AIGW_SPECS_MIRROR", &mirror)
        .env("AIGW_SPECS_CACHE", dir.join("cache"))
        .env("AIGW_SPECS_OFFLINE", "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run xtask");
    (out.status.success(), text(&out))
}

#[test]
fn sha256_mismatch_names_file_and_both_hashes() {
    let expected = "0".repeat(64);
    let (ok, said) = specs_with("mismatch", Some(b"openapi: 3.1.0\npaths: {}\n"), &expected);
    assert!(!ok);
    assert!(
        said.contains("sha256 mismatch") && said.contains("openai/openapi.yaml"),
        "{said}"
    );
    assert!(
        said.contains(&expected)
            && said.contains(&xtask::specs::sha256_hex(b"openapi: 3.1.0\npaths: {}\n")),
        "{said}"
    );
    assert!(!said.contains("panicked"), "{said}");
}

#[test]
fn missing_spec_is_a_clear_error() {
    let (ok, said) = specs_with("missing", None, &"0".repeat(64));
    assert!(!ok);
    assert!(
        said.contains("openai/openapi.yaml") && said.contains("neither in the mirror"),
        "{said}"
    );
    assert!(!said.contains("panicked"), "{said}");
}

#[test]
fn malformed_spec_is_a_clear_error() {
    let bytes = b"openapi: [unclosed\n";
    let (ok, said) = specs_with("malformed", Some(bytes), &xtask::specs::sha256_hex(bytes));
    assert!(!ok);
    assert!(
        said.contains("malformed spec") && said.contains("openapi.yaml"),
        "{said}"
    );
    assert!(!said.contains("panicked"), "{said}");
}
