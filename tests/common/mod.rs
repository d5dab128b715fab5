//! Shared set-up for the integration tests: a show server on 127.0.0.1:0 with its own
//! database, clients for each role, and a live show to work with.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use catwalk_loadgen::ShowClient;
use catwalk_loadgen::organizer::Organizer;
use catwalk_protocol::{
    LookAggregate, LookSpec, Role, ServerMessage, ShowAction, ShowId, ShowSnapshot, ShowTime,
    ViewerId,
};
use catwalk_server::{AdminKey, ServerConfig, ServerReport};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a test waits for any one message.
pub const WAIT: Duration = Duration::from_secs(10);

/// A running server.
pub struct TestServer {
    pub url: String,
    pub key: AdminKey,
    pub db: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<anyhow::Result<ServerReport>>,
}

/// A directory that lives as long as the test.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Starts a server with a new database in `dir` and a random admin key.
pub async fn fresh_server(
    dir: &tempfile::TempDir,
    tweak: impl FnOnce(&mut ServerConfig),
) -> TestServer {
    start_server(dir.path().join("db"), AdminKey::random(), tweak).await
}

/// Starts a server on `db` with `key`, after `tweak` adjusts the configuration.
pub async fn start_server(
    db: PathBuf,
    key: AdminKey,
    tweak: impl FnOnce(&mut ServerConfig),
) -> TestServer {
    let mut config = ServerConfig::new(&db, key.clone());
    config.stats_interval = Duration::from_secs(3600);
    tweak(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(catwalk_server::run(listener, config, async move {
        let _ = stopped.await;
    }));
    TestServer {
        url,
        key,
        db,
        stop: Some(stop),
        task,
    }
}

impl TestServer {
    /// Shuts down gracefully and returns the report.
    pub async fn stop(mut self) -> ServerReport {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        (&mut self.task)
            .await
            .expect("server task")
            .expect("server ran")
    }

    /// A valid organizer token.
    pub fn token(&self) -> String {
        self.key.issue(
            Role::Organizer,
            "test",
            catwalk_server::auth::unix_now(),
            600,
        )
    }

    /// An organizer connection.
    pub async fn organizer(&self) -> Organizer {
        Organizer::connect(&self.url, Some(self.token()))
            .await
            .expect("organizer connects")
    }

    /// A connection that has said hello as audience member `name`.
    pub async fn viewer(&self, name: &str) -> ShowClient {
        let mut c = ShowClient::connect(&self.url, None).await.expect("connect");
        c.hello(&id(name), Role::Audience, None)
            .await
            .expect("hello");
        c
    }

    /// A viewer joined to `show`, with the snapshot it received.
    pub async fn joined_viewer(&self, name: &str, show: &ShowId) -> (ShowClient, ShowSnapshot) {
        let mut c = self.viewer(name).await;
        c.join(show, None).await.expect("join");
        let snap = expect_snapshot(&mut c).await;
        (c, snap)
    }
}

/// Parses an id or panics (test data is valid by construction).
pub fn id<T: TryFrom<String>>(s: &str) -> T
where
    T::Error: std::fmt::Debug,
{
    T::try_from(s.to_string()).expect("valid id")
}

/// A line-up of `n` looks.
pub fn lineup(n: usize, duration_ms: u64) -> Vec<LookSpec> {
    catwalk_loadgen::demo::lineup(n, duration_ms)
}

/// Creates a show of `n` long looks and starts it.
pub async fn live_show(server: &TestServer, name: &str, n: usize) -> ShowId {
    let show: ShowId = id(name);
    let mut org = server.organizer().await;
    org.create(
        &show,
        "Test show",
        lineup(n, 3_600_000),
        ShowTime(u64::MAX / 4),
    )
    .await
    .expect("create");
    org.control(&show, ShowAction::Start).await.expect("start");
    show
}

/// Reads until the snapshot.
pub async fn expect_snapshot(c: &mut ShowClient) -> ShowSnapshot {
    c.recv_until(WAIT, |m| match m {
        ServerMessage::Snapshot { snapshot, .. } => Some(snapshot.clone()),
        _ => None,
    })
    .await
    .expect("snapshot")
}

/// Reads until the next aggregates message that satisfies `done`; returns its looks.
pub async fn aggregates_until(
    c: &mut ShowClient,
    mut done: impl FnMut(&[LookAggregate]) -> bool,
) -> Vec<LookAggregate> {
    c.recv_until(WAIT, |m| match m {
        ServerMessage::Aggregates { looks, .. } if done(looks) => Some(looks.clone()),
        _ => None,
    })
    .await
    .expect("aggregates")
}

/// The full totals of `show`, read by a fresh connection.
pub async fn totals(server: &TestServer, show: &ShowId) -> Vec<LookAggregate> {
    catwalk_loadgen::load::read_totals(&server.url, show)
        .await
        .expect("totals")
}

/// The totals of one look.
pub fn look<'a>(totals: &'a [LookAggregate], look: &str) -> &'a LookAggregate {
    totals
        .iter()
        .find(|a| a.look.as_str() == look)
        .expect("look in totals")
}

/// A viewer id.
pub fn viewer(name: &str) -> ViewerId {
    id(name)
}

/// The platform token the show server sends to production in these tests.
pub const PLATFORM_TOKEN: &str = "platform-token-for-the-show-server";

/// Starts the production backend on `listener` with a fresh SQLite database in `dir`.
pub async fn start_production(
    listener: TcpListener,
    dir: &tempfile::TempDir,
) -> oneshot::Sender<()> {
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let config = catwalk_production::Config {
        database_url: format!("sqlite://{}", dir.path().join("production.db").display()),
        public_url: base,
        admin_token: Some(PLATFORM_TOKEN.into()),
    };
    let state = catwalk_production::build_state(
        &config,
        catwalk_production::Clock::system(),
        catwalk_production::Faults::default(),
    )
    .expect("production state");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(catwalk_production::serve(listener, state, async {
        let _ = stopped.await;
    }));
    stop
}

/// Production's view of one design, or `None` while it has none.
pub async fn design(base: &str, garment: &str) -> Option<serde_json::Value> {
    let r = reqwest::Client::new()
        .get(format!("{base}/designs/{garment}"))
        .bearer_auth(PLATFORM_TOKEN)
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    r.json().await.ok()
}
