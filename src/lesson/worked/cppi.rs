//! CPPI: the exam-style allocation (cushion, exposure, reserve) and the trade after one move of the risky asset.

use lens_math::cppi::Cppi;
use lens_math::series::{DAY_MS, TimeSeries};

use super::{Input, Ladder, Model, Outputs, Problem, Values, by_sign, tidy};

static VALUE: Input = Input::new(
    "value",
    "Portfolio value V",
    10_000_000.0,
    (1.0, 1e12, 100_000.0),
    2,
);
static FLOOR: Input = Input::new("floor", "Floor F", 8_500_000.0, (0.0, 1e12, 100_000.0), 2);
static MULTIPLIER: Input = Input::new("multiplier", "Multiplier m", 3.0, (1.0, 20.0, 0.5), 2);
static MOVE: Input = Input::new(
    "move",
    "Move of the risky asset, %",
    10.0,
    (0.0, 100.0, 1.0),
    2,
);

const MOVES: (f64, f64, f64) = (-99.0, 100.0, 1.0);
static S_VALUE: Input = Input::new(
    "s-value",
    "Small example: portfolio value V",
    100.0,
    (0.01, 1e6, 1.0),
    4,
);
static S_FLOOR: Input = Input::new(
    "s-floor",
    "Small example: floor F",
    80.0,
    (0.0, 1e6, 1.0),
    4,
);
static S_MULT: Input = Input::new(
    "s-mult",
    "Small example: multiplier m",
    4.0,
    (1.0, 20.0, 0.5),
    4,
);
static S_MOVE_1: Input = Input::new("s-mv1", "Small example: first move, %", -10.0, MOVES, 4);
static S_MOVE_2: Input = Input::new("s-mv2", "Small example: second move, %", -25.0, MOVES, 4);
static S_MOVE_3: Input = Input::new("s-mv3", "Small example: third move, %", -30.0, MOVES, 4);
static S_MOVE_4: Input = Input::new("s-mv4", "Small example: fourth move, %", 10.0, MOVES, 4);
static S_CAP_1: Input = Input::new("s-cap1", "Leverage cap λ", 1.0, (0.1, 10.0, 0.1), 4);
static S_CAP_2: Input = Input::new("s-cap2", "Looser leverage cap λ", 1.5, (0.1, 10.0, 0.1), 4);

/// The small table: each row's move and the keys of its cells.
const ROWS: [(&Input, [&str; 6]); 4] = [
    (
        &S_MOVE_1,
        [
            "s-hold-1",
            "s-v-1",
            "s-c-1",
            "s-e-1",
            "s-trade-1",
            "s-note-1",
        ],
    ),
    (
        &S_MOVE_2,
        [
            "s-hold-2",
            "s-v-2",
            "s-c-2",
            "s-e-2",
            "s-trade-2",
            "s-note-2",
        ],
    ),
    (
        &S_MOVE_3,
        [
            "s-hold-3",
            "s-v-3",
            "s-c-3",
            "s-e-3",
            "s-trade-3",
            "s-note-3",
        ],
    ),
    (
        &S_MOVE_4,
        [
            "s-hold-4",
            "s-v-4",
            "s-c-4",
            "s-e-4",
            "s-trade-4",
            "s-note-4",
        ],
    ),
];

pub static MODEL: Model = Model {
    slug: "leverage-management-in-cppi",
    inputs: &[
        &VALUE,
        &FLOOR,
        &MULTIPLIER,
        &MOVE,
        &S_VALUE,
        &S_FLOOR,
        &S_MULT,
        &S_MOVE_1,
        &S_MOVE_2,
        &S_MOVE_3,
        &S_MOVE_4,
        &S_CAP_1,
        &S_CAP_2,
    ],
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
    (
        by_sign(trade, "sells", "trades", "buys"),
        tidy(trade.abs(), 2),
    )
}

/// "sell 24", "buy 24", or "none".
fn trade_text(trade: f64) -> String {
    if trade < 0.0 {
        format!("sell {}", tidy(-trade, 4))
    } else if trade > 0.0 {
        format!("buy {}", tidy(trade, 4))
    } else {
        "none".to_string()
    }
}

