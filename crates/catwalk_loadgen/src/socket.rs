//! The websocket connection a simulated viewer uses. The viewers share the machine with the
//! server they measure, so every microsecond they spend per frame is taken from the server:
//! this client reads straight from the socket into one small buffer (no zero-filling, no
//! waker proxies), recognises the frames it does not need by their type prefix without
//! decoding them, and masks its own frames as RFC 6455 requires. It speaks only what the
//! show server (and the Node baseline) send: unfragmented text frames, ping and close.

use std::net::IpAddr;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use bytes::{Buf, BytesMut};
use catwalk_protocol::{ClientMessage, ServerMessage, decode_server, encode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

use crate::client::{Incoming, frame_type, open_tcp};

/// Largest frame accepted from the server.
const MAX_FRAME: usize = 1 << 20;
/// Largest handshake response accepted.
const MAX_RESPONSE: usize = 16 * 1024;

const OP_CONTINUATION: u8 = 0x0;
const OP_TEXT: u8 = 0x1;
const OP_BINARY: u8 = 0x2;
const OP_CLOSE: u8 = 0x8;
const OP_PING: u8 = 0x9;
const OP_PONG: u8 = 0xA;

/// One viewer's websocket connection.
#[derive(Debug)]
pub struct ViewerSocket {
    stream: TcpStream,
    buf: BytesMut,
    mask_state: u64,
}

/// A frame's header, once enough bytes have arrived to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    fin: bool,
    opcode: u8,
    header_len: usize,
    payload_len: usize,
}

/// Reads the header at the start of `buf`: `None` until it is complete.
fn parse_header(buf: &[u8]) -> anyhow::Result<Option<Header>> {
    let [b0, b1, rest @ ..] = buf else {
        return Ok(None);
    };
    if b0 & 0x70 != 0 {
        bail!("the server set reserved bits (no extension was agreed)");
    }
    if b1 & 0x80 != 0 {
        bail!("the server masked a frame (RFC 6455 forbids it)");
    }
    let (payload_len, ext) = match b1 & 0x7F {
        126 => match rest {
            [a, b, ..] => (usize::from(u16::from_be_bytes([*a, *b])), 2),
            _ => return Ok(None),
        },
        127 => match rest.get(..8) {
            Some(bytes) => {
                let mut be = [0; 8];
                be.copy_from_slice(bytes);
                (
                    usize::try_from(u64::from_be_bytes(be)).unwrap_or(usize::MAX),
                    8,
                )
            }
            None => return Ok(None),
        },
        n => (usize::from(n), 0),
    };
    if payload_len > MAX_FRAME {
        bail!("a {payload_len}-byte frame is over the {MAX_FRAME}-byte limit");
    }
    Ok(Some(Header {
        fin: b0 & 0x80 != 0,
        opcode: b0 & 0x0F,
        header_len: 2 + ext,
        payload_len,
    }))
}

