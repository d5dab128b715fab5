//! Offers and counter-offers between a production company and a designer (step 3).
//!
//! A negotiation is a sequence of offers. Only the party that did *not* make the latest
//! open offer may answer it: accept (the negotiation is agreed and a contract is drawn
//! up), reject (it ends), or counter (the latest offer is superseded by a new one from the
//! other side). The negotiation's status is derived from its offers, never stored.

use serde::Serialize;

/// How an offer was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Accepted: the terms are agreed.
    Accepted,
    /// Rejected: the negotiation ends.
    Rejected,
    /// Countered by a newer offer.
    Countered,
}

impl Response {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Countered => "countered",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Accepted, Self::Rejected, Self::Countered]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// The negotiation's status, derived from its latest offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum NegotiationStatus {
    /// The latest offer awaits an answer from `awaiting`.
    Open {
        /// The organisation that must answer.
        awaiting: String,
    },
    /// Terms agreed.
    Agreed,
    /// Ended without agreement.
    Rejected,
}

/// Why an answer is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NegotiationError {
    /// The answering party made the offer itself.
    #[error("you made the latest offer; wait for the other party to answer it")]
    OwnOffer,
    /// The negotiation has already ended.
    #[error("the negotiation is already {0}; start a new one to change the terms")]
    Closed(&'static str),
}

/// The status after the latest offer, given who made it and how (if) it was answered.
pub fn status(
    latest_from: &str,
    latest_response: Option<Response>,
    company: &str,
    designer: &str,
) -> NegotiationStatus {
    match latest_response {
        Some(Response::Accepted) => NegotiationStatus::Agreed,
        Some(Response::Rejected) => NegotiationStatus::Rejected,
        // A countered offer is never the latest; treat it as open defensively.
        Some(Response::Countered) | None => NegotiationStatus::Open {
            awaiting: if latest_from == company {
                designer.to_string()
            } else {
                company.to_string()
            },
        },
    }
}

/// Checks that `who` may answer the negotiation in its current status.
pub fn may_answer(status: &NegotiationStatus, who: &str) -> Result<(), NegotiationError> {
    match status {
        NegotiationStatus::Open { awaiting } if awaiting == who => Ok(()),
        NegotiationStatus::Open { .. } => Err(NegotiationError::OwnOffer),
        NegotiationStatus::Agreed => Err(NegotiationError::Closed("agreed")),
        NegotiationStatus::Rejected => Err(NegotiationError::Closed("rejected")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_other_party_answers() {
        let s = status("co", None, "co", "de");
        assert_eq!(
            s,
            NegotiationStatus::Open {
                awaiting: "de".into()
            }
        );
        assert_eq!(may_answer(&s, "co"), Err(NegotiationError::OwnOffer));
        assert_eq!(may_answer(&s, "de"), Ok(()));
    }

    #[test]
    fn ended_negotiations_take_no_answers() {
        let s = status("de", Some(Response::Accepted), "co", "de");
        assert_eq!(
            may_answer(&s, "co"),
            Err(NegotiationError::Closed("agreed"))
        );
        let r = status("de", Some(Response::Rejected), "co", "de");
        assert_eq!(r, NegotiationStatus::Rejected);
    }
}
