//! `catwalk-production`: the made-to-order production backend (JSON API and web pages).
//!
//! Run with `cargo run -p catwalk_production -- --database sqlite://production.db`.

use anyhow::Context;
use catwalk_production::{Clock, Config, Faults, build_state, serve};
use clap::Parser;

/// Catwalk's production backend: intake from the show server, design ranking, contracts,
/// partner recommendation, work orders with QR codes, pre-order campaigns, shipping and
/// ratings.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Database URL: sqlite://PATH (WAL, created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "CATWALK_PRODUCTION_DATABASE",
        default_value = "sqlite://catwalk-production.db"
    )]
    database: String,
    /// Address to listen on.
    #[arg(
        long,
        env = "CATWALK_PRODUCTION_BIND",
        default_value = "127.0.0.1:8090"
    )]
    bind: String,
    /// Base URL that QR codes and links point to (what a phone on the shop floor can
    /// reach); defaults to http://<bind>.
    #[arg(long, env = "CATWALK_PRODUCTION_PUBLIC_URL")]
    public_url: Option<String>,
    /// Platform admin token: creates organisations and authenticates the show server's
    /// intake (`Authorization: Bearer <token>`).
    #[arg(long, env = "CATWALK_PRODUCTION_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// Fault injection for restart tests: abort the process inside the N-th intake
    /// transaction, before it commits.
    #[arg(long, env = "CATWALK_PRODUCTION_ABORT_IN_INTAKE", hide = true)]
    abort_in_intake: Option<u64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("while binding {}", args.bind))?;
    let addr = listener
        .local_addr()
        .context("while reading the bound address")?;
    let config = Config {
        database_url: args.database.clone(),
        public_url: args.public_url.unwrap_or_else(|| format!("http://{addr}")),
        admin_token: args.admin_token,
    };
    let faults = args
        .abort_in_intake
        .map(Faults::abort_in_intake)
        .unwrap_or_default();
    let state = tokio::task::spawn_blocking(move || build_state(&config, Clock::system(), faults))
        .await
        .context("while starting")?
        .with_context(|| format!("while opening the database {}", args.database))?;
    tracing::info!(%addr, engine = state.db.engine(), "catwalk-production listening");
    println!("listening on http://{addr}");
    serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("while serving")?;
    Ok(())
}
