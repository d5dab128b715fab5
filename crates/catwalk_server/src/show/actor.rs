//! The sequencer of one show. It owns the show's status and timeline; organizer actions,
//! its own timers (scheduled start, end of each look), joins and leaves all arrive on one
//! channel, so events get one order and one offset. Each event is durable before it is
//! broadcast. At a steady tick it broadcasts the totals and presence that changed, a chunk
//! of members at a time, so a timeline event never waits behind them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use catwalk_protocol::{
    ErrorCode, LookId, LookSpec, ResumeFrom, ServerMessage, ShowAction, ShowSnapshot, ShowStatus,
    ShowSummary, TimelineEvent,
};
use tokio::sync::{mpsc, oneshot, watch};

use super::aggregate::AggregateBoard;
use super::audience::{Audience, ConnId, Progressive};
use super::state;
use crate::clock::{ServerClock, ShowTimeExt};
use crate::queue::{ClientQueue, shared_frame};
use crate::stats::Stats;
use crate::store::{LoadedShow, ShowRecord, Store};
use crate::wire::WireFrame;

/// Most events replayed to a reconnecting client; further behind, it gets a snapshot.
pub const MAX_REPLAY: u64 = 300;

/// Members an aggregates or presence broadcast reaches before the sequencer looks for
/// commands again (a timeline event then goes out to everyone first).
const BACKGROUND_CHUNK: usize = 256;

/// What connections may read about a show without asking its sequencer.
#[derive(Debug)]
pub struct ShowView {
    /// The line-up.
    pub lineup: Vec<Arc<LookSpec>>,
    /// Position of each look in the line-up.
    pub index: HashMap<LookId, usize>,
    /// The furthest look that has been on the runway, if any.
    pub shown_through: Option<usize>,
    /// The row for show lists.
    pub summary: ShowSummary,
    /// The stream epoch.
    pub epoch: String,
}

/// A request to a show's sequencer.
#[derive(Debug)]
pub enum ShowCommand {
    /// A connection joins (or resumes).
    Join {
        /// The connection.
        conn: ConnId,
        /// Its queue.
        queue: ClientQueue,
        /// Where it left off, if reconnecting.
        resume: Option<ResumeFrom>,
    },
    /// A connection leaves.
    Leave {
        /// The connection.
        conn: ConnId,
    },
    /// An organizer action.
    Control {
        /// What to do.
        action: ShowAction,
        /// The show's status afterwards, or why not.
        reply: oneshot::Sender<Result<ShowStatus, (ErrorCode, String)>>,
    },
    /// Stop the sequencer.
    Stop,
}

/// How to reach a running show.
#[derive(Debug, Clone)]
pub struct ShowHandle {
    /// Commands to the sequencer.
    pub commands: mpsc::Sender<ShowCommand>,
    /// The latest view.
    pub view: watch::Receiver<Arc<ShowView>>,
    /// The live totals.
    pub board: Arc<Mutex<AggregateBoard>>,
}

/// Timing settings a sequencer needs.
#[derive(Debug, Clone, Copy)]
pub struct ShowTiming {
    /// Look changes are announced this long before they take effect.
    pub lead: Duration,
    /// Aggregates and presence are broadcast at this interval when changed.
    pub tick: Duration,
}

/// The sequencer's state.
struct Sequencer {
    record: ShowRecord,
    lineup: Vec<Arc<LookSpec>>,
    status: ShowStatus,
    offset: u64,
    shown_through: Option<usize>,
    history: Vec<WireFrame>,
    audience: Audience,
    /// Aggregates and presence broadcasts under way, oldest first.
    background: VecDeque<Progressive>,
    board: Arc<Mutex<AggregateBoard>>,
    presence_version: u64,
    presence_dirty: bool,
    store: Arc<Store>,
    clock: ServerClock,
    timing: ShowTiming,
    view: watch::Sender<Arc<ShowView>>,
    stats: Arc<Stats>,
}

