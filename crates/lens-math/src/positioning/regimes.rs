//! The default regimes of the dynamics assessment: funding per 8 h, simple annualised basis and the 25-delta
//! risk reversal, each read as leaning long, leaning short or neither.
//!
//! Band edges are compared with a tolerance of 1e-12 (in the input's own unit) so that a value that *is* an
//! edge, like 0.01 % per 8 h derived from Hyperliquid's 0.00125 % per hour, is not pushed across it by the last
//! bit of a floating-point product. Venues quote rates to 8 decimals, far coarser than the tolerance.

use crate::error::{Result, ensure_finite};
use crate::market::Side;

const EDGE_TOLERANCE: f64 = 1e-12;

fn above(value: f64, edge: f64) -> bool {
    value > edge + EDGE_TOLERANCE
}

fn below(value: f64, edge: f64) -> bool {
    value < edge - EDGE_TOLERANCE
}

/// Who pays funding and how much, from the rate per 8 h.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FundingRegime {
    /// Below −0.01 % per 8 h.
    ShortsPayHeavily,
    /// From −0.01 % up to (not including) 0.
    ShortsPay,
    /// From 0 to 0.01 %, both included (Binance's baseline sits here).
    Neutral,
    /// Above 0.01 % up to 0.03 %.
    Elevated,
    /// Above 0.03 %.
    Hot,
}

impl FundingRegime {
    /// # Formula
    /// `f < −0.01 %` shorts pay heavily; `−0.01 % ≤ f < 0` shorts pay; `0 ≤ f ≤ 0.01 %` neutral;
    /// `0.01 % < f ≤ 0.03 %` elevated; `f > 0.03 %` hot (f per 8 h, decimal).
    ///
    /// Source: Leverage Lens glossary term 16 (conventions, not laws).
    ///
    /// # Errors
    /// [`MathError::NotFinite`](crate::MathError::NotFinite) for a NaN/∞ rate.
    ///
    /// ```
    /// use lens_math::positioning::FundingRegime;
    /// // Leverage Lens glossary, dynamics assessment: 0.028 % per 8 h is elevated.
    /// assert_eq!(FundingRegime::from_rate_per_8h(0.00028)?, FundingRegime::Elevated);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn from_rate_per_8h(rate_per_8h: f64) -> Result<Self> {
        let f = ensure_finite("funding rate per 8 h", rate_per_8h)?;
        Ok(if below(f, -0.0001) {
            Self::ShortsPayHeavily
        } else if below(f, 0.0) {
            Self::ShortsPay
        } else if !above(f, 0.0001) {
            Self::Neutral
        } else if !above(f, 0.0003) {
            Self::Elevated
        } else {
            Self::Hot
        })
    }

    /// Elevated or hot funding leans long; negative funding leans short.
    pub fn leaning(self) -> Option<Side> {
        match self {
            Self::Elevated | Self::Hot => Some(Side::Long),
            Self::ShortsPay | Self::ShortsPayHeavily => Some(Side::Short),
            Self::Neutral => None,
        }
    }
}

/// How rich dated futures trade, from the simple annualised basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BasisRegime {
    /// Below 0.
    Backwardation,
    /// 0 to 10 % a year, both included.
    Normal,
    /// Above 10 % up to 20 %.
    Rich,
    /// Above 20 %.
    Overheated,
}

impl BasisRegime {
    /// # Formula
    /// `b < 0` backwardation; `0 ≤ b ≤ 10 %` normal; `10 % < b ≤ 20 %` rich; `b > 20 %` overheated
    /// (b = simple annualised basis, decimal per year).
    ///
    /// Source: Leverage Lens glossary term 16.
    ///
    /// # Errors
    /// [`MathError::NotFinite`](crate::MathError::NotFinite) for a NaN/∞ basis.
    ///
    /// ```
    /// use lens_math::positioning::BasisRegime;
    /// // Leverage Lens glossary, dynamics assessment: 6.89 % a year is normal.
    /// assert_eq!(BasisRegime::from_annualised_simple(0.0689)?, BasisRegime::Normal);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn from_annualised_simple(annualised_basis: f64) -> Result<Self> {
        let b = ensure_finite("annualised basis", annualised_basis)?;
        Ok(if below(b, 0.0) {
            Self::Backwardation
        } else if !above(b, 0.10) {
            Self::Normal
        } else if !above(b, 0.20) {
            Self::Rich
        } else {
            Self::Overheated
        })
    }

    /// A rich or overheated basis leans long; backwardation leans short.
    pub fn leaning(self) -> Option<Side> {
        match self {
            Self::Rich | Self::Overheated => Some(Side::Long),
            Self::Backwardation => Some(Side::Short),
            Self::Normal => None,
        }
    }
}

/// Which wing of the option smile is richer, from the 25-delta risk reversal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RiskReversalRegime {
    /// Above +2 volatility points: upside calls cost more.
    CallSkew,
    /// From −2 to +2 points, both included.
    Balanced,
    /// Below −2 points: downside puts cost more.
    PutSkew,
}

