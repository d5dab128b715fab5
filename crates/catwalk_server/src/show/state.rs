//! The show state machine: which organizer actions are allowed in which phase, and the
//! timeline event each produces. Pure and clock-free: callers pass the show times.

use catwalk_protocol::{ErrorCode, LookSpec, ShowAction, ShowStatus, ShowTime, TimelineEvent};

/// Why an action is not allowed now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a show that is {phase}: {hint}")]
pub struct TransitionError {
    /// The action tried.
    pub action: &'static str,
    /// The phase the show is in.
    pub phase: &'static str,
    /// What would work instead.
    pub hint: &'static str,
}

impl TransitionError {
    /// The wire error code.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidTransition
    }
}

fn action_name(a: ShowAction) -> &'static str {
    match a {
        ShowAction::Start => "start",
        ShowAction::Advance => "advance",
        ShowAction::Pause => "pause",
        ShowAction::Resume => "resume",
        ShowAction::End => "end",
    }
}

fn look_duration_us(lineup: &[LookSpec], index: usize) -> u64 {
    lineup.get(index).map_or(0, |l| l.duration_ms * 1000)
}

fn look_changed(
    lineup: &[LookSpec],
    index: usize,
    effective_at: ShowTime,
    issued_at: ShowTime,
) -> (ShowStatus, TimelineEvent) {
    let ends_at = ShowTime(effective_at.micros() + look_duration_us(lineup, index));
    (
        ShowStatus::Live {
            index,
            started_at: effective_at,
            ends_at,
        },
        TimelineEvent::LookChanged {
            index,
            look: lineup[index].look.clone(),
            effective_at,
            ends_at,
            issued_at,
        },
    )
}

/// Applies `action` to a show in `status`. `effective_at` is when the change takes effect on
/// the show clock; `issued_at` is now.
pub fn apply(
    lineup: &[LookSpec],
    status: &ShowStatus,
    action: ShowAction,
    effective_at: ShowTime,
    issued_at: ShowTime,
) -> Result<(ShowStatus, TimelineEvent), TransitionError> {
    let refuse = |hint| TransitionError {
        action: action_name(action),
        phase: status.phase(),
        hint,
    };
    match (status, action) {
        (ShowStatus::Scheduled { .. }, ShowAction::Start) => {
            if lineup.is_empty() {
                return Err(refuse("the line-up is empty"));
            }
            Ok(look_changed(lineup, 0, effective_at, issued_at))
        }
        (
            ShowStatus::Live { index, .. } | ShowStatus::Paused { index, .. },
            ShowAction::Advance,
        ) => {
            if index + 1 < lineup.len() {
                Ok(look_changed(lineup, index + 1, effective_at, issued_at))
            } else {
                Ok((
                    ShowStatus::Ended { at: effective_at },
                    TimelineEvent::Ended { at: effective_at },
                ))
            }
        }
        (
            ShowStatus::Live {
                index,
                started_at,
                ends_at,
            },
            ShowAction::Pause,
        ) => {
            let remaining_us = ends_at.micros_since(issued_at);
            Ok((
                ShowStatus::Paused {
                    index: *index,
                    started_at: *started_at,
                    remaining_us,
                    paused_at: issued_at,
                },
                TimelineEvent::Paused {
                    at: issued_at,
                    remaining_us,
                },
            ))
        }
        (
            ShowStatus::Paused {
                index,
                started_at,
                remaining_us,
                ..
            },
            ShowAction::Resume,
        ) => {
            let ends_at = ShowTime(issued_at.micros() + remaining_us);
            Ok((
                ShowStatus::Live {
                    index: *index,
                    started_at: *started_at,
                    ends_at,
                },
                TimelineEvent::Resumed {
                    at: issued_at,
                    ends_at,
                },
            ))
        }
        (ShowStatus::Ended { .. }, _) => Err(refuse("it is over; create a new show")),
        (_, ShowAction::End) => Ok((
            ShowStatus::Ended { at: issued_at },
            TimelineEvent::Ended { at: issued_at },
        )),
        (ShowStatus::Scheduled { .. }, _) => Err(refuse("start it first")),
        (_, ShowAction::Start) => Err(refuse("it has already started")),
        (ShowStatus::Live { .. }, ShowAction::Resume) => Err(refuse("it is not paused")),
        (ShowStatus::Paused { .. }, ShowAction::Pause) => Err(refuse("it is already paused")),
    }
}

