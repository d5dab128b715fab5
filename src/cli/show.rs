//! `catwalk show`: a complete local show on embedded defaults. It starts the production
//! backend and the show server on SQLite, schedules a demo show that starts by itself a few
//! seconds later, puts simulated viewers in the audience who rate and state purchase intent,
//! narrates the show as it runs, and prints the show's final ranking and production's
//! ranking (fed through the outbox) when the last look has walked.
//!
//! The line-up is the demo collection: generated designs on several generated bodies
//! (`catwalk_client::collection`). Unless `--no-window` is given, the runway client opens
//! on the main thread, joined to the show as its organizer (the show itself runs on a
//! background runtime); closing the window stops everything.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use catwalk_loadgen::ShowClient;
use catwalk_loadgen::organizer::Organizer;
use catwalk_loadgen::viewer::{LiveCounters, SharedClock, ViewerPlan, local_micros, run_viewer};
use catwalk_protocol::{
    LookAggregate, LookSpec, Role, ServerMessage, ShowId, ShowTime, TimelineEvent, ViewerId,
};
use clap::Args;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::embedded_production::EmbeddedProduction;
use super::keys::KeyArgs;
use super::serve::ServeArgs;

/// Options of `catwalk show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Address for the show server.
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: SocketAddr,
    /// SQLite database for the demo.
    #[arg(long, default_value = "var/demo.db")]
    db: PathBuf,
    #[command(flatten)]
    key: KeyArgs,
    /// Simulated audience members.
    #[arg(long, default_value_t = 300)]
    viewers: usize,
    /// Looks in the demo show.
    #[arg(long, default_value_t = 8)]
    looks: usize,
    /// Seconds each look stays on the runway (dressing a look takes the window about 15 s on
    /// a two-core machine rendering on the CPU; it dresses the next looks while one walks).
    #[arg(long, default_value_t = 20)]
    look_seconds: u64,
    /// Seconds until the show starts by itself (the window dresses the first looks
    /// meanwhile).
    #[arg(long, default_value_t = 20)]
    start_in: u64,
    /// Keep the server running after the show ends (until Ctrl-C).
    #[arg(long)]
    keep_running: bool,
    /// Production backend base URL for ratings and purchase intents (default: a backend
    /// embedded in this process, on --production-db).
    #[arg(long, env = "CATWALK_PRODUCTION_URL")]
    production_url: Option<String>,
    /// SQLite database of the embedded production backend.
    #[arg(long, default_value = "var/demo-production.db")]
    production_db: PathBuf,
    /// Run without a production backend (intents stay in the show server's outbox).
    #[arg(long, conflicts_with = "production_url")]
    no_production: bool,
    /// The production backend's platform token.
    #[arg(long, env = "CATWALK_PRODUCTION_TOKEN", hide_env_values = true)]
    production_token: Option<String>,
    /// Run without the runway window (terminal narration only).
    #[arg(long)]
    pub no_window: bool,
    /// Join the window to the show as an audience member instead of its organizer.
    #[arg(long)]
    pub audience_window: bool,
    #[command(flatten)]
    pub window: super::client::WindowArgs,
}

/// What the runway window needs to join the demo show.
#[derive(Debug, Clone)]
pub struct Joined {
    /// Show server URL.
    pub url: String,
    /// The show.
    pub show: ShowId,
    /// An organizer token for it.
    pub token: String,
    /// The production backend and its platform token, if any.
    pub production: Option<(String, String)>,
}

/// Runs the demo in the terminal, or with the runway window.
pub fn run_blocking(args: ShowArgs) -> anyhow::Result<()> {
    if args.no_window {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        let (_stop_tx, stop) = watch::channel(false);
        return runtime.block_on(run(args, None, stop));
    }
    let window = args.window.clone();
    let audience = args.audience_window;
    let (joined_tx, joined_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop) = watch::channel(false);
    let window_closed = stop.clone();
    let background = std::thread::Builder::new()
        .name("catwalk-show".into())
        .spawn(move || -> anyhow::Result<()> {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let result = runtime.block_on(run(args, Some(joined_tx), stop));
            if !*window_closed.borrow() {
                // Ctrl-C or SIGTERM stopped the show (the signal handler is this thread's)
                // and the server has shut down cleanly, or the show failed: the window, if
                // it is open yet, goes too.
                match &result {
                    Ok(()) => tracing::info!("the show has stopped; closing the runway window"),
                    Err(e) => eprintln!("Error: {e:#}"),
                }
                std::process::exit(i32::from(result.is_err()));
            }
            result
        })?;
    let joined = match joined_rx.recv_timeout(Duration::from_secs(120)) {
        Ok(j) => j,
        Err(_) => {
            // The show could not start; its error says why.
            return match background.join() {
                Ok(r) => r.and_then(|()| Err(anyhow::anyhow!("the show did not start"))),
                Err(_) => Err(anyhow::anyhow!("the show thread panicked")),
            };
        }
    };
    let result = super::client::run_window(&window, &joined, audience);
    let _ = stop_tx.send(true);
    match background.join() {
        Ok(r) => r?,
        Err(_) => anyhow::bail!("the show thread panicked"),
    }
    result
}

