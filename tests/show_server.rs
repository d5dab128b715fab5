//! The show server end to end over real websockets on 127.0.0.1: shows and their clock,
//! ratings and intent, aggregates and presence, reconnects, restarts, slow clients, limits
//! and graceful shutdown.

mod common;

use std::time::Duration;

use catwalk_protocol::{
    ClientMessage, ErrorCode, IdempotencyKey, Quantity, ResumeFrom, ServerMessage, ShowAction,
    ShowStatus, ShowTime, SizeLabel, Stars, TimelineEvent,
};
use common::*;

fn rate(key: &str, look: &str, stars: i64) -> ClientMessage {
    ClientMessage::Rate {
        key: id(key),
        look: id(look),
        stars: Stars::new(stars).expect("valid stars"),
    }
}

fn intent(key: &str, look: &str, size: SizeLabel, quantity: i64) -> ClientMessage {
    ClientMessage::Intent {
        key: id(key),
        look: id(look),
        size,
        quantity: Quantity::new(quantity).expect("valid quantity"),
    }
}

/// Sends a write and returns its ack (or error).
async fn write(c: &mut catwalk_loadgen::ShowClient, msg: ClientMessage) -> ServerMessage {
    let key: IdempotencyKey = match &msg {
        ClientMessage::Rate { key, .. } | ClientMessage::Intent { key, .. } => key.clone(),
        _ => unreachable!("writes only"),
    };
    c.send(&msg).await.expect("send");
    c.recv_until(WAIT, |m| match m {
        ServerMessage::Ack { key: k, .. } if *k == key => Some(m.clone()),
        ServerMessage::Error { key: Some(k), .. } if *k == key => Some(m.clone()),
        _ => None,
    })
    .await
    .expect("ack or error")
}

#[tokio::test]
async fn join_gets_snapshot_then_aggregates_and_presence() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |_| {}).await;
    let show = live_show(&server, "s1", 3).await;
    let (mut c, snap) = server.joined_viewer("ana", &show).await;
    assert_eq!(snap.lineup.len(), 3);
    assert_eq!(snap.offset, 1, "the start is the first timeline event");
    assert!(matches!(snap.status, ShowStatus::Live { index: 0, .. }));
    let looks = aggregates_until(&mut c, |_| true).await;
    assert_eq!(
        looks.len(),
        3,
        "the first aggregates after a join cover every look"
    );
    let count = c
        .recv_until(WAIT, |m| match m {
            ServerMessage::Presence { count, .. } => Some(*count),
            _ => None,
        })
        .await
        .expect("presence");
    assert_eq!(count, 1);
    server.stop().await;
}

async fn next_event(c: &mut catwalk_loadgen::ShowClient) -> TimelineEvent {
    c.recv_until(WAIT, |m| match m {
        ServerMessage::Timeline { event, .. } => Some(event.clone()),
        _ => None,
    })
    .await
    .expect("timeline")
}

/// Ends the process if a paused-clock test stops making progress, instead of hanging CI.
fn watchdog(seconds: u64) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = done.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(seconds));
        if !flag.load(std::sync::atomic::Ordering::SeqCst) {
            eprintln!("watchdog: the paused-clock test made no progress in {seconds} s");
            std::process::exit(3);
        }
    });
    done
}

