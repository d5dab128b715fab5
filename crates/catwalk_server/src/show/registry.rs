//! All shows of the server: created by organizers, loaded at start-up, found by id.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use catwalk_protocol::{
    ErrorCode, LookSpec, ShowId, ShowStatus, ShowSummary, ShowTime, client::MAX_LOOKS,
    client::MAX_TEXT,
};

use super::actor::{self, ShowCommand, ShowHandle, ShowTiming};
use crate::clock::ServerClock;
use crate::stats::Stats;
use crate::store::{CreateOutcome, LoadedShow, ShowRecord, Store};

/// The shows of this server.
#[derive(Debug)]
pub struct ShowRegistry {
    shows: RwLock<HashMap<ShowId, ShowHandle>>,
    store: Arc<Store>,
    clock: ServerClock,
    timing: ShowTiming,
    stats: Arc<Stats>,
    creating: tokio::sync::Mutex<()>,
}

/// A refused request: the code and a message for people.
pub type Refusal = (ErrorCode, String);

impl ShowRegistry {
    /// A registry running the loaded shows.
    pub fn new(
        loaded: Vec<LoadedShow>,
        store: Arc<Store>,
        clock: ServerClock,
        timing: ShowTiming,
        stats: Arc<Stats>,
    ) -> Self {
        let registry = Self {
            shows: RwLock::new(HashMap::new()),
            store,
            clock,
            timing,
            stats,
            creating: tokio::sync::Mutex::new(()),
        };
        for show in loaded {
            registry.start(show);
        }
        registry
    }

    fn start(&self, show: LoadedShow) -> ShowHandle {
        let id = show.record.show.clone();
        tracing::info!(show = %id, phase = show.status.phase(), offset = show.offset, "show loaded");
        let handle = actor::spawn(
            show,
            self.store.clone(),
            self.clock,
            self.timing,
            self.stats.clone(),
        );
        if let Ok(mut shows) = self.shows.write() {
            shows.insert(id, handle.clone());
        }
        handle
    }

    /// The show with this id.
    pub fn get(&self, show: &ShowId) -> Option<ShowHandle> {
        self.shows.read().ok()?.get(show).cloned()
    }

    /// A row per show, newest scheduled first.
    pub fn summaries(&self) -> Vec<ShowSummary> {
        let mut rows: Vec<ShowSummary> = self
            .shows
            .read()
            .map(|s| {
                s.values()
                    .map(|h| h.view.borrow().summary.clone())
                    .collect()
            })
            .unwrap_or_default();
        rows.sort_by(|a, b| b.show.cmp(&a.show));
        rows
    }

    /// Creates a show (or confirms a retried create with the same content).
    pub async fn create(
        &self,
        show: ShowId,
        title: String,
        lineup: Vec<LookSpec>,
        scheduled_start: ShowTime,
    ) -> Result<String, Refusal> {
        validate(&title, &lineup)?;
        let _one_at_a_time = self.creating.lock().await;
        let record = ShowRecord {
            show: show.clone(),
            epoch: uuid::Uuid::new_v4().simple().to_string()[..12].to_string(),
            title,
            lineup,
            scheduled_start,
            created_at: self.clock.now(),
        };
        let status = ShowStatus::Scheduled {
            start_at: scheduled_start,
        };
        let outcome = self
            .store
            .create_show(record.clone(), status.clone())
            .await
            .map_err(|e| {
                (
                    ErrorCode::Internal,
                    format!("the show could not be saved: {e}"),
                )
            })?;
        match outcome {
            CreateOutcome::Created => {
                let epoch = record.epoch.clone();
                self.start(LoadedShow {
                    record,
                    status,
                    offset: 0,
                    events: Vec::new(),
                    rating_counts: Vec::new(),
                    intent_totals: Vec::new(),
                });
                Ok(epoch)
            }
            CreateOutcome::AlreadyExists => self.epoch_of(&show).ok_or((
                ErrorCode::Internal,
                "the show exists but is not running".into(),
            )),
            CreateOutcome::Conflict => Err((
                ErrorCode::ShowExists,
                format!("a different show with id {show} already exists; choose another id"),
            )),
        }
    }

    fn epoch_of(&self, show: &ShowId) -> Option<String> {
        let handle = self.get(show)?;
        let epoch = handle.view.borrow().epoch.clone();
        Some(epoch)
    }

    /// Stops every sequencer.
    pub async fn stop_all(&self) {
        let handles: Vec<ShowHandle> = self
            .shows
            .read()
            .map(|s| s.values().cloned().collect())
            .unwrap_or_default();
        for h in handles {
            let _ = h.commands.send(ShowCommand::Stop).await;
        }
    }
}

fn validate(title: &str, lineup: &[LookSpec]) -> Result<(), Refusal> {
    let invalid = |m: String| (ErrorCode::InvalidField, m);
    if title.trim().is_empty() || title.len() > MAX_TEXT {
        return Err(invalid(format!("the title must be 1 to {MAX_TEXT} bytes")));
    }
    if lineup.is_empty() || lineup.len() > MAX_LOOKS {
        return Err(invalid(format!(
            "a show needs 1 to {MAX_LOOKS} looks; got {}",
            lineup.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for look in lineup {
        look.validate().map_err(invalid)?;
        if !seen.insert(&look.look) {
            return Err(invalid(format!(
                "look {} appears twice in the line-up",
                look.look
            )));
        }
    }
    Ok(())
}
