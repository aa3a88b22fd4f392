//! Systemic totals across venues: one-side open interest in USD, aggregate funding spend, the OI-weighted
//! funding rate and open interest against market capitalisation.

use crate::error::{MathError, Result, ensure_positive};
use crate::funding::{FundingRate, aggregate_funding};
use crate::positioning::oi_to_market_cap;

/// One venue's contribution: open interest (coins, one side), its mark price and its funding rate as quoted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VenueExposure {
    /// One-side open interest in coins (convert contracts and inverse USD contracts first).
    pub open_interest_coin: f64,
    /// The venue's mark price, USD per coin.
    pub mark_price_usd: f64,
    /// The venue's current funding rate with its own interval.
    pub funding: FundingRate,
}

/// The market-wide leverage numbers of glossary term 17.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SystemicTotals {
    /// Σ OI_v (coins, one side).
    pub open_interest_coin: f64,
    /// Σ OI_v·P_v (USD, one side).
    pub open_interest_usd: f64,
    /// Σ f_v^8h·OI_v·P_v (USD per 8 h; positive when longs pay in total).
    pub funding_spend_per_8h_usd: f64,
    /// Spend ÷ total OI (decimal per 8 h).
    pub oi_weighted_funding_per_8h: f64,
    /// Total OI USD ÷ (reference price × circulating supply), a fraction.
    pub estimated_leverage: f64,
}

impl SystemicTotals {
    /// The OI-weighted rate as a simple annual rate: `f̄_8h × 3 × 365`.
    pub fn oi_weighted_funding_apr(&self) -> f64 {
        self.oi_weighted_funding_per_8h * 3.0 * 365.0
    }

    /// Funding spend over a 365-day year at constant rates (USD, simple).
    pub fn funding_spend_per_year_usd(&self) -> f64 {
        self.funding_spend_per_8h_usd * 3.0 * 365.0
    }
}

