//! One websocket connection: the handshake with small buffers, the writer task that sends
//! what the socket could not take at once, and the reader loop that checks the rate
//! limit, decodes, and acts on each message. Bad input gets an error frame with a stable
//! code; only what cannot be recovered (an oversized frame, a flood) closes the connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use catwalk_protocol::{
    ClientMessage, ErrorCode, IdempotencyKey, ResumeFrom, Role, ServerMessage, ShowAction, ShowId,
    ViewerId, WriteBody, decode_client,
};
use futures_util::StreamExt;
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, oneshot, watch};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::auth::unix_now;
use crate::clock::ServerClock;
use crate::config::ServerConfig;
use crate::queue::{ClientQueue, client_queue};
use crate::ratelimit::{TokenBucket, Verdict};
use crate::show::{ShowCommand, ShowHandle, ShowRegistry};
use crate::stats::Stats;
use crate::store::{Store, WriteRequest};
use crate::wire::Duplex;

/// What every connection shares.
#[derive(Debug)]
pub struct Shared {
    /// Limits and intervals.
    pub config: ServerConfig,
    /// The shows.
    pub registry: Arc<ShowRegistry>,
    /// The store.
    pub store: Arc<Store>,
    /// The show clock.
    pub clock: ServerClock,
    /// Counters.
    pub stats: Arc<Stats>,
    /// The next connection id.
    pub next_conn: AtomicU64,
}

/// Signals from the server's shutdown sequence.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    /// Becomes true when connections must stop reading new messages.
    pub stop_reading: watch::Receiver<bool>,
    /// Becomes true when everything read so far is durable and acknowledged.
    pub drained: watch::Receiver<bool>,
}

type Source = WebSocketStream<Duplex>;

/// The websocket settings: small read buffer, bounded write buffer, bounded frames.
pub fn ws_config(max_frame_bytes: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(512 * 1024)
        .max_message_size(Some(max_frame_bytes))
        .max_frame_size(Some(max_frame_bytes))
}

/// Serves one accepted TCP connection until it closes. Without a permit the server is
/// full: the client is told so and closed.
pub async fn serve(
    stream: TcpStream,
    shared: Arc<Shared>,
    permit: Option<OwnedSemaphorePermit>,
    lifecycle: Lifecycle,
) {
    let config = &shared.config;
    let (read, write) = stream.into_split();
    let (queue, writer) = client_queue(write, config.send_queue_frames);
    let writer = tokio::spawn(writer.run(config.send_timeout, shared.stats.clone()));
    let handshake = tokio_tungstenite::accept_async_with_config(
        Duplex::new(read, queue.clone()),
        Some(ws_config(config.max_frame_bytes)),
    );
    let source = match tokio::time::timeout(config.hello_timeout, handshake).await {
        Ok(Ok(ws)) => Some(ws),
        Ok(Err(e)) => {
            tracing::debug!("handshake failed: {e}");
            None
        }
        Err(_) => {
            tracing::debug!("handshake timed out");
            None
        }
    };
    let Some(source) = source else {
        queue.finish();
        let _ = writer.await;
        return;
    };
    if permit.is_none() {
        Stats::bump(&shared.stats.refused);
        queue.send(&ServerMessage::error(
            ErrorCode::ServerBusy,
            "the server is at its connection limit; try again in a few seconds",
        ));
        queue.close(CloseCode::Again, "server full");
        let _ = writer.await;
        return;
    }
    Stats::bump(&shared.stats.accepted);
    shared.stats.connections.fetch_add(1, Ordering::Relaxed);
    let conn = shared.next_conn.fetch_add(1, Ordering::Relaxed);
    let mut session = Session {
        conn,
        viewer: None,
        role: Role::Audience,
        joined: None,
        bucket: TokenBucket::new(config.rate_per_sec, config.rate_burst),
        queue: queue.clone(),
        shared: shared.clone(),
    };
    let ending = session.read_loop(source, lifecycle.clone()).await;
    session.leave().await;
    match ending {
        Ending::Shutdown => {
            let mut drained = lifecycle.drained.clone();
            let _ =
                tokio::time::timeout(std::time::Duration::from_secs(10), drained.wait_for(|d| *d))
                    .await;
            queue.close(CloseCode::Away, "server shutting down");
        }
        Ending::Close(code, reason) => {
            queue.close(code, reason);
        }
        Ending::Gone => {
            queue.close(CloseCode::Normal, "bye");
        }
    }
    drop(queue);
    drop(session);
    // The writer gives a closing connection `send_timeout` to get its last frames out.
    let _ = writer.await;
    shared.stats.connections.fetch_sub(1, Ordering::Relaxed);
    drop(permit);
}

