//! The dashboard's inputs read from the data set: series cleaned of unusable rows, the option smile, the
//! positioning-skew reading, the 24 h quadrant, and the number formats the tiles and live examples share.

use lens_math::TimeSeries;
use lens_math::basis::days_to_expiry;
use lens_math::options::{DeltaRiskReversal, RiskReversal, Underlying};
use lens_math::positioning::{
    OiPriceQuadrant, PositioningSkewIndex, QuadrantClassifier, SkewReading,
};

use crate::lesson::read::{self, DAY_MS, close_series};
use crate::lesson::text::{num, pct};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, OptionQuote, RatioKind, Venue};

/// `+2.1 %`, `−0.4 %`, `0.0 %`: a change with its sign.
pub fn signed_pct(fraction: f64, decimals: usize) -> String {
    let scaled = (fraction * 100.0 * 10f64.powi(decimals as i32)).round();
    let sign = if scaled > 0.0 {
        "+"
    } else if scaled < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{}", pct(fraction.abs(), decimals))
}

/// A funding rate with four decimals and a typographic minus: `0.0123 %`, `−0.0021 %`.
pub fn rate_text(fraction: f64) -> String {
    pct(fraction, 4).replace('-', "−")
}

/// Open interest in coins; unusable readings dropped.
pub fn oi_coins(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> TimeSeries {
    TimeSeries::from_points_lossy(
        read::open_interest(set, venue, asset, from_ms)
            .iter()
            .filter(|r| r.base > 0.0)
            .map(|r| (r.time_ms, r.base)),
    )
}

/// Long/short ratios of `kind`; negative or broken ratios dropped.
pub fn ratio_series(
    set: &DataSet,
    venue: Venue,
    asset: &Asset,
    kind: RatioKind,
    from_ms: i64,
) -> TimeSeries {
    TimeSeries::from_points_lossy(
        read::ratios(set, venue, asset, kind, from_ms)
            .iter()
            .filter(|r| r.ratio >= 0.0)
            .map(|r| (r.time_ms, r.ratio)),
    )
}

/// The latest positioning-skew reading, z-scoring over every funding print given (at most the glossary's 90).
/// Fewer than 10 prints after the first ratio give no reading: a z-score of so few says little.
pub fn positioning_skew(funding_8h: &TimeSeries, ratios: &TimeSeries) -> Option<SkewReading> {
    let (start, _) = ratios.first()?;
    let usable = funding_8h
        .times_ms()
        .iter()
        .filter(|t| **t >= start)
        .count();
    let window = usable.min(PositioningSkewIndex::DEFAULT_WINDOW);
    if window < 10 {
        return None;
    }
    PositioningSkewIndex::new(window)
        .ok()?
        .apply(funding_8h, 8.0, ratios)
        .ok()?
        .last()
        .copied()
}

/// The 25-delta risk reversal of one expiry with the quotes it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Smile {
    pub venue: Venue,
    pub expiry_ms: i64,
    pub days: f64,
    pub risk_reversal: RiskReversal,
    /// The expiry's usable quotes, for charts.
    pub quotes: Vec<OptionQuote>,
}

pub(super) fn usable_options(set: &DataSet, venue: Venue, asset: &Asset) -> Vec<OptionQuote> {
    read::options(set, venue, asset)
        .into_iter()
        .filter(|q| {
            [q.mark_iv, q.strike, q.underlying_price]
                .iter()
                .all(|v| v.is_finite() && *v > 0.0)
                && q.expiry_ms > set.as_of_ms
        })
        .collect()
}

/// Expiries of `quotes`, nearest to `target_days` first.
pub(super) fn expiries_nearest(quotes: &[OptionQuote], now_ms: i64, target_days: i64) -> Vec<i64> {
    let mut expiries: Vec<i64> = quotes.iter().map(|q| q.expiry_ms).collect();
    lens_math::sort::sort(&mut expiries);
    expiries.dedup();
    let target = now_ms.saturating_add(target_days.saturating_mul(DAY_MS));
    lens_math::sort::sort_by_key(&mut expiries, |e| e.abs_diff(target));
    expiries
}

