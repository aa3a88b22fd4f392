//! Options trading leverage: Black–Scholes value, delta, elasticity and option volatility for the MathWorks
//! `blslambda` inputs and Hull's European option, the check against a 1 % move, and elasticity across strikes
//! and expiries.

use lens_math::market::OptionKind;
use lens_math::options::{BlackScholes, OptionTerms, Underlying};

use super::{Input, Ladder, Model, Outputs, Problem, Values, capped, tidy};
use crate::lesson::text::num;

const PRICE: (f64, f64, f64) = (0.01, 1_000_000.0, 1.0);
const RATE: (f64, f64, f64) = (-0.1, 0.5, 0.01);
const YEARS: (f64, f64, f64) = (0.01, 10.0, 0.05);
const VOL: (f64, f64, f64) = (0.01, 3.0, 0.01);

static A_S: Input = Input::new("a-s", "Example 1 underlying price S", 50.0, PRICE, 4);
static A_K: Input = Input::new("a-k", "Example 1 strike K", 50.0, PRICE, 4);
static A_R: Input = Input::new("a-r", "Example 1 rate r", 0.12, RATE, 4);
static A_T: Input = Input::new("a-t", "Example 1 years to expiry T", 0.25, YEARS, 4);
static A_VOL: Input = Input::new("a-vol", "Example 1 volatility σ", 0.3, VOL, 4);
static B_S: Input = Input::new("b-s", "Example 2 underlying price S", 42.0, PRICE, 4);
static B_K: Input = Input::new("b-k", "Example 2 strike K", 40.0, PRICE, 4);
static B_R: Input = Input::new("b-r", "Example 2 rate r", 0.1, RATE, 4);
static B_VOL: Input = Input::new("b-vol", "Example 2 volatility σ", 0.2, VOL, 4);
static B_T: Input = Input::new("b-t", "Example 2 years to expiry T", 0.5, YEARS, 4);

pub static MODEL: Model = Model {
    slug: "options-trading-leverage",
    inputs: &[
        &A_S, &A_K, &A_R, &A_T, &A_VOL, &B_S, &B_K, &B_R, &B_VOL, &B_T,
    ],
    compute,
    ladder: Some(Ladder {
        input: &B_K,
        from: 30.0,
        to: 60.0,
        answer: "Example 2 call elasticity",
        at: hull_call_elasticity,
    }),
};

/// The strike table: strikes down, months to expiry across.
const STRIKES: [f64; 3] = [40.0, 45.0, 50.0];
const MONTHS: [f64; 3] = [6.0, 3.0, 1.0];
const STRIKE_KEYS: [[&str; 3]; 3] = [
    ["el-40-6", "el-40-3", "el-40-1"],
    ["el-45-6", "el-45-3", "el-45-1"],
    ["el-50-6", "el-50-3", "el-50-1"],
];

fn price(s: f64, k: f64, r: f64, t: f64, vol: f64) -> lens_math::Result<BlackScholes> {
    BlackScholes::new(
        OptionTerms {
            underlying_price: s,
            strike: k,
            years_to_expiry: t,
            rate: r,
            underlying: Underlying::Spot {
                dividend_yield: 0.0,
            },
        },
        vol,
    )
}

fn hull_call_elasticity(v: &Values) -> Option<f64> {
    price(v.of(&B_S), v.of(&B_K), v.of(&B_R), v.of(&B_T), v.of(&B_VOL))
        .ok()?
        .elasticity(OptionKind::Call)
        .ok()
}

/// An elasticity, or a dash where the option is worth too little for one to mean anything.
fn elasticity(model: &BlackScholes, kind: OptionKind, decimals: usize) -> String {
    model
        .elasticity(kind)
        .map_or_else(|_| "–".to_string(), |e| num(e, decimals))
}

/// One column of the first table: d1, d2, call and put value, deltas, elasticities and option volatilities.
fn one_column(keys: [&'static str; 10], m: &BlackScholes) -> Outputs {
    let vol = |kind| {
        m.option_volatility(kind)
            .map_or_else(|_| "–".to_string(), |v| num(v * 100.0, 1))
    };
    let cells = [
        num(m.d1(), 4),
        num(m.d2(), 4),
        num(m.price(OptionKind::Call), 4),
        num(m.price(OptionKind::Put), 4),
        num(m.delta(OptionKind::Call), 4),
        num(m.delta(OptionKind::Put), 4),
        elasticity(m, OptionKind::Call, 4),
        elasticity(m, OptionKind::Put, 4),
        vol(OptionKind::Call),
        vol(OptionKind::Put),
    ];
    keys.into_iter().zip(cells).collect()
}

const A_KEYS: [&str; 10] = [
    "a-d1",
    "a-d2",
    "a-call",
    "a-put",
    "a-call-delta",
    "a-put-delta",
    "a-call-el",
    "a-put-el",
    "a-call-vol",
    "a-put-vol",
];
const B_KEYS: [&str; 10] = [
    "b-d1",
    "b-d2",
    "b-call",
    "b-put",
    "b-call-delta",
    "b-put-delta",
    "b-call-el",
    "b-put-el",
    "b-call-vol",
    "b-put-vol",
];

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let bad = |input: &'static Input| {
        move |_| {
            Problem::at(
                input,
                "With these numbers the model leaves double precision: try a shorter time or a lower volatility.",
            )
        }
    };
    let a =
        price(v.of(&A_S), v.of(&A_K), v.of(&A_R), v.of(&A_T), v.of(&A_VOL)).map_err(bad(&A_VOL))?;
    let (s, k, r, vol, t) = (v.of(&B_S), v.of(&B_K), v.of(&B_R), v.of(&B_VOL), v.of(&B_T));
    let b = price(s, k, r, t, vol).map_err(bad(&B_VOL))?;
    let mut out = one_column(A_KEYS, &a);
    out.extend(one_column(B_KEYS, &b));

    // The first-order elasticity against a real 1 % move of the underlying.
    let up = price(s * 1.01, k, r, t, vol).map_err(bad(&B_S))?;
    let change = |kind| up.price(kind) / b.price(kind) - 1.0;
    let put_change = change(OptionKind::Put);
    out.extend([
        ("b-s-up", tidy(s * 1.01, 4)),
        ("b-call-up", num(up.price(OptionKind::Call), 4)),
        ("b-call-gain", capped(change(OptionKind::Call) * 100.0, 2)),
        ("b-put-up", num(up.price(OptionKind::Put), 4)),
        ("b-put-loss", capped(put_change.abs() * 100.0, 2)),
    ]);

    for (strike, keys) in STRIKES.iter().zip(STRIKE_KEYS) {
        for (months, key) in MONTHS.iter().zip(keys) {
            let cell = price(s, *strike, r, months / 12.0, vol)
                .map_or_else(|_| "–".to_string(), |m| elasticity(&m, OptionKind::Call, 2));
            out.push((key, cell));
        }
    }
    let deep = price(s, 50.0, r, 1.0 / 12.0, vol).map_err(bad(&B_VOL))?;
    out.push(("deep-call", num(deep.price(OptionKind::Call), 4)));
    Ok(out)
}
