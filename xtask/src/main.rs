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
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.job {
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
            Ok(())
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
                    return Ok(());
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
            Ok(())
        }
    }
}
