//! Ratings and purchase intents reach the production intake through the outbox: every
//! acknowledged write is posted with its event id, failures are retried with backoff, and
//! the intake can de-duplicate by event id.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use catwalk_protocol::{
    ClientMessage, IntakeEvent, IntakeEventKind, Quantity, ServerMessage, SizeLabel,
};
use common::*;

#[derive(Default)]
struct Intake {
    attempts: usize,
    events: HashMap<String, IntakeEvent>,
    keys_match: bool,
}

async fn intake(
    State(state): State<Arc<Mutex<Intake>>>,
    headers: HeaderMap,
    Json(event): Json<IntakeEvent>,
) -> StatusCode {
    let mut s = state.lock().expect("lock");
    s.attempts += 1;
    // The first three deliveries fail, as if production were restarting.
    if s.attempts <= 3 {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let key = headers
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    s.keys_match = (s.events.is_empty() || s.keys_match) && key == event.event_id.as_str();
    s.events.insert(event.event_id.to_string(), event);
    StatusCode::OK
}

#[tokio::test]
async fn every_acked_rating_and_intent_is_delivered_to_production_despite_failures() {
    let state = Arc::new(Mutex::new(Intake::default()));
    let app = axum::Router::new()
        .route("/intake/events", post(intake))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.production_url = Some(base);
    })
    .await;
    let show = live_show(&server, "outbox", 1).await;
    let (mut c, _) = server.joined_viewer("buyer", &show).await;
    for k in 0..10 {
        c.send(&ClientMessage::Intent {
            key: id(&format!("k{k}")),
            look: id("look-000"),
            size: SizeLabel::L,
            quantity: Quantity::new(1 + k % 2).expect("valid"),
        })
        .await
        .expect("send");
    }
    for (k, stars) in [(0, 3), (1, 5)] {
        c.send(&ClientMessage::Rate {
            key: id(&format!("r{k}")),
            look: id("look-000"),
            stars: catwalk_protocol::Stars::new(stars).expect("valid"),
        })
        .await
        .expect("send");
    }
    let mut acked = 0;
    while acked < 12 {
        if let ServerMessage::Ack { .. } = c.recv(WAIT).await.expect("ack") {
            acked += 1;
        }
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if state.lock().expect("lock").events.len() == 12 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "all events delivered within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (attempts, keys_match, events) = {
        let s = state.lock().expect("lock");
        (s.attempts, s.keys_match, s.events.clone())
    };
    assert!(
        attempts >= 15,
        "failed deliveries were retried: {} attempts",
        attempts
    );
    assert!(
        keys_match,
        "the Idempotency-Key header carries the event id"
    );
    let mut units = 0;
    let mut ratings = Vec::new();
    for e in events.values() {
        match &e.kind {
            IntakeEventKind::PurchaseIntent {
                quantity,
                size,
                designer,
                ..
            } => {
                assert_eq!(*size, SizeLabel::L);
                assert!(!designer.is_empty());
                units += quantity.get();
            }
            IntakeEventKind::Rating { stars, garment, .. } => {
                assert!(!garment.is_empty());
                ratings.push((e.event_id.to_string(), stars.get()));
            }
        }
    }
    assert_eq!(units, 15);
    // Both ratings arrive, in write order (the intake keeps the later one).
    ratings.sort_by_key(|(id, _)| id.rsplit('-').next().and_then(|s| s.parse::<u64>().ok()));
    assert_eq!(ratings.iter().map(|r| r.1).collect::<Vec<_>>(), vec![3, 5]);
    assert!(
        events
            .values()
            .all(|e| e.viewer.as_str() == "buyer" && e.show == show)
    );
    server.stop().await;
}
