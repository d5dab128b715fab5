//! Kill the server process (SIGKILL) while votes are in flight, restart it on the same
//! database, and check that every acknowledged write is there exactly once.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::process::Stdio;
use std::time::Duration;

use catwalk_loadgen::ShowClient;
use catwalk_loadgen::client::Incoming;
use catwalk_loadgen::organizer::Organizer;
use catwalk_protocol::{
    ClientMessage, Quantity, Role, ServerMessage, ShowAction, ShowId, ShowTime, SizeLabel,
};
use common::*;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const KEY: &str = "crash-test-admin-key-0123456789";
const WRITERS: usize = 8;

async fn spawn_server(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_catwalk"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--rate-per-sec",
            "100000",
        ])
        .args(["--rate-burst", "100000", "--db"])
        .arg(db)
        .env("CATWALK_ADMIN_KEY", KEY)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the catwalk binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(WAIT, lines.next_line())
        .await
        .expect("the server prints its address")
        .expect("stdout readable")
        .expect("a line");
    let url = line
        .strip_prefix("listening on ")
        .expect("listening on ws://…")
        .to_string();
    (child, url)
}

fn intent_for(writer: usize, k: usize) -> ClientMessage {
    ClientMessage::Intent {
        key: id(&format!("w{writer}-{k}")),
        look: id("look-000"),
        size: SizeLabel::ALL[k % SizeLabel::ALL.len()],
        quantity: Quantity::new(1 + (k % 3) as i64).expect("valid"),
    }
}

/// Sends intents as fast as acks allow (up to 64 in flight) until the connection dies.
/// Returns how many were sent and which were acked.
async fn write_until_killed(url: String, show: ShowId, writer: usize) -> (usize, HashSet<String>) {
    let mut c = ShowClient::connect(&url, None).await.expect("connect");
    c.hello(&viewer(&format!("writer-{writer}")), Role::Audience, None)
        .await
        .expect("hello");
    c.join(&show, None).await.expect("join");
    let mut sent = 0;
    let mut acked = HashSet::new();
    loop {
        while sent - acked.len() < 64 {
            if c.send(&intent_for(writer, sent)).await.is_err() {
                return (sent, acked);
            }
            sent += 1;
        }
        match c.next().await {
            Ok(Incoming::Message(ServerMessage::Ack { key, .. })) => {
                acked.insert(key.to_string());
            }
            Ok(Incoming::Message(_)) => {}
            Ok(Incoming::Closed(_)) | Err(_) => return (sent, acked),
        }
    }
}

#[tokio::test]
async fn every_acked_vote_survives_sigkill_exactly_once() {
    let dir = temp_dir();
    let db = dir.path().join("crash.db");
    let (mut server, url) = spawn_server(&db).await;
    let show: ShowId = id("crash");
    let token = catwalk_server::AdminKey::new(KEY).expect("key").issue(
        Role::Organizer,
        "t",
        catwalk_server::auth::unix_now(),
        600,
    );
    let mut org = Organizer::connect(&url, Some(token))
        .await
        .expect("organizer");
    org.create(&show, "Crash", lineup(1, 3_600_000), ShowTime(u64::MAX / 4))
        .await
        .expect("create");
    org.control(&show, ShowAction::Start).await.expect("start");

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(write_until_killed(url.clone(), show.clone(), w)))
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("the server is dead");
    let mut results = Vec::new();
    for w in writers {
        results.push(w.await.expect("writer"));
    }
    let acked_before: usize = results.iter().map(|(_, a)| a.len()).sum();
    assert!(
        acked_before > 100,
        "writes were acked before the kill: {acked_before}"
    );
    assert!(
        results.iter().any(|(sent, acked)| *sent > acked.len()),
        "some writes were in flight at the kill"
    );

    let (_server, url) = spawn_server(&db).await;
    let mut expected_units: BTreeMap<SizeLabel, u64> = BTreeMap::new();
    let mut expected_count = 0u64;
    for (writer, (sent, acked)) in results.iter().enumerate() {
        let mut c = ShowClient::connect(&url, None).await.expect("reconnect");
        c.hello(&viewer(&format!("writer-{writer}")), Role::Audience, None)
            .await
            .expect("hello");
        c.join(&show, None).await.expect("join");
        // Retry everything that was sent, acked or not, with the same keys.
        for k in 0..*sent {
            let msg = intent_for(writer, k);
            if let ClientMessage::Intent { size, quantity, .. } = &msg {
                *expected_units.entry(*size).or_default() += u64::from(quantity.get());
            }
            expected_count += 1;
            c.send(&msg).await.expect("resend");
            let (key, replayed) = c
                .recv_until(WAIT, |m| match m {
                    ServerMessage::Ack { key, replayed, .. } => Some((key.to_string(), *replayed)),
                    ServerMessage::Error { code, message, .. } => {
                        panic!("retry refused: {code:?} {message}")
                    }
                    _ => None,
                })
                .await
                .expect("ack");
            assert_eq!(key, format!("w{writer}-{k}"));
            if acked.contains(&key) {
                assert!(
                    replayed,
                    "{key} was acked before the kill, so it must be stored"
                );
            }
        }
    }
    let server_totals = catwalk_loadgen::load::read_totals(&url, &show)
        .await
        .expect("totals");
    let look = look(&server_totals, "look-000");
    assert_eq!(
        look.intent_count, expected_count,
        "each write counted exactly once"
    );
    assert_eq!(look.intents, expected_units);
}
