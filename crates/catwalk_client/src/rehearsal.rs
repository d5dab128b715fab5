//! Looks prepared ahead of their turn. Rigging a look's model and settling its garment takes
//! seconds (12–19 s on a two-core machine that also renders on the CPU), about as long as a
//! look's whole slot, and the director only asks for a model once its look is next. So the
//! rehearsal works through the line-up in running order as soon as it is known, before the
//! show starts and while it runs: one look at a time, up to [`LOOKAHEAD`] looks past the one
//! on the runway. When the director puts a look's model on stage, [`Rehearsal::take`] hands
//! it the finished work, or the work still running, instead of starting again. (Bevy's async
//! compute pool has one thread on two cores, so work queued there runs strictly in turn:
//! the rehearsal keeps the running order, and finished work never goes back through it.)

use std::collections::{HashMap, HashSet};

use bevy::prelude::*;
use bevy::tasks::{Task, block_on, poll_once};
use catwalk_protocol::ShowStatus;

use crate::app::{ClothBackend, Mode};
use crate::avatars::{BodyLibrary, HasWork, Prepared, Preparing};
use crate::runway::{LookCache, Model};
use crate::show_state::ShowState;

/// How many looks past the one on the runway are prepared ahead.
pub const LOOKAHEAD: usize = 3;

/// A look being prepared.
type Work = Task<Result<Prepared, String>>;

/// Looks prepared ahead, by garment reference (a reference always resolves to the same
/// design on the same model).
#[derive(Resource, Default)]
pub struct Rehearsal {
    ready: HashMap<String, Result<Prepared, String>>,
    running: Option<(String, Work)>,
}

impl Rehearsal {
    /// The work for `reference`, if the rehearsal has started it: finished or still running.
    pub fn take(&mut self, reference: &str) -> Option<Preparing> {
        if let Some(result) = self.ready.remove(reference) {
            return Some(Preparing::Done(Some(Box::new(result))));
        }
        if self.running.as_ref().is_some_and(|(r, _)| r == reference) {
            return self
                .running
                .take()
                .map(|(_, work)| Preparing::Running(work));
        }
        None
    }

    /// Garment references prepared and waiting for their model.
    pub fn ready(&self) -> impl Iterator<Item = &str> {
        self.ready.keys().map(String::as_str)
    }

    /// The garment reference being prepared now.
    pub fn running(&self) -> Option<&str> {
        self.running.as_ref().map(|(r, _)| r.as_str())
    }
}

/// The looks to prepare, in order: from the one on the runway (the first before the show
/// starts) to [`LOOKAHEAD`] past it; none once the show has ended.
pub fn upcoming(state: &ShowState) -> std::ops::Range<usize> {
    if matches!(state.status, Some(ShowStatus::Ended { .. })) {
        return 0..0;
    }
    let first = state.current_index().unwrap_or(0).min(state.lineup.len());
    first..(first + LOOKAHEAD + 1).min(state.lineup.len())
}

