//! A typed websocket client for the show server: connect (optionally from a chosen local
//! address, to spread many bots over 127.0.0.x), send client messages, receive server
//! messages.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use catwalk_protocol::{
    ClientMessage, ResumeFrom, Role, ServerMessage, ShowId, ViewerId, decode_server, encode,
};
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{WebSocketStream, client_async_with_config};

/// A connection to a show server.
pub struct ShowClient {
    ws: WebSocketStream<TcpStream>,
}

/// What arrived from the server.
#[derive(Debug)]
pub enum Incoming {
    /// A decoded message.
    Message(ServerMessage),
    /// The server closed the connection, with its close code.
    Closed(Option<u16>),
}

fn host_port(url: &str) -> anyhow::Result<String> {
    let rest = url
        .strip_prefix("ws://")
        .ok_or_else(|| anyhow!("the server URL must start with ws:// (got {url})"))?;
    Ok(rest.split('/').next().unwrap_or(rest).to_string())
}

/// The `"type"` of a frame as this protocol's encoder writes it (`{"v":1,"type":"…",…}`),
/// without parsing the rest.
pub(crate) fn frame_type(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("{\"v\":1,\"type\":\"")?;
    rest.split('"').next()
}

/// Opens the TCP connection to the server of `url` (`ws://host:port`), from `local` if
/// given, with Nagle's algorithm off; returns it with the `host:port` it reached.
pub(crate) async fn open_tcp(
    url: &str,
    local: Option<IpAddr>,
) -> anyhow::Result<(TcpStream, String)> {
    let host = host_port(url)?;
    let target: SocketAddr = host
        .parse()
        .with_context(|| format!("while parsing the address in {url}"))?;
    let socket = if target.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    if let Some(ip) = local {
        socket
            .bind(SocketAddr::new(ip, 0))
            .with_context(|| format!("while binding to {ip}"))?;
    }
    let stream = socket
        .connect(target)
        .await
        .with_context(|| format!("while connecting to {target}"))?;
    stream.set_nodelay(true)?;
    Ok((stream, host))
}

impl ShowClient {
    /// Connects to `url` (e.g. `ws://127.0.0.1:9000`), from `local` if given.
    pub async fn connect(url: &str, local: Option<IpAddr>) -> anyhow::Result<Self> {
        let (stream, _) = open_tcp(url, local).await?;
        let config = WebSocketConfig::default()
            .read_buffer_size(4 * 1024)
            .write_buffer_size(0)
            .max_message_size(Some(1 << 20));
        let (ws, _) = client_async_with_config(url, stream, Some(config))
            .await
            .with_context(|| format!("while opening the websocket to {url}"))?;
        Ok(Self { ws })
    }

    /// Sends a message.
    pub async fn send(&mut self, msg: &ClientMessage) -> anyhow::Result<()> {
        self.ws.send(Message::Text(encode(msg).into())).await?;
        Ok(())
    }

    /// Sends raw text (for tests of bad input).
    pub async fn send_raw(&mut self, text: &str) -> anyhow::Result<()> {
        self.ws.send(Message::Text(text.into())).await?;
        Ok(())
    }

    /// Sends a raw websocket message (binary frames, oversized frames).
    pub async fn send_message(&mut self, msg: Message) -> anyhow::Result<()> {
        self.ws.send(msg).await?;
        Ok(())
    }

    /// The next message or close; `None` when the stream ended without a close frame.
    pub async fn next(&mut self) -> anyhow::Result<Incoming> {
        self.next_skipping(&[]).await
    }

    /// Like [`Self::next`], but frames whose type is in `skip` are dropped undecoded (a bot
    /// that does not need the 5 Hz aggregates should not spend the CPU the server needs).
    pub async fn next_skipping(&mut self, skip: &[&str]) -> anyhow::Result<Incoming> {
        loop {
            match self.ws.next().await {
                None => return Ok(Incoming::Closed(None)),
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(Message::Text(t))) => {
                    if skip.iter().any(|s| frame_type(&t) == Some(s)) {
                        continue;
                    }
                    return Ok(Incoming::Message(
                        decode_server(&t).with_context(|| format!("undecodable frame {t}"))?,
                    ));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Ok(Incoming::Closed(frame.map(|f| u16::from(f.code))));
                }
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The next message, failing on close or after `timeout`.
    pub async fn recv(&mut self, timeout: Duration) -> anyhow::Result<ServerMessage> {
        match tokio::time::timeout(timeout, self.next()).await {
            Err(_) => bail!("no message within {timeout:?}"),
            Ok(r) => match r? {
                Incoming::Message(m) => Ok(m),
                Incoming::Closed(code) => bail!("connection closed (code {code:?})"),
            },
        }
    }

    /// Receives until `pick` returns something; other messages are passed to `skipped`.
    pub async fn recv_until<T>(
        &mut self,
        timeout: Duration,
        mut pick: impl FnMut(&ServerMessage) -> Option<T>,
    ) -> anyhow::Result<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let msg = self.recv(left).await?;
            if let Some(t) = pick(&msg) {
                return Ok(t);
            }
        }
    }

    /// Says hello and waits for the welcome.
    pub async fn hello(
        &mut self,
        viewer: &ViewerId,
        role: Role,
        token: Option<String>,
    ) -> anyhow::Result<()> {
        self.send(&ClientMessage::Hello {
            viewer: viewer.clone(),
            role,
            token,
        })
        .await?;
        match self.recv(Duration::from_secs(30)).await? {
            ServerMessage::Welcome { .. } => Ok(()),
            other => bail!("expected welcome, got {other:?}"),
        }
    }

    /// Joins a show (the snapshot or replay follows; read it with `recv`).
    pub async fn join(&mut self, show: &ShowId, resume: Option<ResumeFrom>) -> anyhow::Result<()> {
        self.send(&ClientMessage::Join {
            show: show.clone(),
            resume,
        })
        .await
    }

    /// Closes the connection politely.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}