/// The next change the show makes by itself: its start, or the end of the current look.
pub fn next_due(status: &ShowStatus) -> Option<(ShowTime, ShowAction)> {
    match status {
        ShowStatus::Scheduled { start_at } => Some((*start_at, ShowAction::Start)),
        ShowStatus::Live { ends_at, .. } => Some((*ends_at, ShowAction::Advance)),
        ShowStatus::Paused { .. } | ShowStatus::Ended { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use catwalk_protocol::LookId;

    fn lineup(n: usize) -> Vec<LookSpec> {
        (0..n)
            .map(|i| LookSpec {
                look: LookId::parse(format!("look-{i}")).expect("valid"),
                title: format!("Look {i}"),
                designer: "Kim".into(),
                garment: "g".into(),
                duration_ms: 10_000,
            })
            .collect()
    }

    #[test]
    fn a_show_runs_start_to_end() {
        let l = lineup(2);
        let s0 = ShowStatus::Scheduled {
            start_at: ShowTime(1_000),
        };
        let (s1, e1) =
            apply(&l, &s0, ShowAction::Start, ShowTime(1_000), ShowTime(900)).expect("start");
        assert!(matches!(e1, TimelineEvent::LookChanged { index: 0, .. }));
        assert_eq!(
            next_due(&s1),
            Some((ShowTime(10_001_000), ShowAction::Advance))
        );
        let (s2, _) = apply(
            &l,
            &s1,
            ShowAction::Advance,
            ShowTime(2_000),
            ShowTime(2_000),
        )
        .expect("advance");
        assert_eq!(s2.current_index(), Some(1));
        let (s3, e3) = apply(
            &l,
            &s2,
            ShowAction::Advance,
            ShowTime(3_000),
            ShowTime(3_000),
        )
        .expect("advance past the end");
        assert_eq!(
            e3,
            TimelineEvent::Ended {
                at: ShowTime(3_000)
            }
        );
        assert!(apply(&l, &s3, ShowAction::Start, ShowTime(4_000), ShowTime(4_000)).is_err());
    }

    #[test]
    fn pause_keeps_the_remaining_time() {
        let l = lineup(1);
        let live = ShowStatus::Live {
            index: 0,
            started_at: ShowTime(0),
            ends_at: ShowTime(10_000_000),
        };
        let (paused, _) = apply(
            &l,
            &live,
            ShowAction::Pause,
            ShowTime(4_000_000),
            ShowTime(4_000_000),
        )
        .expect("pause");
        assert_eq!(next_due(&paused), None);
        let (resumed, _) = apply(
            &l,
            &paused,
            ShowAction::Resume,
            ShowTime(9_000_000),
            ShowTime(9_000_000),
        )
        .expect("resume");
        assert_eq!(
            resumed,
            ShowStatus::Live {
                index: 0,
                started_at: ShowTime(0),
                ends_at: ShowTime(15_000_000)
            }
        );
    }

    #[test]
    fn invalid_transitions_explain_themselves() {
        let l = lineup(1);
        let s = ShowStatus::Scheduled {
            start_at: ShowTime(0),
        };
        let err = apply(&l, &s, ShowAction::Pause, ShowTime(0), ShowTime(0)).expect_err("pause");
        assert_eq!(
            err.to_string(),
            "cannot pause a show that is scheduled: start it first"
        );
        let live = ShowStatus::Live {
            index: 0,
            started_at: ShowTime(0),
            ends_at: ShowTime(1),
        };
        assert!(apply(&l, &live, ShowAction::Resume, ShowTime(0), ShowTime(0)).is_err());
        assert!(apply(&l, &live, ShowAction::Start, ShowTime(0), ShowTime(0)).is_err());
        assert!(apply(&[], &s, ShowAction::Start, ShowTime(0), ShowTime(0)).is_err());
    }
}
