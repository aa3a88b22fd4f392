//! The one-line verdict of the leverage dynamics assessment: the quadrant label plus how many crowding signals
//! lean toward the side it names.

use crate::error::Result;
use crate::market::Side;
use crate::positioning::{BasisRegime, FundingRegime, OiPriceQuadrant, RiskReversalRegime};

/// The three crowding signals; any of them may be missing (no dated future listed, no option chain…).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CrowdingSignals {
    /// Funding converted to per 8 h (decimal).
    pub funding_per_8h: Option<f64>,
    /// Simple annualised basis of a dated future (decimal per year).
    pub annualised_basis_simple: Option<f64>,
    /// 25-delta risk reversal at about 30 days (volatility points).
    pub risk_reversal_25d_vol_points: Option<f64>,
}

/// The verdict: what happened (quadrant) and how stretched it is (signals on the label's side, out of 3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DynamicsVerdict {
    /// What happened: the OI × price label.
    pub quadrant: OiPriceQuadrant,
    /// Funding regime, when funding was given.
    pub funding: Option<FundingRegime>,
    /// Basis regime, when a basis was given.
    pub basis: Option<BasisRegime>,
    /// Risk-reversal regime, when a risk reversal was given.
    pub risk_reversal: Option<RiskReversalRegime>,
    /// Signals leaning long.
    pub long_signals: u8,
    /// Signals leaning short.
    pub short_signals: u8,
    /// Signals that were given (the rest count as not leaning).
    pub available_signals: u8,
    /// The label's side; without a clear quadrant, the side with more signals (`None` on a tie).
    pub side: Option<Side>,
    /// Signals leaning toward `side` (0 when there is no side): the "n" of "n of 3".
    pub signals_on_side: u8,
}

impl DynamicsVerdict {
    /// The "3" of "n of 3".
    pub const SIGNALS_TOTAL: u8 = 3;
}

