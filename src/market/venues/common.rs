//! Pieces the Hyperliquid, Deribit and dYdX adapters share: splitting a time window into pages a venue
//! answers in full, and the row checks every parser applies (no negative prices or sizes).

use super::{Query, Unsupported};
use crate::market::model::{Candle, Level, PriceKind, Venue};
use crate::market::parse::{ParseError, shape};

/// Most pages one query may become. A longer window is shortened to its newest part rather than refused:
/// the newest data is what a chart shows first, and 50 sequential requests is already slow in a browser.
pub const MAX_PAGES: i64 = 50;

/// Checks a `[from_ms, to_ms]` window: it must not end before it starts nor before 1970 (no venue has data
/// there, and negative times would be sent verbatim). A start before 1970 is moved to 1970.
pub fn checked_window(venue: Venue, from_ms: i64, to_ms: i64) -> Result<(i64, i64), Unsupported> {
    if to_ms < 0 || from_ms > to_ms {
        return Err(Unsupported {
            venue,
            what: "a time window that ends before it starts or before 1970",
        });
    }
    Ok((from_ms.max(0), to_ms))
}

/// Splits `[from_ms, to_ms]` (inclusive) into consecutive windows of `span_ms`, oldest first, each also
/// inclusive, so that no window holds more rows than the endpoint returns at once. At most [`MAX_PAGES`]
/// windows: an older start is dropped (see the module note).
pub fn pages(
    venue: Venue,
    from_ms: i64,
    to_ms: i64,
    span_ms: i64,
) -> Result<Vec<(i64, i64)>, Unsupported> {
    let (from_ms, to_ms) = checked_window(venue, from_ms, to_ms)?;
    let span_ms = span_ms.max(1);
    let oldest_start = to_ms
        .saturating_sub(span_ms.saturating_mul(MAX_PAGES))
        .saturating_add(1);
    let mut start = from_ms.max(oldest_start);
    let mut windows = Vec::new();
    while start <= to_ms {
        let end = start.saturating_add(span_ms - 1).min(to_ms);
        windows.push((start, end));
        match end.checked_add(1) {
            Some(next) => start = next,
            None => break,
        }
    }
    Ok(windows)
}

/// A price or size as a venue sent it: `num` already rejected NaN and infinities; negatives are rejected
/// here, because a negative price or size is a broken response, not a market state.
pub fn non_negative(venue: Venue, value: f64, what: &str) -> Result<f64, ParseError> {
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(shape(venue, format!("{what} is negative ({value})")))
    }
}

/// Like [`non_negative`], for a price something is divided by.
pub fn positive(venue: Venue, value: f64, what: &str) -> Result<f64, ParseError> {
    if value > 0.0 {
        Ok(value)
    } else {
        Err(shape(venue, format!("{what} is not positive ({value})")))
    }
}

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

/// A candle of traded prices from a venue's row, every price and the volume checked.
pub fn candle(
    venue: Venue,
    open_time_ms: i64,
    [open, high, low, close, volume_base]: [f64; 5],
) -> Result<Candle, ParseError> {
    Ok(Candle {
        open_time_ms,
        open: non_negative(venue, open, "an open price")?,
        high: non_negative(venue, high, "a high price")?,
        low: non_negative(venue, low, "a low price")?,
        close: non_negative(venue, close, "a close price")?,
        volume_base: non_negative(venue, volume_base, "a volume")?,
        taker_buy_base: None,
    })
}

/// One side of a book from `(price, size)` pairs as listed (best first), checked and cut to `depth` levels.
pub fn book_side(
    venue: Venue,
    levels: impl IntoIterator<Item = (f64, f64)>,
    depth: u32,
) -> Result<Vec<Level>, ParseError> {
    levels
        .into_iter()
        .take(usize::try_from(depth).unwrap_or(usize::MAX))
        .map(|(price, size)| {
            Ok(Level {
                price: non_negative(venue, price, "a book price")?,
                size: non_negative(venue, size, "a book size")?,
            })
        })
        .collect()
}

/// Test helpers every adapter of this batch uses: the list of query kinds and the "never panics" property.
#[cfg(test)]
pub mod test_support {
    use proptest::prelude::*;
    use proptest::sample::{Index, select};
    use proptest::test_runner::{Config, TestRunner};

    use crate::market::model::{Asset, PriceKind, RatioKind};
    use crate::market::parse::ParseError;
    use crate::market::venues::{Payload, Period, Query};

