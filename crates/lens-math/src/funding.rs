//! Perpetual funding: normalising a venue's rate to a common interval, annualising it, and the
//! premium → funding rule that Binance, Bybit, Gate and Hyperliquid document.
//!
//! The premium side (premium index, its linearly weighted average, the impact margin notional) lives in
//! `premium.rs`; what funding costs (a position's payment, a market's spend, per-8 h series, the
//! open-interest-weighted rate across venues) in `spend.rs`. Both are re-exported here.
//!
//! Venues pay funding on different clocks (Hyperliquid hourly, Binance and Bybit every 8 h or 4 h for some
//! symbols), so a rate only means something together with its interval. [`FundingRate`] keeps the two together.

use crate::error::{MathError, Result, ensure_finite};

mod premium;
mod spend;

pub use premium::{
    BINANCE_IMPACT_MARGIN_USDT, impact_margin_notional_usdt, linear_weight_sum, premium_index,
    time_weighted_premium,
};
pub(crate) use spend::aggregate_funding;
pub use spend::{
    FundingSpend, VenueFunding, funding_payment, funding_series_per_8h, funding_spend,
    oi_weighted_funding_per_8h,
};

const HOURS_PER_YEAR: f64 = 24.0 * 365.0;

/// Binance's default interest component: 0.03 % a day, i.e. 0.01 % per 8 h.
pub const BINANCE_INTEREST_PER_8H: f64 = 0.0001;

/// The ±0.05 % band of the clamp in the funding formula.
pub const FUNDING_CLAMP_BAND: f64 = 0.0005;

/// A funding rate as a decimal (0.0001 = 0.01 %) paid once per `interval_hours`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FundingRate {
    rate: f64,
    interval_hours: f64,
}

impl FundingRate {
    /// A rate paid every `interval_hours` hours.
    ///
    /// # Errors
    /// [`MathError::NotFinite`] for a NaN/∞ rate, [`MathError::InvalidParameter`] for an interval that is not a
    /// positive number of hours.
    ///
    /// ```
    /// use lens_math::funding::FundingRate;
    /// let hyperliquid = FundingRate::new(0.0000125, 1.0)?;
    /// assert!((hyperliquid.per_8h() - 0.0001).abs() < 1e-15);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(rate: f64, interval_hours: f64) -> Result<Self> {
        let rate = ensure_finite("funding rate", rate)?;
        let interval_hours = ensure_interval_hours(interval_hours)?;
        Ok(Self {
            rate,
            interval_hours,
        })
    }

    /// The rate as the venue quotes it, per its own interval.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Hours between two payments.
    pub fn interval_hours(&self) -> f64 {
        self.interval_hours
    }

    /// The same funding expressed per hour.
    pub fn per_hour(&self) -> f64 {
        self.rate / self.interval_hours
    }

    /// The same funding expressed per 8 hours, the interval most venues quote.
    pub fn per_8h(&self) -> f64 {
        self.per_hour() * 8.0
    }

    /// Simple (not compounded) annual rate.
    ///
    /// # Formula
    /// `APR = rate × (24 / interval_h) × 365`
    ///
    /// Source: the simple annualisation (rate × payments a year) this project uses everywhere; hypo.markets
    /// displays 0.01 % per 8 h and Hyperliquid's 0.00125 % per hour both as 10.95 %.
    ///
    /// ```
    /// use lens_math::funding::FundingRate;
    /// let apr = FundingRate::new(0.0001, 8.0)?.apr_simple();
    /// assert!((apr - 0.1095).abs() < 1e-12);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn apr_simple(&self) -> f64 {
        self.per_hour() * HOURS_PER_YEAR
    }

    /// Annual rate when every payment is reinvested: `(1 + rate)^(payments per year) − 1`.
    /// Label it "compounded" wherever it is shown; the simple APR is the default.
    pub fn apr_compounded(&self) -> f64 {
        let payments_per_year = HOURS_PER_YEAR / self.interval_hours;
        (payments_per_year * self.rate.ln_1p()).exp_m1()
    }
}

/// Rejects a funding interval that is not a positive finite number of hours.
pub(crate) fn ensure_interval_hours(interval_hours: f64) -> Result<f64> {
    if interval_hours.is_finite() && interval_hours > 0.0 {
        Ok(interval_hours)
    } else {
        Err(MathError::InvalidParameter {
            name: "funding interval",
            reason: "must be a positive number of hours",
        })
    }
}

