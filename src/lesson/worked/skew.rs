//! Leverage skew: funding from the premium (Binance's clamp rule), its APR and payment, long share from a
//! long/short ratio, the positioning-skew index and the 25-delta risk reversal.

use lens_math::funding::{funding_from_premium, funding_payment};
use lens_math::positioning::{long_share_from_ratio, positioning_skew_index};

use super::{Input, Ladder, Model, Outputs, Problem, Values, by_sign, tidy};
use crate::lesson::text::num;

/// The clamp band of Binance's funding rule, in percent per 8 h.
const BAND_PCT: f64 = 0.05;

const fn pct(key: &'static str, label: &'static str, default: f64) -> Input {
    Input::new(key, label, default, (-3.0, 3.0, 0.01), 4)
}

static P1: Input = pct("p1", "Average premium, row 1, %", 0.04);
static P2: Input = pct("p2", "Average premium, row 2, %", 0.08);
static P3: Input = pct("p3", "Average premium, row 3, %", -0.02);
static P4: Input = pct("p4", "Average premium, row 4, %", -0.10);
static P5: Input = pct("p5", "Average premium, row 5, %", 0.01);
static INTEREST: Input = pct("interest", "Interest per 8 h, %", 0.01);
static QTY: Input = Input::new("qty", "Long size, BTC", 2.0, (0.001, 100_000.0, 0.5), 4);
static MARK: Input = Input::new(
    "mark",
    "Mark price, USDT",
    65_000.0,
    (1.0, 10_000_000.0, 500.0),
    4,
);
static RATE: Input = pct("rate", "Funding paid, % per 8 h", 0.03);
static RATIO: Input = Input::new("ratio", "Global account ratio", 1.8, (0.01, 100.0, 0.05), 4);
static TOP: Input = Input::new(
    "top",
    "Top-trader position ratio",
    0.9,
    (0.01, 100.0, 0.05),
    4,
);
static F_NOW: Input = pct("f-now", "Current funding, % per 8 h", 0.03);
static F_MEAN: Input = pct("f-mean", "30-day mean funding, % per 8 h", 0.01);
static F_SD: Input = Input::new(
    "f-sd",
    "30-day standard deviation of funding, %",
    0.008,
    (0.0001, 3.0, 0.001),
    4,
);
static S_MEAN: Input = Input::new("s-mean", "Mean long share", 0.55, (0.0, 1.0, 0.01), 4);
static S_SD: Input = Input::new(
    "s-sd",
    "Standard deviation of the long share",
    0.04,
    (0.001, 1.0, 0.005),
    4,
);
static CALL_IV: Input = Input::new(
    "call-iv",
    "25-delta call implied volatility, %",
    52.0,
    (1.0, 500.0, 1.0),
    4,
);
static PUT_IV: Input = Input::new(
    "put-iv",
    "25-delta put implied volatility, %",
    56.0,
    (1.0, 500.0, 1.0),
    4,
);

pub static MODEL: Model = Model {
    slug: "leverage-skew",
    inputs: &[
        &P1, &P2, &P3, &P4, &P5, &INTEREST, &QTY, &MARK, &RATE, &RATIO, &TOP, &F_NOW, &F_MEAN,
        &F_SD, &S_MEAN, &S_SD, &CALL_IV, &PUT_IV,
    ],
    compute,
    ladder: Some(Ladder {
        input: &P2,
        from: -0.3,
        to: 0.3,
        answer: "Funding per 8 h, %",
        at: row_two_funding,
    }),
};

const ROWS: [(&Input, [&str; 3]); 5] = [
    (&P1, ["d1", "f1", "apr1"]),
    (&P2, ["d2", "f2", "apr2"]),
    (&P3, ["d3", "f3", "apr3"]),
    (&P4, ["d4", "f4", "apr4"]),
    (&P5, ["d5", "f5", "apr5"]),
];

fn row_two_funding(v: &Values) -> Option<f64> {
    funding_from_premium(v.of(&P2) / 100.0, v.of(&INTEREST) / 100.0)
        .ok()
        .map(|f| f * 100.0)
}

/// The `I − P` cell: the difference, and where the clamp moved it.
fn clamp_cell(diff_pct: f64) -> String {
    let diff = num(diff_pct, 2);
    if diff == "0.00" || diff == "−0.00" {
        "0".to_string()
    } else if diff_pct.abs() <= BAND_PCT + 1e-12 {
        format!("{diff} % (inside band)")
    } else {
        format!(
            "{diff} % → {} %",
            num(diff_pct.clamp(-BAND_PCT, BAND_PCT), 2)
        )
    }
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let interest = v.of(&INTEREST);
    let mut out: Outputs = Vec::new();
    for (premium, [d, f, apr]) in ROWS {
        let p = v.of(premium);
        let funding = funding_from_premium(p / 100.0, interest / 100.0)? * 100.0;
        out.extend([
            (d, clamp_cell(interest - p)),
            (f, num(funding, 2)),
            (apr, num(funding * 3.0 * 365.0, 2)),
        ]);
    }
    let rate = v.of(&RATE);
    let payment = funding_payment(v.of(&QTY), v.of(&MARK), rate / 100.0)?;
    out.extend([
        ("interest-frac", tidy(interest / 100.0, 8)),
        ("interest-apr", num(interest * 3.0 * 365.0, 2)),
        ("rate-frac", tidy(rate / 100.0, 8)),
        ("payment", tidy(payment, 2)),
    ]);

    let share = long_share_from_ratio(v.of(&RATIO))?;
    let top_share = long_share_from_ratio(v.of(&TOP))?;
    let z_funding = (v.of(&F_NOW) - v.of(&F_MEAN)) / v.of(&F_SD);
    let z_share = (share - v.of(&S_MEAN)) / v.of(&S_SD);
    let psi = positioning_skew_index(z_funding, z_share)?;
    out.extend([
        ("ratio-plus", tidy(v.of(&RATIO) + 1.0, 4)),
        ("share", num(share * 100.0, 1)),
        ("top-share", num(top_share * 100.0, 1)),
        ("share-frac", num(share, 4)),
        ("z-funding", num(z_funding, 2)),
        ("z-share", num(z_share, 2)),
        ("psi", num(psi, 2)),
    ]);

    let rr = v.of(&CALL_IV) - v.of(&PUT_IV);
    out.extend([
        ("rr", tidy(rr, 2)),
        (
            "rr-reading",
            by_sign(
                rr,
                "puts are the richer side",
                "neither side is richer",
                "calls are the richer side",
            ),
        ),
    ]);
    Ok(out)
}
