//! DebtRank (Battiston, Puliga, Kaushik, Tasca & Caldarelli, "DebtRank: Too Central to Fail?", Sci. Rep. 2:541,
//! 2012): distress, the share of equity lost, passes from a borrower to its lenders in proportion to their
//! exposure, each firm passing its own distress on exactly once.

use super::flatten_square;
use crate::error::{MathError, Result};

/// Distress state of a firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Undistressed,
    /// Passes its distress on in the next step.
    Distressed,
    /// Has passed its distress on; it can still lose more but no longer transmits.
    Inactive,
}

/// Result of [`DebtRankNetwork::run`].
#[derive(Debug, Clone, PartialEq)]
pub struct DebtRankOutcome {
    /// `h_i(T)`: share of each firm's equity lost at the end, in [0, 1].
    pub distress: Vec<f64>,
    /// `h(t)` after each step, starting with the initial shock `h(1)`.
    pub distress_path: Vec<Vec<f64>>,
    /// `R = Σ_j v_j h_j(T) − Σ_j v_j h_j(1)`: loss caused by the network, as a share of total economic value.
    pub debt_rank: f64,
}

/// Exposures, equities and economic weights of a network, ready to propagate any initial shock.
///
/// # Formula
/// `W_ji = min(1, A_ij/E_i)` (impact of `j`'s distress on lender `i`);
/// `h_i(t) = min(1, h_i(t−1) + Σ_{j: s_j(t−1) = D} W_ji·h_j(t−1))`; a firm turns distressed (D) the step its `h`
/// first exceeds 0, inactive (I) the step after, so it transmits once; stop when nobody is distressed;
/// `R = Σ v_j h_j(T) − Σ v_j h_j(1)`. Source: Battiston et al. (2012); glossary term 10.
///
/// ```
/// use lens_math::contagion::DebtRankNetwork;
/// // Chain: bank 1 lent 4 to bank 0 (equity 8), bank 2 lent 3 to bank 1 (equity 6); h₀ = 0.4 on bank 0.
/// let exposures = vec![vec![0.0, 0.0, 0.0], vec![4.0, 0.0, 0.0], vec![0.0, 3.0, 0.0]];
/// let net = DebtRankNetwork::new(&exposures, &[10.0, 8.0, 6.0], &[1.0, 1.0, 1.0])?;
/// let outcome = net.run(&[0.4, 0.0, 0.0])?;
/// assert!((outcome.debt_rank - 0.1).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DebtRankNetwork {
    n: usize,
    /// Row-major `W`, row = distressed firm `j`, column = affected lender `i`.
    impact: Vec<f64>,
    weights: Vec<f64>,
}

