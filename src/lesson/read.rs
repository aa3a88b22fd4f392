//! Reading the data set for an example: which venue and asset, the rows of one kind inside the window, and
//! the caption that says where they came from. Missing data is an [`Unavailable`] with the venues that have
//! it, never a panic and never a silent zero.

use lens_math::TimeSeries;

use super::Unavailable;
use super::controls::Controls;
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{
    Asset, BasisPoint, Candle, FundingRate, Liquidation, LongShortRatio, OpenInterest, OptionQuote,
    OrderBookSnapshot, Point, PriceKind, Quote, RatioKind, TakerVolume, Ticker, Venue,
};
use crate::market::venues::Payload;

pub use lens_math::series::{DAY_MS, HOUR_MS};

/// Without a usable order book, a venue's visible bids within 1 % are taken as this share of its open interest's
/// notional (Binance BTC in January 2025: about $170 M against $12 bn).
pub const FALLBACK_DEPTH_SHARE: f64 = 0.015;

/// The leverage mix an estimated liquidation map assumes when no venue publishes one: most open interest at
/// moderate leverage, a tail at 100× (leverages and their weights), with one maintenance margin rate. The live
/// example of term 2, the dashboard's hot zones and the chart gallery all draw with it.
pub const ASSUMED_LEVERAGES: [f64; 5] = [5.0, 10.0, 25.0, 50.0, 100.0];
pub const ASSUMED_WEIGHTS: [f64; 5] = [0.3, 0.3, 0.2, 0.15, 0.05];
pub const ASSUMED_MMR: f64 = 0.005;

/// [`ASSUMED_LEVERAGES`] with [`ASSUMED_WEIGHTS`] at maintenance rate `mmr`.
pub fn assumed_leverage_grid(
    mmr: f64,
) -> lens_math::Result<lens_math::liquidation_map::LeverageGrid> {
    lens_math::liquidation_map::LeverageGrid::new(&ASSUMED_LEVERAGES, &ASSUMED_WEIGHTS, mmr)
}

/// Words for an item in messages ("funding", "open interest").
pub fn item_name(item: Item) -> &'static str {
    match item {
        Item::Funding => "funding",
        Item::FundingSettings => "funding settings",
        Item::Ticker => "ticker",
        Item::OpenInterest => "open interest",
        Item::Ratio {
            kind: RatioKind::GlobalAccounts,
        } => "long/short account ratios",
        Item::Ratio {
            kind: RatioKind::TopAccounts,
        } => "top-trader account ratios",
        Item::Ratio {
            kind: RatioKind::TopPositions,
        } => "top-trader position ratios",
        Item::Taker => "taker volume",
        Item::Candles { .. } => "price candles",
        Item::SpotCandles => "spot candles",
        Item::Basis => "basis",
        Item::Book => "order book",
        Item::Options => "options",
        Item::Liquidations => "liquidations",
        Item::Quotes => "best quotes",
    }
}

/// The asset chosen, if the data set has it.
pub fn asset(set: &DataSet, controls: &Controls) -> Result<Asset, Unavailable> {
    let asset = controls.asset();
    let assets = set.assets();
    if assets.contains(&asset) {
        Ok(asset)
    } else {
        let names: Vec<&str> = assets.iter().map(Asset::as_str).collect();
        Err(Unavailable::new(if names.is_empty() {
            "No data is loaded yet.".to_string()
        } else {
            format!(
                "{asset} is not in the data in view; it has {}.",
                names.join(", ")
            )
        }))
    }
}

/// The venue to read `item` from: the one chosen if it has the data, else the first that has it. A chosen
/// venue without the data is refused with the venues that have it, so the page can offer them.
pub fn venue(
    set: &DataSet,
    controls: &Controls,
    asset: &Asset,
    item: Item,
) -> Result<Venue, Unavailable> {
    let have = set.venues_with(asset, item);
    match controls.venue() {
        Some(v) if have.contains(&v) => Ok(v),
        Some(v) => Err(Unavailable {
            message: if have.is_empty() {
                format!(
                    "{} has no {} for {asset}, and no other venue in view has it either.",
                    v.display_name(),
                    item_name(item)
                )
            } else {
                format!(
                    "{} has no {} for {asset} in the data in view. Venues that have it: {}.",
                    v.display_name(),
                    item_name(item),
                    names(&have)
                )
            },
            alternatives: have,
        }),
        None => have.first().copied().ok_or_else(|| {
            Unavailable::new(format!(
                "No venue in view has {} for {asset}.",
                item_name(item)
            ))
        }),
    }
}

