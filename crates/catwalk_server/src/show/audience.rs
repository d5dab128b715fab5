//! The members joined to one show and the fan-out to them. A broadcast encodes the frame
//! once and hands each member a reference-counted copy; a member whose queue is full is
//! dropped (and told to disconnect) instead of holding the others back.

use std::collections::HashMap;

use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::queue::ClientQueue;

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

    /// Sends a frame to every member; drops members that are gone or too slow and returns
    /// how many were dropped.
    pub fn broadcast(&mut self, frame: &Utf8Bytes) -> usize {
        let mut dropped = Vec::new();
        for (conn, queue) in &self.members {
            if !queue.push(frame.clone()) {
                dropped.push(*conn);
            }
        }
        for conn in &dropped {
            self.remove(*conn);
        }
        dropped.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::{Outgoing, client_queue};

    #[tokio::test]
    async fn slow_member_is_dropped_others_still_served() {
        let mut a = Audience::default();
        let (fast, mut fast_rx) = client_queue(8);
        let (slow, slow_rx) = client_queue(1);
        a.add(1, fast);
        a.add(2, slow);
        let frame = Utf8Bytes::from("x");
        assert_eq!(a.broadcast(&frame), 0);
        assert_eq!(a.broadcast(&frame), 1, "the slow member's queue is full");
        assert_eq!(a.len(), 1);
        assert!(matches!(fast_rx.rx.recv().await, Some(Outgoing::Frame(_))));
        assert!(matches!(fast_rx.rx.recv().await, Some(Outgoing::Frame(_))));
        // The slow member was told to go.
        tokio::time::timeout(
            std::time::Duration::from_secs(1),
            slow_rx.too_slow.notified(),
        )
        .await
        .expect("notified");
    }

    #[test]
    fn remove_keeps_positions_consistent() {
        let mut a = Audience::default();
        for i in 0..5 {
            a.add(i, client_queue(1).0);
        }
        assert!(a.remove(1));
        assert!(!a.remove(1));
        assert!(a.remove(4));
        assert!(a.remove(0));
        assert_eq!(a.len(), 2);
        assert!(a.remove(3) && a.remove(2));
        assert!(a.is_empty());
    }
}
