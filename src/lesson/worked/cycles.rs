//! Leverage cycles: Geanakoplos's house and two-state economy with and without borrowing, Adrian–Shin's
//! leverage targeting, and the build-up / flush rule on coin open interest.

use lens_math::cycles::{
    OiRegime, RegimeRule, TwoStateEconomy, leverage_targeting_trade, purchase_terms,
};
use lens_math::series::{DAY_MS, TimeSeries};

use super::{Input, Ladder, Model, Outputs, Problem, Values, signed, tidy};
use crate::lesson::text::num;

const MONEY: (f64, f64, f64) = (0.0, 1_000_000.0, 1.0);
const COINS: (f64, f64, f64) = (1.0, 100_000_000.0, 1_000.0);
const PRICE: (f64, f64, f64) = (1.0, 10_000_000.0, 100.0);

static HOUSE: Input = Input::new("house", "House price", 100.0, (1.0, 1_000_000.0, 5.0), 4);
static LOAN: Input = Input::new("loan", "Loan", 80.0, MONEY, 4);
static DOWN: Input = Input::new(
    "down",
    "Payoff in the down state",
    0.2,
    (0.0, 0.95, 0.05),
    4,
);
static ASSETS: Input = Input::new("assets", "Firm's assets", 100.0, (1.0, 1_000_000.0, 1.0), 4);
static DEBT: Input = Input::new("debt", "Firm's debt", 90.0, MONEY, 4);
static MOVE: Input = Input::new("move", "Price move, %", 1.0, (0.0, 50.0, 0.5), 4);
static OI0: Input = Input::new("oi0", "Open interest 30 days ago, BTC", 80_000.0, COINS, 4);
static OI1: Input = Input::new("oi1", "Open interest today, BTC", 93_000.0, COINS, 4);
static P0: Input = Input::new("p0", "Price 30 days ago, USD", 60_000.0, PRICE, 4);
static P1: Input = Input::new("p1", "Price today, USD", 64_200.0, PRICE, 4);
static OI2: Input = Input::new(
    "oi2",
    "Open interest seven days later, BTC",
    79_050.0,
    COINS,
    4,
);
static P2: Input = Input::new("p2", "Price seven days later, USD", 57_780.0, PRICE, 4);

pub static MODEL: Model = Model {
    slug: "leverage-cycles",
    inputs: &[
        &HOUSE, &LOAN, &DOWN, &ASSETS, &DEBT, &MOVE, &OI0, &OI1, &P0, &P1, &OI2, &P2,
    ],
    compute,
    ladder: Some(Ladder {
        input: &DOWN,
        from: 0.0,
        to: 0.9,
        answer: "Price with borrowing",
        at: |v| {
            TwoStateEconomy::new(1.0, v.of(&DOWN), 1.0, 1.0)
                .ok()
                .map(|e| e.equilibrium_with_borrowing().price)
        },
    }),
};

fn regime_words(regime: Option<OiRegime>) -> String {
    match regime {
        Some(OiRegime::BuildUp) => "a build-up",
        Some(OiRegime::Flush) => "a flush",
        Some(OiRegime::Neutral) | None => "neither a build-up nor a flush",
    }
    .to_string()
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let (house, loan) = (v.of(&HOUSE), v.of(&LOAN));
    if loan >= house {
        return Err(Problem::at(
            &LOAN,
            "The loan must be smaller than the price: the buyer pays some cash.",
        ));
    }
    let terms = purchase_terms(house, loan)?;
    let mut out: Outputs = vec![
        ("cash", tidy(house - loan, 4)),
        ("margin", tidy(terms.margin * 100.0, 2)),
        ("ltv", tidy(terms.loan_to_value * 100.0, 2)),
        ("house-leverage", tidy(terms.leverage, 2)),
    ];

    let d = v.of(&DOWN);
    let economy = TwoStateEconomy::new(1.0, d, 1.0, 1.0)?;
    let (plain, levered) = (
        economy.equilibrium_without_borrowing(),
        economy.equilibrium_with_borrowing(),
    );
    let column = |e: &lens_math::cycles::LeverageEquilibrium, keys: [&'static str; 5]| {
        keys.into_iter().zip([
            num(e.marginal_buyer, 3),
            num(e.price, 3),
            num(e.buyer_share * 100.0, 1),
            num(e.units_per_buyer, 2),
            tidy(e.buyer_leverage, 2),
        ])
    };
    out.extend(column(
        &plain,
        [
            "h-plain",
            "p-plain",
            "share-plain",
            "units-plain",
            "lev-plain",
        ],
    ));
    out.extend(column(
        &levered,
        ["h-lev", "p-lev", "share-lev", "units-lev", "lev-lev"],
    ));
    out.extend([
        ("c2", tidy(1.0 - d, 4)),
        ("c1", tidy(1.0 + d, 4)),
        ("c0", tidy(1.0 + d, 4)),
        ("lift", num((levered.price / plain.price - 1.0) * 100.0, 1)),
        ("median", tidy(economy.valuation(0.5)?, 4)),
    ]);

    let (assets, debt, r) = (v.of(&ASSETS), v.of(&DEBT), v.of(&MOVE) / 100.0);
    if debt >= assets {
        return Err(Problem::at(
            &DEBT,
            "Debt must be below assets, or there is no equity.",
        ));
    }
    let target = assets / (assets - debt);
    let up = leverage_targeting_trade(assets, debt, r, target)?;
    let down = leverage_targeting_trade(assets, debt, -r, target)
        .map_err(|_| Problem::at(&MOVE, "A fall this large wipes out the equity."))?;
    out.extend([
        ("equity", tidy(assets - debt, 4)),
        ("target", tidy(target, 2)),
        ("up-assets", tidy(assets * (1.0 + r), 4)),
        ("up-equity", tidy(up.equity_after_move, 4)),
        ("up-lev", num(up.leverage_after_move, 2)),
        ("up-target-assets", tidy(target * up.equity_after_move, 4)),
        ("up-trade", tidy(up.trade, 4)),
        ("down-equity", tidy(down.equity_after_move, 4)),
        ("down-lev", tidy(down.leverage_after_move, 2)),
        ("down-trade", tidy(-down.trade, 4)),
    ]);

    let (oi0, oi1, oi2) = (v.of(&OI0), v.of(&OI1), v.of(&OI2));
    let (p0, p1, p2) = (v.of(&P0), v.of(&P1), v.of(&P2));
    let series = TimeSeries::new(vec![0, 30 * DAY_MS, 37 * DAY_MS], vec![oi0, oi1, oi2])?;
    let points = RegimeRule::default().classify(&series)?;
    out.extend([
        ("oi-change", signed((oi1 / oi0 - 1.0) * 100.0, 2)),
        ("p-change", signed_whole((p1 / p0 - 1.0) * 100.0)),
        (
            "regime1",
            regime_words(points.get(1).and_then(|p| p.regime)),
        ),
        (
            "usd-change",
            num(((oi1 * p1) / (oi0 * p0) - 1.0) * 100.0, 1),
        ),
        ("oi-change2", signed_whole((oi2 / oi1 - 1.0) * 100.0)),
        ("p-change2", signed_whole((p2 / p1 - 1.0) * 100.0)),
        (
            "regime2",
            regime_words(points.get(2).and_then(|p| p.regime)),
        ),
    ]);
    Ok(out)
}

/// A percentage change with at most two decimals: `+7`, `−15`, `+7.25`.
fn signed_whole(pct: f64) -> String {
    super::signed_tidy(pct, 2)
}
