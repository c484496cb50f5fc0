//! `cargo xtask`: maintenance jobs. A thin CLI over the `xtask` library.
use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "aigw maintenance jobs")]
struct Cli {
    #[command(subcommand)]
    job: Job,
}

#[derive(Subcommand)]
enum Job {
    /// Fetch every pinned spec (mirror or download) and verify its sha256.
    Specs,
    /// Regenerate the wire-type crates under generated/.
    Codegen {
        /// Regenerate in memory and fail, naming the files, when generated/ is stale.
        #[arg(long)]
        check: bool,
        /// Only these providers (default: all).
        #[arg(long)]
        provider: Vec<String>,
        /// Write the normalized OpenAPI documents here (for inspection).
        #[arg(long)]
        dump_normalized: Option<std::path::PathBuf>,
        /// The tree whose generated/ is written or checked (default: this workspace).
        #[arg(long)]
        root: Option<std::path::PathBuf>,
    },
    /// What changed between two versions of a provider's spec, and what breaks for
    /// clients of the generated crate. Exit code 1 when `--fail-on` is met, 2 on error.
    SpecDiff {
        /// The old spec: a path, or a pinned provider name (`openai`).
        old: String,
        /// The new spec: a path, or a pinned provider name.
        new: String,
        /// The provider, when the files do not tell (openai, anthropic, gemini).
        #[arg(long)]
        provider: Option<String>,
        /// The whole spec, not only the operations the crate is generated from.
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when the report has a change of this kind or worse.
        #[arg(long, value_enum, default_value_t = FailOn::Never)]
        fail_on: FailOn,
    },
    /// Print the spec-diff rules: name, kind on the request and response side, why.
    SpecDiffRules,
    /// The scheduled job: for each pinned spec, take the newest upstream version, and
    /// when it differs from the pin print the spec-diff report and what regenerating
    /// would change in generated/. `--write` moves the pin and rewrites generated/.
    SpecUpdate {
        /// Only these providers (default: all pinned).
        provider: Vec<String>,
        /// Read the newest version from this file instead of downloading it (one provider).
        #[arg(long)]
        from: Option<std::path::PathBuf>,
        /// Move the pin (url, sha256), cache the file and rewrite generated/.
        #[arg(long)]
        write: bool,
        /// The tree whose generated/ is compared and written (default: this workspace).
        #[arg(long)]
        root: Option<std::path::PathBuf>,
        /// Report format (text or markdown).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when a report has a change of this kind or worse.
        #[arg(long, value_enum, default_value_t = FailOn::Never)]
        fail_on: FailOn,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum FailOn {
    /// Never fail on the report (errors still exit 2).
    Never,
    /// Any breaking change.
    Breaking,
    /// Any change at all.
    Any,
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Whether `report` meets the `--fail-on` gate.
fn gate(fail_on: FailOn, report: &xtask::diff::Report) -> bool {
    match fail_on {
        FailOn::Never => false,
        FailOn::Breaking => report.summary.breaking > 0,
        FailOn::Any => !report.changes.is_empty(),
    }
}

fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let ok = std::process::ExitCode::SUCCESS;
    match cli.job {
        Job::SpecDiff {
            old,
            new,
            provider,
            all,
            format,
            fail_on,
        } => {
            let (old, new) = (xtask::diff::load(&old)?, xtask::diff::load(&new)?);
            let report = xtask::diff::diff(&old, &new, &xtask::diff::Options { provider, all })?;
            print!(
                "{}",
                match format {
                    Format::Text => xtask::diff::text(&report),
                    Format::Markdown => xtask::diff::markdown(&report),
                    Format::Json => xtask::diff::json(&report) + "\n",
                }
            );
            Ok(if gate(fail_on, &report) {
                std::process::ExitCode::from(1)
            } else {
                ok
            })
        }
        Job::SpecUpdate {
            provider,
            from,
            write,
            root,
            format,
            fail_on,
        } => {
            let root = root.unwrap_or_else(xtask::specs::workspace_root);
            let names: Vec<String> = if provider.is_empty() {
                xtask::specs::load_pins()?
                    .into_iter()
                    .map(|p| p.provider)
                    .collect()
            } else {
                provider
            };
            if from.is_some() && names.len() != 1 {
                anyhow::bail!("--from takes one provider; name it");
            }
            let mut fail = false;
            for name in &names {
                let p = xtask::update::provider(name)
                    .with_context(|| format!("no provider named {name}"))?;
                let pin = xtask::specs::pin(name)?;
                let newest = xtask::update::newest(&pin, from.as_deref())?;
                let outcome = xtask::update::check(&p, newest, &root)?;
                print!(
                    "{}",
                    xtask::update::summary(&outcome, matches!(format, Format::Markdown))
                );
                if let Some(report) = &outcome.report {
                    fail |= gate(fail_on, report);
                }
                if write {
                    let pins = std::env::var_os(xtask::specs::PINS_ENV)
                        .map(std::path::PathBuf::from)
                        .unwrap_or_else(|| root.join("specs/pins.toml"));
                    xtask::update::write(&outcome, &root, &pins)?;
                    if outcome.report.is_some() {
                        println!("{name}: pin moved and generated/ rewritten");
                    }
                }
            }
            Ok(if fail {
                std::process::ExitCode::from(1)
            } else {
                ok
            })
        }
        Job::SpecDiffRules => {
            for r in xtask::diff::RULES {
                println!(
                    "{:<26} request: {:<34} response: {:<34} {}",
                    r.name,
                    r.request.label(),
                    r.response.label(),
                    r.why
                );
            }
            Ok(ok)
        }
        Job::Specs => {
            for pin in xtask::specs::load_pins()? {
                let spec = xtask::specs::fetch(&pin.provider)?;
                spec.parse()?;
                println!(
                    "ok  {:<10} {} ({} bytes, sha256 {})",
                    pin.provider,
                    spec.path.display(),
                    spec.bytes.len(),
                    pin.sha256
                );
            }
            Ok(ok)
        }
        Job::Codegen {
            check,
            provider,
            dump_normalized,
            root,
        } => {
            let root = root.unwrap_or_else(xtask::specs::workspace_root);
            let started = std::time::Instant::now();
            let files = xtask::codegen::generate_all(&provider, dump_normalized.as_deref())?;
            if check {
                let stale = xtask::codegen::stale_files(&root, &files);
                if stale.is_empty() {
                    println!(
                        "generated/ is up to date ({} files, {:.2?})",
                        files.len(),
                        started.elapsed()
                    );
                    return Ok(ok);
                }
                for f in &stale {
                    eprintln!("stale: {}", f.display());
                }
                anyhow::bail!(
                    "{} generated file(s) differ from what `cargo xtask codegen` would write",
                    stale.len()
                );
            }
            for (path, text) in &files {
                let full = root.join(path);
                if let Some(dir) = full.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                std::fs::write(&full, text)
                    .with_context(|| format!("writing {}", full.display()))?;
            }
            println!("wrote {} files in {:.2?}", files.len(), started.elapsed());
            Ok(ok)
        }
    }
}