impl RiskReversalRegime {
    /// # Formula
    /// `RR25 = IV(25Δ call) − IV(25Δ put)` in volatility points: `> +2` call skew, `< −2` put skew, else balanced.
    ///
    /// Source: Leverage Lens glossary term 16 (about 30 days to expiry).
    ///
    /// # Errors
    /// [`MathError::NotFinite`](crate::MathError::NotFinite) for a NaN/∞ value.
    ///
    /// ```
    /// use lens_math::positioning::RiskReversalRegime;
    /// assert_eq!(RiskReversalRegime::from_vol_points(3.5)?, RiskReversalRegime::CallSkew);
    /// // Leverage Lens glossary, leverage skew: calls 52 %, puts 56 % → RR25 = −4 points.
    /// assert_eq!(RiskReversalRegime::from_vol_points(52.0 - 56.0)?, RiskReversalRegime::PutSkew);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn from_vol_points(risk_reversal_vol_points: f64) -> Result<Self> {
        let rr = ensure_finite("risk reversal", risk_reversal_vol_points)?;
        Ok(if above(rr, 2.0) {
            Self::CallSkew
        } else if below(rr, -2.0) {
            Self::PutSkew
        } else {
            Self::Balanced
        })
    }

    /// Call skew leans long; put skew leans short.
    pub fn leaning(self) -> Option<Side> {
        match self {
            Self::CallSkew => Some(Side::Long),
            Self::PutSkew => Some(Side::Short),
            Self::Balanced => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MathError;
    use crate::funding::FundingRate;

    /// Glossary term 16 bands, edges included exactly as the page states them.
    #[test]
    fn funding_bands_and_edges() {
        let regime = |f| FundingRegime::from_rate_per_8h(f).unwrap();
        assert_eq!(regime(-0.00011), FundingRegime::ShortsPayHeavily);
        assert_eq!(regime(-0.0001), FundingRegime::ShortsPay);
        assert_eq!(regime(-0.00000001), FundingRegime::ShortsPay);
        assert_eq!(regime(0.0), FundingRegime::Neutral);
        assert_eq!(regime(0.0001), FundingRegime::Neutral);
        assert_eq!(regime(0.00010001), FundingRegime::Elevated);
        assert_eq!(regime(0.0003), FundingRegime::Elevated);
        assert_eq!(regime(0.00030001), FundingRegime::Hot);
        // Hyperliquid's hourly 0.00125 % and a 4-hourly 0.005 % are both exactly the 0.01 % edge.
        assert_eq!(
            regime(FundingRate::new(0.0000125, 1.0).unwrap().per_8h()),
            FundingRegime::Neutral
        );
        assert_eq!(
            regime(FundingRate::new(0.00005, 4.0).unwrap().per_8h()),
            FundingRegime::Neutral
        );
        assert_eq!(
            regime(FundingRate::new(0.0000375, 1.0).unwrap().per_8h()),
            FundingRegime::Elevated
        );
    }

    #[test]
    fn basis_bands_and_edges() {
        let regime = |b| BasisRegime::from_annualised_simple(b).unwrap();
        assert_eq!(regime(-0.001), BasisRegime::Backwardation);
        assert_eq!(regime(0.0), BasisRegime::Normal);
        assert_eq!(regime(0.10), BasisRegime::Normal);
        assert_eq!(regime(0.1001), BasisRegime::Rich);
        assert_eq!(regime(0.20), BasisRegime::Rich);
        assert_eq!(regime(0.2001), BasisRegime::Overheated);
    }

    #[test]
    fn risk_reversal_bands_and_edges() {
        let regime = |rr| RiskReversalRegime::from_vol_points(rr).unwrap();
        assert_eq!(regime(2.0), RiskReversalRegime::Balanced);
        assert_eq!(regime(-2.0), RiskReversalRegime::Balanced);
        assert_eq!(regime(2.01), RiskReversalRegime::CallSkew);
        assert_eq!(regime(-2.01), RiskReversalRegime::PutSkew);
    }

    #[test]
    fn leanings_follow_term_16() {
        use FundingRegime as F;
        let funding: Vec<_> = [
            F::ShortsPayHeavily,
            F::ShortsPay,
            F::Neutral,
            F::Elevated,
            F::Hot,
        ]
        .iter()
        .map(|r| r.leaning())
        .collect();
        assert_eq!(
            funding,
            [
                Some(Side::Short),
                Some(Side::Short),
                None,
                Some(Side::Long),
                Some(Side::Long)
            ]
        );
        use BasisRegime as B;
        let basis: Vec<_> = [B::Backwardation, B::Normal, B::Rich, B::Overheated]
            .iter()
            .map(|r| r.leaning())
            .collect();
        assert_eq!(
            basis,
            [Some(Side::Short), None, Some(Side::Long), Some(Side::Long)]
        );
        use RiskReversalRegime as R;
        let skew: Vec<_> = [R::PutSkew, R::Balanced, R::CallSkew]
            .iter()
            .map(|r| r.leaning())
            .collect();
        assert_eq!(skew, [Some(Side::Short), None, Some(Side::Long)]);
    }

    #[test]
    fn non_finite_inputs_are_typed_errors() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                FundingRegime::from_rate_per_8h(bad),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                BasisRegime::from_annualised_simple(bad),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                RiskReversalRegime::from_vol_points(bad),
                Err(MathError::NotFinite { .. })
            ));
        }
    }
}
