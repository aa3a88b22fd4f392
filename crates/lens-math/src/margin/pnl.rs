//! P&L of a position sampled on an evenly spaced price grid, for the P&L-versus-price chart. A linear position
//! gives a straight line of slope `d·Q`; an inverse one a hyperbola in coin.

use super::invalid;
use super::position::{InversePosition, LinearPosition};
use crate::error::{MathError, Result, ensure_positive};

/// Largest number of grid points a curve may ask for (a chart needs a few hundred).
pub const MAX_CURVE_POINTS: usize = 100_000;

/// One sample of a P&L curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PnlPoint {
    /// Mark price of the sample.
    pub price: f64,
    /// Unrealised P&L: quote currency for linear positions, coin for inverse ones.
    pub pnl: f64,
    /// `pnl / wallet balance`.
    pub return_on_margin: f64,
}

/// P&L of a linear position at `points` evenly spaced prices from `price_low` to `price_high` inclusive.
///
/// # Formula
/// `P_i = low + i·(high − low)/(n − 1)`, `PnL_i = d·Q·(P_i − EP)`, `RoM_i = PnL_i / W`.
///
/// # Errors
/// [`MathError::InvalidParameter`] unless `0 < price_low < price_high` (finite) and `2 ≤ points ≤`
/// [`MAX_CURVE_POINTS`].
///
/// ```
/// use lens_math::margin::{LinearPosition, linear_pnl_curve};
/// use lens_math::market::Side;
/// let p = LinearPosition::with_leverage(Side::Long, 4.0, 65_000.0, 10.0)?;
/// let curve = linear_pnl_curve(&p, 64_350.0, 65_650.0, 3)?;
/// assert!((curve[2].pnl - 2_600.0).abs() < 1e-9);
/// assert!((curve[0].return_on_margin + 0.10).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn linear_pnl_curve(
    position: &LinearPosition,
    price_low: f64,
    price_high: f64,
    points: usize,
) -> Result<Vec<PnlPoint>> {
    sample_curve(
        price_low,
        price_high,
        points,
        position.wallet_balance(),
        |p| position.pnl_unchecked(p),
    )
}

/// P&L in coin of an inverse position at `points` evenly spaced prices from `price_low` to `price_high`.
///
/// # Formula
/// `PnL_i = d·Q_usd·(1/EP − 1/P_i)` (coin), `RoM_i = PnL_i / W_coin`.
///
/// # Errors
/// As [`linear_pnl_curve`].
///
/// ```
/// use lens_math::margin::{InversePosition, inverse_pnl_curve};
/// use lens_math::market::Side;
/// let p = InversePosition::new(Side::Short, 60_000.0, 50_000.0, 0.12)?;
/// let curve = inverse_pnl_curve(&p, 40_000.0, 60_000.0, 3)?;
/// // Short: at 40,000 it gains 60,000 × (1/40,000 − 1/50,000) = 0.3 BTC; at 60,000 it loses 0.2 BTC.
/// assert!((curve[0].pnl - 0.3).abs() < 1e-12);
/// assert!((curve[2].pnl + 0.2).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn inverse_pnl_curve(
    position: &InversePosition,
    price_low: f64,
    price_high: f64,
    points: usize,
) -> Result<Vec<PnlPoint>> {
    sample_curve(
        price_low,
        price_high,
        points,
        position.wallet_balance_coin(),
        |p| position.pnl_unchecked(p),
    )
}