/// RR25 of the expiry nearest 30 days (the glossary's tenor) that has quotes on both sides of ±25Δ. Deribit's
/// `underlying_price` is the forward of the expiry, hence Black-76 deltas.
pub fn risk_reversal_25d(set: &DataSet, asset: &Asset) -> Option<Smile> {
    let rule = DeltaRiskReversal::new(0.25, 0.0, Underlying::Future).ok()?;
    set.venues_with(asset, Item::Options)
        .into_iter()
        .find_map(|venue| {
            let quotes = usable_options(set, venue, asset);
            expiries_nearest(&quotes, set.as_of_ms, 30)
                .into_iter()
                .find_map(|expiry_ms| {
                    let chain: Vec<OptionQuote> = quotes
                        .iter()
                        .filter(|q| q.expiry_ms == expiry_ms)
                        .cloned()
                        .collect();
                    let math: Vec<lens_math::market::OptionQuote> = chain
                        .iter()
                        .map(lens_math::market::OptionQuote::from)
                        .collect();
                    let risk_reversal = rule.compute(&math, set.as_of_ms).ok()?;
                    let days = days_to_expiry(set.as_of_ms, expiry_ms).ok()?;
                    Some(Smile {
                        venue,
                        expiry_ms,
                        days,
                        risk_reversal,
                        quotes: chain,
                    })
                })
        })
}

/// The latest index price from the basis rows of any venue, else a ticker.
pub(super) fn index_price(set: &DataSet, asset: &Asset) -> Option<f64> {
    set.venues_with(asset, Item::Basis)
        .into_iter()
        .flat_map(|v| read::basis(set, v, asset, i64::MIN))
        .filter(|b| b.index_price.is_finite() && b.index_price > 0.0)
        .max_by_key(|b| b.time_ms)
        .map(|b| b.index_price)
        .or_else(|| {
            set.venues_with(asset, Item::Ticker)
                .into_iter()
                .filter_map(|v| read::ticker(set, v, asset)?.index_price)
                .find(|p| p.is_finite() && *p > 0.0)
        })
}

/// `+0.8`, `−1.3`.
pub fn signed_num(v: f64, decimals: usize) -> String {
    let text = num(v, decimals);
    if v > 0.0 && text.chars().any(|c| ('1'..='9').contains(&c)) {
        format!("+{text}")
    } else {
        text
    }
}

pub(super) use super::words::quadrant_name;

/// OI (coins, summed over venues) and price (mean close) 24 h apart, classified.
pub fn quadrant_between(
    set: &DataSet,
    venues: &[Venue],
    asset: &Asset,
    then_ms: i64,
    now_ms: i64,
) -> Option<(OiPriceQuadrant, f64, f64, Vec<Venue>)> {
    let (mut oi, mut price, mut used) = ([0.0; 2], [0.0; 2], Vec::new());
    for &v in venues {
        let (o, p) = (
            oi_coins(set, v, asset, i64::MIN),
            close_series(set, v, asset),
        );
        let read = |s: &TimeSeries, t| s.value_as_of(t);
        if let (Some(o0), Some(o1), Some(p0), Some(p1)) = (
            read(&o, then_ms),
            read(&o, now_ms),
            read(&p, then_ms),
            read(&p, now_ms),
        ) {
            oi = [oi[0] + o0, oi[1] + o1];
            price = [price[0] + p0, price[1] + p1];
            used.push(v);
        }
    }
    let q = QuadrantClassifier::default()
        .classify(oi[0], oi[1], price[0], price[1])
        .ok()?;
    Some((q, oi[1] / oi[0] - 1.0, price[1] / price[0] - 1.0, used))
}