#[tokio::test(start_paused = true)]
async fn scheduled_show_starts_by_itself_at_its_time_and_advances_on_the_clock() {
    // The store's writer is a blocking task, so the paused clock only moves when this test
    // advances it: the schedule is exercised without waiting ten real minutes.
    let done = watchdog(60);
    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.idle_timeout = Duration::from_secs(86_400);
    })
    .await;
    let mut probe = server.viewer("probe").await;
    probe
        .send(&ClientMessage::Ping { client_time: 1 })
        .await
        .expect("ping");
    let now = probe
        .recv_until(WAIT, |m| match m {
            ServerMessage::Pong { server_time, .. } => Some(*server_time),
            _ => None,
        })
        .await
        .expect("pong");
    let start = now.plus_millis(10 * 60 * 1000);
    let show = id("scheduled");
    let mut org = server.organizer().await;
    org.create(&show, "Evening show", lineup(2, 30_000), start)
        .await
        .expect("create");
    let (mut c, snap) = server.joined_viewer("ana", &show).await;
    assert_eq!(snap.status, ShowStatus::Scheduled { start_at: start });
    // Look changes are announced 250 ms ahead: move the clock to that moment.
    tokio::time::advance(Duration::from_millis(10 * 60 * 1000 - 250)).await;
    match next_event(&mut c).await {
        TimelineEvent::LookChanged {
            index: 0,
            effective_at,
            issued_at,
            ..
        } => {
            assert_eq!(effective_at, start, "starts exactly at its scheduled time");
            assert!(issued_at < effective_at, "announced ahead of time");
        }
        other => panic!("expected the first look, got {other:?}"),
    }
    tokio::time::advance(Duration::from_secs(30)).await;
    assert!(matches!(
        next_event(&mut c).await,
        TimelineEvent::LookChanged { index: 1, effective_at, .. } if effective_at == start.plus_millis(30_000)
    ));
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_eq!(
        next_event(&mut c).await,
        TimelineEvent::Ended {
            at: start.plus_millis(60_000)
        }
    );
    server.stop().await;
    done.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[tokio::test]
async fn every_client_gets_the_same_change_effective_at_the_same_show_time() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |_| {}).await;
    let show = live_show(&server, "sync", 3).await;
    let (mut a, _) = server.joined_viewer("a", &show).await;
    let (mut b, _) = server.joined_viewer("b", &show).await;
    let mut org = server.organizer().await;
    let status = org
        .control(&show, ShowAction::Advance)
        .await
        .expect("advance");
    assert_eq!(status.current_index(), Some(1));
    let mut seen = Vec::new();
    for c in [&mut a, &mut b] {
        seen.push(
            c.recv_until(WAIT, |m| match m {
                ServerMessage::Timeline {
                    offset,
                    event:
                        TimelineEvent::LookChanged {
                            effective_at,
                            issued_at,
                            ..
                        },
                    ..
                } => Some((*offset, *effective_at, *issued_at)),
                _ => None,
            })
            .await
            .expect("look change"),
        );
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0].0, 2);
    assert!(seen[0].1 > seen[0].2, "effective after it was issued");
    server.stop().await;
}

#[tokio::test]
async fn a_new_rating_replaces_the_old_one() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |_| {}).await;
    let show = live_show(&server, "replace", 2).await;
    let (mut c, _) = server.joined_viewer("ana", &show).await;
    assert!(matches!(
        write(&mut c, rate("k1", "look-000", 2)).await,
        ServerMessage::Ack {
            replayed: false,
            ..
        }
    ));
    assert!(matches!(
        write(&mut c, rate("k2", "look-000", 5)).await,
        ServerMessage::Ack {
            replayed: false,
            ..
        }
    ));
    let totals = totals(&server, &show).await;
    assert_eq!(look(&totals, "look-000").histogram, [0, 0, 0, 0, 1]);
    assert_eq!(look(&totals, "look-000").ratings, 1);
    server.stop().await;
}

