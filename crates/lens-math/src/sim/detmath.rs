//! Elementary functions built only from IEEE-754 basic operations (+, −, ×, ÷, √, rounding), so the simulator
//! gives the same bits natively and in wasm.
//!
//! Why not `f64::exp`/`f64::ln`/`f64::cos`: the standard library forwards them to the platform's libm (glibc on
//! Linux, a musl port on wasm32), and those are not correctly rounded, so the last bit can differ between the two
//! builds, and a market simulated for a month amplifies one bit into a different path. Basic operations are
//! correctly rounded everywhere, and Rust never fuses `a * b + c` into an FMA on its own, so functions written
//! from them are reproducible. Accuracy is a few ulp, far below anything the model can notice.

use crate::rng::SplitMix64;

/// ln 2 split so that `k × LN2_HI` is exact for |k| < 2¹¹ (the fdlibm constants).
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// 1/n! for n = 0..=13, the Taylor coefficients of e^r (const-evaluated in IEEE arithmetic; within a few ulp).
const INVERSE_FACTORIALS: [f64; 14] = {
    let mut table = [1.0; 14];
    let mut n = 1;
    while n < 14 {
        table[n] = table[n - 1] / n as f64;
        n += 1;
    }
    table
};
/// 1/(2n + 1) for n = 0..=11, the coefficients of the atanh series in s².
const INVERSE_ODD_NUMBERS: [f64; 12] = {
    let mut table = [1.0; 12];
    let mut n = 1;
    while n < 12 {
        table[n] = 1.0 / (2 * n + 1) as f64;
        n += 1;
    }
    table
};

/// `e^x`: `x = k·ln 2 + r` with |r| ≤ ln2/2, a degree-13 Taylor polynomial for `e^r` (truncation < 1e-17), then
/// ×2^k through the exponent bits. Below −708 (subnormal results) it returns 0; above 709.78 it returns +∞.
pub(crate) fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.78 {
        return f64::INFINITY;
    }
    if x < -708.0 {
        return 0.0;
    }
    let k = (x * LOG2_E).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let poly = INVERSE_FACTORIALS
        .iter()
        .rev()
        .fold(0.0, |acc, c| acc * r + c);
    // k ∈ [−1022, 1024] here; split the power of two so each factor is a normal number.
    let k = k as i64;
    let half = k / 2;
    poly * power_of_two(half) * power_of_two(k - half)
}

fn power_of_two(k: i64) -> f64 {
    f64::from_bits(((k + 1023).clamp(1, 2046) as u64) << 52)
}

/// Natural logarithm: `x = m·2^e` with m ∈ [√½, √2), `ln m = 2·atanh(s)` with `s = (m − 1)/(m + 1)`, |s| ≤ 0.172,
/// summed to s²³ (truncation < 1e-17). NaN for negative input, −∞ for 0.
pub(crate) fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut mantissa, mut exponent) = split_exponent(x);
    if mantissa > std::f64::consts::SQRT_2 {
        mantissa *= 0.5;
        exponent += 1;
    }
    let s = (mantissa - 1.0) / (mantissa + 1.0);
    let s2 = s * s;
    let series = INVERSE_ODD_NUMBERS
        .iter()
        .rev()
        .fold(0.0, |acc, c| acc * s2 + c);
    let e = f64::from(exponent);
    e * LN2_HI + (e * LN2_LO + 2.0 * s * series)
}

/// `(m, e)` with `x = m·2^e`, m ∈ [1, 2), for finite x > 0 (subnormals are scaled up first).
fn split_exponent(x: f64) -> (f64, i32) {
    let (x, bias) = if x < f64::MIN_POSITIVE {
        (x * 18_014_398_509_481_984.0, 54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32 - 1023 - bias;
    let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | (1023u64 << 52));
    (mantissa, exponent)
}

/// Standard normal CDF Φ(x), Hart's (1968) rational approximation 5666 as written out by West (2005), "Better
/// approximations to cumulative normal functions", Wilmott: absolute error below 1e-15 (relative error grows in
/// the far tail, to about 1e-8 at −8.5, which no price in the model reaches).
pub(crate) fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let z = x.abs();
    let tail = if z > 37.0 {
        0.0
    } else {
        let gauss = exp(-z * z / 2.0);
        if z < 7.071_067_811_865_47 {
            let numerator = horner(
                z,
                &[
                    3.526_249_659_989_11e-2,
                    0.700_383_064_443_688,
                    6.373_962_203_531_65,
                    33.912_866_078_383,
                    112.079_291_497_871,
                    221.213_596_169_931,
                    220.206_867_912_376,
                ],
            );
            let denominator = horner(
                z,
                &[
                    8.838_834_764_831_84e-2,
                    1.755_667_163_182_64,
                    16.064_177_579_207,
                    86.780_732_202_946_1,
                    296.564_248_779_674,
                    637.333_633_378_831,
                    793.826_512_519_948,
                    440.413_735_824_752,
                ],
            );
            gauss * numerator / denominator
        } else {
            let fraction = z + 1.0 / (z + 2.0 / (z + 3.0 / (z + 4.0 / (z + 0.65))));
            gauss / fraction / 2.506_628_274_631
        }
    };
    if x > 0.0 { 1.0 - tail } else { tail }
}

