//! The send path in front of every client. Whoever sends — the show's fan-out, the store's
//! acks, the connection itself — writes the frame straight into the client's socket, without
//! waking any task; only what the socket cannot take at once is queued, in order, and the
//! connection's writer task ([`QueueWriter`]) sends it as the socket drains. The queue is
//! bounded: a client whose queue fills cannot keep up and is disconnected (close code 1013)
//! rather than slowing anyone.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use catwalk_protocol::{ServerMessage, encode};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::stats::Stats;
use crate::wire::WireFrame;

/// How a connection's sending ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// Send what is queued, then a close frame with this code and reason.
    Close(CloseCode, &'static str),
    /// The queue overflowed: drop what is not yet started, send a close frame (1013).
    TooSlow,
    /// Send what is queued and close the socket, without a close frame of our own (the
    /// peer closed first, or went away).
    Finish,
}

/// The sending side of a client's connection; cheap to clone.
#[derive(Debug, Clone)]
pub struct ClientQueue {
    inner: Arc<Inner>,
}

/// The connection's writer task: sends what the socket could not take at once.
#[derive(Debug)]
pub struct QueueWriter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    state: Mutex<State>,
    /// Wakes the writer: frames were queued, or the connection is ending.
    wake: Notify,
    capacity: usize,
}

#[derive(Debug)]
struct State {
    /// `None` once the writer has finished (or the socket broke).
    socket: Option<Arc<OwnedWriteHalf>>,
    pending: VecDeque<Bytes>,
    /// Bytes of `pending.front()` already written.
    written: usize,
    closing: Option<Closing>,
    /// Whether the close frame for `closing` is already in `pending`.
    close_queued: bool,
}

