//! Systemic leverage cycles: aggregate open interest against market capitalisation, the build-up and
//! deleveraging rule on that ratio, adding a second coin, and the elevated test.

use lens_math::cycles::{OiRegime, RegimeRule, aggregate_leverage_ratio};
use lens_math::series::{DAY_MS, TimeSeries};

use super::{Input, Ladder, Model, Outputs, Problem, Values, signed_tidy, tidy};
use crate::lesson::text::num;

const BN: (f64, f64, f64) = (0.0, 100_000.0, 1.0);
const PCT: (f64, f64, f64) = (0.0, 99.0, 1.0);

static OI_A: Input = Input::new("oi-a", "Venue 1 open interest, bn USD", 18.0, BN, 4);
static OI_B: Input = Input::new("oi-b", "Venue 2 open interest, bn USD", 9.0, BN, 4);
static OI_C: Input = Input::new("oi-c", "Venue 3 open interest, bn USD", 6.0, BN, 4);
static OI_D: Input = Input::new("oi-d", "Venue 4 open interest, bn USD", 3.0, BN, 4);
static MCAP: Input = Input::new(
    "mcap",
    "BTC market capitalisation, bn USD",
    1_200.0,
    (1.0, 100_000.0, 50.0),
    4,
);
static BEFORE: Input = Input::new(
    "before",
    "The ratio 30 days earlier, %",
    2.5,
    (0.01, 100.0, 0.1),
    4,
);
static PRICE_FALL: Input = Input::new(
    "price-fall",
    "Price fall over the next week, %",
    12.0,
    PCT,
    4,
);
static OI_FALL: Input = Input::new(
    "oi-fall",
    "Coin open-interest fall over the next week, %",
    15.0,
    PCT,
    4,
);
static ETH_OI: Input = Input::new("eth-oi", "ETH open interest, bn USD", 14.0, BN, 4);
static ETH_MCAP: Input = Input::new(
    "eth-mcap",
    "ETH market capitalisation, bn USD",
    300.0,
    (1.0, 100_000.0, 10.0),
    4,
);
static MEAN: Input = Input::new(
    "mean",
    "Past year's mean ratio, %",
    2.4,
    (0.0, 100.0, 0.1),
    4,
);
static SD: Input = Input::new(
    "sd",
    "Past year's standard deviation, %",
    0.3,
    (0.01, 100.0, 0.05),
    4,
);

pub static MODEL: Model = Model {
    slug: "systemic-leverage-cycles",
    inputs: &[
        &OI_A,
        &OI_B,
        &OI_C,
        &OI_D,
        &MCAP,
        &BEFORE,
        &PRICE_FALL,
        &OI_FALL,
        &ETH_OI,
        &ETH_MCAP,
        &MEAN,
        &SD,
    ],
    compute,
    ladder: Some(Ladder {
        input: &OI_FALL,
        from: 0.0,
        to: 40.0,
        answer: "The ratio after a week, %",
        at: |v| {
            ratio_now(v)
                .ok()
                .map(|r| r * (1.0 - v.of(&OI_FALL) / 100.0) * 100.0)
        },
    }),
};

fn ratio_now(v: &Values) -> lens_math::Result<f64> {
    aggregate_leverage_ratio(
        &[v.of(&OI_A), v.of(&OI_B), v.of(&OI_C), v.of(&OI_D)],
        &[v.of(&MCAP)],
    )
}

fn phase_words(regime: Option<OiRegime>) -> &'static str {
    match regime {
        Some(OiRegime::BuildUp) => "build-up",
        Some(OiRegime::Flush) => "deleveraging",
        Some(OiRegime::Neutral) | None => "neutral",
    }
}

/// "a 20 % rise" or "a 15 % drop".
fn change_words(change_pct: f64) -> String {
    if change_pct >= 0.0 {
        format!("a {} % rise", tidy(change_pct, 1))
    } else {
        format!("a {} % drop", tidy(-change_pct, 1))
    }
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let total = v.of(&OI_A) + v.of(&OI_B) + v.of(&OI_C) + v.of(&OI_D);
    if total <= 0.0 {
        return Err(Problem::at(
            &OI_A,
            "At least one venue needs open interest for a ratio to move.",
        ));
    }
    let now = ratio_now(v)?;
    let before = v.of(&BEFORE) / 100.0;
    let (price_keep, oi_keep) = (
        1.0 - v.of(&PRICE_FALL) / 100.0,
        1.0 - v.of(&OI_FALL) / 100.0,
    );
    let total_after = total * price_keep * oi_keep;
    let mcap_after = v.of(&MCAP) * price_keep;
    if mcap_after <= 0.0 {
        return Err(Problem::at(
            &PRICE_FALL,
            "The market cap must stay above zero.",
        ));
    }
    let after = total_after / mcap_after;
    let series = TimeSeries::new(vec![0, 30 * DAY_MS, 37 * DAY_MS], vec![before, now, after])?;
    let points = RegimeRule::default().classify(&series)?;
    let phase = |i: usize| phase_words(points.get(i).and_then(|p| p.regime));
    let (change1, change2) = ((now / before - 1.0) * 100.0, (after / now - 1.0) * 100.0);
    let reading = |p: &str| match p {
        "build-up" => "above the 15 % threshold, so the phase is build-up".to_string(),
        "deleveraging" => "so the phase is deleveraging".to_string(),
        _ => "so the phase is neither build-up nor deleveraging".to_string(),
    };
    let combined =
        aggregate_leverage_ratio(&[total, v.of(&ETH_OI)], &[v.of(&MCAP), v.of(&ETH_MCAP)])?;
    let z = (now * 100.0 - v.of(&MEAN)) / v.of(&SD);
    Ok(vec![
        ("total", tidy(total, 4)),
        ("total1", num(total, 1)),
        ("ratio0", num(before * 100.0, 2)),
        ("ratio1", num(now * 100.0, 2)),
        (
            "change1",
            format!("{} % over 30 days", signed_tidy(change1, 1)),
        ),
        ("change1-words", change_words(change1)),
        ("phase1", phase(1).to_string()),
        ("phase1-reading", reading(phase(1))),
        ("price-keep", tidy(price_keep, 4)),
        ("oi-keep", tidy(oi_keep, 4)),
        ("total2", num(total_after, 1)),
        ("total2-fine", num(total_after, 2)),
        ("mcap2", tidy(mcap_after, 2)),
        ("ratio2", num(after * 100.0, 2)),
        (
            "change2",
            format!("{} % over 7 days", signed_tidy(change2, 1)),
        ),
        ("change2-words", change_words(change2)),
        ("phase2", phase(2).to_string()),
        ("phase2-reading", reading(phase(2))),
        ("eth-ratio", num(v.of(&ETH_OI) / v.of(&ETH_MCAP) * 100.0, 2)),
        ("combined-oi", tidy(total + v.of(&ETH_OI), 4)),
        ("combined-mcap", tidy(v.of(&MCAP) + v.of(&ETH_MCAP), 4)),
        ("combined", num(combined * 100.0, 2)),
        ("mean2", num(v.of(&MEAN), 2)),
        ("sd2", num(v.of(&SD), 2)),
        ("z", num(z, 1)),
        (
            "elevated-reading",
            if z >= 1.5 {
                "above 1.5, so the phase is elevated"
            } else {
                "not above 1.5, so the phase is not elevated"
            }
            .to_string(),
        ),
    ])
}
