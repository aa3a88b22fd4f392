//! Funding on a venue's own clock: the premium is sampled every simulated minute, averaged with linearly rising
//! time weights over the interval, and turned into a rate at each payment time.

use crate::error::Result;
use crate::funding::funding_from_premium;
use crate::series::HOUR_MS;

/// Premium average and payment schedule of one perp.
#[derive(Debug, Clone)]
pub(crate) struct FundingClock {
    interval_hours: u32,
    interest_per_8h: f64,
    cap_per_interval: f64,
    samples: u32,
    weight_sum: f64,
    weighted_premium_sum: f64,
}

impl FundingClock {
    pub(crate) fn new(interval_hours: u32, interest_per_8h: f64, cap_per_8h: f64) -> Self {
        Self {
            interval_hours,
            interest_per_8h,
            cap_per_interval: cap_per_8h * f64::from(interval_hours) / 8.0,
            samples: 0,
            weight_sum: 0.0,
            weighted_premium_sum: 0.0,
        }
    }

    pub(crate) fn interval_hours(&self) -> u32 {
        self.interval_hours
    }

    /// One premium sample; the i-th sample of the interval gets weight i (Bybit's and Binance's time-weighted
    /// average, as Binance documents it).
    pub(crate) fn sample(&mut self, premium: f64) {
        self.samples += 1;
        let weight = f64::from(self.samples);
        self.weight_sum += weight;
        self.weighted_premium_sum += weight * premium;
    }

    /// Whether a payment falls at `time_ms` (multiples of the interval since the Unix epoch, e.g. 00/08/16 UTC).
    pub(crate) fn is_due(&self, time_ms: i64) -> bool {
        time_ms.rem_euclid(i64::from(self.interval_hours) * HOUR_MS) == 0
    }

    /// The rate for the interval that just ended, per the venue's interval, and a fresh average.
    ///
    /// # Formula
    /// `F = [P + clamp(I − P, ±0.05 %)] × h/8`, clamped to the venue cap; P the weighted average premium, I the
    /// interest per 8 h, h the interval in hours. Venues with 1-hour funding (Hyperliquid) compute the rate on an
    /// 8-hour basis and pay 1/8 of it each hour (Hyperliquid's funding documentation).
    ///
    /// # Errors
    /// [`crate::MathError::NotFinite`] if the premium average is not finite.
    pub(crate) fn settle(&mut self) -> Result<f64> {
        let average_premium = if self.weight_sum > 0.0 {
            self.weighted_premium_sum / self.weight_sum
        } else {
            0.0
        };
        let rate_per_8h = funding_from_premium(average_premium, self.interest_per_8h)?;
        self.samples = 0;
        self.weight_sum = 0.0;
        self.weighted_premium_sum = 0.0;
        let rate = rate_per_8h * f64::from(self.interval_hours) / 8.0;
        Ok(rate.clamp(-self.cap_per_interval, self.cap_per_interval))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bybit's funding TWAP weights one sample per minute by 1..480 over 8 h; Bybit's help page gives
    /// Σ 1..480 = 115,440.
    #[test]
    fn eight_hours_of_minute_samples_carry_bybit_weight_sum() {
        let mut clock = FundingClock::new(8, 0.0001, 0.003);
        for _ in 0..480 {
            clock.sample(0.0);
        }
        assert_eq!(clock.weight_sum, 115_440.0);
    }

    /// A constant premium of 0.08 % per 8 h gives the methods-notes table value 0.03 %.
    #[test]
    fn constant_premium_reproduces_the_clamp_table() {
        let mut clock = FundingClock::new(8, 0.0001, 0.003);
        for _ in 0..480 {
            clock.sample(0.0008);
        }
        assert!((clock.settle().unwrap() - 0.0003).abs() < 1e-15);
    }

    /// Later samples weigh more: a premium that jumps late pulls the rate more than its simple mean would.
    #[test]
    fn late_premium_counts_more_than_early_premium() {
        let mut early = FundingClock::new(8, 0.0, 0.003);
        let mut late = FundingClock::new(8, 0.0, 0.003);
        for minute in 0..480 {
            early.sample(if minute < 240 { 0.002 } else { 0.0 });
            late.sample(if minute < 240 { 0.0 } else { 0.002 });
        }
        // Hand-checked: weights 241..480 hold (Σ241..480)/115,440 = 86,520/115,440 = 0.7495 of the total.
        let late_rate = late.settle().unwrap();
        let early_rate = early.settle().unwrap();
        assert!((late_rate - (0.002 * 86_520.0 / 115_440.0 - 0.0005)).abs() < 1e-15);
        assert!(late_rate > early_rate);
    }

    /// Hyperliquid pays hourly at 1/8 of the 8-hour rate: the interest alone gives 0.00125 % per hour.
    #[test]
    fn hourly_venue_pays_an_eighth_of_the_8h_rate() {
        let mut clock = FundingClock::new(1, 0.0001, 0.32);
        for _ in 0..60 {
            clock.sample(0.0);
        }
        assert!((clock.settle().unwrap() - 0.000_012_5).abs() < 1e-18);
        assert!(clock.is_due(3 * HOUR_MS));
    }

    #[test]
    fn rate_never_exceeds_the_cap() {
        let mut clock = FundingClock::new(8, 0.0001, 0.003);
        clock.sample(0.05);
        assert_eq!(clock.settle().unwrap(), 0.003);
        assert!(clock.is_due(16 * HOUR_MS) && !clock.is_due(12 * HOUR_MS));
    }

    #[test]
    fn non_finite_premium_is_a_typed_error() {
        let mut clock = FundingClock::new(8, 0.0001, 0.003);
        clock.sample(f64::NAN);
        assert!(clock.settle().is_err());
    }
}
