//! Deleveraging-event detector (glossary term 13): a flush is a bar where coin open interest falls far faster
//! than usual while funding resets toward neutral; a liquidation burst confirms it.

use crate::error::{MathError, Result, ensure_finite};
use crate::funding::BINANCE_INTEREST_PER_8H;
use crate::market::Side;

/// Aligned per-bar inputs (oldest first); align funding "as of" each bar before calling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlushInputs<'a> {
    /// Bar times (ms UTC), strictly increasing.
    pub times_ms: &'a [i64],
    /// Open interest in coins or contracts, not USD.
    pub open_interest_coin: &'a [f64],
    /// Price (mark or last) at each bar.
    pub price: &'a [f64],
    /// Funding in force at each bar, as a rate per 8 h.
    pub funding_per_8h: &'a [f64],
    /// Liquidated notional per bar (USD); `None` when no feed is available (events stay unconfirmed).
    pub liquidated_usd: Option<&'a [f64]>,
}

/// One bar summarised the way a person reads it off a chart (see [`FlushDetector::step`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlushStep {
    /// Open interest (coins) one window ago and now.
    pub open_interest_before: f64,
    pub open_interest_now: f64,
    /// Mean and sample standard deviation of past window changes of open interest (fractions).
    pub change_mean: f64,
    pub change_sd: f64,
    /// Funding in force one window ago and now, per 8 h (fractions).
    pub funding_before_per_8h: f64,
    pub funding_now_per_8h: f64,
    /// Liquidations in the window and the median window of the look-back, USD.
    pub liquidated_window_usd: f64,
    pub liquidated_median_usd: f64,
    /// Price one window ago and now.
    pub price_before: f64,
    pub price_now: f64,
}

/// The three conditions at one bar; `None` where the window or look-back is not yet filled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlushBar {
    /// Time of the bar.
    pub time_ms: i64,
    /// `r_t = OI_t/OI_{t−w} − 1`.
    pub oi_change: Option<f64>,
    /// `z_t = (r_t − μ_t)/s_t` over the previous `L` changes.
    pub z: Option<f64>,
    /// `x_{t−w}`: funding above neutral `w` bars earlier, per 8 h.
    pub funding_excess_before: Option<f64>,
    /// `x_t`.
    pub funding_excess_now: f64,
    /// `R_t`: funding moved back toward neutral by at least `ρ` of the earlier excess.
    pub funding_reset: bool,
    /// `Q_t / median(Q over the previous L bars)`.
    pub liquidation_ratio: Option<f64>,
    /// `B_t`: the liquidation window sum is at least `c` × its median.
    pub burst: bool,
    /// `P_t/P_{t−w} − 1`.
    pub price_change: Option<f64>,
    /// `z_t ≤ −k` and funding reset: a flush bar.
    pub flagged: bool,
    /// Flagged and a liquidation burst.
    pub confirmed: bool,
}

/// Consecutive flagged bars, annotated at the bar of lowest z.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlushEvent {
    /// Time of the first flagged bar.
    pub start_ms: i64,
    /// Time of the last flagged bar.
    pub end_ms: i64,
    /// Index (in the inputs) of the bar of lowest z.
    pub annotated_index: usize,
    /// The flushed side: longs when the price fell over the window, shorts when it rose; `None` if unchanged.
    pub side: Option<Side>,
    /// A liquidation burst coincided with at least one flagged bar.
    pub confirmed: bool,
    /// Diagnostics at the annotated bar.
    pub annotated: FlushBar,
}

