//! The open-interest × price quadrant: which side was the more eager one over a window.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::market::Side;

/// What a joint move of open interest (coin units) and price suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OiPriceQuadrant {
    /// OI up, price up.
    NewLongs,
    /// OI down, price up.
    ShortCovering,
    /// OI up, price down.
    NewShorts,
    /// OI down, price down.
    LongLiquidation,
    /// At least one change inside its dead band.
    NoClearRead,
}

impl OiPriceQuadrant {
    /// The side the label is about: long for new longs and long liquidation, short for new shorts and short
    /// covering (glossary term 16); none without a clear read.
    pub fn side(self) -> Option<Side> {
        match self {
            Self::NewLongs | Self::LongLiquidation => Some(Side::Long),
            Self::NewShorts | Self::ShortCovering => Some(Side::Short),
            Self::NoClearRead => None,
        }
    }
}

/// Classifies a window's change in open interest and price into a quadrant, with dead bands around zero.
///
/// # Formula
/// `g_OI = OI_t/OI_{t−w} − 1`, `g_P = P_t/P_{t−w} − 1`; new longs when `g_OI > ε_OI` and `g_P > ε_P`, short
/// covering when `g_OI < −ε_OI` and `g_P > ε_P`, new shorts when `g_OI > ε_OI` and `g_P < −ε_P`, long
/// liquidation when `g_OI < −ε_OI` and `g_P < −ε_P`, otherwise no clear read. All inequalities are strict.
///
/// Source: Leverage Lens glossary term 16 (leverage dynamics assessment); defaults ε_OI = 1 %, ε_P = 0.5 % over
/// 24 h, OI in coin units (USD open interest moves with price and would bias the read).
///
/// ```
/// use lens_math::positioning::{OiPriceQuadrant, QuadrantClassifier};
/// // Leverage Lens glossary, dynamics assessment: OI 88,000 → 91,700 BTC, price 62,080 → 64,000 USD.
/// let quadrant = QuadrantClassifier::default().classify(88_000.0, 91_700.0, 62_080.0, 64_000.0)?;
/// assert_eq!(quadrant, OiPriceQuadrant::NewLongs);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuadrantClassifier {
    oi_dead_band: f64,
    price_dead_band: f64,
}

impl Default for QuadrantClassifier {
    fn default() -> Self {
        Self {
            oi_dead_band: Self::DEFAULT_OI_DEAD_BAND,
            price_dead_band: Self::DEFAULT_PRICE_DEAD_BAND,
        }
    }
}

impl QuadrantClassifier {
    /// 1 %: smaller OI changes are noise.
    pub const DEFAULT_OI_DEAD_BAND: f64 = 0.01;
    /// 0.5 %: smaller price changes are noise.
    pub const DEFAULT_PRICE_DEAD_BAND: f64 = 0.005;

    /// A classifier with dead bands given as fractions (0.01 = 1 %).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a negative or non-finite band.
    pub fn new(oi_dead_band: f64, price_dead_band: f64) -> Result<Self> {
        let check = |name, band: f64| {
            if band.is_finite() && band >= 0.0 {
                Ok(band)
            } else {
                Err(MathError::InvalidParameter {
                    name,
                    reason: "must be a finite fraction ≥ 0",
                })
            }
        };
        Ok(Self {
            oi_dead_band: check("open-interest dead band", oi_dead_band)?,
            price_dead_band: check("price dead band", price_dead_band)?,
        })
    }

    /// Open-interest dead band as a fraction.
    pub fn oi_dead_band(&self) -> f64 {
        self.oi_dead_band
    }

    /// Price dead band as a fraction.
    pub fn price_dead_band(&self) -> f64 {
        self.price_dead_band
    }

    /// Classifies fractional changes `g_OI` and `g_P` (0.042 = +4.2 %).
    ///
    /// # Errors
    /// [`MathError::NotFinite`] for a NaN/∞ change.
    pub fn classify_changes(&self, oi_change: f64, price_change: f64) -> Result<OiPriceQuadrant> {
        let oi = direction(
            ensure_finite("open-interest change", oi_change)?,
            self.oi_dead_band,
        );
        let price = direction(
            ensure_finite("price change", price_change)?,
            self.price_dead_band,
        );
        Ok(quadrant(oi, price))
    }

    /// Classifies from the levels at the start and the end of the window.
    ///
    /// Compares `now − then` with `ε·then` rather than the ratio with ε, so a change of exactly the band (101
    /// vs 100 with ε = 1 %) stays inside it instead of being pushed out by the rounding of 101/100 − 1.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] when a level is not a positive finite number.
    pub fn classify(
        &self,
        oi_then: f64,
        oi_now: f64,
        price_then: f64,
        price_now: f64,
    ) -> Result<OiPriceQuadrant> {
        let oi_then = ensure_positive("open interest (start)", oi_then)?;
        let oi_now = ensure_positive("open interest (end)", oi_now)?;
        let price_then = ensure_positive("price (start)", price_then)?;
        let price_now = ensure_positive("price (end)", price_now)?;
        let oi = direction_of_levels(oi_then, oi_now, self.oi_dead_band);
        let price = direction_of_levels(price_then, price_now, self.price_dead_band);
        Ok(quadrant(oi, price))
    }
}

fn direction(change: f64, band: f64) -> i8 {
    if change > band {
        1
    } else if change < -band {
        -1
    } else {
        0
    }
}

fn direction_of_levels(then: f64, now: f64, band: f64) -> i8 {
    let threshold = band * then;
    let delta = now - then;
    if delta > threshold {
        1
    } else if delta < -threshold {
        -1
    } else {
        0
    }
}

