//! Follows a show the way a runway client does: says hello, joins, keeps its own estimate of
//! the server's show clock from ping/pong, and prints each look change at the moment it takes
//! effect on that clock (not when the message arrived), with the live totals.
//!
//! ```sh
//! cargo run -- show --keep-running &          # or any running server with a show
//! cargo run --example watch_show -- --url ws://127.0.0.1:9000 --show demo-…
//! ```

use std::time::Duration;

use catwalk_loadgen::ShowClient;
use catwalk_loadgen::viewer::local_micros;
use catwalk_protocol::{
    ClientMessage, ClockEstimator, ClockSample, Role, ServerMessage, ShowId, TimelineEvent,
    ViewerId,
};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::args().any(|a| a == "--help") {
        println!("watch_show --url ws://127.0.0.1:9000 [--show SHOW]   (default: the newest show)");
        return Ok(());
    }
    let url = arg("--url").unwrap_or_else(|| "ws://127.0.0.1:9000".into());
    let mut client = ShowClient::connect(&url, None).await?;
    client
        .hello(&ViewerId::parse("watcher")?, Role::Audience, None)
        .await?;
    let show = match arg("--show") {
        Some(s) => ShowId::parse(s)?,
        None => {
            client.send(&ClientMessage::ListShows).await?;
            let shows = client
                .recv_until(Duration::from_secs(5), |m| match m {
                    ServerMessage::Shows { shows } => Some(shows.clone()),
                    _ => None,
                })
                .await?;
            let newest = shows
                .first()
                .ok_or_else(|| anyhow::anyhow!("the server has no shows yet"))?;
            newest.show.clone()
        }
    };
    client.join(&show, None).await?;
    let mut clock = ClockEstimator::default();
    let mut ping = tokio::time::interval(Duration::from_secs(2));
    let mut lineup = Vec::new();
    loop {
        tokio::select! {
            _ = ping.tick() => {
                client.send(&ClientMessage::Ping { client_time: local_micros() }).await?;
            }
            msg = client.recv(Duration::from_secs(3600)) => match msg? {
                ServerMessage::Pong { client_time, server_time } => {
                    clock.add_sample(ClockSample { sent: client_time, server: server_time.micros(), received: local_micros() });
                }
                ServerMessage::Snapshot { snapshot, .. } => {
                    println!("{} — {} looks, {}", snapshot.title, snapshot.lineup.len(), snapshot.status.phase());
                    lineup = snapshot.lineup;
                }
                ServerMessage::Timeline { event: TimelineEvent::LookChanged { index, effective_at, .. }, .. } => {
                    // Wait until the change takes effect on the show clock.
                    let wait = effective_at.micros().saturating_sub(clock.show_time(local_micros()));
                    tokio::time::sleep(Duration::from_micros(wait)).await;
                    if let Some(look) = lineup.get(index) {
                        println!("now: {} by {} (clock offset {:?} µs, best rtt {:?} µs)", look.title, look.designer, clock.offset(), clock.best_rtt());
                    }
                }
                ServerMessage::Timeline { event: TimelineEvent::Ended { .. }, .. } => {
                    println!("the show has ended");
                    return Ok(());
                }
                ServerMessage::Aggregates { looks, .. } => {
                    for a in looks.iter().filter(|a| a.ratings > 0) {
                        println!("  {}: {:.2} ★ from {} ratings, {} units wanted", a.look, a.mean, a.ratings, a.units());
                    }
                }
                _ => {}
            }
        }
    }
}