fn horner(x: f64, coefficients_highest_first: &[f64]) -> f64 {
    coefficients_highest_first
        .iter()
        .fold(0.0, |acc, c| acc * x + c)
}

/// Standard normal draws from a [`SplitMix64`] stream by Marsaglia's polar method (no sine or cosine needed);
/// both numbers of each accepted pair are used.
#[derive(Debug, Clone)]
pub(crate) struct NormalDraws {
    rng: SplitMix64,
    spare: Option<f64>,
}

impl NormalDraws {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            rng: SplitMix64::new(seed),
            spare: None,
        }
    }

    pub(crate) fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        // Each try is accepted with probability π/4; 64 failures in a row (p ≈ 1e-43) fall back to 0.
        for _ in 0..64 {
            let u = 2.0 * self.rng.next_f64() - 1.0;
            let v = 2.0 * self.rng.next_f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * ln(s) / s).sqrt();
                self.spare = Some(v * factor);
                return u * factor;
            }
        }
        0.0
    }

    /// A cheap symmetric variate with mean 0 and variance 1 (sum of three uniforms, rescaled; bounded by ±3),
    /// for noise whose exact shape does not matter.
    pub(crate) fn symmetric_unit(&mut self) -> f64 {
        2.0 * (self.rng.next_f64() + self.rng.next_f64() + self.rng.next_f64() - 1.5)
    }

    /// Uniform in [0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        self.rng.next_f64()
    }

    /// A uniform index in 0..n (0 for n = 0).
    pub(crate) fn index(&mut self, n: usize) -> usize {
        self.rng.index(n)
    }
}

/// A seed for an independent sub-stream: SplitMix64's output for `seed` advanced by a stream tag, so changing one
/// part of the model (say, one venue's traders) does not reshuffle the random numbers of every other part.
pub(crate) fn substream_seed(seed: u64, tag: u64) -> u64 {
    SplitMix64::new(seed ^ tag.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn relative_error(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    /// Reference values from Python's `0.5 * math.erfc(-x / sqrt(2))`, computed independently; the tolerance is
    /// West's stated absolute accuracy, plus a relative bound for the tail points (a Python transcription of
    /// the same algorithm gives 4.6e-11 at −5 and 7.3e-9 at −8.5).
    #[test]
    fn normal_cdf_matches_erfc_reference_values() {
        let table = [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.0, 0.158_655_253_931_457_07),
            (-1.96, 0.024_997_895_148_220_435),
            (2.5, 0.993_790_334_674_223_8),
            (-5.0, 2.866_515_718_791_946e-7),
            (-8.5, 9.479_534_822_203_355e-18),
            (0.3, 0.617_911_422_188_952_6),
        ];
        for (x, expected) in table {
            let got = normal_cdf(x);
            assert!(
                (got - expected).abs() < 1e-15 && relative_error(got, expected) < 1e-8,
                "Φ({x}) = {got}"
            );
        }
        assert_eq!(normal_cdf(-40.0), 0.0);
        assert_eq!(normal_cdf(40.0), 1.0);
        assert!(normal_cdf(f64::NAN).is_nan());
    }

    #[test]
    fn special_values_follow_the_ieee_conventions() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(1_000.0), f64::INFINITY);
        assert_eq!(exp(-1_000.0), 0.0);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert_eq!(ln(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn polar_draws_have_unit_moments() {
        let mut draws = NormalDraws::new(11);
        let n = 100_000;
        let sample: Vec<f64> = (0..n).map(|_| draws.normal()).collect();
        let mean = sample.iter().sum::<f64>() / n as f64;
        let variance = sample.iter().map(|z| (z - mean) * (z - mean)).sum::<f64>() / (n - 1) as f64;
        assert!(mean.abs() < 0.015, "mean {mean}");
        assert!((variance - 1.0).abs() < 0.02, "variance {variance}");
    }

    #[test]
    fn substreams_differ_by_tag_and_repeat_by_seed() {
        assert_ne!(substream_seed(1, 0), substream_seed(1, 1));
        assert_eq!(substream_seed(9, 3), substream_seed(9, 3));
    }

    proptest! {
        /// Agrees with the platform libm to a few ulp over the range the model uses.
        #[test]
        fn exp_agrees_with_libm(x in -700.0f64..700.0) {
            prop_assert!(relative_error(exp(x), x.exp()) < 1e-14);
        }

        #[test]
        fn ln_agrees_with_libm(x in 1e-300f64..1e300) {
            let reference = x.ln();
            prop_assert!((ln(x) - reference).abs() <= 1e-15 * reference.abs().max(1.0));
        }

        #[test]
        fn ln_agrees_with_libm_near_one(x in 0.5f64..2.0) {
            // Within two ulp of libm (both round, in different ways).
            prop_assert!((ln(x) - x.ln()).abs() <= 2.0 * f64::EPSILON * x.ln().abs() + 1e-17);
        }

        #[test]
        fn normal_cdf_is_symmetric(x in -30.0f64..30.0) {
            prop_assert!((normal_cdf(x) + normal_cdf(-x) - 1.0).abs() < 1e-15);
        }
    }
}
