//! One test per kind of bad input. Each gets a clear error with a stable code; the
//! connection survives where it can, and nothing stored is changed by it.

mod common;

use std::time::Duration;

use catwalk_loadgen::ShowClient;
use catwalk_loadgen::client::Incoming;
use catwalk_protocol::{
    ClientMessage, ErrorCode, Role, ServerMessage, ShowAction, ShowTime, Stars,
};
use common::*;
use tokio_tungstenite::tungstenite::Message;

/// The next error's code and message.
async fn error(c: &mut ShowClient) -> (ErrorCode, String) {
    c.recv_until(WAIT, |m| match m {
        ServerMessage::Error { code, message, .. } => Some((*code, message.clone())),
        _ => None,
    })
    .await
    .expect("an error")
}

/// The connection still answers a ping.
async fn still_alive(c: &mut ShowClient) {
    c.send(&ClientMessage::Ping { client_time: 7 })
        .await
        .expect("ping");
    c.recv_until(WAIT, |m| {
        matches!(m, ServerMessage::Pong { client_time: 7, .. }).then_some(())
    })
    .await
    .expect("the connection survives");
}

async fn setup() -> (tempfile::TempDir, TestServer) {
    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.rate_per_sec = 20;
        c.rate_burst = 20;
    })
    .await;
    (dir, server)
}

#[tokio::test]
async fn malformed_json_gets_malformed_and_the_connection_survives() {
    let (_d, server) = setup().await;
    let mut c = server.viewer("v").await;
    c.send_raw("{\"v\":1,\"type\":\"rate\",")
        .await
        .expect("send");
    let (code, message) = error(&mut c).await;
    assert_eq!(code, ErrorCode::Malformed);
    assert!(message.contains("not valid JSON"), "{message}");
    still_alive(&mut c).await;
    server.stop().await;
}