/// Adds up leverage across venues.
///
/// # Formula
/// `OI_tot = Σ OI_v·P_v`; `f_v^8h = f_v·8/h_v`; `D_8h = Σ f_v^8h·OI_v·P_v`; `f̄_8h = D_8h / OI_tot`;
/// `ELR_MC = OI_tot / (P·Q)`.
///
/// Source: Leverage Lens glossary term 17 (systemic leverage).
///
/// # Errors
/// [`MathError::NotEnoughData`] for no venues; [`MathError::InvalidParameter`] for a negative or non-finite
/// open interest, a mark price, reference price or supply that is not positive, or zero total open interest;
/// [`MathError::NotFinite`] on overflow.
///
/// ```
/// use lens_math::funding::FundingRate;
/// use lens_math::positioning::{systemic_totals, VenueExposure};
/// let venues = [
///     VenueExposure { open_interest_coin: 180_000.0, mark_price_usd: 64_000.0, funding: FundingRate::new(0.00012, 8.0)? },
///     VenueExposure { open_interest_coin: 110_000.0, mark_price_usd: 64_000.0, funding: FundingRate::new(0.00020, 8.0)? },
///     VenueExposure { open_interest_coin: 60_000.0, mark_price_usd: 64_000.0, funding: FundingRate::new(0.000030, 1.0)? },
/// ];
/// let totals = systemic_totals(&venues, 64_000.0, 19_800_000.0)?;
/// // Leverage Lens glossary, systemic leverage: 22.40 bn USD, 3,712,000 USD per 8 h, 1.77 %.
/// assert!((totals.open_interest_usd - 22.40e9).abs() < 1.0);
/// assert!((totals.funding_spend_per_8h_usd - 3_712_000.0).abs() < 1e-6);
/// assert!((totals.estimated_leverage - 0.0177).abs() < 5e-5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn systemic_totals(
    venues: &[VenueExposure],
    reference_price_usd: f64,
    circulating_supply_coin: f64,
) -> Result<SystemicTotals> {
    let mut open_interest_coin = 0.0;
    for venue in venues {
        if !(venue.open_interest_coin.is_finite() && venue.open_interest_coin >= 0.0) {
            return Err(MathError::InvalidParameter {
                name: "open interest",
                reason: "must be a finite number ≥ 0",
            });
        }
        let mark = ensure_positive("mark price", venue.mark_price_usd)?;
        if !(venue.open_interest_coin * mark).is_finite() {
            return Err(MathError::NotFinite {
                name: "open interest in USD",
            });
        }
        open_interest_coin += venue.open_interest_coin;
    }
    let totals = aggregate_funding(
        venues
            .iter()
            .map(|v| (v.funding, v.open_interest_coin * v.mark_price_usd)),
    )?;
    let estimated_leverage = oi_to_market_cap(
        totals.open_interest_usd,
        reference_price_usd,
        circulating_supply_coin,
    )?;
    Ok(SystemicTotals {
        open_interest_coin,
        open_interest_usd: totals.open_interest_usd,
        funding_spend_per_8h_usd: totals.spend_per_8h_usd,
        oi_weighted_funding_per_8h: totals.spend_per_8h_usd / totals.open_interest_usd,
        estimated_leverage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn page_venues() -> [VenueExposure; 3] {
        let venue = |oi, rate, hours| VenueExposure {
            open_interest_coin: oi,
            mark_price_usd: 64_000.0,
            funding: FundingRate::new(rate, hours).unwrap(),
        };
        [
            venue(180_000.0, 0.00012, 8.0),
            venue(110_000.0, 0.00020, 8.0),
            venue(60_000.0, 0.000030, 1.0),
        ]
    }

    /// Leverage Lens glossary, systemic leverage, worked example (Python-checked): total OI 22.40 bn USD
    /// (350,000 BTC), spend 3,712,000 USD per 8 h (11,136,000 a day, ~4.06 bn a year), OI-weighted rate
    /// 0.0166 % per 8 h = 18.15 % a year, estimated leverage 22.40 / 1,267.2 = 1.77 %.
    #[test]
    fn totals_match_systemic_leverage_page() {
        let t = systemic_totals(&page_venues(), 64_000.0, 19_800_000.0).unwrap();
        assert_eq!(t.open_interest_coin, 350_000.0);
        assert!((t.open_interest_usd - 22.4e9).abs() < 1e-3);
        assert!((t.funding_spend_per_8h_usd - 3_712_000.0).abs() < 1e-6);
        assert!((t.funding_spend_per_8h_usd * 3.0 - 11_136_000.0).abs() < 1e-6);
        assert_eq!(
            format!("{:.2}", t.funding_spend_per_year_usd() / 1e9),
            "4.06"
        );
        assert!((t.oi_weighted_funding_per_8h - 3_712_000.0 / 22.4e9).abs() < 1e-18);
        assert_eq!(
            format!("{:.4}", t.oi_weighted_funding_per_8h * 100.0),
            "0.0166"
        );
        assert_eq!(
            format!("{:.2}", t.oi_weighted_funding_apr() * 100.0),
            "18.15"
        );
        assert!((t.estimated_leverage - 22.4e9 / 1_267.2e9).abs() < 1e-15);
        assert_eq!(format!("{:.2}", t.estimated_leverage * 100.0), "1.77");
    }

    /// Page step 2: counting both sides by mistake would double the total to 44.80 bn — here, listing every
    /// venue twice doubles OI and spend but leaves the weighted rate unchanged.
    #[test]
    fn double_counting_doubles_totals_but_not_the_rate() {
        let venues = page_venues();
        let doubled: Vec<VenueExposure> = venues.iter().chain(venues.iter()).copied().collect();
        let once = systemic_totals(&venues, 64_000.0, 19_800_000.0).unwrap();
        let twice = systemic_totals(&doubled, 64_000.0, 19_800_000.0).unwrap();
        assert!((twice.open_interest_usd - 44.8e9).abs() < 1e-3);
        assert!((twice.oi_weighted_funding_per_8h - once.oi_weighted_funding_per_8h).abs() < 1e-18);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let good = page_venues();
        assert_eq!(
            systemic_totals(&[], 64_000.0, 1.0),
            Err(MathError::NotEnoughData { needed: 1, got: 0 })
        );
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let mut venues = good;
            venues[1].open_interest_coin = bad;
            assert!(matches!(
                systemic_totals(&venues, 64_000.0, 1.0),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let mut venues = good;
            venues[0].mark_price_usd = bad;
            assert!(matches!(
                systemic_totals(&venues, 64_000.0, 1.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                systemic_totals(&good, bad, 1.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                systemic_totals(&good, 64_000.0, bad),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        let mut empty_book = good;
        for v in &mut empty_book {
            v.open_interest_coin = 0.0;
        }
        assert!(matches!(
            systemic_totals(&empty_book, 64_000.0, 1.0),
            Err(MathError::InvalidParameter { .. })
        ));
        let mut huge = good;
        huge[0].open_interest_coin = f64::MAX;
        assert!(matches!(
            systemic_totals(&huge, 64_000.0, 1.0),
            Err(MathError::NotFinite { .. })
        ));
    }

    proptest! {
        /// With one price everywhere, estimated leverage is the coin share of supply whatever the price.
        #[test]
        fn estimated_leverage_is_price_free(
            ois in prop::collection::vec(1.0f64..1e6, 1..6),
            price in 1.0f64..1e6,
        ) {
            let venues: Vec<VenueExposure> = ois
                .iter()
                .map(|&oi| VenueExposure { open_interest_coin: oi, mark_price_usd: price, funding: FundingRate::new(0.0001, 8.0).unwrap() })
                .collect();
            let t = systemic_totals(&venues, price, 19.8e6).unwrap();
            let coins: f64 = ois.iter().sum();
            prop_assert!((t.estimated_leverage - coins / 19.8e6).abs() <= 1e-12 * (coins / 19.8e6));
            prop_assert!((t.oi_weighted_funding_per_8h - 0.0001).abs() < 1e-15);
        }
    }
}
