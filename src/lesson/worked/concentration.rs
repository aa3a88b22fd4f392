//! Leverage concentration: the Herfindahl index across venues and across assets, and the gap between the top
//! traders' long share and everyone's.

use lens_math::positioning::{herfindahl, long_share_from_ratio, top_trader_long_share_gap};

use super::{Input, Ladder, Model, Outputs, Problem, Values, by_sign, tidy};
use crate::lesson::text::num;

const fn billions(key: &'static str, label: &'static str, default: f64) -> Input {
    Input::new(key, label, default, (0.0, 10_000.0, 0.1), 3)
}

const fn ratio(key: &'static str, label: &'static str, default: f64) -> Input {
    Input::new(key, label, default, (0.01, 100.0, 0.05), 3)
}

static BINANCE: Input = billions("binance", "Binance open interest, billion USD", 8.0);
static BYBIT: Input = billions("bybit", "Bybit open interest, billion USD", 4.8);
static OKX: Input = billions("okx", "OKX open interest, billion USD", 3.2);
static SHIFT: Input = billions("shift", "Open interest moved to Binance, billion USD", 2.4);
static BTC: Input = billions("btc", "BTC open interest, billion USD", 15.0);
static ETH: Input = billions("eth", "ETH open interest, billion USD", 7.5);
static XRP: Input = billions("xrp", "XRP open interest, billion USD", 4.5);
static SOL: Input = billions("sol", "SOL open interest, billion USD", 3.0);
static TOP: Input = ratio("top", "Top-trader position ratio", 1.2);
static ALL: Input = ratio("all", "All-account ratio", 2.0);

pub static MODEL: Model = Model {
    slug: "leverage-concentration",
    inputs: &[
        &BINANCE, &BYBIT, &OKX, &SHIFT, &BTC, &ETH, &XRP, &SOL, &TOP, &ALL,
    ],
    compute,
    ladder: Some(Ladder {
        input: &BINANCE,
        from: 0.0,
        to: 40.0,
        answer: "HHI across venues",
        at: venue_hhi,
    }),
};

fn venues(v: &Values) -> [f64; 3] {
    [v.of(&BINANCE), v.of(&BYBIT), v.of(&OKX)]
}

fn venue_hhi(v: &Values) -> Option<f64> {
    herfindahl(&venues(v)).ok().map(|c| c.hhi)
}

/// "rises", "falls", or "stays" for a change that rounds away.
fn direction(change: f64, up: &str, down: &str) -> String {
    let change = if change.abs() > 1e-12 { change } else { 0.0 };
    by_sign(change, down, "stays", up)
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let oi = venues(v);
    let total: f64 = oi.iter().sum();
    if total <= 0.0 {
        return Err(Problem::at(
            &BINANCE,
            "At least one venue needs open interest for shares to exist.",
        ));
    }
    let c = herfindahl(&oi)?;
    let mut out: Outputs = vec![
        ("binance-oi", num(oi[0], 1)),
        ("bybit-oi", num(oi[1], 1)),
        ("okx-oi", num(oi[2], 1)),
        ("total", num(total, 1)),
        ("binance-share", num(oi[0] / total, 2)),
        ("bybit-share", num(oi[1] / total, 2)),
        ("okx-share", num(oi[2] / total, 2)),
        ("binance-sq", num((oi[0] / total).powi(2), 2)),
        ("bybit-sq", num((oi[1] / total).powi(2), 2)),
        ("okx-sq", num((oi[2] / total).powi(2), 2)),
        ("share-sum", num(1.0, 2)),
        ("hhi", num(c.hhi, 2)),
        ("effective", num(c.effective_number, 2)),
        ("normalised", num(c.normalised_hhi, 2)),
    ];

    // The shift comes half from Bybit and half from OKX.
    let half = v.of(&SHIFT) / 2.0;
    if half > oi[1] || half > oi[2] {
        return Err(Problem::at(
            &SHIFT,
            "Half of the shift comes from Bybit and half from OKX: it cannot exceed twice the smaller of the two.",
        ));
    }
    let moved = [oi[0] + 2.0 * half, oi[1] - half, oi[2] - half];
    let after = herfindahl(&moved)?;
    out.extend([
        ("moved-binance", tidy(moved[0], 3)),
        ("moved-bybit", tidy(moved[1], 3)),
        ("moved-okx", num(moved[2], 1)),
        ("moved-binance-share", tidy(moved[0] / total, 3)),
        ("moved-bybit-share", tidy(moved[1] / total, 3)),
        ("moved-okx-share", tidy(moved[2] / total, 3)),
        (
            "moved-direction",
            direction(after.hhi - c.hhi, "rises", "falls"),
        ),
        ("moved-hhi", num(after.hhi, 3)),
        (
            "moved-effective-direction",
            direction(
                after.effective_number - c.effective_number,
                "rises",
                "falls",
            ),
        ),
        ("moved-effective", num(after.effective_number, 2)),
    ]);

    let assets = [v.of(&BTC), v.of(&ETH), v.of(&XRP), v.of(&SOL)];
    let asset_total: f64 = assets.iter().sum();
    if asset_total <= 0.0 {
        return Err(Problem::at(
            &BTC,
            "At least one asset needs open interest for shares to exist.",
        ));
    }
    let across = herfindahl(&assets)?;
    out.extend([
        ("btc-share", num(assets[0] / asset_total, 2)),
        ("eth-share", num(assets[1] / asset_total, 2)),
        ("xrp-share", num(assets[2] / asset_total, 2)),
        ("sol-share", num(assets[3] / asset_total, 2)),
        ("asset-hhi", num(across.hhi, 3)),
        ("asset-effective", num(across.effective_number, 2)),
    ]);

    let gap = top_trader_long_share_gap(v.of(&TOP), v.of(&ALL))? * 100.0;
    out.extend([
        (
            "top-share",
            num(long_share_from_ratio(v.of(&TOP))? * 100.0, 1),
        ),
        (
            "all-share",
            num(long_share_from_ratio(v.of(&ALL))? * 100.0, 1),
        ),
        ("gap", num(gap, 1)),
        (
            "gap-reading",
            by_sign(
                gap,
                "less long than the crowd",
                "as long as the crowd",
                "more long than the crowd",
            ),
        ),
    ]);
    Ok(out)
}