/// Collects finished work, forgets looks the show has passed and starts the next look.
pub fn rehearse(
    mode: Res<Mode>,
    state: Res<ShowState>,
    backend: Res<ClothBackend>,
    mut library: ResMut<BodyLibrary>,
    mut cache: ResMut<LookCache>,
    mut rehearsal: ResMut<Rehearsal>,
    models: Query<&Model, HasWork>,
) {
    if *mode == Mode::Designer {
        return;
    }
    let rehearsal = &mut *rehearsal;
    if let Some((reference, work)) = &mut rehearsal.running
        && let Some(result) = block_on(poll_once(work))
    {
        let reference = std::mem::take(reference);
        rehearsal.running = None;
        rehearsal.ready.insert(reference, result);
    }
    let looks = upcoming(&state);
    let wanted: HashSet<&str> = state.lineup[looks.clone()]
        .iter()
        .map(|spec| spec.garment.as_str())
        .collect();
    rehearsal.ready.retain(|r, _| wanted.contains(r.as_str()));
    if rehearsal.running.is_some() {
        return;
    }
    // A look whose model has its own work is left to it; an unprepared model waiting on
    // stage is the most urgent and comes first in running order anyway.
    let busy: HashSet<usize> = models.iter().map(|m| m.index).collect();
    for index in looks {
        let reference = &state.lineup[index].garment;
        if busy.contains(&index) || rehearsal.ready.contains_key(reference) {
            continue;
        }
        let Ok(asset) = cache.resolve(reference).clone() else {
            continue;
        };
        // Without a body model there is nothing to prepare (each model says why).
        let Ok(work) = library.start(asset, *backend != ClothBackend::Off) else {
            return;
        };
        info!(look = index, garment = %reference, "preparing ahead");
        rehearsal.running = Some((reference.clone(), work));
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection;
    use catwalk_protocol::ShowTime;
    use std::time::{Duration, Instant};

    fn lineup(n: usize) -> ShowState {
        let mut state = ShowState::default();
        state.lineup = collection::lineup(7, n, 10_000).expect("lineup");
        state
    }

    #[test]
    fn the_looks_ahead_run_from_the_runway_to_the_lookahead() {
        let mut state = lineup(8);
        assert_eq!(upcoming(&state), 0..LOOKAHEAD + 1, "before the show");
        state.status = Some(ShowStatus::Live {
            index: 6,
            started_at: ShowTime(1),
            ends_at: ShowTime(2),
        });
        assert_eq!(upcoming(&state), 6..8, "near the end");
        state.status = Some(ShowStatus::Ended { at: ShowTime(3) });
        assert_eq!(upcoming(&state), 0..0, "after the show");
    }

    /// Before the show starts, the first looks are prepared one at a time in running order,
    /// an unprepared model waiting on stage among them; a look whose model has its own work
    /// is left to it; the director's model takes the finished work.
    #[test]
    fn looks_are_prepared_in_order_before_their_turn() {
        if catwalk_avatar::BodyModel::load_default().is_err() {
            assert!(
                std::env::var_os("CATWALK_REQUIRE_ASSETS").is_none(),
                "the body model is required"
            );
            return;
        }
        let state = lineup(4);
        let references: Vec<String> = state.lineup.iter().map(|s| s.garment.clone()).collect();
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(Mode::Audience)
            .insert_resource(ClothBackend::Off)
            .insert_resource(state)
            .init_resource::<BodyLibrary>()
            .init_resource::<LookCache>()
            .init_resource::<Rehearsal>()
            .add_systems(Update, rehearse);
        let model = |index: usize| Model {
            index,
            asset: std::sync::Arc::new(collection::resolve(&references[index]).expect("look")),
        };
        // Look 1's model waits on stage unprepared; look 2's has its own work (it failed).
        app.world_mut().spawn(model(1));
        app.world_mut()
            .spawn((model(2), crate::avatars::Failed("no body".into())));

        let mut started = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while app.world().resource::<Rehearsal>().ready().count() < 3 {
            assert!(Instant::now() < deadline, "rehearsal stalled");
            app.update();
            let r = app.world().resource::<Rehearsal>();
            if let Some(running) = r.running()
                && started.last().map(String::as_str) != Some(running)
            {
                started.push(running.to_string());
                let index = references
                    .iter()
                    .position(|g| g == running)
                    .expect("a look");
                let note = crate::hud::backstage(app.world().resource::<ShowState>(), r);
                assert_eq!(note, Some(format!("dressing look {}", index + 1)));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(started, [0, 1, 3].map(|i| references[i].clone()));
        let mut rehearsal = app.world_mut().resource_mut::<Rehearsal>();
        let Some(Preparing::Done(Some(done))) = rehearsal.take(&references[1]) else {
            panic!("look 1 is not prepared");
        };
        let prepared = done.expect("look 1 prepared");
        assert!(prepared.drape.is_none(), "garments are off");
        assert!(rehearsal.take(&references[1]).is_none(), "taken once");
        assert!(
            rehearsal.take(&references[2]).is_none(),
            "left to its model"
        );
    }
}