#[tokio::test]
async fn unknown_message_type_names_the_known_ones() {
    let (_d, server) = setup().await;
    let mut c = server.viewer("v").await;
    c.send_raw(r#"{"v":1,"type":"buy_everything"}"#)
        .await
        .expect("send");
    let (code, message) = error(&mut c).await;
    assert_eq!(code, ErrorCode::UnknownType);
    assert!(
        message.contains("rate") && message.contains("join"),
        "{message}"
    );
    still_alive(&mut c).await;
    server.stop().await;
}

#[tokio::test]
async fn wrong_protocol_version_is_refused() {
    let (_d, server) = setup().await;
    let mut c = ShowClient::connect(&server.url, None)
        .await
        .expect("connect");
    c.send_raw(r#"{"v":99,"type":"hello","viewer":"v","role":"audience"}"#)
        .await
        .expect("send");
    let (code, message) = error(&mut c).await;
    assert_eq!(code, ErrorCode::UnsupportedVersion);
    assert!(message.contains("version 1"), "{message}");
    // The right version still works on the same connection.
    c.hello(&viewer("v"), Role::Audience, None)
        .await
        .expect("hello");
    server.stop().await;
}

#[tokio::test]
async fn an_oversized_frame_is_refused_and_the_connection_closed_with_1009() {
    let dir = temp_dir();
    let server = fresh_server(&dir, |c| {
        c.max_frame_bytes = 4096;
    })
    .await;
    let show = live_show(&server, "big", 1).await;
    let (mut c, _) = server.joined_viewer("v", &show).await;
    let huge = format!(
        r#"{{"v":1,"type":"ping","client_time":1,"pad":"{}"}}"#,
        "x".repeat(10_000)
    );
    c.send_raw(&huge).await.expect("send");
    let (code, message) = error(&mut c).await;
    assert_eq!(code, ErrorCode::FrameTooLarge);
    assert!(message.contains("4096"), "{message}");
    let closed = c.next().await.expect("close");
    assert!(matches!(closed, Incoming::Closed(Some(1009))), "{closed:?}");
    // The server is fine and nothing was stored.
    let totals = totals(&server, &show).await;
    assert_eq!(look(&totals, "look-000").ratings, 0);
    server.stop().await;
}

#[tokio::test]
async fn ratings_of_zero_or_six_stars_are_invalid_and_not_stored() {
    let (_d, server) = setup().await;
    let show = live_show(&server, "stars", 1).await;
    let (mut c, _) = server.joined_viewer("v", &show).await;
    for stars in [0, 6] {
        c.send_raw(&format!(
            r#"{{"v":1,"type":"rate","key":"k{stars}","look":"look-000","stars":{stars}}}"#
        ))
        .await
        .expect("send");
        let (code, message) = error(&mut c).await;
        assert_eq!(code, ErrorCode::InvalidField);
        assert!(message.contains("1 to 5 stars"), "{message}");
    }
    still_alive(&mut c).await;
    let totals = totals(&server, &show).await;
    assert_eq!(look(&totals, "look-000").ratings, 0);
    server.stop().await;
}

#[tokio::test]
async fn an_audience_member_cannot_run_a_show() {
    let (_d, server) = setup().await;
    let show = live_show(&server, "forbidden", 2).await;
    let (mut c, before) = server.joined_viewer("v", &show).await;
    c.send(&ClientMessage::Control {
        show: show.clone(),
        action: ShowAction::End,
    })
    .await
    .expect("send");
    let (code, message) = error(&mut c).await;
    assert_eq!(code, ErrorCode::Forbidden);
    assert!(message.contains("organizer"), "{message}");
    c.send(&ClientMessage::CreateShow {
        show: id("mine"),
        title: "Mine".into(),
        lineup: lineup(1, 10_000),
        scheduled_start: ShowTime(0),
    })
    .await
    .expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::Forbidden);
    still_alive(&mut c).await;
    let (_, after) = server.joined_viewer("w", &show).await;
    assert_eq!(after.status, before.status, "the show is unchanged");
    server.stop().await;
}

#[tokio::test]
async fn a_forged_organizer_token_is_refused() {
    let (_d, server) = setup().await;
    let forged = catwalk_server::AdminKey::random().issue(
        Role::Organizer,
        "mallory",
        catwalk_server::auth::unix_now(),
        600,
    );
    let mut c = ShowClient::connect(&server.url, None)
        .await
        .expect("connect");
    c.send(&ClientMessage::Hello {
        viewer: viewer("mallory"),
        role: Role::Organizer,
        token: Some(forged),
    })
    .await
    .expect("send");
    let (code, message) = error(&mut c).await;
    assert_eq!(code, ErrorCode::BadToken);
    assert!(message.contains("signature"), "{message}");
    // Still not authenticated: organizer actions are refused until a valid hello.
    c.send(&ClientMessage::ListShows).await.expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::HelloRequired);
    let expired = server.key.issue(Role::Organizer, "late", 1_000, 60);
    c.send(&ClientMessage::Hello {
        viewer: viewer("late"),
        role: Role::Organizer,
        token: Some(expired),
    })
    .await
    .expect("send");
    let (code, message) = error(&mut c).await;
    assert_eq!(code, ErrorCode::BadToken);
    assert!(message.contains("expired"), "{message}");
    server.stop().await;
}