/// Starts the sequencer of a loaded (or just created) show.
pub fn spawn(
    loaded: LoadedShow,
    store: Arc<Store>,
    clock: ServerClock,
    timing: ShowTiming,
    stats: Arc<Stats>,
) -> ShowHandle {
    let looks: Vec<LookId> = loaded
        .record
        .lineup
        .iter()
        .map(|l| l.look.clone())
        .collect();
    let mut board = AggregateBoard::new(looks.clone());
    let index: HashMap<LookId, usize> = looks.iter().cloned().zip(0..).collect();
    for (look, stars, n) in &loaded.rating_counts {
        if let Some(&i) = index.get(look) {
            board.load_rating_count(i, *stars, *n);
        }
    }
    for (look, size, units, count) in &loaded.intent_totals {
        if let Some(&i) = index.get(look) {
            board.load_intents(i, *size, *units, *count);
        }
    }
    let board = Arc::new(Mutex::new(board));
    let lineup: Vec<Arc<LookSpec>> = loaded.record.lineup.iter().cloned().map(Arc::new).collect();
    let mut shown_through = None;
    let mut history = Vec::with_capacity(loaded.events.len());
    for (offset, event) in &loaded.events {
        if let TimelineEvent::LookChanged { index, .. } = event {
            shown_through = shown_through.max(Some(*index));
        }
        history.push(shared_frame(&ServerMessage::Timeline {
            show: loaded.record.show.clone(),
            epoch: loaded.record.epoch.clone(),
            offset: *offset,
            event: event.clone(),
        }));
    }
    let (commands, rx) = mpsc::channel(1024);
    let seq = Sequencer {
        lineup,
        status: loaded.status,
        offset: loaded.offset,
        shown_through,
        history,
        audience: Audience::default(),
        background: VecDeque::new(),
        board: board.clone(),
        presence_version: 0,
        presence_dirty: false,
        store,
        clock,
        timing,
        view: watch::channel(Arc::new(ShowView {
            lineup: Vec::new(),
            index: HashMap::new(),
            shown_through: None,
            summary: ShowSummary {
                show: loaded.record.show.clone(),
                title: String::new(),
                status: ShowStatus::Ended {
                    at: Default::default(),
                },
                looks: 0,
            },
            epoch: String::new(),
        }))
        .0,
        record: loaded.record,
        stats,
    };
    seq.publish_view();
    let view = seq.view.subscribe();
    tokio::spawn(seq.run(rx));
    ShowHandle {
        commands,
        view,
        board,
    }
}

