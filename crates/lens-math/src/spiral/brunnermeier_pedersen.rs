//! One leveraged holder's loss and margin spirals (Brunnermeier & Pedersen, "Market Liquidity and Funding
//! Liquidity", RFS 22(6), 2009): a margin constraint `A ≤ W/m` forces sales after a loss (loss spiral) or after
//! the margin `m` rises (margin spiral), and the sales move the price against the holder.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};

/// Most rounds [`LossSpiral::run`] takes before reporting [`MathError::NoConvergence`].
const MAX_ROUNDS: usize = 10_000;

/// A sale below this fraction of the starting assets counts as zero (the spiral has settled).
const SETTLED_SALE_FRACTION: f64 = 1e-9;

fn check_margin_rate(margin_rate: f64) -> Result<f64> {
    ensure_positive("margin rate", margin_rate)?;
    if margin_rate > 1.0 {
        return Err(MathError::InvalidParameter {
            name: "margin rate",
            reason: "must be in (0, 1]",
        });
    }
    Ok(margin_rate)
}

/// The static forced sale that restores the margin constraint, with the balance sheet before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarginSale {
    /// Value sold, at today's price (proceeds repay debt).
    pub sale: f64,
    /// `A − sale`.
    pub assets_after: f64,
    /// `D − sale`.
    pub debt_after: f64,
    /// Equity `A − D`, unchanged by the sale.
    pub equity: f64,
    /// `A/W`.
    pub leverage_before: f64,
    /// `(A − sale)/W`.
    pub leverage_after: f64,
}

/// How much a holder with `assets` and `debt` must sell, with no price impact, to meet margin `m`.
///
/// # Formula
/// `W = A − D`, `sale = max(0, A − W/m)`, `D′ = D − sale`, leverage `A/W` before and `(A − sale)/W` after.
/// Source: Brunnermeier, "Deciphering the Liquidity and Credit Crunch 2007–08", JEP 23(1), 2009, as restated
/// in the glossary's deleveraging-spiral example.
///
/// # Errors
/// [`MathError::InvalidParameter`] for assets that are not positive, negative debt, equity that is not
/// positive (nothing left to restore) or a margin rate outside (0, 1]; [`MathError::NotFinite`] for NaN/∞.
///
/// ```
/// use lens_math::spiral::forced_sale_to_meet_margin;
/// // Assets 95, debt 90 after a 5 % drop: restoring 10× means selling 45; at a 20 % margin, 70.
/// assert!((forced_sale_to_meet_margin(95.0, 90.0, 0.10)?.sale - 45.0).abs() < 1e-12);
/// assert!((forced_sale_to_meet_margin(95.0, 90.0, 0.20)?.sale - 70.0).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn forced_sale_to_meet_margin(assets: f64, debt: f64, margin_rate: f64) -> Result<MarginSale> {
    ensure_positive("assets", assets)?;
    ensure_finite("debt", debt)?;
    if debt < 0.0 {
        return Err(MathError::InvalidParameter {
            name: "debt",
            reason: "must not be negative",
        });
    }
    let m = check_margin_rate(margin_rate)?;
    let equity = assets - debt;
    if equity <= 0.0 {
        return Err(MathError::InvalidParameter {
            name: "equity",
            reason: "must be positive (assets above debt)",
        });
    }
    let sale = (assets - equity / m).max(0.0);
    Ok(MarginSale {
        sale,
        assets_after: assets - sale,
        debt_after: debt - sale,
        equity,
        leverage_before: assets / equity,
        leverage_after: (assets - sale) / equity,
    })
}

/// One round of [`LossSpiral::run`], in the columns of the glossary table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpiralRound {
    /// 0 for the first round after the shock.
    pub round: usize,
    /// Price index at the start of the round (1 right after the exogenous shock).
    pub price: f64,
    /// Market value of the holding at the start of the round.
    pub assets: f64,
    /// Equity at the start of the round.
    pub equity: f64,
    /// `assets / equity` at the start of the round.
    pub leverage: f64,
    /// Margin requirement `m_r` of this round.
    pub margin_rate: f64,
    /// Value sold in the round, at the round's starting price.
    pub sold: f64,
    /// `P·(1 − λ·sold)`, floored at 0.
    pub price_after: f64,
    /// `W − (A − sold)(P − P′)/P`.
    pub equity_after: f64,
    /// `(A − sold)·P′/P`.
    pub assets_after: f64,
}