#[tokio::test]
async fn a_flood_beyond_the_rate_limit_is_dropped_with_an_error_and_counted_once() {
    let (_d, server) = setup().await;
    let show = live_show(&server, "flood", 1).await;
    let (mut c, _) = server.joined_viewer("v", &show).await;
    // 60 ratings at once against a burst of 20.
    for k in 0..60 {
        c.send(&ClientMessage::Rate {
            key: id(&format!("k{k}")),
            look: id("look-000"),
            stars: Stars::new(1 + k % 5).expect("valid"),
        })
        .await
        .expect("send");
    }
    let mut acked = 0;
    let mut limited = 0;
    while let Ok(m) = c.recv(Duration::from_millis(800)).await {
        match m {
            ServerMessage::Ack { .. } => acked += 1,
            ServerMessage::Error {
                code: ErrorCode::RateLimited,
                ..
            } => limited += 1,
            _ => {}
        }
    }
    assert_eq!(
        limited, 1,
        "one error per second, not one per dropped message"
    );
    assert!(
        (18..60).contains(&acked),
        "the burst is served, the rest dropped: {acked}"
    );
    // After a pause the connection works again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    still_alive(&mut c).await;
    let totals = totals(&server, &show).await;
    assert_eq!(
        look(&totals, "look-000").ratings,
        1,
        "one viewer, one rating"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_sustained_flood_is_disconnected_with_policy_violation() {
    let (_d, server) = setup().await;
    let mut c = server.viewer("v").await;
    for _ in 0..400 {
        if c.send(&ClientMessage::Ping { client_time: 0 })
            .await
            .is_err()
        {
            break;
        }
    }
    let code = loop {
        match c.next().await {
            Ok(Incoming::Message(_)) => continue,
            Ok(Incoming::Closed(code)) => break code,
            Err(_) => break None,
        }
    };
    assert_eq!(code, Some(1008));
    server.stop().await;
}

#[tokio::test]
async fn binary_frames_before_hello_and_before_join_get_their_own_errors() {
    let (_d, server) = setup().await;
    let show = live_show(&server, "order", 2).await;
    let mut c = ShowClient::connect(&server.url, None)
        .await
        .expect("connect");
    c.send_message(Message::Binary(vec![1, 2, 3].into()))
        .await
        .expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::BinaryNotSupported);
    c.send(&ClientMessage::Join {
        show: show.clone(),
        resume: None,
    })
    .await
    .expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::HelloRequired);
    c.hello(&viewer("v"), Role::Audience, None)
        .await
        .expect("hello");
    c.send(&ClientMessage::Rate {
        key: id("k"),
        look: id("look-000"),
        stars: Stars::new(3).expect("valid"),
    })
    .await
    .expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::NotJoined);
    c.join(&id("no-such-show"), None).await.expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::NoSuchShow);
    c.join(&show, None).await.expect("send");
    expect_snapshot(&mut c).await;
    c.send(&ClientMessage::Rate {
        key: id("k2"),
        look: id("look-001"),
        stars: Stars::new(3).expect("valid"),
    })
    .await
    .expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::LookNotShown);
    c.send(&ClientMessage::Rate {
        key: id("k3"),
        look: id("look-999"),
        stars: Stars::new(3).expect("valid"),
    })
    .await
    .expect("send");
    assert_eq!(error(&mut c).await.0, ErrorCode::NoSuchLook);
    server.stop().await;
}

#[tokio::test]
async fn invalid_show_definitions_and_transitions_are_explained() {
    let (_d, server) = setup().await;
    let mut org = server.organizer().await;
    let mut bad = lineup(2, 10_000);
    bad[1].look = bad[0].look.clone();
    let err = org
        .create(&id("dup"), "Dup", bad, ShowTime(0))
        .await
        .expect_err("duplicate looks");
    assert!(err.to_string().contains("appears twice"), "{err}");
    let mut short = lineup(1, 10_000);
    short[0].duration_ms = 5;
    let err = org
        .create(&id("short"), "Short", short, ShowTime(0))
        .await
        .expect_err("too short");
    assert!(err.to_string().contains("duration_ms"), "{err}");
    org.create(&id("ok"), "Ok", lineup(1, 10_000), ShowTime(u64::MAX / 4))
        .await
        .expect("create");
    // Same id, different content.
    let err = org
        .create(
            &id("ok"),
            "Other",
            lineup(1, 10_000),
            ShowTime(u64::MAX / 4),
        )
        .await
        .expect_err("exists");
    assert!(err.to_string().contains("already exists"), "{err}");
    // Same id, same content: a retried create is fine.
    org.create(&id("ok"), "Ok", lineup(1, 10_000), ShowTime(u64::MAX / 4))
        .await
        .expect("retry");
    let err = org
        .control(&id("ok"), ShowAction::Pause)
        .await
        .expect_err("not live");
    assert!(err.to_string().contains("start it first"), "{err}");
    server.stop().await;
}
