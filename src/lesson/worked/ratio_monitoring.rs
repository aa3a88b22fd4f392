//! Leverage ratio monitoring: the estimated leverage ratio, open interest against market cap, and today's
//! ratio against its history.

use lens_math::positioning::{estimated_leverage_ratio, oi_to_market_cap};

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

static OI: Input = Input::new(
    "oi",
    "Open interest, billion USD",
    12.6,
    (0.0, 1_000.0, 0.1),
    3,
);
static PRICE: Input = Input::new(
    "price",
    "BTC price, USD",
    42_000.0,
    (1.0, 10_000_000.0, 500.0),
    2,
);
static RESERVE: Input = Input::new(
    "reserve",
    "Exchange reserve, BTC",
    2_000_000.0,
    (10_000.0, 21_000_000.0, 50_000.0),
    0,
);
static SUPPLY: Input = Input::new(
    "supply",
    "Circulating supply, million BTC",
    19.6,
    (0.1, 21.0, 0.1),
    3,
);
static MEAN: Input = Input::new(
    "elr-mean",
    "90-day mean of the ratio",
    0.12,
    (0.0, 10.0, 0.01),
    4,
);
static SPREAD: Input = Input::new(
    "elr-sd",
    "90-day standard deviation of the ratio",
    0.012,
    (0.0001, 10.0, 0.001),
    4,
);

pub static MODEL: Model = Model {
    slug: "leverage-ratio-monitoring",
    inputs: &[&OI, &PRICE, &RESERVE, &SUPPLY, &MEAN, &SPREAD],
    compute,
    ladder: Some(Ladder {
        input: &RESERVE,
        from: 500_000.0,
        to: 5_000_000.0,
        answer: "Estimated leverage ratio",
        at: elr,
    }),
};

fn elr(v: &Values) -> Option<f64> {
    let coins = v.of(&OI) * 1e9 / v.of(&PRICE);
    estimated_leverage_ratio(coins, v.of(&RESERVE)).ok()
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let (oi_usd, price, reserve) = (v.of(&OI) * 1e9, v.of(&PRICE), v.of(&RESERVE));
    let coins = oi_usd / price;
    let ratio = estimated_leverage_ratio(coins, reserve)?;
    let supply = v.of(&SUPPLY) * 1e6;
    let foi_mc = oi_to_market_cap(oi_usd, price, supply)?;
    let z = (ratio - v.of(&MEAN)) / v.of(&SPREAD);
    Ok(vec![
        ("oi-usd", tidy(oi_usd, 0)),
        ("oi-coins", tidy(coins, 0)),
        ("elr", tidy(ratio, 4)),
        ("reserve-usd-bn", tidy(reserve * price / 1e9, 2)),
        ("mixed", tidy(oi_usd / reserve, 0)),
        ("mcap-bn", tidy(price * supply / 1e9, 1)),
        ("foi-mc", num(foi_mc * 100.0, 2)),
        ("elr-z", tidy(z, 2)),
    ])
}
