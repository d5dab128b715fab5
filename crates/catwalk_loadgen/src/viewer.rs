//! One simulated audience member: joins the show, follows the timeline, and every so often
//! rates the look on the runway or states purchase intent, waiting for each ack before the
//! next write. It measures how late each look change reached it on the show clock.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use catwalk_protocol::{
    ClientMessage, IdempotencyKey, LookId, Quantity, Role, ServerMessage, ShowId, SizeLabel, Stars,
    TimelineEvent, ViewerId,
};
use tokio::sync::watch;

use crate::client::Incoming;
use crate::socket::ViewerSocket;
use crate::tally::AckedTally;

/// The show clock as the load generator estimates it: local Unix time plus an offset kept
/// up to date by a clock probe.
#[derive(Debug, Default)]
pub struct SharedClock {
    /// `server − local`, microseconds.
    pub offset_us: AtomicI64,
}

impl SharedClock {
    /// The show time now, microseconds.
    pub fn now(&self) -> u64 {
        (local_micros() as i64 + self.offset_us.load(Ordering::Relaxed)).max(0) as u64
    }
}

/// Local Unix time in microseconds.
pub fn local_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

/// How a viewer behaves.
#[derive(Debug, Clone)]
pub struct ViewerPlan {
    /// The server.
    pub url: String,
    /// The show to join.
    pub show: ShowId,
    /// Local address to connect from.
    pub local_ip: Option<IpAddr>,
    /// Mean time between writes; zero means the viewer only watches.
    pub write_every: Duration,
    /// Share of writes that are purchase intents (the rest are ratings).
    pub intent_share: f64,
}

/// Counters shared by all viewers while they run.
#[derive(Debug, Default)]
pub struct LiveCounters {
    /// Viewers that have joined.
    pub joined: AtomicU64,
    /// Writes acknowledged (not replays).
    pub acked: AtomicU64,
    /// Errors received.
    pub errors: AtomicU64,
    /// Viewers that failed to connect or were disconnected.
    pub failed: AtomicU64,
}

/// What one viewer saw.
#[derive(Debug)]
pub struct ViewerOutcome {
    /// Acked writes.
    pub tally: AckedTally,
    /// Look-change delivery latency on the show clock, microseconds, one per change (a
    /// plain list: ten thousand per-viewer histograms would fault their pages in during the
    /// very fan-out they measure).
    pub latency_us: Vec<u64>,
    /// Look changes that arrived after the show time at which they took effect.
    pub late: u64,
    /// Error messages received, by code.
    pub errors: Vec<String>,
    /// Whether the server closed the connection before the end.
    pub dropped: Option<String>,
}

/// A small deterministic generator so that runs are repeatable.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Next value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

enum Pending {
    Rating(LookId, u8),
    Intent(LookId, SizeLabel, u32),
}

