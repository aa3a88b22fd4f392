//! Leverage dependency: funding spend per 8 h, day and year, and open interest against spot volume.

use lens_math::funding::{FundingRate, funding_spend};
use lens_math::positioning::oi_to_spot_volume_days;

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

static OI: Input = Input {
    key: "oi",
    label: "Open interest, billion USD",
    default: 10.0,
    min: 0.0,
    max: 1_000.0,
    step: 0.5,
    decimals: 3,
};
static RATE: Input = Input {
    key: "rate",
    label: "Funding per 8 h, %",
    default: 0.01,
    min: -3.0,
    max: 3.0,
    step: 0.005,
    decimals: 4,
};
static RATE_HIGH: Input = Input {
    key: "rate-high",
    label: "Higher funding per 8 h, %",
    default: 0.03,
    min: -3.0,
    max: 3.0,
    step: 0.005,
    decimals: 4,
};
static SPOT: Input = Input {
    key: "spot",
    label: "Spot volume in 24 h, billion USD",
    default: 2.5,
    min: 0.01,
    max: 1_000.0,
    step: 0.1,
    decimals: 3,
};

pub static MODEL: Model = Model {
    slug: "leverage-dependency",
    inputs: &[&OI, &RATE, &RATE_HIGH, &SPOT],
    compute,
    ladder: Some(Ladder {
        input: &RATE,
        from: -0.1,
        to: 0.1,
        answer: "Funding spend per 8 h, million USD",
        at: spend_per_8h_millions,
    }),
};

fn spend_per_8h_millions(v: &Values) -> Option<f64> {
    let rate = FundingRate::new(v.of(&RATE) / 100.0, 8.0).ok()?;
    funding_spend(rate, v.of(&OI) * 1e9)
        .ok()
        .map(|s| s.per_8h_usd / 1e6)
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let oi_usd = v.of(&OI) * 1e9;
    let base = funding_spend(FundingRate::new(v.of(&RATE) / 100.0, 8.0)?, oi_usd)?;
    let high = funding_spend(FundingRate::new(v.of(&RATE_HIGH) / 100.0, 8.0)?, oi_usd)?;
    let days = oi_to_spot_volume_days(oi_usd, v.of(&SPOT) * 1e9)?;
    Ok(vec![
        ("rate-frac", tidy(v.of(&RATE) / 100.0, 8)),
        ("oi-usd", tidy(oi_usd, 0)),
        ("spend-8h", num(base.per_8h_usd / 1e6, 1)),
        ("spend-day", num(base.per_day_usd / 1e6, 1)),
        ("spend-year", num(base.per_year_usd / 1e9, 3)),
        ("apr", tidy(v.of(&RATE) * 3.0 * 365.0, 2)),
        ("high-8h", num(high.per_8h_usd / 1e6, 1)),
        ("high-year", num(high.per_year_usd / 1e9, 3)),
        ("days", num(days, 1)),
    ])
}
