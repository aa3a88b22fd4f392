//! What the simulator returns: plain data in the crate's market and series types, the same shapes the venue
//! parsers produce, so every indicator runs on the sample exactly as on live data.
//!
//! Time stamps: bars (perp and spot) carry their open time; hourly snapshot series (index, mark, open interest,
//! ratios, market cap) are stamped at the instant they describe, the end of each hour (= the next bar's open),
//! as open-interest history endpoints stamp them; funding is stamped at its payment time. Use
//! [`SimulatedVenue::closes`] for bar closes on the snapshot clock.

use super::config::SimConfig;
use crate::error::Result;
use crate::market::{Bar, BestQuote, Liquidation, OptionKind, OptionQuote, OrderBook, Side};
use crate::series::{HOUR_MS, TimeSeries};

/// A simulated month (or whatever the config asks for) of several assets on several venues.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedMarket {
    /// The config that produced it; simulating it again gives the same bytes.
    pub config: SimConfig,
    pub assets: Vec<SimulatedAsset>,
}

/// One underlying: its index, spot market, perps and options.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedAsset {
    pub symbol: String,
    /// Index (spot composite) at each hour end.
    pub index: TimeSeries,
    /// Index × circulating supply at each hour end.
    pub market_cap_usd: TimeSeries,
    /// Hourly spot klines of the index market, with spot volume and taker buy volume in base units.
    pub spot_bars: Vec<Bar>,
    pub venues: Vec<SimulatedVenue>,
    /// Options at the last hour: calls and puts over several expiries and strikes, marks from Black-76 on the
    /// forward with zero rate (`underlying_price` is the forward).
    pub option_chain: Vec<OptionQuote>,
}

/// One perpetual on one venue.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedVenue {
    pub venue: String,
    pub funding_interval_hours: u32,
    /// Hourly perp OHLCV with taker buy volume (base units).
    pub bars: Vec<Bar>,
    /// Mark price at each hour end.
    pub mark: TimeSeries,
    /// Funding rate per the venue's own interval, at each payment time (positive: longs pay).
    pub funding: TimeSeries,
    /// Open interest, one side, in base units and in USD at the mark, at each hour end.
    pub open_interest_base: TimeSeries,
    pub open_interest_usd: TimeSeries,
    /// Accounts long ÷ accounts short.
    pub long_short_account_ratio: TimeSeries,
    /// Long size ÷ short size of the top 20 % of accounts by margin balance.
    pub top_trader_position_ratio: TimeSeries,
    pub liquidations: Vec<Liquidation>,
    /// Level-1 snapshots once a minute over the last 24 hours (stamped at the minute's start).
    pub quotes: Vec<BestQuote>,
    /// Depth snapshot at the end, 50 levels per side.
    pub order_book: OrderBook,
}

impl SimulatedMarket {
    /// The asset with this symbol, if simulated (see the module example).
    pub fn asset(&self, symbol: &str) -> Option<&SimulatedAsset> {
        self.assets.iter().find(|a| a.symbol == symbol)
    }

    /// A 64-bit fingerprint of every number, timestamp and name in the output, in output order. Equal markets
    /// have equal checksums; a one-bit change anywhere changes it (with overwhelming probability).
    ///
    /// # Formula
    /// FNV-1a 64 over the little-endian bytes of each `f64`'s IEEE-754 bits and each `i64`:
    /// `h ← (h ⊕ byte) × 0x100000001b3`, starting from `0xcbf29ce484222325` (Fowler, Noll & Vo). Not
    /// cryptographic: it detects changes, it does not authenticate.
    ///
    /// ```
    /// use lens_math::sim::{simulate, SimConfig};
    /// let config = SimConfig { hours: 24, ..SimConfig::default() };
    /// assert_eq!(simulate(&config)?.checksum(), simulate(&config)?.checksum());
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn checksum(&self) -> u64 {
        let mut hash = Fnv1a::default();
        for asset in &self.assets {
            hash.text(&asset.symbol);
            hash.series(&asset.index);
            hash.series(&asset.market_cap_usd);
            asset.spot_bars.iter().for_each(|bar| hash.bar(bar));
            for quote in &asset.option_chain {
                hash.number(if quote.kind == OptionKind::Call {
                    1.0
                } else {
                    2.0
                });
                hash.time(quote.expiry_ms);
                hash.numbers(&[
                    quote.strike,
                    quote.mark_price,
                    quote.mark_iv,
                    quote.underlying_price,
                ]);
            }
            for venue in &asset.venues {
                hash.text(&venue.venue);
                hash.time(i64::from(venue.funding_interval_hours));
                venue.bars.iter().for_each(|bar| hash.bar(bar));
                for series in [
                    &venue.mark,
                    &venue.funding,
                    &venue.open_interest_base,
                    &venue.open_interest_usd,
                    &venue.long_short_account_ratio,
                    &venue.top_trader_position_ratio,
                ] {
                    hash.series(series);
                }
                for liquidation in &venue.liquidations {
                    hash.time(liquidation.time_ms);
                    hash.number(liquidation.side.sign());
                    hash.number(liquidation.price);
                    hash.number(liquidation.quantity);
                }
                for quote in &venue.quotes {
                    hash.time(quote.time_ms);
                    hash.numbers(&[
                        quote.bid_price,
                        quote.bid_size,
                        quote.ask_price,
                        quote.ask_size,
                    ]);
                }
                hash.time(venue.order_book.time_ms);
                for level in venue.order_book.bids.iter().chain(&venue.order_book.asks) {
                    hash.number(level.price);
                    hash.number(level.size);
                }
            }
        }
        hash.finish()
    }
}

