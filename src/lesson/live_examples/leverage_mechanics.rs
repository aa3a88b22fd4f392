//! Leverage Mechanics: a position calculator. Margin × leverage = notional; the P&L curve against price,
//! the maintenance margin from the exchange's tier table (or a flat rate the visitor sets) and the
//! liquidation price where the margin is used up. For a coin-margined (inverse) contract it shows the
//! bankruptcy price and the fee to close too (`inverse`).

mod inverse;

use lens_math::margin::{
    LinearPosition, TierTable, binance_isolated_liquidation, bybit_isolated_liquidation_price,
    linear_pnl_curve,
};
use lens_math::market::Side;

use crate::chart::figure::{Axis, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel};
use crate::chart::{Tone, Unit};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, SIDE, VENUE};
use crate::lesson::read::{asset, caption, last_price, venue};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::PriceKind;

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};

const CONTRACT: ControlSpec = ControlSpec {
    key: "contract",
    label: "Contract",
    kind: ControlKind::Choice {
        options: &[
            ("linear", "Linear (USDT-margined)"),
            ("inverse", "Inverse (coin-margined)"),
        ],
        default: "linear",
    },
};

const WALLET: ControlSpec = ControlSpec {
    key: "wallet",
    label: "Margin (wallet balance)",
    kind: ControlKind::Number {
        min: 1.0,
        max: 100_000_000.0,
        step: 100.0,
        default: Some(1_000.0),
        unit: "USD",
    },
};

const LEVERAGE: ControlSpec = ControlSpec {
    key: "lev",
    label: "Leverage",
    kind: ControlKind::Number {
        min: 1.0,
        max: 125.0,
        step: 1.0,
        default: Some(10.0),
        unit: "×",
    },
};

const ENTRY_PRICE: ControlSpec = ControlSpec {
    key: "entry",
    label: "Entry price",
    kind: ControlKind::Number {
        min: 0.000_001,
        max: 1e9,
        step: 100.0,
        default: None,
        unit: "USD",
    },
};

const MAINTENANCE_RATE: ControlSpec = ControlSpec {
    key: "mmr",
    label: "Maintenance margin rate",
    kind: ControlKind::Number {
        min: 0.0,
        max: 50.0,
        step: 0.1,
        default: None,
        unit: "%",
    },
};

const TAKER_FEE: ControlSpec = ControlSpec {
    key: "fee",
    label: "Taker fee to close (inverse)",
    kind: ControlKind::Number {
        min: 0.0,
        max: 1.0,
        step: 0.005,
        default: Some(0.055),
        unit: "%",
    },
};

