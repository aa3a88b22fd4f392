//! Candles. The two adapter families check prices differently, and each keeps its rule: Hyperliquid, Deribit and
//! dYdX accept a zero price ([`candle`]), Binance, Bybit and OKX refuse it ([`row_candle`]).

use serde_json::Value;

use super::{cell_num, cell_time, non_negative, positive};
use crate::market::model::{Candle, Venue};
use crate::market::parse::{ParseError, oldest_first};

/// A candle of traded prices from numbers already decoded (Hyperliquid, Deribit, dYdX): every price and the volume
/// must be zero or more.
pub fn candle(
    venue: Venue,
    open_time_ms: i64,
    [open, high, low, close, volume_base]: [f64; 5],
) -> Result<Candle, ParseError> {
    Ok(Candle {
        open_time_ms,
        open: non_negative(venue, "an open price", open)?,
        high: non_negative(venue, "a high price", high)?,
        low: non_negative(venue, "a low price", low)?,
        close: non_negative(venue, "a close price", close)?,
        volume_base: non_negative(venue, "a volume", volume_base)?,
        taker_buy_base: None,
    })
}

/// Candles from array rows (see [`row_candle`]), oldest first.
pub fn row_candles(
    venue: Venue,
    rows: &[Vec<Value>],
    what: &str,
    volume_column: Option<usize>,
    taker_buy_column: Option<usize>,
) -> Result<Vec<Candle>, ParseError> {
    let candles = rows
        .iter()
        .map(|row| row_candle(venue, row, what, volume_column, taker_buy_column))
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(oldest_first(candles, |c| c.open_time_ms))
}

/// A candle from an array row `[open time, open, high, low, close, …]` (Binance, Bybit, OKX): prices must be
/// positive. The base volume and taker-buy volume are read from the columns given, zero or more; a row without a
/// volume column (mark and index candles) has a volume of 0 and no taker-buy volume.
pub fn row_candle(
    venue: Venue,
    row: &[Value],
    what: &str,
    volume_column: Option<usize>,
    taker_buy_column: Option<usize>,
) -> Result<Candle, ParseError> {
    let volume = |i, label| non_negative(venue, label, cell_num(venue, row, i, what)?);
    let volume_base = volume_column.map_or(Ok(0.0), |i| volume(i, "volume"))?;
    let taker_buy_base = taker_buy_column
        .map(|i| volume(i, "taker buy volume"))
        .transpose()?;
    let px = |i| positive(venue, "candle price", cell_num(venue, row, i, what)?);
    Ok(Candle {
        open_time_ms: cell_time(venue, row, 0, what)?,
        open: px(1)?,
        high: px(2)?,
        low: px(3)?,
        close: px(4)?,
        volume_base,
        taker_buy_base,
    })
}
