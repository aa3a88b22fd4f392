//! Leverage deleveraging cycles: the three flush conditions for one four-hour window (open-interest z-score,
//! funding reset, liquidation burst) and what the same drop looks like in USD.

use lens_math::cycles::{FlushDetector, FlushStep};

use super::{Input, Ladder, Model, Outputs, Problem, Values, by_sign, signed, tidy};
use crate::lesson::text::num;

const COINS: (f64, f64, f64) = (1.0, 100_000_000.0, 500.0);
const PRICE: (f64, f64, f64) = (1.0, 10_000_000.0, 100.0);
const RATE: (f64, f64, f64) = (-3.0, 3.0, 0.001);
const MUSD: (f64, f64, f64) = (0.0, 1_000_000.0, 10.0);

static MEAN: Input = Input::new(
    "mean",
    "Mean 4-hour change of open interest, %",
    0.2,
    (-50.0, 50.0, 0.05),
    4,
);
static SD: Input = Input::new(
    "sd",
    "Standard deviation of 4-hour changes, %",
    1.5,
    (0.01, 50.0, 0.05),
    4,
);
static OI0: Input = Input::new("oi0", "Open interest 4 h ago, BTC", 92_000.0, COINS, 4);
static OI1: Input = Input::new("oi1", "Open interest now, BTC", 86_000.0, COINS, 4);
static P0: Input = Input::new("p0", "Price 4 h ago, USD", 67_400.0, PRICE, 4);
static P1: Input = Input::new("p1", "Price now, USD", 63_500.0, PRICE, 4);
static F0: Input = Input::new("f0", "Funding 4 h ago, % per 8 h", 0.045, RATE, 4);
static F1: Input = Input::new("f1", "Funding now, % per 8 h", 0.008, RATE, 4);
static MEDIAN: Input = Input::new(
    "median",
    "Median liquidations in a window, M USD",
    40.0,
    MUSD,
    4,
);
static LIQ: Input = Input::new("liq", "Liquidations in this window, M USD", 310.0, MUSD, 4);

pub static MODEL: Model = Model {
    slug: "leverage-deleveraging-cycles",
    inputs: &[&MEAN, &SD, &OI0, &OI1, &P0, &P1, &F0, &F1, &MEDIAN, &LIQ],
    compute,
    ladder: Some(Ladder {
        input: &OI1,
        from: 80_000.0,
        to: 95_000.0,
        answer: "z-score of the open-interest change",
        at: |v| step(v).ok().and_then(|bar| bar.z),
    }),
};

fn step(v: &Values) -> lens_math::Result<lens_math::cycles::FlushBar> {
    FlushDetector::default().step(&FlushStep {
        open_interest_before: v.of(&OI0),
        open_interest_now: v.of(&OI1),
        change_mean: v.of(&MEAN) / 100.0,
        change_sd: v.of(&SD) / 100.0,
        funding_before_per_8h: v.of(&F0) / 100.0,
        funding_now_per_8h: v.of(&F1) / 100.0,
        liquidated_window_usd: v.of(&LIQ) * 1e6,
        liquidated_median_usd: v.of(&MEDIAN) * 1e6,
        price_before: v.of(&P0),
        price_now: v.of(&P1),
    })
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let detector = FlushDetector::default();
    let bar = step(v)?;
    let (change, z) = (bar.oi_change.unwrap_or(0.0) * 100.0, bar.z.unwrap_or(0.0));
    let k = detector.z_threshold();
    let before = bar.funding_excess_before.unwrap_or(0.0) * 100.0;
    let now = bar.funding_excess_now * 100.0;
    let half = before.abs() * (1.0 - detector.reset_share());
    let reset_words = if before == 0.0 {
        "Funding was at neutral, so there was nothing to reset: Rₜ = 0.".to_string()
    } else {
        let sign = if before > 0.0 { "positive" } else { "negative" };
        let verdict = if bar.funding_reset {
            "Funding has reset, so Rₜ = 1."
        } else {
            "Funding has not reset, so Rₜ = 0."
        };
        // The rule measures the excess now in the direction of the earlier one.
        let toward = before.signum() * now;
        format!(
            "The earlier sign is {sign}; in that direction the excess is now {} %, which is {} half of {} %, \
             that is {} %. {verdict}",
            signed(toward, 3),
            if bar.funding_reset { "below" } else { "above" },
            tidy(before.abs(), 4),
            tidy(half, 5),
        )
    };
    let multiple = detector.burst_multiple();
    let ratio = bar.liquidation_ratio;
    let price_change = bar.price_change.unwrap_or(0.0) * 100.0;
    let side = by_sign(price_change, "long", "side-less", "short");
    let result = match (bar.flagged, bar.confirmed) {
        (true, true) => format!("a confirmed {side} flush"),
        (true, false) => format!("an unconfirmed {side} flush"),
        _ => "no flush".to_string(),
    };
    let usd_before = v.of(&OI0) * v.of(&P0);
    let usd_now = v.of(&OI1) * v.of(&P1);
    let usd_change = (usd_now / usd_before - 1.0) * 100.0;
    let times = usd_change / change;
    Ok(vec![
        ("f0-apr", num(v.of(&F0) * 3.0 * 365.0, 1)),
        ("f1-apr", num(v.of(&F1) * 3.0 * 365.0, 1)),
        ("r", num(change, 2)),
        ("mean-2", num(v.of(&MEAN), 2)),
        ("sd-2", num(v.of(&SD), 2)),
        ("z", num(z, 2)),
        (
            "z-words",
            if z <= -k {
                format!(
                    "below −{}, so the open-interest condition holds",
                    tidy(k, 2)
                )
            } else {
                format!(
                    "not below −{}, so the open-interest condition fails",
                    tidy(k, 2)
                )
            },
        ),
        ("excess-before", signed(before, 3)),
        ("excess-now", signed(now, 3)),
        ("reset-words", reset_words),
        (
            "liq-ratio",
            ratio.map_or_else(|| "–".to_string(), |r| tidy(r, 2)),
        ),
        (
            "burst-words",
            if bar.burst {
                format!("above the multiple of {}, so Bₜ = 1", tidy(multiple, 2))
            } else {
                format!("below the multiple of {}, so Bₜ = 0", tidy(multiple, 2))
            },
        ),
        (
            "price-words",
            if price_change < 0.0 {
                format!("fell {}", num(-price_change, 2))
            } else {
                format!("rose {}", num(price_change, 2))
            },
        ),
        ("result", result),
        ("usd-before", num(usd_before / 1e9, 2)),
        ("usd-now", num(usd_now / 1e9, 2)),
        (
            "usd-words",
            if usd_change < 0.0 {
                format!("a drop of {}", num(-usd_change, 2))
            } else {
                format!("a rise of {}", num(usd_change, 2))
            },
        ),
        (
            "times",
            if (1.7..2.0).contains(&times) {
                "almost twice".to_string()
            } else if times.is_finite() && times.abs() <= 1_000.0 {
                format!("{} times", tidy(times, 2))
            } else {
                "out of all proportion to".to_string()
            },
        ),
    ])
}
