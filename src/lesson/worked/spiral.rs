//! Leverage deleveraging spiral: Brunnermeier's balance sheet, the round-by-round spiral with price impact,
//! and the ADL rank.

use lens_math::margin::AdlPosition;
use lens_math::market::Side;
use lens_math::spiral::{LossSpiral, forced_sale_to_meet_margin};

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

static ASSETS: Input = Input::new("assets", "Assets", 100.0, (1.0, 1_000_000.0, 1.0), 2);
static DEBT: Input = Input::new("debt", "Debt", 90.0, (0.0, 1_000_000.0, 1.0), 2);
static DROP: Input = Input::new("drop", "Price drop, %", 5.0, (0.0, 99.0, 0.5), 2);
static MARGIN: Input = Input::new("margin", "Raised margin, %", 20.0, (1.0, 100.0, 1.0), 2);
static IMPACT: Input = Input::new(
    "impact",
    "Price impact per unit sold",
    0.001,
    (0.0, 0.02, 0.0005),
    5,
);
static IMPACT_HIGH: Input = Input::new(
    "impact-high",
    "Higher price impact per unit sold",
    0.003,
    (0.0, 0.02, 0.0005),
    5,
);
static ADL_ENTRY: Input = Input::new(
    "adl-entry",
    "Entry price",
    50_000.0,
    (1.0, 10_000_000.0, 500.0),
    2,
);
static ADL_MARK: Input = Input::new(
    "adl-mark",
    "Mark price",
    60_000.0,
    (1.0, 10_000_000.0, 500.0),
    2,
);
static ADL_BANKRUPTCY: Input = Input::new(
    "adl-bankruptcy",
    "Bankruptcy price",
    45_000.0,
    (1.0, 10_000_000.0, 500.0),
    2,
);

/// The simulation table's rows and columns: round r's assets, equity, leverage, sale and price after.
const ROUND_KEYS: [[&str; 5]; 5] = [
    ["r0-assets", "r0-equity", "r0-lev", "r0-sold", "r0-price"],
    ["r1-assets", "r1-equity", "r1-lev", "r1-sold", "r1-price"],
    ["r2-assets", "r2-equity", "r2-lev", "r2-sold", "r2-price"],
    ["r3-assets", "r3-equity", "r3-lev", "r3-sold", "r3-price"],
    ["r4-assets", "r4-equity", "r4-lev", "r4-sold", "r4-price"],
];

pub static MODEL: Model = Model {
    slug: "leverage-deleveraging-spiral",
    inputs: &[
        &ASSETS,
        &DEBT,
        &DROP,
        &MARGIN,
        &IMPACT,
        &IMPACT_HIGH,
        &ADL_ENTRY,
        &ADL_MARK,
        &ADL_BANKRUPTCY,
    ],
    compute,
    ladder: Some(Ladder {
        input: &MARGIN,
        from: 1.0,
        to: 100.0,
        answer: "Forced sale",
        at: margin_sale,
    }),
};

/// The post-shock balance sheet: assets, equity, and the margin the holder started at (equity / assets).
fn after_drop(v: &Values) -> Result<(f64, f64, f64), Problem> {
    let (assets, debt) = (v.of(&ASSETS), v.of(&DEBT));
    if debt >= assets {
        return Err(Problem::at(
            &DEBT,
            "Debt must be below assets, or there is no equity to lever.",
        ));
    }
    let shocked = assets * (1.0 - v.of(&DROP) / 100.0);
    let equity = shocked - debt;
    if equity <= 0.0 {
        return Err(Problem::at(
            &DROP,
            "This drop wipes out the equity before anything is sold: the holder is already insolvent.",
        ));
    }
    Ok((shocked, equity, (assets - debt) / assets))
}

