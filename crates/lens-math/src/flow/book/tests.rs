use super::*;
use proptest::prelude::*;

fn best(bid: (f64, f64), ask: (f64, f64)) -> BestQuote {
    BestQuote {
        time_ms: 0,
        bid_price: bid.0,
        bid_size: bid.1,
        ask_price: ask.0,
        ask_size: ask.1,
    }
}

fn book(bids: &[(f64, f64)], asks: &[(f64, f64)]) -> OrderBook {
    let levels = |side: &[(f64, f64)]| {
        side.iter()
            .map(|&(price, size)| BookLevel { price, size })
            .collect()
    };
    OrderBook {
        time_ms: 0,
        bids: levels(bids),
        asks: levels(asks),
    }
}

/// The weighted-mid example of the wickra documentation and vyx.app (also in GLOSSARY-CONTRACT.md): bid 100 × 1,
/// ask 101 × 3 → 100.25.
#[test]
fn weighted_mid_matches_published_example() {
    assert_eq!(
        weighted_mid(&best((100.0, 1.0), (101.0, 3.0))).unwrap(),
        100.25
    );
}

/// Same quote: I = 1/4, Ĩ = −1/2, and μ = mid + (spread/2)·Ĩ = 100.5 − 0.25 (hand-checked).
#[test]
fn queue_imbalance_forms_agree_on_the_published_quote() {
    let quote = best((100.0, 1.0), (101.0, 3.0));
    assert_eq!(queue_imbalance(&quote).unwrap(), 0.25);
    assert_eq!(signed_queue_imbalance(&quote).unwrap(), -0.5);
    assert_eq!(
        quote.mid() + 0.5 * signed_queue_imbalance(&quote).unwrap(),
        100.25
    );
}