/// Runs one viewer until `stop` becomes true; then it waits for its last ack and leaves. It
/// starts writing once `go` is true.
pub async fn run_viewer(
    n: u64,
    plan: Arc<ViewerPlan>,
    clock: Arc<SharedClock>,
    counters: Arc<LiveCounters>,
    stop: watch::Receiver<bool>,
    go: watch::Receiver<bool>,
    ramp: Option<tokio::sync::OwnedSemaphorePermit>,
) -> ViewerOutcome {
    let mut out = ViewerOutcome {
        tally: AckedTally::default(),
        latency_us: Vec::with_capacity(64),
        late: 0,
        errors: Vec::new(),
        dropped: None,
    };
    let viewer = match ViewerId::parse(format!("viewer-{n}")) {
        Ok(v) => v,
        Err(e) => {
            out.dropped = Some(e.to_string());
            return out;
        }
    };
    let mut client = match join(&plan, &viewer).await {
        Ok(c) => c,
        Err(e) => {
            drop(ramp);
            counters.failed.fetch_add(1, Ordering::Relaxed);
            out.dropped = Some(format!("{e:#}"));
            return out;
        }
    };
    drop(ramp);
    counters.joined.fetch_add(1, Ordering::Relaxed);
    let mut rng = Rng::new(n + 1);
    let mut lineup: Vec<LookId> = Vec::new();
    let mut current: Option<usize> = None;
    let mut pending: Option<Pending> = None;
    let mut writes = 0u64;
    let mut writing = !plan.write_every.is_zero() && *go.borrow();
    let jitter = |rng: &mut Rng| {
        let mean = plan.write_every.as_micros() as u64;
        Duration::from_micros(rng.range(mean / 2, mean + mean / 2))
    };
    let first = Duration::from_micros(rng.range(0, plan.write_every.as_micros() as u64));
    let next_write = tokio::time::sleep(first);
    tokio::pin!(next_write);
    // Waited on once each, not re-registered with the shared channels at every message:
    // ten thousand viewers re-arming the same two watch channels cost more than the frames.
    let go_now = became_true(go);
    tokio::pin!(go_now);
    let stop_now = became_true(stop);
    tokio::pin!(stop_now);
    let mut stopping = false;
    let mut stop_deadline = None;
    loop {
        if stopping && pending.is_none() {
            break;
        }
        tokio::select! {
            () = &mut go_now, if !writing && !plan.write_every.is_zero() => {
                writing = true;
            }
            incoming = client.next_skipping(&["aggregates", "presence"]) => {
                let msg = match incoming {
                    Ok(Incoming::Message(m)) => m,
                    Ok(Incoming::Closed(code)) => {
                        out.dropped = Some(format!("closed by server (code {code:?})"));
                        counters.failed.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    Err(e) => {
                        out.dropped = Some(format!("{e:#}"));
                        counters.failed.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                };
                match msg {
                    ServerMessage::Snapshot { snapshot, .. } => {
                        lineup = snapshot.lineup.iter().map(|l| l.look.clone()).collect();
                        current = snapshot.status.current_index();
                    }
                    ServerMessage::Timeline { event, .. } => match event {
                        TimelineEvent::LookChanged { index, issued_at, effective_at, .. } => {
                            let now = clock.now();
                            out.latency_us.push(now.saturating_sub(issued_at.micros()).max(1));
                            if now > effective_at.micros() {
                                out.late += 1;
                            }
                            current = Some(index);
                        }
                        TimelineEvent::Ended { .. } => current = None,
                        _ => {}
                    },
                    ServerMessage::Ack { replayed, .. } => {
                        if replayed {
                            out.tally.replayed += 1;
                        } else {
                            out.tally.acked += 1;
                            counters.acked.fetch_add(1, Ordering::Relaxed);
                        }
                        match pending.take() {
                            Some(Pending::Rating(look, stars)) => out.tally.rating(&viewer, &look, stars),
                            Some(Pending::Intent(look, size, q)) => out.tally.intent(&look, size, q),
                            None => {}
                        }
                    }
                    ServerMessage::Error { code, message, key } => {
                        counters.errors.fetch_add(1, Ordering::Relaxed);
                        if key.is_some() {
                            pending = None;
                        }
                        if out.errors.len() < 8 {
                            out.errors.push(format!("{code:?}: {message}"));
                        }
                    }
                    _ => {}
                }
            }
            () = &mut next_write, if writing && !stopping && pending.is_none() => {
                next_write.as_mut().reset(tokio::time::Instant::now() + jitter(&mut rng));
                let Some(look) = current.and_then(|i| lineup.get(i)).cloned() else { continue };
                writes += 1;
                // Keys are unique per show, so a viewer name reused in a later show on the same
                // database is not mistaken for a retry.
                let show = plan.show.as_str();
                let tag = show.get(show.len().saturating_sub(32)..).unwrap_or(show);
                let Ok(key) = IdempotencyKey::parse(format!("{tag}-w{n}-{writes}")) else { continue };
                let msg = if rng.unit() < plan.intent_share {
                    let size = SizeLabel::ALL[rng.range(0, 5) as usize];
                    let q = rng.range(1, 3) as u32;
                    pending = Some(Pending::Intent(look.clone(), size, q));
                    ClientMessage::Intent { key, look, size, quantity: Quantity::new(i64::from(q)).unwrap_or_else(|_| unreachable!("1..=3")) }
                } else {
                    let stars = rng.range(1, 5) as u8;
                    pending = Some(Pending::Rating(look.clone(), stars));
                    ClientMessage::Rate { key, look, stars: Stars::new(i64::from(stars)).unwrap_or_else(|_| unreachable!("1..=5")) }
                };
                if client.send(&msg).await.is_err() {
                    pending = None;
                }
            }
            () = &mut stop_now, if !stopping => {
                stopping = true;
                stop_deadline = Some(tokio::time::Instant::now() + Duration::from_secs(15));
            }
            () = async { tokio::time::sleep_until(stop_deadline.unwrap_or_else(tokio::time::Instant::now)).await }, if stop_deadline.is_some() => {
                out.errors.push("no ack for the last write within 15 s".into());
                break;
            }
        }
    }
    client.close().await;
    out
}

/// Resolves once the flag is true (never, if its sender is gone first).
async fn became_true(mut flag: watch::Receiver<bool>) {
    while !*flag.borrow_and_update() {
        if flag.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

async fn join(plan: &ViewerPlan, viewer: &ViewerId) -> anyhow::Result<ViewerSocket> {
    let mut socket = ViewerSocket::connect(&plan.url, plan.local_ip).await?;
    socket
        .send(&ClientMessage::Hello {
            viewer: viewer.clone(),
            role: Role::Audience,
            token: None,
        })
        .await?;
    match socket.recv(Duration::from_secs(30)).await? {
        ServerMessage::Welcome { .. } => {}
        other => anyhow::bail!("expected welcome, got {other:?}"),
    }
    socket
        .send(&ClientMessage::Join {
            show: plan.show.clone(),
            resume: None,
        })
        .await?;
    Ok(socket)
}