/// The detector with its window `w`, look-back `L`, z threshold `k`, reset share `ρ`, burst multiple `c` and
/// neutral funding `f₀`.
///
/// # Formula
/// `r_t = OI_t/OI_{t−w} − 1`, `z_t = (r_t − μ_t)/s_t` over `r_{t−L} … r_{t−1}` (sample sd);
/// `x_t = f_t − f₀`, `R_t = [sign(x_{t−w})·x_t ≤ (1 − ρ)·|x_{t−w}|]`, and `R_t = 0` when `x_{t−w} = 0`;
/// `Q_t = Σ_{j=t−w+1..t} q_j`, `B_t = [Q_t ≥ c·median(Q_{t−L} … Q_{t−1})]` (and `Q_t > 0`, so an empty feed
/// never confirms); flush when `z_t ≤ −k ∧ R_t`, confirmed when also `B_t`. Long flush if `P_t < P_{t−w}`.
/// Defaults (hourly bars): `w = 4`, `L = 168`, `k = 2`, `ρ = 0.5`, `c = 3`, `f₀ = 0.01 %` (Binance's interest
/// term; use 0 where funding has none). Source: glossary term 13 (thresholds are conventions). `O(n·L)` for the
/// rolling median by memmove of at most `L` values per bar, `O(n)` otherwise.
///
/// ```
/// use lens_math::cycles::{FlushDetector, FlushInputs};
/// use lens_math::market::Side;
/// // One-bar window over a three-bar look-back: OI drops 10.9 % after three ±1 % bars, funding goes from
/// // 0.03 % to 0, and ten times the usual liquidations print.
/// let detector = FlushDetector::new(1, 3, 2.0, 0.5, 3.0, 0.0)?;
/// let inputs = FlushInputs {
///     times_ms: &[0, 1, 2, 3, 4],
///     open_interest_coin: &[100.0, 101.0, 100.0, 101.0, 90.0],
///     price: &[50.0, 50.5, 50.0, 50.5, 47.0],
///     funding_per_8h: &[0.0003, 0.0003, 0.0003, 0.0003, 0.0],
///     liquidated_usd: Some(&[1.0, 1.0, 1.0, 1.0, 10.0]),
/// };
/// let events = detector.detect(&inputs)?;
/// assert_eq!(events.len(), 1);
/// assert_eq!((events[0].side, events[0].confirmed), (Some(Side::Long), true));
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlushDetector {
    window_bars: usize,
    lookback_bars: usize,
    z_threshold: f64,
    reset_share: f64,
    burst_multiple: f64,
    neutral_funding_per_8h: f64,
}

impl Default for FlushDetector {
    fn default() -> Self {
        Self {
            window_bars: 4,
            lookback_bars: 168,
            z_threshold: 2.0,
            reset_share: 0.5,
            burst_multiple: 3.0,
            neutral_funding_per_8h: BINANCE_INTEREST_PER_8H,
        }
    }
}

impl FlushDetector {
    /// # Errors
    /// [`MathError::InvalidParameter`] unless `w ≥ 1`, `L ≥ 2`, `k > 0`, `ρ ∈ [0, 1]`, `c > 0`;
    /// [`MathError::NotFinite`] for a NaN/∞ `f₀`.
    pub fn new(
        window_bars: usize,
        lookback_bars: usize,
        z_threshold: f64,
        reset_share: f64,
        burst_multiple: f64,
        neutral_funding_per_8h: f64,
    ) -> Result<Self> {
        let invalid = |name, reason| Err(MathError::InvalidParameter { name, reason });
        if window_bars == 0 {
            return invalid("window", "must be at least 1 bar");
        }
        if lookback_bars < 2 {
            return invalid("look-back", "must be at least 2 bars");
        }
        if !(z_threshold.is_finite() && z_threshold > 0.0) {
            return invalid("z threshold", "must be positive");
        }
        if !(0.0..=1.0).contains(&reset_share) {
            return invalid("reset share", "must be in [0, 1]");
        }
        if !(burst_multiple.is_finite() && burst_multiple > 0.0) {
            return invalid("burst multiple", "must be positive");
        }
        ensure_finite("neutral funding", neutral_funding_per_8h)?;
        Ok(Self {
            window_bars,
            lookback_bars,
            z_threshold,
            reset_share,
            burst_multiple,
            neutral_funding_per_8h,
        })
    }

    /// `w`: bars over which changes are measured.
    pub fn window_bars(&self) -> usize {
        self.window_bars
    }

    /// `L`: bars of history each bar is compared with.
    pub fn lookback_bars(&self) -> usize {
        self.lookback_bars
    }

    /// `k`: how many standard deviations below its usual change the OI change must fall.
    pub fn z_threshold(&self) -> f64 {
        self.z_threshold
    }