/// Combines the quadrant with the crowding signals into the assessment's verdict.
///
/// # Formula
/// Each signal is mapped to its regime; elevated/hot funding, rich/overheated basis and call skew lean long,
/// negative funding, backwardation and put skew lean short. The verdict's side is long for new longs and long
/// liquidation, short for new shorts and short covering; with no clear quadrant it is the side with more
/// signals. The count is the number of signals on that side, out of 3.
///
/// Source: Leverage Lens glossary term 16 (leverage dynamics assessment).
///
/// # Errors
/// [`MathError::NotFinite`](crate::MathError::NotFinite) for a NaN/∞ signal.
///
/// ```
/// use lens_math::market::Side;
/// use lens_math::positioning::{assess_dynamics, CrowdingSignals, OiPriceQuadrant};
/// // Leverage Lens glossary, dynamics assessment: new longs; funding 0.028 % and RR +3.5 lean long, basis
/// // 6.89 % is normal → 2 of 3 on the long side.
/// let signals = CrowdingSignals {
///     funding_per_8h: Some(0.00028),
///     annualised_basis_simple: Some(0.0689),
///     risk_reversal_25d_vol_points: Some(3.5),
/// };
/// let verdict = assess_dynamics(OiPriceQuadrant::NewLongs, &signals)?;
/// assert_eq!((verdict.side, verdict.signals_on_side), (Some(Side::Long), 2));
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn assess_dynamics(
    quadrant: OiPriceQuadrant,
    signals: &CrowdingSignals,
) -> Result<DynamicsVerdict> {
    let funding = signals
        .funding_per_8h
        .map(FundingRegime::from_rate_per_8h)
        .transpose()?;
    let basis = signals
        .annualised_basis_simple
        .map(BasisRegime::from_annualised_simple)
        .transpose()?;
    let risk_reversal = signals
        .risk_reversal_25d_vol_points
        .map(RiskReversalRegime::from_vol_points)
        .transpose()?;
    // Outer Option: was the signal given; inner: which side it leans to, if any.
    let leanings = [
        funding.map(FundingRegime::leaning),
        basis.map(BasisRegime::leaning),
        risk_reversal.map(RiskReversalRegime::leaning),
    ];
    let count = |keep: &dyn Fn(&Option<Option<Side>>) -> bool| {
        leanings.iter().filter(|l| keep(l)).count() as u8
    };
    let long_signals = count(&|l| l.flatten() == Some(Side::Long));
    let short_signals = count(&|l| l.flatten() == Some(Side::Short));
    let available_signals = count(&|l| l.is_some());
    let side = quadrant.side().or(match long_signals.cmp(&short_signals) {
        std::cmp::Ordering::Greater => Some(Side::Long),
        std::cmp::Ordering::Less => Some(Side::Short),
        std::cmp::Ordering::Equal => None,
    });
    let signals_on_side = match side {
        Some(Side::Long) => long_signals,
        Some(Side::Short) => short_signals,
        None => 0,
    };
    Ok(DynamicsVerdict {
        quadrant,
        funding,
        basis,
        risk_reversal,
        long_signals,
        short_signals,
        available_signals,
        side,
        signals_on_side,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MathError;
    use crate::basis::annualised_basis_simple;
    use crate::positioning::QuadrantClassifier;
    use proptest::prelude::*;

    /// Leverage Lens glossary, dynamics assessment, worked example end to end: OI 88,000 → 91,700 BTC and
    /// price 62,080 → 64,000 (new longs); funding 0.028 % per 8 h (elevated); quarterly 65,100 with 91 days
    /// (6.89 % simple, normal); RR +3.5 (call skew) → "2 of 3 signals" on the long side.
    #[test]
    fn verdict_matches_dynamics_assessment_page() {
        let quadrant = QuadrantClassifier::default()
            .classify(88_000.0, 91_700.0, 62_080.0, 64_000.0)
            .unwrap();
        let signals = CrowdingSignals {
            funding_per_8h: Some(0.00028),
            annualised_basis_simple: Some(
                annualised_basis_simple(65_100.0, 64_000.0, 91.0).unwrap(),
            ),
            risk_reversal_25d_vol_points: Some(3.5),
        };
        let v = assess_dynamics(quadrant, &signals).unwrap();
        assert_eq!(v.quadrant, OiPriceQuadrant::NewLongs);
        assert_eq!(v.funding, Some(FundingRegime::Elevated));
        assert_eq!(v.basis, Some(BasisRegime::Normal));
        assert_eq!(v.risk_reversal, Some(RiskReversalRegime::CallSkew));
        assert_eq!(
            (v.side, v.signals_on_side, v.long_signals, v.short_signals),
            (Some(Side::Long), 2, 2, 0)
        );
        assert_eq!(
            (v.available_signals, DynamicsVerdict::SIGNALS_TOTAL),
            (3, 3)
        );
    }

    /// Term 16 "reading the number": new shorts with negative funding and put skew is the mirror image.
    #[test]
    fn new_shorts_count_short_signals() {
        let signals = CrowdingSignals {
            funding_per_8h: Some(-0.00005),
            annualised_basis_simple: Some(0.05),
            risk_reversal_25d_vol_points: Some(-4.0),
        };
        let v = assess_dynamics(OiPriceQuadrant::NewShorts, &signals).unwrap();
        assert_eq!((v.side, v.signals_on_side), (Some(Side::Short), 2));
    }

    /// The label fixes the side even when the signals disagree with it: long liquidation counts long signals.
    #[test]
    fn label_side_wins_over_signal_majority() {
        let signals = CrowdingSignals {
            funding_per_8h: Some(-0.0002),
            ..CrowdingSignals::default()
        };
        let v = assess_dynamics(OiPriceQuadrant::LongLiquidation, &signals).unwrap();
        assert_eq!(
            (v.side, v.signals_on_side, v.short_signals),
            (Some(Side::Long), 0, 1)
        );
    }

    /// Term 16: with no clear quadrant the verdict reports the side with more signals; a tie names no side.
    #[test]
    fn no_clear_read_takes_the_majority_side() {
        let signals = CrowdingSignals {
            funding_per_8h: Some(-0.0002),
            annualised_basis_simple: Some(-0.01),
            risk_reversal_25d_vol_points: Some(3.0),
        };
        let v = assess_dynamics(OiPriceQuadrant::NoClearRead, &signals).unwrap();
        assert_eq!((v.side, v.signals_on_side), (Some(Side::Short), 2));
        let tied = CrowdingSignals {
            annualised_basis_simple: None,
            ..signals
        };
        let v = assess_dynamics(OiPriceQuadrant::NoClearRead, &tied).unwrap();
        assert_eq!(
            (v.side, v.signals_on_side, v.available_signals),
            (None, 0, 2)
        );
        let none =
            assess_dynamics(OiPriceQuadrant::NoClearRead, &CrowdingSignals::default()).unwrap();
        assert_eq!((none.side, none.available_signals), (None, 0));
    }

    #[test]
    fn non_finite_signals_are_typed_errors() {
        for bad in [f64::NAN, f64::INFINITY] {
            let cases = [
                CrowdingSignals {
                    funding_per_8h: Some(bad),
                    ..CrowdingSignals::default()
                },
                CrowdingSignals {
                    annualised_basis_simple: Some(bad),
                    ..CrowdingSignals::default()
                },
                CrowdingSignals {
                    risk_reversal_25d_vol_points: Some(bad),
                    ..CrowdingSignals::default()
                },
            ];
            for signals in cases {
                assert!(matches!(
                    assess_dynamics(OiPriceQuadrant::NewLongs, &signals),
                    Err(MathError::NotFinite { .. })
                ));
            }
        }
    }

    proptest! {
        /// Counts never exceed the signals given, and the side's count is one of the two counts.
        #[test]
        fn counts_are_consistent(
            funding in prop::option::of(-0.001f64..0.001),
            basis in prop::option::of(-0.3f64..0.3),
            rr in prop::option::of(-8.0f64..8.0),
            quadrant in prop::sample::select(vec![
                OiPriceQuadrant::NewLongs, OiPriceQuadrant::ShortCovering, OiPriceQuadrant::NewShorts,
                OiPriceQuadrant::LongLiquidation, OiPriceQuadrant::NoClearRead,
            ]),
        ) {
            let signals = CrowdingSignals { funding_per_8h: funding, annualised_basis_simple: basis, risk_reversal_25d_vol_points: rr };
            let v = assess_dynamics(quadrant, &signals).unwrap();
            prop_assert!(v.long_signals + v.short_signals <= v.available_signals);
            prop_assert!(v.available_signals <= DynamicsVerdict::SIGNALS_TOTAL);
            prop_assert!(v.signals_on_side == v.long_signals || v.signals_on_side == v.short_signals || v.side.is_none());
            if let Some(side) = quadrant.side() { prop_assert_eq!(v.side, Some(side)); }
        }
    }
}