fn quadrant(oi: i8, price: i8) -> OiPriceQuadrant {
    match (oi, price) {
        (1, 1) => OiPriceQuadrant::NewLongs,
        (-1, 1) => OiPriceQuadrant::ShortCovering,
        (1, -1) => OiPriceQuadrant::NewShorts,
        (-1, -1) => OiPriceQuadrant::LongLiquidation,
        _ => OiPriceQuadrant::NoClearRead,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Leverage Lens glossary, dynamics assessment: +4.20 % OI with +3.09 % price is new longs; the contrast
    /// case, 88,000 → 82,700 BTC (−6.02 %) with 62,080 → 60,500 USD (−2.55 %), is long liquidation (Python).
    #[test]
    fn quadrants_match_dynamics_assessment_page() {
        let c = QuadrantClassifier::default();
        assert_eq!(
            c.classify(88_000.0, 91_700.0, 62_080.0, 64_000.0).unwrap(),
            OiPriceQuadrant::NewLongs
        );
        assert_eq!(
            c.classify(88_000.0, 82_700.0, 62_080.0, 60_500.0).unwrap(),
            OiPriceQuadrant::LongLiquidation
        );
        assert_eq!(
            c.classify_changes(0.0420, 0.0309).unwrap(),
            OiPriceQuadrant::NewLongs
        );
        assert_eq!(
            c.classify_changes(-0.0602, -0.0255).unwrap(),
            OiPriceQuadrant::LongLiquidation
        );
    }

    #[test]
    fn each_quadrant_and_its_side() {
        let c = QuadrantClassifier::default();
        let cases = [
            (0.02, 0.01, OiPriceQuadrant::NewLongs, Some(Side::Long)),
            (
                -0.02,
                0.01,
                OiPriceQuadrant::ShortCovering,
                Some(Side::Short),
            ),
            (0.02, -0.01, OiPriceQuadrant::NewShorts, Some(Side::Short)),
            (
                -0.02,
                -0.01,
                OiPriceQuadrant::LongLiquidation,
                Some(Side::Long),
            ),
            (0.005, 0.05, OiPriceQuadrant::NoClearRead, None),
            (0.05, -0.004, OiPriceQuadrant::NoClearRead, None),
        ];
        for (oi, price, expected, side) in cases {
            let q = c.classify_changes(oi, price).unwrap();
            assert_eq!((q, q.side()), (expected, side), "oi {oi}, price {price}");
        }
    }

    /// Term 16: the inequalities are strict, so a change of exactly the dead band is no clear read.
    #[test]
    fn dead_band_edges_are_excluded() {
        let c = QuadrantClassifier::default();
        assert_eq!(
            c.classify(100.0, 101.0, 100.0, 101.0).unwrap(),
            OiPriceQuadrant::NoClearRead
        );
        assert_eq!(
            c.classify(100.0, 102.0, 100.0, 100.5).unwrap(),
            OiPriceQuadrant::NoClearRead
        );
        assert_eq!(
            c.classify(100.0, 99.0, 100.0, 99.0).unwrap(),
            OiPriceQuadrant::NoClearRead
        );
        assert_eq!(
            c.classify(100.0, 101.01, 100.0, 100.51).unwrap(),
            OiPriceQuadrant::NewLongs
        );
        assert_eq!(
            c.classify_changes(0.01, 0.02).unwrap(),
            OiPriceQuadrant::NoClearRead
        );
        let no_bands = QuadrantClassifier::new(0.0, 0.0).unwrap();
        assert_eq!(
            no_bands.classify_changes(1e-9, -1e-9).unwrap(),
            OiPriceQuadrant::NewShorts
        );
        assert_eq!(
            no_bands.classify_changes(0.0, 0.3).unwrap(),
            OiPriceQuadrant::NoClearRead
        );
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        for bad in [-0.01, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                QuadrantClassifier::new(bad, 0.005),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                QuadrantClassifier::new(0.01, bad),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        let c = QuadrantClassifier::default();
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                c.classify_changes(bad, 0.0),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                c.classify_changes(0.0, bad),
                Err(MathError::NotFinite { .. })
            ));
        }
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                c.classify(bad, 1.0, 1.0, 1.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                c.classify(1.0, bad, 1.0, 1.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                c.classify(1.0, 1.0, bad, 1.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                c.classify(1.0, 1.0, 1.0, bad),
                Err(MathError::InvalidParameter { .. })
            ));
        }
    }

    proptest! {
        /// Levels and changes give the same label away from the band edges, and reversing the price move
        /// swaps new longs with new shorts and short covering with long liquidation.
        #[test]
        fn levels_agree_with_changes_and_price_reversal_mirrors(g_oi in -0.2f64..0.2, g_p in -0.2f64..0.2) {
            let c = QuadrantClassifier::default();
            prop_assume!((g_oi.abs() - 0.01).abs() > 1e-9 && (g_p.abs() - 0.005).abs() > 1e-9);
            let from_levels = c.classify(1_000.0, 1_000.0 * (1.0 + g_oi), 50.0, 50.0 * (1.0 + g_p)).unwrap();
            let from_changes = c.classify_changes(g_oi, g_p).unwrap();
            prop_assert_eq!(from_levels, from_changes);
            let mirrored = c.classify_changes(g_oi, -g_p).unwrap();
            let expected = match from_changes {
                OiPriceQuadrant::NewLongs => OiPriceQuadrant::NewShorts,
                OiPriceQuadrant::NewShorts => OiPriceQuadrant::NewLongs,
                OiPriceQuadrant::ShortCovering => OiPriceQuadrant::LongLiquidation,
                OiPriceQuadrant::LongLiquidation => OiPriceQuadrant::ShortCovering,
                OiPriceQuadrant::NoClearRead => OiPriceQuadrant::NoClearRead,
            };
            prop_assert_eq!(mirrored, expected);
        }
    }
}
