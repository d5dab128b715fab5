//! `catwalk serve`: the show server, configured by flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use catwalk_server::ServerConfig;
use clap::Args;
use tokio::net::TcpListener;

use super::keys::KeyArgs;

/// Options of `catwalk serve` (each also readable from a `CATWALK_…` variable).
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the chosen address is printed).
    #[arg(long, env = "CATWALK_LISTEN", default_value = "127.0.0.1:9000")]
    pub listen: SocketAddr,
    /// SQLite database file (created if missing).
    #[arg(long, env = "CATWALK_DB", default_value = "var/catwalk.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub key: KeyArgs,
    /// Production backend base URL; ratings and purchase intents are posted to
    /// {url}/intake/events.
    #[arg(long, env = "CATWALK_PRODUCTION_URL")]
    pub production_url: Option<String>,
    /// The production backend's platform token, sent as a bearer token with every intake post.
    #[arg(long, env = "CATWALK_PRODUCTION_TOKEN", hide_env_values = true)]
    pub production_token: Option<String>,
    /// Most open connections.
    #[arg(long, env = "CATWALK_MAX_CONNECTIONS", default_value_t = 19_000)]
    pub max_connections: usize,
    /// Largest frame accepted, bytes.
    #[arg(long, env = "CATWALK_MAX_FRAME_BYTES", default_value_t = 64 * 1024)]
    pub max_frame_bytes: usize,
    /// Frames queued per client before it is disconnected as too slow.
    #[arg(long, env = "CATWALK_SEND_QUEUE", default_value_t = 256)]
    pub send_queue: usize,
    /// Messages per second per connection.
    #[arg(long, env = "CATWALK_RATE_PER_SEC", default_value_t = 20)]
    pub rate_per_sec: u32,
    /// Burst per connection.
    #[arg(long, env = "CATWALK_RATE_BURST", default_value_t = 40)]
    pub rate_burst: u32,
    /// Milliseconds between aggregate broadcasts.
    #[arg(long, env = "CATWALK_AGGREGATE_MS", default_value_t = 200)]
    pub aggregate_ms: u64,
}

impl ServeArgs {
    /// The server configuration these options describe.
    pub fn config(&self) -> anyhow::Result<ServerConfig> {
        if let Some(dir) = self.db.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("while creating {}", dir.display()))?;
        }
        let mut config = ServerConfig::new(&self.db, self.key.load()?);
        config.production_url = self.production_url.clone();
        config.production_token = self.production_token.clone();
        config.max_connections = self.max_connections;
        config.max_frame_bytes = self.max_frame_bytes;
        config.send_queue_frames = self.send_queue;
        config.rate_per_sec = self.rate_per_sec;
        config.rate_burst = self.rate_burst;
        config.aggregate_interval = Duration::from_millis(self.aggregate_ms.max(10));
        Ok(config)
    }
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.config()?;
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("while binding {}", args.listen))?;
    let addr = listener.local_addr()?;
    println!("listening on ws://{addr}");
    catwalk_server::run(listener, config, super::shutdown_signal()).await?;
    Ok(())
}
