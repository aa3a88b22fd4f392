use super::*;
use crate::flow::OrderFlowImbalance;
use crate::market::BestQuote;
use proptest::prelude::*;

fn level(price: f64, size: f64) -> BookLevel {
    BookLevel { price, size }
}

fn book(time_ms: i64, bids: &[(f64, f64)], asks: &[(f64, f64)]) -> OrderBook {
    OrderBook {
        time_ms,
        bids: bids.iter().map(|&(p, q)| level(p, q)).collect(),
        asks: asks.iter().map(|&(p, q)| level(p, q)).collect(),
    }
}

/// The glossary's order-flow worked example (Cont, Kukanov and Stoikov's OFI) at level 1, with a second level whose prices stay put and whose
/// queues change by hand-picked amounts.
fn worked_example_books() -> Vec<OrderBook> {
    let l1 = [
        ((100.0, 10.0), (101.0, 10.0)),
        ((100.0, 15.0), (101.0, 10.0)),
        ((100.0, 15.0), (101.0, 4.0)),
        ((101.0, 5.0), (102.0, 8.0)),
        ((100.0, 20.0), (101.0, 9.0)),
        ((100.0, 20.0), (101.0, 9.0)),
    ];
    let l2_sizes = [
        (1.0, 1.0),
        (4.0, 1.0),
        (4.0, 3.0),
        (6.0, 3.0),
        (6.0, 3.0),
        (2.0, 8.0),
    ];
    l1.iter()
        .zip(l2_sizes)
        .zip(0..)
        .map(|((&(bid, ask), (bid2, ask2)), t)| {
            book(t, &[bid, (90.0, bid2)], &[ask, (110.0, ask2)])
        })
        .collect()
}

#[test]
fn level_one_matches_cont_kukanov_stoikov_test_vector() {
    let series = MultiLevelOfi::new(2, 1_000, 1.0)
        .unwrap()
        .compute(&worked_example_books())
        .unwrap();
    assert_eq!(series.by_level[0].values(), &[6.0]);
    assert_eq!(series.mid_change_ticks.values(), &[0.0]);
}

/// Level 2 prices never move, so its OFI is Δ(bid size) − Δ(ask size) over the bucket, by hand:
/// (2 − 1) − (8 − 1) = −6.
#[test]
fn level_two_with_fixed_prices_is_its_net_queue_change() {
    let series = MultiLevelOfi::new(2, 1_000, 1.0)
        .unwrap()
        .compute(&worked_example_books())
        .unwrap();
    assert_eq!(series.by_level[1].values(), &[-6.0]);
}

/// A new best ask below the old one pushes every ask level down a price; hand-checked with the formula:
/// level 1 ask falls to 100.5 (−4, its new queue), level 2 ask falls from 102 to 101 (−7, the old best queue).
#[test]
fn a_new_best_ask_shifts_every_ask_level() {
    let before = book(
        0,
        &[(100.0, 10.0), (99.0, 5.0)],
        &[(101.0, 7.0), (102.0, 3.0)],
    );
    let after = book(
        1,
        &[(100.0, 10.0), (99.0, 5.0)],
        &[(100.5, 4.0), (101.0, 7.0)],
    );
    let series = MultiLevelOfi::new(2, 1_000, 0.5)
        .unwrap()
        .compute(&[before, after])
        .unwrap();
    assert_eq!(series.by_level[0].values(), &[-4.0]);
    assert_eq!(series.by_level[1].values(), &[-7.0]);
    assert_eq!(series.mid_change_ticks.values(), &[-0.5]);
}

/// Books built so that ΔP = 1 + 0.5·OFI¹ + 0.25·OFI² exactly: level-1 and level-2 bid queues change at fixed
/// prices by a_k and b_k, and the best ask (with an empty queue) moves the mid by the target.
#[test]
fn regression_recovers_an_exact_two_level_plane() {
    let a = [3.0, -1.0, 4.0, 1.0, -5.0, 9.0, 2.0, -6.0];
    let b = [2.0, 7.0, -1.0, 8.0, 2.0, -8.0, 1.0, 0.0];
    let (mut bid1, mut bid2, mut ask) = (1_000.0, 1_000.0, 150.0);
    let mut books = vec![book(
        0,
        &[(100.0, bid1), (99.0, bid2)],
        &[(ask, 0.0), (1_000.0, 0.0)],
    )];
    for (k, (da, db)) in a.iter().zip(b).enumerate() {
        bid1 += da;
        bid2 += db;
        ask += 2.0 * (1.0 + 0.5 * da + 0.25 * db);
        books.push(book(
            k as i64 + 1,
            &[(100.0, bid1), (99.0, bid2)],
            &[(ask, 0.0), (1_000.0, 0.0)],
        ));
    }
    let series = MultiLevelOfi::new(2, 1, 1.0)
        .unwrap()
        .compute(&books)
        .unwrap();
    assert_eq!(series.by_level[0].values(), &a);
    assert_eq!(series.by_level[1].values(), &b);
    let fit = series.regression().unwrap();
    assert_eq!(fit.observations, 8);
    assert!((fit.intercept_ticks - 1.0).abs() < 1e-9);
    assert!((fit.slopes_ticks_per_unit[0] - 0.5).abs() < 1e-9);
    assert!((fit.slopes_ticks_per_unit[1] - 0.25).abs() < 1e-9);
    assert!((fit.r_squared - 1.0).abs() < 1e-9);
}