/// Why the read loop ended.
enum Ending {
    /// The server is shutting down.
    Shutdown,
    /// We close with this code.
    Close(CloseCode, &'static str),
    /// The client went away or closed.
    Gone,
}

struct Session {
    conn: u64,
    viewer: Option<ViewerId>,
    role: Role,
    joined: Option<(ShowId, ShowHandle)>,
    bucket: TokenBucket,
    queue: ClientQueue,
    shared: Arc<Shared>,
}

impl Session {
    fn error(&self, code: ErrorCode, message: impl Into<String>) {
        self.queue.send(&ServerMessage::error(code, message));
    }

    fn write_error(&self, code: ErrorCode, message: impl Into<String>, key: &IdempotencyKey) {
        self.queue.send(&ServerMessage::Error {
            code,
            message: message.into(),
            key: Some(key.clone()),
        });
    }

    async fn read_loop(&mut self, mut source: Source, mut lifecycle: Lifecycle) -> Ending {
        let idle = self.shared.config.idle_timeout;
        loop {
            if *lifecycle.stop_reading.borrow() {
                return Ending::Shutdown;
            }
            let next = tokio::select! {
                _ = lifecycle.stop_reading.changed() => return Ending::Shutdown,
                next = tokio::time::timeout(idle, source.next()) => next,
            };
            let message = match next {
                Err(_) => return Ending::Close(CloseCode::Away, "idle for too long"),
                Ok(None) => return Ending::Gone,
                Ok(Some(Err(WsError::Capacity(e)))) => {
                    self.error(
                        ErrorCode::FrameTooLarge,
                        format!(
                            "{e}; frames may be at most {} bytes",
                            self.shared.config.max_frame_bytes
                        ),
                    );
                    return Ending::Close(CloseCode::Size, "frame too large");
                }
                Ok(Some(Err(WsError::Protocol(e)))) => {
                    tracing::debug!(conn = self.conn, "protocol violation: {e}");
                    return Ending::Close(CloseCode::Protocol, "websocket protocol violation");
                }
                Ok(Some(Err(_))) => return Ending::Gone,
                Ok(Some(Ok(m))) => m,
            };
            match message {
                Message::Text(_) | Message::Binary(_) => {}
                Message::Close(_) => return Ending::Gone,
                _ => continue,
            }
            match self.bucket.check() {
                Verdict::Allow => {}
                Verdict::Reject { notify } => {
                    if notify {
                        self.error(
                            ErrorCode::RateLimited,
                            format!(
                                "more than {} messages per second; messages are being dropped, slow down",
                                self.shared.config.rate_per_sec
                            ),
                        );
                    }
                    continue;
                }
                Verdict::Disconnect => {
                    self.error(ErrorCode::RateLimited, "flooding: disconnected");
                    return Ending::Close(CloseCode::Policy, "rate limit exceeded");
                }
            }
            match message {
                Message::Text(text) => match decode_client(&text) {
                    Ok(msg) => self.handle(msg).await,
                    Err(e) => self.error(e.code(), e.to_string()),
                },
                _ => self.error(
                    ErrorCode::BinaryNotSupported,
                    "binary frames are not accepted; send JSON text frames",
                ),
            }
        }
    }

    async fn handle(&mut self, msg: ClientMessage) {
        let now = self.shared.clock.now();
        if let ClientMessage::Ping { client_time } = msg {
            self.queue.send(&ServerMessage::Pong {
                client_time,
                server_time: now,
            });
            return;
        }
        let Some(viewer) = self.viewer.clone() else {
            if let ClientMessage::Hello {
                viewer,
                role,
                token,
            } = msg
            {
                self.hello(viewer, role, token);
            } else {
                self.error(
                    ErrorCode::HelloRequired,
                    format!(
                        "say hello first: {{\"v\":1,\"type\":\"hello\",\"viewer\":\"...\",\"role\":\"audience\"}} (got {})",
                        msg.type_name()
                    ),
                );
            }
            return;
        };
        match msg {
            ClientMessage::Hello { .. } => self.error(
                ErrorCode::InvalidField,
                "hello was already sent on this connection; open a new connection to change viewer",
            ),
            ClientMessage::Ping { .. } => {}
            ClientMessage::Join { show, resume } => self.join(show, resume).await,
            ClientMessage::Rate { key, look, stars } => {
                self.write(viewer, key, WriteBody::Rating { look, stars })
            }
            ClientMessage::Intent {
                key,
                look,
                size,
                quantity,
            } => self.write(
                viewer,
                key,
                WriteBody::Intent {
                    look,
                    size,
                    quantity,
                },
            ),
            ClientMessage::ListShows => {
                self.queue.send(&ServerMessage::Shows {
                    shows: self.shared.registry.summaries(),
                });
            }
            ClientMessage::CreateShow {
                show,
                title,
                lineup,
                scheduled_start,
            } => {
                if self.require_organizer("create a show") {
                    let reply = match self
                        .shared
                        .registry
                        .create(show.clone(), title, lineup, scheduled_start)
                        .await
                    {
                        Ok(epoch) => ServerMessage::ShowCreated { show, epoch },
                        Err((code, message)) => ServerMessage::error(code, message),
                    };
                    self.queue.send(&reply);
                }
            }
            ClientMessage::Control { show, action } => {
                if self.require_organizer("control a show") {
                    self.control(show, action).await;
                }
            }
        }
    }