/// A client frame: final, masked with `mask`.
fn masked_frame(opcode: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
    let len = payload.len();
    let mut out = Vec::with_capacity(len + 14);
    out.push(0x80 | opcode);
    if len < 126 {
        out.push(0x80 | len as u8);
    } else if let Ok(short) = u16::try_from(len) {
        out.push(0x80 | 126);
        out.extend_from_slice(&short.to_be_bytes());
    } else {
        out.push(0x80 | 127);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
    out.extend_from_slice(&mask);
    out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    out
}

impl ViewerSocket {
    /// Connects to `url` (`ws://host:port`), from `local` if given, and completes the
    /// websocket handshake.
    pub async fn connect(url: &str, local: Option<IpAddr>) -> anyhow::Result<Self> {
        let (stream, host) = open_tcp(url, local).await?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        let mut me = Self {
            stream,
            buf: BytesMut::with_capacity(1024),
            mask_state: seed | 1,
        };
        me.handshake(&host)
            .await
            .with_context(|| format!("while opening the websocket to {url}"))?;
        Ok(me)
    }

    async fn handshake(&mut self, host: &str) -> anyhow::Result<()> {
        let key = generate_key();
        let request = format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        self.stream.write_all(request.as_bytes()).await?;
        let end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if self.buf.len() > MAX_RESPONSE {
                bail!("the handshake response is over {MAX_RESPONSE} bytes");
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..end])
            .map_err(|_| anyhow!("the handshake response is not text"))?;
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap_or_default();
        if !status.starts_with("HTTP/1.1 101") {
            bail!("the server answered {status:?} instead of switching protocols");
        }
        let want = derive_accept_key(key.as_bytes());
        let accepted = lines
            .filter_map(|l| l.split_once(':'))
            .any(|(name, value)| {
                name.trim().eq_ignore_ascii_case("sec-websocket-accept") && value.trim() == want
            });
        if !accepted {
            bail!("the server's Sec-WebSocket-Accept does not match the key sent");
        }
        self.buf.advance(end);
        Ok(())
    }

    /// Reads more bytes into the buffer; fails at end of stream.
    async fn fill(&mut self) -> anyhow::Result<()> {
        if self.buf.capacity() - self.buf.len() < 512 {
            self.buf.reserve(4096);
        }
        if self.stream.read_buf(&mut self.buf).await? == 0 {
            bail!("the server closed the connection");
        }
        Ok(())
    }

    fn next_mask(&mut self) -> [u8; 4] {
        let mut x = self.mask_state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.mask_state = x;
        (x as u32).to_be_bytes()
    }

    async fn write_frame(&mut self, opcode: u8, payload: &[u8]) -> anyhow::Result<()> {
        let mask = self.next_mask();
        self.stream
            .write_all(&masked_frame(opcode, payload, mask))
            .await?;
        Ok(())
    }

    /// Sends a message.
    pub async fn send(&mut self, msg: &ClientMessage) -> anyhow::Result<()> {
        self.write_frame(OP_TEXT, encode(msg).as_bytes()).await
    }

    /// The next message or close. Text frames whose type is in `skip` are dropped
    /// undecoded; pings are answered. Cancel-safe: bytes read stay in the buffer.
    pub async fn next_skipping(&mut self, skip: &[&str]) -> anyhow::Result<Incoming> {
        loop {
            let Some(h) = parse_header(&self.buf)? else {
                self.fill().await?;
                continue;
            };
            let total = h.header_len + h.payload_len;
            if self.buf.len() < total {
                self.buf.reserve(total - self.buf.len());
                self.fill().await?;
                continue;
            }
            if !h.fin || h.opcode == OP_CONTINUATION {
                bail!("the server sent a fragmented message, which this client does not expect");
            }
            let payload = &self.buf[h.header_len..total];
            let outcome = match h.opcode {
                OP_TEXT => {
                    let text = std::str::from_utf8(payload)
                        .map_err(|_| anyhow!("a text frame is not UTF-8"))?;
                    if skip.iter().any(|s| frame_type(text) == Some(s)) {
                        None
                    } else {
                        Some(Incoming::Message(
                            decode_server(text)
                                .with_context(|| format!("undecodable frame {text}"))?,
                        ))
                    }
                }
                OP_CLOSE => Some(Incoming::Closed(
                    payload.get(..2).map(|c| u16::from_be_bytes([c[0], c[1]])),
                )),
                OP_PING => {
                    let echo = payload.to_vec();
                    self.buf.advance(total);
                    self.write_frame(OP_PONG, &echo).await?;
                    continue;
                }
                OP_BINARY | OP_PONG => None,
                other => bail!("the server sent a frame with unknown opcode {other:#x}"),
            };
            self.buf.advance(total);
            if let Some(incoming) = outcome {
                return Ok(incoming);
            }
        }
    }

    /// The next message, failing on close or after `timeout`.
    pub async fn recv(&mut self, timeout: Duration) -> anyhow::Result<ServerMessage> {
        match tokio::time::timeout(timeout, self.next_skipping(&[])).await {
            Err(_) => bail!("no message within {timeout:?}"),
            Ok(r) => match r? {
                Incoming::Message(m) => Ok(m),
                Incoming::Closed(code) => bail!("connection closed (code {code:?})"),
            },
        }
    }

    /// Sends a normal close frame and closes the sending side.
    pub async fn close(mut self) {
        let _ = self.write_frame(OP_CLOSE, &1000u16.to_be_bytes()).await;
        let _ = self.stream.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use tokio_tungstenite::tungstenite::protocol::frame::FrameSocket;

    use super::*;

    #[test]
    fn masked_frames_read_back_as_a_server_reads_them() {
        for len in [0, 3, 125, 126, 1000, 65_535, 65_536, 70_000] {
            let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let bytes = masked_frame(OP_TEXT, &payload, [1, 2, 3, 250]);
            let mut socket = FrameSocket::new(Cursor::new(bytes));
            let mut frame = socket.read(None).expect("valid").expect("one frame");
            assert!(frame.header().mask.is_some(), "client frames are masked");
            assert!(frame.header().is_final);
            // `read` leaves the payload masked; a server unmasks it.
            let mask = frame.header_mut().mask.take().expect("mask");
            let unmasked: Vec<u8> = frame
                .payload()
                .iter()
                .enumerate()
                .map(|(i, b)| b ^ mask[i % 4])
                .collect();
            assert_eq!(unmasked, payload, "{len}");
        }
    }

    #[test]
    fn headers_are_read_only_once_complete_and_checked() {
        assert_eq!(parse_header(&[0x81]).expect("ok"), None);
        let h = parse_header(&[0x81, 5]).expect("ok").expect("complete");
        assert_eq!(
            (h.fin, h.opcode, h.header_len, h.payload_len),
            (true, 1, 2, 5)
        );
        assert_eq!(parse_header(&[0x81, 126, 1]).expect("ok"), None);
        let h = parse_header(&[0x81, 126, 1, 0])
            .expect("ok")
            .expect("complete");
        assert_eq!((h.header_len, h.payload_len), (4, 256));
        let mut long = vec![0x82, 127];
        long.extend_from_slice(&(70_000u64).to_be_bytes());
        let h = parse_header(&long).expect("ok").expect("complete");
        assert_eq!((h.opcode, h.header_len, h.payload_len), (2, 10, 70_000));
        let mut huge = vec![0x81, 127];
        huge.extend_from_slice(&u64::MAX.to_be_bytes());
        assert!(parse_header(&huge).is_err(), "over the limit");
        assert!(parse_header(&[0x81, 0x85]).is_err(), "masked by the server");
        assert!(parse_header(&[0xC1, 5]).is_err(), "reserved bit set");
    }
}
