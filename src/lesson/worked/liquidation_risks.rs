//! Leverage and liquidation risks: liquidation distance against leverage, the probability of touching the
//! liquidation price within a horizon, and one bar of the estimated liquidation map.

use lens_math::margin::{liquidation_distance, touch_probability};
use lens_math::market::Side;

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

const PRICE: (f64, f64, f64) = (1.0, 10_000_000.0, 100.0);

static MMR: Input = Input::new(
    "mmr",
    "Maintenance margin rate, %",
    0.4,
    (0.0, 50.0, 0.05),
    4,
);
static MARK: Input = Input::new("mark", "Mark price, USDT", 65_000.0, PRICE, 2);
static LIQ: Input = Input::new(
    "liq",
    "Liquidation price of the 10× long, USDT",
    58_781.41,
    PRICE,
    2,
);
static VOL: Input = Input::new("vol", "Volatility, % a year", 60.0, (1.0, 500.0, 1.0), 2);
static LIQ20: Input = Input::new(
    "liq20",
    "Liquidation price of the 20× long, USDT",
    62_047.74,
    PRICE,
    2,
);
static OI_UP: Input = Input::new(
    "oi-up",
    "Open interest added in the bar, BTC",
    100.0,
    (0.0, 1_000_000.0, 10.0),
    3,
);
static BAR_PRICE: Input = Input::new("bar-price", "Typical price of the bar", 65_000.0, PRICE, 2);
static BUY: Input = Input::new(
    "buy",
    "Taker volume that is buying, %",
    60.0,
    (0.0, 100.0, 1.0),
    2,
);
static MAP_MMR: Input = Input::new(
    "map-mmr",
    "Maintenance margin rate of the map, %",
    0.5,
    (0.0, 1.9, 0.05),
    4,
);
static LOW: Input = Input::new("low", "Next bar's low", 62_500.0, PRICE, 2);

pub static MODEL: Model = Model {
    slug: "leverage-and-liquidation-risks",
    inputs: &[
        &MMR, &MARK, &LIQ, &VOL, &LIQ20, &OI_UP, &BAR_PRICE, &BUY, &MAP_MMR, &LOW,
    ],
    compute,
    ladder: Some(Ladder {
        input: &VOL,
        from: 10.0,
        to: 200.0,
        answer: "Seven-day touch probability, %",
        at: seven_day_touch,
    }),
};

/// The distance table's leverages and their output keys (long, short).
const LEVERAGES: [(f64, [&str; 2]); 5] = [
    (5.0, ["long-5", "short-5"]),
    (10.0, ["long-10", "short-10"]),
    (20.0, ["long-20", "short-20"]),
    (50.0, ["long-50", "short-50"]),
    (125.0, ["long-125", "short-125"]),
];
/// The touch table's horizons in days and their keys (σ√T, z, probability).
const HORIZONS: [(f64, [&str; 3]); 3] = [
    (1.0, ["s-1", "z-1", "p-1"]),
    (7.0, ["s-7", "z-7", "p-7"]),
    (30.0, ["s-30", "z-30", "p-30"]),
];
/// The map's leverage grid and weights, and the keys of each slice (size, price) per side.
const GRID: [(f64, f64, [&str; 4]); 3] = [
    (
        10.0,
        0.5,
        ["long-q-10", "long-p-10", "short-q-10", "short-p-10"],
    ),
    (
        25.0,
        0.3,
        ["long-q-25", "long-p-25", "short-q-25", "short-p-25"],
    ),
    (
        50.0,
        0.2,
        ["long-q-50", "long-p-50", "short-q-50", "short-p-50"],
    ),
];

fn seven_day_touch(v: &Values) -> Option<f64> {
    touch_probability(v.of(&MARK), v.of(&LIQ), v.of(&VOL) / 100.0, 7.0)
        .ok()
        .map(|p| p * 100.0)
}