impl DebtRankNetwork {
    /// `exposures[i][j]` = what firm `i` lent to firm `j`; `equity` > 0 per firm; `weights` ≥ 0, normalised
    /// here to sum to 1 (e.g. each firm's share of total assets, or equal weights).
    ///
    /// # Errors
    /// [`MathError::LengthMismatch`] for inconsistent sizes; [`MathError::NotFinite`] for NaN/∞;
    /// [`MathError::InvalidParameter`] for negative exposures, a non-zero diagonal, equity that is not positive,
    /// negative weights or weights that are all zero, or no firms.
    pub fn new(exposures: &[Vec<f64>], equity: &[f64], weights: &[f64]) -> Result<Self> {
        let n = equity.len();
        if n == 0 {
            return Err(MathError::InvalidParameter {
                name: "network",
                reason: "needs at least one firm",
            });
        }
        if weights.len() != n {
            return Err(MathError::LengthMismatch {
                left: weights.len(),
                right: n,
            });
        }
        let flat = flatten_square("exposures", exposures, n)?;
        if equity.iter().any(|e| !(e.is_finite() && *e > 0.0)) {
            return Err(MathError::InvalidParameter {
                name: "equity",
                reason: "must be positive and finite",
            });
        }
        if weights.iter().any(|w| !(w.is_finite() && *w >= 0.0)) {
            return Err(MathError::InvalidParameter {
                name: "weights",
                reason: "must be finite and ≥ 0",
            });
        }
        let total: f64 = weights.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(MathError::InvalidParameter {
                name: "weights",
                reason: "must not all be zero",
            });
        }
        // Transpose while dividing: the row of lender i holds A_ij, the impact matrix is read by borrower j.
        let mut impact = vec![0.0; flat.len()];
        for (i, (row, &e)) in flat.chunks_exact(n).zip(equity).enumerate() {
            for (j, &a) in row.iter().enumerate() {
                if let Some(w) = impact.get_mut(j * n + i) {
                    *w = (a / e).min(1.0);
                }
            }
        }
        Ok(Self {
            n,
            impact,
            weights: weights.iter().map(|w| w / total).collect(),
        })
    }

    /// Number of firms.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the network has no firms (never true once built).
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// `W_ji`: share of distress passed from `borrower` to `lender` (0 when out of range).
    pub fn impact(&self, borrower: usize, lender: usize) -> f64 {
        if borrower < self.n && lender < self.n {
            self.impact
                .get(borrower * self.n + lender)
                .copied()
                .unwrap_or(0.0)
        } else {
            0.0
        }
    }

    /// Propagates the initial distress `h(1)` until no firm is distressed.
    ///
    /// # Errors
    /// [`MathError::LengthMismatch`] unless one value per firm; [`MathError::InvalidParameter`] for values
    /// outside [0, 1] or NaN.
    pub fn run(&self, initial_distress: &[f64]) -> Result<DebtRankOutcome> {
        if initial_distress.len() != self.n {
            return Err(MathError::LengthMismatch {
                left: initial_distress.len(),
                right: self.n,
            });
        }
        if initial_distress.iter().any(|h| !(0.0..=1.0).contains(h)) {
            return Err(MathError::InvalidParameter {
                name: "initial distress",
                reason: "must be in [0, 1]",
            });
        }
        let mut h = initial_distress.to_vec();
        let mut state: Vec<State> = h
            .iter()
            .map(|&x| {
                if x > 0.0 {
                    State::Distressed
                } else {
                    State::Undistressed
                }
            })
            .collect();
        let mut path = vec![h.clone()];
        // Each firm is distressed in at most one step, so at most n steps pass distress on.
        while state.contains(&State::Distressed) {
            let mut next = h.clone();
            for (j, (&hj, _)) in h
                .iter()
                .zip(&state)
                .enumerate()
                .filter(|(_, (_, s))| **s == State::Distressed)
            {
                let row = self
                    .impact
                    .get(j * self.n..(j + 1) * self.n)
                    .unwrap_or_default();
                for (hi, &w) in next.iter_mut().zip(row) {
                    *hi += w * hj;
                }
            }
            for (s, hi) in state.iter_mut().zip(next.iter_mut()) {
                *hi = hi.min(1.0);
                *s = match *s {
                    State::Distressed => State::Inactive,
                    State::Undistressed if *hi > 0.0 => State::Distressed,
                    other => other,
                };
            }
            h = next;
            path.push(h.clone());
        }
        let value = |x: &[f64]| x.iter().zip(&self.weights).map(|(h, v)| h * v).sum::<f64>();
        let debt_rank = value(&h) - value(initial_distress);
        Ok(DebtRankOutcome {
            distress: h,
            distress_path: path,
            debt_rank,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain() -> DebtRankNetwork {
        let exposures = vec![
            vec![0.0, 0.0, 0.0],
            vec![4.0, 0.0, 0.0],
            vec![0.0, 3.0, 0.0],
        ];
        DebtRankNetwork::new(&exposures, &[10.0, 8.0, 6.0], &[1.0, 1.0, 1.0]).unwrap()
    }

    /// Glossary "Systemic leverage contagion": W = 4/8 = 0.5 and 3/6 = 0.5; h = 0.4 → 0.2 → 0.1;
    /// R = (0.4 + 0.2 + 0.1)/3 − 0.4/3 = 0.1.
    #[test]
    fn chain_example_matches_the_glossary() {
        let net = chain();
        assert_eq!(
            (net.impact(0, 1), net.impact(1, 2), net.impact(1, 0)),
            (0.5, 0.5, 0.0)
        );
        let outcome = net.run(&[0.4, 0.0, 0.0]).unwrap();
        assert!(
            outcome
                .distress
                .iter()
                .zip([0.4, 0.2, 0.1])
                .all(|(h, e)| (h - e).abs() < 1e-15)
        );
        assert!((outcome.debt_rank - 0.1).abs() < 1e-15);
        // h(1), then one step per link of the chain, then the step in which bank 2 turns inactive.
        assert_eq!(outcome.distress_path.len(), 4);
    }

    /// Battiston et al. (2012): each firm passes distress on once, so a cycle cannot echo distress back forever.
    /// Hand-checked: two firms lent 5 to each other, equity 10 (W = 0.5 both ways), h₀ = (0.4, 0):
    /// firm 1 gets 0.2, passes 0.1 back to firm 0 (now inactive, so it stops): h = (0.5, 0.2), R = 0.35 − 0.2.
    #[test]
    fn distress_is_passed_on_only_once_around_a_cycle() {
        let net = DebtRankNetwork::new(
            &[vec![0.0, 5.0], vec![5.0, 0.0]],
            &[10.0, 10.0],
            &[1.0, 1.0],
        )
        .unwrap();
        let outcome = net.run(&[0.4, 0.0]).unwrap();
        assert!(
            (outcome.distress[0] - 0.5).abs() < 1e-15 && (outcome.distress[1] - 0.2).abs() < 1e-15
        );
        assert!((outcome.debt_rank - 0.15).abs() < 1e-15);
    }

    #[test]
    fn exposures_above_equity_pass_distress_at_most_one_for_one() {
        let net = DebtRankNetwork::new(
            &[vec![0.0, 0.0], vec![50.0, 0.0]],
            &[1.0, 10.0],
            &[1.0, 0.0],
        )
        .unwrap();
        assert_eq!(net.impact(0, 1), 1.0);
        let outcome = net.run(&[1.0, 0.0]).unwrap();
        assert_eq!(outcome.distress, vec![1.0, 1.0]);
        assert_eq!(outcome.debt_rank, 0.0); // all the weight sits on the shocked firm
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        let ok = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
        assert!(DebtRankNetwork::new(&[], &[], &[]).is_err());
        assert!(DebtRankNetwork::new(&ok, &[1.0, 1.0], &[1.0]).is_err());
        assert!(DebtRankNetwork::new(&ok, &[1.0, 0.0], &[1.0, 1.0]).is_err());
        assert!(DebtRankNetwork::new(&ok, &[1.0, f64::NAN], &[1.0, 1.0]).is_err());
        assert!(DebtRankNetwork::new(&ok, &[1.0, 1.0], &[-1.0, 1.0]).is_err());
        assert!(DebtRankNetwork::new(&ok, &[1.0, 1.0], &[0.0, 0.0]).is_err());
        assert!(DebtRankNetwork::new(&ok, &[1.0, 1.0], &[f64::INFINITY, 1.0]).is_err());
        assert!(
            DebtRankNetwork::new(
                &[vec![0.0, f64::NAN], vec![1.0, 0.0]],
                &[1.0, 1.0],
                &[1.0, 1.0]
            )
            .is_err()
        );
        let net = chain();
        assert!(net.run(&[0.4, 0.0]).is_err());
        assert!(net.run(&[1.5, 0.0, 0.0]).is_err());
        assert!(net.run(&[f64::NAN, 0.0, 0.0]).is_err());
        assert_eq!(net.impact(7, 0), 0.0);
    }

    proptest! {
        /// Distress only grows, stays in [0, 1], the network never reduces losses, and propagation ends within
        /// n + 1 steps.
        #[test]
        fn debt_rank_invariants(
            n in 1usize..7, cells in prop::collection::vec(0.0f64..10.0, 49), equity in prop::collection::vec(0.5f64..20.0, 7),
            h0 in prop::collection::vec(0.0f64..=1.0, 7),
        ) {
            let exposures: Vec<Vec<f64>> =
                (0..n).map(|i| (0..n).map(|j| if i == j { 0.0 } else { cells[i * 7 + j] }).collect()).collect();
            let net = DebtRankNetwork::new(&exposures, &equity[..n], &vec![1.0; n]).unwrap();
            let outcome = net.run(&h0[..n]).unwrap();
            prop_assert!(outcome.distress.iter().zip(&h0).all(|(h, h0)| *h >= *h0 && *h <= 1.0));
            prop_assert!(outcome.debt_rank >= 0.0 && outcome.debt_rank <= 1.0);
            prop_assert!(outcome.distress_path.len() <= n + 1);
        }
    }
}
