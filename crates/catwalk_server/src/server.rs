//! The accept loop and the shutdown sequence. `run(listener, config, shutdown)` serves
//! until `shutdown` resolves, then: stops accepting, stops reading, waits until every write
//! read so far is durable and acknowledged, closes every connection with 1001, stops the
//! shows and closes the database.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::clock::ServerClock;
use crate::config::ServerConfig;
use crate::connection::{self, Lifecycle, Shared};
use crate::show::ShowRegistry;
use crate::show::actor::ShowTiming;
use crate::stats::Stats;
use crate::store::Store;

/// What the server did, returned after shutdown.
#[derive(Debug, Clone, Default)]
pub struct ServerReport {
    /// Connections served.
    pub accepted: u64,
    /// Connections refused at the limit.
    pub refused: u64,
    /// Writes acknowledged.
    pub acked: u64,
    /// Transactions committed.
    pub commits: u64,
    /// Clients disconnected for being too slow.
    pub evicted_slow: u64,
}

/// Serves websocket clients on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<ServerReport> {
    let stats = Arc::new(Stats::default());
    let clock = ServerClock::start();
    let (store, loaded) = Store::open(
        &config.db_path,
        config.store_queue,
        config.group_commit_max,
        stats.clone(),
    )
    .with_context(|| format!("while opening the database {}", config.db_path.display()))?;
    let store = Arc::new(store);
    let registry = Arc::new(ShowRegistry::new(
        loaded,
        store.clone(),
        clock,
        ShowTiming {
            lead: config.look_lead,
            tick: config.aggregate_interval,
        },
        stats.clone(),
    ));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (drained_tx, drained_rx) = watch::channel(false);
    let forwarder = config.production_url.clone().map(|url| {
        tokio::spawn(crate::outbox::forward(
            store.clone(),
            config.db_path.clone(),
            url,
            config.production_token.clone(),
            stop_rx.clone(),
        ))
    });
    let stats_task = tokio::spawn(log_stats(stats.clone(), config.stats_interval));
    let semaphore = Arc::new(Semaphore::new(config.max_connections));
    let shared = Arc::new(Shared {
        config,
        registry: registry.clone(),
        store: store.clone(),
        clock,
        stats: stats.clone(),
        next_conn: AtomicU64::new(1),
    });
    let lifecycle = Lifecycle {
        stop_reading: stop_rx.clone(),
        drained: drained_rx,
    };
    tracing::info!(addr = ?listener.local_addr().ok(), "show server ready");
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let _ = stream.set_nodelay(true);
                    let permit = semaphore.clone().try_acquire_owned().ok();
                    connections.spawn(connection::serve(stream, shared.clone(), permit, lifecycle.clone()));
                }
                Err(e) => {
                    // Out of file descriptors, usually: wait for connections to close.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    tracing::info!(
        open = connections.len(),
        "shutting down: no new connections"
    );
    drop(listener);
    let _ = stop_tx.send(true);
    if let Err(e) = store.barrier().await {
        tracing::error!("could not flush the store: {e}");
    }
    let _ = drained_tx.send(true);
    let closing = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(10), closing)
        .await
        .is_err()
    {
        tracing::warn!("some connections did not close in time; dropping them");
        connections.abort_all();
    }
    registry.stop_all().await;
    if let Some(f) = forwarder {
        match tokio::time::timeout(Duration::from_secs(6), f).await {
            Ok(Ok(Err(e))) => tracing::error!("outbox forwarder failed: {e}"),
            Err(_) => tracing::warn!("outbox forwarder did not stop in time"),
            _ => {}
        }
    }
    stats_task.abort();
    store.close().await;
    let report = ServerReport {
        accepted: Stats::get(&stats.accepted),
        refused: Stats::get(&stats.refused),
        acked: Stats::get(&stats.acked),
        commits: Stats::get(&stats.commits),
        evicted_slow: Stats::get(&stats.evicted_slow),
    };
    tracing::info!(?report, "show server stopped");
    Ok(report)
}

async fn log_stats(stats: Arc<Stats>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.tick().await;
    let mut last_acked = 0;
    loop {
        tick.tick().await;
        let acked = Stats::get(&stats.acked);
        tracing::info!(
            connections = Stats::get(&stats.connections),
            acked,
            acked_per_sec = (acked - last_acked) as f64 / every.as_secs_f64(),
            commits = Stats::get(&stats.commits),
            frames_out = Stats::get(&stats.frames_out),
            evicted_slow = Stats::get(&stats.evicted_slow),
            "server stats"
        );
        last_acked = acked;
    }
}
