//! What the client knows about the show, folded from the server's messages: the line-up,
//! when each look took the runway (in show time), pauses, live aggregates, presence and
//! the viewer's own acknowledged writes. Pure state: the network plugin feeds it, every
//! other plugin reads it.

use std::collections::BTreeMap;

use bevy::prelude::Resource;
use catwalk_protocol::{
    LookAggregate, LookId, LookSpec, ServerMessage, ShowId, ShowStatus, TimelineEvent, WriteKind,
};

use crate::net::ConnState;

/// When a look is on the runway, by the show clock (µs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookClock {
    /// Show time at which the look's walk started (moved on by pauses).
    pub start: u64,
    /// Set while the show is paused on this look: its elapsed time, frozen.
    pub frozen_elapsed: Option<u64>,
}

impl LookClock {
    /// Seconds since the look took the runway at show time `now` (negative before).
    pub fn elapsed_s(&self, now: u64) -> f32 {
        match self.frozen_elapsed {
            Some(e) => e as f32 / 1e6,
            None => (now as i64 - self.start as i64) as f32 / 1e6,
        }
    }
}

/// The client's view of the joined show.
#[derive(Debug, Clone, Resource)]
pub struct ShowState {
    /// The link's state.
    pub connection: ConnState,
    /// The show, once joined.
    pub show: Option<ShowId>,
    /// Its title.
    pub title: String,
    /// The line-up.
    pub lineup: Vec<LookSpec>,
    /// The show's status as last reported.
    pub status: Option<ShowStatus>,
    /// Looks that have taken (or will take) the runway, by index.
    pub clocks: BTreeMap<usize, LookClock>,
    /// Live aggregates per look.
    pub aggregates: BTreeMap<LookId, LookAggregate>,
    /// Version of the last aggregates applied.
    pub aggregates_version: u64,
    /// People watching.
    pub presence: u64,
    presence_version: u64,
    /// This viewer's acknowledged writes: (look, kind) → count.
    pub acked: BTreeMap<(LookId, &'static str), u64>,
    /// The last error the server reported, for the HUD.
    pub last_error: Option<String>,
    /// Number of timeline events and snapshots applied (for tests and logs).
    pub events_applied: u64,
}

impl Default for ShowState {
    fn default() -> Self {
        ShowState {
            connection: ConnState::Connecting,
            show: None,
            title: String::new(),
            lineup: Vec::new(),
            status: None,
            clocks: BTreeMap::new(),
            aggregates: BTreeMap::new(),
            aggregates_version: 0,
            presence: 0,
            presence_version: 0,
            acked: BTreeMap::new(),
            last_error: None,
            events_applied: 0,
        }
    }
}

impl ShowState {
    /// Folds one server message in.
    pub fn apply(&mut self, msg: &ServerMessage) {
        match msg {
            ServerMessage::Snapshot { snapshot, .. } => {
                if self.show.as_ref().is_some_and(|s| *s != snapshot.show) {
                    // Another show: nothing of the old one carries over.
                    *self = ShowState {
                        connection: self.connection.clone(),
                        acked: std::mem::take(&mut self.acked),
                        ..ShowState::default()
                    };
                }
                self.show = Some(snapshot.show.clone());
                self.title = snapshot.title.clone();
                self.lineup = snapshot.lineup.clone();
                self.set_status(snapshot.status.clone());
                self.events_applied += 1;
            }
            ServerMessage::Timeline { event, .. } => {
                self.events_applied += 1;
                match event {
                    TimelineEvent::LookChanged {
                        index,
                        effective_at,
                        ends_at,
                        ..
                    } => {
                        self.clocks.insert(
                            *index,
                            LookClock {
                                start: effective_at.micros(),
                                frozen_elapsed: None,
                            },
                        );
                        self.status = Some(ShowStatus::Live {
                            index: *index,
                            started_at: *effective_at,
                            ends_at: *ends_at,
                        });
                    }
                    TimelineEvent::Paused { at, remaining_us } => {
                        if let Some(i) = self.current_index() {
                            let duration = self.duration_us(i);
                            if let Some(c) = self.clocks.get_mut(&i) {
                                c.frozen_elapsed = Some(duration.saturating_sub(*remaining_us));
                            }
                            if let Some(ShowStatus::Live { started_at, .. }) = self.status.clone() {
                                self.status = Some(ShowStatus::Paused {
                                    index: i,
                                    started_at,
                                    remaining_us: *remaining_us,
                                    paused_at: *at,
                                });
                            }
                        }
                    }
                    TimelineEvent::Resumed { at: _, ends_at } => {
                        if let Some(i) = self.current_index() {
                            let duration = self.duration_us(i);
                            self.clocks.insert(
                                i,
                                LookClock {
                                    start: ends_at.micros().saturating_sub(duration),
                                    frozen_elapsed: None,
                                },
                            );
                            if let Some(ShowStatus::Paused { started_at, .. }) = self.status.clone()
                            {
                                self.status = Some(ShowStatus::Live {
                                    index: i,
                                    started_at,
                                    ends_at: *ends_at,
                                });
                            }
                        }
                    }
                    TimelineEvent::Ended { at } => {
                        self.status = Some(ShowStatus::Ended { at: *at });
                    }
                }
            }
            ServerMessage::Controlled { status, .. } => self.set_status(status.clone()),
            ServerMessage::Aggregates { version, looks, .. }
                if *version > self.aggregates_version =>
            {
                self.aggregates_version = *version;
                for a in looks {
                    self.aggregates.insert(a.look.clone(), a.clone());
                }
            }
            ServerMessage::Presence { version, count, .. } if *version > self.presence_version => {
                self.presence_version = *version;
                self.presence = *count;
            }
            ServerMessage::Ack { kind, look, .. } => {
                let kind = match kind {
                    WriteKind::Rating => "rating",
                    WriteKind::Intent => "intent",
                };
                *self.acked.entry((look.clone(), kind)).or_default() += 1;
            }
            ServerMessage::Error { message, .. } => {
                self.last_error = Some(message.clone());
            }
            _ => {}
        }
    }