/// The small example: four single moves from the same start, and the leverage cap after the last one.
fn small_example(v: &Values) -> Result<Outputs, Problem> {
    let (value, floor) = (v.of(&S_VALUE), v.of(&S_FLOOR));
    if floor > value {
        return Err(Problem::at(
            &S_FLOOR,
            "The floor is above the portfolio: there is no cushion to lever.",
        ));
    }
    let rule = Cppi::new(v.of(&S_MULT), None, 0.0, 0.0)?;
    let start = rule.allocate(value, floor)?;
    let mut out: Outputs = vec![
        ("s-cushion", tidy(start.cushion, 4)),
        ("s-exposure", tidy(start.exposure, 4)),
        ("s-reserve", tidy(start.reserve, 4)),
    ];
    let mut last = [0.0; 4];
    for (movement, [hold, v_key, c_key, e_key, trade_key, note_key]) in ROWS {
        let r = v.of(movement) / 100.0;
        let [value_after, cushion, target, trade] =
            after_move(&rule, value, floor, start.exposure, r)?;
        let note = if cushion < 0.0 {
            format!("gap loss: {} below the floor", tidy(-cushion, 4))
        } else if cushion == 0.0 {
            "floor touched exactly at 1/m".to_string()
        } else if target > value_after {
            format!(
                "E is larger than V, so the reserve is {} (borrowed)",
                tidy(value_after - target, 4)
            )
        } else if trade < 0.0 {
            "exposure falls faster than V".to_string()
        } else {
            "exposure rises faster than V".to_string()
        };
        out.extend([
            (hold, tidy(start.exposure * (1.0 + r), 4)),
            (v_key, tidy(value_after, 4)),
            (c_key, tidy(cushion, 4)),
            (e_key, tidy(target, 4)),
            (trade_key, trade_text(trade)),
            (note_key, note),
        ]);
        last = [value_after, target, start.exposure * (1.0 + r), cushion];
    }
    // The same four moves one after another, rebalancing after each: a short path.
    let mut price = 100.0;
    let mut prices = vec![price];
    for (movement, _) in ROWS {
        price *= 1.0 + v.of(movement) / 100.0;
        prices.push(price);
    }
    let times: Vec<i64> = (0..prices.len() as i64).map(|d| d * DAY_MS).collect();
    let path = rule.run(&TimeSeries::new(times, prices)?, value, floor)?;
    let end = path
        .last()
        .ok_or_else(|| Problem::general("The path has no steps."))?;
    let path_words = if end.value < floor - 1e-9 {
        "below the floor: a gap move broke through it".to_string()
    } else if end.exposure < 1e-9 {
        "the cushion is gone, so everything sits in the reserve and later rises help nothing (a cash-lock)"
            .to_string()
    } else {
        "the floor holds and the rule is still invested".to_string()
    };
    out.extend([
        ("s-path-value", tidy(end.value, 4)),
        ("s-path-exposure", tidy(end.exposure, 4)),
        ("s-path-words", path_words),
    ]);
    let [value_after, target, holding, _] = last;
    let capped = |cap_input: &'static Input| -> Result<f64, Problem> {
        let rule = Cppi::new(v.of(&S_MULT), Some(v.of(cap_input)), 0.0, 0.0)?;
        Ok(rule.allocate(value_after, floor)?.exposure)
    };
    let (tight, loose) = (capped(&S_CAP_1)?, capped(&S_CAP_2)?);
    out.extend([
        ("s-want", tidy(target, 4)),
        ("s-worth", tidy(value_after, 4)),
        (
            "s-lev-words",
            if target > value_after {
                "so it needs leverage"
            } else {
                "so it needs no leverage"
            }
            .to_string(),
        ),
        ("s-cap1-exposure", tidy(tight, 4)),
        ("s-cap1-trade", trade_text(tight - holding)),
        ("s-cap1-reserve", tidy(value_after - tight, 4)),
        ("s-cap2-limit", tidy(v.of(&S_CAP_2) * value_after, 4)),
        (
            "s-cap2-words",
            if loose < target {
                "binds"
            } else {
                "does not bind"
            }
            .to_string(),
        ),
    ]);
    Ok(out)
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let mut out = small_example(v)?;
    out.extend(exam_example(v)?);
    Ok(out)
}

fn exam_example(v: &Values) -> Result<Outputs, Problem> {
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
