//! The embedded default: the seeded simulated market of `lens_math::sim`, converted to a [`DataSet`] with the
//! same shapes the venue adapters produce, so every page runs on it exactly as on live data.
//!
//! The simulator names its venues after real ones (their funding clocks and caps); the data is simulated and
//! is labelled "simulated sample" wherever it is shown. Venue-less parts are filed where a live page would look
//! for them: spot candles under Binance (its spot market is the usual reference), the option chain under
//! Deribit (the options venue).

use lens_math::market::{Bar, Side};
use lens_math::series::{HOUR_MS, TimeSeries};
use lens_math::sim::{SimConfig, SimulatedAsset, SimulatedMarket, SimulatedVenue, simulate};

use super::dataset::{AssetFacts, DataSet, Item, Origin};
use super::model::{
    Asset, BasisPoint, Candle, FundingRate, FundingSettings, Level, Liquidation, LongShortRatio,
    OpenInterest, OptionKind, OptionQuote, OrderBookSnapshot, Point, PositionSide, PriceKind,
    Quote, RatioKind, TakerVolume, Ticker, Venue,
};
use super::venues::Payload;

/// The month the sample's sizes are calibrated to (the simulator's `CALIBRATION.md`), said wherever the sample
/// shows a size.
pub const CALIBRATED_MONTH: &str = "January 2025";
/// The page the build writes from that table: every target with its range and its published source.
pub const CALIBRATION_PAGE: &str = "sample-calibration.html";

/// The embedded sample. Simulating takes a few milliseconds; if the model ever refused its own default config
/// the app would still start, on an empty data set (and a test keeps that from happening).
pub fn sample_dataset() -> DataSet {
    let config = SimConfig::default();
    match simulate(&config) {
        Ok(market) => from_simulation(&market),
        Err(_) => DataSet::empty(Origin::Sample { seed: config.seed }, config.start_ms),
    }
}

/// Converts a simulated market into a data set.
pub fn from_simulation(market: &SimulatedMarket) -> DataSet {
    let config = &market.config;
    let end_ms = config.start_ms + i64::from(config.hours) * HOUR_MS;
    let mut set = DataSet::empty(Origin::Sample { seed: config.seed }, end_ms);
    for sim_asset in &market.assets {
        let Some(asset) = Asset::new(&sim_asset.symbol) else {
            continue;
        };
        add_asset(&mut set, &asset, sim_asset, end_ms);
        for sim_venue in &sim_asset.venues {
            let Some(venue) = Venue::from_id(&sim_venue.venue) else {
                continue;
            };
            let cap = config
                .venues
                .iter()
                .find(|v| v.name == sim_venue.venue)
                .map(|v| v.funding_cap_per_8h);
            add_venue(&mut set, venue, &asset, sim_asset, sim_venue, cap, end_ms);
        }
    }
    set
}

fn points(series: &TimeSeries) -> Vec<Point> {
    series
        .iter()
        .map(|(time_ms, value)| Point { time_ms, value })
        .collect()
}

fn candle(bar: &Bar) -> Candle {
    Candle {
        open_time_ms: bar.open_time_ms,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume_base: bar.volume,
        taker_buy_base: Some(bar.taker_buy_volume),
    }
}

fn add_asset(set: &mut DataSet, asset: &Asset, sim: &SimulatedAsset, end_ms: i64) {
    set.assets.push(AssetFacts {
        asset: asset.clone(),
        market_cap_usd: points(&sim.market_cap_usd),
    });
    set.insert(
        Venue::Binance,
        asset.clone(),
        Item::SpotCandles,
        Payload::Candles(sim.spot_bars.iter().map(candle).collect()),
    );
    let options = sim
        .option_chain
        .iter()
        .map(|q| {
            let kind = match q.kind {
                lens_math::market::OptionKind::Call => OptionKind::Call,
                lens_math::market::OptionKind::Put => OptionKind::Put,
            };
            OptionQuote {
                instrument: option_name(asset, q.expiry_ms, q.strike, kind),
                kind,
                strike: q.strike,
                expiry_ms: q.expiry_ms,
                mark_price_usd: q.mark_price,
                mark_iv: q.mark_iv,
                underlying_price: q.underlying_price,
                delta: None,
                open_interest_base: None,
            }
        })
        .collect();
    set.insert(
        Venue::Deribit,
        asset.clone(),
        Item::Options,
        Payload::Options(options),
    );
    let _ = end_ms;
}

