//! A named, documented parameter range, and the error that tells the user the range when a
//! value falls outside it.

/// The allowed range of a measurement or design parameter, with its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamRange {
    /// Parameter name as written in design files.
    pub name: &'static str,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Unit shown in messages (`"cm"`, `""` for ratios).
    pub unit: &'static str,
}

/// A value outside its parameter's range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{name} must be between {min} and {max}{sep}{unit}; got {value}{sep}{unit}", sep = if unit.is_empty() { "" } else { " " })]
pub struct ParamError {
    /// The parameter.
    pub name: &'static str,
    /// The value given.
    pub value: f64,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Unit.
    pub unit: &'static str,
}

impl ParamRange {
    /// A range `min..=max`.
    pub const fn new(name: &'static str, min: f64, max: f64, unit: &'static str) -> Self {
        Self {
            name,
            min,
            max,
            unit,
        }
    }

    /// `value` if it lies in the range (NaN never does).
    pub fn check(&self, value: f64) -> Result<f64, ParamError> {
        if value >= self.min && value <= self.max {
            Ok(value)
        } else {
            Err(ParamError {
                name: self.name,
                value,
                min: self.min,
                max: self.max,
                unit: self.unit,
            })
        }
    }
}
