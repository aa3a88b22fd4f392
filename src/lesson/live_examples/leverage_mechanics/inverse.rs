//! The calculator for a coin-margined (inverse) contract: contracts in USD, margin in coin, a maintenance rate
//! and the taker fee to close. Shows the bankruptcy price beside the liquidation price, the fee the venue
//! reserves to close at the former, and the P&L hyperbola in coin.

use lens_math::margin::{
    InversePosition, InverseTerms, MaintenanceBase, inverse_levels, inverse_order_cost,
    inverse_pnl_curve,
};
use lens_math::market::Side;

use crate::chart::figure::{Axis, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel};
use crate::chart::{Tone, Unit};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Example, Fact, Unavailable};

/// Bybit's first-tier maintenance rate of its BTCUSD inverse perpetual, used when the visitor sets none.
pub const DEFAULT_MMR: f64 = 0.005;

/// What the inverse calculator starts from: the same margin, leverage and entry the linear one reads.
pub struct InverseInputs<'a> {
    pub asset: &'a str,
    pub side: Side,
    pub margin_usd: f64,
    pub leverage: f64,
    pub entry: f64,
    pub maintenance_rate: f64,
    pub taker_fee: f64,
    pub caption: String,
}

/// Coin amounts with enough digits to see a fee (0.00024750 BTC).
fn coin(value: f64, asset: &str) -> String {
    format!("{} {asset}", num(value, 8))
}

pub fn build(i: &InverseInputs) -> Result<Example, Unavailable> {
    let broken = |e: lens_math::MathError| {
        Unavailable::new(format!("These inputs do not make a position: {e}."))
    };
    let contracts_usd = i.margin_usd * i.leverage;
    let cost = inverse_order_cost(i.side, contracts_usd, i.entry, i.leverage, i.taker_fee)
        .map_err(broken)?;
    let wallet = cost.position_wallet_coin();
    let levels = inverse_levels(
        &InverseTerms {
            side: i.side,
            contracts_usd,
            entry_price: i.entry,
            wallet_coin: wallet,
            maintenance_rate: i.maintenance_rate,
            taker_fee: i.taker_fee,
        },
        MaintenanceBase::Mark,
    )
    .map_err(broken)?;
    let position = InversePosition::new(i.side, contracts_usd, i.entry, wallet).map_err(broken)?;
    let value = contracts_usd / i.entry;
    let liquidation = levels.liquidation_price;
    let distance = liquidation.map(|l| (l - i.entry) / i.entry);
    let span = distance.map_or(0.2, |d| (d.abs() * 1.6).clamp(0.02, 0.9));
    let curve = inverse_pnl_curve(
        &position,
        i.entry * (1.0 - span),
        i.entry * (1.0 + span),
        200,
    )
    .map_err(|e| Unavailable::new(format!("P&L curve: {e}.")))?;
    let (xs, ys): (Vec<f64>, Vec<f64>) = curve.iter().map(|p| (p.price, p.pnl)).unzip();
    let side_word = if i.side == Side::Long {
        "long"
    } else {
        "short"
    };
    let mut markers = vec![CurveMarker {
        x: i.entry,
        label: "entry".into(),
        tone: Tone::Neutral,
    }];
    for (price, label, tone) in [
        (liquidation, "liquidation", Tone::Short),
        (levels.bankruptcy_price, "bankruptcy", Tone::Neutral),
    ] {
        if let Some(x) = price.filter(|x| (xs[0]..=xs[xs.len() - 1]).contains(x)) {
            markers.push(CurveMarker {
                x,
                label: label.into(),
                tone,
            });
        }
    }
    let asset = i.asset;
    let rows = xs
        .iter()
        .zip(&ys)
        .step_by(10)
        .map(|(x, y)| vec![usd(*x), coin(*y, asset), pct(y / wallet, 1)])
        .collect();
    let panel = Panel {
        id: "pnl",
        title: "Profit and loss against the price, in coin".into(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![CurveLine {
                label: format!(
                    "{} of {asset}USD {side_word} at {}×",
                    usd(contracts_usd),
                    num(i.leverage, 0)
                ),
                xs,
                ys,
            }],
            markers,
            x: Axis::new("Mark price, USD", Unit::Usd),
            y: Axis::new(format!("P&L, {asset}"), Unit::Plain),
            zero_line: true,
        }),
        summary: format!(
            "P&L in {asset} of a {} inverse {side_word} entered at {}: a hyperbola, d·Q·(1/entry − 1/price), ending at the liquidation price {}.",
            usd(contracts_usd),
            usd(i.entry),
            liquidation.map_or("(none)".to_string(), usd)
        ),
        caption: i.caption.clone(),
        table: ChartTable::new(&["Mark price", "P&L", "Return on margin"], rows),
    };
    let money = |p: Option<f64>| p.map_or("none".to_string(), usd);
    let reading = match (liquidation, distance) {
        (Some(l), Some(d)) => format!(
            "An inverse {}× {side_word} of {} at {} holds {} as margin plus {} reserved for the fee to close at the bankruptcy price {}. It is liquidated at {}, {} {} the entry, when the equity left covers only the {} maintenance margin and that fee.",
            num(i.leverage, 0),
            usd(contracts_usd),
            usd(i.entry),
            coin(cost.initial_margin_coin, asset),
            coin(levels.fee_to_close_coin, asset),
            money(levels.bankruptcy_price),
            usd(l),
            pct(d.abs(), 2),
            if d < 0.0 { "below" } else { "above" },
            pct(i.maintenance_rate, 2),
        ),
        _ => format!(
            "An inverse {}× {side_word} of {} at {} holds as much coin as it is worth: no price liquidates it.",
            num(i.leverage, 0),
            usd(contracts_usd),
            usd(i.entry),
        ),
    };
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("notional", "Contract value", usd(contracts_usd)),
            Fact::new("quantity", "Position value at entry", coin(value, asset)),
            Fact::new(
                "initial-margin",
                "Initial margin",
                coin(cost.initial_margin_coin, asset),
            ),
            Fact::new(
                "fee-to-close",
                "Fee to close (reserved)",
                coin(levels.fee_to_close_coin, asset),
            ),
            Fact::new(
                "bankruptcy-price",
                "Bankruptcy price",
                money(levels.bankruptcy_price),
            ),
            Fact::new("liquidation-price", "Liquidation price", money(liquidation)),
            Fact::new(
                "liquidation-distance",
                "Distance to liquidation",
                distance.map_or("–".to_string(), |d| pct(d.abs(), 2)),
            ),
        ],
        panels: vec![panel],
        notes: vec![
            "Inverse: Bybit's Unified Trading Account rules (maintenance margin valued at the price, the fee to close reserved with the margin and charged at the bankruptcy price)."
                .to_string(),
            format!(
                "The fee to close is reserved on top of the margin, as in Bybit's order cost ({} in all with the fee to open), so it raises what the order costs, not the liquidation price; out of a fixed balance it would bring the liquidation price closer.",
                coin(cost.total_coin(), asset)
            ),
        ],
        venues: Vec::new(),
    })
}
