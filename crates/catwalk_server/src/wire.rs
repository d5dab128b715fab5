//! Server-to-client websocket frames, encoded once. A broadcast frame (header and payload)
//! is built a single time and the same bytes go to every recipient; server frames are never
//! masked (RFC 6455 §5.1), so they are identical for all of them. Also the byte stream the
//! websocket layer reads a connection through ([`Duplex`]): the socket's read half, with
//! that layer's own writes (the handshake response, pongs) sent through the client's queue
//! in order with everything else.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{BufMut, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::tcp::OwnedReadHalf;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::queue::ClientQueue;

const FIN: u8 = 0x80;
const OP_TEXT: u8 = 0x1;
const OP_CLOSE: u8 = 0x8;
/// A close frame's payload is at most 125 bytes: the code and up to 123 bytes of reason.
const MAX_CLOSE_REASON: usize = 123;

/// One complete websocket frame, ready to write; cloning shares the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireFrame(Bytes);

impl WireFrame {
    /// A final text frame carrying `text`.
    pub fn text(text: &str) -> Self {
        Self(frame(OP_TEXT, text.as_bytes()))
    }

    /// A close frame with `code` and `reason` (cut at a character boundary to fit).
    pub fn close(code: CloseCode, reason: &str) -> Self {
        let mut end = reason.len().min(MAX_CLOSE_REASON);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        let mut payload = Vec::with_capacity(2 + end);
        payload.extend_from_slice(&u16::from(code).to_be_bytes());
        payload.extend_from_slice(&reason.as_bytes()[..end]);
        Self(frame(OP_CLOSE, &payload))
    }

    /// Bytes the websocket layer already framed.
    pub fn framed(bytes: Bytes) -> Self {
        Self(bytes)
    }

    /// The bytes on the wire.
    pub fn bytes(&self) -> &Bytes {
        &self.0
    }
}

fn frame(opcode: u8, payload: &[u8]) -> Bytes {
    let len = payload.len();
    let mut out = BytesMut::with_capacity(len + 10);
    out.put_u8(FIN | opcode);
    if len < 126 {
        out.put_u8(len as u8);
    } else if let Ok(short) = u16::try_from(len) {
        out.put_u8(126);
        out.put_u16(short);
    } else {
        out.put_u8(127);
        out.put_u64(len as u64);
    }
    out.put_slice(payload);
    out.freeze()
}

/// What the websocket layer reads from and writes to for one connection.
#[derive(Debug)]
pub struct Duplex {
    read: OwnedReadHalf,
    queue: ClientQueue,
}

impl Duplex {
    /// Reads from `read`; writes go through `queue`.
    pub fn new(read: OwnedReadHalf, queue: ClientQueue) -> Self {
        Self { read, queue }
    }
}

impl AsyncRead for Duplex {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.read).poll_read(cx, buf)
    }
}

impl AsyncWrite for Duplex {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self
            .queue
            .push(&WireFrame::framed(Bytes::copy_from_slice(buf)))
        {
            Poll::Ready(Ok(buf.len()))
        } else {
            Poll::Ready(Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the connection is closing",
            )))
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The queue's writer closes the socket once everything queued is out.
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Control, Data, OpCode};
    use tokio_tungstenite::tungstenite::protocol::frame::{FrameHeader, FrameSocket};

    use super::*;

    /// Parses `bytes` with tungstenite's own frame reader.
    fn parse(bytes: &Bytes) -> (FrameHeader, Vec<u8>) {
        let mut socket = FrameSocket::new(Cursor::new(bytes.to_vec()));
        let frame = socket
            .read(None)
            .expect("a valid frame")
            .expect("one frame");
        (frame.header().clone(), frame.into_payload().to_vec())
    }

    #[test]
    fn text_frames_of_every_length_class_read_back_unchanged() {
        for len in [0, 5, 125, 126, 200, 65_535, 65_536, 70_000] {
            let text = "x".repeat(len);
            let frame = WireFrame::text(&text);
            let (header, payload) = parse(frame.bytes());
            assert!(header.is_final, "{len}");
            assert_eq!(header.opcode, OpCode::Data(Data::Text), "{len}");
            assert!(header.mask.is_none(), "server frames are unmasked");
            assert_eq!(payload, text.as_bytes(), "{len}");
            let header_len = match len {
                0..126 => 2,
                126..65_536 => 4,
                _ => 10,
            };
            assert_eq!(frame.bytes().len(), header_len + len, "{len}");
        }
    }

    #[test]
    fn close_frames_carry_the_code_and_a_reason_cut_to_fit() {
        let frame = WireFrame::close(CloseCode::Again, "too slow");
        let (header, payload) = parse(frame.bytes());
        assert_eq!(header.opcode, OpCode::Control(Control::Close));
        assert_eq!(&payload[..2], &1013u16.to_be_bytes());
        assert_eq!(&payload[2..], b"too slow");
        let long = "é".repeat(100);
        let (_, payload) = parse(WireFrame::close(CloseCode::Normal, &long).bytes());
        assert!(payload.len() <= 125);
        assert!(
            std::str::from_utf8(&payload[2..]).is_ok(),
            "cut at a boundary"
        );
    }
}