    fn set_status(&mut self, status: ShowStatus) {
        match &status {
            ShowStatus::Live { index, ends_at, .. } => {
                let duration = self.duration_us(*index);
                self.clocks.insert(
                    *index,
                    LookClock {
                        start: ends_at.micros().saturating_sub(duration),
                        frozen_elapsed: None,
                    },
                );
            }
            ShowStatus::Paused {
                index,
                started_at,
                remaining_us,
                ..
            } => {
                let duration = self.duration_us(*index);
                self.clocks.insert(
                    *index,
                    LookClock {
                        start: started_at.micros(),
                        frozen_elapsed: Some(duration.saturating_sub(*remaining_us)),
                    },
                );
            }
            _ => {}
        }
        self.status = Some(status);
    }

    /// The index of the look the server says is current.
    pub fn current_index(&self) -> Option<usize> {
        self.status.as_ref().and_then(ShowStatus::current_index)
    }

    /// The look on the runway at show time `now`: the latest one whose start has come
    /// (a change announced for a later show time is not shown early).
    pub fn look_at(&self, now: u64) -> Option<usize> {
        if matches!(self.status, Some(ShowStatus::Ended { .. })) {
            return None;
        }
        self.clocks
            .iter()
            .filter(|(_, c)| c.frozen_elapsed.is_some() || c.start <= now)
            .max_by_key(|(_, c)| c.start)
            .map(|(i, _)| *i)
    }

    /// A look's duration, µs (0 if unknown).
    pub fn duration_us(&self, index: usize) -> u64 {
        self.lineup.get(index).map_or(0, |l| l.duration_ms * 1000)
    }

