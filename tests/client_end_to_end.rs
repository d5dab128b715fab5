//! End to end with the runway client: the show server, the production backend and
//! simulated viewers run a show of generated looks; a headless client (the runway client's
//! logic app: network link, show clock, show state, HUD actions) joins, rates and states
//! purchase intent on the look on the runway, drops its connection mid-show and resumes.
//! When the show ends, the client's aggregates must equal the server's, its writes must be
//! acknowledged, and production must count every intent of the first look — the client's
//! included.

#![cfg(feature = "client")]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use catwalk_client::hud::{Choices, HudAction, act};
use catwalk_client::net::{ConnState, NetCommand, NetConfig};
use catwalk_client::net_plugin::{Link, ShowClock};
use catwalk_client::show_state::ShowState;
use catwalk_loadgen::viewer::{LiveCounters, SharedClock, ViewerPlan, local_micros, run_viewer};
use catwalk_protocol::{LookAggregate, Role, ShowStatus, ShowTime, SizeLabel};
use common::*;

const VIEWERS: u64 = 16;

/// What the client saw.
struct Seen {
    state: ShowState,
    reconnected: bool,
}

/// Runs the client's logic app until the show has ended and the final aggregates are in.
fn run_client(config: NetConfig) -> Seen {
    let mut app = catwalk_client::logic_app(config);
    let deadline = Instant::now() + Duration::from_secs(90);
    let (mut rated0, mut bought0, mut rated1, mut dropped) = (false, false, false, false);
    let mut reconnected = false;
    let mut ended_at: Option<Instant> = None;
    while Instant::now() < deadline {
        app.update();
        let world = app.world_mut();
        let now = world.resource::<ShowClock>().now_us;
        let state = world.resource::<ShowState>().clone();
        if dropped && state.connection == ConnState::Connected {
            reconnected = true;
        }
        if matches!(state.connection, ConnState::Reconnecting { .. }) {
            dropped = true;
        }
        let current = state.look_at(now);
        let world = app.world_mut();
        world.resource_scope(
            |world, mut choices: catwalk_client::bevy::prelude::Mut<Choices>| {
                let link = world.resource::<Link>();
                match current {
                    Some(0) if !rated0 => {
                        act(HudAction::Rate(4), &state, now, &mut choices, link);
                        rated0 = true;
                    }
                    Some(0) if !bought0 => {
                        act(HudAction::More, &state, now, &mut choices, link);
                        act(HudAction::Buy, &state, now, &mut choices, link);
                        bought0 = true;
                        // A network fault: the client must reconnect and resume.
                        link.send(NetCommand::DropConnection);
                    }
                    Some(1) if !rated1 => {
                        act(HudAction::Rate(2), &state, now, &mut choices, link);
                        rated1 = true;
                    }
                    _ => {}
                }
            },
        );
        if matches!(state.status, Some(ShowStatus::Ended { .. })) {
            let t = *ended_at.get_or_insert_with(Instant::now);
            if t.elapsed() > Duration::from_millis(2500) {
                return Seen { state, reconnected };
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the show did not end within 90 s");
}

fn same(a: &LookAggregate, b: &LookAggregate) -> bool {
    a.histogram == b.histogram && a.ratings == b.ratings && a.intents == b.intents
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_sees_what_the_server_counts_and_production_gets_its_intent() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (dir, prod_dir) = (temp_dir(), temp_dir());
    let _stop_production = start_production(listener, &prod_dir).await;
    let server = fresh_server(&dir, |c| {
        c.production_url = Some(base.clone());
        c.production_token = Some(PLATFORM_TOKEN.into());
    })
    .await;

    // A show of two generated looks on generated bodies, 5 s each, starting in 1.5 s.
    let lineup = catwalk_client::collection::lineup(7, 2, 5_000).expect("lineup");
    let show = id("client-e2e");
    let mut org = server.organizer().await;
    org.create(
        &show,
        "Client end to end",
        lineup.clone(),
        ShowTime(local_micros()).plus_millis(1_500),
    )
    .await
    .expect("create");

    let plan = Arc::new(ViewerPlan {
        url: server.url.clone(),
        show: show.clone(),
        local_ip: None,
        write_every: Duration::from_millis(400),
        intent_share: 0.3,
    });
    let (clock, counters) = (
        Arc::new(SharedClock::default()),
        Arc::new(LiveCounters::default()),
    );
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let (_go_tx, go) = tokio::sync::watch::channel(true);
    let mut viewers = tokio::task::JoinSet::new();
    for n in 0..VIEWERS {
        viewers.spawn(run_viewer(
            n,
            plan.clone(),
            clock.clone(),
            counters.clone(),
            stop_rx.clone(),
            go.clone(),
            None,
        ));
    }

    let config = NetConfig {
        url: server.url.clone(),
        show: show.clone(),
        viewer: viewer("runway-client"),
        role: Role::Audience,
        token: None,
    };
    let seen = tokio::task::spawn_blocking(move || run_client(config))
        .await
        .expect("client");
    let _ = stop_tx.send(true);
    while viewers.join_next().await.is_some() {}

    assert!(
        seen.reconnected,
        "the client did not reconnect after the drop"
    );
    let state = &seen.state;
    assert_eq!(state.lineup, lineup);
    let first = &lineup[0].look;
    assert_eq!(state.acked.get(&(first.clone(), "rating")), Some(&1));
    assert_eq!(state.acked.get(&(first.clone(), "intent")), Some(&1));
    assert_eq!(
        state.acked.get(&(lineup[1].look.clone(), "rating")),
        Some(&1)
    );

    // The client's live aggregates are the server's final totals.
    let server_totals = totals(&server, &show).await;
    for spec in &lineup {
        let ours = state.aggregate(&spec.look).expect("client aggregate");
        let theirs = look(&server_totals, spec.look.as_str());
        assert!(
            same(ours, theirs),
            "{}: client {ours:?} server {theirs:?}",
            spec.look
        );
    }
    let first_totals = look(&server_totals, first.as_str());
    assert!(
        first_totals
            .intents
            .get(&SizeLabel::M)
            .copied()
            .unwrap_or(0)
            >= 2,
        "the client's 2 × M is missing: {first_totals:?}"
    );

    // Production counts every unit wanted for the first look, the client's 2 × M included.
    let garment = &lineup[0].garment;
    let want = first_totals.units();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = design(&base, garment).await.and_then(|d| {
            d["score"]["intent_units"].as_i64().or_else(|| {
                d["intent_units_by_size"]
                    .as_object()
                    .map(|m| m.values().filter_map(|v| v.as_i64()).sum())
            })
        });
        if got == Some(want as i64) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "production has {got:?} units of {garment}, the show {want}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.stop().await;
}
