//! `spawn_app()`: a backend on 127.0.0.1:0 with a fresh database (a temporary SQLite file,
//! or a new PostgreSQL database on the server named by `CATWALK_TEST_PG_URL`) and a manual
//! clock the test can move; plus small request helpers.

use std::time::Duration;

use catwalk_production::{Clock, Config, Faults, build_state, serve};
use serde_json::Value;
use tokio::sync::oneshot;

/// Which database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The platform admin token every test app starts with.
pub const ADMIN: &str = "admin-token-for-tests";

/// Where the test clock starts: 2027-01-15 08:00 UTC.
pub const T0: i64 = 1_800_000_000_000;

/// One day in ms.
pub const DAY: i64 = 86_400_000;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Clock,
    #[expect(dead_code, reason = "kept so a test can say which engine it ran on")]
    pub engine: Engine,
    _dir: Option<tempfile::TempDir>,
    pub db: catwalk_production::Db,
    _stop: oneshot::Sender<()>,
}

/// A response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub replayed: bool,
}

/// Creates a fresh PostgreSQL database and returns its URL, or `None` when no server is
/// configured (which fails the test when `CATWALK_REQUIRE_PG=1`).
pub async fn fresh_pg_database() -> Option<String> {
    let Ok(url) = std::env::var("CATWALK_TEST_PG_URL") else {
        assert!(
            std::env::var("CATWALK_REQUIRE_PG").as_deref() != Ok("1"),
            "CATWALK_REQUIRE_PG=1 but CATWALK_TEST_PG_URL is not set; run tools/start-postgres.sh"
        );
        eprintln!("skipping: CATWALK_TEST_PG_URL is not set");
        return None;
    };
    let name = format!("catwalk_t_{}", uuid::Uuid::new_v4().simple());
    let admin_url = url.clone();
    let create = format!("CREATE DATABASE {name}");
    tokio::task::spawn_blocking(move || {
        let mut c = postgres::Client::connect(&admin_url, postgres::NoTls)
            .expect("connect to CATWALK_TEST_PG_URL");
        c.batch_execute(&create).expect("create a test database");
    })
    .await
    .expect("join");
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h.to_string(), format!("?{q}")),
        None => (url.clone(), String::new()),
    };
    let prefix = match head.rfind('/') {
        Some(i) if i > "postgres://".len() => head[..i].to_string(),
        _ => head,
    };
    Some(format!("{prefix}/{name}{query}"))
}

/// Starts an app on `engine`; `None` when the engine is not available (PostgreSQL not
/// configured and not required).
pub async fn spawn_app(engine: Engine) -> Option<TestApp> {
    let (url, dir) = match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("production.db").display());
            (url, Some(dir))
        }
        Engine::Postgres => (fresh_pg_database().await?, None),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let base = format!("http://{addr}");
    let config = Config {
        database_url: url,
        public_url: base.clone(),
        admin_token: Some(ADMIN.to_string()),
    };
    let clock = Clock::manual(T0);
    let c = clock.clone();
    let state = tokio::task::spawn_blocking(move || build_state(&config, c, Faults::default()))
        .await
        .expect("join")
        .expect("the database opens");
    let db = state.db.clone();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));
    Some(TestApp {
        base,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client"),
        clock,
        engine,
        db,
        _dir: dir,
        _stop: stop,
    })
}

/// Defines a test that runs on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            use $crate::helpers::{Engine, spawn_app};
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let app = spawn_app(Engine::Sqlite).await.expect("sqlite app");
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(app) = spawn_app(Engine::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    };
}

impl TestApp {
    async fn finish(r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let replayed = r.headers().get("idempotent-replayed").is_some();
        let text = r.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            body,
            replayed,
        }
    }

    /// POSTs JSON with a bearer token and an idempotency key.
    pub async fn post(&self, path: &str, token: &str, key: &str, body: Value) -> Resp {
        self.post_raw(path, token, Some(key), &body.to_string())
            .await
    }

    /// POSTs a raw body.
    pub async fn post_raw(&self, path: &str, token: &str, key: Option<&str>, body: &str) -> Resp {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        Self::finish(req.send().await.expect("request")).await
    }

    /// Prunes idempotency keys as of `now`; returns how many went.
    pub async fn prune(&self, now: i64) -> u64 {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || catwalk_production::api::idempotency::prune(&db, now))
            .await
            .expect("join")
            .expect("prune")
    }

    /// GETs with a bearer token.
    pub async fn get(&self, path: &str, token: &str) -> Resp {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        Self::finish(r).await
    }
}

/// A fresh idempotency key.
pub fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}
