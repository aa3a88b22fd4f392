//! Geanakoplos's two-state leverage-cycle economy ("The Leverage Cycle", NBER Macroeconomics Annual 2009,
//! 24:1–65, 2010): agents differ only in how likely they think the good state is; letting optimists borrow
//! against the asset raises its price with no change in anyone's beliefs.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};

/// Terms of a collateralised purchase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PurchaseTerms {
    /// Own cash ÷ asset value.
    pub margin: f64,
    /// Loan ÷ asset value.
    pub loan_to_value: f64,
    /// Asset value ÷ loan (∞ without a loan).
    pub collateral_rate: f64,
    /// Asset value ÷ own cash = 1/margin.
    pub leverage: f64,
}

/// Margin, loan-to-value, collateral rate and leverage of buying `asset_value` with a loan of `loan`.
///
/// # Formula
/// `margin = (A − loan)/A`, `LTV = loan/A`, `collateral rate = A/loan`, `leverage = A/(A − loan) = 1/margin`.
/// Source: Geanakoplos (2010), the house example of the introduction.
///
/// # Errors
/// [`MathError::InvalidParameter`] unless `asset_value > 0` and `0 ≤ loan < asset_value`.
///
/// ```
/// use lens_math::cycles::purchase_terms;
/// let house = purchase_terms(100.0, 80.0)?; // borrow 80, pay 20
/// assert!((house.margin - 0.2).abs() < 1e-12 && (house.leverage - 5.0).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn purchase_terms(asset_value: f64, loan: f64) -> Result<PurchaseTerms> {
    ensure_positive("asset value", asset_value)?;
    ensure_finite("loan", loan)?;
    if !(0.0..asset_value).contains(&loan) {
        return Err(MathError::InvalidParameter {
            name: "loan",
            reason: "must be in [0, asset value)",
        });
    }
    let cash = asset_value - loan;
    Ok(PurchaseTerms {
        margin: cash / asset_value,
        loan_to_value: loan / asset_value,
        collateral_rate: if loan > 0.0 {
            asset_value / loan
        } else {
            f64::INFINITY
        },
        leverage: asset_value / cash,
    })
}

/// An equilibrium of [`TwoStateEconomy`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverageEquilibrium {
    /// `h₁`: agents above it buy every unit, agents below sell.
    pub marginal_buyer: f64,
    /// Asset price `p = down + (up − down)·h₁`.
    pub price: f64,
    /// `1 − h₁`.
    pub buyer_share: f64,
    /// Asset units per buyer: `a/(1 − h₁)`.
    pub units_per_buyer: f64,
    /// Riskless loan per unit: 0 without borrowing, the down payoff with it.
    pub loan_per_unit: f64,
    /// `p/(p − loan)`.
    pub buyer_leverage: f64,
}

/// A continuum of agents `h ∈ [0, 1]`, agent `h` believing the up state has probability `h`; the asset pays
/// `up` or `down`; every agent holds `cash` and `assets` units.
///
/// # Formula
/// Marginal buyer: `p = down + (up − down)·h₁`. Clearing without borrowing: `p·h₁·a = (1 − h₁)·c`; with riskless
/// loans up to `down` per unit: `(p − down)·a = (1 − h₁)(c + p·a)`. Substituting gives
/// `(up − down)·a·h₁² + (c + down·a)·h₁ − K = 0` with `K = c` (no borrowing) or `K = c + down·a` (borrowing),
/// solved by its positive root. Source: Geanakoplos (2010); glossary term 11.
///
/// ```
/// use lens_math::cycles::TwoStateEconomy;
/// let economy = TwoStateEconomy::default(); // up 1, down 0.2, one unit of cash and of the asset each
/// let cash_only = economy.equilibrium_without_borrowing();
/// let levered = economy.equilibrium_with_borrowing();
/// assert!((cash_only.price - 0.677).abs() < 5e-4 && (levered.price - 0.749).abs() < 5e-4);
/// assert!((levered.buyer_leverage - 1.36).abs() < 5e-3);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoStateEconomy {
    up_payoff: f64,
    down_payoff: f64,
    cash_per_agent: f64,
    assets_per_agent: f64,
}