#[test]
fn collinear_levels_cannot_be_regressed() {
    // Both levels always gain the same amount, so their OFI columns are identical.
    let steps = [1.0, 3.0, -2.0, 5.0, 0.0];
    let mut size = 100.0;
    let mut books = vec![book(
        0,
        &[(100.0, size), (99.0, size)],
        &[(101.0, 1.0), (102.0, 1.0)],
    )];
    for (k, step) in steps.iter().enumerate() {
        size += step;
        let ask = 101.0 + (k % 2) as f64;
        books.push(book(
            k as i64 + 1,
            &[(100.0, size), (99.0, size)],
            &[(ask, 1.0), (ask + 1.0, 1.0)],
        ));
    }
    let series = MultiLevelOfi::new(2, 1, 1.0)
        .unwrap()
        .compute(&books)
        .unwrap();
    assert!(matches!(
        series.regression(),
        Err(MathError::InvalidParameter {
            name: "regressors",
            ..
        })
    ));
}

#[test]
fn bad_inputs_are_typed_errors() {
    assert!(matches!(
        MultiLevelOfi::new(0, 1_000, 1.0),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        MultiLevelOfi::new(2, 0, 1.0),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        MultiLevelOfi::new(2, 1_000, f64::NAN),
        Err(MathError::InvalidParameter { .. })
    ));
    let two = MultiLevelOfi::new(2, 1_000, 1.0).unwrap();
    let good = book(
        0,
        &[(100.0, 1.0), (99.0, 1.0)],
        &[(101.0, 1.0), (102.0, 1.0)],
    );
    let shallow = book(1, &[(100.0, 1.0)], &[(101.0, 1.0), (102.0, 1.0)]);
    let unsorted = book(
        1,
        &[(99.0, 1.0), (100.0, 1.0)],
        &[(101.0, 1.0), (102.0, 1.0)],
    );
    let nan = book(
        1,
        &[(100.0, 1.0), (99.0, f64::NAN)],
        &[(101.0, 1.0), (102.0, 1.0)],
    );
    let negative = book(
        1,
        &[(100.0, 1.0), (99.0, 1.0)],
        &[(101.0, -1.0), (102.0, 1.0)],
    );
    assert!(matches!(
        two.compute(&[]),
        Err(MathError::NotEnoughData { .. })
    ));
    assert!(matches!(
        two.compute(std::slice::from_ref(&good)),
        Err(MathError::NotEnoughData { .. })
    ));
    assert_eq!(
        two.compute(&[good.clone(), shallow.clone()]),
        Err(MathError::NotEnoughData { needed: 2, got: 1 })
    );
    assert!(matches!(
        two.compute(&[shallow, good.clone()]),
        Err(MathError::NotEnoughData { .. })
    ));
    assert!(matches!(
        two.compute(&[good.clone(), unsorted]),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        two.compute(&[good.clone(), nan]),
        Err(MathError::NotFinite { .. })
    ));
    assert!(matches!(
        two.compute(&[good.clone(), negative]),
        Err(MathError::InvalidParameter { .. })
    ));
    let mut earlier = good.clone();
    earlier.time_ms = -1;
    let mut later = good.clone();
    later.time_ms = 5;
    assert_eq!(two.compute(&[later, earlier]), Err(MathError::Unsorted));
    // Asking for more levels than memory could hold fails on the data, not on allocation.
    let greedy = MultiLevelOfi::new(usize::MAX, 1_000, 1.0).unwrap();
    assert!(matches!(
        greedy.compute(&[good.clone(), good]),
        Err(MathError::NotEnoughData { .. })
    ));
}

proptest! {
    /// Level 1 of MLOFI is the one-level OFI of the best quotes, bucket by bucket.
    #[test]
    fn level_one_equals_best_quote_ofi(
        steps in prop::collection::vec((0i64..3, 90u32..110, 1u32..4, 0u32..50, 0u32..50, 0u32..50), 2..100),
    ) {
        let mut time_ms = 0;
        let mut books = Vec::new();
        let mut quotes = Vec::new();
        for (dt, bid, spread, bid_size, ask_size, deep_size) in steps {
            time_ms += dt * 300;
            let (bid, ask) = (f64::from(bid), f64::from(bid + spread));
            let (bid_size, ask_size, deep) = (f64::from(bid_size), f64::from(ask_size), f64::from(deep_size));
            books.push(book(time_ms, &[(bid, bid_size), (bid - 1.0, deep)], &[(ask, ask_size), (ask + 1.0, deep)]));
            quotes.push(BestQuote { time_ms, bid_price: bid, bid_size, ask_price: ask, ask_size });
        }
        let multi = MultiLevelOfi::new(2, 1_000, 0.5).unwrap().compute(&books).unwrap();
        let single = OrderFlowImbalance::new(1_000, 0.5).unwrap().compute(&quotes).unwrap();
        prop_assert_eq!(&multi.by_level[0], &single.ofi);
        prop_assert_eq!(&multi.mid_change_ticks, &single.mid_change_ticks);
    }
}
