use super::*;
use proptest::prelude::*;

fn quote(time_ms: i64, bid: (f64, f64), ask: (f64, f64)) -> BestQuote {
    BestQuote {
        time_ms,
        bid_price: bid.0,
        bid_size: bid.1,
        ask_price: ask.0,
        ask_size: ask.1,
    }
}

/// The six snapshots of the glossary page "Order flow imbalances" (its worked example of Cont, Kukanov and
/// Stoikov's OFI).
fn worked_example() -> Vec<BestQuote> {
    vec![
        quote(0, (100.0, 10.0), (101.0, 10.0)),
        quote(1, (100.0, 15.0), (101.0, 10.0)),
        quote(2, (100.0, 15.0), (101.0, 4.0)),
        quote(3, (101.0, 5.0), (102.0, 8.0)),
        quote(4, (100.0, 20.0), (101.0, 9.0)),
        quote(5, (100.0, 20.0), (101.0, 9.0)),
    ]
}

#[test]
fn ofi_matches_cont_kukanov_stoikov_test_vector() {
    let quotes = worked_example();
    let events: Vec<f64> = quotes
        .windows(2)
        .map(|w| ofi_contribution(&w[0], &w[1]).unwrap())
        .collect();
    assert_eq!(events, vec![5.0, 6.0, 9.0, -14.0, 0.0]);
    assert_eq!(order_flow_imbalance(&quotes).unwrap(), 6.0);
}

/// Glossary worked example, steps 1, 2 and 5: unchanged prices count both terms, so the event is
/// Δ(bid size) − Δ(ask size).
#[test]
fn unchanged_prices_reduce_to_bid_size_change_minus_ask_size_change() {
    let q = worked_example();
    assert_eq!(ofi_contribution(&q[0], &q[1]).unwrap(), 15.0 - 10.0); // bid queue grows
    assert_eq!(ofi_contribution(&q[1], &q[2]).unwrap(), -(4.0 - 10.0)); // ask queue shrinks
    assert_eq!(ofi_contribution(&q[4], &q[5]).unwrap(), 0.0); // nothing changes
}

/// Glossary worked example, step 3: both quotes tick up; the new bid (+5) and the old ask (+4) count.
#[test]
fn both_quotes_ticking_up_count_new_bid_and_old_ask() {
    let q = worked_example();
    assert_eq!(ofi_contribution(&q[2], &q[3]).unwrap(), 5.0 + 4.0);
}

/// Glossary worked example, step 4: both quotes tick down; the old bid (−5) and the new ask (−9) count.
#[test]
fn both_quotes_ticking_down_count_old_bid_and_new_ask() {
    let q = worked_example();
    assert_eq!(ofi_contribution(&q[3], &q[4]).unwrap(), -5.0 - 9.0);
}

/// Each side on its own, hand-checked against the formula.
#[test]
fn each_side_moves_independently() {
    let base = quote(0, (100.0, 10.0), (101.0, 10.0));
    let bid_up = quote(1, (100.5, 3.0), (101.0, 10.0));
    let ask_down = quote(1, (100.0, 10.0), (100.5, 7.0));
    assert_eq!(ofi_contribution(&base, &bid_up).unwrap(), 3.0); // new bid queue only
    assert_eq!(ofi_contribution(&base, &ask_down).unwrap(), -7.0); // new ask queue only
    assert_eq!(ofi_contribution(&bid_up, &base).unwrap(), -3.0); // bid falls back: old queue lost
}

/// The glossary page: the worked example as one interval has OFI +6 while the mid goes
/// 100.5 → 101.5 → 100.5, a net change of zero ticks (tick size 1).
#[test]
fn worked_example_as_one_bucket_has_ofi_six_and_no_net_mid_change() {
    let series = OrderFlowImbalance::new(1_000, 1.0)
        .unwrap()
        .compute(&worked_example())
        .unwrap();
    assert_eq!(series.ofi.times_ms(), &[1_000]);
    assert_eq!(series.ofi.values(), &[6.0]);
    assert_eq!(series.mid_change_ticks.values(), &[0.0]);
}

#[test]
fn buckets_are_right_closed_and_stamped_with_their_end() {
    // Events at t = 1_000 (on the boundary) and t = 1_001 fall into (0, 1_000] and (1_000, 2_000].
    let quotes = [
        quote(0, (100.0, 1.0), (101.0, 1.0)),
        quote(1_000, (100.0, 3.0), (101.0, 1.0)),
        quote(1_001, (100.0, 3.0), (101.0, 6.0)),
        quote(1_001, (100.5, 2.0), (101.0, 6.0)),
    ];
    let series = OrderFlowImbalance::new(1_000, 0.25)
        .unwrap()
        .compute(&quotes)
        .unwrap();
    assert_eq!(series.ofi.times_ms(), &[1_000, 2_000]);
    assert_eq!(series.ofi.values(), &[2.0, -5.0 + 2.0]);
    assert_eq!(series.mid_change_ticks.values(), &[0.0, 1.0]); // mid 100.5 → 100.75 is one tick of 0.25
}

