//! Across crates: ratings and purchase intents made at a live show reach the production
//! backend exactly once. The backend starts only after the viewers have written (so the
//! show server's outbox has to retry), a write is repeated with its idempotency key, a
//! rating is replaced, and production's design ranking must show exactly the show's
//! totals.

mod common;

use std::time::Duration;

use catwalk_protocol::{ClientMessage, Quantity, ServerMessage, SizeLabel, Stars};
use common::*;

#[tokio::test]
async fn show_writes_arrive_in_production_exactly_once() {
    // Reserve production's address now; it starts serving later.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let dir = temp_dir();
    let prod_dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.production_url = Some(base.clone());
        c.production_token = Some(PLATFORM_TOKEN.into());
    })
    .await;
    let show = live_show(&server, "cross-crate", 1).await;
    let look = lineup(1, 3_600_000)[0].clone();

    let mut expected_units = 0;
    for v in 0..4u32 {
        let (mut c, _) = server.joined_viewer(&format!("viewer-{v}"), &show).await;
        let mut writes = vec![
            ClientMessage::Intent {
                key: id(&format!("i{v}")),
                look: look.look.clone(),
                size: SizeLabel::M,
                quantity: Quantity::new(i64::from(v) + 1).expect("valid"),
            },
            ClientMessage::Rate {
                key: id(&format!("r{v}")),
                look: look.look.clone(),
                stars: Stars::new(2).expect("valid"),
            },
            // A changed mind: this rating replaces the first.
            ClientMessage::Rate {
                key: id(&format!("r{v}b")),
                look: look.look.clone(),
                stars: Stars::new(5).expect("valid"),
            },
        ];
        // A retried intent (same key, same body) counts once.
        writes.push(writes[0].clone());
        expected_units += v + 1;
        let mut acks = Vec::new();
        for w in &writes {
            c.send(w).await.expect("send");
        }
        while acks.len() < writes.len() {
            if let ServerMessage::Ack { replayed, .. } = c.recv(WAIT).await.expect("ack") {
                acks.push(replayed);
            }
        }
        assert_eq!(
            acks.iter().filter(|r| **r).count(),
            1,
            "one replayed ack per viewer"
        );
    }

    // Production was down so far; the outbox retries until it is up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stop = start_production(listener, &prod_dir).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let garment = look.garment.clone();
    let found = loop {
        if let Some(d) = design(&base, &garment).await
            && d["intent_units_by_size"]["M"] == u64::from(expected_units)
            && d["score"]["rating"]["count"] == 4
        {
            break d;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the show's writes reached production within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Give any duplicate a chance to arrive, then check nothing was counted twice.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let again = design(&base, &garment).await.expect("design");
    assert_eq!(
        again["intent_units_by_size"]["M"],
        u64::from(expected_units),
        "{again}"
    );
    assert_eq!(again["score"]["intent_viewers"], 4, "{again}");
    assert_eq!(
        again["score"]["rating"]["count"], 4,
        "one rating per viewer: {again}"
    );
    assert_eq!(
        again["score"]["rating"]["mean"], 5.0,
        "the later ratings replaced the earlier: {again}"
    );
    assert_eq!(found["designer"], look.designer.as_str(), "{found}");
    let _ = stop.send(());
    server.stop().await;
}
