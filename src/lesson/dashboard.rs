//! The Leverage Dynamics dashboard on the overview: one tile per signal (funding regime, OI × price
//! quadrant, basis, positioning skew, estimated leverage, liquidation-map hot zones) for one asset across
//! the venues in view, and a one-line verdict with its reasons.
mod inputs;
mod tiles;
pub mod words;

pub use inputs::{
    Smile, oi_coins, positioning_skew, quadrant_between, rate_text, ratio_series,
    risk_reversal_25d, signed_num, signed_pct,
};

use lens_math::market::Side;
use lens_math::positioning::{
    CrowdingSignals, DynamicsVerdict, OiPriceQuadrant, RiskReversalRegime, assess_dynamics,
};

use super::Need;
use super::read::caption;
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, PriceKind, RatioKind, Venue};
use tiles::{
    basis_reading, funding_reading, hot_zone_reading, leverage_reading, quadrant_reading,
    skew_reading,
};

/// What the dashboard reads, from every venue that has it (also the Leverage Dynamics Assessment example's).
pub const NEEDS: &[Need] = &[
    Need::all(Item::OpenInterest),
    Need::all(Item::Candles {
        price: PriceKind::Last,
    }),
    Need::all(Item::Funding),
    Need::all(Item::Ratio {
        kind: RatioKind::GlobalAccounts,
    }),
    Need::all(Item::Basis),
    Need::all(Item::Options),
];

/// How a tile's reading leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lean {
    /// Nothing stretched.
    Calm,
    /// Leverage building on the long side (longs crowded, paying).
    LongHeavy,
    /// Leverage building on the short side.
    ShortHeavy,
    /// Stretched without a side (high leverage, a hot zone close by).
    Stretched,
    /// Not enough data to say.
    Unknown,
}

/// One signal of the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// Stable id (`funding`, `quadrant`, `basis`, `skew`, `leverage`, `hot-zones`), the element's `data-tile`.
    pub key: &'static str,
    pub title: String,
    /// The glossary term that explains it.
    pub term_slug: &'static str,
    /// The headline number or state ("0.0123 % per 8 h", "New longs").
    pub value: String,
    /// One line of detail with the numbers behind it, per venue where it differs.
    pub detail: String,
    pub lean: Lean,
}

/// The whole dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub asset: Asset,
    pub tiles: Vec<Tile>,
    /// One line: the overall read ("Leverage is building on the long side").
    pub verdict: String,
    /// The tiles' findings that led to the verdict.
    pub reasons: Vec<String>,
    /// Where the numbers come from (for the caption).
    pub source: String,
    /// The venues whose data the tiles read.
    pub venues: Vec<Venue>,
}

/// The overall read of a quadrant and the crowding signals: the dashboard's verdict, and the worked example's.
pub fn verdict(quadrant: Option<OiPriceQuadrant>, signals: &CrowdingSignals) -> String {
    let Ok(v) = assess_dynamics(quadrant.unwrap_or(OiPriceQuadrant::NoClearRead), signals) else {
        return "No verdict: the signals in view are not usable.".to_string();
    };
    if quadrant.is_none() && v.available_signals == 0 {
        return "Not enough data in view for a verdict.".to_string();
    }
    let total = DynamicsVerdict::SIGNALS_TOTAL;
    let side_word = |s: Side| if s == Side::Long { "long" } else { "short" };
    let in_view = if v.available_signals < total {
        format!("; {} in view", v.available_signals)
    } else {
        String::new()
    };
    let signals = format!("crowding signals (funding, basis, risk reversal{in_view})");
    let head = match v.quadrant {
        OiPriceQuadrant::NewLongs => "Leverage is building on the long side (new longs)",
        OiPriceQuadrant::NewShorts => "Leverage is building on the short side (new shorts)",
        OiPriceQuadrant::LongLiquidation => "Longs are being flushed out (long liquidation)",
        OiPriceQuadrant::ShortCovering => "Shorts are closing out (short covering)",
        OiPriceQuadrant::NoClearRead => {
            return match v.side {
                Some(s) => format!(
                    "No clear open-interest move; {} of {total} {signals} lean {}.",
                    v.signals_on_side,
                    side_word(s)
                ),
                None => format!(
                    "No clear read: open interest and price moved little and the {signals} are balanced."
                ),
            };
        }
    };
    let side = v.side.map_or("long", side_word);
    format!(
        "{head}, with {} of {total} {signals} leaning {side}.",
        v.signals_on_side
    )
}