#[test]
fn empty_buckets_are_skipped_and_the_next_change_starts_from_the_last_mid() {
    let quotes = [
        quote(500, (100.0, 1.0), (101.0, 1.0)),
        quote(900, (101.0, 1.0), (102.0, 1.0)),
        quote(4_500, (103.0, 1.0), (104.0, 1.0)),
    ];
    let series = OrderFlowImbalance::new(1_000, 1.0)
        .unwrap()
        .compute(&quotes)
        .unwrap();
    assert_eq!(series.ofi.times_ms(), &[1_000, 5_000]);
    assert_eq!(series.mid_change_ticks.values(), &[1.0, 2.0]);
}

#[test]
fn regression_recovers_an_exact_linear_impact() {
    // Bucket k holds one event of +2k (bid queue grows at a fixed price) and the ask drops k/2 ticks
    // with a zero-size queue, so ΔP = −0.25·OFI exactly; R² = 1.
    let mut quotes = vec![quote(0, (90.0, 0.0), (150.0, 0.0))];
    let mut bid_size = 0.0;
    let mut ask = 150.0;
    for k in 1..=8 {
        bid_size += 2.0 * f64::from(k);
        ask -= f64::from(k);
        quotes.push(quote(i64::from(k) * 10, (90.0, bid_size), (ask, 0.0)));
    }
    let fit = OrderFlowImbalance::new(10, 1.0)
        .unwrap()
        .compute(&quotes)
        .unwrap()
        .regression()
        .unwrap();
    assert_eq!(fit.observations, 8);
    assert!((fit.slope_ticks_per_unit + 0.25).abs() < 1e-12);
    assert!(fit.intercept_ticks.abs() < 1e-12);
    assert!((fit.r_squared - 1.0).abs() < 1e-12);
}

