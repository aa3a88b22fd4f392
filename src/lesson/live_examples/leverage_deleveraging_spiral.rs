//! Leverage Deleveraging Spiral: a price shock liquidates the longs whose liquidation price it crosses, their
//! forced sells walk down the bids, and the lower price liquidates more. The position book is built from the
//! venue's open interest (spread over a leverage mix around the last price); the depth that absorbs the
//! selling is read off the venue's order-book snapshot and refilled while the cascade runs
//! ([`BOOK_RESILIENCE`]): a venue's open interest is tens of times the bids a snapshot shows, so the visible
//! book alone would turn any shock into a wipe-out.

use lens_math::market::Side;
use lens_math::spiral::{
    BOOK_RESILIENCE, BookDepth, Cascade, CascadeStop, LeveragedPosition, PositionBook,
    SyntheticBookParams, synthetic_book,
};

use crate::chart::Unit;
use crate::chart::figure::{Axis, ChartTable, CurveFigure, CurveLine, Figure, Panel};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, VENUE};
use crate::lesson::read::{
    FALLBACK_DEPTH_SHARE, asset, book, caption, last_price, open_interest, venue,
};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Level, OrderBookSnapshot, PriceKind};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
const MMR: f64 = 0.005;

const SHOCK: ControlSpec = ControlSpec {
    key: "shock",
    label: "Initial price drop",
    kind: ControlKind::Number {
        min: 0.1,
        max: 50.0,
        step: 0.5,
        default: Some(3.0),
        unit: "%",
    },
};

const BOOK_DEPTH: ControlSpec = ControlSpec {
    key: "depth",
    label: "Order-book depth",
    kind: ControlKind::Number {
        min: 0.05,
        max: 20.0,
        step: 0.05,
        default: Some(1.0),
        unit: "×",
    },
};

const LEVERAGE_MIX: ControlSpec = ControlSpec {
    key: "levmix",
    label: "Leverage mix",
    kind: ControlKind::Choice {
        options: &[
            ("low", "Low (2–10×)"),
            ("mixed", "Mixed (2–50×)"),
            ("high", "High (10–100×)"),
        ],
        default: "mixed",
    },
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, SHOCK, BOOK_DEPTH, LEVERAGE_MIX];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-deleveraging-spiral",
    controls: CONTROLS,
    needs: &[
        Need::chosen(Item::OpenInterest),
        Need::chosen(CANDLES),
        Need::chosen(Item::Book),
    ],
    primary: Some(Item::OpenInterest),
    build,
};