fn margin_sale(v: &Values) -> Option<f64> {
    let (shocked, _, _) = after_drop(v).ok()?;
    forced_sale_to_meet_margin(shocked, v.of(&DEBT), v.of(&MARGIN) / 100.0)
        .ok()
        .map(|s| s.sale)
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let (assets, debt) = (v.of(&ASSETS), v.of(&DEBT));
    let (shocked, equity_after, start_margin) = after_drop(v)?;
    let loss = forced_sale_to_meet_margin(shocked, debt, start_margin)?;
    let raised = forced_sale_to_meet_margin(shocked, debt, v.of(&MARGIN) / 100.0)?;
    let mut out: Outputs = vec![
        ("equity", tidy(assets - debt, 2)),
        ("leverage", tidy(1.0 / start_margin, 2)),
        ("a1", tidy(shocked, 2)),
        ("w1", tidy(equity_after, 2)),
        ("lev1", tidy(shocked / equity_after, 2)),
        ("loss-sale", tidy(loss.sale, 2)),
        ("loss-assets", tidy(loss.assets_after, 2)),
        ("loss-debt", tidy(loss.debt_after, 2)),
        ("margin-sale", tidy(raised.sale, 2)),
        ("margin-assets", tidy(raised.assets_after, 2)),
        ("margin-debt", tidy(raised.debt_after, 2)),
        ("margin-lev", tidy(100.0 / v.of(&MARGIN), 2)),
        ("loss-share", tidy(loss.sale / assets * 100.0, 1)),
        ("margin-share", tidy(raised.sale / assets * 100.0, 1)),
        ("m0", tidy(start_margin * 100.0, 2)),
        ("impact-pct", tidy(v.of(&IMPACT) * 100.0, 3)),
    ];

    let path = LossSpiral::new(start_margin, v.of(&IMPACT))?.run(shocked, equity_after)?;
    for (i, keys) in ROUND_KEYS.iter().enumerate() {
        let cells = match path.rounds.get(i) {
            Some(r) => [
                num(r.assets, 2),
                num(r.equity, 2),
                num(r.leverage, 1),
                num(r.sold, 2),
                num(r.price_after, 4),
            ],
            None => std::array::from_fn(|_| "–".to_string()),
        };
        out.extend(keys.iter().copied().zip(cells));
    }
    out.extend([
        (
            "settle-words",
            if path.insolvent {
                "The loop ends in insolvency at price"
            } else {
                "The loop settles near price"
            }
            .to_string(),
        ),
        ("final-price", num(path.final_price, 3)),
        ("final-fall", tidy((1.0 - path.final_price) * 100.0, 1)),
        ("total-sold", tidy(path.total_sold, 1)),
        ("final-equity", num(path.final_equity, 2)),
    ]);

    let high_drop = (v.of(&IMPACT_HIGH) * loss.sale).min(1.0);
    let high_equity = equity_after - loss.assets_after * high_drop;
    out.extend([
        ("high-drop", tidy(high_drop * 100.0, 2)),
        ("high-drop-frac", tidy(high_drop, 4)),
        ("high-equity", tidy(high_equity, 2)),
        (
            "high-verdict",
            if high_equity < 0.0 {
                "insolvent"
            } else {
                "still solvent"
            }
            .to_string(),
        ),
    ]);

    let (entry, mark, bankruptcy) = (v.of(&ADL_ENTRY), v.of(&ADL_MARK), v.of(&ADL_BANKRUPTCY));
    let adl = AdlPosition::new(Side::Long, 1.0, entry, mark, bankruptcy).map_err(|_| {
        Problem::at(
            &ADL_BANKRUPTCY,
            "For a long, the bankruptcy price must be below the mark price.",
        )
    })?;
    let g = adl.pnl_fraction();
    out.extend([
        ("adl-gain", tidy(mark - entry, 2)),
        ("adl-cushion", tidy(mark - bankruptcy, 2)),
        ("adl-g", num(g, 2)),
        ("adl-l", num(adl.effective_leverage(), 1)),
        (
            "adl-sign",
            if g > 0.0 { "positive" } else { "not positive" }.to_string(),
        ),
        ("adl-op", if g > 0.0 { "×" } else { "÷" }.to_string()),
        ("adl-rank", num(adl.rank(), 2)),
    ]);
    Ok(out)
}
