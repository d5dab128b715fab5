//! The members joined to one show and the fan-out to them. A broadcast encodes the frame
//! once and writes the same bytes to each member's socket; a member whose queue is full is
//! dropped (and told to disconnect) instead of holding the others back.

use std::collections::HashMap;

use crate::queue::ClientQueue;
use crate::wire::WireFrame;

/// Audiences at least this large are sent a timeline event from two threads at once.
const PARALLEL_FROM: usize = 2048;

/// Pushes `frame` to every member; returns the ones that refused it.
fn send_all(members: &[(ConnId, ClientQueue)], frame: &WireFrame) -> Vec<ConnId> {
    members
        .iter()
        .filter(|(_, queue)| !queue.push(frame))
        .map(|(conn, _)| *conn)
        .collect()
}

/// A connection's id, unique within the server process.
pub type ConnId = u64;

/// The joined members of one show.
#[derive(Debug, Default)]
pub struct Audience {
    members: Vec<(ConnId, ClientQueue)>,
    position: HashMap<ConnId, usize>,
}

impl Audience {
    /// How many are joined.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether nobody is joined.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Adds (or replaces) a member.
    pub fn add(&mut self, conn: ConnId, queue: ClientQueue) {
        if let Some(&i) = self.position.get(&conn) {
            self.members[i].1 = queue;
        } else {
            self.position.insert(conn, self.members.len());
            self.members.push((conn, queue));
        }
    }

    /// Removes a member; returns whether it was there.
    pub fn remove(&mut self, conn: ConnId) -> bool {
        let Some(i) = self.position.remove(&conn) else {
            return false;
        };
        self.members.swap_remove(i);
        if let Some((moved, _)) = self.members.get(i) {
            self.position.insert(*moved, i);
        }
        true
    }

    /// Starts a broadcast to the members joined now, to be sent a chunk at a time.
    pub fn progressive(&self, frame: WireFrame) -> Progressive {
        Progressive {
            frame,
            members: self.members.clone(),
            next: 0,
        }
    }

    /// Sends a frame to every member; drops members that are gone or too slow and returns
    /// how many were dropped.
    pub fn broadcast(&mut self, frame: &WireFrame) -> usize {
        self.broadcast_from_two_threads_at(frame, PARALLEL_FROM)
    }

    fn broadcast_from_two_threads_at(&mut self, frame: &WireFrame, parallel_from: usize) -> usize {
        let members = &self.members;
        let dropped = if members.len() < parallel_from {
            send_all(members, frame)
        } else {
            // Writing to a socket is mostly kernel work (the loopback or NIC path, waking
            // the reader), so a second thread halves the time to reach everyone.
            let (first, second) = members.split_at(members.len() / 2);
            std::thread::scope(|scope| {
                let helper = std::thread::Builder::new()
                    .name("catwalk-fanout".into())
                    .spawn_scoped(scope, || send_all(second, frame));
                let mut dropped = send_all(first, frame);
                match helper {
                    // `push` does not panic; were the helper to, its half keeps its members
                    // (a frame may be missing, never doubled) and the next event reaches them.
                    Ok(h) => dropped.extend(h.join().unwrap_or_default()),
                    Err(_) => dropped.extend(send_all(second, frame)),
                }
                dropped
            })
        };
        for conn in &dropped {
            self.remove(*conn);
        }
        dropped.len()
    }
}

/// A low-priority broadcast (aggregates, presence) sent a chunk of members at a time, so
/// that a timeline event arriving meanwhile can go out to everyone first. It goes to the
/// members joined when it began; later joiners get the current state when they join.
#[derive(Debug)]
pub struct Progressive {
    frame: WireFrame,
    members: Vec<(ConnId, ClientQueue)>,
    next: usize,
}

impl Progressive {
    /// Sends to the next `chunk` members; returns how many got it and the members whose
    /// queue refused it (gone or too slow).
    pub fn send_chunk(&mut self, chunk: usize) -> (usize, Vec<ConnId>) {
        let end = (self.next + chunk).min(self.members.len());
        let mut refused = Vec::new();
        for (conn, queue) in &self.members[self.next..end] {
            if !queue.push(&self.frame) {
                refused.push(*conn);
            }
        }
        let sent = end - self.next - refused.len();
        self.next = end;
        (sent, refused)
    }