/// A flag that turns true on Ctrl-C, SIGTERM or when `stop` turns true, and stays true:
/// a signal during the show also ends the wait after it.
fn stop_or_signal(mut stop: watch::Receiver<bool>) -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        tokio::select! {
            () = super::shutdown_signal() => {}
            _ = stop.wait_for(|s| *s) => {}
        }
        let _ = tx.send(true);
    });
    rx
}

/// Resolves once `stop` is true.
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Runs the demo.
pub async fn run(
    args: ShowArgs,
    joined: Option<std::sync::mpsc::Sender<Joined>>,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let stop = stop_or_signal(stop);
    let key = args.key.load()?;
    let production = if args.production_url.is_none() && !args.no_production {
        // The platform token only needs to be unguessable: an HMAC token from the admin key.
        let token = key.issue(
            Role::Organizer,
            "production-intake",
            catwalk_server::auth::unix_now(),
            86_400,
        );
        let p = EmbeddedProduction::start(&args.production_db, token).await?;
        println!(
            "Catwalk production backend on {} (database {})",
            p.url,
            args.production_db.display()
        );
        Some(p)
    } else {
        None
    };
    let (production_url, production_token) = match &production {
        Some(p) => (Some(p.url.clone()), Some(p.token.clone())),
        None => (args.production_url.clone(), args.production_token.clone()),
    };
    let serve = ServeArgs {
        listen: args.listen,
        db: args.db.clone(),
        key: args.key.clone(),
        production_url,
        production_token,
        max_connections: 19_000,
        max_frame_bytes: 64 * 1024,
        send_queue: 256,
        rate_per_sec: 20,
        rate_burst: 40,
        aggregate_ms: 200,
    };
    let config = serve.config()?;
    let token = config.admin_key.issue(
        Role::Organizer,
        "demo",
        catwalk_server::auth::unix_now(),
        3600,
    );
    let listener = TcpListener::bind(args.listen).await.with_context(|| {
        format!(
            "while binding {} (is another show running? use --listen 127.0.0.1:0)",
            args.listen
        )
    })?;
    let url = format!("ws://{}", listener.local_addr()?);
    let (stop_server, server_stopped) = watch::channel(false);
    let server = tokio::spawn(catwalk_server::run(listener, config, async move {
        let mut rx = server_stopped;
        let _ = rx.wait_for(|s| *s).await;
    }));
    println!(
        "Catwalk show server on {url} (database {})",
        args.db.display()
    );

    let show = ShowId::parse(format!("demo-{}", local_micros() / 1_000_000))?;
    let lineup = catwalk_client::collection::lineup(
        catwalk_client::collection::DEMO_SEED,
        args.looks.clamp(1, catwalk_client::collection::MAX_LOOKS),
        args.look_seconds.max(1) * 1000,
    )?;
    let start = ShowTime(local_micros()).plus_millis(args.start_in * 1000);
    let units_before = match &production {
        Some(p) => p.units_before(&lineup).await,
        None => 0,
    };
    let mut organizer = Organizer::connect(&url, Some(token.clone())).await?;
    organizer
        .create(&show, "Dongdaemun Spring Showcase", lineup.clone(), start)
        .await?;
    println!(
        "Show {show}: {} looks, {} s each, starts by itself in {} s; {} viewers in the audience",
        lineup.len(),
        args.look_seconds,
        args.start_in,
        args.viewers
    );
    let window_open = joined.is_some();
    if let Some(tx) = joined {
        let _ = tx.send(Joined {
            url: url.clone(),
            show: show.clone(),
            token: token.clone(),
            production: production
                .as_ref()
                .map(|p| (p.url.clone(), p.token.clone())),
        });
    }

    let clock = Arc::new(SharedClock::default());
    let counters = Arc::new(LiveCounters::default());
    let (stop_viewers, viewers_stop) = watch::channel(false);
    let plan = Arc::new(ViewerPlan {
        url: url.clone(),
        show: show.clone(),
        local_ip: None,
        write_every: Duration::from_secs(4),
        intent_share: 0.2,
    });
    let (_go_tx, go) = watch::channel(true);
    let mut viewers = tokio::task::JoinSet::new();
    for i in 0..args.viewers {
        viewers.spawn(run_viewer(
            i as u64,
            plan.clone(),
            clock.clone(),
            counters.clone(),
            viewers_stop.clone(),
            go.clone(),
            None,
        ));
    }

    let narrated = tokio::select! {
        r = narrate(&url, &show, &lineup) => r,
        () = stopped(stop.clone()) => Ok(Vec::new()),
    };
    let _ = stop_viewers.send(true);
    while viewers.join_next().await.is_some() {}
    match &narrated {
        Ok(totals) if !totals.is_empty() => print_ranking(&lineup, totals),
        Ok(_) => {}
        Err(e) => tracing::error!("narration failed: {e:#}"),
    }
    if let (Some(p), Ok(totals)) = (&production, &narrated) {
        let units: u64 = totals.iter().map(|a| a.units()).sum();
        p.print_ranking(&lineup, units_before + units, Duration::from_secs(20))
            .await;
    }
    if args.keep_running {
        println!("The server keeps running on {url}; Ctrl-C to stop.");
        stopped(stop.clone()).await;
    } else if window_open {
        println!("The show is over; the server keeps running until the runway window is closed.");
        stopped(stop.clone()).await;
    }
    let _ = stop_server.send(true);
    server.await??;
    if let Some(p) = production {
        p.stop().await;
    }
    Ok(())
}