impl Sequencer {
    async fn run(mut self, mut rx: mpsc::Receiver<ShowCommand>) {
        let mut tick = tokio::time::interval(self.timing.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut quiet_until = None;
        loop {
            let offset_before = self.offset;
            let due = state::next_due(&self.status);
            let wake = due.map(|(at, _)| {
                let announce = at.minus(self.timing.lead);
                self.clock.instant_at(announce)
            });
            tokio::select! {
                // Commands and timers first: aggregates wait for them between chunks.
                biased;
                cmd = rx.recv() => match cmd {
                    Some(ShowCommand::Stop) | None => break,
                    Some(cmd) => self.handle(cmd).await,
                },
                () = async { tokio::time::sleep_until(wake.unwrap_or_else(tokio::time::Instant::now)).await }, if wake.is_some() => {
                    if let Some((at, action)) = due {
                        let now = self.clock.now();
                        let effective = at.max(now);
                        if let Err((code, message)) = self.transition(action, effective).await {
                            tracing::error!(show = %self.record.show, ?code, "scheduled {action:?} failed: {message}");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                }
                _ = tick.tick() => self.broadcast_changes(),
                () = async {
                    if let Some(until) = quiet_until.filter(|u| *u > tokio::time::Instant::now()) {
                        tokio::time::sleep_until(until).await;
                    }
                }, if !self.background.is_empty() => {
                    self.send_background_chunk();
                    tokio::task::yield_now().await;
                }
            }
            if self.offset != offset_before {
                // A timeline event was just fanned out: give it the sockets (and the
                // clients' attention) to itself for a full interval before aggregates go on.
                tick.reset();
                quiet_until = Some(tokio::time::Instant::now() + self.timing.tick);
            }
        }
        tracing::debug!(show = %self.record.show, "sequencer stopped");
    }

    async fn handle(&mut self, cmd: ShowCommand) {
        match cmd {
            ShowCommand::Join {
                conn,
                queue,
                resume,
            } => self.join(conn, queue, resume),
            ShowCommand::Leave { conn } => {
                if self.audience.remove(conn) {
                    self.presence_dirty = true;
                }
            }
            ShowCommand::Control { action, reply } => {
                let now = self.clock.now();
                let effective = match action {
                    ShowAction::Start | ShowAction::Advance => now.plus(self.timing.lead),
                    _ => now,
                };
                let result = self
                    .transition(action, effective)
                    .await
                    .map(|()| self.status.clone());
                let _ = reply.send(result);
            }
            ShowCommand::Stop => {}
        }
    }

    /// Applies an action, persists the event, then broadcasts it.
    async fn transition(
        &mut self,
        action: ShowAction,
        effective: catwalk_protocol::ShowTime,
    ) -> Result<(), (ErrorCode, String)> {
        let (status, event) = state::apply(
            &self.record.lineup,
            &self.status,
            action,
            effective,
            self.clock.now(),
        )
        .map_err(|e| (e.code(), e.to_string()))?;
        let offset = self.offset + 1;
        self.store
            .append_event(
                self.record.show.clone(),
                offset,
                event.clone(),
                status.clone(),
            )
            .await
            .map_err(|e| {
                (
                    ErrorCode::Internal,
                    format!("the show could not be saved: {e}"),
                )
            })?;
        let mut event = event;
        if let TimelineEvent::LookChanged {
            index, issued_at, ..
        } = &mut event
        {
            self.shown_through = self.shown_through.max(Some(*index));
            // Released now that it is durable: fan-out latency is measured from here.
            *issued_at = self.clock.now();
        }
        tracing::info!(show = %self.record.show, offset, ?event, "timeline");
        self.status = status;
        self.offset = offset;
        let frame = shared_frame(&ServerMessage::Timeline {
            show: self.record.show.clone(),
            epoch: self.record.epoch.clone(),
            offset,
            event,
        });
        self.history.push(frame.clone());
        // Connections check writes against the view: publish it before anyone can react.
        self.publish_view();
        self.fan_out(&frame);
        Ok(())
    }

    fn fan_out(&mut self, frame: &WireFrame) {
        let before = self.audience.len();
        let dropped = self.audience.broadcast(frame);
        self.stats.frames_out.fetch_add(
            (before - dropped) as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        if dropped > 0 {
            // Too slow or gone: their writers count the evictions.
            self.presence_dirty = true;
        }
    }

    fn snapshot(&self) -> ShowSnapshot {
        ShowSnapshot {
            show: self.record.show.clone(),
            title: self.record.title.clone(),
            epoch: self.record.epoch.clone(),
            offset: self.offset,
            lineup: self.record.lineup.clone(),
            scheduled_start: self.record.scheduled_start,
            status: self.status.clone(),
        }
    }

    fn join(&mut self, conn: ConnId, queue: ClientQueue, resume: Option<ResumeFrom>) {
        let replayable = resume.as_ref().filter(|r| {
            r.epoch == self.record.epoch
                && r.offset <= self.offset
                && self.offset - r.offset <= MAX_REPLAY
        });
        let delivered = match replayable {
            Some(r) => {
                let missed = &self.history[r.offset as usize..self.offset as usize];
                missed.iter().all(|f| queue.push(f))
                    && queue.send(&ServerMessage::Resumed {
                        show: self.record.show.clone(),
                        epoch: self.record.epoch.clone(),
                        offset: self.offset,
                        replayed: missed.len() as u64,
                    })
            }
            None => queue.send(&ServerMessage::Snapshot {
                snapshot: self.snapshot(),
                resume_failed: resume.is_some(),
            }),
        };
        let (version, looks) = match self.board.lock() {
            Ok(b) => b.all(),
            Err(_) => (0, Vec::new()),
        };
        let delivered = delivered
            && queue.send(&ServerMessage::Aggregates {
                show: self.record.show.clone(),
                version,
                looks,
            })
            && queue.send(&ServerMessage::Presence {
                show: self.record.show.clone(),
                version: self.presence_version,
                count: self.audience.len() as u64 + 1,
            });
        if delivered {
            self.audience.add(conn, queue);
            self.presence_dirty = true;
        }
    }

    /// Starts broadcasting the totals and presence that changed, unless the last ones are
    /// still going out (each aggregates frame carries only the looks changed since the one
    /// before, so none may be skipped; the board keeps collecting meanwhile).
    fn broadcast_changes(&mut self) {
        if !self.background.is_empty() {
            return;
        }
        let changed = self.board.lock().ok().and_then(|mut b| b.take_changed());
        if let Some((version, looks)) = changed {
            let frame = shared_frame(&ServerMessage::Aggregates {
                show: self.record.show.clone(),
                version,
                looks,
            });
            self.background.push_back(self.audience.progressive(frame));
        }
        if self.presence_dirty {
            self.presence_dirty = false;
            self.presence_version += 1;
            let frame = shared_frame(&ServerMessage::Presence {
                show: self.record.show.clone(),
                version: self.presence_version,
                count: self.audience.len() as u64,
            });
            self.background.push_back(self.audience.progressive(frame));
        }
    }

    fn send_background_chunk(&mut self) {
        let Some(broadcast) = self.background.front_mut() else {
            return;
        };
        let (sent, refused) = broadcast.send_chunk(BACKGROUND_CHUNK);
        if broadcast.is_done() {
            self.background.pop_front();
        }
        self.stats
            .frames_out
            .fetch_add(sent as u64, std::sync::atomic::Ordering::Relaxed);
        // Members that left meanwhile are already gone; the others were too slow (their
        // writer counts the eviction).
        for conn in refused {
            if self.audience.remove(conn) {
                self.presence_dirty = true;
            }
        }
    }

    fn publish_view(&self) {
        let view = ShowView {
            lineup: self.lineup.clone(),
            index: self
                .lineup
                .iter()
                .enumerate()
                .map(|(i, l)| (l.look.clone(), i))
                .collect(),
            shown_through: self.shown_through,
            summary: ShowSummary {
                show: self.record.show.clone(),
                title: self.record.title.clone(),
                status: self.status.clone(),
                looks: self.lineup.len(),
            },
            epoch: self.record.epoch.clone(),
        };
        self.view.send_replace(Arc::new(view));
    }
}
