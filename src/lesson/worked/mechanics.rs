//! Leverage mechanics: an isolated USDT-margined position's margins and liquidation prices under Binance's
//! BTCUSDT tier table (March 2021), step by step, with the tier search the exchange's formula implies.

use lens_math::margin::{
    InverseTerms, LinearPosition, MaintenanceBase, TierTable, binance_isolated_liquidation,
    inverse_levels, inverse_order_cost,
};
use lens_math::market::Side;

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

static QTY: Input = Input::new("qty", "Position size, BTC", 4.0, (0.001, 5_000.0, 0.5), 3);
static ENTRY: Input = Input::new(
    "entry",
    "Entry price, USDT",
    65_000.0,
    (1.0, 1_000_000.0, 500.0),
    2,
);
static LEVERAGE: Input = Input::new("lev", "Leverage", 10.0, (1.1, 125.0, 1.0), 2);

static INV_QTY: Input = Input::new(
    "inv-qty",
    "Inverse position, USD of contracts",
    30_000.0,
    (1.0, 1e9, 1_000.0),
    2,
);
static INV_ENTRY: Input = Input::new(
    "inv-entry",
    "Inverse entry price, USD",
    60_000.0,
    (1.0, 10_000_000.0, 500.0),
    2,
);
static INV_LEVERAGE: Input = Input::new("inv-lev", "Inverse leverage", 10.0, (1.1, 100.0, 1.0), 2);
static INV_MMR: Input = Input::new(
    "inv-mmr",
    "Inverse maintenance rate, %",
    0.5,
    (0.0, 50.0, 0.05),
    4,
);
static INV_FEE: Input = Input::new("inv-fee", "Taker fee, %", 0.055, (0.0, 5.0, 0.005), 4);

pub static MODEL: Model = Model {
    slug: "leverage-mechanics",
    inputs: &[
        &QTY,
        &ENTRY,
        &LEVERAGE,
        &INV_QTY,
        &INV_ENTRY,
        &INV_LEVERAGE,
        &INV_MMR,
        &INV_FEE,
    ],
    compute,
    ladder: Some(Ladder {
        input: &LEVERAGE,
        from: 1.1,
        to: 50.0,
        answer: "Long liquidation distance, %",
        at: long_distance,
    }),
};