const CONTROLS: &[ControlSpec] = &[
    VENUE,
    ASSET,
    CONTRACT,
    SIDE,
    WALLET,
    LEVERAGE,
    ENTRY_PRICE,
    MAINTENANCE_RATE,
    TAKER_FEE,
];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-mechanics",
    controls: CONTROLS,
    needs: &[Need::chosen(CANDLES)],
    primary: Some(CANDLES),
    build,
};

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let side = if c.choice(&SIDE) == "short" {
        Side::Short
    } else {
        Side::Long
    };
    let wallet = c.number(&WALLET);
    let leverage = c.number(&LEVERAGE);
    let (entry, price_venue) = if c.is_set(&ENTRY_PRICE) {
        (c.number(&ENTRY_PRICE), None)
    } else {
        let v = venue(set, c, &asset, CANDLES)?;
        (last_price(set, v, &asset)?, Some(v))
    };
    if c.choice(&CONTRACT) == "inverse" {
        let venues: Vec<_> = price_venue.into_iter().collect();
        let example = inverse::build(&inverse::InverseInputs {
            asset: asset.as_str(),
            side,
            margin_usd: wallet,
            leverage,
            entry,
            maintenance_rate: if c.is_set(&MAINTENANCE_RATE) {
                c.number(&MAINTENANCE_RATE) / 100.0
            } else {
                inverse::DEFAULT_MMR
            },
            taker_fee: c.number(&TAKER_FEE) / 100.0,
            caption: caption(set, &venues, "Inverse position calculator"),
        })?;
        return Ok(Example { venues, ..example });
    }
    let notional = wallet * leverage;
    let quantity = notional / entry;
    let position = LinearPosition::new(side, quantity, entry, wallet)
        .map_err(|e| Unavailable::new(format!("These inputs do not make a position: {e}.")))?;
    let flat = c.is_set(&MAINTENANCE_RATE);
    let (table, table_name) = if flat {
        let rate = c.number(&MAINTENANCE_RATE) / 100.0;
        (
            TierTable::flat(rate, 125.0)
                .map_err(|e| Unavailable::new(format!("Maintenance margin rate: {e}.")))?,
            format!("a flat {} maintenance margin rate", pct(rate, 2)),
        )
    } else {
        (
            TierTable::binance_btcusdt_2021(),
            "Binance's BTCUSDT margin tiers".to_string(),
        )
    };
    table.initial_margin(notional, leverage).map_err(|_| {
        let max = table
            .tier_for_notional(notional)
            .map_or(f64::NAN, |t| t.max_leverage());
        Unavailable::new(format!(
            "A {} position allows at most {}× under {table_name}; lower the leverage or the margin.",
            usd(notional),
            num(max, 0)
        ))
    })?;
    let maintenance = table
        .maintenance_margin(notional)
        .map_err(|e| Unavailable::new(format!("Maintenance margin: {e}.")))?;
    let liquidation = if flat {
        bybit_isolated_liquidation_price(&table, &position)
    } else {
        binance_isolated_liquidation(&table, &position).map(|l| l.map(|t| t.price))
    }
    .map_err(|e| Unavailable::new(format!("Liquidation price: {e}.")))?;
    let distance = liquidation.map(|l| (l - entry) / entry);

    let span = distance.map_or(0.2, |d| (d.abs() * 1.6).clamp(0.02, 0.9));
    let curve = linear_pnl_curve(&position, entry * (1.0 - span), entry * (1.0 + span), 200)
        .map_err(|e| Unavailable::new(format!("P&L curve: {e}.")))?;
    let (xs, ys): (Vec<f64>, Vec<f64>) = curve.iter().map(|p| (p.price, p.pnl)).unzip();
    let side_word = if side == Side::Long { "long" } else { "short" };
    let mut markers = vec![CurveMarker {
        x: entry,
        label: "entry".into(),
        tone: Tone::Neutral,
    }];
    if let Some(l) = liquidation {
        markers.push(CurveMarker {
            x: l,
            label: "liquidation".into(),
            tone: Tone::Short,
        });
    }
    let venues: Vec<_> = price_venue.into_iter().collect();
    let rows = xs
        .iter()
        .zip(&ys)
        .step_by(10)
        .map(|(x, y)| vec![usd(*x), usd(*y), pct(y / wallet, 1)])
        .collect();
    let panel = Panel {
        id: "pnl",
        title: "Profit and loss against the price".into(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![CurveLine {
                label: format!("{} {side_word} at {}×", usd(notional), num(leverage, 0)),
                xs,
                ys,
            }],
            markers,
            x: Axis::new("Mark price, USD", Unit::Usd),
            y: Axis::new("P&L, USD", Unit::Usd),
            zero_line: true,
        }),
        summary: format!(
            "P&L of a {} {side_word} of {} {asset} entered at {}: a straight line through zero at the entry, ending at the liquidation price {}.",
            usd(notional),
            num(quantity, 4),
            usd(entry),
            liquidation.map_or("(none)".to_string(), usd)
        ),
        caption: caption(
            set,
            &venues,
            if price_venue.is_some() {
                "Position calculator, entry at the last price"
            } else {
                "Position calculator, entry as entered"
            },
        ),
        table: ChartTable::new(&["Mark price", "P&L", "Return on margin"], rows),
    };

    let move_1pct = notional * 0.01;
    let reading = match (liquidation, distance) {
        (Some(l), Some(d)) => format!(
            "A {}× {side_word} with {} of margin at {} controls {} ({} {asset}). Each 1 % move in {asset} is {} of profit or loss, {} of the margin. It is liquidated at {}, {} {} the entry, when the loss leaves only the {} maintenance margin ({table_name}).",
            num(leverage, 0),
            usd(wallet),
            usd(entry),
            usd(notional),
            num(quantity, 4),
            usd(move_1pct),
            pct(move_1pct / wallet, 0),
            usd(l),
            pct(d.abs(), 2),
            if d < 0.0 { "below" } else { "above" },
            usd(maintenance),
        ),
        _ => format!(
            "A {}× {side_word} with {} of margin at {} controls {} ({} {asset}); with this much margin it cannot be liquidated at any price.",
            num(leverage, 0),
            usd(wallet),
            usd(entry),
            usd(notional),
            num(quantity, 4),
        ),
    };
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("notional", "Notional", usd(notional)),
            Fact::new(
                "quantity",
                "Quantity",
                format!("{} {asset}", num(quantity, 4)),
            ),
            Fact::new("initial-margin", "Initial margin", usd(notional / leverage)),
            Fact::new("maintenance-margin", "Maintenance margin", usd(maintenance)),
            Fact::new(
                "liquidation-price",
                "Liquidation price",
                liquidation.map_or("none".to_string(), usd),
            ),
            Fact::new(
                "liquidation-distance",
                "Distance to liquidation",
                distance.map_or("–".to_string(), |d| pct(d.abs(), 2)),
            ),
        ],
        panels: vec![panel],
        notes: if flat || asset.as_str() == "BTC" {
            Vec::new()
        } else {
            vec![format!(
                "The tier table is Binance's BTCUSDT one, used here as an example for {asset}; set a maintenance margin rate to use your venue's."
            )]
        },
        venues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact};

    fn run(query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(&crate::market::sample::sample_dataset(), &c)
    }

    /// Binance's published example (USDⓈ-M liquidation price, one-way isolated): 1 BTC long at 8,000 USDT with 1,000 USDT of wallet balance in the
    /// first tier (0.4 % MMR, 0 maintenance amount): LP = (1000 − 8000) / (0.004 − 1) = 7,028.11.
    #[test]
    fn binance_documented_example_through_the_calculator() {
        let e = run(&[("entry", "8000"), ("wallet", "1000"), ("lev", "8")]).unwrap();
        assert_eq!(fact(&e, "notional"), "$8,000");
        assert_eq!(fact(&e, "liquidation-price"), "$7,028");
        assert!(e.reading.contains("12.15 % below"), "{}", e.reading);
    }

    #[test]
    fn a_flat_rate_and_a_short_put_the_liquidation_above() {
        // Short, 10×, flat 0.5 %: LP = EP·(1 + 1/L − MMR) = 10 × 1.095 = 10.95.
        let e = run(&[
            ("side", "short"),
            ("entry", "10"),
            ("lev", "10"),
            ("mmr", "0.5"),
        ])
        .unwrap();
        assert_eq!(fact(&e, "liquidation-price"), "$10.95");
        assert!(e.reading.contains("above the entry"), "{}", e.reading);
    }

    #[test]
    fn leverage_above_the_tier_limit_is_explained() {
        // 125× on 1,000,000 USD of margin is 125M notional: Binance's table allows far less there.
        let e = run(&[("wallet", "1000000"), ("lev", "125")]).unwrap_err();
        assert!(e.message.contains("allows at most"), "{}", e.message);
    }

    /// Bybit's Unified Trading Account inverse short example through the calculator: 30,000 USD at 60,000, 10×
    /// (3,000 USD of margin), MMR 0.5 %, taker 0.055 %: fee to close 0.0002475 BTC, bankruptcy price
    /// 60,000 × 10/9 = 66,666.67, liquidation price 30,000 × 0.995 / 0.45 = 66,333.33.
    #[test]
    fn inverse_short_matches_bybits_example_through_the_calculator() {
        let e = run(&[
            ("contract", "inverse"),
            ("side", "short"),
            ("entry", "60000"),
            ("wallet", "3000"),
            ("lev", "10"),
            ("mmr", "0.5"),
            ("fee", "0.055"),
        ])
        .unwrap();
        assert_eq!(fact(&e, "notional"), "$30,000");
        assert_eq!(fact(&e, "fee-to-close"), "0.00024750 BTC");
        assert_eq!(fact(&e, "bankruptcy-price"), usd(60_000.0 * 10.0 / 9.0));
        assert_eq!(fact(&e, "liquidation-price"), usd(30_000.0 * 0.995 / 0.45));
        assert!(e.reading.contains("above the entry"), "{}", e.reading);
        // The fee is reserved on top of the margin, so it raises the cost of the order, not the liquidation
        // price (it sits on both sides of the liquidation condition).
        let long = |fee: &str| {
            run(&[
                ("contract", "inverse"),
                ("entry", "60000"),
                ("lev", "20"),
                ("fee", fee),
            ])
            .unwrap()
        };
        let (free, costly) = (long("0"), long("1"));
        assert_eq!(
            fact(&free, "liquidation-price"),
            fact(&costly, "liquidation-price")
        );
        assert_eq!(fact(&free, "fee-to-close"), "0.00000000 BTC");
        assert_ne!(fact(&costly, "fee-to-close"), "0.00000000 BTC");
    }

    #[test]
    fn inverse_inputs_that_make_no_position_say_why() {
        let e = run(&[
            ("contract", "inverse"),
            ("entry", "100"),
            ("mmr", "50"),
            ("lev", "10"),
        ])
        .unwrap_err();
        assert!(e.message.contains("liquidated at once"), "{}", e.message);
    }

    #[test]
    fn one_times_long_with_no_maintenance_cannot_be_liquidated() {
        let e = run(&[("entry", "100"), ("lev", "1"), ("mmr", "0")]).unwrap();
        assert_eq!(fact(&e, "liquidation-price"), "none");
    }
}
