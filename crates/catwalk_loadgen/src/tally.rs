//! What the bots had acknowledged: the last acked rating per (viewer, look) and the units
//! of every acked intent. At the end it is compared, exactly, with the server's totals.

use std::collections::{BTreeMap, HashMap};

use catwalk_protocol::{LookAggregate, LookId, SizeLabel, ViewerId};

/// Acknowledged writes as the clients saw them.
#[derive(Debug, Default, Clone)]
pub struct AckedTally {
    ratings: HashMap<(ViewerId, LookId), u8>,
    intents: HashMap<LookId, BTreeMap<SizeLabel, u64>>,
    /// Acked writes (ratings and intents, excluding replays).
    pub acked: u64,
    /// Acks that were replays of an earlier key.
    pub replayed: u64,
}

/// A difference between what was acked and what the server counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The look.
    pub look: LookId,
    /// What differs.
    pub detail: String,
}

impl AckedTally {
    /// Records an acked rating (the latest one per viewer and look counts).
    pub fn rating(&mut self, viewer: &ViewerId, look: &LookId, stars: u8) {
        self.ratings.insert((viewer.clone(), look.clone()), stars);
    }

    /// Records an acked intent.
    pub fn intent(&mut self, look: &LookId, size: SizeLabel, quantity: u32) {
        *self
            .intents
            .entry(look.clone())
            .or_default()
            .entry(size)
            .or_default() += u64::from(quantity);
    }

    /// Merges another tally (from another bot).
    pub fn merge(&mut self, other: AckedTally) {
        self.ratings.extend(other.ratings);
        for (look, sizes) in other.intents {
            let mine = self.intents.entry(look).or_default();
            for (size, n) in sizes {
                *mine.entry(size).or_default() += n;
            }
        }
        self.acked += other.acked;
        self.replayed += other.replayed;
    }

    /// Expected histograms per look.
    pub fn histograms(&self) -> HashMap<LookId, [u64; 5]> {
        let mut out: HashMap<LookId, [u64; 5]> = HashMap::new();
        for ((_, look), stars) in &self.ratings {
            out.entry(look.clone()).or_default()[usize::from(stars - 1)] += 1;
        }
        out
    }

    /// Compares with the server's aggregates; empty when every acked write is counted
    /// exactly once.
    pub fn reconcile(&self, server: &[LookAggregate]) -> Vec<Mismatch> {
        let expected = self.histograms();
        let mut out = Vec::new();
        for agg in server {
            let want = expected.get(&agg.look).copied().unwrap_or_default();
            if want != agg.histogram {
                out.push(Mismatch {
                    look: agg.look.clone(),
                    detail: format!("ratings: acked {want:?}, server {:?}", agg.histogram),
                });
            }
            let want_units = self.intents.get(&agg.look).cloned().unwrap_or_default();
            if want_units != agg.intents {
                out.push(Mismatch {
                    look: agg.look.clone(),
                    detail: format!("intents: acked {want_units:?}, server {:?}", agg.intents),
                });
            }
        }
        for look in expected.keys().chain(self.intents.keys()) {
            if !server.iter().any(|a| &a.look == look) {
                out.push(Mismatch {
                    look: look.clone(),
                    detail: "acked writes for a look the server does not report".into(),
                });
            }
        }
        out
    }
}
