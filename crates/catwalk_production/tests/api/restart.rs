//! A crash in the middle of intake loses and doubles nothing. The real binary is started
//! with a fault that aborts the process inside the N-th intake transaction (after its rows
//! are written, before commit); the events are then redelivered, as the show server's
//! outbox does, to a restarted backend on the same database.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::fixtures::intent;
use crate::helpers::{ADMIN, Engine, fresh_pg_database};

async fn start(db: &str, abort_at: Option<u64>) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_catwalk-production"));
    cmd.args([
        "--database",
        db,
        "--bind",
        "127.0.0.1:0",
        "--admin-token",
        ADMIN,
    ])
    .env("RUST_LOG", "warn")
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .kill_on_drop(true);
    if let Some(n) = abort_at {
        cmd.env("CATWALK_PRODUCTION_ABORT_IN_INTAKE", n.to_string());
    }
    let mut child = cmd.spawn().expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("it reports its address")
        .expect("read")
        .expect("a line");
    let url = line.trim_start_matches("listening on ").to_string();
    (child, url)
}

async fn post(client: &reqwest::Client, base: &str, event: &Value) -> Result<u16, reqwest::Error> {
    let r = client
        .post(format!("{base}/intake/events"))
        .bearer_auth(ADMIN)
        .header("idempotency-key", event["event_id"].as_str().unwrap_or(""))
        .json(event)
        .send()
        .await?;
    Ok(r.status().as_u16())
}

async fn crash_mid_intake_loses_and_doubles_nothing(engine: Engine) {
    let dir = tempfile::tempdir().expect("dir");
    let db = match engine {
        Engine::Sqlite => format!("sqlite://{}", dir.path().join("p.db").display()),
        Engine::Postgres => match fresh_pg_database().await {
            Some(url) => url,
            None => return,
        },
    };
    let events: Vec<Value> = (0..20)
        .map(|i| {
            intent(
                &format!("evt-{i}"),
                &format!("viewer-{}", i % 7),
                "restart-skirt",
                "Designer R",
                (i % 3 + 1) as u32,
            )
        })
        .collect();
    let expected_units: i64 = (0..20).map(|i| i64::from(i % 3 + 1)).sum();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");

    // First run: delivered concurrently; the process aborts inside the 9th transaction.
    let (mut child, base) = start(&db, Some(9)).await;
    let mut tasks = Vec::new();
    for e in events.clone() {
        let (client, base) = (client.clone(), base.clone());
        tasks.push(tokio::spawn(
            async move { post(&client, &base, &e).await.ok() },
        ));
    }
    let mut first = Vec::new();
    for t in tasks {
        first.push(t.await.expect("join"));
    }
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("it exits")
        .expect("wait");
    assert!(!status.success(), "the fault aborts the process");
    let delivered = first.iter().filter(|s| **s == Some(200)).count();
    assert!(
        delivered < 20,
        "some deliveries failed with the crash: {first:?}"
    );

    // Second run: every event is redelivered (at least once), some twice.
    let (_child, base) = start(&db, None).await;
    for e in events.iter().chain(events.iter().take(5)) {
        assert_eq!(post(&client, &base, e).await.expect("post"), 200);
    }
    let d = client
        .get(format!("{base}/designs/restart-skirt"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .expect("get");
    let body: Value = d.json().await.expect("json");
    assert_eq!(body["score"]["intent_units"], expected_units, "{body}");
    assert_eq!(body["score"]["intent_viewers"], 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn crash_mid_intake_sqlite() {
    crash_mid_intake_loses_and_doubles_nothing(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn crash_mid_intake_postgres() {
    crash_mid_intake_loses_and_doubles_nothing(Engine::Postgres).await;
}
