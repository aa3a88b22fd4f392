//! Procyclical leverage (Adrian & Shin, "Liquidity and Leverage", Journal of Financial Intermediation 19(3),
//! 2010): a balance sheet that targets a fixed leverage ratio buys after price rises and sells after falls.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};

/// The trade that restores target leverage after a price move, with the balance sheet just after the move.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverageTargetingTrade {
    /// `A′ = A·(1 + R)`.
    pub assets_after_move: f64,
    /// `E′ = A′ − D`.
    pub equity_after_move: f64,
    /// `A′/E′`.
    pub leverage_after_move: f64,
    /// Assets bought with new debt (positive) or sold to repay debt (negative).
    pub trade: f64,
}

/// What a leverage targeter buys or sells after its assets return `asset_return`.
///
/// # Formula
/// `A′ = A·(1 + R)`, `E′ = A′ − D`, leverage `A′/E′`, trade `ΔA = ℓ*·E′ − A′`.
/// Source: Adrian & Shin (2010), the balance-sheet example restated in glossary term 11.
///
/// # Errors
/// [`MathError::InvalidParameter`] for assets or target that are not positive, negative debt, a return at or
/// below −100 %, or equity after the move that is not positive; [`MathError::NotFinite`] for NaN/∞.
///
/// ```
/// use lens_math::cycles::leverage_targeting_trade;
/// // Assets 100, debt 90: a 1 % rise leaves leverage 9.18; getting back to 10 means buying 9.
/// let t = leverage_targeting_trade(100.0, 90.0, 0.01, 10.0)?;
/// assert!((t.trade - 9.0).abs() < 1e-9);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn leverage_targeting_trade(
    assets: f64,
    debt: f64,
    asset_return: f64,
    target_leverage: f64,
) -> Result<LeverageTargetingTrade> {
    ensure_positive("assets", assets)?;
    ensure_finite("debt", debt)?;
    if debt < 0.0 {
        return Err(MathError::InvalidParameter {
            name: "debt",
            reason: "must not be negative",
        });
    }
    ensure_finite("asset return", asset_return)?;
    if asset_return <= -1.0 {
        return Err(MathError::InvalidParameter {
            name: "asset return",
            reason: "must be above −100 %",
        });
    }
    ensure_positive("target leverage", target_leverage)?;
    let assets_after_move = assets * (1.0 + asset_return);
    let equity_after_move = assets_after_move - debt;
    if equity_after_move <= 0.0 {
        return Err(MathError::InvalidParameter {
            name: "equity",
            reason: "is wiped out by the move",
        });
    }
    Ok(LeverageTargetingTrade {
        assets_after_move,
        equity_after_move,
        leverage_after_move: assets_after_move / equity_after_move,
        trade: target_leverage * equity_after_move - assets_after_move,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Glossary term 11, after Adrian & Shin (2010): +1 % → assets 101, equity 11, leverage 9.18, buy 9;
    /// −1 % → equity 9, leverage 11, sell 9.
    #[test]
    fn one_percent_moves_match_the_adrian_shin_example() {
        let up = leverage_targeting_trade(100.0, 90.0, 0.01, 10.0).unwrap();
        assert!(
            (up.assets_after_move - 101.0).abs() < 1e-12
                && (up.equity_after_move - 11.0).abs() < 1e-12
        );
        assert!((up.leverage_after_move - 9.18).abs() < 5e-3);
        assert!((up.trade - 9.0).abs() < 1e-9);
        let down = leverage_targeting_trade(100.0, 90.0, -0.01, 10.0).unwrap();
        assert!((down.leverage_after_move - 11.0).abs() < 1e-9 && (down.trade + 9.0).abs() < 1e-9);
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        assert!(leverage_targeting_trade(0.0, 0.0, 0.0, 10.0).is_err());
        assert!(leverage_targeting_trade(100.0, -1.0, 0.0, 10.0).is_err());
        assert!(leverage_targeting_trade(100.0, 90.0, -1.0, 10.0).is_err());
        assert!(leverage_targeting_trade(100.0, 90.0, -0.2, 10.0).is_err()); // equity wiped out
        assert!(leverage_targeting_trade(100.0, 90.0, f64::NAN, 10.0).is_err());
        assert!(leverage_targeting_trade(100.0, 90.0, 0.01, 0.0).is_err());
        assert!(leverage_targeting_trade(100.0, f64::INFINITY, 0.01, 10.0).is_err());
    }

    proptest! {
        /// With leverage above 1 the demand slopes upward: a rise means buying, a fall selling.
        #[test]
        fn targeting_leverage_above_one_buys_rises_and_sells_falls(lev in 1.01f64..30.0, r in -0.009f64..0.05) {
            let debt = 100.0 - 100.0 / lev;
            let t = leverage_targeting_trade(100.0, debt, r, lev).unwrap();
            prop_assert!(t.trade * r >= 0.0);
            prop_assert!(((t.assets_after_move + t.trade) / t.equity_after_move - lev).abs() < 1e-9 * lev);
        }
    }
}
