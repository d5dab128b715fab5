//! Money in integer Korean won. There are no floating-point values anywhere on a money
//! path: prices, discounts, pledges and settlements are all whole won, and every
//! operation checks for overflow.

use serde::{Deserialize, Serialize};

/// An amount of Korean won (KRW has no minor unit).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Krw(pub i64);

/// Why an amount is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// A price that must be positive was zero or negative.
    #[error("{what} must be a positive whole number of won; got {got}")]
    NotPositive {
        /// Which amount.
        what: &'static str,
        /// What was given.
        got: i64,
    },
    /// The result would not fit in 64 bits.
    #[error("the amount overflows; use smaller quantities or prices")]
    Overflow,
    /// A discount outside 0..=90 percent.
    #[error("a discount is 0 to 90 percent; got {0}")]
    Discount(i64),
}

impl Krw {
    /// A positive price.
    pub fn positive(what: &'static str, won: i64) -> Result<Self, MoneyError> {
        if won > 0 {
            Ok(Self(won))
        } else {
            Err(MoneyError::NotPositive { what, got: won })
        }
    }

    /// This price times a quantity.
    pub fn times(self, quantity: i64) -> Result<Self, MoneyError> {
        self.0
            .checked_mul(quantity)
            .map(Self)
            .ok_or(MoneyError::Overflow)
    }

    /// The sum of two amounts.
    pub fn plus(self, other: Krw) -> Result<Self, MoneyError> {
        self.0
            .checked_add(other.0)
            .map(Self)
            .ok_or(MoneyError::Overflow)
    }

    /// The price after a whole-percent discount (0 to 90). The discount is rounded up to
    /// the whole won, in the buyer's favour: `price - ceil(price * pct / 100)`.
    pub fn discounted(self, pct: i64) -> Result<Self, MoneyError> {
        if !(0..=90).contains(&pct) {
            return Err(MoneyError::Discount(pct));
        }
        let off = self
            .0
            .checked_mul(pct)
            .ok_or(MoneyError::Overflow)?
            .checked_add(99)
            .ok_or(MoneyError::Overflow)?
            / 100;
        Ok(Self(self.0 - off))
    }
}

impl std::fmt::Display for Krw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "₩{sign}{grouped}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discount_rounds_in_the_buyers_favour() {
        assert_eq!(Krw(59_000).discounted(15), Ok(Krw(50_150)));
        assert_eq!(Krw(999).discounted(10), Ok(Krw(899)));
        assert_eq!(Krw(1).discounted(1), Ok(Krw(0)));
        assert_eq!(Krw(1000).discounted(91), Err(MoneyError::Discount(91)));
    }

    #[test]
    fn arithmetic_checks_overflow() {
        assert_eq!(Krw(i64::MAX).times(2), Err(MoneyError::Overflow));
        assert_eq!(Krw(1200).times(3), Ok(Krw(3600)));
        assert!(Krw::positive("price", 0).is_err());
    }

    #[test]
    fn displays_with_grouping() {
        assert_eq!(Krw(1_234_567).to_string(), "₩1,234,567");
        assert_eq!(Krw(500).to_string(), "₩500");
    }
}
