//! The all-or-nothing pre-order campaign (step 7), after Kickstarter and Catarse.
//!
//! A campaign has a goal in units, an optional cap (production capacity), a price and a
//! deadline. Its status is derived: *live* before the deadline; afterwards *funded* if the
//! units of un-cancelled pledges reached the goal, else *failed*. A pledge is *reserved*
//! while the campaign is live, *cancelled* if its backer cancelled it before the deadline,
//! and afterwards *collected* (an order) when the campaign funded or *released* when it
//! failed. Nothing is stored twice, so the totals and the statuses cannot drift apart.

use serde::Serialize;

/// A campaign's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Taking pledges.
    Live,
    /// Reached the goal by the deadline: pledges became orders.
    Funded,
    /// Missed the goal: every pledge was released.
    Failed,
}

impl CampaignStatus {
    /// Derives the status.
    pub fn derive(now: i64, deadline: i64, pledged_units: i64, goal_units: i64) -> Self {
        if now < deadline {
            Self::Live
        } else if pledged_units >= goal_units {
            Self::Funded
        } else {
            Self::Failed
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Funded => "funded",
            Self::Failed => "failed",
        }
    }
}

/// A pledge's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeStatus {
    /// Held while the campaign is live; cancellable.
    Reserved,
    /// Cancelled by the backer before the deadline.
    Cancelled,
    /// The campaign funded: this pledge is an order.
    Collected,
    /// The campaign failed: the pledge was released and nothing is charged.
    Released,
}

impl PledgeStatus {
    /// Derives a pledge's status from its campaign's.
    pub fn derive(cancelled: bool, campaign: CampaignStatus) -> Self {
        match (cancelled, campaign) {
            (true, _) => Self::Cancelled,
            (false, CampaignStatus::Live) => Self::Reserved,
            (false, CampaignStatus::Funded) => Self::Collected,
            (false, CampaignStatus::Failed) => Self::Released,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserved => "reserved",
            Self::Cancelled => "cancelled",
            Self::Collected => "collected",
            Self::Released => "released",
        }
    }
}

/// Why a pledge is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PledgeError {
    /// The deadline has passed.
    #[error("the campaign closed at its deadline; pledges can no longer be made or cancelled")]
    Closed,
    /// The cap would be exceeded.
    #[error("only {left} units are left of the campaign's {cap}; pledge at most {left}")]
    SoldOut {
        /// Units left.
        left: i64,
        /// The cap.
        cap: i64,
    },
    /// The viewer did not express purchase intent for this design.
    #[error("this pre-order is offered only to viewers who said they would buy the design")]
    NotEligible,
    /// Already cancelled.
    #[error("the pledge is already cancelled")]
    AlreadyCancelled,
}

/// Checks a new pledge of `quantity` units.
pub fn check_pledge(
    status: CampaignStatus,
    pledged_units: i64,
    max_units: Option<i64>,
    quantity: i64,
) -> Result<(), PledgeError> {
    if status != CampaignStatus::Live {
        return Err(PledgeError::Closed);
    }
    if let Some(cap) = max_units {
        let left = (cap - pledged_units).max(0);
        if quantity > left {
            return Err(PledgeError::SoldOut { left, cap });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_derived_from_deadline_and_units() {
        assert_eq!(CampaignStatus::derive(9, 10, 0, 5), CampaignStatus::Live);
        assert_eq!(CampaignStatus::derive(10, 10, 5, 5), CampaignStatus::Funded);
        assert_eq!(CampaignStatus::derive(11, 10, 4, 5), CampaignStatus::Failed);
        assert_eq!(
            PledgeStatus::derive(false, CampaignStatus::Failed),
            PledgeStatus::Released
        );
        assert_eq!(
            PledgeStatus::derive(true, CampaignStatus::Funded),
            PledgeStatus::Cancelled
        );
    }

    #[test]
    fn the_cap_is_never_exceeded() {
        assert_eq!(check_pledge(CampaignStatus::Live, 9, Some(10), 1), Ok(()));
        assert_eq!(
            check_pledge(CampaignStatus::Live, 9, Some(10), 2),
            Err(PledgeError::SoldOut { left: 1, cap: 10 })
        );
        assert_eq!(
            check_pledge(CampaignStatus::Funded, 0, None, 1),
            Err(PledgeError::Closed)
        );
    }
}
