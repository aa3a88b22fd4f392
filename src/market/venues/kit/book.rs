//! Order books. The two adapter families build them differently, and each keeps its way:
//! - [`sorted_book`] (Binance, Bybit, OKX): `[price, size, …]` rows, every row checked (prices positive), sorted best
//!   first, then cut to the depth (at least one level);
//! - [`listed_book`] (Hyperliquid, Deribit, dYdX): `(price, size)` pairs taken in the order the venue lists them
//!   (best first), cut to the depth (0 keeps none), and the levels kept checked (prices zero or more).

use serde_json::Value;

use super::{cell_num, non_negative, positive};
use crate::market::model::{Level, OrderBookSnapshot, Venue};
use crate::market::parse::ParseError;

/// An order book from `[price, size, …]` rows: checked, sizes multiplied by `size_factor` (contracts → base),
/// bids sorted best (highest) first, asks best (lowest) first, each side cut to `depth` levels.
pub fn sorted_book(
    venue: Venue,
    time_ms: i64,
    bids: &[Vec<Value>],
    asks: &[Vec<Value>],
    size_factor: f64,
    depth: u32,
) -> Result<OrderBookSnapshot, ParseError> {
    let side = |rows: &[Vec<Value>], what: &str| -> Result<Vec<Level>, ParseError> {
        rows.iter()
            .map(|row| {
                let price = positive(venue, what, cell_num(venue, row, 0, what)?)?;
                let size = cell_num(venue, row, 1, what)? * size_factor;
                let size = non_negative(venue, what, size)?;
                Ok(Level { price, size })
            })
            .collect()
    };
    let keep = depth.max(1) as usize;
    let mut bids = side(bids, "bid")?;
    lens_math::sort::sort_by(&mut bids, |a, b| b.price.total_cmp(&a.price));
    bids.truncate(keep);
    let mut asks = side(asks, "ask")?;
    lens_math::sort::sort_by(&mut asks, |a, b| a.price.total_cmp(&b.price));
    asks.truncate(keep);
    Ok(OrderBookSnapshot {
        time_ms,
        bids,
        asks,
    })
}

/// An order book from `(price, size)` pairs as the venue lists them (best first), each side cut to `depth` levels
/// and the levels kept checked. Bids are read and checked before asks.
pub fn listed_book(
    venue: Venue,
    time_ms: i64,
    bids: impl IntoIterator<Item = (f64, f64)>,
    asks: impl IntoIterator<Item = (f64, f64)>,
    depth: u32,
) -> Result<OrderBookSnapshot, ParseError> {
    Ok(OrderBookSnapshot {
        time_ms,
        bids: listed_side(venue, bids, depth)?,
        asks: listed_side(venue, asks, depth)?,
    })
}

fn listed_side(
    venue: Venue,
    levels: impl IntoIterator<Item = (f64, f64)>,
    depth: u32,
) -> Result<Vec<Level>, ParseError> {
    levels
        .into_iter()
        .take(usize::try_from(depth).unwrap_or(usize::MAX))
        .map(|(price, size)| {
            Ok(Level {
                price: non_negative(venue, "a book price", price)?,
                size: non_negative(venue, "a book size", size)?,
            })
        })
        .collect()
}
