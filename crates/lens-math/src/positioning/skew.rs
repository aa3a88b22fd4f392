//! Positioning-skew index (PSI): funding and long share, each measured against its own recent past, averaged
//! into one number of standard deviations. Positive means the long side is crowded.

use crate::error::{MathError, Result, ensure_finite};
use crate::funding::funding_series_per_8h;
use crate::positioning::long_share_from_ratio;
use crate::series::{TimeSeries, align_as_of};
use crate::stats::{RollingZScore, ZScoreWindow};

/// One PSI reading with the inputs it was built from, at a funding time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkewReading {
    /// The funding time the reading belongs to.
    pub time_ms: i64,
    /// Funding at this time, converted to per 8 h (decimal).
    pub funding_per_8h: f64,
    /// All-account long share in force at this time (0 to 1).
    pub long_share: f64,
    /// z-score of the per-8 h funding within its window.
    pub z_funding: f64,
    /// z-score of the long share within its window.
    pub z_long_share: f64,
    /// `(z_funding + z_long_share) / 2`.
    pub psi: f64,
}

/// The PSI of one funding time from its two z-scores.
///
/// # Formula
/// `PSI = ½ (z(F) + z(s))`
///
/// Source: Leverage Lens glossary term 3 (leverage skew).
///
/// # Errors
/// [`MathError::NotFinite`] for a NaN/∞ z-score.
///
/// ```
/// use lens_math::positioning::positioning_skew_index;
/// // Leverage Lens glossary, leverage skew: z(F) = 2.50 and z(s) = 2.32 give PSI 2.41.
/// assert!((positioning_skew_index(2.50, 2.32)? - 2.41).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn positioning_skew_index(z_funding: f64, z_long_share: f64) -> Result<f64> {
    let z_funding = ensure_finite("funding z-score", z_funding)?;
    let z_long_share = ensure_finite("long-share z-score", z_long_share)?;
    Ok(0.5 * z_funding + 0.5 * z_long_share)
}

/// Positioning-skew index over a history of funding and long/short account ratios.
///
/// # Formula
/// At each funding time t: `F_t` = funding converted to per 8 h; `s_t = r/(1 + r)` with r the all-account
/// long/short ratio in force at t (last one at or before t); `z_t(x) = (x_t − μ)/σ` over the trailing window of
/// N funding times ending at and **including** t, σ the sample standard deviation (N − 1);
/// `PSI_t = ½ (z_t(F) + z_t(s))`. |PSI| < 1 is ordinary; above +2 longs are crowded, below −2 shorts.
///
/// Source: Leverage Lens glossary term 3 (leverage skew); N = 90 funding intervals (30 days at 8 h) by default.
///
/// Funding times before the first ratio point are dropped; times where either window is flat have no z-score
/// and so no reading.
///
/// ```
/// use lens_math::{positioning::PositioningSkewIndex, TimeSeries};
/// let h8 = 8 * 3_600_000;
/// let funding = TimeSeries::new(vec![0, h8, 2 * h8, 3 * h8], vec![0.0001, 0.0001, 0.0002, 0.0004])?;
/// let ratio = TimeSeries::new(vec![0, h8, 2 * h8, 3 * h8], vec![1.0, 1.2, 1.1, 1.8])?;
/// let readings = PositioningSkewIndex::new(3)?.apply(&funding, 8.0, &ratio)?;
/// assert_eq!(readings.len(), 2);
/// assert!(readings[1].psi > 0.0); // rising funding and a rising long share: leaning long
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositioningSkewIndex {
    /// Trailing window of funding times, the current one included.
    z_score: RollingZScore,
}

/// The glossary's window of 90 funding intervals.
impl Default for PositioningSkewIndex {
    fn default() -> Self {
        Self {
            z_score: RollingZScore::from_valid_window(
                Self::DEFAULT_WINDOW,
                ZScoreWindow::IncludingCurrent,
            ),
        }
    }
}

impl PositioningSkewIndex {
    /// 90 funding intervals: 30 days of 8-hour funding.
    pub const DEFAULT_WINDOW: usize = 90;

    /// A PSI over `window` funding times, the current one included.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a window below 2.
    pub fn new(window: usize) -> Result<Self> {
        Ok(Self {
            z_score: RollingZScore::including_current(window)?,
        })
    }

