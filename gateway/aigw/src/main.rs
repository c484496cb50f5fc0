//! The `aigw` binary: `aigw serve [--config FILE]`, `aigw config check FILE`.
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

/// mimalloc rather than the system's malloc: translation builds and frees many small
/// JSON trees, and malloc and free were about a third of its time (the rich request
/// benchmark runs 35-45 % faster with it; see CONTRIBUTING).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "aigw",
    version,
    about = "A protocol-faithful, multi-provider AI gateway"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gateway (the embedded default config when no file is given).
    Serve {
        /// A TOML config file.
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Listen here instead of the config's `server.listen`.
        #[arg(long)]
        listen: Option<String>,
    },
    /// Configuration jobs.
    Config {
        #[command(subcommand)]
        job: ConfigJob,
    },
}

#[derive(Subcommand)]
enum ConfigJob {
    /// Check a config file: syntax, fields, references; key variables not set are warnings.
    Check { file: PathBuf },
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Config {
            job: ConfigJob::Check { file },
        } => {
            let config = aigw::config::load_file(&file, &env, aigw::config::MissingKeys::Warn)?;
            for w in &config.warnings {
                println!("warning: {w}");
            }
            println!(
                "{}: ok ({} providers, {} routes, {} aliases)",
                file.display(),
                config.providers.len(),
                config.routes.len(),
                config.aliases.len()
            );
            Ok(())
        }
        Command::Serve { config, listen } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_env("AIGW_LOG")
                        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
                )
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .init();
            let mut config = match config {
                Some(path) => {
                    aigw::config::load_file(&path, &env, aigw::config::MissingKeys::Error)?
                }
                None => aigw::config::embedded_default(&env),
            };
            if let Some(listen) = listen {
                config.server.listen = listen;
            }
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the runtime")?;
            runtime.block_on(serve(config))
        }
    }
}

async fn serve(config: aigw::Config) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| format!("listening on {}", config.server.listen))?;
    let addr = listener.local_addr()?;
    let providers: Vec<String> = config
        .providers
        .iter()
        .map(|p| format!("{} ({})", p.name, p.kind.as_str()))
        .collect();
    tracing::info!(
        %addr,
        config = %config.source,
        providers = %if providers.is_empty() { "none: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, ...".to_owned() } else { providers.join(", ") },
        "aigw listening"
    );
    // The bound address on stdout, for scripts that start the gateway on port 0.
    println!("aigw listening on http://{addr}");
    let gw = Arc::new(aigw::Gateway::new(config));
    aigw::server::serve(gw, listener, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
