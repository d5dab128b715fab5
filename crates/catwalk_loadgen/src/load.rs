//! The load test: N viewers on one show, an organizer changing looks at a steady pace, and
//! a report of fan-out latency (on the show clock), acked writes per second, server memory
//! per connection, and an exact reconciliation of acked votes against the server's totals.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use catwalk_protocol::{
    ClientMessage, LookAggregate, Role, ServerMessage, ShowAction, ShowId, ShowTime, ViewerId,
};
use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::client::ShowClient;
use crate::organizer::Organizer;
use crate::tally::{AckedTally, Mismatch};
use crate::viewer::{LiveCounters, SharedClock, ViewerPlan, local_micros, run_viewer};

/// What to run.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    /// The server, e.g. `ws://127.0.0.1:9000`.
    pub url: String,
    /// Simulated viewers.
    pub viewers: usize,
    /// Local addresses to spread connections over (round robin); empty for the default.
    pub local_ips: Vec<IpAddr>,
    /// Connections opened at once during the ramp.
    pub ramp_concurrency: usize,
    /// Measured time after everyone has joined.
    pub duration: Duration,
    /// Time between look changes.
    pub look_every: Duration,
    /// Mean time between one viewer's writes (zero: watch only).
    pub write_every: Duration,
    /// Share of writes that are purchase intents.
    pub intent_share: f64,
    /// Organizer token.
    pub token: Option<String>,
    /// The server's process id, to read its memory.
    pub server_pid: Option<u32>,
    /// The show to create and use.
    pub show: ShowId,
    /// Looks in the show's line-up.
    pub looks: usize,
    /// Show a progress bar.
    pub progress: bool,
}

