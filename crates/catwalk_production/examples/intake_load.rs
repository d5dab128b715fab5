//! Intake throughput: posts N purchase-intent events to an in-process backend with C
//! concurrent senders, then posts them all again (replays), and checks every event was
//! counted exactly once. Prints events per second and latency percentiles.
//!
//! Run with `cargo run -p catwalk_production --example intake_load -- 2000 16`
//! (optionally a third argument: a database URL such as `postgres://…/db`; default a
//! temporary SQLite file).

use std::sync::Arc;
use std::time::{Duration, Instant};

use catwalk_production::{Clock, Config, Faults, build_state, serve};
use serde_json::json;
use tokio::sync::Semaphore;

const TOKEN: &str = "load-admin";

async fn round(
    client: &reqwest::Client,
    base: &str,
    n: usize,
    senders: usize,
) -> anyhow::Result<(f64, Vec<Duration>)> {
    let gate = Arc::new(Semaphore::new(senders));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let permit = gate.clone().acquire_owned().await?;
        let (client, url) = (client.clone(), format!("{base}/intake/events"));
        tasks.push(tokio::spawn(async move {
            let event = json!({"event_id": format!("load-{i}"), "show": "load-show", "viewer": format!("v-{}", i % 500),
                "occurred_at": 1_800_000_000_000_000u64, "kind": "purchase_intent", "look": "look-1",
                "designer": "Load Designer", "garment": format!("load-garment-{}", i % 20), "size": "M", "quantity": 1});
            let t = Instant::now();
            let r = client.post(url).bearer_auth(TOKEN).header("idempotency-key", format!("load-{i}")).json(&event).send().await;
            drop(permit);
            match r {
                Ok(r) if r.status().is_success() => Ok(t.elapsed()),
                Ok(r) => Err(anyhow::anyhow!("HTTP {}", r.status())),
                Err(e) => Err(anyhow::anyhow!(e)),
            }
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    for t in tasks {
        latencies.push(t.await??);
    }
    let secs = start.elapsed().as_secs_f64();
    latencies.sort();
    Ok((n as f64 / secs, latencies))
}

fn pct(l: &[Duration], p: f64) -> f64 {
    l.get(((l.len() as f64 - 1.0) * p) as usize)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let senders: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16);
    let dir = tempfile::tempdir()?;
    let url = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("load.db").display()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let config = Config {
        database_url: url.clone(),
        public_url: base.clone(),
        admin_token: Some(TOKEN.into()),
    };
    let state = tokio::task::spawn_blocking(move || {
        build_state(&config, Clock::system(), Faults::default())
    })
    .await??;
    let engine = state.db.engine();
    tokio::spawn(serve(listener, state, std::future::pending()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(senders)
        .build()?;
    let (rate, lat) = round(&client, &base, n, senders).await?;
    println!(
        "{engine}: {n} new events, {senders} senders: {rate:.0} events/s, p50 {:.2} ms, p99 {:.2} ms",
        pct(&lat, 0.5),
        pct(&lat, 0.99)
    );
    let (rate, lat) = round(&client, &base, n, senders).await?;
    println!(
        "{engine}: {n} replays,    {senders} senders: {rate:.0} events/s, p50 {:.2} ms, p99 {:.2} ms",
        pct(&lat, 0.5),
        pct(&lat, 0.99)
    );
    let designs: serde_json::Value = client
        .get(format!("{base}/designs"))
        .bearer_auth(TOKEN)
        .send()
        .await?
        .json()
        .await?;
    let units: i64 = designs["designs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["score"]["intent_units"].as_i64())
        .sum();
    println!("counted units: {units} (expected {n})");
    anyhow::ensure!(units == n as i64, "events were lost or doubled");
    Ok(())
}