    /// The aggregate of a look, if any arrived.
    pub fn aggregate(&self, look: &LookId) -> Option<&LookAggregate> {
        self.aggregates.get(look)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use catwalk_protocol::{ShowSnapshot, ShowTime, SizeLabel};

    fn lineup() -> Vec<LookSpec> {
        crate::collection::lineup(1, 3, 10_000).expect("lineup")
    }

    fn snapshot(status: ShowStatus) -> ServerMessage {
        ServerMessage::Snapshot {
            snapshot: ShowSnapshot {
                show: ShowId::parse("s").expect("id"),
                title: "T".into(),
                epoch: "e".into(),
                offset: 0,
                lineup: lineup(),
                scheduled_start: ShowTime(1_000_000),
                status,
            },
            resume_failed: false,
        }
    }

    fn timeline(offset: u64, event: TimelineEvent) -> ServerMessage {
        ServerMessage::Timeline {
            show: ShowId::parse("s").expect("id"),
            epoch: "e".into(),
            offset,
            event,
        }
    }

    #[test]
    fn looks_switch_at_their_show_time_not_on_arrival() {
        let mut s = ShowState::default();
        s.apply(&snapshot(ShowStatus::Scheduled {
            start_at: ShowTime(5_000_000),
        }));
        assert_eq!(s.look_at(4_000_000), None);
        let l0 = s.lineup[0].look.clone();
        s.apply(&timeline(
            1,
            TimelineEvent::LookChanged {
                index: 0,
                look: l0,
                effective_at: ShowTime(5_000_000),
                ends_at: ShowTime(15_000_000),
                issued_at: ShowTime(4_900_000),
            },
        ));
        assert_eq!(s.look_at(4_950_000), None, "switched before its time");
        assert_eq!(s.look_at(5_000_000), Some(0));
        let l1 = s.lineup[1].look.clone();
        s.apply(&timeline(
            2,
            TimelineEvent::LookChanged {
                index: 1,
                look: l1,
                effective_at: ShowTime(15_000_000),
                ends_at: ShowTime(25_000_000),
                issued_at: ShowTime(14_900_000),
            },
        ));
        assert_eq!(s.look_at(14_990_000), Some(0));
        assert_eq!(s.look_at(15_000_000), Some(1));
        let c = s.clocks[&1];
        assert!((c.elapsed_s(17_000_000) - 2.0).abs() < 1e-6);
    }

    #[test]
    fn pause_freezes_and_resume_continues_the_walk() {
        let mut s = ShowState::default();
        s.apply(&snapshot(ShowStatus::Live {
            index: 0,
            started_at: ShowTime(0),
            ends_at: ShowTime(10_000_000),
        }));
        s.apply(&timeline(
            1,
            TimelineEvent::Paused {
                at: ShowTime(4_000_000),
                remaining_us: 6_000_000,
            },
        ));
        assert!((s.clocks[&0].elapsed_s(9_000_000) - 4.0).abs() < 1e-6);
        s.apply(&timeline(
            2,
            TimelineEvent::Resumed {
                at: ShowTime(20_000_000),
                ends_at: ShowTime(26_000_000),
            },
        ));
        assert!((s.clocks[&0].elapsed_s(21_000_000) - 5.0).abs() < 1e-6);
        s.apply(&timeline(
            3,
            TimelineEvent::Ended {
                at: ShowTime(27_000_000),
            },
        ));
        assert_eq!(s.look_at(27_000_000), None);
    }

    #[test]
    fn joining_another_show_starts_afresh() {
        let mut s = ShowState::default();
        s.apply(&snapshot(ShowStatus::Live {
            index: 0,
            started_at: ShowTime(0),
            ends_at: ShowTime(10_000_000),
        }));
        assert!(!s.clocks.is_empty());
        let mut other = snapshot(ShowStatus::Scheduled {
            start_at: ShowTime(99_000_000),
        });
        if let ServerMessage::Snapshot { snapshot, .. } = &mut other {
            snapshot.show = ShowId::parse("next").expect("id");
            snapshot.title = "Next".into();
        }
        s.apply(&other);
        assert_eq!(s.title, "Next");
        assert!(s.clocks.is_empty(), "the old show's looks carried over");
        assert_eq!(s.look_at(50_000_000), None);
    }

    #[test]
    fn stale_aggregates_and_presence_are_dropped() {
        let mut s = ShowState::default();
        s.apply(&snapshot(ShowStatus::Scheduled {
            start_at: ShowTime(0),
        }));
        let look = s.lineup[0].look.clone();
        let mut a = LookAggregate::empty(look.clone());
        a.histogram = [0, 0, 1, 0, 1];
        a.ratings = 2;
        a.mean = 4.0;
        a.intents.insert(SizeLabel::parse("M").expect("size"), 2);
        let show = ShowId::parse("s").expect("id");
        s.apply(&ServerMessage::Aggregates {
            show: show.clone(),
            version: 5,
            looks: vec![a.clone()],
        });
        let mut old = a.clone();
        old.ratings = 1;
        s.apply(&ServerMessage::Aggregates {
            show: show.clone(),
            version: 4,
            looks: vec![old],
        });
        assert_eq!(s.aggregate(&look).map(|a| a.ratings), Some(2));
        s.apply(&ServerMessage::Presence {
            show: show.clone(),
            version: 2,
            count: 300,
        });
        s.apply(&ServerMessage::Presence {
            show,
            version: 1,
            count: 3,
        });
        assert_eq!(s.presence, 300);
    }
}