/// Funding for one interval from the average premium index and the interest rate.
///
/// # Formula
/// `F = P + clamp(I − P, −0.05 %, +0.05 %)`
///
/// Source: the generic rule printed on Gate's and Binance's funding pages and used by Bybit and Hyperliquid
/// (Binance's funding documentation). Positive `F` means longs pay shorts.
///
/// # Errors
/// [`MathError::NotFinite`] when the premium or the interest is NaN or infinite.
///
/// ```
/// use lens_math::funding::{funding_from_premium, BINANCE_INTEREST_PER_8H};
/// // A premium of 0.08 % per 8 h leaves the interest band: funding is 0.03 %.
/// let f = funding_from_premium(0.0008, BINANCE_INTEREST_PER_8H)?;
/// assert!((f - 0.0003).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn funding_from_premium(average_premium: f64, interest: f64) -> Result<f64> {
    let p = ensure_finite("premium", average_premium)?;
    let i = ensure_finite("interest", interest)?;
    Ok(p + (i - p).clamp(-FUNDING_CLAMP_BAND, FUNDING_CLAMP_BAND))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// A table derived by hand from Binance's documented rule with its I = 0.01 %.
    #[test]
    fn funding_matches_documented_clamp_table() {
        let table = [
            (0.0004, 0.0001),   // inside the band: F = I
            (0.0008, 0.0003),   // above it: F = P − 0.05 %
            (-0.0002, 0.0001),  // inside the band again
            (-0.0010, -0.0005), // below it: F = P + 0.05 %
            (0.0001, 0.0001),
        ];
        for (premium, expected) in table {
            let f = funding_from_premium(premium, BINANCE_INTEREST_PER_8H).unwrap();
            assert!(
                close(f, expected),
                "premium {premium}: got {f}, expected {expected}"
            );
        }
    }

    /// hypo.markets shows "longs_pay 10.95 %" for 0.01 % per 8 h, and Hyperliquid's 0.00125 % per hour
    /// (1/8 of the same 8 h rate) gives the same APR.
    #[test]
    fn apr_matches_hypo_markets_display_for_8h_and_hourly_venues() {
        let binance = FundingRate::new(0.0001, 8.0).unwrap();
        let hyperliquid = FundingRate::new(0.0000125, 1.0).unwrap();
        assert!(close(binance.apr_simple(), 0.1095));
        assert!(close(hyperliquid.apr_simple(), 0.1095));
        assert!(close(hyperliquid.per_8h(), binance.per_8h()));
    }

    /// Leverage Lens glossary, leverage skew, funding table: F per 8 h → APR 10.95 %, 32.85 %, −54.75 %.
    #[test]
    fn apr_matches_leverage_skew_page_table() {
        for (rate, apr) in [(0.0001, 0.1095), (0.0003, 0.3285), (-0.0005, -0.5475)] {
            assert!(close(
                FundingRate::new(rate, 8.0).unwrap().apr_simple(),
                apr
            ));
        }
    }

    #[test]
    fn compounded_apr_exceeds_simple_for_positive_funding() {
        let r = FundingRate::new(0.0001, 8.0).unwrap();
        // (1.0001)^1095 − 1 = 0.1157139..., computed independently with Python
        assert!((r.apr_compounded() - 0.115_713_96).abs() < 1e-6);
        assert!(r.apr_compounded() > r.apr_simple());
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert_eq!(
            FundingRate::new(f64::NAN, 8.0),
            Err(MathError::NotFinite {
                name: "funding rate"
            })
        );
        assert!(matches!(
            FundingRate::new(0.0001, 0.0),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            FundingRate::new(0.0001, -8.0),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            FundingRate::new(0.0001, f64::INFINITY),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(funding_from_premium(f64::INFINITY, 0.0001).is_err());
        assert!(funding_from_premium(0.0, f64::NAN).is_err());
    }

    proptest! {
        /// APR is linear in the rate: doubling the rate doubles the APR.
        #[test]
        fn apr_is_linear_in_rate(rate in -0.01f64..0.01, hours in prop::sample::select(vec![1.0, 4.0, 8.0])) {
            let one = FundingRate::new(rate, hours).unwrap().apr_simple();
            let two = FundingRate::new(2.0 * rate, hours).unwrap().apr_simple();
            prop_assert!((two - 2.0 * one).abs() < 1e-12);
        }

        /// Funding never strays more than the clamp band from the premium.
        #[test]
        fn funding_stays_within_band_of_premium(p in -0.01f64..0.01, i in -0.001f64..0.001) {
            let f = funding_from_premium(p, i).unwrap();
            prop_assert!((f - p).abs() <= FUNDING_CLAMP_BAND + 1e-15);
        }
    }
}
