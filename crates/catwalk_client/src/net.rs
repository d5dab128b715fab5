//! The network link: a websocket client on its own thread and tokio runtime, so a slow
//! frame never delays a pong and a slow network never stalls a frame.
//!
//! [`NetLink::start`] connects, says hello, joins the show and then keeps the connection:
//! a ping every second feeds the shared [`ClockEstimator`], server messages are passed to
//! the app through a channel, commands (ratings, intents, organizer actions) come back the
//! other way. After a drop it reconnects with growing back-off and joins with
//! `resume` from the last epoch and offset it saw, so the server replays what was missed;
//! writes not yet acknowledged are sent again with the same idempotency keys.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use catwalk_loadgen::ShowClient;
use catwalk_loadgen::viewer::local_micros;
use catwalk_protocol::{
    ClientMessage, ClockEstimator, ClockSample, ErrorCode, IdempotencyKey, ResumeFrom, Role,
    ServerMessage, ShowAction, ShowId, ViewerId,
};
use tokio::sync::mpsc as tmpsc;

/// Where to connect and as whom.
#[derive(Debug, Clone)]
pub struct NetConfig {
    /// Server URL, `ws://host:port`.
    pub url: String,
    /// The show to join.
    pub show: ShowId,
    /// Who this client is.
    pub viewer: ViewerId,
    /// The role asked for.
    pub role: Role,
    /// Organizer token, if any.
    pub token: Option<String>,
}

/// The link's state, for the HUD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnState {
    /// Opening the first connection.
    Connecting,
    /// Joined and receiving.
    Connected,
    /// Lost; retrying (attempt number, last error).
    Reconnecting {
        /// How many attempts so far.
        attempt: u32,
        /// Why the last one failed.
        reason: String,
    },
    /// The server refused us for good (bad token, no such show).
    Failed(String),
}

/// What the link reports to the app.
#[derive(Debug, Clone)]
pub enum NetEvent {
    /// The connection state changed.
    State(ConnState),
    /// A message from the server.
    Message(ServerMessage),
}

/// What the app asks the link to do.
#[derive(Debug, Clone)]
pub enum NetCommand {
    /// Send a write (rate or intent); it is resent after a reconnect until acknowledged.
    Write(ClientMessage),
    /// An organizer action on the joined show.
    Control(ShowAction),
    /// Any other message, sent once (e.g. an organizer's `create_show`).
    Send(ClientMessage),
    /// Leave the joined show for another (reconnects rejoin the new one).
    Join(ShowId),
    /// Drop the connection as a network fault would (for tests and the reconnect demo).
    DropConnection,
}