/// A probability written the way the table writes it: two decimals below 1 %, else one.
fn probability(p: f64) -> String {
    let pct = p * 100.0;
    num(pct, if pct < 1.0 { 2 } else { 1 })
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let mmr = v.of(&MMR) / 100.0;
    let mut out: Outputs = Vec::new();
    for (leverage, [long, short]) in LEVERAGES {
        // At or above 1/L the position is liquidated as it opens: there is no distance.
        let cell = |side| {
            liquidation_distance(side, leverage, mmr)
                .map_or_else(|_| "–".to_string(), |d| num(d * 100.0, 2))
        };
        out.extend([(long, cell(Side::Long)), (short, cell(Side::Short))]);
    }
    let share = mmr * 125.0;
    out.push((
        "mm-share",
        if (share - 0.5).abs() < 1e-9 {
            "half".to_string()
        } else {
            format!("{} %", tidy(share * 100.0, 1))
        },
    ));

    let (mark, liq, sigma) = (v.of(&MARK), v.of(&LIQ), v.of(&VOL) / 100.0);
    if liq >= mark {
        return Err(Problem::at(
            &LIQ,
            "A long's liquidation price lies below the mark price.",
        ));
    }
    out.extend([
        ("log-distance", num((liq / mark).ln(), 4)),
        ("vol-frac", num(sigma, 2)),
        ("hourly", num(sigma / 8_760f64.sqrt() * 100.0, 2)),
    ]);
    let mut one_day = 0.0;
    for (days, [s, z, p]) in HORIZONS {
        let spread = sigma * (days / 365.0).sqrt();
        let prob = touch_probability(mark, liq, sigma, days)?;
        if days == 1.0 {
            one_day = prob;
        }
        out.extend([
            (s, num(spread, 4)),
            (z, num((liq / mark).ln().abs() / spread, 2)),
            (p, probability(prob)),
        ]);
    }
    let liq20 = v.of(&LIQ20);
    if liq20 >= mark {
        return Err(Problem::at(
            &LIQ20,
            "A long's liquidation price lies below the mark price.",
        ));
    }
    let day20 = touch_probability(mark, liq20, sigma, 1.0)?;
    let times = day20 / one_day;
    out.extend([
        ("log-distance-20", num((liq20 / mark).ln().abs(), 4)),
        ("p20-1", probability(day20)),
        (
            "times",
            if one_day < 1e-6 {
                // Both are vanishingly small (or the 10× one is): a ratio would be noise.
                "far more than".to_string()
            } else if (80.0..=125.0).contains(&times) {
                "about a hundred times".to_string()
            } else if times <= 1_000.0 {
                format!("{} times", tidy(times, 1))
            } else {
                "more than a thousand times".to_string()
            },
        ),
    ]);

    let (added, price, buy) = (v.of(&OI_UP), v.of(&BAR_PRICE), v.of(&BUY) / 100.0);
    let map_mmr = v.of(&MAP_MMR) / 100.0;
    let low = v.of(&LOW);
    let mut consumed = (0usize, 0.0);
    for (leverage, weight, [lq, lp, sq, sp]) in GRID {
        let long_price = price * (1.0 - liquidation_distance(Side::Long, leverage, map_mmr)?);
        let short_price = price * (1.0 + liquidation_distance(Side::Short, leverage, map_mmr)?);
        let long_size = added * buy * weight;
        if long_price >= low {
            consumed = (consumed.0 + 1, consumed.1 + long_size);
        }
        out.extend([
            (lq, tidy(long_size, 3)),
            (lp, num(long_price, 1)),
            (sq, tidy(added * (1.0 - buy) * weight, 3)),
            (sp, num(short_price, 1)),
        ]);
    }
    out.extend([
        (
            "consumed-words",
            match consumed.0 {
                0 => "no long slice",
                1 => "the upper long slice",
                2 => "the two upper long slices",
                _ => "all three long slices",
            }
            .to_string(),
        ),
        ("consumed", tidy(consumed.1, 3)),
        (
            "consumed-verb",
            if consumed.0 == 0 { "is" } else { "are" }.to_string(),
        ),
    ]);
    Ok(out)
}
