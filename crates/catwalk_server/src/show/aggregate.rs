//! Live totals per look: the star histogram and intents by size. The store's writer updates
//! the board right after each commit; the show's sequencer takes the changed looks at each
//! tick and broadcasts them under a new version.

use std::collections::BTreeMap;

use catwalk_protocol::{LookAggregate, LookId, SizeLabel};

/// A change to one look's totals, produced by a committed write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyDelta {
    /// A rating was added (`old` is `None`) or replaced.
    Rating {
        /// The viewer's previous stars for this look, if any.
        old: Option<u8>,
        /// The new stars.
        new: u8,
    },
    /// Units were wanted in a size.
    Intent {
        /// The size.
        size: SizeLabel,
        /// How many units.
        quantity: u32,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Tally {
    histogram: [u64; 5],
    units: [u64; 6],
    intent_count: u64,
}

fn size_index(size: SizeLabel) -> usize {
    SizeLabel::ALL.iter().position(|s| *s == size).unwrap_or(0)
}

/// Totals for every look of one show.
#[derive(Debug)]
pub struct AggregateBoard {
    looks: Vec<LookId>,
    tallies: Vec<Tally>,
    dirty: Vec<bool>,
    any_dirty: bool,
    version: u64,
}

impl AggregateBoard {
    /// An empty board for a line-up.
    pub fn new(looks: Vec<LookId>) -> Self {
        let n = looks.len();
        Self {
            looks,
            tallies: vec![Tally::default(); n],
            dirty: vec![false; n],
            any_dirty: false,
            version: 0,
        }
    }

    /// Applies a committed change to look `index`.
    pub fn apply(&mut self, index: usize, delta: TallyDelta) {
        let Some(t) = self.tallies.get_mut(index) else {
            return;
        };
        match delta {
            TallyDelta::Rating { old, new } => {
                if let Some(old) = old.filter(|s| (1..=5).contains(s)) {
                    t.histogram[usize::from(old - 1)] =
                        t.histogram[usize::from(old - 1)].saturating_sub(1);
                }
                if (1..=5).contains(&new) {
                    t.histogram[usize::from(new - 1)] += 1;
                }
            }
            TallyDelta::Intent { size, quantity } => {
                t.units[size_index(size)] += u64::from(quantity);
                t.intent_count += 1;
            }
        }
        self.dirty[index] = true;
        self.any_dirty = true;
    }

    /// Loads stored totals for a look at start-up (not marked as changed).
    pub fn load_rating_count(&mut self, index: usize, stars: u8, count: u64) {
        if let (Some(t), 1..=5) = (self.tallies.get_mut(index), stars) {
            t.histogram[usize::from(stars - 1)] = count;
        }
    }

    /// Loads stored intent totals for a look at start-up.
    pub fn load_intents(&mut self, index: usize, size: SizeLabel, units: u64, count: u64) {
        if let Some(t) = self.tallies.get_mut(index) {
            t.units[size_index(size)] = units;
            t.intent_count += count;
        }
    }

    /// The current version (bumped by each [`Self::take_changed`] that found changes).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// If anything changed since the last call: a new version and the changed looks.
    pub fn take_changed(&mut self) -> Option<(u64, Vec<LookAggregate>)> {
        if !self.any_dirty {
            return None;
        }
        self.any_dirty = false;
        self.version += 1;
        let mut changed = Vec::new();
        for i in 0..self.looks.len() {
            if std::mem::take(&mut self.dirty[i]) {
                changed.push(self.aggregate(i));
            }
        }
        Some((self.version, changed))
    }

    /// Every look's totals, with the current version.
    pub fn all(&self) -> (u64, Vec<LookAggregate>) {
        (
            self.version,
            (0..self.looks.len()).map(|i| self.aggregate(i)).collect(),
        )
    }

    fn aggregate(&self, i: usize) -> LookAggregate {
        let t = &self.tallies[i];
        let ratings: u64 = t.histogram.iter().sum();
        let weighted: u64 = t
            .histogram
            .iter()
            .enumerate()
            .map(|(k, n)| (k as u64 + 1) * n)
            .sum();
        let intents: BTreeMap<SizeLabel, u64> = SizeLabel::ALL
            .iter()
            .zip(t.units)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| (*s, n))
            .collect();
        LookAggregate {
            look: self.looks[i].clone(),
            histogram: t.histogram,
            ratings,
            mean: if ratings == 0 {
                0.0
            } else {
                weighted as f64 / ratings as f64
            },
            intents,
            intent_count: t.intent_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board() -> AggregateBoard {
        let looks = ["a", "b"]
            .iter()
            .map(|s| LookId::parse(*s).expect("valid"))
            .collect();
        AggregateBoard::new(looks)
    }

    #[test]
    fn replacing_a_rating_moves_it_between_buckets() {
        let mut b = board();
        b.apply(0, TallyDelta::Rating { old: None, new: 2 });
        b.apply(
            0,
            TallyDelta::Rating {
                old: Some(2),
                new: 5,
            },
        );
        let (_, all) = b.all();
        assert_eq!(all[0].histogram, [0, 0, 0, 0, 1]);
        assert_eq!(all[0].ratings, 1);
        assert!((all[0].mean - 5.0).abs() < 1e-9);
    }

    #[test]
    fn only_changed_looks_are_taken_and_versions_rise() {
        let mut b = board();
        assert!(b.take_changed().is_none());
        b.apply(
            1,
            TallyDelta::Intent {
                size: SizeLabel::M,
                quantity: 3,
            },
        );
        let (v1, changed) = b.take_changed().expect("changed");
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].intents.get(&SizeLabel::M), Some(&3));
        assert!(b.take_changed().is_none());
        b.apply(0, TallyDelta::Rating { old: None, new: 4 });
        let (v2, _) = b.take_changed().expect("changed");
        assert!(v2 > v1);
    }
}