/// (leverage, share of open interest) per mix.
fn leverage_mix(choice: &str) -> Vec<(f64, f64)> {
    match choice {
        "low" => vec![(2.0, 0.3), (3.0, 0.3), (5.0, 0.25), (10.0, 0.15)],
        "high" => vec![(10.0, 0.2), (20.0, 0.3), (50.0, 0.3), (100.0, 0.2)],
        _ => SyntheticBookParams::default().leverage_mix,
    }
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, Item::OpenInterest)?;
    let name = venue.display_name();
    let venues = vec![venue];
    let price = last_price(set, venue, &asset)?;
    let oi_base = open_interest(set, venue, &asset, i64::MIN)
        .iter()
        .rev()
        .map(|r| r.base)
        .find(|b| b.is_finite() && *b > 0.0)
        .ok_or_else(|| {
            Unavailable::new(format!(
                "{name} has no usable open interest for {asset} in the data in view."
            ))
        })?;
    let oi_usd = oi_base * price;
    let (shock, multiplier) = (c.number(&SHOCK) / 100.0, c.number(&BOOK_DEPTH));
    let mut notes = Vec::new();
    let (bid_depth, ask_depth) = book(set, venue, &asset)
        .and_then(|b| depth_per_pct(&b))
        .unwrap_or_else(|| {
            notes.push(format!(
                "{name} has no usable order book for {asset} in view: depth is assumed at {} of the open interest per 1 %.",
                pct(FALLBACK_DEPTH_SHARE, 1)
            ));
            (oi_usd * FALLBACK_DEPTH_SHARE, oi_usd * FALLBACK_DEPTH_SHARE)
        });
    let broken = |e: lens_math::MathError| {
        Unavailable::new(format!("The cascade cannot be simulated: {e}."))
    };
    let depth = BookDepth::new(
        bid_depth * multiplier * BOOK_RESILIENCE,
        ask_depth * multiplier * BOOK_RESILIENCE,
    )
    .map_err(broken)?;
    let positions = synthetic_book(&SyntheticBookParams {
        seed: 7,
        position_count: 2_000,
        open_interest_usd: oi_usd,
        long_share: 0.5,
        leverage_mix: leverage_mix(c.choice(&LEVERAGE_MIX)),
        reference_price: price,
        entry_dispersion: 0.05,
        maintenance_margin_rate: MMR,
    })
    .map_err(broken)?;
    let cascade = PositionBook::new(&positions)
        .cascade(price, -shock, &depth)
        .map_err(broken)?;
    let drops: Vec<f64> = cascade
        .price_path
        .iter()
        .skip(1)
        .map(|p| p / price - 1.0)
        .collect();
    let final_drop = -(cascade.final_price() / price - 1.0);
    let (liquidated, liquidated_usd, rounds) = (
        cascade.total_volume_base(),
        cascade.total_volume_usd(),
        cascade.rounds.len(),
    );
    let amplification = final_drop / shock;
    let rounds_x: Vec<f64> = (0..drops.len()).map(|i| i as f64).collect();
    let mut cumulative = vec![0.0];
    for r in &cascade.rounds {
        cumulative.push(cumulative.last().copied().unwrap_or(0.0) + r.volume_base);
    }
    let price_panel = Panel {
        id: "price",
        title: "Price after each round of liquidations".into(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![
                CurveLine {
                    label: "Price with the cascade".into(),
                    xs: rounds_x.clone(),
                    ys: drops.clone(),
                },
                CurveLine {
                    label: "The shock alone".into(),
                    xs: rounds_x.clone(),
                    ys: vec![-shock; drops.len()],
                },
            ],
            markers: Vec::new(),
            x: Axis::new("Round (0 = the shock)", Unit::Count),
            y: Axis::new("Change from the last price", Unit::Percent),
            zero_line: true,
        }),
        summary: format!(
            "A {} shock from {} on {name} {asset} sets off {rounds} rounds of forced selling and ends {} lower.",
            pct(shock, 1),
            usd(price),
            pct(final_drop, 1)
        ),
        caption: caption(
            set,
            &venues,
            "Cascade simulation over a position book built from open interest",
        ),
        table: ChartTable::new(
            &["Round", "Price", "Change from the last price"],
            cascade
                .price_path
                .iter()
                .skip(1)
                .enumerate()
                .map(|(i, p)| vec![i.to_string(), usd(*p), pct(p / price - 1.0, 2)])
                .collect(),
        ),
    };
    let volume_panel = Panel {
        id: "volume",
        title: "Longs liquidated, cumulative".into(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![CurveLine {
                label: format!("Liquidated longs, {asset}"),
                xs: rounds_x,
                ys: cumulative.clone(),
            }],
            markers: Vec::new(),
            x: Axis::new("Round (0 = the shock)", Unit::Count),
            y: Axis::new(format!("Liquidated, {asset}"), Unit::Compact),
            zero_line: false,
        }),
        summary: format!(
            "{} {asset} of longs are liquidated over {rounds} rounds, {} at the prices they fired at.",
            num(liquidated, 0),
            usd(liquidated_usd)
        ),
        caption: caption(
            set,
            &venues,
            "Cascade simulation, forced sells into the order book's bids",
        ),
        table: ChartTable::new(
            &[
                "Round",
                "Positions liquidated",
                &format!("Volume, {asset}"),
                "Volume, USD",
            ],
            cascade
                .rounds
                .iter()
                .map(|r| {
                    vec![
                        (r.round + 1).to_string(),
                        r.positions_liquidated.to_string(),
                        num(r.volume_base, 1),
                        usd(r.volume_usd),
                    ]
                })
                .collect(),
        ),
    };
    let reading = reading_text(
        &cascade,
        shock,
        final_drop,
        amplification,
        &positions,
        price,
        &format!("{name} {asset}"),
        &asset.to_string(),
    );
    Ok(Example {
        reading,
        facts: vec![
            Fact::new(
                "liquidated",
                "Longs liquidated",
                format!("{} {asset}", num(liquidated, 1)),
            ),
            Fact::new("liquidated-usd", "Liquidated notional", usd(liquidated_usd)),
            Fact::new("rounds", "Rounds", rounds.to_string()),
            Fact::new("final-drop", "Final drop", pct(final_drop, 2)),
            Fact::new(
                "amplification",
                "Final drop ÷ shock",
                format!("{}×", num(amplification, 2)),
            ),
            Fact::new(
                "bid-depth",
                "Bid depth per 1 %",
                usd(bid_depth * multiplier),
            ),
            Fact::new(
                "met-depth",
                "Bids the cascade meets per 1 % (book refilled)",
                format!(
                    "{} ({}× the snapshot)",
                    usd(bid_depth * multiplier * BOOK_RESILIENCE),
                    num(BOOK_RESILIENCE, 0)
                ),
            ),
        ],
        panels: vec![price_panel, volume_panel],
        notes,
        venues,
    })
}

