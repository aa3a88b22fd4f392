//! Eisenberg & Noe, "Systemic Risk in Financial Systems", Management Science 47(2):236–249, 2001.
//!
//! Firms owe each other nominal amounts `L_ij`; each pays in full if it can, otherwise everything it has, split
//! pro rata. The clearing vector is a fixed point of a monotone map, so iterating from full payment reaches the
//! greatest one; the fictitious default algorithm reaches the same one in at most n + 1 rounds of linear solves.

use super::flatten_square;
use crate::error::{MathError, Result, ensure_all_finite};

/// A clearing result: payments, equity and when each firm defaulted.
#[derive(Debug, Clone, PartialEq)]
pub struct Clearing {
    /// `p*_i`: what firm `i` pays in total on its interbank debt.
    pub payments: Vec<f64>,
    /// `e_i + Σ_j Π_ji p*_j − p*_i`.
    pub equity: Vec<f64>,
    /// Round (1-based) in which the firm first fell short: fictitious-default round, or sweep of the iteration.
    pub default_round: Vec<Option<usize>>,
    /// Rounds (or sweeps) the method took.
    pub rounds: usize,
}

impl Clearing {
    /// Defaulted firms as `(firm, round)`, earliest first: firms that default later fail because of others.
    pub fn default_order(&self) -> Vec<(usize, usize)> {
        let mut order: Vec<(usize, usize)> = self
            .default_round
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
            .collect();
        crate::sort::sort_by_key(&mut order, |&(i, r)| (r, i));
        order
    }
}

/// An interbank network: liabilities `L` (row `i` owes column `j`) and net external assets `e`.
///
/// # Formula
/// `p̄_i = Σ_j L_ij`, `Π_ij = L_ij/p̄_i` (0 if `p̄_i = 0`), clearing `p* = min(p̄, max(0, e + Πᵀp*))`,
/// `Equity_i = e_i + Σ_j Π_ji p*_j − p*_i`; `e` = external assets − external liabilities, which rank senior.
/// Source: Eisenberg & Noe (2001); glossary term 10.
///
/// ```
/// use lens_math::contagion::ClearingNetwork;
/// // Barucca's exercise after a 10 % cut to external assets: e = [1, 0, 1].
/// let l = vec![vec![0.0, 4.0, 0.0], vec![0.0, 0.0, 3.0], vec![2.0, 0.0, 0.0]];
/// let net = ClearingNetwork::from_balance_sheets(&l, &[18.0, 18.0, 9.0], &[17.0, 18.0, 8.0])?;
/// let clearing = net.clearing_by_fictitious_default()?;
/// assert_eq!(clearing.payments, vec![3.0, 3.0, 2.0]);
/// assert_eq!(clearing.equity, vec![0.0, 0.0, 2.0]);
/// assert_eq!(clearing.default_order(), vec![(0, 1)]);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ClearingNetwork {
    n: usize,
    /// Row-major `Π`.
    relative_liabilities: Vec<f64>,
    obligations: Vec<f64>,
    external: Vec<f64>,
}

impl ClearingNetwork {
    /// A network from liabilities and net external assets `e` (may be negative).
    ///
    /// # Errors
    /// [`MathError::LengthMismatch`] unless `L` is n×n with n = `external.len()`; [`MathError::NotFinite`] for
    /// NaN/∞; [`MathError::InvalidParameter`] for negative liabilities, a non-zero diagonal, or no firms.
    pub fn new(liabilities: &[Vec<f64>], external: &[f64]) -> Result<Self> {
        let n = external.len();
        if n == 0 {
            return Err(MathError::InvalidParameter {
                name: "network",
                reason: "needs at least one firm",
            });
        }
        ensure_all_finite("external assets", external)?;
        let flat = flatten_square("liabilities", liabilities, n)?;
        let obligations: Vec<f64> = flat.chunks_exact(n).map(|row| row.iter().sum()).collect();
        if obligations.iter().any(|p| !p.is_finite()) {
            return Err(MathError::NotFinite {
                name: "total obligations",
            });
        }
        let relative_liabilities = flat
            .chunks_exact(n)
            .zip(&obligations)
            .flat_map(|(row, &total)| {
                row.iter()
                    .map(move |&l| if total > 0.0 { l / total } else { 0.0 })
            })
            .collect();
        Ok(Self {
            n,
            relative_liabilities,
            obligations,
            external: external.to_vec(),
        })
    }

    /// A network from gross balance sheets: `e = external_assets − external_liabilities`.
    ///
    /// # Errors
    /// As [`ClearingNetwork::new`], plus [`MathError::LengthMismatch`] between the two vectors.
    pub fn from_balance_sheets(
        liabilities: &[Vec<f64>],
        external_assets: &[f64],
        external_liabilities: &[f64],
    ) -> Result<Self> {
        if external_assets.len() != external_liabilities.len() {
            return Err(MathError::LengthMismatch {
                left: external_assets.len(),
                right: external_liabilities.len(),
            });
        }
        ensure_all_finite("external assets", external_assets)?;
        ensure_all_finite("external liabilities", external_liabilities)?;
        let e: Vec<f64> = external_assets
            .iter()
            .zip(external_liabilities)
            .map(|(a, l)| a - l)
            .collect();
        Self::new(liabilities, &e)
    }

