//! Work orders (step 6): the stages each kind of partner performs, the rules progress
//! reports must follow, and the status derived from the facts (sent, accepted,
//! cancelled, reported quantities) rather than stored.
//!
//! Pieces flow through the stages in order: a stage can pass on at most what the stage
//! before it produced (`good + defects ≤ good of the previous stage`). The first stage may
//! over-produce up to twice the order to replace pieces lost downstream. A stage is done
//! when its good units reach the order quantity; the work order is complete when the last
//! stage is done.

use serde::{Deserialize, Serialize};

use super::recommend::PartnerKind;

/// A production stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Production pattern drafting and grading.
    Pattern,
    /// Sample sewing.
    Sample,
    /// Cutting.
    Cutting,
    /// Sewing.
    Sewing,
    /// Finishing (pressing, buttons, trimming threads).
    Finishing,
    /// Quality control.
    Qc,
    /// Packing.
    Packing,
}

impl Stage {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pattern => "pattern",
            Self::Sample => "sample",
            Self::Cutting => "cutting",
            Self::Sewing => "sewing",
            Self::Finishing => "finishing",
            Self::Qc => "qc",
            Self::Packing => "packing",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pattern,
            Self::Sample,
            Self::Cutting,
            Self::Sewing,
            Self::Finishing,
            Self::Qc,
            Self::Packing,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The stages a kind of partner performs, in order.
pub fn stages_for(kind: PartnerKind) -> Vec<Stage> {
    match kind {
        PartnerKind::PatternMaker => vec![Stage::Pattern],
        PartnerKind::SampleRoom => vec![Stage::Sample],
        PartnerKind::SewingFactory => vec![
            Stage::Cutting,
            Stage::Sewing,
            Stage::Finishing,
            Stage::Qc,
            Stage::Packing,
        ],
    }
}

/// A work order's status, derived from facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkOrderStatus {
    /// Sent to the partner, not yet accepted.
    Sent,
    /// Accepted by the partner; no progress yet.
    Accepted,
    /// Progress reported; not every stage done.
    InProgress,
    /// Every stage reached the quantity.
    Completed,
    /// Cancelled by the production company.
    Cancelled,
}

/// Something one can do to a work order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The partner accepts it.
    Accept,
    /// Someone reports progress.
    Report,
    /// The production company cancels it.
    Cancel,
}

impl WorkOrderStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether no further action is possible.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled)
    }

    /// Whether `action` is allowed in this status.
    pub fn allows(self, action: Action) -> bool {
        matches!(
            (self, action),
            (Self::Sent, Action::Accept)
                | (Self::Accepted | Self::InProgress, Action::Report)
                | (
                    Self::Sent | Self::Accepted | Self::InProgress,
                    Action::Cancel
                )
        )
    }
}

/// Derives the status.
pub fn status(
    accepted: bool,
    cancelled: bool,
    any_progress: bool,
    last_stage_good: i64,
    quantity: i64,
) -> WorkOrderStatus {
    if cancelled {
        WorkOrderStatus::Cancelled
    } else if last_stage_good >= quantity {
        WorkOrderStatus::Completed
    } else if any_progress {
        WorkOrderStatus::InProgress
    } else if accepted {
        WorkOrderStatus::Accepted
    } else {
        WorkOrderStatus::Sent
    }
}

/// Why a progress report is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    /// The stage is not one this work order has.
    #[error("stage {stage} is not part of this work order; its stages are {allowed}")]
    UnknownStage {
        /// What was given.
        stage: String,
        /// The stages it has.
        allowed: String,
    },
    /// More pieces than the previous stage produced.
    #[error(
        "{stage} cannot pass {wanted} pieces: only {available} came from {previous}; report {previous} first"
    )]
    AheadOfPrevious {
        /// This stage.
        stage: &'static str,
        /// The previous stage.
        previous: &'static str,
        /// good + defects after this report.
        wanted: i64,
        /// good pieces of the previous stage.
        available: i64,
    },
    /// The first stage over-produced beyond the allowance.
    #[error("{stage} would reach {wanted} pieces; at most {limit} (twice the order) may be made")]
    OverProduction {
        /// This stage.
        stage: &'static str,
        /// good after this report.
        wanted: i64,
        /// The limit.
        limit: i64,
    },
    /// A report with no pieces, or negative numbers.
    #[error("report at least one good or defective piece, and no negative numbers")]
    Empty,
}

/// Checks a report of `good` and `defects` at `stage`, given the good and defective
/// totals so far per stage (indexed like `stages`).
pub fn check_report(
    stages: &[Stage],
    totals: &[(i64, i64)],
    quantity: i64,
    stage: &str,
    good: i64,
    defects: i64,
) -> Result<Stage, ProgressError> {
    if good < 0 || defects < 0 || good + defects == 0 {
        return Err(ProgressError::Empty);
    }
    let Some(i) = stages.iter().position(|s| s.as_str() == stage) else {
        return Err(ProgressError::UnknownStage {
            stage: stage.to_string(),
            allowed: stages
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let (g, d) = totals.get(i).copied().unwrap_or((0, 0));
    if i == 0 {
        let limit = quantity.saturating_mul(2);
        if g + good > limit {
            return Err(ProgressError::OverProduction {
                stage: stages[i].as_str(),
                wanted: g + good,
                limit,
            });
        }
    } else {
        let available = totals.get(i - 1).map_or(0, |t| t.0);
        if g + good + d + defects > available {
            return Err(ProgressError::AheadOfPrevious {
                stage: stages[i].as_str(),
                previous: stages[i - 1].as_str(),
                wanted: g + good + d + defects,
                available,
            });
        }
    }
    Ok(stages[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_follow_the_table() {
        use WorkOrderStatus::*;
        assert!(Sent.allows(Action::Accept));
        assert!(!Sent.allows(Action::Report));
        assert!(Accepted.allows(Action::Report));
        assert!(!Completed.allows(Action::Cancel));
        assert!(Completed.is_terminal() && Cancelled.is_terminal());
        assert_eq!(status(true, false, true, 10, 10), Completed);
        assert_eq!(status(true, true, true, 10, 10), Cancelled);
        assert_eq!(status(true, false, false, 0, 10), Accepted);
    }

    #[test]
    fn a_stage_cannot_run_ahead_of_the_previous_one() {
        let stages = stages_for(PartnerKind::SewingFactory);
        let totals = vec![(5, 0), (0, 0), (0, 0), (0, 0), (0, 0)];
        assert_eq!(
            check_report(&stages, &totals, 10, "sewing", 5, 0),
            Ok(Stage::Sewing)
        );
        let err = check_report(&stages, &totals, 10, "sewing", 5, 1);
        assert!(matches!(
            err,
            Err(ProgressError::AheadOfPrevious { available: 5, .. })
        ));
        assert!(matches!(
            check_report(&stages, &totals, 10, "cutting", 16, 0),
            Err(ProgressError::OverProduction { limit: 20, .. })
        ));
        assert!(matches!(
            check_report(&stages, &totals, 10, "pattern", 1, 0),
            Err(ProgressError::UnknownStage { .. })
        ));
        assert_eq!(
            check_report(&stages, &totals, 10, "cutting", 0, 0),
            Err(ProgressError::Empty)
        );
    }
}
