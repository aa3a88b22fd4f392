//! What funding costs: one position's payment, the spend of a whole market, rate series on a common 8 h clock,
//! and the open-interest-weighted rate across venues.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::funding::{FundingRate, ensure_interval_hours};
use crate::series::TimeSeries;

/// Funding paid by one position at one funding time, in quote currency.
///
/// # Formula
/// `payment = q × P_mark × F`, with `q` signed (+ long, − short). Positive means the holder pays.
///
/// Source: the payment rule on Binance's and Gate's funding pages; glossary term 3.
///
/// # Errors
/// [`MathError::NotFinite`] for a NaN/∞ quantity or rate, [`MathError::InvalidParameter`] for a mark price that
/// is not positive.
///
/// ```
/// use lens_math::funding::funding_payment;
/// // Leverage Lens glossary, leverage skew: a 2 BTC long at 65,000 USDT with F = 0.03 % pays 39 USDT.
/// assert!((funding_payment(2.0, 65_000.0, 0.0003)? - 39.0).abs() < 1e-9);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn funding_payment(signed_quantity: f64, mark_price: f64, rate: f64) -> Result<f64> {
    let quantity = ensure_finite("position quantity", signed_quantity)?;
    let mark = ensure_positive("mark price", mark_price)?;
    let rate = ensure_finite("funding rate", rate)?;
    ensure_finite("funding payment", quantity * mark * rate)
}

/// Funding paid by the paying side of a whole market, on several clocks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FundingSpend {
    /// USD per funding interval of the venue.
    pub per_interval_usd: f64,
    /// USD per 8 h.
    pub per_8h_usd: f64,
    /// USD per day.
    pub per_day_usd: f64,
    /// USD per 365-day year at a constant rate (simple, not compounded).
    pub per_year_usd: f64,
}

/// Funding spend: what the paying side of a market hands over to keep its positions open.
///
/// # Formula
/// `S = F × OI_USD` per interval; `S_year = F × OI_USD × (24/h) × 365`. Positive means longs pay.
///
/// Source: Leverage Lens glossary term 5 (leverage dependency); annualisation as in `FundingRate::apr_simple`.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a negative or non-finite open interest, [`MathError::NotFinite`] on
/// overflow.
///
/// ```
/// use lens_math::funding::{funding_spend, FundingRate};
/// // Leverage Lens glossary, leverage dependency: 0.01 % per 8 h on 10 bn USD is 1.0 M per 8 h, 1.095 bn a year.
/// let spend = funding_spend(FundingRate::new(0.0001, 8.0)?, 10e9)?;
/// assert!((spend.per_8h_usd - 1.0e6).abs() < 1e-6);
/// assert!((spend.per_year_usd - 1.095e9).abs() < 1e-3);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn funding_spend(rate: FundingRate, open_interest_usd: f64) -> Result<FundingSpend> {
    let oi = ensure_open_interest(open_interest_usd)?;
    let spend = FundingSpend {
        per_interval_usd: rate.rate() * oi,
        per_8h_usd: rate.per_8h() * oi,
        per_day_usd: rate.per_hour() * 24.0 * oi,
        per_year_usd: rate.apr_simple() * oi,
    };
    if spend.per_year_usd.is_finite() && spend.per_interval_usd.is_finite() {
        Ok(spend)
    } else {
        Err(MathError::NotFinite {
            name: "funding spend",
        })
    }
}

/// A funding-rate series quoted per `interval_hours`, re-expressed per 8 h so venues on different clocks
/// compare. Timestamps are kept.
///
/// # Formula
/// `f_8h = f × 8 / h`
///
/// Source: Leverage Lens glossary terms 3, 9 and 17 (convert to per 8 h before comparing or z-scoring).
///
/// # Errors
/// [`MathError::InvalidParameter`] for an interval that is not a positive number of hours,
/// [`MathError::NotFinite`] on overflow.
///
/// ```
/// use lens_math::{funding::funding_series_per_8h, TimeSeries};
/// let hourly = TimeSeries::new(vec![0, 3_600_000], vec![0.0000125, 0.00003])?;
/// let per_8h = funding_series_per_8h(&hourly, 1.0)?;
/// assert!((per_8h.values()[0] - 0.0001).abs() < 1e-18);
/// assert_eq!(per_8h.times_ms(), hourly.times_ms());
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn funding_series_per_8h(rates: &TimeSeries, interval_hours: f64) -> Result<TimeSeries> {
    let factor = 8.0 / ensure_interval_hours(interval_hours)?;
    let values: Vec<f64> = rates.values().iter().map(|r| r * factor).collect();
    if values.iter().any(|v| !v.is_finite()) {
        return Err(MathError::NotFinite {
            name: "funding rate per 8 h",
        });
    }
    Ok(TimeSeries::from_parts_unchecked(
        rates.times_ms().to_vec(),
        values,
    ))
}