    /// `R_t`: funding above neutral moved back toward neutral by at least `ρ` of the earlier excess.
    fn funding_reset(&self, excess_before: f64, excess_now: f64) -> bool {
        excess_before != 0.0
            && excess_before.signum() * excess_now <= (1.0 - self.reset_share) * excess_before.abs()
    }

    /// `B_t`: the window's liquidations are positive and at least `c` times their median.
    fn burst(&self, window_sum: f64, median: f64) -> bool {
        window_sum > 0.0 && window_sum >= self.burst_multiple * median
    }

    /// The three conditions for one bar whose history is already summarised (the mean and standard deviation
    /// of past window changes, the median window of liquidations): the rule of [`FlushDetector::bars`] on the
    /// numbers a person reads off a chart, as in the worked example of glossary term 13.
    ///
    /// ```
    /// use lens_math::cycles::{FlushDetector, FlushStep};
    /// // Term 13's example: OI 92,000 → 86,000 BTC against changes of +0.20 % ± 1.50 %, funding 0.045 % → 0.008 %
    /// // per 8 h, liquidations 310 M against a median of 40 M, price 67,400 → 63,500.
    /// let bar = FlushDetector::default().step(&FlushStep {
    ///     open_interest_before: 92_000.0,
    ///     open_interest_now: 86_000.0,
    ///     change_mean: 0.0020,
    ///     change_sd: 0.0150,
    ///     funding_before_per_8h: 0.00045,
    ///     funding_now_per_8h: 0.00008,
    ///     liquidated_window_usd: 310e6,
    ///     liquidated_median_usd: 40e6,
    ///     price_before: 67_400.0,
    ///     price_now: 63_500.0,
    /// })?;
    /// assert!((bar.z.unwrap() + 4.48).abs() < 5e-3);
    /// assert!(bar.funding_reset && bar.burst && bar.confirmed);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for open interest or prices that are not positive, a standard deviation
    /// that is not positive, or negative liquidations; [`MathError::NotFinite`] for NaN/∞.
    pub fn step(&self, s: &FlushStep) -> Result<FlushBar> {
        let positive = |name, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(MathError::InvalidParameter {
                    name,
                    reason: "must be positive and finite",
                })
            }
        };
        let oi_before = positive("open interest", s.open_interest_before)?;
        let oi_now = positive("open interest", s.open_interest_now)?;
        let sd = positive("standard deviation of changes", s.change_sd)?;
        let price_before = positive("price", s.price_before)?;
        let price_now = positive("price", s.price_now)?;
        let mean = ensure_finite("mean change", s.change_mean)?;
        let before =
            ensure_finite("funding", s.funding_before_per_8h)? - self.neutral_funding_per_8h;
        let now = ensure_finite("funding", s.funding_now_per_8h)? - self.neutral_funding_per_8h;
        let (q, median) = (s.liquidated_window_usd, s.liquidated_median_usd);
        if !(q.is_finite() && q >= 0.0 && median.is_finite() && median >= 0.0) {
            return Err(MathError::InvalidParameter {
                name: "liquidations",
                reason: "must be finite and not negative",
            });
        }
        let oi_change = oi_now / oi_before - 1.0;
        let z = (oi_change - mean) / sd;
        let funding_reset = self.funding_reset(before, now);
        let burst = self.burst(q, median);
        let flagged = z <= -self.z_threshold && funding_reset;
        Ok(FlushBar {
            time_ms: 0,
            oi_change: Some(oi_change),
            z: Some(z),
            funding_excess_before: Some(before),
            funding_excess_now: now,
            funding_reset,
            liquidation_ratio: (median > 0.0).then(|| q / median),
            burst,
            price_change: Some(price_now / price_before - 1.0),
            flagged,
            confirmed: flagged && burst,
        })
    }

    /// `c`: how many times its median the window's liquidations must reach to confirm a flush.
    pub fn burst_multiple(&self) -> f64 {
        self.burst_multiple
    }

    /// `ρ`: the share of the earlier funding excess that must be given back.
    pub fn reset_share(&self) -> f64 {
        self.reset_share
    }

    /// `f₀`: neutral funding per 8 h.
    pub fn neutral_funding_per_8h(&self) -> f64 {
        self.neutral_funding_per_8h
    }

    /// The flagged bars grouped into events.
    ///
    /// # Errors
    /// As [`FlushDetector::bars`].
    pub fn detect(&self, inputs: &FlushInputs<'_>) -> Result<Vec<FlushEvent>> {
        let bars = self.bars(inputs)?;
        let mut events: Vec<FlushEvent> = Vec::new();
        let mut previous_flagged = false;
        for (i, bar) in bars.iter().enumerate() {
            if !bar.flagged {
                previous_flagged = false;
                continue;
            }
            match events.last_mut() {
                Some(event) if previous_flagged => {
                    event.end_ms = bar.time_ms;
                    event.confirmed |= bar.confirmed;
                    if bar.z < event.annotated.z {
                        (event.annotated_index, event.annotated) = (i, *bar);
                    }
                }
                _ => events.push(FlushEvent {
                    start_ms: bar.time_ms,
                    end_ms: bar.time_ms,
                    annotated_index: i,
                    side: None,
                    confirmed: bar.confirmed,
                    annotated: *bar,
                }),
            }
            previous_flagged = true;
        }
        for event in &mut events {
            event.side = event.annotated.price_change.and_then(|change| {
                if change < 0.0 {
                    Some(Side::Long)
                } else if change > 0.0 {
                    Some(Side::Short)
                } else {
                    None
                }
            });
        }
        Ok(events)
    }

    /// The three conditions at every bar, aligned with the input times.
    ///
    /// # Errors
    /// [`MathError::LengthMismatch`] for inputs of different lengths; [`MathError::Unsorted`] for times that
    /// do not increase; [`MathError::NotFinite`] for NaN/∞; [`MathError::InvalidParameter`] for open interest
    /// or prices that are not positive, or negative liquidations.
    pub fn bars(&self, inputs: &FlushInputs<'_>) -> Result<Vec<FlushBar>> {
        validate(inputs)?;
        let (w, l) = (self.window_bars, self.lookback_bars);
        let n = inputs.times_ms.len();
        let window_sums = inputs.liquidated_usd.map(|q| rolling_window_sums(q, w));
        let mut changes = SlidingMoments::default();
        let mut recent_sums: Vec<f64> = Vec::with_capacity(l + 1);
        let mut bars = Vec::with_capacity(n);
        for t in 0..n {
            let back = t.checked_sub(w);
            let oi_change =
                back.map(|b| inputs.open_interest_coin[t] / inputs.open_interest_coin[b] - 1.0);
            let z = match oi_change {
                Some(r) if changes.count == l => changes.z(r),
                _ => None,
            };
            let funding_excess_now = inputs.funding_per_8h[t] - self.neutral_funding_per_8h;
            let funding_excess_before =
                back.map(|b| inputs.funding_per_8h[b] - self.neutral_funding_per_8h);
            let funding_reset = funding_excess_before
                .is_some_and(|before| self.funding_reset(before, funding_excess_now));
            let window_sum = window_sums
                .as_ref()
                .and_then(|sums| sums.get(t).copied().flatten());
            let median = (recent_sums.len() == l)
                .then(|| median_of_sorted(&recent_sums))
                .flatten();
            let burst = matches!((window_sum, median), (Some(q), Some(m)) if self.burst(q, m));
            let liquidation_ratio = match (window_sum, median) {
                (Some(q), Some(m)) if m > 0.0 => Some(q / m),
                _ => None,
            };
            let price_change = back.map(|b| inputs.price[t] / inputs.price[b] - 1.0);
            let flagged = z.is_some_and(|z| z <= -self.z_threshold) && funding_reset;
            bars.push(FlushBar {
                time_ms: inputs.times_ms[t],
                oi_change,
                z,
                funding_excess_before,
                funding_excess_now,
                funding_reset,
                liquidation_ratio,
                burst,
                price_change,
                flagged,
                confirmed: flagged && burst,
            });
            // Only now does bar t join the look-back of the bars after it.
            if let Some(r) = oi_change {
                changes.push(r, l);
            }
            if let Some(q) = window_sum {
                insert_sorted(&mut recent_sums, q);
                let oldest = t
                    .checked_sub(l)
                    .and_then(|i| window_sums.as_ref()?.get(i).copied().flatten());
                if let (true, Some(old)) = (recent_sums.len() > l, oldest) {
                    remove_sorted(&mut recent_sums, old);
                }
            }
        }
        Ok(bars)
    }
}