    fn hello(&mut self, viewer: ViewerId, role: Role, token: Option<String>) {
        if role == Role::Organizer {
            let verdict = match token {
                None => Err("organizers must send the token issued with the server's admin key (catwalk token)".to_string()),
                Some(t) => match self.shared.config.admin_key.verify(&t, unix_now()) {
                    Ok(claims) if claims.role == Role::Organizer => Ok(()),
                    Ok(_) => Err("the token does not grant the organizer role".to_string()),
                    Err(e) => Err(e.to_string()),
                },
            };
            if let Err(message) = verdict {
                self.error(ErrorCode::BadToken, message);
                return;
            }
        }
        self.role = role;
        self.viewer = Some(viewer.clone());
        self.queue.send(&ServerMessage::Welcome {
            viewer,
            role,
            server_time: self.shared.clock.now(),
            rate_per_sec: self.shared.config.rate_per_sec,
            max_frame_bytes: self.shared.config.max_frame_bytes,
        });
    }

    fn require_organizer(&self, what: &str) -> bool {
        if self.role == Role::Organizer {
            return true;
        }
        self.error(
            ErrorCode::Forbidden,
            format!("only organizers may {what}; connect with role organizer and a signed token"),
        );
        false
    }

    async fn join(&mut self, show: ShowId, resume: Option<ResumeFrom>) {
        let Some(handle) = self.shared.registry.get(&show) else {
            self.error(
                ErrorCode::NoSuchShow,
                format!("there is no show {show}; list_shows names the shows on this server"),
            );
            return;
        };
        self.leave().await;
        let sent = handle
            .commands
            .send(ShowCommand::Join {
                conn: self.conn,
                queue: self.queue.clone(),
                resume,
            })
            .await;
        if sent.is_ok() {
            self.joined = Some((show, handle));
        }
    }

    async fn leave(&mut self) {
        if let Some((_, handle)) = self.joined.take() {
            let _ = handle
                .commands
                .send(ShowCommand::Leave { conn: self.conn })
                .await;
        }
    }

    fn write(&self, viewer: ViewerId, key: IdempotencyKey, body: WriteBody) {
        let Some((show, handle)) = &self.joined else {
            self.write_error(
                ErrorCode::NotJoined,
                "join a show before rating or stating intent",
                &key,
            );
            return;
        };
        let (look_index, look) = {
            let view = handle.view.borrow();
            let Some(&i) = view.index.get(body.look()) else {
                self.write_error(
                    ErrorCode::NoSuchLook,
                    format!("look {} is not in the line-up of {show}", body.look()),
                    &key,
                );
                return;
            };
            if view.shown_through.is_none_or(|s| i > s) {
                self.write_error(
                    ErrorCode::LookNotShown,
                    format!(
                        "look {} has not been on the runway yet; rate it once it appears",
                        body.look()
                    ),
                    &key,
                );
                return;
            }
            (i, view.lineup[i].clone())
        };
        let req = WriteRequest {
            show: show.clone(),
            viewer,
            key: key.clone(),
            body,
            look_index,
            look,
            at: self.shared.clock.now(),
            board: handle.board.clone(),
            reply: self.queue.clone(),
        };
        if self.shared.store.submit(req).is_err() {
            self.write_error(
                ErrorCode::ServerBusy,
                "the server is saving as fast as it can; send this write again with the same key shortly",
                &key,
            );
        }
    }

    async fn control(&self, show: ShowId, action: ShowAction) {
        let Some(handle) = self.shared.registry.get(&show) else {
            self.error(ErrorCode::NoSuchShow, format!("there is no show {show}"));
            return;
        };
        let (reply, rx) = oneshot::channel();
        if handle
            .commands
            .send(ShowCommand::Control { action, reply })
            .await
            .is_err()
        {
            self.error(ErrorCode::ServerBusy, "the show is shutting down");
            return;
        }
        let msg = match rx.await {
            Ok(Ok(status)) => ServerMessage::Controlled { show, status },
            Ok(Err((code, message))) => ServerMessage::error(code, message),
            Err(_) => ServerMessage::error(ErrorCode::ServerBusy, "the show is shutting down"),
        };
        self.queue.send(&msg);
    }
}