/// A queue in front of `socket` holding at most `capacity` frames the socket could not take.
pub fn client_queue(socket: OwnedWriteHalf, capacity: usize) -> (ClientQueue, QueueWriter) {
    let inner = Arc::new(Inner {
        state: Mutex::new(State {
            socket: Some(Arc::new(socket)),
            pending: VecDeque::new(),
            written: 0,
            closing: None,
            close_queued: false,
        }),
        wake: Notify::new(),
        capacity: capacity.max(1),
    });
    (
        ClientQueue {
            inner: inner.clone(),
        },
        QueueWriter { inner },
    )
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock; a poisoned one still has consistent state.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl ClientQueue {
    /// Sends a frame, or queues it behind what the socket has not taken yet. Returns false
    /// if the connection is ending, gone, or too slow (it has then been told to close).
    pub fn push(&self, frame: &WireFrame) -> bool {
        let mut st = self.inner.lock();
        if st.closing.is_some() {
            return false;
        }
        let Some(socket) = st.socket.as_ref() else {
            return false;
        };
        let bytes = frame.bytes();
        if st.pending.is_empty() {
            match socket.try_write(bytes) {
                Ok(n) if n == bytes.len() => return true,
                Ok(n) => st.written = n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => st.written = 0,
                Err(_) => {
                    st.closing = Some(Closing::Finish);
                    drop(st);
                    self.inner.wake.notify_one();
                    return false;
                }
            }
        } else if st.pending.len() >= self.inner.capacity {
            st.closing = Some(Closing::TooSlow);
            drop(st);
            self.inner.wake.notify_one();
            return false;
        }
        let first = st.pending.is_empty();
        st.pending.push_back(bytes.clone());
        drop(st);
        if first {
            self.inner.wake.notify_one();
        }
        true
    }

    /// Encodes and sends one message.
    pub fn send(&self, msg: &ServerMessage) -> bool {
        self.push(&WireFrame::text(&encode(msg)))
    }

    /// Asks for the connection to close with `code` after what is queued.
    pub fn close(&self, code: CloseCode, reason: &'static str) -> bool {
        self.end(Closing::Close(code, reason))
    }

    /// Asks for the socket to close after what is queued, with no close frame.
    pub fn finish(&self) -> bool {
        self.end(Closing::Finish)
    }

    fn end(&self, ending: Closing) -> bool {
        let mut st = self.inner.lock();
        if st.closing.is_some() || st.socket.is_none() {
            return false;
        }
        st.closing = Some(ending);
        drop(st);
        self.inner.wake.notify_one();
        true
    }

    /// Whether the connection is ending or gone.
    pub fn is_closed(&self) -> bool {
        let st = self.inner.lock();
        st.closing.is_some() || st.socket.is_none()
    }
}

/// What the writer found after sending all it could.
enum Step {
    /// Everything is out and nothing is ending.
    Idle,
    /// The socket is full.
    Blocked(Arc<OwnedWriteHalf>),
    /// Everything is out, including the close frame if any.
    Done,
}

impl QueueWriter {
    /// Sends queued frames as the socket drains until the connection ends; a closing
    /// connection gets `send_timeout` to get its last frames out. Counts a too-slow client
    /// in `stats`.
    pub async fn run(self, send_timeout: Duration, stats: Arc<Stats>) -> Option<Closing> {
        let mut deadline = None;
        loop {
            let (step, closing) = self.send_what_fits();
            if let (Some(e), None) = (closing, deadline) {
                if e == Closing::TooSlow {
                    stats.evicted_slow.fetch_add(1, Ordering::Relaxed);
                }
                deadline = Some(tokio::time::Instant::now() + send_timeout);
            }
            match step {
                Step::Done => break,
                Step::Idle => self.inner.wake.notified().await,
                Step::Blocked(socket) => {
                    let wait = async {
                        tokio::select! {
                            r = socket.writable() => r.is_ok(),
                            () = self.inner.wake.notified() => true,
                        }
                    };
                    let alive = match deadline {
                        Some(d) => tokio::time::timeout_at(d, wait).await.unwrap_or(false),
                        None => wait.await,
                    };
                    if !alive {
                        break;
                    }
                }
            }
        }
        let mut st = self.inner.lock();
        st.socket = None;
        st.pending.clear();
        // Dropping the last handle on the socket's write half shuts it down (FIN).
        st.closing
    }

    fn send_what_fits(&self) -> (Step, Option<Closing>) {
        let mut st = self.inner.lock();
        let closing = st.closing;
        let Some(socket) = st.socket.clone() else {
            return (Step::Done, closing);
        };
        if !st.close_queued {
            let close = match closing {
                Some(Closing::TooSlow) => {
                    // Keep a frame already half-written, so the close frame stays well framed.
                    let keep = usize::from(st.written > 0);
                    st.pending.truncate(keep);
                    Some(WireFrame::close(
                        CloseCode::Again,
                        "too slow: the send queue is full",
                    ))
                }
                Some(Closing::Close(code, reason)) => Some(WireFrame::close(code, reason)),
                _ => None,
            };
            if let Some(close) = close {
                st.pending.push_back(close.bytes().clone());
                st.close_queued = true;
            }
        }
        let st = &mut *st;
        while let Some(front) = st.pending.front() {
            match socket.try_write(&front[st.written..]) {
                Ok(0) => {
                    st.socket = None;
                    return (Step::Done, closing);
                }
                Ok(n) => {
                    st.written += n;
                    if st.written == front.len() {
                        st.pending.pop_front();
                        st.written = 0;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return (Step::Blocked(socket), closing);
                }
                Err(_) => {
                    st.socket = None;
                    return (Step::Done, closing);
                }
            }
        }
        match closing {
            None => (Step::Idle, None),
            Some(_) => (Step::Done, closing),
        }
    }
}

/// Encodes a message once for many recipients.
pub fn shared_frame(msg: &ServerMessage) -> WireFrame {
    WireFrame::text(&encode(msg))
}

#[cfg(test)]
pub(crate) mod tests {
    use tokio::io::AsyncReadExt;
    use tokio::net::{TcpListener, TcpStream};

    use super::*;

    /// A queue in front of a real loopback socket, and the peer's end of it.
    pub(crate) async fn loopback_queue(capacity: usize) -> (ClientQueue, QueueWriter, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let peer = TcpStream::connect(listener.local_addr().expect("addr"))
            .await
            .expect("connect");
        let (server, _) = listener.accept().await.expect("accept");
        let (_read, write) = server.into_split();
        // The read half is dropped: nothing reads from the peer in these tests.
        let (queue, writer) = client_queue(write, capacity);
        (queue, writer, peer)
    }

    async fn read_exactly(peer: &mut TcpStream, n: usize) -> Vec<u8> {
        let mut got = vec![0; n];
        peer.read_exact(&mut got).await.expect("read");
        got
    }

    #[tokio::test]
    async fn frames_go_straight_out_in_order_and_the_close_frame_comes_last() {
        let (queue, writer, mut peer) = loopback_queue(4).await;
        let a = WireFrame::text("first");
        let b = WireFrame::text("second");
        assert!(queue.push(&a) && queue.push(&b));
        assert!(queue.close(CloseCode::Normal, "bye"));
        assert!(!queue.push(&a), "nothing after the close");
        let stats = Arc::new(Stats::default());
        let ended = writer.run(Duration::from_secs(5), stats.clone()).await;
        assert_eq!(ended, Some(Closing::Close(CloseCode::Normal, "bye")));
        let close = WireFrame::close(CloseCode::Normal, "bye");
        let mut want = a.bytes().to_vec();
        want.extend_from_slice(b.bytes());
        want.extend_from_slice(close.bytes());
        assert_eq!(read_exactly(&mut peer, want.len()).await, want);
        let mut rest = Vec::new();
        peer.read_to_end(&mut rest).await.expect("eof");
        assert!(rest.is_empty(), "the socket closes after the close frame");
        assert_eq!(Stats::get(&stats.evicted_slow), 0);
    }

    #[tokio::test]
    async fn a_client_that_stops_reading_overflows_and_is_told_why() {
        let (queue, writer, mut peer) = loopback_queue(8).await;
        let stats = Arc::new(Stats::default());
        let task = tokio::spawn(writer.run(Duration::from_secs(5), stats.clone()));
        let frame = WireFrame::text(&"y".repeat(60_000));
        let mut pushed = 0usize;
        while queue.push(&frame) {
            pushed += 1;
            assert!(pushed < 100_000, "the queue never filled");
        }
        assert!(queue.is_closed());
        // Now the client reads: it gets whole frames, then the 1013 close frame.
        let mut all = Vec::new();
        peer.read_to_end(&mut all).await.expect("eof");
        assert_eq!(task.await.expect("writer"), Some(Closing::TooSlow));
        assert_eq!(Stats::get(&stats.evicted_slow), 1);
        let close = WireFrame::close(CloseCode::Again, "too slow: the send queue is full");
        assert!(all.ends_with(close.bytes()), "ends with the close frame");
        let body = all.len() - close.bytes().len();
        assert_eq!(body % frame.bytes().len(), 0, "only whole frames before it");
        assert!(
            body / frame.bytes().len() < pushed,
            "unsent frames were dropped"
        );
    }
}