fn validate(inputs: &FlushInputs<'_>) -> Result<()> {
    let n = inputs.times_ms.len();
    for len in [
        inputs.open_interest_coin.len(),
        inputs.price.len(),
        inputs.funding_per_8h.len(),
    ]
    .into_iter()
    .chain(inputs.liquidated_usd.map(<[f64]>::len))
    {
        if len != n {
            return Err(MathError::LengthMismatch {
                left: len,
                right: n,
            });
        }
    }
    if inputs.times_ms.windows(2).any(|w| w[1] <= w[0]) {
        return Err(MathError::Unsorted);
    }
    let positive = |name, values: &[f64]| {
        if values.iter().all(|v| v.is_finite() && *v > 0.0) {
            Ok(())
        } else {
            Err(MathError::InvalidParameter {
                name,
                reason: "must be positive and finite",
            })
        }
    };
    positive("open interest", inputs.open_interest_coin)?;
    positive("price", inputs.price)?;
    if inputs.funding_per_8h.iter().any(|f| !f.is_finite()) {
        return Err(MathError::NotFinite { name: "funding" });
    }
    if let Some(q) = inputs.liquidated_usd
        && q.iter().any(|v| !(v.is_finite() && *v >= 0.0))
    {
        return Err(MathError::InvalidParameter {
            name: "liquidations",
            reason: "must be finite and ≥ 0",
        });
    }
    Ok(())
}

