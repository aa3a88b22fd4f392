//! Tests of the adapter: shared helpers here, cases in the submodules.

use super::*;
use crate::market::model::{OpenInterest, OptionKind, TakerVolume};
use crate::market::parse::ParseError;
use crate::market::venues::kit::testkit::{self, btc, json_ish, parse_all, parse_every_query};
use crate::market::venues::{Payload, StreamKind};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            "../../../../../tests/fixtures/okx/",
            $name,
            ".json"
        ))
    };
}

/// 2026-11-20T00:00:00Z.
const TO: i64 = 1_795_132_800_000;

fn paths(query: &Query) -> Vec<String> {
    testkit::paths(requests, query)
}

fn ok(query: &Query, body: &str) -> Payload {
    parse(query, body.as_bytes()).unwrap()
}

fn series(period: Period, from_ms: i64) -> [Query; 2] {
    [
        Query::OpenInterestHistory {
            asset: btc(),
            period,
            from_ms,
            to_ms: TO,
        },
        Query::TakerVolume {
            asset: btc(),
            period,
            from_ms,
            to_ms: TO,
        },
    ]
}

fn ratio(kind: RatioKind) -> Query {
    Query::LongShortRatio {
        asset: btc(),
        kind,
        period: Period::H1,
        from_ms: TO - DAY_MS,
        to_ms: TO,
    }
}

fn candles(price: PriceKind, period: Period, from_ms: i64) -> Query {
    Query::Candles {
        asset: btc(),
        price,
        period,
        from_ms,
        to_ms: TO,
    }
}

mod parsing;
mod requests;
mod robustness;