/// One venue's funding rate together with its open interest (one side, USD notional).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VenueFunding {
    /// The venue's rate with its own interval.
    pub rate: FundingRate,
    /// One-side open interest, USD notional.
    pub open_interest_usd: f64,
}

/// Open-interest-weighted funding rate across venues, per 8 h.
///
/// # Formula
/// `f̄_8h = Σ_v f_v·(8/h_v)·OI_v / Σ_v OI_v` — each venue converted to per 8 h first.
///
/// Source: Leverage Lens glossary terms 9 and 17 (systemic leverage risk, systemic leverage).
///
/// # Errors
/// [`MathError::NotEnoughData`] for no venues, [`MathError::InvalidParameter`] for a negative or non-finite
/// open interest or a zero total, [`MathError::NotFinite`] on overflow.
///
/// ```
/// use lens_math::funding::{oi_weighted_funding_per_8h, FundingRate, VenueFunding};
/// // Leverage Lens glossary, systemic leverage risk: 10 bn at 0.010 %, 6 bn at 0.015 %, 4 bn at
/// // 0.00125 % per hour → 0.0115 % per 8 h.
/// let venues = [
///     VenueFunding { rate: FundingRate::new(0.000100, 8.0)?, open_interest_usd: 10e9 },
///     VenueFunding { rate: FundingRate::new(0.000150, 8.0)?, open_interest_usd: 6e9 },
///     VenueFunding { rate: FundingRate::new(0.0000125, 1.0)?, open_interest_usd: 4e9 },
/// ];
/// assert!((oi_weighted_funding_per_8h(&venues)? - 0.000115).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn oi_weighted_funding_per_8h(venues: &[VenueFunding]) -> Result<f64> {
    let totals = aggregate_funding(venues.iter().map(|v| (v.rate, v.open_interest_usd)))?;
    Ok(totals.spend_per_8h_usd / totals.open_interest_usd)
}

/// Sums over venues: total open interest (USD) and funding spend per 8 h (USD).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FundingTotals {
    pub open_interest_usd: f64,
    pub spend_per_8h_usd: f64,
}

/// Adds up open interest and per-8 h spend over `(rate, open interest USD)` pairs; the total must be positive.
pub(crate) fn aggregate_funding(
    venues: impl IntoIterator<Item = (FundingRate, f64)>,
) -> Result<FundingTotals> {
    let mut totals = FundingTotals {
        open_interest_usd: 0.0,
        spend_per_8h_usd: 0.0,
    };
    let mut count = 0usize;
    for (rate, open_interest_usd) in venues {
        let oi = ensure_open_interest(open_interest_usd)?;
        totals.open_interest_usd += oi;
        totals.spend_per_8h_usd += rate.per_8h() * oi;
        count += 1;
    }
    if count == 0 {
        return Err(MathError::NotEnoughData { needed: 1, got: 0 });
    }
    if !(totals.open_interest_usd.is_finite() && totals.spend_per_8h_usd.is_finite()) {
        return Err(MathError::NotFinite {
            name: "aggregate funding",
        });
    }
    if totals.open_interest_usd == 0.0 {
        return Err(MathError::InvalidParameter {
            name: "open interest",
            reason: "total is zero, so there is nothing to weight by",
        });
    }
    Ok(totals)
}