fn long_distance(v: &Values) -> Option<f64> {
    let table = TierTable::binance_btcusdt_2021();
    let position =
        LinearPosition::with_leverage(Side::Long, v.of(&QTY), v.of(&ENTRY), v.of(&LEVERAGE))
            .ok()?;
    let liq = binance_isolated_liquidation(&table, &position).ok()??;
    Some((1.0 - liq.price / v.of(&ENTRY)) * 100.0)
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let (q, entry, leverage) = (v.of(&QTY), v.of(&ENTRY), v.of(&LEVERAGE));
    let table = TierTable::binance_btcusdt_2021();
    let notional = q * entry;
    let margin = notional / leverage;
    let beyond = || {
        Problem::at(
            &QTY,
            "This position is larger than the tier table's last bracket (500 million USDT).",
        )
    };
    let entry_index = table
        .tier_index_for_notional(notional)
        .map_err(|_| beyond())?;
    let entry_tier = &table.tiers()[entry_index];
    if leverage > entry_tier.max_leverage() {
        return Err(Problem::at(
            &LEVERAGE,
            format!(
                "A notional of {} USDT sits in tier {}, which allows at most {}× leverage.",
                num(notional, 0),
                entry_index + 1,
                tidy(entry_tier.max_leverage(), 0)
            ),
        ));
    }
    let liquidation = |side| {
        let position = LinearPosition::with_leverage(side, q, entry, leverage)?;
        binance_isolated_liquidation(&table, &position)
    };
    let (Ok(Some(long)), Ok(Some(short))) = (liquidation(Side::Long), liquidation(Side::Short))
    else {
        return Err(Problem::at(
            &LEVERAGE,
            "At this leverage the margin does not cover the maintenance margin at entry, or the price range \
             leaves the tier table.",
        ));
    };
    let long_tier = &table.tiers()[long.tier_index];
    let short_tier = &table.tiers()[short.tier_index];

    // The first try: the long formula with the entry tier's rate and amount.
    let entry_rate = entry_tier.maintenance_margin_rate();
    let first = (notional - margin - entry_tier.maintenance_amount()) / (q * (1.0 - entry_rate));
    let first_notional = first * q;
    let verdict = if first_notional < entry_tier.notional_floor() {
        format!(
            "lies below {}, so tier {} is the wrong tier",
            num(entry_tier.notional_floor(), 0),
            entry_index + 1
        )
    } else if first_notional > entry_tier.notional_cap() {
        format!(
            "lies above {}, so tier {} is the wrong tier",
            num(entry_tier.notional_cap(), 0),
            entry_index + 1
        )
    } else {
        format!(
            "lies inside tier {}, so the entry tier holds",
            entry_index + 1
        )
    };

    let long_rate = long_tier.maintenance_margin_rate();
    let long_notional = long.price * q;
    let short_rate = short_tier.maintenance_margin_rate();
    let up = entry * 1.01;
    let mut out = inverse(v)?;
    out.extend([
        ("notional", tidy(notional, 2)),
        ("im", tidy(margin, 2)),
        ("entry-tier", (entry_index + 1).to_string()),
        ("entry-mmr", num(entry_rate * 100.0, 1)),
        ("entry-cum", tidy(entry_tier.maintenance_amount(), 2)),
        (
            "entry-mm",
            tidy(notional * entry_rate - entry_tier.maintenance_amount(), 2),
        ),
        ("long-try-factor", tidy(1.0 - entry_rate, 4)),
        ("long-try", num(first, 2)),
        ("long-try-notional", num(first_notional, 2)),
        ("long-try-verdict", verdict),
        ("long-tier", (long.tier_index + 1).to_string()),
        ("long-cum", tidy(long_tier.maintenance_amount(), 2)),
        ("long-factor", tidy(1.0 - long_rate, 4)),
        (
            "long-num",
            tidy(notional - margin - long_tier.maintenance_amount(), 2),
        ),
        ("long-den", tidy(q * (1.0 - long_rate), 4)),
        ("long-lp", num(long.price, 2)),
        ("long-notional", num(long_notional, 2)),
        ("long-dist", num((1.0 - long.price / entry) * 100.0, 2)),
        ("long-equity", num(margin + q * (long.price - entry), 2)),
        ("long-mmr", num(long_rate * 100.0, 1)),
        (
            "long-mm",
            num(
                long_notional * long_rate - long_tier.maintenance_amount(),
                2,
            ),
        ),
        ("short-tier", (short.tier_index + 1).to_string()),
        ("short-cum", tidy(short_tier.maintenance_amount(), 2)),
        ("short-factor", tidy(1.0 + short_rate, 4)),
        (
            "short-num",
            tidy(notional + margin + short_tier.maintenance_amount(), 2),
        ),
        ("short-den", tidy(q * (1.0 + short_rate), 4)),
        ("short-lp", num(short.price, 2)),
        ("short-notional", num(short.price * q, 2)),
        ("short-dist", num((short.price / entry - 1.0) * 100.0, 2)),
        ("rough-long", tidy(entry * (1.0 - 1.0 / leverage), 2)),
        ("rough-short", tidy(entry * (1.0 + 1.0 / leverage), 2)),
        ("up-price", tidy(up, 2)),
        ("up-move", tidy(up - entry, 2)),
        ("up-pnl", tidy(q * (up - entry), 2)),
        ("up-roe", tidy(q * (up - entry) / margin * 100.0, 2)),
    ]);
    Ok(out)
}

/// The coin-margined position: Bybit's order cost (margin plus the fee to close reserved at the bankruptcy
/// price) and the unified account's bankruptcy and liquidation prices, for a short and for the same long.
fn inverse(v: &Values) -> Result<Outputs, Problem> {
    let (q, entry, leverage) = (v.of(&INV_QTY), v.of(&INV_ENTRY), v.of(&INV_LEVERAGE));
    let (mmr, fee) = (v.of(&INV_MMR) / 100.0, v.of(&INV_FEE) / 100.0);
    let mut out: Outputs = vec![("inv-value", tidy(q / entry, 8))];
    for (side, [ftc, wallet, bp, lp]) in [
        (
            Side::Short,
            ["short-ftc", "short-wallet", "short-bp", "short-lp-inv"],
        ),
        (
            Side::Long,
            ["long-ftc", "long-wallet", "long-bp", "long-lp-inv"],
        ),
    ] {
        let cost = inverse_order_cost(side, q, entry, leverage, fee)?;
        let levels = inverse_levels(
            &InverseTerms {
                side,
                contracts_usd: q,
                entry_price: entry,
                wallet_coin: cost.position_wallet_coin(),
                maintenance_rate: mmr,
                taker_fee: fee,
            },
            MaintenanceBase::Mark,
        )
        .map_err(|_| {
            Problem::at(
                &INV_MMR,
                "With this maintenance rate the margin does not cover the position.",
            )
        })?;
        let price = |p: Option<f64>| p.map_or_else(|| "none".to_string(), |p| num(p, 2));
        out.extend([
            (ftc, tidy(cost.fee_to_close_coin, 8)),
            (wallet, tidy(cost.position_wallet_coin(), 8)),
            (bp, price(levels.bankruptcy_price)),
            (lp, price(levels.liquidation_price)),
        ]);
    }
    out.push(("inv-im", tidy(q / entry / leverage, 8)));
    Ok(out)
}