#[tokio::test]
async fn a_repeated_key_returns_the_same_ack_and_counts_once() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |_| {}).await;
    let show = live_show(&server, "idem", 2).await;
    let (mut c, _) = server.joined_viewer("ana", &show).await;
    let first = write(&mut c, intent("k1", "look-000", SizeLabel::M, 2)).await;
    let again = write(&mut c, intent("k1", "look-000", SizeLabel::M, 2)).await;
    match (&first, &again) {
        (
            ServerMessage::Ack {
                seq: s1,
                replayed: false,
                ..
            },
            ServerMessage::Ack {
                seq: s2,
                replayed: true,
                ..
            },
        ) => assert_eq!(s1, s2),
        other => panic!("expected an ack and its replay, got {other:?}"),
    }
    // The same key from another connection of the same viewer is the same write too.
    let (mut c2, _) = server.joined_viewer("ana", &show).await;
    assert!(matches!(
        write(&mut c2, intent("k1", "look-000", SizeLabel::M, 2)).await,
        ServerMessage::Ack { replayed: true, .. }
    ));
    let conflict = write(&mut c, intent("k1", "look-000", SizeLabel::L, 1)).await;
    assert!(matches!(
        conflict,
        ServerMessage::Error {
            code: ErrorCode::IdempotencyConflict,
            ..
        }
    ));
    let totals = totals(&server, &show).await;
    let l = look(&totals, "look-000");
    assert_eq!(l.intents.get(&SizeLabel::M), Some(&2));
    assert_eq!(l.intent_count, 1);
    assert_eq!(l.intents.get(&SizeLabel::L), None);
    server.stop().await;
}

#[tokio::test]
async fn intents_accumulate_by_size_across_viewers() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |_| {}).await;
    let show = live_show(&server, "intents", 2).await;
    let (mut a, _) = server.joined_viewer("a", &show).await;
    let (mut b, _) = server.joined_viewer("b", &show).await;
    write(&mut a, intent("a1", "look-000", SizeLabel::S, 1)).await;
    write(&mut a, intent("a2", "look-000", SizeLabel::S, 2)).await;
    write(&mut b, intent("b1", "look-000", SizeLabel::XL, 4)).await;
    let looks = aggregates_until(&mut b, |looks| {
        looks
            .iter()
            .any(|l| l.look.as_str() == "look-000" && l.intent_count == 3)
    })
    .await;
    let l = look(&looks, "look-000");
    assert_eq!(l.intents.get(&SizeLabel::S), Some(&3));
    assert_eq!(l.intents.get(&SizeLabel::XL), Some(&4));
    assert_eq!(l.units(), 7);
    server.stop().await;
}

#[tokio::test]
async fn aggregates_are_versioned_and_sent_only_when_something_changed() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.aggregate_interval = Duration::from_millis(50);
    })
    .await;
    let show = live_show(&server, "versions", 2).await;
    let (mut c, _) = server.joined_viewer("ana", &show).await;
    let mut versions = Vec::new();
    for k in 0..3 {
        write(&mut c, rate(&format!("k{k}"), "look-000", 1 + k)).await;
        let v = c
            .recv_until(WAIT, |m| match m {
                ServerMessage::Aggregates { version, looks, .. }
                    if looks.iter().any(|l| l.histogram[k as usize] == 1) =>
                {
                    Some(*version)
                }
                _ => None,
            })
            .await
            .expect("aggregates");
        versions.push(v);
    }
    assert!(versions.windows(2).all(|w| w[1] > w[0]), "{versions:?}");
    // Quiet: no write, no aggregates (several ticks pass).
    let quiet = c
        .recv_until(Duration::from_millis(400), |m| {
            matches!(m, ServerMessage::Aggregates { .. }).then_some(())
        })
        .await;
    assert!(quiet.is_err(), "no aggregates without changes");
    server.stop().await;
}

#[tokio::test]
async fn presence_counts_joins_and_leaves() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.aggregate_interval = Duration::from_millis(50);
    })
    .await;
    let show = live_show(&server, "presence", 1).await;
    let (mut a, _) = server.joined_viewer("a", &show).await;
    let (b, _) = server.joined_viewer("b", &show).await;
    let wait_for = |n: u64| {
        move |m: &ServerMessage| match m {
            ServerMessage::Presence { count, version, .. } if *count == n => Some(*version),
            _ => None,
        }
    };
    let v2 = a.recv_until(WAIT, wait_for(2)).await.expect("two watching");
    b.close().await;
    let v1 = a.recv_until(WAIT, wait_for(1)).await.expect("one watching");
    assert!(v1 > v2);
    server.stop().await;
}