/// The app's end of the link.
pub struct NetLink {
    /// Events from the network thread.
    pub events: Mutex<mpsc::Receiver<NetEvent>>,
    /// Commands to it.
    pub commands: tmpsc::UnboundedSender<NetCommand>,
    /// The show clock, shared with the network thread.
    pub clock: Arc<Mutex<ClockEstimator>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl NetLink {
    /// Starts the network thread.
    pub fn start(config: NetConfig) -> std::io::Result<NetLink> {
        let (ev_tx, ev_rx) = mpsc::channel();
        let (cmd_tx, cmd_rx) = tmpsc::unbounded_channel();
        let clock = Arc::new(Mutex::new(ClockEstimator::new(16)));
        let thread_clock = clock.clone();
        let thread = std::thread::Builder::new()
            .name("catwalk-net".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ev_tx.send(NetEvent::State(ConnState::Failed(format!(
                            "could not start the network runtime: {e}"
                        ))));
                        return;
                    }
                };
                rt.block_on(run(config, cmd_rx, ev_tx, thread_clock));
            })?;
        Ok(NetLink {
            events: Mutex::new(ev_rx),
            commands: cmd_tx,
            clock,
            thread: Some(thread),
        })
    }

    /// Everything that arrived since the last call.
    pub fn drain(&self) -> Vec<NetEvent> {
        match self.events.lock() {
            Ok(rx) => rx.try_iter().collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Sends a command; false once the network thread has stopped.
    pub fn send(&self, cmd: NetCommand) -> bool {
        self.commands.send(cmd).is_ok()
    }

    /// The server's show time now (µs), or `None` before the first pong.
    pub fn show_time(&self) -> Option<u64> {
        let mut clock = self.clock.lock().ok()?;
        clock.is_synced().then(|| clock.show_time(local_micros()))
    }
}

impl Drop for NetLink {
    fn drop(&mut self) {
        // Closing the command channel ends the thread's loop.
        let (tx, _) = tmpsc::unbounded_channel();
        drop(std::mem::replace(&mut self.commands, tx));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Why a session ended.
enum Ended {
    /// The app went away.
    Shutdown,
    /// The connection dropped or failed; retry.
    Retry(String),
    /// The server refused us; do not retry.
    Fatal(String),
}

async fn run(
    config: NetConfig,
    mut commands: tmpsc::UnboundedReceiver<NetCommand>,
    events: mpsc::Sender<NetEvent>,
    clock: Arc<Mutex<ClockEstimator>>,
) {
    let mut config = config;
    let mut resume: Option<ResumeFrom> = None;
    let mut pending: BTreeMap<String, ClientMessage> = BTreeMap::new();
    let mut attempt = 0u32;
    let _ = events.send(NetEvent::State(ConnState::Connecting));
    loop {
        let ended = session(
            &mut config,
            &mut resume,
            &mut pending,
            &mut commands,
            &events,
            &clock,
        )
        .await;
        match ended {
            Ended::Shutdown => return,
            Ended::Fatal(reason) => {
                tracing::error!("the show server refused this client: {reason}");
                let _ = events.send(NetEvent::State(ConnState::Failed(reason)));
                // Keep draining commands until the app goes away.
                while commands.recv().await.is_some() {}
                return;
            }
            Ended::Retry(reason) => {
                attempt += 1;
                tracing::warn!(attempt, "connection to {} lost: {reason}", config.url);
                if events
                    .send(NetEvent::State(ConnState::Reconnecting { attempt, reason }))
                    .is_err()
                {
                    return;
                }
                let backoff = Duration::from_millis((250u64 << attempt.min(5)).min(5_000));
                tokio::time::sleep(backoff).await;
            }
        }
    }
}

async fn session(
    config: &mut NetConfig,
    resume: &mut Option<ResumeFrom>,
    pending: &mut BTreeMap<String, ClientMessage>,
    commands: &mut tmpsc::UnboundedReceiver<NetCommand>,
    events: &mpsc::Sender<NetEvent>,
    clock: &Arc<Mutex<ClockEstimator>>,
) -> Ended {
    let mut client = match ShowClient::connect(&config.url, None).await {
        Ok(c) => c,
        Err(e) => return Ended::Retry(format!("{e:#}")),
    };
    if let Err(e) = client
        .hello(&config.viewer, config.role, config.token.clone())
        .await
    {
        let text = format!("{e:#}");
        return if text.contains("bad_token")
            || text.contains("BadToken")
            || text.contains("forbidden")
        {
            Ended::Fatal(text)
        } else {
            Ended::Retry(text)
        };
    }
    if let Err(e) = client.join(&config.show, resume.clone()).await {
        return Ended::Retry(format!("{e:#}"));
    }
    for msg in pending.values() {
        if let Err(e) = client.send(msg).await {
            return Ended::Retry(format!("{e:#}"));
        }
    }
    let _ = events.send(NetEvent::State(ConnState::Connected));
    let mut ping = tokio::time::interval(Duration::from_millis(1000));
    // A few quick pings first so the clock settles fast.
    let mut quick = 5;
    loop {
        tokio::select! {
            msg = client.recv(Duration::from_secs(15)) => {
                let msg = match msg {
                    Ok(m) => m,
                    Err(e) => return Ended::Retry(format!("{e:#}")),
                };
                track(&msg, resume, pending, clock);
                if let ServerMessage::Error { code, message, key: None } = &msg
                    && matches!(code, ErrorCode::NoSuchShow | ErrorCode::BadToken)
                {
                    return Ended::Fatal(message.clone());
                }
                if events.send(NetEvent::Message(msg)).is_err() {
                    return Ended::Shutdown;
                }
            }
            _ = ping.tick() => {
                let ping = ClientMessage::Ping { client_time: local_micros() };
                if let Err(e) = client.send(&ping).await {
                    return Ended::Retry(format!("{e:#}"));
                }
                if quick > 0 {
                    quick -= 1;
                    ping_soon(&mut client).await;
                }
            }
            cmd = commands.recv() => {
                let Some(cmd) = cmd else {
                    client.close().await;
                    return Ended::Shutdown;
                };
                let msg = match cmd {
                    NetCommand::Write(msg) => {
                        if let Some(key) = write_key(&msg) {
                            pending.insert(key.as_str().to_string(), msg.clone());
                        }
                        msg
                    }
                    NetCommand::Control(action) => ClientMessage::Control { show: config.show.clone(), action },
                    NetCommand::Send(msg) => msg,
                    NetCommand::Join(show) => {
                        // Another show: its stream starts afresh.
                        config.show = show.clone();
                        *resume = None;
                        ClientMessage::Join { show, resume: None }
                    }
                    NetCommand::DropConnection => return Ended::Retry("dropped on request".into()),
                };
                if let Err(e) = client.send(&msg).await {
                    return Ended::Retry(format!("{e:#}"));
                }
            }
        }
    }
}

/// An extra ping right away (the first seconds decide the clock's offset).
async fn ping_soon(client: &mut ShowClient) {
    tokio::time::sleep(Duration::from_millis(50)).await;
    let _ = client
        .send(&ClientMessage::Ping {
            client_time: local_micros(),
        })
        .await;
}

fn write_key(msg: &ClientMessage) -> Option<&IdempotencyKey> {
    match msg {
        ClientMessage::Rate { key, .. } | ClientMessage::Intent { key, .. } => Some(key),
        _ => None,
    }
}

/// Keeps what the link itself needs: the resume point, the clock, acknowledged writes.
fn track(
    msg: &ServerMessage,
    resume: &mut Option<ResumeFrom>,
    pending: &mut BTreeMap<String, ClientMessage>,
    clock: &Arc<Mutex<ClockEstimator>>,
) {
    match msg {
        ServerMessage::Pong {
            client_time,
            server_time,
        } => {
            if let Ok(mut c) = clock.lock() {
                c.add_sample(ClockSample {
                    sent: *client_time,
                    server: server_time.micros(),
                    received: local_micros(),
                });
            }
        }
        ServerMessage::Snapshot { snapshot, .. } => {
            *resume = Some(ResumeFrom {
                epoch: snapshot.epoch.clone(),
                offset: snapshot.offset,
            });
        }
        ServerMessage::Timeline { epoch, offset, .. }
        | ServerMessage::Resumed { epoch, offset, .. } => {
            *resume = Some(ResumeFrom {
                epoch: epoch.clone(),
                offset: *offset,
            });
        }
        ServerMessage::Ack { key, .. } => {
            pending.remove(key.as_str());
        }
        ServerMessage::Error {
            key: Some(key),
            code,
            ..
        } if !matches!(
            code,
            ErrorCode::RateLimited | ErrorCode::ServerBusy | ErrorCode::Internal
        ) =>
        {
            // The server refused this write for good; sending it again cannot help.
            pending.remove(key.as_str());
        }
        _ => {}
    }
}