impl SimulatedAsset {
    /// The venue with this name, if simulated (see the module example).
    pub fn venue(&self, name: &str) -> Option<&SimulatedVenue> {
        self.venues.iter().find(|v| v.venue == name)
    }
}

impl SimulatedVenue {
    /// Bar closes stamped at each bar's end, on the same clock as the snapshot series (so they align with open
    /// interest, mark and index point by point).
    ///
    /// # Errors
    /// [`crate::MathError`] only if the bars were edited into an invalid order or hold non-finite closes.
    ///
    /// ```
    /// use lens_math::sim::{simulate, SimConfig};
    /// let market = simulate(&SimConfig { hours: 24, ..SimConfig::default() })?;
    /// let venue = &market.assets[0].venues[0];
    /// assert_eq!(venue.closes()?.times_ms(), venue.open_interest_base.times_ms());
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn closes(&self) -> Result<TimeSeries> {
        TimeSeries::new(
            self.bars
                .iter()
                .map(|b| b.open_time_ms.saturating_add(HOUR_MS))
                .collect(),
            self.bars.iter().map(|b| b.close).collect(),
        )
    }

    /// Liquidated quantity (base units) of positions on one side.
    ///
    /// ```
    /// use lens_math::market::Side;
    /// use lens_math::sim::{simulate, SimConfig};
    /// let market = simulate(&SimConfig { hours: 24, ..SimConfig::default() })?;
    /// let venue = &market.assets[0].venues[0];
    /// let total: f64 = venue.liquidations.iter().map(|l| l.quantity).sum();
    /// let by_side = venue.liquidated_base(Side::Long) + venue.liquidated_base(Side::Short);
    /// assert!((total - by_side).abs() <= 1e-9 * total.max(1.0));
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn liquidated_base(&self, side: Side) -> f64 {
        self.liquidations
            .iter()
            .filter(|l| l.side == side)
            .map(|l| l.quantity)
            .sum()
    }
}

/// FNV-1a, 64-bit (Fowler, Noll, Vo): a tiny, well-known, dependency-free fingerprint; not cryptographic.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn number(&mut self, value: f64) {
        self.bytes(&value.to_bits().to_le_bytes());
    }

    fn numbers(&mut self, values: &[f64]) {
        values.iter().for_each(|v| self.number(*v));
    }

    fn time(&mut self, value: i64) {
        self.bytes(&value.to_le_bytes());
    }

    fn text(&mut self, value: &str) {
        self.time(value.len() as i64);
        self.bytes(value.as_bytes());
    }

    fn series(&mut self, series: &TimeSeries) {
        self.time(series.len() as i64);
        for (time, value) in series.iter() {
            self.time(time);
            self.number(value);
        }
    }

    fn bar(&mut self, bar: &Bar) {
        self.time(bar.open_time_ms);
        self.numbers(&[
            bar.open,
            bar.high,
            bar.low,
            bar.close,
            bar.volume,
            bar.taker_buy_volume,
        ]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published FNV-1a 64 test vectors (Fowler/Noll/Vo reference test suite): "" and "a".
    #[test]
    fn fnv1a_matches_reference_vectors() {
        assert_eq!(Fnv1a::default().finish(), 0xcbf2_9ce4_8422_2325);
        let mut hash = Fnv1a::default();
        hash.bytes(b"a");
        assert_eq!(hash.finish(), 0xaf63_dc4c_8601_ec8c);
    }
}
