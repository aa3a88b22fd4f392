//! CPPI: the exam-style allocation (cushion, exposure, reserve) and the trade after one move of the risky asset.

use lens_math::cppi::Cppi;

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};

static VALUE: Input = Input {
    key: "value",
    label: "Portfolio value V",
    default: 10_000_000.0,
    min: 1.0,
    max: 1e12,
    step: 100_000.0,
    decimals: 2,
};
static FLOOR: Input = Input {
    key: "floor",
    label: "Floor F",
    default: 8_500_000.0,
    min: 0.0,
    max: 1e12,
    step: 100_000.0,
    decimals: 2,
};
static MULTIPLIER: Input = Input {
    key: "multiplier",
    label: "Multiplier m",
    default: 3.0,
    min: 1.0,
    max: 20.0,
    step: 0.5,
    decimals: 2,
};
static MOVE: Input = Input {
    key: "move",
    label: "Move of the risky asset, %",
    default: 10.0,
    min: 0.0,
    max: 100.0,
    step: 1.0,
    decimals: 2,
};

pub static MODEL: Model = Model {
    slug: "leverage-management-in-cppi",
    inputs: &[&VALUE, &FLOOR, &MULTIPLIER, &MOVE],
    compute,
    ladder: Some(Ladder {
        input: &MOVE,
        from: 0.0,
        to: 50.0,
        answer: "Sold after the fall",
        at: sale_after_fall,
    }),
};

/// After the risky asset moves by `r` (a fraction): the portfolio, its cushion, the new target exposure and the
/// trade (positive buys), with no interest on the reserve.
fn after_move(
    rule: &Cppi,
    value: f64,
    floor: f64,
    exposure: f64,
    r: f64,
) -> Result<[f64; 4], Problem> {
    let value_after = value + exposure * r;
    let next = rule.allocate(value_after, floor)?;
    Ok([
        value_after,
        next.cushion,
        next.exposure,
        next.exposure - exposure * (1.0 + r),
    ])
}

fn sale_after_fall(v: &Values) -> Option<f64> {
    let rule = Cppi::new(v.of(&MULTIPLIER), None, 0.0, 0.0).ok()?;
    let start = rule.allocate(v.of(&VALUE), v.of(&FLOOR)).ok()?;
    let [.., trade] = after_move(
        &rule,
        v.of(&VALUE),
        v.of(&FLOOR),
        start.exposure,
        -v.of(&MOVE) / 100.0,
    )
    .ok()?;
    Some(-trade)
}

fn trade_words(trade: f64) -> (String, String) {
    let verb = if trade < 0.0 { "sells" } else { "buys" };
    (verb.to_string(), tidy(trade.abs(), 2))
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let (value, floor) = (v.of(&VALUE), v.of(&FLOOR));
    if floor > value {
        return Err(Problem::at(
            &FLOOR,
            "The floor is above the portfolio: there is no cushion to lever.",
        ));
    }
    let rule = Cppi::new(v.of(&MULTIPLIER), None, 0.0, 0.0)?;
    let start = rule.allocate(value, floor)?;
    let r = v.of(&MOVE) / 100.0;
    let [fall_value, fall_cushion, fall_target, fall_trade] =
        after_move(&rule, value, floor, start.exposure, -r)?;
    let [.., rise_trade] = after_move(&rule, value, floor, start.exposure, r)?;
    let (fall_verb, fall_amount) = trade_words(fall_trade);
    let (rise_verb, rise_amount) = trade_words(rise_trade);
    Ok(vec![
        ("cushion", tidy(start.cushion, 2)),
        ("exposure", tidy(start.exposure, 2)),
        ("exposure-share", tidy(start.exposure / value * 100.0, 1)),
        ("reserve", tidy(start.reserve, 2)),
        ("fall-value", tidy(fall_value, 2)),
        ("fall-cushion", tidy(fall_cushion, 2)),
        ("fall-target", tidy(fall_target, 2)),
        ("fall-verb", fall_verb),
        ("fall-trade", fall_amount),
        (
            "rise-verb",
            if rise_verb == "buys" { "buy" } else { "sell" }.to_string(),
        ),
        ("rise-trade", rise_amount),
    ])
}