fn sample_curve(
    price_low: f64,
    price_high: f64,
    points: usize,
    wallet: f64,
    pnl_at: impl Fn(f64) -> f64,
) -> Result<Vec<PnlPoint>> {
    let low = ensure_positive("price_low", price_low)?;
    let high = ensure_positive("price_high", price_high)?;
    if high <= low {
        return Err(invalid("price_high", "must exceed price_low"));
    }
    if points < 2 {
        return Err(MathError::NotEnoughData {
            needed: 2,
            got: points,
        });
    }
    if points > MAX_CURVE_POINTS {
        return Err(invalid("points", "too many points for a curve"));
    }
    let step = (high - low) / (points - 1) as f64;
    Ok((0..points)
        .map(|i| {
            // The last point is pinned to `high` so rounding in the step never leaves the requested range.
            let price = if i + 1 == points {
                high
            } else {
                low + i as f64 * step
            };
            let pnl = pnl_at(price);
            PnlPoint {
                price,
                pnl,
                return_on_margin: pnl / wallet,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::Side;
    use proptest::prelude::*;

    /// Leverage-mechanics page: 4 BTC long at 65,000 with 10× — a 1 % rise to 65,650 adds 2,600 USDT, 10 % of
    /// the 26,000 USDT margin; the line is straight with slope Q.
    #[test]
    fn linear_curve_matches_leverage_mechanics_page() {
        let p = LinearPosition::with_leverage(Side::Long, 4.0, 65_000.0, 10.0).unwrap();
        let curve = linear_pnl_curve(&p, 60_000.0, 70_000.0, 101).unwrap();
        assert_eq!(curve.len(), 101);
        assert_eq!(curve[100].price, 70_000.0);
        let at = curve
            .iter()
            .find(|c| (c.price - 65_600.0).abs() < 1e-6)
            .unwrap();
        assert!((at.pnl - 2_400.0).abs() < 1e-6);
        for w in curve.windows(2) {
            let slope = (w[1].pnl - w[0].pnl) / (w[1].price - w[0].price);
            assert!((slope - 4.0).abs() < 1e-9);
        }
        assert!((p.return_on_margin_at(65_650.0).unwrap() - 0.10).abs() < 1e-12);
    }

    /// Hand-checked inverse short: 60,000 USD from 50,000; at 40,000 it gains 60,000 × (1/40,000 − 1/50,000) =
    /// 0.3 BTC, 2.5× its 0.12 BTC margin.
    #[test]
    fn inverse_short_gains_coin_as_price_falls() {
        let p = InversePosition::new(Side::Short, 60_000.0, 50_000.0, 0.12).unwrap();
        let curve = inverse_pnl_curve(&p, 40_000.0, 50_000.0, 2).unwrap();
        assert!((curve[0].pnl - 0.3).abs() < 1e-12);
        assert!((curve[0].return_on_margin - 2.5).abs() < 1e-12);
        assert!(curve[1].pnl.abs() < 1e-15);
    }

    #[test]
    fn bad_grids_and_positions_are_typed_errors() {
        let p = LinearPosition::with_leverage(Side::Long, 1.0, 100.0, 2.0).unwrap();
        let inv = InversePosition::new(Side::Long, 100.0, 100.0, 0.5).unwrap();
        for (lo, hi, n) in [
            (f64::NAN, 2.0, 3),
            (1.0, f64::INFINITY, 3),
            (2.0, 1.0, 3),
            (0.0, 1.0, 3),
            (1.0, 2.0, 1),
        ] {
            assert!(linear_pnl_curve(&p, lo, hi, n).is_err());
            assert!(inverse_pnl_curve(&inv, lo, hi, n).is_err());
        }
        assert!(linear_pnl_curve(&p, 1.0, 2.0, MAX_CURVE_POINTS + 1).is_err());
        assert!(p.pnl_at(f64::NAN).is_err());
        assert!(p.pnl_at(-1.0).is_err());
        assert!(inv.pnl_coin_at(0.0).is_err());
        assert!(inv.return_on_margin_at(f64::INFINITY).is_err());
        assert!(LinearPosition::new(Side::Long, 0.0, 100.0, 10.0).is_err());
        assert!(LinearPosition::new(Side::Long, 1.0, f64::NAN, 10.0).is_err());
        assert!(LinearPosition::new(Side::Long, 1.0, 100.0, -10.0).is_err());
        assert!(LinearPosition::with_leverage(Side::Short, 1.0, 100.0, 0.5).is_err());
        assert!(LinearPosition::with_leverage(Side::Short, 1.0, 100.0, f64::NAN).is_err());
        assert!(p.with_added_margin(-1.0).is_err());
        assert!(p.with_added_margin(f64::NAN).is_err());
        assert!(InversePosition::new(Side::Short, 1.0, 0.0, 1.0).is_err());
        assert!(InversePosition::with_leverage(Side::Short, f64::INFINITY, 100.0, 2.0).is_err());
        assert!(inv.with_added_margin(-0.1).is_err());
    }

    proptest! {
        /// Return on margin with wallet = initial margin is `d·L·(P − EP)/EP` (leverage-mechanics formula).
        #[test]
        fn return_on_margin_is_leverage_times_price_change(
            long in any::<bool>(), leverage in 1.0f64..125.0, entry in 1.0f64..1e5, change in -0.5f64..0.5,
        ) {
            let side = if long { Side::Long } else { Side::Short };
            let p = LinearPosition::with_leverage(side, 2.0, entry, leverage).unwrap();
            let price = entry * (1.0 + change);
            let expected = side.sign() * leverage * change;
            prop_assert!((p.return_on_margin_at(price).unwrap() - expected).abs() < 1e-9 * leverage);
        }
    }
}