/// Result of [`LossSpiral::run`].
#[derive(Debug, Clone, PartialEq)]
pub struct SpiralPath {
    /// Every round that sold something.
    pub rounds: Vec<SpiralRound>,
    /// Price index when the spiral stopped.
    pub final_price: f64,
    /// Assets (market value) when the spiral stopped.
    pub final_assets: f64,
    /// Equity when the spiral stopped (≤ 0 if insolvent).
    pub final_equity: f64,
    /// Sum of the rounds' sales, each at its round's starting price.
    pub total_sold: f64,
    /// Equity reached zero or below: the holder cannot meet the margin at any size.
    pub insolvent: bool,
}

/// A holder who must keep `A ≤ W/m_r`, selling into a market with linear price impact `λ`.
///
/// # Formula
/// Round `r`: `s = max(0, A − W/m_r)`, `P′ = max(0, P·(1 − λ·s))`, `W′ = W − (A − s)(P − P′)/P`,
/// `A′ = (A − s)·P′/P`; start at `P = 1` right after the shock; stop when `s` falls below 10⁻⁹ of the starting
/// assets or when `W′ ≤ 0` (insolvent). The sale happens at the round's starting price and only the kept
/// holding loses value. Source: Brunnermeier & Pedersen (2009) loss and margin spirals, round-by-round form of
/// the glossary (term 8). `λ` and `m` are user parameters, not estimates.
///
/// ```
/// use lens_math::spiral::LossSpiral;
/// let path = LossSpiral::new(0.10, 0.001)?.run(95.0, 5.0)?;
/// assert!((path.final_price - 0.9298).abs() < 5e-5);
/// assert!((path.total_sold - 71.48).abs() < 5e-3);
/// assert!(!path.insolvent);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LossSpiral {
    margin_rates: Vec<f64>,
    price_impact_per_unit: f64,
}

impl LossSpiral {
    /// A constant margin rate `m` in (0, 1] and price impact `λ ≥ 0` (fraction of price per unit sold).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] outside those ranges or for NaN/∞.
    pub fn new(margin_rate: f64, price_impact_per_unit: f64) -> Result<Self> {
        Self::with_margin_schedule(vec![margin_rate], price_impact_per_unit)
    }

    /// Margin rates per round (the last one holds for later rounds): a rising schedule is the margin spiral.
    ///
    /// # Errors
    /// As [`LossSpiral::new`], plus an empty schedule.
    pub fn with_margin_schedule(
        margin_rates: Vec<f64>,
        price_impact_per_unit: f64,
    ) -> Result<Self> {
        if margin_rates.is_empty() {
            return Err(MathError::InvalidParameter {
                name: "margin schedule",
                reason: "must not be empty",
            });
        }
        for &m in &margin_rates {
            check_margin_rate(m)?;
        }
        if !(price_impact_per_unit.is_finite() && price_impact_per_unit >= 0.0) {
            return Err(MathError::InvalidParameter {
                name: "price impact",
                reason: "must be finite and ≥ 0",
            });
        }
        Ok(Self {
            margin_rates,
            price_impact_per_unit,
        })
    }

    fn margin_rate(&self, round: usize) -> f64 {
        self.margin_rates
            .get(round)
            .or(self.margin_rates.last())
            .copied()
            .unwrap_or(1.0)
    }

