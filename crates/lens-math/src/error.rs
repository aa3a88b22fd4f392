//! The one error type of the crate: every public function that can be handed bad input returns it.

use std::fmt;

/// What went wrong, in words a UI can show.
#[derive(Debug, Clone, PartialEq)]
pub enum MathError {
    /// A parameter is outside the range where the formula means anything (e.g. a zero funding interval).
    InvalidParameter {
        name: &'static str,
        reason: &'static str,
    },
    /// An input value is NaN or infinite.
    NotFinite { name: &'static str },
    /// Two inputs that must have the same length do not.
    LengthMismatch { left: usize, right: usize },
    /// Timestamps are not strictly increasing.
    Unsorted,
    /// Not enough data points for the computation (e.g. a regression on one point).
    NotEnoughData { needed: usize, got: usize },
    /// An iterative method did not converge within its budget.
    NoConvergence { what: &'static str },
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MathError::InvalidParameter { name, reason } => write!(f, "invalid {name}: {reason}"),
            MathError::NotFinite { name } => write!(f, "{name} is not a finite number"),
            MathError::LengthMismatch { left, right } => {
                write!(f, "inputs differ in length ({left} vs {right})")
            }
            MathError::Unsorted => write!(f, "timestamps must be strictly increasing"),
            MathError::NotEnoughData { needed, got } => {
                write!(
                    f,
                    "not enough data: needs at least {needed} points, got {got}"
                )
            }
            MathError::NoConvergence { what } => write!(f, "{what} did not converge"),
        }
    }
}

impl std::error::Error for MathError {}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, MathError>;

/// Rejects NaN and ±∞ with an error that names the input.
pub(crate) fn ensure_finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(MathError::NotFinite { name })
    }
}

/// Rejects anything that is not a finite number > 0.
pub(crate) fn ensure_positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(MathError::InvalidParameter {
            name,
            reason: "must be a positive finite number",
        })
    }
}

/// Rejects slices that hold a NaN or an infinity.
pub(crate) fn ensure_all_finite(name: &'static str, values: &[f64]) -> Result<()> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(MathError::NotFinite { name })
    }
}