    /// Whether every member has been sent the frame.
    pub fn is_done(&self) -> bool {
        self.next >= self.members.len()
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;

    use super::*;
    use crate::queue::QueueWriter;
    use crate::queue::tests::loopback_queue;

    /// An audience of `n` members (ids 0..n) on loopback sockets, with each member's writer
    /// and peer end.
    async fn audience_of(
        n: u64,
        capacity: usize,
    ) -> (Audience, Vec<(QueueWriter, tokio::net::TcpStream)>) {
        let mut a = Audience::default();
        let mut ends = Vec::new();
        for i in 0..n {
            let (q, w, peer) = loopback_queue(capacity).await;
            a.add(i, q);
            ends.push((w, peer));
        }
        (a, ends)
    }

    #[tokio::test]
    async fn slow_member_is_dropped_others_still_served() {
        let mut a = Audience::default();
        let (fast, fast_writer, mut fast_peer) = loopback_queue(8).await;
        let (slow, slow_writer, _slow_peer) = loopback_queue(1).await;
        let stats = std::sync::Arc::new(crate::stats::Stats::default());
        let timeout = std::time::Duration::from_secs(5);
        tokio::spawn(fast_writer.run(timeout, stats.clone()));
        tokio::spawn(slow_writer.run(timeout, stats));
        a.add(1, fast);
        a.add(2, slow);
        // Big frames fill the slow member's socket; it never reads.
        let frame = WireFrame::text(&"x".repeat(20_000));
        let mut rounds = 0;
        while a.broadcast(&frame) == 0 {
            rounds += 1;
            assert!(rounds < 100_000, "the slow member never overflowed");
            // The fast member keeps reading.
            let mut got = vec![0; frame.bytes().len()];
            fast_peer.read_exact(&mut got).await.expect("fast reads");
            assert_eq!(got, frame.bytes().as_ref());
        }
        assert_eq!(a.len(), 1, "only the slow member was dropped");
        let small = WireFrame::text("still here");
        assert_eq!(a.broadcast(&small), 0);
    }

    #[tokio::test]
    async fn a_progressive_broadcast_reaches_the_members_of_its_start_in_chunks() {
        let (mut a, mut peers) = audience_of(5, 4).await;
        let frame = WireFrame::text("aggregates");
        let mut p = a.progressive(frame.clone());
        assert_eq!(p.send_chunk(2), (2, vec![]));
        assert!(!p.is_done());
        // A member leaves (its queue closes) and another joins mid-broadcast.
        a.members[2].1.finish();
        assert!(a.remove(2));
        let (late, _w, mut late_peer) = loopback_queue(4).await;
        a.add(9, late);
        assert_eq!(p.send_chunk(2), (1, vec![2]), "the leaver refuses it");
        assert_eq!(p.send_chunk(2), (1, vec![]));
        assert!(p.is_done());
        for (i, (_, peer)) in peers.iter_mut().enumerate() {
            if i == 2 {
                continue;
            }
            let mut got = vec![0; frame.bytes().len()];
            peer.read_exact(&mut got).await.expect("read");
            assert_eq!(got, frame.bytes().as_ref(), "member {i}");
        }
        // The late joiner was not part of it: the next thing it gets is what comes next.
        let next = WireFrame::text("next");
        assert_eq!(a.broadcast(&next), 0);
        let mut got = vec![0; next.bytes().len()];
        late_peer.read_exact(&mut got).await.expect("read");
        assert_eq!(got, next.bytes().as_ref());
    }

    #[tokio::test]
    async fn a_two_thread_broadcast_reaches_everyone_once_and_drops_the_gone() {
        let (mut a, mut peers) = audience_of(9, 4).await;
        a.members[4].1.finish();
        let frame = WireFrame::text("look changed");
        assert_eq!(a.broadcast_from_two_threads_at(&frame, 2), 1);
        assert_eq!(a.len(), 8);
        let second = WireFrame::text("next");
        assert_eq!(a.broadcast_from_two_threads_at(&second, 2), 0);
        for (i, (_, peer)) in peers.iter_mut().enumerate() {
            if i == 4 {
                continue;
            }
            let mut want = frame.bytes().to_vec();
            want.extend_from_slice(second.bytes());
            let mut got = vec![0; want.len()];
            peer.read_exact(&mut got).await.expect("read");
            assert_eq!(got, want, "member {i} got each frame once, in order");
        }
    }

    #[tokio::test]
    async fn remove_keeps_positions_consistent() {
        let (mut a, _ends) = audience_of(5, 1).await;
        assert!(a.remove(1));
        assert!(!a.remove(1));
        assert!(a.remove(4));
        assert!(a.remove(0));
        assert_eq!(a.len(), 2);
        assert!(a.remove(3) && a.remove(2));
        assert!(a.is_empty());
    }
}