#[tokio::test]
async fn a_reconnecting_client_gets_exactly_what_it_missed() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |_| {}).await;
    let show = live_show(&server, "resume", 5).await;
    let (c, snap) = server.joined_viewer("ana", &show).await;
    c.close().await;
    let mut org = server.organizer().await;
    org.control(&show, ShowAction::Advance)
        .await
        .expect("advance");
    org.control(&show, ShowAction::Pause).await.expect("pause");
    let mut c = server.viewer("ana").await;
    c.join(
        &show,
        Some(ResumeFrom {
            epoch: snap.epoch.clone(),
            offset: snap.offset,
        }),
    )
    .await
    .expect("join");
    let mut offsets = Vec::new();
    let replayed = c
        .recv_until(WAIT, |m| match m {
            ServerMessage::Timeline { offset, .. } => {
                offsets.push(*offset);
                None
            }
            ServerMessage::Resumed {
                replayed, offset, ..
            } => Some((*replayed, *offset)),
            ServerMessage::Snapshot { .. } => panic!("a resume within history must not snapshot"),
            _ => None,
        })
        .await
        .expect("resumed");
    assert_eq!(offsets, vec![snap.offset + 1, snap.offset + 2]);
    assert_eq!(replayed, (2, snap.offset + 2));
    server.stop().await;
}

#[tokio::test]
async fn a_resume_from_another_epoch_gets_a_fresh_snapshot() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |_| {}).await;
    let show = live_show(&server, "epoch", 2).await;
    let mut c = server.viewer("ana").await;
    c.join(
        &show,
        Some(ResumeFrom {
            epoch: "not-this-one".into(),
            offset: 1,
        }),
    )
    .await
    .expect("join");
    let failed = c
        .recv_until(WAIT, |m| match m {
            ServerMessage::Snapshot { resume_failed, .. } => Some(*resume_failed),
            ServerMessage::Resumed { .. } => panic!("cannot resume another epoch"),
            _ => None,
        })
        .await
        .expect("snapshot");
    assert!(failed, "the client is told its resume failed");
    server.stop().await;
}

#[tokio::test]
async fn show_state_and_votes_survive_a_restart() {
    let dir = temp_dir();
    let db = dir.path().join("db");
    let key = catwalk_server::AdminKey::random();
    let server = start_server(db.clone(), key.clone(), |_| {}).await;
    let show = live_show(&server, "durable", 3).await;
    let mut org = server.organizer().await;
    org.control(&show, ShowAction::Advance)
        .await
        .expect("advance");
    let (mut c, before) = server.joined_viewer("ana", &show).await;
    write(&mut c, rate("k1", "look-001", 4)).await;
    write(&mut c, intent("k2", "look-000", SizeLabel::XS, 3)).await;
    server.stop().await;

    let server = start_server(db, key, |_| {}).await;
    let (mut c, after) = server.joined_viewer("ana", &show).await;
    assert_eq!(after.epoch, before.epoch);
    assert_eq!(after.offset, before.offset);
    assert_eq!(after.status, before.status);
    let totals = totals(&server, &show).await;
    assert_eq!(look(&totals, "look-001").histogram, [0, 0, 0, 1, 0]);
    assert_eq!(
        look(&totals, "look-000").intents.get(&SizeLabel::XS),
        Some(&3)
    );
    // The idempotency record survived too.
    assert!(matches!(
        write(&mut c, rate("k1", "look-001", 4)).await,
        ServerMessage::Ack { replayed: true, .. }
    ));
    server.stop().await;
}

