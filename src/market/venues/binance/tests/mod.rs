//! Tests of the adapter: shared helpers here, cases in the submodules.

use super::*;
use crate::market::model::{Level, Liquidation, OpenInterest, PositionSide, Quote};
use crate::market::parse::ParseError;
use crate::market::venues::kit::testkit::{self, btc, json_ish, parse_all};
use crate::market::venues::{Payload, StreamEvent, StreamKind};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            "../../../../../tests/fixtures/binance/",
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

fn hourly(kind: fn(Asset, Period, i64, i64) -> Query, days: i64) -> Query {
    kind(btc(), Period::H1, TO - days * DAY_MS, TO)
}

fn oi(asset: Asset, period: Period, from_ms: i64, to_ms: i64) -> Query {
    Query::OpenInterestHistory {
        asset,
        period,
        from_ms,
        to_ms,
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
