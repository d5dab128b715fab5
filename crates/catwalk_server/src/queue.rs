//! The bounded send queue in front of every client. Anything that talks to a client (its
//! own connection, the show's fan-out, the store's acks) pushes here without waiting; a full
//! queue means the client cannot keep up, and it is disconnected rather than slowing anyone.

use std::sync::Arc;

use catwalk_protocol::{ServerMessage, encode};
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Utf8Bytes;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// What the writer task of a connection sends next.
#[derive(Debug)]
pub enum Outgoing {
    /// A text frame, shared between all recipients of a broadcast.
    Frame(Utf8Bytes),
    /// Close the connection with this code and reason.
    Close(CloseCode, &'static str),
}

/// The sending side of a client's queue.
#[derive(Debug, Clone)]
pub struct ClientQueue {
    tx: mpsc::Sender<Outgoing>,
    too_slow: Arc<Notify>,
}

/// The receiving side, owned by the connection's writer task.
#[derive(Debug)]
pub struct ClientQueueRx {
    /// Frames to send, in order.
    pub rx: mpsc::Receiver<Outgoing>,
    /// Fired when a sender found the queue full.
    pub too_slow: Arc<Notify>,
}

/// A queue holding at most `capacity` frames.
pub fn client_queue(capacity: usize) -> (ClientQueue, ClientQueueRx) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let too_slow = Arc::new(Notify::new());
    (
        ClientQueue {
            tx,
            too_slow: too_slow.clone(),
        },
        ClientQueueRx { rx, too_slow },
    )
}

impl ClientQueue {
    /// Queues a shared frame. Returns false if the client is gone or too slow (it has then
    /// been told to disconnect).
    pub fn push(&self, frame: Utf8Bytes) -> bool {
        self.push_outgoing(Outgoing::Frame(frame))
    }

    /// Encodes and queues one message.
    pub fn send(&self, msg: &ServerMessage) -> bool {
        self.push(Utf8Bytes::from(encode(msg)))
    }

    /// Asks the writer to close the connection after what is queued.
    pub fn close(&self, code: CloseCode, reason: &'static str) -> bool {
        self.push_outgoing(Outgoing::Close(code, reason))
    }

    fn push_outgoing(&self, item: Outgoing) -> bool {
        match self.tx.try_send(item) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.too_slow.notify_one();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Whether the connection's writer has gone.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

/// Encodes a message once for many recipients.
pub fn shared_frame(msg: &ServerMessage) -> Utf8Bytes {
    Utf8Bytes::from(encode(msg))
}
