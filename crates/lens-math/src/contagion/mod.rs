//! Contagion on small, user-editable exposure networks: who can pay what once every debt is settled together
//! (Eisenberg–Noe clearing), and how distress spreads before anyone defaults (DebtRank).
//!
//! | file | what it computes |
//! |---|---|
//! | [`eisenberg_noe`] | the greatest clearing payment vector, by monotone iteration and by the fictitious default algorithm, with the round in which each firm defaults |
//! | [`debt_rank`] | DebtRank (Battiston et al. 2012): the share of system value lost through the network after an initial shock |

pub mod debt_rank;
pub mod eisenberg_noe;

pub use debt_rank::{DebtRankNetwork, DebtRankOutcome};
pub use eisenberg_noe::{Clearing, ClearingNetwork};

use crate::error::{MathError, Result};

/// Checks an n×n matrix (finite, ≥ 0, zero diagonal) and flattens it row-major; `n` must match `expected`.
fn flatten_square(name: &'static str, rows: &[Vec<f64>], expected: usize) -> Result<Vec<f64>> {
    if rows.len() != expected {
        return Err(MathError::LengthMismatch {
            left: rows.len(),
            right: expected,
        });
    }
    let n = rows.len();
    // usize is 32 bits on wasm: size the buffer through u64 so n² cannot wrap.
    let cells = u64::try_from(n)
        .ok()
        .and_then(|n64| n64.checked_mul(n64))
        .and_then(|c| usize::try_from(c).ok())
        .ok_or(MathError::InvalidParameter {
            name,
            reason: "network too large",
        })?;
    let mut flat = Vec::with_capacity(cells);
    for (i, row) in rows.iter().enumerate() {
        if row.len() != n {
            return Err(MathError::LengthMismatch {
                left: row.len(),
                right: n,
            });
        }
        for (j, &x) in row.iter().enumerate() {
            if !x.is_finite() {
                return Err(MathError::NotFinite { name });
            }
            if x < 0.0 {
                return Err(MathError::InvalidParameter {
                    name,
                    reason: "entries must not be negative",
                });
            }
            if i == j && x != 0.0 {
                return Err(MathError::InvalidParameter {
                    name,
                    reason: "a firm cannot owe itself (diagonal must be 0)",
                });
            }
            flat.push(x);
        }
    }
    Ok(flat)
}