    /// Number of funding times in each window, the current one included.
    pub fn window(&self) -> usize {
        self.z_score.window()
    }

    /// PSI readings from funding quoted per `funding_interval_hours` and the all-account long/short ratio.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a bad funding interval or a negative ratio,
    /// [`MathError::NotEnoughData`] when fewer than `window` funding times have a ratio in force,
    /// [`MathError::NotFinite`] on overflow.
    pub fn apply(
        &self,
        funding: &TimeSeries,
        funding_interval_hours: f64,
        long_short_ratio: &TimeSeries,
    ) -> Result<Vec<SkewReading>> {
        let funding_per_8h = funding_series_per_8h(funding, funding_interval_hours)?;
        let shares: Vec<f64> = long_short_ratio
            .values()
            .iter()
            .map(|&r| long_share_from_ratio(r))
            .collect::<Result<_>>()?;
        let shares = TimeSeries::from_parts_unchecked(long_short_ratio.times_ms().to_vec(), shares);
        let (times, columns) = align_as_of(funding_per_8h.times_ms(), &[&funding_per_8h, &shares]);
        let [funding_column, share_column] = columns.as_slice() else {
            return Err(MathError::NotEnoughData {
                needed: self.window(),
                got: 0,
            });
        };
        let aligned_funding =
            TimeSeries::from_parts_unchecked(times.clone(), funding_column.clone());
        let aligned_shares = TimeSeries::from_parts_unchecked(times.clone(), share_column.clone());
        let z_funding = self.z_score.apply(&aligned_funding)?;
        let z_shares = self.z_score.apply(&aligned_shares)?;

        // Both z-series are subsequences of `times`: one merge walk pairs them up in O(n).
        let mut funding_points = z_funding.iter().peekable();
        let mut share_points = z_shares.iter().peekable();
        let mut readings = Vec::with_capacity(z_funding.len().min(z_shares.len()));
        for ((&t, &f), &s) in times.iter().zip(funding_column).zip(share_column) {
            let zf = funding_points.next_if(|&(tf, _)| tf == t).map(|(_, z)| z);
            let zs = share_points.next_if(|&(ts, _)| ts == t).map(|(_, z)| z);
            if let (Some(zf), Some(zs)) = (zf, zs) {
                let psi = positioning_skew_index(zf, zs)?;
                readings.push(SkewReading {
                    time_ms: t,
                    funding_per_8h: f,
                    long_share: s,
                    z_funding: zf,
                    z_long_share: zs,
                    psi,
                });
            }
        }
        Ok(readings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_support::window_with_moments;
    use proptest::prelude::*;

    const H8_MS: i64 = 8 * 3_600_000;

    /// Leverage Lens glossary, leverage skew, PSI example: funding 0.030 % per 8 h against mean 0.010 % and
    /// sd 0.008 % (z 2.50); long share 0.6429 against mean 0.55 and sd 0.04 (z 2.32); PSI = 2.41.
    /// The 90-interval windows are built to have exactly those moments, today included.
    #[test]
    fn psi_matches_leverage_skew_page() {
        let funding_per_8h = window_with_moments(90, 0.0003, 0.0001, 0.00008);
        let shares = window_with_moments(90, 0.6429, 0.55, 0.04);
        let times: Vec<i64> = (0..90).map(|i| i * H8_MS).collect();
        // Hourly-funded venue: quote the rate per hour, as the venue would.
        let hourly: Vec<f64> = funding_per_8h.iter().map(|f| f / 8.0).collect();
        let funding = TimeSeries::new(times.clone(), hourly).unwrap();
        // Ratios published one minute before each funding time, plus stale points that must not be used.
        let mut ratio_points = Vec::new();
        for (t, s) in times.iter().zip(&shares) {
            ratio_points.push((t - 3 * 3_600_000, 99.0));
            ratio_points.push((t - 60_000, s / (1.0 - s)));
        }
        let ratio = TimeSeries::from_points_lossy(ratio_points);
        let readings = PositioningSkewIndex::default()
            .apply(&funding, 1.0, &ratio)
            .unwrap();
        assert_eq!(readings.len(), 1);
        let last = readings[0];
        assert_eq!(last.time_ms, 89 * H8_MS);
        assert!((last.funding_per_8h - 0.0003).abs() < 1e-18);
        assert!((last.z_funding - 2.5).abs() < 1e-9);
        assert!((last.z_long_share - 2.3225).abs() < 1e-9);
        assert!((last.psi - 2.41125).abs() < 1e-9);
        assert_eq!(format!("{:.2}", last.psi), "2.41");
    }

    #[test]
    fn funding_before_the_first_ratio_is_dropped() {
        let funding = TimeSeries::new(
            (0..6).map(|i| i * H8_MS).collect(),
            vec![1.0, 2.0, 1.0, 3.0, 2.0, 4.0],
        )
        .unwrap();
        let ratio = TimeSeries::new(vec![2 * H8_MS, 4 * H8_MS], vec![1.0, 1.5]).unwrap();
        let readings = PositioningSkewIndex::new(2)
            .unwrap()
            .apply(&funding, 8.0, &ratio)
            .unwrap();
        // Aligned times 2..5; shares [0.5, 0.5, 0.6, 0.6]: flat windows at 3 and 5, so only time 4 remains.
        assert_eq!(
            readings.iter().map(|r| r.time_ms).collect::<Vec<_>>(),
            vec![4 * H8_MS]
        );
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert!(matches!(
            PositioningSkewIndex::new(1),
            Err(MathError::InvalidParameter { .. })
        ));
        let psi = PositioningSkewIndex::new(3).unwrap();
        let s = TimeSeries::new(vec![0, 1, 2], vec![1.0, 2.0, 3.0]).unwrap();
        let negative = TimeSeries::new(vec![0, 1, 2], vec![1.0, -2.0, 3.0]).unwrap();
        assert!(matches!(
            psi.apply(&s, 0.0, &s),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            psi.apply(&s, f64::NAN, &s),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            psi.apply(&s, 8.0, &negative),
            Err(MathError::InvalidParameter { .. })
        ));
        let empty = TimeSeries::default();
        assert!(matches!(
            psi.apply(&empty, 8.0, &s),
            Err(MathError::NotEnoughData { .. })
        ));
        assert!(matches!(
            psi.apply(&s, 8.0, &empty),
            Err(MathError::NotEnoughData { .. })
        ));
        let late = TimeSeries::new(vec![2], vec![1.0]).unwrap();
        assert_eq!(
            psi.apply(&s, 8.0, &late),
            Err(MathError::NotEnoughData { needed: 3, got: 1 })
        );
        assert!(matches!(
            positioning_skew_index(f64::NAN, 1.0),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            positioning_skew_index(1.0, f64::INFINITY),
            Err(MathError::NotFinite { .. })
        ));
    }

    proptest! {
        /// PSI is the mean of two including-window z-scores, so within one window it is bounded by the largest
        /// possible z, (N − 1)/√N, and it flips sign when funding and long share both mirror.
        #[test]
        fn psi_is_bounded_and_antisymmetric(
            points in prop::collection::vec((-0.001f64..0.001, 0.2f64..5.0), 5..60),
            window in 2usize..5,
        ) {
            let times: Vec<i64> = (0..points.len() as i64).map(|i| i * H8_MS).collect();
            let funding = TimeSeries::new(times.clone(), points.iter().map(|p| p.0).collect()).unwrap();
            let ratio = TimeSeries::new(times.clone(), points.iter().map(|p| p.1).collect()).unwrap();
            let psi = PositioningSkewIndex::new(window).unwrap();
            let readings = psi.apply(&funding, 8.0, &ratio).unwrap();
            let bound = (window as f64 - 1.0) / (window as f64).sqrt() + 1e-9;
            for r in &readings {
                prop_assert!(r.psi.abs() <= bound);
            }
            // Mirror: negate funding and swap longs with shorts (r → 1/r, so s → 1 − s).
            let mirrored_funding = TimeSeries::new(times.clone(), points.iter().map(|p| -p.0).collect()).unwrap();
            let mirrored_ratio = TimeSeries::new(times, points.iter().map(|p| 1.0 / p.1).collect()).unwrap();
            let mirrored = psi.apply(&mirrored_funding, 8.0, &mirrored_ratio).unwrap();
            prop_assert_eq!(mirrored.len(), readings.len());
            for (a, b) in readings.iter().zip(&mirrored) {
                prop_assert!((a.psi + b.psi).abs() < 1e-6);
            }
        }
    }
}
