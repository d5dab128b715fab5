//! Server configuration: every limit and interval in one place, with defaults that suit one
//! machine. The `catwalk serve` command maps flags and environment variables onto it.

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::AdminKey;

/// Everything the server can be tuned with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The SQLite database holding shows, votes, intents and the outbox.
    pub db_path: PathBuf,
    /// The key organizer tokens are signed with.
    pub admin_key: AdminKey,
    /// Most open websocket connections; more are refused with `server_busy`.
    pub max_connections: usize,
    /// Largest frame (and message) accepted, in bytes.
    pub max_frame_bytes: usize,
    /// Frames queued for one client before it counts as too slow and is disconnected.
    pub send_queue_frames: usize,
    /// Messages per second a connection may send (refill rate of its token bucket).
    pub rate_per_sec: u32,
    /// Burst a connection may send at once (capacity of its token bucket).
    pub rate_burst: u32,
    /// How often changed aggregates and presence are broadcast.
    pub aggregate_interval: Duration,
    /// How far ahead of its effective show time a look change is announced.
    pub look_lead: Duration,
    /// Where ratings and purchase intents are forwarded (`POST {url}/intake/events`); none keeps them in
    /// the outbox until one is configured.
    pub production_url: Option<String>,
    /// Bearer token sent with every intake post (the production backend's platform token).
    pub production_token: Option<String>,
    /// Time a new connection has to complete the handshake and say hello.
    pub hello_timeout: Duration,
    /// A connection that sends nothing for this long is closed.
    pub idle_timeout: Duration,
    /// Longest a closing connection may take to send what is queued and its close frame.
    pub send_timeout: Duration,
    /// Most writes committed in one transaction.
    pub group_commit_max: usize,
    /// Writes waiting for the store before new ones are refused with `server_busy`.
    pub store_queue: usize,
    /// How often the server logs its counters.
    pub stats_interval: Duration,
}

impl ServerConfig {
    /// Defaults for a database at `db_path` signed with `admin_key`.
    pub fn new(db_path: impl Into<PathBuf>, admin_key: AdminKey) -> Self {
        Self {
            db_path: db_path.into(),
            admin_key,
            max_connections: 19_000,
            max_frame_bytes: 64 * 1024,
            send_queue_frames: 256,
            rate_per_sec: 20,
            rate_burst: 40,
            aggregate_interval: Duration::from_millis(200),
            look_lead: Duration::from_millis(250),
            production_url: None,
            production_token: None,
            hello_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            send_timeout: Duration::from_secs(10),
            group_commit_max: 4096,
            store_queue: 65_536,
            stats_interval: Duration::from_secs(10),
        }
    }
}
