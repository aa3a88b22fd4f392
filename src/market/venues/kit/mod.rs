//! Pieces every venue adapter shares: time-window paging ([`paging`]), reading numbers, times and array cells and
//! checking them ([`values`]), candles ([`candle`]), order books ([`book`]), the funding-interval inference
//! ([`funding`]) and the words of an [`Unsupported`] answer. Venue knowledge stays in the venue modules.
//!
//! Where the two adapter families (Binance, Bybit, OKX and Hyperliquid, Deribit, dYdX) were written with different
//! rules — zero prices in candles and books, sorted or as-listed books — both rules are kept, under names that say
//! which is which, so that no venue's behaviour changed when the helpers were merged.

mod book;
mod candle;
mod funding;
mod paging;
mod values;

pub use book::{listed_book, sorted_book};
pub use candle::{candle, row_candles};
pub use funding::{funding_intervals, hours_between};
pub use paging::{checked_window, windows};
pub use values::{
    cell_num, cell_time, decode, non_negative, opt_time, positive, text, value_num, value_time,
    venue_error,
};

use super::{Period, Query, Unsupported};
use crate::market::model::{PriceKind, Venue};

pub use lens_math::series::{DAY_MS, HOUR_MS, MINUTE_MS};

/// What a query asks for, in words, for an [`Unsupported`] answer ("Hyperliquid has no public endpoint for
/// open-interest history").
pub fn unsupported(venue: Venue, query: &Query) -> Unsupported {
    let what = match query {
        Query::FundingHistory { .. } => "funding history",
        Query::FundingSettings { .. } => "funding settings",
        Query::Ticker { .. } => "a ticker",
        Query::OpenInterestHistory { .. } => "open-interest history",
        Query::LongShortRatio { .. } => "long/short ratios",
        Query::TakerVolume { .. } => "taker buy/sell volume",
        Query::Candles {
            price: PriceKind::Last,
            ..
        } => "candles",
        Query::Candles { .. } => "mark- or index-price candles",
        Query::Basis { .. } => "basis history",
        Query::OrderBook { .. } => "an order book",
        Query::OptionChain { .. } => "options",
        Query::RecentLiquidations { .. } => "recent liquidations",
    };
    Unsupported { venue, what }
}

/// The usual spelling of a candle interval, `1m` … `1h`, `4h`, `1d` (Binance klines, Hyperliquid candles).
pub fn short_interval(period: Period) -> &'static str {
    match period {
        Period::M1 => "1m",
        Period::M5 => "5m",
        Period::M15 => "15m",
        Period::M30 => "30m",
        Period::H1 => "1h",
        Period::H4 => "4h",
        Period::D1 => "1d",
    }
}

#[cfg(test)]
pub mod testkit;
#[cfg(test)]
mod tests;