    /// Runs the rounds from the post-shock balance sheet (`assets` at market value, `equity`).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] unless `assets > 0` and `equity > 0`;
    /// [`MathError::NoConvergence`] if the spiral neither settles nor fails within 10,000 rounds.
    pub fn run(&self, assets: f64, equity: f64) -> Result<SpiralPath> {
        ensure_positive("assets", assets)?;
        ensure_positive("equity", equity)?;
        let settled = SETTLED_SALE_FRACTION * assets;
        let (mut a, mut w, mut p) = (assets, equity, 1.0);
        let mut rounds = Vec::new();
        let mut total_sold = 0.0;
        for round in 0..MAX_ROUNDS {
            let m = self.margin_rate(round);
            let sold = (a - w / m).max(0.0);
            if sold <= settled {
                return Ok(SpiralPath {
                    rounds,
                    final_price: p,
                    final_assets: a,
                    final_equity: w,
                    total_sold,
                    insolvent: false,
                });
            }
            let price_after = (p * (1.0 - self.price_impact_per_unit * sold)).max(0.0);
            let kept = a - sold;
            let equity_after = w - kept * (p - price_after) / p;
            let assets_after = kept * price_after / p;
            rounds.push(SpiralRound {
                round,
                price: p,
                assets: a,
                equity: w,
                leverage: a / w,
                margin_rate: m,
                sold,
                price_after,
                equity_after,
                assets_after,
            });
            total_sold += sold;
            (a, w, p) = (assets_after, equity_after, price_after);
            if w <= 0.0 {
                return Ok(SpiralPath {
                    rounds,
                    final_price: p,
                    final_assets: a,
                    final_equity: w,
                    total_sold,
                    insolvent: true,
                });
            }
        }
        Err(MathError::NoConvergence {
            what: "loss spiral",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Glossary "Leverage deleveraging spiral", balance-sheet table after Brunnermeier (JEP 2009).
    #[test]
    fn static_sales_match_the_brunnermeier_textbook_table() {
        let start = forced_sale_to_meet_margin(100.0, 90.0, 0.10).unwrap();
        assert_eq!(
            (start.sale, start.equity, start.leverage_before),
            (0.0, 10.0, 10.0)
        );
        let loss = forced_sale_to_meet_margin(95.0, 90.0, 0.10).unwrap();
        assert!((loss.leverage_before - 19.0).abs() < 1e-12);
        assert!((loss.sale - 45.0).abs() < 1e-12);
        assert_eq!(
            (
                loss.assets_after,
                loss.debt_after,
                loss.equity,
                loss.leverage_after
            ),
            (50.0, 45.0, 5.0, 10.0)
        );
        let margin = forced_sale_to_meet_margin(95.0, 90.0, 0.20).unwrap();
        assert!((margin.sale - 70.0).abs() < 1e-12);
        assert!(
            (margin.assets_after - 25.0).abs() < 1e-12 && (margin.debt_after - 20.0).abs() < 1e-12
        );
        assert!((margin.leverage_after - 5.0).abs() < 1e-12);
    }

    /// Glossary round table (A₀ 95, W₀ 5, m 10 %, λ 0.001), each number re-derived with python3:
    /// (assets, equity, leverage, sold, price after) per round, rounded as printed on the page.
    #[test]
    fn rounds_match_the_glossary_table_and_settle_near_0_9298() {
        let path = LossSpiral::new(0.10, 0.001)
            .unwrap()
            .run(95.0, 5.0)
            .unwrap();
        let page = [
            (95.00, 5.00, 19.0, 45.00, 0.9550),
            (47.75, 2.75, 17.4, 20.25, 0.9357),
            (26.94, 2.19, 12.3, 5.01, 0.9310),
            (21.82, 2.08, 10.5, 0.99, 0.9301),
            (20.81, 2.06, 10.1, 0.19, 0.9299),
        ];
        for (round, (a, w, lev, sold, p)) in path.rounds.iter().zip(page) {
            assert!((round.assets - a).abs() < 0.005, "round {}", round.round);
            assert!((round.equity - w).abs() < 0.005);
            assert!((round.leverage - lev).abs() < 0.05);
            assert!((round.sold - sold).abs() < 0.005);
            assert!((round.price_after - p).abs() < 0.00005);
        }
        assert!((path.final_price - 0.929_839).abs() < 1e-6);
        assert!((path.total_sold - 71.478_858).abs() < 1e-5);
        assert!((path.final_equity - 2.057_905).abs() < 1e-6);
        assert!((path.final_assets / path.final_equity - 10.0).abs() < 1e-6);
        assert!(!path.insolvent);
    }

    /// Same page: with λ 0.003 the first sale of 45 drops the price 13.5 %; equity 5 − 50 × 0.135 = −1.75.
    #[test]
    fn steeper_impact_makes_the_holder_insolvent_in_round_zero() {
        let path = LossSpiral::new(0.10, 0.003)
            .unwrap()
            .run(95.0, 5.0)
            .unwrap();
        assert!(path.insolvent);
        assert_eq!(path.rounds.len(), 1);
        assert!((path.rounds[0].price_after - 0.865).abs() < 1e-12);
        assert!((path.final_equity + 1.75).abs() < 1e-12);
    }

    /// Hand-checked: margin 20 % from round 0 sells 70 → P 0.93, W = 5 − 25 × 0.07 = 3.25, A = 23.25; a schedule
    /// 10 % → 20 % sells 45 first and then must sell down to 5 × the remaining equity.
    #[test]
    fn rising_margins_force_sales_even_without_further_losses() {
        let path = LossSpiral::new(0.20, 0.001)
            .unwrap()
            .run(95.0, 5.0)
            .unwrap();
        let r0 = path.rounds[0];
        assert!((r0.sold - 70.0).abs() < 1e-12 && (r0.price_after - 0.93).abs() < 1e-12);
        assert!((r0.equity_after - 3.25).abs() < 1e-12 && (r0.assets_after - 23.25).abs() < 1e-12);
        let schedule = LossSpiral::with_margin_schedule(vec![0.10, 0.20], 0.0)
            .unwrap()
            .run(95.0, 5.0)
            .unwrap();
        let sold: Vec<f64> = schedule.rounds.iter().map(|r| r.sold).collect();
        assert_eq!(sold, vec![45.0, 25.0]);
        assert_eq!(schedule.final_assets, 25.0);
    }

    #[test]
    fn a_holder_within_margin_sells_nothing() {
        let path = LossSpiral::new(0.10, 0.01)
            .unwrap()
            .run(50.0, 10.0)
            .unwrap();
        assert!(path.rounds.is_empty() && path.total_sold == 0.0 && path.final_price == 1.0);
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        assert!(forced_sale_to_meet_margin(0.0, 0.0, 0.1).is_err());
        assert!(forced_sale_to_meet_margin(95.0, -1.0, 0.1).is_err());
        assert!(forced_sale_to_meet_margin(95.0, 95.0, 0.1).is_err());
        assert!(matches!(
            forced_sale_to_meet_margin(95.0, f64::NAN, 0.1),
            Err(MathError::NotFinite { .. })
        ));
        for m in [0.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
            assert!(forced_sale_to_meet_margin(95.0, 90.0, m).is_err());
            assert!(LossSpiral::new(m, 0.001).is_err());
        }
        for lambda in [-0.1, f64::NAN, f64::INFINITY] {
            assert!(LossSpiral::new(0.1, lambda).is_err());
        }
        assert!(LossSpiral::with_margin_schedule(vec![], 0.001).is_err());
        let spiral = LossSpiral::new(0.1, 0.001).unwrap();
        for (a, w) in [
            (0.0, 5.0),
            (95.0, 0.0),
            (95.0, -1.0),
            (f64::NAN, 5.0),
            (95.0, f64::INFINITY),
        ] {
            assert!(spiral.run(a, w).is_err(), "{a} {w}");
        }
    }

    proptest! {
        /// Price and equity only fall; a solvent end satisfies the margin constraint; sales never exceed holdings.
        #[test]
        fn spiral_invariants(a in 1.0f64..1_000.0, lev in 1.0f64..50.0, m in 0.01f64..1.0, lambda in 0.0f64..0.01) {
            let w = a / lev;
            let path = LossSpiral::new(m, lambda).unwrap().run(a, w).unwrap();
            prop_assert!(path.rounds.windows(2).all(|r| r[1].price <= r[0].price && r[1].equity <= r[0].equity));
            prop_assert!(path.rounds.iter().all(|r| r.sold <= r.assets && r.price_after >= 0.0));
            if !path.insolvent {
                prop_assert!(path.final_assets <= path.final_equity / m + 1e-9 * a);
            }
        }
    }
}
