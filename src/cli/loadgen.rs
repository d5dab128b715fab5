//! `catwalk loadgen`: simulated viewers against a running server, with a report.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use catwalk_loadgen::{LoadPlan, run_load};
use catwalk_protocol::{Role, ShowId};
use clap::Args;

use super::keys::KeyArgs;

/// Options of `catwalk loadgen`.
#[derive(Debug, Args)]
pub struct LoadgenArgs {
    /// The server.
    #[arg(long, default_value = "ws://127.0.0.1:9000")]
    url: String,
    /// Simulated viewers.
    #[arg(long, default_value_t = 1000)]
    viewers: usize,
    /// Local addresses to connect from, comma separated (e.g. 127.0.0.1,127.0.0.2).
    #[arg(long, value_delimiter = ',')]
    local_ips: Vec<IpAddr>,
    /// Connections opened at once during the ramp.
    #[arg(long, default_value_t = 200)]
    ramp: usize,
    /// Seconds measured after everyone has joined.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Milliseconds between look changes.
    #[arg(long, default_value_t = 2000)]
    look_every_ms: u64,
    /// Mean milliseconds between one viewer's writes (0: watch only).
    #[arg(long, default_value_t = 2000)]
    write_every_ms: u64,
    /// Share of writes that are purchase intents.
    #[arg(long, default_value_t = 0.1)]
    intent_share: f64,
    /// Organizer token (default: issued from the admin key).
    #[arg(long, env = "CATWALK_TOKEN")]
    token: Option<String>,
    #[command(flatten)]
    key: KeyArgs,
    /// The server's process id, to measure its memory per connection.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Looks in the load-test show.
    #[arg(long, default_value_t = 40)]
    looks: usize,
    /// Show id to create (default: a fresh one).
    #[arg(long)]
    show: Option<String>,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// Runs the load test and prints the report.
pub async fn run(args: LoadgenArgs) -> anyhow::Result<()> {
    let token = match args.token {
        Some(t) => t,
        None => args.key.load()?.issue(
            Role::Organizer,
            "loadgen",
            catwalk_server::auth::unix_now(),
            3600,
        ),
    };
    let show = match args.show {
        Some(s) => ShowId::parse(s)?,
        None => ShowId::parse(format!(
            "load-{}",
            &catwalk_server::AdminKey::generate_secret()[..8]
        ))?,
    };
    let plan = LoadPlan {
        url: args.url,
        viewers: args.viewers,
        local_ips: args.local_ips,
        ramp_concurrency: args.ramp,
        duration: Duration::from_secs(args.seconds),
        look_every: Duration::from_millis(args.look_every_ms),
        write_every: Duration::from_millis(args.write_every_ms),
        intent_share: args.intent_share,
        token: Some(token),
        server_pid: args.server_pid,
        show,
        looks: args.looks,
        progress: true,
    };
    let report = run_load(plan).await?;
    let json = serde_json::to_string_pretty(&report)?;
    println!("{json}");
    if let Some(path) = args.json {
        std::fs::write(&path, &json)
            .with_context(|| format!("while writing {}", path.display()))?;
    }
    if !report.reconciled {
        anyhow::bail!(
            "reconciliation failed: {} looks differ",
            report.mismatches.len()
        );
    }
    Ok(())
}