/// `Σ q` over the `w` bars ending at each bar; `None` until `w` bars exist.
fn rolling_window_sums(q: &[f64], w: usize) -> Vec<Option<f64>> {
    let mut running = 0.0;
    q.iter()
        .enumerate()
        .map(|(t, &x)| {
            running += x;
            if t >= w {
                running -= q.get(t - w).copied().unwrap_or(0.0);
            }
            // Liquidations are ≥ 0: clamp the rounding residue that subtraction can leave.
            running = running.max(0.0);
            (t + 1 >= w).then_some(running)
        })
        .collect()
}

fn insert_sorted(values: &mut Vec<f64>, x: f64) {
    let at = values.partition_point(|&v| v < x);
    values.insert(at, x);
}

/// Removes one copy of `x` (found by value: equal values are interchangeable for a median).
fn remove_sorted(values: &mut Vec<f64>, x: f64) {
    let at = values.partition_point(|&v| v < x);
    if values.get(at) == Some(&x) {
        values.remove(at);
    }
}

fn median_of_sorted(values: &[f64]) -> Option<f64> {
    let n = values.len();
    let mid = n / 2;
    if n == 0 {
        None
    } else if n % 2 == 1 {
        values.get(mid).copied()
    } else {
        Some((values.get(mid - 1)? + values.get(mid)?) / 2.0)
    }
}

/// Mean and sum of squared deviations of the last `L` values, updated in O(1) per bar (sliding Welford).
#[derive(Debug, Default)]
struct SlidingMoments {
    window: std::collections::VecDeque<f64>,
    count: usize,
    mean: f64,
    m2: f64,
}

impl SlidingMoments {
    fn push(&mut self, x: f64, capacity: usize) {
        self.window.push_back(x);
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        if self.count > capacity
            && let Some(old) = self.window.pop_front()
        {
            self.count -= 1;
            let old_mean = self.mean;
            self.mean -= (old - self.mean) / self.count as f64;
            self.m2 = (self.m2 - (old - old_mean) * (old - self.mean)).max(0.0);
        }
    }

    fn z(&self, x: f64) -> Option<f64> {
        let sd = (self.m2 / (self.count as f64 - 1.0)).sqrt();
        (sd > 0.0 && sd.is_finite()).then(|| (x - self.mean) / sd)
    }
}

#[cfg(test)]
mod tests;