#[allow(clippy::too_many_arguments)]
fn reading_text(
    cascade: &Cascade,
    shock: f64,
    final_drop: f64,
    amplification: f64,
    positions: &[LeveragedPosition],
    price: f64,
    market: &str,
    asset: &str,
) -> String {
    let start = format!("A {} drop on {market}", pct(shock, 0));
    if cascade.rounds.is_empty() {
        let nearest = positions
            .iter()
            .filter(|p| p.side() == Side::Long)
            .map(|p| p.liquidation_price())
            .fold(0.0, f64::max);
        return format!(
            "{start} liquidates no longs in this book: the nearest long liquidation price is {} below the last price, so the price stays {} lower.",
            pct(1.0 - nearest / price, 1),
            pct(shock, 0)
        );
    }
    let verdict = if amplification >= 2.0 {
        "the spiral more than doubles the shock".to_string()
    } else if amplification > 1.05 {
        format!(
            "the spiral adds {} to the shock",
            pct(final_drop - shock, 1)
        )
    } else {
        "the book absorbs the forced selling with little extra move".to_string()
    };
    let wiped = if cascade.stop == CascadeStop::SideWipedOut {
        "; every leveraged long is gone"
    } else {
        ""
    };
    format!(
        "{start} liquidates {} {asset} of longs in {} rounds; the price ends {} lower — {verdict}{wiped}.",
        num(cascade.total_volume_base(), 0),
        cascade.rounds.len(),
        pct(final_drop, 1)
    )
}