    /// Number of firms.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the network has no firms (never true once built).
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// `p̄`: each firm's total interbank debt.
    pub fn obligations(&self) -> &[f64] {
        &self.obligations
    }

    /// `e`: net external assets of each firm.
    pub fn external(&self) -> &[f64] {
        &self.external
    }

    fn pi(&self, from: usize, to: usize) -> f64 {
        self.relative_liabilities
            .get(from * self.n + to)
            .copied()
            .unwrap_or(0.0)
    }

    /// `e + Πᵀp`: what each firm has to pay with, given everyone's payments `p`.
    fn available(&self, payments: &[f64]) -> Vec<f64> {
        let mut value = self.external.clone();
        for (row, &p) in self.relative_liabilities.chunks_exact(self.n).zip(payments) {
            for (v, &share) in value.iter_mut().zip(row) {
                *v += share * p;
            }
        }
        value
    }

    fn equity(&self, payments: &[f64]) -> Vec<f64> {
        self.available(payments)
            .iter()
            .zip(payments)
            .map(|(v, p)| v - p)
            .collect()
    }

    /// Absolute slack used to compare money amounts: 10⁻¹² of the largest amount in the network.
    fn slack(&self) -> f64 {
        let scale = self
            .obligations
            .iter()
            .chain(&self.external)
            .fold(1.0f64, |m, x| m.max(x.abs()));
        1e-12 * scale
    }