#[tokio::test]
async fn a_slow_client_is_disconnected_and_does_not_hold_back_the_others() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.send_queue_frames = 8;
        c.send_timeout = Duration::from_secs(2);
        c.rate_per_sec = 10_000;
        c.rate_burst = 10_000;
    })
    .await;
    let show = id("slow");
    let mut org = server.organizer().await;
    org.create(
        &show,
        "Big line-up",
        lineup(200, 3_600_000),
        ShowTime(u64::MAX / 4),
    )
    .await
    .expect("create");
    org.control(&show, ShowAction::Start).await.expect("start");
    let (mut fast, _) = server.joined_viewer("fast", &show).await;
    // The slow client asks for a 200-look snapshot over and over and never reads.
    let mut slow = server.viewer("slow").await;
    for _ in 0..600 {
        if slow
            .send(&ClientMessage::Join {
                show: show.clone(),
                resume: None,
            })
            .await
            .is_err()
        {
            break;
        }
    }
    org.control(&show, ShowAction::Advance)
        .await
        .expect("advance");
    let got = fast
        .recv_until(WAIT, |m| match m {
            ServerMessage::Timeline {
                event: TimelineEvent::LookChanged { index, .. },
                ..
            } => Some(*index),
            _ => None,
        })
        .await
        .expect("the fast client still gets the look change");
    assert_eq!(got, 1);
    // Reading now, the slow client finds its connection ended by the server.
    let ended = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match slow.next().await {
                Ok(catwalk_loadgen::client::Incoming::Message(_)) => continue,
                Ok(catwalk_loadgen::client::Incoming::Closed(code)) => {
                    return format!("closed {code:?}");
                }
                Err(e) => return format!("error {e}"),
            }
        }
    })
    .await
    .expect("the slow client is disconnected");
    let report = server.stop().await;
    assert!(report.evicted_slow >= 1, "{ended}; {report:?}");
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused_with_server_busy() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.max_connections = 2;
    })
    .await;
    let _a = server.viewer("a").await;
    let _b = server.viewer("b").await;
    let mut c = catwalk_loadgen::ShowClient::connect(&server.url, None)
        .await
        .expect("the handshake still completes");
    let msg = c.recv(WAIT).await.expect("an error");
    assert!(
        matches!(
            msg,
            ServerMessage::Error {
                code: ErrorCode::ServerBusy,
                ..
            }
        ),
        "{msg:?}"
    );
    let closed = c.next().await.expect("close");
    assert!(
        matches!(
            closed,
            catwalk_loadgen::client::Incoming::Closed(Some(1013))
        ),
        "{closed:?}"
    );
    let report = server.stop().await;
    assert_eq!(report.refused, 1);
}

#[tokio::test]
async fn graceful_shutdown_keeps_every_acknowledged_write() {
    let dir = temp_dir();
    let db = dir.path().join("db");
    let key = catwalk_server::AdminKey::random();
    let server = start_server(db.clone(), key.clone(), |c| {
        c.rate_per_sec = 10_000;
        c.rate_burst = 10_000;
    })
    .await;
    let show = live_show(&server, "shutdown", 1).await;
    let (mut c, _) = server.joined_viewer("ana", &show).await;
    for k in 0..200 {
        c.send(&intent(&format!("k{k}"), "look-000", SizeLabel::M, 1))
            .await
            .expect("send");
    }
    let stopping = tokio::spawn(server.stop());
    let mut acked = 0;
    let code = loop {
        match c.next().await.expect("read") {
            catwalk_loadgen::client::Incoming::Message(ServerMessage::Ack { .. }) => acked += 1,
            catwalk_loadgen::client::Incoming::Message(_) => {}
            catwalk_loadgen::client::Incoming::Closed(code) => break code,
        }
    };
    assert_eq!(code, Some(1001), "closed as going away");
    stopping.await.expect("stopped");
    let server = start_server(db, key, |_| {}).await;
    let totals = totals(&server, &show).await;
    let stored = look(&totals, "look-000").intent_count;
    assert!(acked > 0);
    assert!(
        stored >= acked,
        "every acked write is stored: acked {acked}, stored {stored}"
    );
    server.stop().await;
}