/// USD resting per 1 % of the mid on each side (bids, asks): the size within 1 % of the mid, scaled up when
/// the snapshot reaches less far.
fn depth_per_pct(book: &OrderBookSnapshot) -> Option<(f64, f64)> {
    let mid = (book.bids.first()?.price + book.asks.first()?.price) / 2.0;
    if !(mid.is_finite() && mid > 0.0) {
        return None;
    }
    let side = |levels: &[Level]| -> Option<f64> {
        let inside = levels
            .iter()
            .filter(|l| l.size.is_finite() && l.size > 0.0 && (l.price - mid).abs() / mid <= 0.01);
        let (usd, reach) = inside.fold((0.0, 0.0f64), |(u, r), l| {
            (u + l.price * l.size, r.max((l.price - mid).abs() / mid))
        });
        // A floor on the reach keeps a book of one level from being extrapolated a hundredfold.
        (usd > 0.0).then(|| usd / (reach * 100.0).clamp(0.05, 1.0))
    };
    Some((side(&book.bids)?, side(&book.asks)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::read::candles;
    use crate::lesson::testing::controls;
    use crate::market::model::{Asset, Venue};
    use crate::market::sample::sample_dataset;

    fn run(query: &[(&str, &str)]) -> Example {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c).unwrap()
    }

    fn value(e: &Example, key: &str) -> f64 {
        let v = e
            .facts
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.clone())
            .unwrap_or_default();
        v.trim_start_matches('$')
            .trim_end_matches(|ch: char| !ch.is_ascii_digit())
            .replace(',', "")
            .parse()
            .unwrap()
    }

    /// The depth and the cascade recomputed by hand from the raw rows: bids within 1 % of the mid, then
    /// liquidate every long past the price and sell it into `P·exp(−0.01·N/(K·R))`, the book refilled `R`
    /// times, until nothing more is crossed.
    #[test]
    fn depth_and_liquidated_volume_match_a_hand_computation() {
        let set = sample_dataset();
        let b = book(&set, Venue::Binance, &Asset::btc()).unwrap();
        let mid = (b.bids[0].price + b.asks[0].price) / 2.0;
        let inside: Vec<&Level> = b
            .bids
            .iter()
            .filter(|l| (mid - l.price) / mid <= 0.01)
            .collect();
        let reach = inside
            .iter()
            .map(|l| (mid - l.price) / mid)
            .fold(0.0, f64::max);
        let k = inside.iter().map(|l| l.price * l.size).sum::<f64>() / (reach * 100.0);
        let e = run(&[]);
        assert_eq!(e.facts[5].value, usd(k));
        let price = candles(&set, Venue::Binance, &Asset::btc(), i64::MIN)
            .last()
            .unwrap()
            .close;
        let oi = open_interest(&set, Venue::Binance, &Asset::btc(), i64::MIN)
            .last()
            .unwrap()
            .base;
        let positions = synthetic_book(&SyntheticBookParams {
            seed: 7,
            position_count: 2_000,
            open_interest_usd: oi * price,
            long_share: 0.5,
            leverage_mix: leverage_mix("mixed"),
            reference_price: price,
            entry_dispersion: 0.05,
            maintenance_margin_rate: MMR,
        })
        .unwrap();
        let mut open: Vec<(f64, f64)> = positions
            .iter()
            .filter(|p| p.side() == Side::Long)
            .map(|p| (p.liquidation_price(), p.size_base()))
            .collect();
        let (mut p, mut total) = (price * 0.97, 0.0);
        loop {
            let hit: f64 = open.iter().filter(|(lp, _)| *lp >= p).map(|(_, s)| s).sum();
            open.retain(|(lp, _)| *lp < p);
            if hit == 0.0 {
                break;
            }
            total += hit;
            p *= (-0.01 * hit * p / (k * BOOK_RESILIENCE)).exp();
        }
        assert!(
            (value(&e, "liquidated") - total).abs() < 0.1,
            "{} vs {total}",
            e.facts[0].value
        );
        assert!((value(&e, "final-drop") / 100.0 - (1.0 - p / price)).abs() < 1e-4);
    }

    #[test]
    fn a_bigger_shock_thinner_book_or_higher_leverage_liquidates_more() {
        let base = run(&[]);
        for more in [
            run(&[("shock", "8")]),
            run(&[("depth", "0.3")]),
            run(&[("levmix", "high")]),
        ] {
            assert!(
                value(&more, "liquidated") > value(&base, "liquidated"),
                "{}",
                more.reading
            );
        }
        let deep = run(&[("depth", "5")]);
        assert!(value(&deep, "final-drop") < value(&base, "final-drop"));
        let low = run(&[("levmix", "low"), ("shock", "1")]);
        assert!(
            low.reading.contains("liquidates no longs"),
            "{}",
            low.reading
        );
    }

    /// A hand-made book: mid 100, bids 10 at 99.5 and 10 at 99 (1 % away): (995 + 990) USD per 1 %; a
    /// snapshot reaching only 0.5 % is scaled to 1 %.
    #[test]
    fn worked_depth_per_percent() {
        let l = |price, size| Level { price, size };
        let full = OrderBookSnapshot {
            time_ms: 0,
            bids: vec![l(99.5, 10.0), l(99.0, 10.0), l(98.0, 50.0)],
            asks: vec![l(100.5, 1.0)],
        };
        assert_eq!(depth_per_pct(&full), Some((1_985.0, 100.5 / 0.5)));
        let empty = OrderBookSnapshot {
            time_ms: 0,
            bids: Vec::new(),
            asks: vec![l(100.5, 1.0)],
        };
        assert_eq!(depth_per_pct(&empty), None);
    }
}