impl Default for TwoStateEconomy {
    /// Geanakoplos's example: payoffs 1 and 0.2, one unit of cash and one of the asset per agent.
    fn default() -> Self {
        Self {
            up_payoff: 1.0,
            down_payoff: 0.2,
            cash_per_agent: 1.0,
            assets_per_agent: 1.0,
        }
    }
}

impl TwoStateEconomy {
    /// # Errors
    /// [`MathError::InvalidParameter`] unless `up > down ≥ 0`, `cash > 0` and `assets > 0`, all finite.
    pub fn new(
        up_payoff: f64,
        down_payoff: f64,
        cash_per_agent: f64,
        assets_per_agent: f64,
    ) -> Result<Self> {
        ensure_finite("down payoff", down_payoff)?;
        ensure_finite("up payoff", up_payoff)?;
        if !(down_payoff >= 0.0 && up_payoff > down_payoff) {
            return Err(MathError::InvalidParameter {
                name: "payoffs",
                reason: "need up > down ≥ 0",
            });
        }
        ensure_positive("cash per agent", cash_per_agent)?;
        ensure_positive("assets per agent", assets_per_agent)?;
        Ok(Self {
            up_payoff,
            down_payoff,
            cash_per_agent,
            assets_per_agent,
        })
    }

    /// Expected payoff for agent `h`: `h·up + (1 − h)·down`.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for `h` outside [0, 1] or NaN.
    pub fn valuation(&self, h: f64) -> Result<f64> {
        if !(0.0..=1.0).contains(&h) {
            return Err(MathError::InvalidParameter {
                name: "agent",
                reason: "must be in [0, 1]",
            });
        }
        Ok(h * self.up_payoff + (1.0 - h) * self.down_payoff)
    }

    /// Buyers pay cash only.
    pub fn equilibrium_without_borrowing(&self) -> LeverageEquilibrium {
        self.solve(self.cash_per_agent, 0.0)
    }

    /// Buyers may borrow up to the down payoff per unit, a loan that is repaid in both states.
    pub fn equilibrium_with_borrowing(&self) -> LeverageEquilibrium {
        self.solve(
            self.cash_per_agent + self.down_payoff * self.assets_per_agent,
            self.down_payoff,
        )
    }