/// Deribit-style instrument name, e.g. `BTC-31JAN25-90000-C`.
fn option_name(asset: &Asset, expiry_ms: i64, strike: f64, kind: OptionKind) -> String {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let (year, month, day) =
        crate::base::calendar::civil_from_days(expiry_ms.div_euclid(86_400_000));
    let month_name = MONTHS
        .get(usize::try_from(month - 1).unwrap_or(0))
        .copied()
        .unwrap_or("JAN");
    let letter = if kind == OptionKind::Call { 'C' } else { 'P' };
    format!(
        "{asset}-{day}{month_name}{:02}-{strike:.0}-{letter}",
        year.rem_euclid(100)
    )
}

fn add_venue(
    set: &mut DataSet,
    venue: Venue,
    asset: &Asset,
    sim_asset: &SimulatedAsset,
    sim: &SimulatedVenue,
    cap_per_8h: Option<f64>,
    end_ms: i64,
) {
    let interval_hours = f64::from(sim.funding_interval_hours);
    let funding: Vec<FundingRate> = sim
        .funding
        .iter()
        .map(|(time_ms, rate)| FundingRate {
            time_ms,
            rate,
            interval_hours,
            mark_price: sim.mark.value_as_of(time_ms),
        })
        .collect();
    let cap = cap_per_8h.map(|c| c * interval_hours / 8.0);
    let last_bar = sim.bars.last();
    let interval_ms = i64::from(sim.funding_interval_hours.max(1)) * HOUR_MS;
    let ticker = Ticker {
        time_ms: end_ms,
        mark_price: sim.mark.last().map(|(_, v)| v),
        index_price: sim_asset.index.last().map(|(_, v)| v),
        last_price: last_bar.map(|b| b.close),
        funding_rate: funding.last().map(|f| f.rate),
        funding_interval_hours: Some(interval_hours),
        next_funding_time_ms: Some((end_ms.div_euclid(interval_ms) + 1) * interval_ms),
        open_interest_base: sim.open_interest_base.last().map(|(_, v)| v),
        volume_24h_base: Some(sim.bars.iter().rev().take(24).map(|b| b.volume).sum()),
    };
    let open_interest = sim
        .open_interest_base
        .iter()
        .map(|(time_ms, base)| OpenInterest {
            time_ms,
            base,
            usd: sim.open_interest_usd.value_as_of(time_ms),
        })
        .collect();
    let ratios = |series: &TimeSeries| -> Vec<LongShortRatio> {
        series
            .iter()
            .map(|(time_ms, ratio)| LongShortRatio { time_ms, ratio })
            .collect()
    };
    let taker = sim
        .bars
        .iter()
        .map(|b| TakerVolume {
            time_ms: b.open_time_ms,
            buy_base: b.taker_buy_volume,
            sell_base: b.taker_sell_volume(),
        })
        .collect();
    // Basis at each bar close: the perp's last traded price against the index at that instant.
    let basis = sim
        .bars
        .iter()
        .filter_map(|b| {
            let close_ms = b.open_time_ms + HOUR_MS;
            let index_price = sim_asset.index.value_as_of(close_ms)?;
            Some(BasisPoint {
                time_ms: close_ms,
                futures_price: b.close,
                index_price,
            })
        })
        .collect();
    let level = |l: &lens_math::market::BookLevel| Level {
        price: l.price,
        size: l.size,
    };
    let book = OrderBookSnapshot {
        time_ms: sim.order_book.time_ms,
        bids: sim.order_book.bids.iter().map(level).collect(),
        asks: sim.order_book.asks.iter().map(level).collect(),
    };
    let quotes = sim
        .quotes
        .iter()
        .map(|q| Quote {
            time_ms: q.time_ms,
            bid_price: q.bid_price,
            bid_size: q.bid_size,
            ask_price: q.ask_price,
            ask_size: q.ask_size,
        })
        .collect();
    let liquidations = sim
        .liquidations
        .iter()
        .map(|l| Liquidation {
            time_ms: l.time_ms,
            side: if l.side == Side::Long {
                PositionSide::Long
            } else {
                PositionSide::Short
            },
            price: l.price,
            quantity_base: l.quantity,
        })
        .collect();

    let a = || asset.clone();
    set.insert(venue, a(), Item::Funding, Payload::Funding(funding));
    set.insert(
        venue,
        a(),
        Item::FundingSettings,
        Payload::FundingSettings(FundingSettings {
            interval_hours,
            cap,
            floor: cap.map(|c| -c),
        }),
    );
    set.insert(venue, a(), Item::Ticker, Payload::Ticker(ticker));
    set.insert(
        venue,
        a(),
        Item::OpenInterest,
        Payload::OpenInterest(open_interest),
    );
    set.insert(
        venue,
        a(),
        Item::Ratio {
            kind: RatioKind::GlobalAccounts,
        },
        Payload::Ratios(ratios(&sim.long_short_account_ratio)),
    );
    set.insert(
        venue,
        a(),
        Item::Ratio {
            kind: RatioKind::TopPositions,
        },
        Payload::Ratios(ratios(&sim.top_trader_position_ratio)),
    );
    set.insert(venue, a(), Item::Taker, Payload::Taker(taker));
    set.insert(
        venue,
        a(),
        Item::Candles {
            price: PriceKind::Last,
        },
        Payload::Candles(sim.bars.iter().map(candle).collect()),
    );
    set.insert(venue, a(), Item::Basis, Payload::Basis(basis));
    set.insert(venue, a(), Item::Book, Payload::Book(book));
    set.insert(venue, a(), Item::Quotes, Payload::Quotes(quotes));
    set.insert(
        venue,
        a(),
        Item::Liquidations,
        Payload::Liquidations(liquidations),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_has_every_item_for_btc_and_eth_on_three_venues() {
        let set = sample_dataset();
        assert_eq!(
            set.origin,
            Origin::Sample {
                seed: SimConfig::default().seed
            }
        );
        let btc = Asset::btc();
        let eth = Asset::new("ETH").unwrap();
        for asset in [&btc, &eth] {
            let venues = set.venues_with(asset, Item::Funding);
            assert!(venues.len() >= 3, "{asset}: {venues:?}");
            for venue in venues {
                for item in [
                    Item::Funding,
                    Item::FundingSettings,
                    Item::Ticker,
                    Item::OpenInterest,
                    Item::Ratio {
                        kind: RatioKind::GlobalAccounts,
                    },
                    Item::Taker,
                    Item::Candles {
                        price: PriceKind::Last,
                    },
                    Item::Basis,
                    Item::Book,
                    Item::Quotes,
                    Item::Liquidations,
                ] {
                    assert!(
                        set.get(venue, asset, item).is_some(),
                        "{venue:?} {asset} {item:?}"
                    );
                }
            }
            assert!(
                matches!(set.get(Venue::Deribit, asset, Item::Options), Some(Payload::Options(o)) if !o.is_empty())
            );
            assert!(
                set.facts(asset)
                    .is_some_and(|f| f.market_cap_usd.len() >= 700)
            );
        }
    }

    #[test]
    fn sample_rows_follow_the_model_conventions() {
        let set = sample_dataset();
        for entry in &set.entries {
            let times: Vec<i64> = match &entry.payload {
                Payload::Funding(r) => r.iter().map(|x| x.time_ms).collect(),
                Payload::OpenInterest(r) => r.iter().map(|x| x.time_ms).collect(),
                Payload::Ratios(r) => r.iter().map(|x| x.time_ms).collect(),
                Payload::Candles(r) => r.iter().map(|x| x.open_time_ms).collect(),
                _ => continue,
            };
            assert!(
                times.windows(2).all(|w| w[1] > w[0]),
                "{:?} {:?} not oldest first",
                entry.venue,
                entry.item
            );
        }
    }

    #[test]
    fn sample_is_the_same_every_time() {
        let a = serde_json::to_string(&sample_dataset()).unwrap();
        let b = serde_json::to_string(&sample_dataset()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn option_names_follow_deribit() {
        // 2025-01-31T08:00:00Z = 1738310400000 ms (checked with Python's datetime).
        let name = option_name(&Asset::btc(), 1_738_310_400_000, 90_000.0, OptionKind::Call);
        assert_eq!(name, "BTC-31JAN25-90000-C");
    }
}