/// Follows the show as an audience member and tells what happens; returns the final totals.
async fn narrate(
    url: &str,
    show: &ShowId,
    lineup: &[LookSpec],
) -> anyhow::Result<Vec<LookAggregate>> {
    let mut client = ShowClient::connect(url, None).await?;
    client
        .hello(&ViewerId::parse("narrator")?, Role::Audience, None)
        .await?;
    client.join(show, None).await?;
    let mut totals: HashMap<String, LookAggregate> = HashMap::new();
    let mut presence = 0;
    let mut current: Option<usize> = None;
    let mut report = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            msg = client.recv(Duration::from_secs(3600)) => match msg? {
                ServerMessage::Timeline { event: TimelineEvent::LookChanged { index, .. }, .. } => {
                    current = Some(index);
                    let l = &lineup[index];
                    println!("▶ look {}/{}: {} — {} ({})", index + 1, lineup.len(), l.title, l.designer, l.garment);
                }
                ServerMessage::Timeline { event: TimelineEvent::Ended { .. }, .. } => {
                    println!("■ the show has ended");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
                ServerMessage::Aggregates { looks, .. } => {
                    for a in looks {
                        totals.insert(a.look.to_string(), a);
                    }
                }
                ServerMessage::Presence { count, .. } => presence = count,
                _ => {}
            },
            _ = report.tick() => {
                // A listener that never writes would be closed as idle: ping along.
                client.send(&catwalk_protocol::ClientMessage::Ping { client_time: local_micros() }).await?;
                if let Some(i) = current
                    && let Some(a) = totals.get(lineup[i].look.as_str())
                {
                    println!(
                        "  {} watching · {} ratings, mean {:.2} ★ · {} units wanted",
                        presence, a.ratings, a.mean, a.units()
                    );
                }
            }
        }
    }
    client.close().await;
    catwalk_loadgen::load::read_totals(url, show).await
}

fn print_ranking(lineup: &[LookSpec], totals: &[LookAggregate]) {
    let mut rows: Vec<&LookAggregate> = totals.iter().filter(|a| a.ratings > 0).collect();
    rows.sort_by(|a, b| b.mean.total_cmp(&a.mean));
    println!("\nFinal ranking (mean stars, ratings, units wanted by size):");
    for (rank, a) in rows.iter().enumerate() {
        let title = lineup
            .iter()
            .find(|l| l.look == a.look)
            .map_or("", |l| l.title.as_str());
        let sizes: Vec<String> = a.intents.iter().map(|(s, n)| format!("{s}:{n}")).collect();
        println!(
            "{:>2}. {:<8} {:<32} {:.2} ★  {:>4} ratings  {}",
            rank + 1,
            a.look,
            title,
            a.mean,
            a.ratings,
            sizes.join(" ")
        );
    }
}