    /// One query of every kind (and every candle price), for BTC over one day in 2025.
    pub fn every_query() -> Vec<Query> {
        let asset = Asset::new("BTC").expect("BTC is an asset");
        let (from_ms, to_ms) = (1_763_596_800_000, 1_763_683_199_999);
        let period = Period::H1;
        let mut queries = vec![
            Query::FundingHistory {
                asset: asset.clone(),
                from_ms,
                to_ms,
            },
            Query::FundingSettings {
                asset: asset.clone(),
            },
            Query::Ticker {
                asset: asset.clone(),
            },
            Query::OpenInterestHistory {
                asset: asset.clone(),
                period,
                from_ms,
                to_ms,
            },
            Query::LongShortRatio {
                asset: asset.clone(),
                kind: RatioKind::GlobalAccounts,
                period,
                from_ms,
                to_ms,
            },
            Query::TakerVolume {
                asset: asset.clone(),
                period,
                from_ms,
                to_ms,
            },
            Query::Basis {
                asset: asset.clone(),
                period,
                from_ms,
                to_ms,
            },
            Query::OrderBook {
                asset: asset.clone(),
                depth: 3,
            },
            Query::OptionChain {
                asset: asset.clone(),
            },
            Query::RecentLiquidations {
                asset: asset.clone(),
            },
        ];
        for price in [PriceKind::Last, PriceKind::Mark, PriceKind::Index] {
            queries.push(Query::Candles {
                asset: asset.clone(),
                price,
                period,
                from_ms,
                to_ms,
            });
        }
        queries
    }

    /// Bodies a parser must survive: random bytes, JSON-ish text, and the fixtures cut short or with one
    /// byte changed (the likeliest real damage: a dropped connection, a proxy rewriting a character).
    fn hostile_bodies(fixtures: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
        let truncated = (select(fixtures), any::<Index>())
            .prop_map(|(f, cut)| f.as_bytes()[..cut.index(f.len() + 1)].to_vec());
        let flipped = (select(fixtures), any::<Index>(), any::<u8>()).prop_map(|(f, at, byte)| {
            let mut bytes = f.as_bytes().to_vec();
            let i = at.index(bytes.len().max(1));
            if let Some(b) = bytes.get_mut(i) {
                *b = byte;
            }
            bytes
        });
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..512),
            "[\\[\\]{}\",:0-9a-zA-Z.eE+\\- ]{0,256}".prop_map(String::into_bytes),
            truncated,
            flipped,
        ]
    }

    /// `parse` returns (Ok or a typed error) and never panics, for every query kind and hostile body.
    pub fn parse_never_panics(
        parse: fn(&Query, &[u8]) -> Result<Payload, ParseError>,
        fixtures: &'static [&'static str],
    ) {
        let mut runner = TestRunner::new(Config {
            cases: 2_000,
            ..Config::default()
        });
        let strategy = (select(every_query()), hostile_bodies(fixtures));
        let outcome = runner.run(&strategy, |(query, body)| {
            let _ = parse(&query, &body);
            Ok(())
        });
        assert!(outcome.is_ok(), "{outcome:?}");
        // Every fixture against every query kind, exhaustively: a body for another endpoint is an error too.
        for query in every_query() {
            for fixture in fixtures {
                let _ = parse(&query, fixture.as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn a_window_within_one_span_is_one_page() {
        assert_eq!(
            pages(Venue::Dydx, 0, 10 * HOUR - 1, 1_000 * HOUR),
            Ok(vec![(0, 10 * HOUR - 1)])
        );
    }

    #[test]
    fn pages_are_contiguous_oldest_first_and_end_at_to() {
        let got = pages(Venue::Dydx, 5, 25, 10).unwrap();
        assert_eq!(got, vec![(5, 14), (15, 24), (25, 25)]);
    }

    #[test]
    fn long_windows_keep_their_newest_pages() {
        let got = pages(Venue::Dydx, 0, 1_000_000, 10).unwrap();
        assert_eq!(got.len() as i64, MAX_PAGES);
        assert_eq!(got.last(), Some(&(999_991, 1_000_000)));
        assert_eq!(got.first(), Some(&(999_501, 999_510)));
    }

    #[test]
    fn reversed_or_pre_1970_windows_are_unsupported() {
        assert!(pages(Venue::Deribit, 10, 5, 1).is_err());
        assert!(pages(Venue::Deribit, -10, -5, 1).is_err());
        assert_eq!(pages(Venue::Deribit, -10, 3, 100), Ok(vec![(0, 3)]));
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        let got = pages(Venue::Deribit, i64::MAX - 5, i64::MAX, 4).unwrap();
        assert_eq!(
            got,
            vec![(i64::MAX - 5, i64::MAX - 2), (i64::MAX - 1, i64::MAX)]
        );
    }

    #[test]
    fn book_sides_are_cut_and_checked() {
        let side = book_side(Venue::Dydx, [(2.0, 1.0), (1.0, 3.0)], 1).unwrap();
        assert_eq!(
            side,
            vec![Level {
                price: 2.0,
                size: 1.0
            }]
        );
        assert!(book_side(Venue::Dydx, [(2.0, -1.0)], 5).is_err());
    }
}
