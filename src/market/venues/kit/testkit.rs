//! Shared test inputs and harnesses: every query kind, hostile bodies, and the "never panics" properties.
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

use super::paging::MAX_PAGES;
use crate::market::model::{Asset, PriceKind, RatioKind};
use crate::market::parse::ParseError;
use crate::market::venues::{Payload, Period, Query, Request, StreamEvent, Unsupported};

/// A venue's `parse`.
pub type ParseFn = fn(&Query, &[u8]) -> Result<Payload, ParseError>;
/// A venue's `parse_stream_messages`.
pub type StreamFn = fn(&str) -> Result<Vec<StreamEvent>, ParseError>;
/// A venue's `requests`.
pub type RequestsFn = fn(&Query) -> Result<Vec<Request>, Unsupported>;

pub fn asset(symbol: &str) -> Asset {
    Asset::new(symbol).expect("valid asset")
}

pub fn btc() -> Asset {
    asset("BTC")
}

/// One query of every kind (every ratio and price kind, and a book cut short and one not), over one day of hourly
/// rows.
pub fn every_query() -> Vec<Query> {
    let (asset, period, from_ms, to_ms) = (btc(), Period::H1, 1_795_046_400_000, 1_795_132_800_000);
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
        Query::OptionChain {
            asset: asset.clone(),
        },
        Query::RecentLiquidations {
            asset: asset.clone(),
        },
    ];
    for depth in [3, 20] {
        queries.push(Query::OrderBook {
            asset: asset.clone(),
            depth,
        });
    }
    for kind in [
        RatioKind::GlobalAccounts,
        RatioKind::TopAccounts,
        RatioKind::TopPositions,
    ] {
        queries.push(Query::LongShortRatio {
            asset: asset.clone(),
            kind,
            period,
            from_ms,
            to_ms,
        });
    }
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

/// The path and query string of every request for `query`.
pub fn paths(requests: RequestsFn, query: &Query) -> Vec<String> {
    requests(query)
        .unwrap()
        .into_iter()
        .map(|r| r.path_and_query)
        .collect()
}

/// Whether `query` is refused or becomes between one and [`MAX_PAGES`] requests.
pub fn within_page_limit(requests: RequestsFn, query: &Query) -> bool {
    requests(query).map_or(true, |pages| {
        !pages.is_empty() && pages.len() as i64 <= MAX_PAGES
    })
}

/// `body` parsed as the answer to every query kind; only a panic matters.
pub fn parse_every_query(parse: ParseFn, body: &[u8]) {
    for query in every_query() {
        let _ = parse(&query, body);
    }
}

/// `body` parsed as the answer to every query kind and, as text, as a stream message; only a panic matters.
pub fn parse_all(parse: ParseFn, parse_stream: StreamFn, body: &[u8]) {
    parse_every_query(parse, body);
    let _ = parse_stream(&String::from_utf8_lossy(body));
}

/// Arbitrary JSON values, biased towards the pieces venues use (numeric strings, arrays of rows).
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9.eE+-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("NaN"),
            Just("inf"),
            Just(""),
            Just("0"),
            Just("-1"),
            Just("Buy"),
            Just("SELL")
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            "[a-zA-Z]{1,8}",
            Just("list".to_string()),
            Just("data".to_string()),
            Just("result".to_string()),
            Just("retCode".to_string()),
            Just("code".to_string()),
            Just("time".to_string()),
            Just("ts".to_string()),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Strings that look like JSON but are often broken.
pub fn json_ish() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\[\\]{}\":,0-9a-zA-Z.eE+ -]{0,120}",
        json_value().prop_map(|v| v.to_string()),
    ]
}

/// Bodies a parser must survive: random bytes, JSON-ish text, and the fixtures cut short or with one byte changed
/// (the likeliest real damage: a dropped connection, a proxy rewriting a character).
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
pub fn parse_never_panics(parse: ParseFn, fixtures: &'static [&'static str]) {
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
    for fixture in fixtures {
        parse_every_query(parse, fixture.as_bytes());
    }
}