    fn solve(&self, constant: f64, loan_per_unit: f64) -> LeverageEquilibrium {
        let a = (self.up_payoff - self.down_payoff) * self.assets_per_agent;
        let b = self.cash_per_agent + self.down_payoff * self.assets_per_agent;
        // Positive root of a·h² + b·h − K = 0 in the form that avoids cancellation: 2K/(b + √(b² + 4aK)).
        let h = 2.0 * constant / (b + (b * b + 4.0 * a * constant).sqrt());
        let price = self.down_payoff + (self.up_payoff - self.down_payoff) * h;
        LeverageEquilibrium {
            marginal_buyer: h,
            price,
            buyer_share: 1.0 - h,
            units_per_buyer: self.assets_per_agent / (1.0 - h),
            loan_per_unit,
            buyer_leverage: price / (price - loan_per_unit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Glossary "Leverage cycles" (term 11): h₁ = (−1.2 + √4.64)/1.6 ≈ 0.596, p ≈ 0.677, buyers 40.4 %,
    /// 2.48 units each; with borrowing h₁ = (−1.2 + √5.28)/1.6 ≈ 0.686, p ≈ 0.749, 31.4 %, 3.19 units,
    /// leverage 1.36; the price rises 10.6 %. The closed forms are evaluated independently here.
    #[test]
    fn default_economy_matches_geanakoplos_numbers_on_the_page() {
        let economy = TwoStateEconomy::default();
        let cash = economy.equilibrium_without_borrowing();
        let levered = economy.equilibrium_with_borrowing();
        assert!((cash.marginal_buyer - (-1.2 + 4.64f64.sqrt()) / 1.6).abs() < 1e-14);
        assert!((levered.marginal_buyer - (-1.2 + 5.28f64.sqrt()) / 1.6).abs() < 1e-14);
        let rounded = |x: f64, places: i32| (x * 10f64.powi(places)).round() / 10f64.powi(places);
        assert_eq!(
            (rounded(cash.marginal_buyer, 3), rounded(cash.price, 3)),
            (0.596, 0.677)
        );
        assert_eq!(
            (
                rounded(levered.marginal_buyer, 3),
                rounded(levered.price, 3)
            ),
            (0.686, 0.749)
        );
        assert_eq!(
            (
                rounded(cash.buyer_share, 3),
                rounded(levered.buyer_share, 3)
            ),
            (0.404, 0.314)
        );
        assert_eq!(
            (
                rounded(cash.units_per_buyer, 2),
                rounded(levered.units_per_buyer, 2)
            ),
            (2.48, 3.19)
        );
        assert_eq!(
            (cash.buyer_leverage, rounded(levered.buyer_leverage, 2)),
            (1.0, 1.36)
        );
        assert_eq!(rounded(levered.price / cash.price - 1.0, 3), 0.106);
        assert!((economy.valuation(0.5).unwrap() - 0.6).abs() < 1e-15); // the median agent
    }

    /// Geanakoplos (2010) introduction: a 100 house bought with 80 borrowed has margin 20 %, LTV 80 %,
    /// collateral rate 125 % and leverage 5.
    #[test]
    fn house_example_terms() {
        let t = purchase_terms(100.0, 80.0).unwrap();
        assert!((t.margin - 0.2).abs() < 1e-12 && (t.loan_to_value - 0.8).abs() < 1e-12);
        assert!((t.collateral_rate - 1.25).abs() < 1e-12 && (t.leverage - 5.0).abs() < 1e-12);
        assert_eq!(purchase_terms(100.0, 0.0).unwrap().leverage, 1.0);
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        assert!(TwoStateEconomy::new(0.2, 0.2, 1.0, 1.0).is_err());
        assert!(TwoStateEconomy::new(1.0, -0.1, 1.0, 1.0).is_err());
        assert!(TwoStateEconomy::new(f64::NAN, 0.2, 1.0, 1.0).is_err());
        assert!(TwoStateEconomy::new(f64::INFINITY, 0.2, 1.0, 1.0).is_err());
        assert!(TwoStateEconomy::new(1.0, 0.2, 0.0, 1.0).is_err());
        assert!(TwoStateEconomy::new(1.0, 0.2, 1.0, f64::NAN).is_err());
        assert!(TwoStateEconomy::default().valuation(1.5).is_err());
        assert!(TwoStateEconomy::default().valuation(f64::NAN).is_err());
        assert!(purchase_terms(0.0, 0.0).is_err() && purchase_terms(100.0, 100.0).is_err());
        assert!(purchase_terms(100.0, -1.0).is_err() && purchase_terms(100.0, f64::NAN).is_err());
    }

    proptest! {
        /// Both clearing conditions and the marginal-buyer condition hold at the solution, borrowing never
        /// lowers the price, and the marginal buyer lies strictly inside (0, 1).
        #[test]
        fn equilibria_satisfy_their_defining_equations(
            down in 0.0f64..5.0, spread in 0.01f64..5.0, cash in 0.01f64..10.0, assets in 0.01f64..10.0,
        ) {
            let up = down + spread;
            let economy = TwoStateEconomy::new(up, down, cash, assets).unwrap();
            let e0 = economy.equilibrium_without_borrowing();
            let e1 = economy.equilibrium_with_borrowing();
            for e in [e0, e1] {
                prop_assert!(e.marginal_buyer > 0.0 && e.marginal_buyer < 1.0);
                prop_assert!((e.price - economy.valuation(e.marginal_buyer).unwrap()).abs() < 1e-9 * up);
            }
            let h0 = e0.marginal_buyer;
            prop_assert!((e0.price * h0 * assets - (1.0 - h0) * cash).abs() < 1e-9 * (cash + up * assets));
            let h1 = e1.marginal_buyer;
            prop_assert!(((e1.price - down) * assets - (1.0 - h1) * (cash + e1.price * assets)).abs() < 1e-9 * (cash + up * assets));
            prop_assert!(e1.price >= e0.price - 1e-12);
        }
    }
}