fn ensure_open_interest(open_interest_usd: f64) -> Result<f64> {
    if open_interest_usd.is_finite() && open_interest_usd >= 0.0 {
        Ok(open_interest_usd)
    } else {
        Err(MathError::InvalidParameter {
            name: "open interest",
            reason: "must be a finite number ≥ 0",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs().max(1e-300)
    }

    /// Leverage Lens glossary, leverage skew: 2 BTC × 65,000 × 0.03 % = 39 USDT per 8 h; a short receives it.
    #[test]
    fn payment_matches_leverage_skew_page() {
        assert!(close(
            funding_payment(2.0, 65_000.0, 0.0003).unwrap(),
            39.0,
            1e-12
        ));
        assert!(close(
            funding_payment(-2.0, 65_000.0, 0.0003).unwrap(),
            -39.0,
            1e-12
        ));
        assert_eq!(funding_payment(2.0, 65_000.0, 0.0).unwrap(), 0.0);
    }

    /// Leverage Lens glossary, leverage dependency: 10 bn USD at 0.01 % per 8 h → 1.0 M per 8 h, 3.0 M a day,
    /// 1.095 bn a year; at 0.03 % → 3.0 M per 8 h, about 3.29 bn a year.
    #[test]
    fn spend_matches_leverage_dependency_page() {
        let base = funding_spend(FundingRate::new(0.0001, 8.0).unwrap(), 10e9).unwrap();
        assert!(close(base.per_interval_usd, 1.0e6, 1e-12));
        assert!(close(base.per_8h_usd, 1.0e6, 1e-12));
        assert!(close(base.per_day_usd, 3.0e6, 1e-12));
        assert!(close(base.per_year_usd, 1.095e9, 1e-12));
        let hot = funding_spend(FundingRate::new(0.0003, 8.0).unwrap(), 10e9).unwrap();
        assert!(close(hot.per_8h_usd, 3.0e6, 1e-12));
        assert!(close(hot.per_year_usd, 3.285e9, 1e-12));
    }

    /// Leverage Lens glossary, systemic leverage, step 1: venue C pays 0.0030 % per hour on 3.84 bn USD,
    /// 115,200 USD per hour or 921,600 USD per 8 h.
    #[test]
    fn hourly_venue_spend_matches_systemic_leverage_page() {
        let spend = funding_spend(FundingRate::new(0.000030, 1.0).unwrap(), 3.84e9).unwrap();
        assert!(close(spend.per_interval_usd, 115_200.0, 1e-12));
        assert!(close(spend.per_8h_usd, 921_600.0, 1e-12));
    }

    /// Leverage Lens glossary, systemic leverage risk: the OI-weighted average is 0.0115 % per 8 h, about
    /// 12.6 % a year (Python: 0.0115 × 1095 = 12.59 %).
    #[test]
    fn weighted_rate_matches_systemic_leverage_risk_page() {
        let venues = [
            VenueFunding {
                rate: FundingRate::new(0.000100, 8.0).unwrap(),
                open_interest_usd: 10e9,
            },
            VenueFunding {
                rate: FundingRate::new(0.000150, 8.0).unwrap(),
                open_interest_usd: 6e9,
            },
            VenueFunding {
                rate: FundingRate::new(0.0000125, 1.0).unwrap(),
                open_interest_usd: 4e9,
            },
        ];
        let rate = oi_weighted_funding_per_8h(&venues).unwrap();
        assert!(close(rate, 0.000115, 1e-12));
        assert!(close(
            FundingRate::new(rate, 8.0).unwrap().apr_simple(),
            0.125925,
            1e-12
        ));
    }

    #[test]
    fn series_conversion_scales_by_eight_over_the_interval() {
        let four_hourly = TimeSeries::new(vec![0, 14_400_000], vec![0.00005, -0.0001]).unwrap();
        let per_8h = funding_series_per_8h(&four_hourly, 4.0).unwrap();
        assert_eq!(per_8h.values(), &[0.0001, -0.0002]);
        assert_eq!(per_8h.times_ms(), four_hourly.times_ms());
        assert!(
            funding_series_per_8h(&TimeSeries::default(), 8.0)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let rate = FundingRate::new(0.0001, 8.0).unwrap();
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                funding_payment(bad, 1.0, 0.0001),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                funding_payment(1.0, 1.0, bad),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                funding_spend(rate, bad),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        for bad_mark in [0.0, -1.0, f64::NAN] {
            assert!(matches!(
                funding_payment(1.0, bad_mark, 0.0001),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        assert!(matches!(
            funding_spend(rate, -1.0),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            funding_payment(f64::MAX, f64::MAX, 1.0),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            funding_spend(FundingRate::new(f64::MAX, 1.0).unwrap(), f64::MAX),
            Err(MathError::NotFinite { .. })
        ));
        let s = TimeSeries::new(vec![0], vec![f64::MAX]).unwrap();
        for bad_interval in [0.0, -8.0, f64::NAN] {
            assert!(matches!(
                funding_series_per_8h(&s, bad_interval),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        assert!(matches!(
            funding_series_per_8h(&s, 1.0),
            Err(MathError::NotFinite { .. })
        ));
        assert_eq!(
            oi_weighted_funding_per_8h(&[]),
            Err(MathError::NotEnoughData { needed: 1, got: 0 })
        );
        let zero = [VenueFunding {
            rate,
            open_interest_usd: 0.0,
        }];
        assert!(matches!(
            oi_weighted_funding_per_8h(&zero),
            Err(MathError::InvalidParameter { .. })
        ));
        let negative = [VenueFunding {
            rate,
            open_interest_usd: -5.0,
        }];
        assert!(matches!(
            oi_weighted_funding_per_8h(&negative),
            Err(MathError::InvalidParameter { .. })
        ));
    }

    proptest! {
        /// The weighted rate lies between the lowest and highest per-8 h venue rates.
        #[test]
        fn weighted_rate_lies_between_venue_rates(
            venues in prop::collection::vec((-0.003f64..0.003, prop::sample::select(vec![1.0, 4.0, 8.0]), 1.0f64..1e11), 1..8),
        ) {
            let venues: Vec<VenueFunding> = venues
                .into_iter()
                .map(|(r, h, oi)| VenueFunding { rate: FundingRate::new(r, h).unwrap(), open_interest_usd: oi })
                .collect();
            let rate = oi_weighted_funding_per_8h(&venues).unwrap();
            let lo = venues.iter().map(|v| v.rate.per_8h()).fold(f64::INFINITY, f64::min);
            let hi = venues.iter().map(|v| v.rate.per_8h()).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(rate >= lo - 1e-15 && rate <= hi + 1e-15);
        }
    }
}