    /// Greatest clearing vector by iterating `p ← min(p̄, max(0, e + Πᵀp))` from `p = p̄` until no payment moves
    /// by more than `tolerance` × the largest amount in the network.
    ///
    /// # Formula
    /// The map is monotone and `p̄` is its largest point, so the iterates decrease to the greatest fixed point
    /// (Tarski; Eisenberg & Noe 2001, Theorem 1). `O(n²)` per sweep.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a tolerance that is not positive; [`MathError::NoConvergence`] after
    /// `max_sweeps` sweeps.
    ///
    /// ```
    /// use lens_math::contagion::ClearingNetwork;
    /// // A ring with no outside cash: every c·(1, 1, 1) with c in [0, 10] clears; the greatest is 10s.
    /// let ring = vec![vec![0.0, 10.0, 0.0], vec![0.0, 0.0, 10.0], vec![10.0, 0.0, 0.0]];
    /// let clearing = ClearingNetwork::new(&ring, &[0.0; 3])?.clearing_by_iteration(1e-12, 1_000)?;
    /// assert_eq!(clearing.payments, vec![10.0; 3]);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn clearing_by_iteration(&self, tolerance: f64, max_sweeps: usize) -> Result<Clearing> {
        if !(tolerance.is_finite() && tolerance > 0.0) {
            return Err(MathError::InvalidParameter {
                name: "tolerance",
                reason: "must be a positive finite number",
            });
        }
        let scale = self
            .obligations
            .iter()
            .chain(&self.external)
            .fold(1.0f64, |m, x| m.max(x.abs()));
        let (step_limit, slack) = (tolerance * scale, self.slack());
        let mut payments = self.obligations.clone();
        let mut default_round = vec![None; self.n];
        for sweep in 1..=max_sweeps {
            let available = self.available(&payments);
            let mut largest_step = 0.0f64;
            for (i, (p, (&v, &owed))) in payments
                .iter_mut()
                .zip(available.iter().zip(&self.obligations))
                .enumerate()
            {
                let next = v.max(0.0).min(owed);
                largest_step = largest_step.max((*p - next).abs());
                *p = next;
                if next < owed - slack
                    && let Some(round) = default_round.get_mut(i)
                {
                    round.get_or_insert(sweep);
                }
            }
            if largest_step <= step_limit {
                let equity = self.equity(&payments);
                return Ok(Clearing {
                    payments,
                    equity,
                    default_round,
                    rounds: sweep,
                });
            }
        }
        Err(MathError::NoConvergence {
            what: "Eisenberg–Noe payment iteration",
        })
    }

    /// Greatest clearing vector by the fictitious default algorithm.
    ///
    /// # Formula
    /// Start with everyone solvent (`p = p̄`). Each round, firms whose available `e_i + Σ_j Π_ji p_j` falls
    /// below `p̄_i` join the defaulters `D`; the defaulters then pay what they have, found by solving
    /// `p_D = e_D + Π_SDᵀ p̄_S + Π_DDᵀ p_D` by Gaussian elimination with partial pivoting. Stop when a round adds
    /// no defaulter: at most `n + 1` rounds (Eisenberg & Noe 2001, §3). A defaulter whose senior external debts
    /// exceed everything it receives (possible when some `e_i < 0`) pays 0 instead: within a round the paying
    /// defaulters are grown from none, adding every defaulter with positive value and re-solving, which solves
    /// that linear complementarity problem exactly (Chandrasekaran 1970, for Z-matrices). With every `e_i ≥ 0`
    /// this is one solve per round. `O(n⁴)` at worst, meant for toy networks.
    ///
    /// # Errors
    /// [`MathError::NoConvergence`] if a defaulters' system is singular: a closed cycle of defaulters whose net
    /// outside cash is exactly zero (it cannot happen when every `e_i ≥ 0`).
    pub fn clearing_by_fictitious_default(&self) -> Result<Clearing> {
        let slack = self.slack();
        let mut solvent = vec![true; self.n];
        let mut default_round = vec![None; self.n];
        let mut payments = self.obligations.clone();
        for round in 1..=self.n + 1 {
            let available = self.available(&payments);
            let mut new_defaults = false;
            for (i, (&v, &owed)) in available.iter().zip(&self.obligations).enumerate() {
                if solvent[i] && owed > 0.0 && v < owed - slack {
                    solvent[i] = false;
                    default_round[i] = Some(round);
                    new_defaults = true;
                }
            }
            if !new_defaults {
                let equity = self.equity(&payments);
                return Ok(Clearing {
                    payments,
                    equity,
                    default_round,
                    rounds: round,
                });
            }
            payments = self.pay_what_defaulters_have(&solvent, slack)?;
        }
        Err(MathError::NoConvergence {
            what: "fictitious default algorithm",
        })
    }

    /// Payments when `solvent` firms pay `p̄` and every other firm pays `max(0, its value)`.
    fn pay_what_defaulters_have(&self, solvent: &[bool], slack: f64) -> Result<Vec<f64>> {
        let mut payments: Vec<f64> = solvent
            .iter()
            .zip(&self.obligations)
            .map(|(&s, &owed)| if s { owed } else { 0.0 })
            .collect();
        let mut paying = vec![false; self.n];
        // Each pass adds at least one paying defaulter, so this ends within n passes.
        loop {
            let available = self.available(&payments);
            let mut added = false;
            for i in 0..self.n {
                if !solvent[i] && !paying[i] && available[i] > slack {
                    paying[i] = true;
                    added = true;
                }
            }
            if !added {
                return Ok(payments);
            }
            let payers: Vec<usize> = (0..self.n).filter(|&i| paying[i]).collect();
            for &i in &payers {
                payments[i] = 0.0;
            }
            let d = payers.len();
            let mut matrix = vec![0.0; d * d];
            let mut rhs = vec![0.0; d];
            for (a, &i) in payers.iter().enumerate() {
                // Known part of what i has: e_i plus what solvent firms pay it (other defaulters pay 0 here).
                rhs[a] = self.external[i]
                    + payments
                        .iter()
                        .enumerate()
                        .map(|(j, &p)| self.pi(j, i) * p)
                        .sum::<f64>();
                for (b, &j) in payers.iter().enumerate() {
                    matrix[a * d + b] = if a == b { 1.0 } else { 0.0 } - self.pi(j, i);
                }
            }
            solve_in_place(&mut matrix, &mut rhs).ok_or(MathError::NoConvergence {
                what: "fictitious default algorithm (singular system: closed cycle of defaulters)",
            })?;
            for (&i, &p) in payers.iter().zip(&rhs) {
                payments[i] = p;
            }
        }
    }
}

/// Solves `A·x = b` (A row-major, d×d) in place by Gaussian elimination with partial pivoting; `b` becomes `x`.
/// `None` when a pivot is numerically zero.
fn solve_in_place(a: &mut [f64], b: &mut [f64]) -> Option<()> {
    let d = b.len();
    for col in 0..d {
        let pivot_row =
            (col..d).max_by(|&r, &s| a[r * d + col].abs().total_cmp(&a[s * d + col].abs()))?;
        if a[pivot_row * d + col].abs() < 1e-12 {
            return None;
        }
        if pivot_row != col {
            for k in 0..d {
                a.swap(col * d + k, pivot_row * d + k);
            }
            b.swap(col, pivot_row);
        }
        let pivot = a[col * d + col];
        for row in col + 1..d {
            let factor = a[row * d + col] / pivot;
            if factor != 0.0 {
                for k in col..d {
                    a[row * d + k] -= factor * a[col * d + k];
                }
                b[row] -= factor * b[col];
            }
        }
    }
    for row in (0..d).rev() {
        let known: f64 = (row + 1..d).map(|k| a[row * d + k] * b[k]).sum();
        b[row] = (b[row] - known) / a[row * d + row];
    }
    Some(())
}

#[cfg(test)]
mod tests;
