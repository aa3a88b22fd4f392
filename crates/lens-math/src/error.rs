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
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MathError::InvalidParameter { name, reason } => write!(f, "invalid {name}: {reason}"),
            MathError::NotFinite { name } => write!(f, "{name} is not a finite number"),
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