#[test]
fn bad_inputs_are_typed_errors() {
    let good = quote(0, (100.0, 1.0), (101.0, 1.0));
    let nan_size = quote(1, (100.0, f64::NAN), (101.0, 1.0));
    let inf_price = quote(1, (100.0, 1.0), (f64::INFINITY, 1.0));
    let zero_price = quote(1, (0.0, 1.0), (101.0, 1.0));
    let negative_size = quote(1, (100.0, 1.0), (101.0, -1.0));
    assert!(matches!(
        ofi_contribution(&good, &nan_size),
        Err(MathError::NotFinite { .. })
    ));
    assert!(matches!(
        ofi_contribution(&inf_price, &good),
        Err(MathError::NotFinite { .. })
    ));
    assert!(matches!(
        ofi_contribution(&good, &zero_price),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        ofi_contribution(&good, &negative_size),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        order_flow_imbalance(&[]),
        Err(MathError::NotEnoughData { needed: 2, got: 0 })
    ));
    assert!(matches!(
        order_flow_imbalance(&[good]),
        Err(MathError::NotEnoughData { needed: 2, got: 1 })
    ));
    let late = quote(5, (100.0, 1.0), (101.0, 1.0));
    assert_eq!(
        order_flow_imbalance(&[late, good]),
        Err(MathError::Unsorted)
    );
    assert!(order_flow_imbalance(&[good, nan_size]).is_err());
    let huge = quote(1, (100.0, f64::MAX), (101.0, 1.0));
    let huger = quote(2, (100.5, f64::MAX), (101.0, 1.0)); // bid ticks up: +MAX again
    assert!(matches!(
        order_flow_imbalance(&[good, huge, huger]),
        Err(MathError::NotFinite { .. })
    ));

    for (interval, tick) in [
        (0, 1.0),
        (-5, 1.0),
        (1_000, 0.0),
        (1_000, -0.5),
        (1_000, f64::NAN),
        (1_000, f64::INFINITY),
    ] {
        assert!(matches!(
            OrderFlowImbalance::new(interval, tick),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    let ofi = OrderFlowImbalance::new(1_000, 1.0).unwrap();
    assert!(matches!(
        ofi.compute(&[]),
        Err(MathError::NotEnoughData { .. })
    ));
    assert_eq!(ofi.compute(&[late, good]), Err(MathError::Unsorted));
    let near_end_of_time = quote(i64::MAX, (100.0, 1.0), (101.0, 1.0));
    assert!(matches!(
        ofi.compute(&[good, near_end_of_time]),
        Err(MathError::InvalidParameter { .. })
    ));
    let tiny_tick = OrderFlowImbalance::new(1_000, f64::MIN_POSITIVE).unwrap();
    let far = quote(1, (1e300, 1.0), (2e300, 1.0));
    assert!(matches!(
        tiny_tick.compute(&[good, far]),
        Err(MathError::NotFinite { .. })
    ));
    // Too few buckets, or a flat mid, cannot be regressed.
    let one_bucket = ofi.compute(&worked_example()).unwrap();
    assert!(matches!(
        one_bucket.regression(),
        Err(MathError::NotEnoughData { .. })
    ));
}

/// Quotes on an integer price grid, so that mirrored prices compare exactly.
fn quote_paths() -> impl Strategy<Value = Vec<BestQuote>> {
    prop::collection::vec((0i64..3, 90u32..110, 1u32..4, 0u32..50, 0u32..50), 2..200).prop_map(
        |steps| {
            let mut time_ms = 0;
            steps
                .into_iter()
                .map(|(dt, bid, spread, bid_size, ask_size)| {
                    time_ms += dt * 400;
                    let bid = f64::from(bid);
                    quote(
                        time_ms,
                        (bid, f64::from(bid_size)),
                        (bid + f64::from(spread), f64::from(ask_size)),
                    )
                })
                .collect()
        },
    )
}

/// The book seen in a mirror: prices reflected through C/2 (p ↦ C − p, which reverses their order and keeps
/// them positive), bids become asks and asks become bids with their sizes.
fn mirrored(quotes: &[BestQuote]) -> Vec<BestQuote> {
    const C: f64 = 1_000.0;
    quotes
        .iter()
        .map(|q| {
            quote(
                q.time_ms,
                (C - q.ask_price, q.ask_size),
                (C - q.bid_price, q.bid_size),
            )
        })
        .collect()
}

proptest! {
    /// Buying pressure in a book is selling pressure in its mirror image, event by event, so OFI and the mid
    /// change of every bucket flip sign.
    #[test]
    fn ofi_is_antisymmetric_under_mirroring_the_book(quotes in quote_paths()) {
        let mirror = mirrored(&quotes);
        prop_assert_eq!(order_flow_imbalance(&mirror).unwrap(), -order_flow_imbalance(&quotes).unwrap());
        let engine = OrderFlowImbalance::new(1_000, 0.5).unwrap();
        let (a, b) = (engine.compute(&quotes).unwrap(), engine.compute(&mirror).unwrap());
        prop_assert_eq!(a.ofi.times_ms(), b.ofi.times_ms());
        for (x, y) in a.ofi.values().iter().zip(b.ofi.values()) {
            prop_assert_eq!(*x, -*y);
        }
        for (x, y) in a.mid_change_ticks.values().iter().zip(b.mid_change_ticks.values()) {
            prop_assert_eq!(*x, -*y);
        }
    }

    /// Buckets partition the events, so their OFI adds up to the total and their mid changes to the
    /// change from the first to the last snapshot, whatever the bucket length.
    #[test]
    fn buckets_partition_the_total(quotes in quote_paths(), interval in 1i64..5_000) {
        let series = OrderFlowImbalance::new(interval, 0.5).unwrap().compute(&quotes).unwrap();
        let total: f64 = series.ofi.values().iter().sum();
        prop_assert_eq!(total, order_flow_imbalance(&quotes).unwrap());
        let moved: f64 = series.mid_change_ticks.values().iter().sum();
        let (first, last) = (quotes[0].mid(), quotes[quotes.len() - 1].mid());
        prop_assert_eq!(moved, (last - first) / 0.5);
    }

    /// With prices pinned, every event is Δq^B − Δq^A, so OFI telescopes to the net change of the two queues.
    #[test]
    fn fixed_prices_telescope_to_net_queue_change(sizes in prop::collection::vec((0u32..1_000, 0u32..1_000), 2..100)) {
        let quotes: Vec<BestQuote> = sizes
            .iter()
            .zip(0..)
            .map(|(&(b, a), t)| quote(t, (100.0, f64::from(b)), (100.5, f64::from(a))))
            .collect();
        let (first, last) = (quotes[0], quotes[quotes.len() - 1]);
        let expected = (last.bid_size - first.bid_size) - (last.ask_size - first.ask_size);
        prop_assert_eq!(order_flow_imbalance(&quotes).unwrap(), expected);
    }
}
