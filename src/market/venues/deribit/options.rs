//! Deribit's option board, `public/get_book_summary_by_currency?currency=BTC&kind=option`.
//!
//! Units of a row (docs of the method, checked on ccxt's 2024 capture):
//! - `mark_price` is in the coin per option. It is converted with `underlying_price`, the forward the venue
//!   prices the option on: BTC-28JUN24-42000-C at 0.40752 BTC with the forward at 68 827 is worth 28 048 USD,
//!   above its forward intrinsic value of 26 827; converted at the spot index (65 479) it would be 26 684,
//!   below intrinsic, so the forward is the consistent choice;
//! - `mark_iv` is in percent (47.85 = 47.85 %) and becomes a decimal;
//! - `open_interest` is in coins.
//!
//! Instrument names are `BTC-28NOV25-90000-C`: expiry day (one or two digits), month, two-digit year; the
//! strike (a `d` stands for a decimal point on small strikes, `2d5` = 2.5); `C` or `P`. Options expire at
//! 08:00 UTC. A row without a mark price, mark IV or underlying price (an option the venue does not price
//! yet) is left out; a row with a malformed name or a negative number is an error.

use serde::Deserialize;

use super::VENUE;
use super::rest::result;
use crate::market::model::{Asset, OptionKind, OptionQuote};
use crate::market::parse::{ParseError, iso8601_ms, opt_num, parse_decimal, shape};
use crate::market::venues::kit::non_negative;

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

#[derive(Deserialize)]
struct Summary {
    instrument_name: String,
    #[serde(default, deserialize_with = "opt_num")]
    mark_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    mark_iv: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    underlying_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    open_interest: Option<f64>,
}

/// The option chain of `asset`, sorted by expiry, strike, then calls before puts.
pub(super) fn chain(body: &[u8], asset: &Asset) -> Result<Vec<OptionQuote>, ParseError> {
    let rows: Vec<Summary> = result(body)?;
    let mut quotes = Vec::with_capacity(rows.len());
    for row in rows {
        let (expiry_ms, strike, kind) = parse_name(&row.instrument_name, asset.as_str())?;
        let (Some(mark_coin), Some(mark_iv_percent), Some(underlying)) =
            (row.mark_price, row.mark_iv, row.underlying_price)
        else {
            continue;
        };
        let underlying = non_negative(VENUE, "underlying_price", underlying)?;
        quotes.push(OptionQuote {
            instrument: row.instrument_name,
            kind,
            strike,
            expiry_ms,
            mark_price_usd: non_negative(VENUE, "mark_price", mark_coin)? * underlying,
            mark_iv: non_negative(VENUE, "mark_iv", mark_iv_percent)? / 100.0,
            underlying_price: underlying,
            delta: None,
            open_interest_base: row
                .open_interest
                .map(|oi| non_negative(VENUE, "open_interest", oi))
                .transpose()?,
        });
    }
    let is_put = |q: &OptionQuote| q.kind == OptionKind::Put;
    lens_math::sort::sort_by(&mut quotes, |a, b| {
        a.expiry_ms
            .cmp(&b.expiry_ms)
            .then(a.strike.total_cmp(&b.strike))
            .then(is_put(a).cmp(&is_put(b)))
    });
    Ok(quotes)
}

/// `BTC-28NOV25-90000-C` → (expiry at 08:00 UTC in ms, strike, kind).
fn parse_name(name: &str, coin: &str) -> Result<(i64, f64, OptionKind), ParseError> {
    let bad = || {
        shape(
            VENUE,
            format!(
                "“{}” is not a {coin} option name",
                name.chars().take(40).collect::<String>()
            ),
        )
    };
    let parts: Vec<&str> = name.split('-').collect();
    let [currency, date, strike, kind] = parts.as_slice() else {
        return Err(bad());
    };
    if *currency != coin {
        return Err(bad());
    }
    let kind = match *kind {
        "C" => OptionKind::Call,
        "P" => OptionKind::Put,
        _ => return Err(bad()),
    };
    let strike = parse_decimal(&strike.replace('d', "."))
        .filter(|s| *s > 0.0)
        .ok_or_else(bad)?;
    let expiry_ms = expiry(date).ok_or_else(bad)?;
    Ok((expiry_ms, strike, kind))
}

/// `28NOV25` → 2025-11-28T08:00:00Z in ms.
fn expiry(date: &str) -> Option<i64> {
    let split = date.find(|c: char| !c.is_ascii_digit())?;
    let (day, rest) = date.split_at(split);
    let (month, year) = (rest.get(..3)?, rest.get(3..)?);
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    if !(1..=2).contains(&day.len()) || year.len() != 2 || !year.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    iso8601_ms(&format!("20{year}-{month:02}-{day:02}T08:00:00Z"))
}
