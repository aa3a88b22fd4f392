//! Leverage dependency: funding spend per 8 h, day and year, and open interest against spot volume.

use lens_math::funding::{FundingRate, funding_spend};
use lens_math::positioning::oi_to_spot_volume_days;
use lens_math::stats::{mean, ols};

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

static OI: Input = Input::new(
    "oi",
    "Open interest, billion USD",
    10.0,
    (0.0, 1_000.0, 0.5),
    3,
);
static RATE: Input = Input::new("rate", "Funding per 8 h, %", 0.01, (-3.0, 3.0, 0.005), 4);
static RATE_HIGH: Input = Input::new(
    "rate-high",
    "Higher funding per 8 h, %",
    0.03,
    (-3.0, 3.0, 0.005),
    4,
);
static SPOT: Input = Input::new(
    "spot",
    "Spot volume in 24 h, billion USD",
    2.5,
    (0.01, 1_000.0, 0.1),
    3,
);

const fn day(key: &'static str, label: &'static str, default: f64) -> Input {
    Input::new(key, label, default, (-100.0, 100.0, 0.1), 4)
}

static X1: Input = day("x1", "Day 1 OI change, %", 2.0);
static X2: Input = day("x2", "Day 2 OI change, %", -1.0);
static X3: Input = day("x3", "Day 3 OI change, %", 3.0);
static X4: Input = day("x4", "Day 4 OI change, %", -4.0);
static X5: Input = day("x5", "Day 5 OI change, %", 1.0);
static X6: Input = day("x6", "Day 6 OI change, %", -1.0);
static R1: Input = day("r1", "Day 1 return, %", 0.8);
static R2: Input = day("r2", "Day 2 return, %", 0.4);
static R3: Input = day("r3", "Day 3 return, %", 1.5);
static R4: Input = day("r4", "Day 4 return, %", -2.6);
static R5: Input = day("r5", "Day 5 return, %", -0.3);
static R6: Input = day("r6", "Day 6 return, %", -0.6);

/// The six days: OI change, return, and the key of their product.
const DAYS: [(&Input, &Input, &str); 6] = [
    (&X1, &R1, "xr1"),
    (&X2, &R2, "xr2"),
    (&X3, &R3, "xr3"),
    (&X4, &R4, "xr4"),
    (&X5, &R5, "xr5"),
    (&X6, &R6, "xr6"),
];

pub static MODEL: Model = Model {
    slug: "leverage-dependency",
    inputs: &[
        &OI, &RATE, &RATE_HIGH, &SPOT, &X1, &X2, &X3, &X4, &X5, &X6, &R1, &R2, &R3, &R4, &R5, &R6,
    ],
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
    let mut out = sensitivity(v)?;
    out.extend([
        ("rate-frac", tidy(v.of(&RATE) / 100.0, 8)),
        ("oi-usd", tidy(oi_usd, 0)),
        ("spend-8h", num(base.per_8h_usd / 1e6, 1)),
        ("spend-day", num(base.per_day_usd / 1e6, 1)),
        ("spend-year", num(base.per_year_usd / 1e9, 3)),
        ("apr", tidy(v.of(&RATE) * 3.0 * 365.0, 2)),
        ("high-8h", num(high.per_8h_usd / 1e6, 1)),
        ("high-year", num(high.per_year_usd / 1e9, 3)),
        ("days", num(days, 1)),
    ]);
    Ok(out)
}

/// Price sensitivity to open interest: the six-day regression of returns on OI changes.
fn sensitivity(v: &Values) -> Result<Outputs, Problem> {
    let x: Vec<f64> = DAYS.iter().map(|(x, _, _)| v.of(x)).collect();
    let r: Vec<f64> = DAYS.iter().map(|(_, r, _)| v.of(r)).collect();
    let fit = ols(&x, &r).map_err(|_| {
        Problem::at(
            &X1,
            "The six OI changes are all equal: there is no slope to fit.",
        )
    })?;
    let (x_mean, r_mean) = (mean(&x)?, mean(&r)?);
    let sxr: f64 = x
        .iter()
        .zip(&r)
        .map(|(x, r)| (x - x_mean) * (r - r_mean))
        .sum();
    let sxx: f64 = x.iter().map(|x| (x - x_mean).powi(2)).sum();
    let mut out: Outputs = DAYS
        .iter()
        .map(|(xi, ri, key)| (*key, tidy(v.of(xi) * v.of(ri), 4)))
        .collect();
    out.extend([
        ("x-sum", tidy(x.iter().sum(), 4)),
        ("x-mean", tidy(x_mean, 4)),
        ("r-mean", num(r_mean, 3)),
        ("sxr", tidy(sxr, 4)),
        ("sxx", tidy(sxx, 4)),
        ("slope", num(fit.slope, 4)),
        ("intercept", num(fit.intercept, 3)),
        ("r-squared", num(fit.r_squared, 2)),
        (
            "direction",
            if fit.slope >= 0.0 { "rise" } else { "fall" }.to_string(),
        ),
        ("slope-2", num(fit.slope.abs(), 2)),
    ]);
    Ok(out)
}