/// The dashboard for `asset` from the data in view.
pub fn dashboard(set: &DataSet, asset: &Asset) -> Dashboard {
    let smile = risk_reversal_25d(set, asset);
    let (funding, funding_8h) = funding_reading(set, asset);
    let (quadrant, q) = quadrant_reading(set, asset);
    let (basis, annual) = basis_reading(set, asset);
    let rr = smile.as_ref().map(|s| s.risk_reversal.vol_points);
    let rr_reason = rr.and_then(|p| {
        let words = words::skew_words(RiskReversalRegime::from_vol_points(p).ok()?);
        Some(format!(
            "the 25-delta risk reversal is {} vol points ({words})",
            signed_num(p, 1)
        ))
    });
    let readings = [
        funding,
        quadrant,
        basis,
        skew_reading(set, asset, smile.as_ref()),
        leverage_reading(set, asset),
        hot_zone_reading(set, asset),
    ];
    let signals = CrowdingSignals {
        funding_per_8h: funding_8h,
        annualised_basis_simple: annual,
        risk_reversal_25d_vol_points: rr,
    };
    let mut reasons: Vec<String> = readings.iter().filter_map(|r| r.reason.clone()).collect();
    reasons.extend(rr_reason);
    let mut venues = set.venues_with(asset, Item::Funding);
    venues.extend(set.venues_with(asset, Item::OpenInterest));
    venues.extend(smile.as_ref().map(|s| s.venue));
    lens_math::sort::sort(&mut venues);
    venues.dedup();
    Dashboard {
        asset: asset.clone(),
        tiles: readings.into_iter().map(|r| r.tile).collect(),
        verdict: verdict(q, &signals),
        reasons,
        source: caption(set, &venues, &format!("Leverage dynamics of {asset}")),
        venues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::read::{self, DAY_MS, HOUR_MS};
    use crate::market::dataset::Origin;
    use crate::market::model::PriceKind;
    use crate::market::model::{Candle, FundingRate as Rate, OpenInterest};
    use crate::market::model::{OptionKind, OptionQuote};
    use crate::market::sample::sample_dataset;
    use crate::market::venues::Payload;

    const CANDLES: Item = Item::Candles {
        price: PriceKind::Last,
    };

    fn tile<'a>(d: &'a Dashboard, key: &str) -> &'a Tile {
        d.tiles.iter().find(|t| t.key == key).unwrap()
    }

    #[test]
    fn the_sample_fills_every_tile_with_its_term() {
        let d = dashboard(&sample_dataset(), &Asset::btc());
        let keys: Vec<(&str, &str)> = d.tiles.iter().map(|t| (t.key, t.term_slug)).collect();
        assert_eq!(
            keys,
            vec![
                ("funding", "leverage-skew"),
                ("quadrant", "leverage-dynamics-assessment"),
                ("basis", "leverage-dependency"),
                ("skew", "leverage-skew"),
                ("leverage", "leverage-ratio-monitoring"),
                ("hot-zones", "leverage-and-liquidation-risks"),
            ]
        );
        for t in &d.tiles {
            assert_ne!(t.lean, Lean::Unknown, "{t:?}");
            assert!(!format!("{t:?}").contains("NaN"), "{t:?}");
        }
        assert!(
            !d.reasons.is_empty() && d.verdict.ends_with('.'),
            "{}",
            d.verdict
        );
        assert!(d.source.contains("Deribit"), "{}", d.source);
    }

    /// The funding tile against Σ f·(8/h)·OI_USD / Σ OI_USD over the latest rows, computed by hand.
    #[test]
    fn funding_is_weighted_by_the_latest_open_interest() {
        let set = sample_dataset();
        let btc = Asset::btc();
        let (mut spend, mut total) = (0.0, 0.0);
        for v in set.venues_with(&btc, Item::Funding) {
            let f = read::funding(&set, v, &btc, i64::MIN);
            let f = f.last().unwrap();
            let oi = crate::lesson::testing::last_oi_usd(&set, v, &btc);
            spend += f.rate * 8.0 / f.interval_hours * oi;
            total += oi;
        }
        let d = dashboard(&set, &btc);
        assert_eq!(
            tile(&d, "funding").value,
            format!("{} per 8 h", rate_text(spend / total))
        );
    }

    fn row_set(oi: [f64; 2], price: [f64; 2], funding_8h: f64, forward: Option<f64>) -> DataSet {
        let now = 100 * DAY_MS;
        let mut set = DataSet::empty(Origin::Live, now);
        let btc = Asset::btc();
        let oi_rows = [now - DAY_MS, now]
            .iter()
            .zip(oi)
            .map(|(&time_ms, base)| OpenInterest {
                time_ms,
                base,
                usd: Some(base * 64_000.0),
            })
            .collect();
        let candle = |open_time_ms, close: f64| Candle {
            open_time_ms,
            open: close,
            high: close,
            low: close,
            close,
            volume_base: 1.0,
            taker_buy_base: None,
        };
        let candles = vec![
            candle(now - DAY_MS - HOUR_MS, price[0]),
            candle(now - HOUR_MS, price[1]),
        ];
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::OpenInterest,
            Payload::OpenInterest(oi_rows),
        );
        set.insert(
            Venue::Binance,
            btc.clone(),
            CANDLES,
            Payload::Candles(candles),
        );
        let rate = Rate {
            time_ms: now,
            rate: funding_8h,
            interval_hours: 8.0,
            mark_price: None,
        };
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::Funding,
            Payload::Funding(vec![rate]),
        );
        if let Some(forward) = forward {
            let index = crate::market::model::BasisPoint {
                time_ms: now,
                futures_price: price[1],
                index_price: price[1],
            };
            set.insert(
                Venue::Binance,
                btc.clone(),
                Item::Basis,
                Payload::Basis(vec![index]),
            );
            let q = |kind, strike| OptionQuote {
                instrument: String::new(),
                kind,
                strike,
                expiry_ms: now + 91 * DAY_MS,
                mark_price_usd: 1.0,
                mark_iv: 0.5,
                underlying_price: forward,
                delta: None,
                open_interest_base: None,
            };
            let chain = vec![q(OptionKind::Call, 70_000.0), q(OptionKind::Put, 58_000.0)];
            set.insert(Venue::Deribit, btc, Item::Options, Payload::Options(chain));
        }
        set
    }

    /// Leverage Lens glossary term 16, worked example: OI 88,000 → 91,700 BTC with price 62,080 → 64,000 is new
    /// longs; funding 0.028 % per 8 h is elevated; a 91-day future at 65,100 against 64,000 is 6.89 % a year,
    /// normal. Without an option smile that is 1 of 3 signals on the long side, 2 in view.
    #[test]
    fn glossary_worked_example_reads_new_longs_with_one_signal() {
        let set = row_set(
            [88_000.0, 91_700.0],
            [62_080.0, 64_000.0],
            0.00028,
            Some(65_100.0),
        );
        let d = dashboard(&set, &Asset::btc());
        assert_eq!(tile(&d, "quadrant").value, "New longs");
        assert_eq!(tile(&d, "quadrant").lean, Lean::LongHeavy);
        assert_eq!(tile(&d, "funding").lean, Lean::LongHeavy);
        assert_eq!(tile(&d, "basis").value, "+6.9 % a year");
        assert_eq!(tile(&d, "basis").lean, Lean::Calm);
        assert_eq!(
            d.verdict,
            "Leverage is building on the long side (new longs), with 1 of 3 crowding signals (funding, basis, risk reversal; 2 in view) leaning long."
        );
        // The contrast case of the same page: 88,000 → 82,700 BTC with 62,080 → 60,500 USD.
        let set = row_set([88_000.0, 82_700.0], [62_080.0, 60_500.0], -0.0002, None);
        let d = dashboard(&set, &Asset::btc());
        assert_eq!(tile(&d, "quadrant").value, "Long liquidation");
        assert_eq!(tile(&d, "funding").lean, Lean::ShortHeavy);
        assert!(
            d.verdict.starts_with("Longs are being flushed out"),
            "{}",
            d.verdict
        );
    }

    #[test]
    fn missing_data_gives_unknown_tiles_not_a_panic() {
        let d = dashboard(&DataSet::empty(Origin::Live, 0), &Asset::btc());
        assert_eq!(d.tiles.len(), 6);
        for t in &d.tiles {
            assert_eq!(t.lean, Lean::Unknown);
            assert!(t.detail.contains("No data in view"), "{t:?}");
        }
        assert_eq!(d.verdict, "Not enough data in view for a verdict.");
        let mut poisoned = sample_dataset();
        for entry in &mut poisoned.entries {
            match &mut entry.payload {
                Payload::Funding(rows) => rows.iter_mut().for_each(|r| r.rate = f64::NAN),
                Payload::Candles(rows) => {
                    rows.iter_mut().step_by(3).for_each(|r| r.close = f64::NAN)
                }
                Payload::Options(rows) => rows.iter_mut().for_each(|r| r.mark_iv = f64::INFINITY),
                _ => {}
            }
        }
        let d = dashboard(&poisoned, &Asset::btc());
        assert_eq!(tile(&d, "funding").lean, Lean::Unknown);
        assert!(!format!("{d:?}").contains("NaN") && !format!("{d:?}").contains("inf"));
    }
}