/// "Binance, Bybit and Hyperliquid".
pub fn names(venues: &[Venue]) -> String {
    let names: Vec<&str> = venues.iter().map(|v| v.display_name()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The start of the look-back window: `days` before the data set's time.
pub fn window_start(set: &DataSet, controls: &Controls) -> i64 {
    set.as_of_ms
        .saturating_sub(controls.days().saturating_mul(DAY_MS))
}

/// "Funding per 8 h · Binance · simulated sample, 2025-01-31".
pub fn caption(set: &DataSet, venues: &[Venue], what: &str) -> String {
    let venues = if venues.is_empty() {
        String::new()
    } else {
        format!(" · {}", names(venues))
    };
    format!(
        "{what}{venues} · source: {}, {}",
        set.origin.label(),
        crate::base::calendar::date_label(set.as_of_ms)
    )
}

/// Rows at or after `from_ms`.
fn since<T: Clone>(rows: &[T], from_ms: i64, time: impl Fn(&T) -> i64) -> Vec<T> {
    rows.iter()
        .filter(|r| time(r) >= from_ms)
        .cloned()
        .collect()
}

/// Last-price candles from `from_ms`.
pub fn candles(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> Vec<Candle> {
    match set.get(
        venue,
        asset,
        Item::Candles {
            price: PriceKind::Last,
        },
    ) {
        Some(Payload::Candles(c)) => since(c, from_ms, |c| c.open_time_ms),
        _ => Vec::new(),
    }
}

/// Spot candles from `from_ms` (for OI ÷ spot volume).
pub fn spot_candles(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> Vec<Candle> {
    match set.get(venue, asset, Item::SpotCandles) {
        Some(Payload::Candles(c)) => since(c, from_ms, |c| c.open_time_ms),
        _ => Vec::new(),
    }
}

pub fn funding(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> Vec<FundingRate> {
    match set.get(venue, asset, Item::Funding) {
        Some(Payload::Funding(rows)) => since(rows, from_ms, |r| r.time_ms),
        _ => Vec::new(),
    }
}

/// Funding re-expressed per 8 h, each print with its own interval; unusable prints dropped.
pub fn funding_per_8h(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> TimeSeries {
    TimeSeries::from_points_lossy(funding(set, venue, asset, from_ms).iter().filter_map(|r| {
        lens_math::funding::FundingRate::new(r.rate, r.interval_hours)
            .ok()
            .map(|f| (r.time_ms, f.per_8h()))
    }))
}

pub fn open_interest(
    set: &DataSet,
    venue: Venue,
    asset: &Asset,
    from_ms: i64,
) -> Vec<OpenInterest> {
    match set.get(venue, asset, Item::OpenInterest) {
        Some(Payload::OpenInterest(rows)) => since(rows, from_ms, |r| r.time_ms),
        _ => Vec::new(),
    }
}

pub fn ratios(
    set: &DataSet,
    venue: Venue,
    asset: &Asset,
    kind: RatioKind,
    from_ms: i64,
) -> Vec<LongShortRatio> {
    match set.get(venue, asset, Item::Ratio { kind }) {
        Some(Payload::Ratios(rows)) => since(rows, from_ms, |r| r.time_ms),
        _ => Vec::new(),
    }
}

pub fn taker(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> Vec<TakerVolume> {
    match set.get(venue, asset, Item::Taker) {
        Some(Payload::Taker(rows)) => since(rows, from_ms, |r| r.time_ms),
        _ => Vec::new(),
    }
}

pub fn basis(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> Vec<BasisPoint> {
    match set.get(venue, asset, Item::Basis) {
        Some(Payload::Basis(rows)) => since(rows, from_ms, |r| r.time_ms),
        _ => Vec::new(),
    }
}

pub fn liquidations(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> Vec<Liquidation> {
    match set.get(venue, asset, Item::Liquidations) {
        Some(Payload::Liquidations(rows)) => since(rows, from_ms, |r| r.time_ms),
        _ => Vec::new(),
    }
}

pub fn quotes(set: &DataSet, venue: Venue, asset: &Asset) -> Vec<Quote> {
    match set.get(venue, asset, Item::Quotes) {
        Some(Payload::Quotes(rows)) => rows.clone(),
        _ => Vec::new(),
    }
}

pub fn book(set: &DataSet, venue: Venue, asset: &Asset) -> Option<OrderBookSnapshot> {
    match set.get(venue, asset, Item::Book) {
        Some(Payload::Book(b)) => Some(b.clone()),
        _ => None,
    }
}

pub fn options(set: &DataSet, venue: Venue, asset: &Asset) -> Vec<OptionQuote> {
    match set.get(venue, asset, Item::Options) {
        Some(Payload::Options(rows)) => rows.clone(),
        _ => Vec::new(),
    }
}

pub fn ticker(set: &DataSet, venue: Venue, asset: &Asset) -> Option<Ticker> {
    match set.get(venue, asset, Item::Ticker) {
        Some(Payload::Ticker(t)) => Some(*t),
        _ => None,
    }
}

/// Market capitalisation in USD from `from_ms`.
pub fn market_cap(set: &DataSet, asset: &Asset, from_ms: i64) -> Vec<Point> {
    set.facts(asset)
        .map(|f| since(&f.market_cap_usd, from_ms, |p| p.time_ms))
        .unwrap_or_default()
}

/// The last usable price: the latest close that is a positive number (a trailing bar a venue left empty is
/// skipped), or an [`Unavailable`] saying there is none.
pub fn last_price(set: &DataSet, venue: Venue, asset: &Asset) -> Result<f64, Unavailable> {
    candles(set, venue, asset, i64::MIN)
        .iter()
        .rev()
        .map(|c| c.close)
        .find(|p| p.is_finite() && *p > 0.0)
        .ok_or_else(|| {
            Unavailable::new(format!(
                "{} has no usable price for {asset} in the data in view.",
                venue.display_name()
            ))
        })
}

/// Hourly closes as (times at the bar's end, closes).
pub fn closes(candles: &[Candle]) -> (Vec<i64>, Vec<f64>) {
    candles
        .iter()
        .map(|c| (c.open_time_ms + HOUR_MS, c.close))
        .unzip()
}

/// Hourly closes stamped at each bar's end, as a series; unusable prices dropped.
pub fn close_series(set: &DataSet, venue: Venue, asset: &Asset) -> TimeSeries {
    TimeSeries::from_points_lossy(
        candles(set, venue, asset, i64::MIN)
            .iter()
            .filter(|c| c.close.is_finite() && c.close > 0.0)
            .map(|c| (c.open_time_ms + HOUR_MS, c.close)),
    )
}

/// Open interest in dollars from `from_ms`: the venue's own dollar figure where it reports one, else coins times
/// the last close at that time. Readings that are neither become NaN gaps rather than zeros.
pub fn oi_usd(set: &DataSet, venue: Venue, asset: &Asset, from_ms: i64) -> TimeSeries {
    let closes = close_series(set, venue, asset);
    TimeSeries::from_points_lossy(open_interest(set, venue, asset, from_ms).iter().map(|r| {
        let usd = r
            .usd
            .filter(|u| u.is_finite() && *u >= 0.0)
            .or_else(|| closes.value_as_of(r.time_ms).map(|p| p * r.base))
            .filter(|u| u.is_finite() && *u >= 0.0);
        (r.time_ms, usd.unwrap_or(f64::NAN))
    }))
}

/// Share of `values` at or below `x` (0–1); NaN for no finite values.
pub fn percentile_rank(values: &[f64], x: f64) -> f64 {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() || !x.is_finite() {
        return f64::NAN;
    }
    finite.iter().filter(|v| **v <= x).count() as f64 / finite.len() as f64
}

/// "2025-01-31 14:00" (the calendar's [`minute_label`], named for the readers).
pub use crate::base::calendar::minute_label as short_time;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::controls::{ASSET, ControlSpec, VENUE};
    use crate::market::sample::sample_dataset;

    const SPECS: &[ControlSpec] = &[VENUE, ASSET];

    fn controls(venue: &str, asset: &str) -> Controls {
        Controls::from_lookup(SPECS, |k| match k {
            "venue" if !venue.is_empty() => Some(venue.to_string()),
            "asset" if !asset.is_empty() => Some(asset.to_string()),
            _ => None,
        })
        .0
    }

    #[test]
    fn a_venue_without_the_data_is_refused_with_the_venues_that_have_it() {
        let set = sample_dataset();
        let c = controls("deribit", "");
        let err = venue(&set, &c, &Asset::btc(), Item::Funding).unwrap_err();
        assert!(
            err.message.contains("Deribit has no funding"),
            "{}",
            err.message
        );
        assert_eq!(
            err.alternatives,
            vec![Venue::Binance, Venue::Bybit, Venue::Hyperliquid]
        );
        assert_eq!(
            venue(&set, &controls("", ""), &Asset::btc(), Item::Options),
            Ok(Venue::Deribit)
        );
    }

    #[test]
    fn an_asset_outside_the_data_is_refused() {
        let set = sample_dataset();
        assert!(asset(&set, &controls("", "doge")).is_err());
        assert_eq!(
            asset(&set, &controls("", "eth")).map(|a| a.to_string()),
            Ok("ETH".into())
        );
    }

    #[test]
    fn percentile_rank_counts_values_at_or_below() {
        assert_eq!(percentile_rank(&[1.0, 2.0, 3.0, 4.0], 3.0), 0.75);
        assert!(percentile_rank(&[], 1.0).is_nan());
        assert!(percentile_rank(&[f64::NAN], 1.0).is_nan());
        assert_eq!(
            names(&[Venue::Binance, Venue::Bybit, Venue::Okx]),
            "Binance, Bybit and OKX"
        );
    }
}