/// The glossary page "Order flow imbalances": ±0.5 % around mid 100.0 keeps prices 99.5..100.5, bids
/// 4 + 6 + 10 = 20, asks 3 + 2 + 5 = 10, DI = 10/30 = +0.33. The levels at 99.4 and 100.6 lie outside.
#[test]
fn depth_imbalance_matches_glossary_worked_example() {
    let glossary_book = book(
        &[(99.9, 4.0), (99.7, 6.0), (99.5, 10.0), (99.4, 25.0)],
        &[(100.1, 3.0), (100.3, 2.0), (100.5, 5.0), (100.6, 40.0)],
    );
    let di = DepthImbalance::new(0.005)
        .unwrap()
        .compute(&glossary_book)
        .unwrap();
    assert!((di - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!((di * 100.0).round() / 100.0, 0.33);
}

/// GLOSSARY-CONTRACT.md: the band includes its boundaries. With only boundary levels, a strict band would
/// hold no depth at all; the inclusive one gives (1 − 3)/4.
#[test]
fn depth_band_includes_both_boundaries() {
    let on_the_edges = book(&[(99.5, 1.0)], &[(100.5, 3.0)]);
    assert_eq!(
        DepthImbalance::new(0.005)
            .unwrap()
            .compute(&on_the_edges)
            .unwrap(),
        -0.5
    );
}

#[test]
fn crossed_book_counts_every_level_in_band() {
    // Best bid 101 sits 0.5 above the mid 100.5 and outside a ±0.25 % band; the bid at 100.5 is inside.
    let crossed = book(&[(101.0, 7.0), (100.5, 2.0)], &[(100.0, 9.0), (100.5, 1.0)]);
    assert_eq!(
        DepthImbalance::new(0.0025)
            .unwrap()
            .compute(&crossed)
            .unwrap(),
        (2.0 - 1.0) / 3.0
    );
}

#[test]
fn bad_inputs_are_typed_errors() {
    for quote in [
        best((100.0, f64::NAN), (101.0, 1.0)),
        best((100.0, 1.0), (f64::INFINITY, 1.0)),
    ] {
        assert!(matches!(
            queue_imbalance(&quote),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            signed_queue_imbalance(&quote),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            weighted_mid(&quote),
            Err(MathError::NotFinite { .. })
        ));
    }
    for quote in [
        best((100.0, 0.0), (101.0, 0.0)),
        best((-1.0, 1.0), (101.0, 1.0)),
        best((100.0, -1.0), (101.0, 2.0)),
    ] {
        assert!(matches!(
            queue_imbalance(&quote),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            signed_queue_imbalance(&quote),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            weighted_mid(&quote),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    assert!(matches!(
        queue_imbalance(&best((100.0, f64::MAX), (101.0, f64::MAX))),
        Err(MathError::NotFinite { .. })
    ));

    for band in [0.0, -0.01, 1.5, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            DepthImbalance::new(band),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    let di = DepthImbalance::new(0.01).unwrap();
    assert!(matches!(
        di.compute(&book(&[], &[(101.0, 1.0)])),
        Err(MathError::NotEnoughData { .. })
    ));
    assert!(matches!(
        di.compute(&book(&[(100.0, 1.0)], &[])),
        Err(MathError::NotEnoughData { .. })
    ));
    assert!(matches!(
        di.compute(&OrderBook::default()),
        Err(MathError::NotEnoughData { .. })
    ));
    assert!(matches!(
        di.compute(&book(&[(100.0, f64::NAN)], &[(101.0, 1.0)])),
        Err(MathError::NotFinite { .. })
    ));
    let unsorted = book(&[(99.0, 1.0), (100.0, 1.0)], &[(101.0, 1.0)]);
    assert!(matches!(
        di.compute(&unsorted),
        Err(MathError::InvalidParameter { .. })
    ));
    let empty_band = book(&[(100.0, 0.0), (99.9, 0.0)], &[(100.1, 0.0)]);
    assert!(matches!(
        di.compute(&empty_band),
        Err(MathError::InvalidParameter { .. })
    ));
    let wide_spread = book(&[(90.0, 1.0)], &[(110.0, 1.0)]);
    assert!(matches!(
        di.compute(&wide_spread),
        Err(MathError::InvalidParameter { .. })
    ));
    let overflow = book(&[(100.0, f64::MAX)], &[(100.1, f64::MAX)]);
    assert!(matches!(
        di.compute(&overflow),
        Err(MathError::NotFinite { .. })
    ));
}

/// A side of a book around the mid 1000: the best level `spread` away, deeper levels further out.
fn side(spread: u32, gaps_and_sizes: &[(u32, u32)], sign: f64) -> Vec<(f64, f64)> {
    let mut distance = f64::from(spread);
    gaps_and_sizes
        .iter()
        .map(|&(gap, size)| {
            let level = (1_000.0 + sign * distance, f64::from(size));
            distance += f64::from(gap);
            level
        })
        .collect()
}

proptest! {
    /// Mirroring the book through its mid (bids ↔ asks, p ↦ 2·mid − p) turns DI into −DI, and DI stays in
    /// [−1, 1]. Integer prices around mid 1,000 keep the reflection exact.
    #[test]
    fn depth_imbalance_is_antisymmetric_and_bounded(
        spread in 1u32..5,
        bids in prop::collection::vec((1u32..5, 1u32..100), 1..20),
        asks in prop::collection::vec((1u32..5, 1u32..100), 1..20),
        band_permille in 1u32..50,
    ) {
        let di = DepthImbalance::new(f64::from(band_permille) / 1_000.0).unwrap();
        let original = book(&side(spread, &bids, -1.0), &side(spread, &asks, 1.0));
        let mirror = book(&side(spread, &asks, -1.0), &side(spread, &bids, 1.0));
        match (di.compute(&original), di.compute(&mirror)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a, -b);
                prop_assert!((-1.0..=1.0).contains(&a));
            }
            (a, b) => prop_assert_eq!(a, b),
        }
    }

    /// The weighted mid lies between the best prices and equals mid + (spread/2)·Ĩ.
    #[test]
    fn weighted_mid_lies_between_the_quotes(
        bid in 1.0f64..1e5, spread in 0.0f64..100.0, qb in 0.0f64..1e4, qa in 0.001f64..1e4,
    ) {
        let quote = best((bid, qb), (bid + spread, qa));
        let mu = weighted_mid(&quote).unwrap();
        prop_assert!(mu >= quote.bid_price * (1.0 - 1e-15) && mu <= quote.ask_price * (1.0 + 1e-15));
        let via_imbalance = quote.mid() + (spread / 2.0) * signed_queue_imbalance(&quote).unwrap();
        prop_assert!((mu - via_imbalance).abs() <= 1e-12 * bid);
        let ratio_form = queue_imbalance(&quote).unwrap();
        prop_assert!((2.0 * ratio_form - 1.0 - signed_queue_imbalance(&quote).unwrap()).abs() < 1e-12);
    }
}
