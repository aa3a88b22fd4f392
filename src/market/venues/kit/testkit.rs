//! Shared test inputs: every query kind, and generators of hostile bodies for the never-panics properties.
use proptest::prelude::*;
use serde_json::Value;

use crate::market::model::{Asset, PriceKind, RatioKind};
use crate::market::venues::{Period, Query};

pub fn btc() -> Asset {
    Asset::new("BTC").unwrap()
}

/// One query of every kind (every ratio and price kind), over one day of hourly rows.
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
        Query::OrderBook {
            asset: asset.clone(),
            depth: 20,
        },
        Query::OptionChain {
            asset: asset.clone(),
        },
        Query::RecentLiquidations {
            asset: asset.clone(),
        },
    ];
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
