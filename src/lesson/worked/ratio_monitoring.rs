//! Leverage ratio monitoring: the estimated leverage ratio, open interest against market cap, and today's
//! ratio against its history.

use lens_math::positioning::{estimated_leverage_ratio, oi_to_market_cap};

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

static OI: Input = Input {
    key: "oi",
    label: "Open interest, billion USD",
    default: 12.6,
    min: 0.0,
    max: 1_000.0,
    step: 0.1,
    decimals: 3,
};
static PRICE: Input = Input {
    key: "price",
    label: "BTC price, USD",
    default: 42_000.0,
    min: 1.0,
    max: 10_000_000.0,
    step: 500.0,
    decimals: 2,
};
static RESERVE: Input = Input {
    key: "reserve",
    label: "Exchange reserve, BTC",
    default: 2_000_000.0,
    min: 10_000.0,
    max: 21_000_000.0,
    step: 50_000.0,
    decimals: 0,
};
static SUPPLY: Input = Input {
    key: "supply",
    label: "Circulating supply, million BTC",
    default: 19.6,
    min: 0.1,
    max: 21.0,
    step: 0.1,
    decimals: 3,
};
static MEAN: Input = Input {
    key: "elr-mean",
    label: "90-day mean of the ratio",
    default: 0.12,
    min: 0.0,
    max: 10.0,
    step: 0.01,
    decimals: 4,
};
static SPREAD: Input = Input {
    key: "elr-sd",
    label: "90-day standard deviation of the ratio",
    default: 0.012,
    min: 0.0001,
    max: 10.0,
    step: 0.001,
    decimals: 4,
};

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