/// What the load test measured.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// Viewers that joined.
    pub viewers_joined: u64,
    /// Viewers that failed to connect or were dropped.
    pub viewers_failed: u64,
    /// Seconds to connect everyone.
    pub ramp_s: f64,
    /// Look changes made during the measured window.
    pub look_changes: u64,
    /// Delivered look changes measured.
    pub fanout_samples: u64,
    /// Fan-out latency percentiles, milliseconds.
    pub fanout_p50_ms: f64,
    /// 90th percentile.
    pub fanout_p90_ms: f64,
    /// 99th percentile.
    pub fanout_p99_ms: f64,
    /// Maximum.
    pub fanout_max_ms: f64,
    /// Share of delivered look changes that arrived before their effective show time, so
    /// the viewer switched in step with everyone else.
    pub on_time_share: f64,
    /// Writes acknowledged during the measured window.
    pub acked_in_window: u64,
    /// Acked writes per second during the window.
    pub acked_per_sec: f64,
    /// All acked writes.
    pub acked_total: u64,
    /// Error messages received.
    pub errors: u64,
    /// A few of them.
    pub error_samples: Vec<String>,
    /// Server resident memory before the viewers connected, KiB.
    pub server_rss_before_kib: Option<u64>,
    /// After everyone joined, before any writes, KiB.
    pub server_rss_joined_kib: Option<u64>,
    /// Per joined viewer, KiB.
    pub server_kib_per_viewer: Option<f64>,
    /// Looks whose server totals differ from what was acked.
    pub mismatches: Vec<String>,
    /// Whether every acked write is counted exactly once.
    pub reconciled: bool,
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Keeps the shared clock's offset following the server's show clock.
async fn clock_probe(url: String, clock: Arc<SharedClock>, mut stop: watch::Receiver<bool>) {
    let Ok(mut client) = ShowClient::connect(&url, None).await else {
        return;
    };
    let Ok(me) = ViewerId::parse("loadgen-clock") else {
        return;
    };
    if client.hello(&me, Role::Audience, None).await.is_err() {
        return;
    }
    let mut est = catwalk_protocol::ClockEstimator::default();
    loop {
        let sent = local_micros();
        if client
            .send(&ClientMessage::Ping { client_time: sent })
            .await
            .is_err()
        {
            return;
        }
        let pong = client
            .recv_until(Duration::from_secs(5), |m| match m {
                ServerMessage::Pong {
                    client_time,
                    server_time,
                } if *client_time == sent => Some(*server_time),
                _ => None,
            })
            .await;
        if let Ok(server) = pong {
            est.add_sample(catwalk_protocol::ClockSample {
                sent,
                server: server.micros(),
                received: local_micros(),
            });
            if let Some(o) = est.offset() {
                clock.offset_us.store(o, Ordering::Relaxed);
            }
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Reads every look's totals with a fresh connection.
pub async fn read_totals(url: &str, show: &ShowId) -> anyhow::Result<Vec<LookAggregate>> {
    let mut client = ShowClient::connect(url, None).await?;
    client
        .hello(&ViewerId::parse("loadgen-auditor")?, Role::Audience, None)
        .await?;
    client.join(show, None).await?;
    let looks = client
        .recv_until(Duration::from_secs(30), |m| match m {
            ServerMessage::Aggregates { looks, .. } => Some(looks.clone()),
            _ => None,
        })
        .await?;
    client.close().await;
    Ok(looks)
}

/// Runs the load test.
pub async fn run_load(plan: LoadPlan) -> anyhow::Result<LoadReport> {
    let clock = Arc::new(SharedClock::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let (go_tx, go_rx) = watch::channel(false);
    let probe = tokio::spawn(clock_probe(
        plan.url.clone(),
        clock.clone(),
        stop_rx.clone(),
    ));
    let mut organizer = Organizer::connect(&plan.url, plan.token.clone())
        .await
        .context("while connecting the organizer")?;
    let lineup = crate::demo::lineup(plan.looks, 3_600_000);
    let start = ShowTime(local_micros()).plus_millis(3_600_000);
    organizer
        .create(&plan.show, "Load test", lineup, start)
        .await?;
    if let Err(e) = organizer.control(&plan.show, ShowAction::Start).await {
        tracing::info!("start: {e:#} (continuing: the show may already be live)");
    }
    let rss_before = plan.server_pid.and_then(rss_kib);

    let counters = Arc::new(LiveCounters::default());
    let viewer_plan = |i: usize| {
        Arc::new(ViewerPlan {
            url: plan.url.clone(),
            show: plan.show.clone(),
            local_ip: (!plan.local_ips.is_empty())
                .then(|| plan.local_ips[i % plan.local_ips.len()]),
            write_every: plan.write_every,
            intent_share: plan.intent_share,
        })
    };
    let bar = if plan.progress {
        let bar = ProgressBar::new(plan.viewers as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message("connecting viewers");
        bar
    } else {
        ProgressBar::hidden()
    };
    let ramp_start = Instant::now();
    let gate = Arc::new(Semaphore::new(plan.ramp_concurrency.max(1)));
    let mut viewers = JoinSet::new();
    for i in 0..plan.viewers {
        let permit = gate.clone().acquire_owned().await?;
        let counters2 = counters.clone();
        let (p, c, s) = (viewer_plan(i), clock.clone(), stop_rx.clone());
        // The ramp permit is held until this viewer has joined (or failed).
        viewers.spawn(run_viewer(
            i as u64,
            p,
            c,
            counters2,
            s,
            go_rx.clone(),
            Some(permit),
        ));
        bar.set_position(counters.joined.load(Ordering::Relaxed));
    }
    let joined_by = Instant::now() + Duration::from_secs(120);
    while counters.joined.load(Ordering::Relaxed) + counters.failed.load(Ordering::Relaxed)
        < plan.viewers as u64
        && Instant::now() < joined_by
    {
        bar.set_position(counters.joined.load(Ordering::Relaxed));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bar.finish_and_clear();
    let ramp_s = ramp_start.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_joined = plan.server_pid.and_then(rss_kib);
    tracing::info!(
        joined = counters.joined.load(Ordering::Relaxed),
        failed = counters.failed.load(Ordering::Relaxed),
        ramp_s,
        "viewers connected; measuring"
    );

    let _ = go_tx.send(true);
    let window_start = Instant::now();
    let acked_start = counters.acked.load(Ordering::Relaxed);
    let mut look_changes = 0;
    let mut next_change = tokio::time::Instant::now() + plan.look_every;
    while window_start.elapsed() < plan.duration {
        tokio::time::sleep_until(next_change).await;
        next_change += plan.look_every;
        match organizer.control(&plan.show, ShowAction::Advance).await {
            Ok(_) => look_changes += 1,
            Err(e) => tracing::warn!("advance failed: {e:#}"),
        }
    }
    let window = window_start.elapsed().as_secs_f64();
    let acked_in_window = counters.acked.load(Ordering::Relaxed) - acked_start;
    // Let the last look change reach everyone before the viewers start leaving, so that
    // ten thousand close handshakes are not measured as fan-out latency.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = stop_tx.send(true);

    let mut latency = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3)?;
    let mut tally = AckedTally::default();
    let mut late = 0u64;
    let mut samples = Vec::new();
    while let Some(out) = viewers.join_next().await {
        let out = out?;
        for &us in &out.latency_us {
            latency.saturating_record(us);
        }
        late += out.late;
        tally.merge(out.tally);
        if samples.len() < 5 {
            samples.extend(out.errors.into_iter().take(1));
            samples.extend(out.dropped);
        }
    }
    probe.abort();
    // Totals are broadcast at a steady rate; a fresh join reads the latest directly.
    let totals = read_totals(&plan.url, &plan.show).await?;
    let mismatches: Vec<String> = tally
        .reconcile(&totals)
        .into_iter()
        .map(|Mismatch { look, detail }| format!("{look}: {detail}"))
        .collect();
    let ms = |q: f64| latency.value_at_quantile(q) as f64 / 1000.0;
    let joined = counters.joined.load(Ordering::Relaxed);
    Ok(LoadReport {
        viewers_joined: joined,
        viewers_failed: counters.failed.load(Ordering::Relaxed),
        ramp_s,
        look_changes,
        fanout_samples: latency.len(),
        fanout_p50_ms: ms(0.5),
        fanout_p90_ms: ms(0.9),
        fanout_p99_ms: ms(0.99),
        fanout_max_ms: latency.max() as f64 / 1000.0,
        on_time_share: if latency.is_empty() {
            0.0
        } else {
            1.0 - late as f64 / latency.len() as f64
        },
        acked_in_window,
        acked_per_sec: acked_in_window as f64 / window,
        acked_total: tally.acked,
        errors: counters.errors.load(Ordering::Relaxed),
        error_samples: samples,
        server_rss_before_kib: rss_before,
        server_rss_joined_kib: rss_joined,
        server_kib_per_viewer: match (rss_before, rss_joined) {
            (Some(a), Some(b)) if joined > 0 => Some(b.saturating_sub(a) as f64 / joined as f64),
            _ => None,
        },
        reconciled: mismatches.is_empty(),
        mismatches,
    })
}
