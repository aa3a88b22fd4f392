//! Level-1 quotes and a depth snapshot drawn around the simulated price.
//!
//! The book is not simulated order by order (that would cost far more than the 50 ms budget); it is a picture
//! consistent with the price model: the best bid is the last price rounded down to the tick and the ask one tick
//! above (so the traded price always lies inside the quote), the depth per level matches the venue's depth per
//! 1 %, and the queue sizes lean toward the side that was just being bought (bids build up and asks are
//! consumed under buying), which is the pattern order-flow imbalance measures.

use super::detmath::NormalDraws;
use crate::market::{BestQuote, BookLevel, OrderBook};

/// Levels per side of the final snapshot.
pub(crate) const BOOK_LEVELS: usize = 50;
/// Spacing of book levels as a fraction of the price (50 levels × 2 bp = 1 % per side).
const LEVEL_SPACING: f64 = 0.000_2;
/// How strongly recent taker imbalance tilts the queue sizes.
const QUEUE_TILT: f64 = 0.6;

/// Best bid at or below `last` on the tick grid, and the ask one tick above it.
fn inside_quote(last: f64, tick: f64) -> (f64, f64) {
    let mut bid = (last / tick).floor() * tick;
    // Division and multiplication round: step down a tick if the product landed above the price.
    if bid > last {
        bid -= tick;
    }
    (bid, bid + tick)
}

/// Taker imbalance `(buy − sell)/(buy + sell)` in [−1, 1], 0 without volume.
fn imbalance(buy: f64, sell: f64) -> f64 {
    let total = buy + sell;
    if total > 0.0 {
        ((buy - sell) / total).clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// Base units resting at one level: the venue's depth per 1 % spread over the levels of one side.
fn level_size(depth_usd_per_pct: f64, price: f64) -> f64 {
    depth_usd_per_pct / BOOK_LEVELS as f64 / price
}

/// A level-1 snapshot at `time_ms`: prices from the last trade, sizes leaning with the recent taker flow.
pub(crate) fn best_quote(
    time_ms: i64,
    last: f64,
    tick: f64,
    depth_usd_per_pct: f64,
    (recent_buy, recent_sell): (f64, f64),
    draws: &mut NormalDraws,
) -> BestQuote {
    let (bid_price, ask_price) = inside_quote(last, tick);
    let tilt = QUEUE_TILT * imbalance(recent_buy, recent_sell);
    let base = level_size(depth_usd_per_pct, last);
    BestQuote {
        time_ms,
        bid_price,
        bid_size: base * (0.5 + draws.uniform()) * (1.0 + tilt),
        ask_price,
        ask_size: base * (0.5 + draws.uniform()) * (1.0 - tilt),
    }
}

/// A snapshot of [`BOOK_LEVELS`] levels per side around `last`, spaced 2 bp (on the tick grid), with sizes that
/// grow away from the touch (thin inside, thicker behind, as in real perp books) and lean with `recent_flow`.
pub(crate) fn order_book(
    time_ms: i64,
    last: f64,
    tick: f64,
    depth_usd_per_pct: f64,
    (recent_buy, recent_sell): (f64, f64),
    draws: &mut NormalDraws,
) -> OrderBook {
    let (best_bid, best_ask) = inside_quote(last, tick);
    let spacing = ((last * LEVEL_SPACING / tick).round() * tick).max(tick);
    let tilt = QUEUE_TILT * imbalance(recent_buy, recent_sell);
    let base = level_size(depth_usd_per_pct, last);
    let mut bids = Vec::with_capacity(BOOK_LEVELS);
    let mut asks = Vec::with_capacity(BOOK_LEVELS);
    for level in 0..BOOK_LEVELS {
        let steps = level as f64;
        // Average profile weight 1 over the 50 levels: 0.5 at the touch rising to 1.5 at 1 %.
        let profile = 0.5 + steps / (BOOK_LEVELS as f64 - 1.0);
        let bid_price = best_bid - steps * spacing;
        if bid_price > 0.0 {
            let size = base * profile * (0.75 + 0.5 * draws.uniform()) * (1.0 + tilt);
            bids.push(BookLevel {
                price: bid_price,
                size,
            });
        }
        let size = base * profile * (0.75 + 0.5 * draws.uniform()) * (1.0 - tilt);
        asks.push(BookLevel {
            price: best_ask + steps * spacing,
            size,
        });
    }
    OrderBook {
        time_ms,
        bids,
        asks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn book_is_sorted_best_first_and_holds_about_the_depth_within_one_percent() {
        let mut draws = NormalDraws::new(3);
        let book = order_book(0, 85_000.05, 0.1, 75.0e6, (0.0, 0.0), &mut draws);
        assert_eq!(
            (book.bids.len(), book.asks.len()),
            (BOOK_LEVELS, BOOK_LEVELS)
        );
        assert!(book.bids.windows(2).all(|w| w[0].price > w[1].price));
        assert!(book.asks.windows(2).all(|w| w[0].price < w[1].price));
        assert!(book.bids[0].price < book.asks[0].price);
        let bid_usd: f64 = book.bids.iter().map(|l| l.price * l.size).sum();
        assert!((bid_usd / 75.0e6 - 1.0).abs() < 0.1, "{bid_usd}");
    }

    #[test]
    fn buying_pressure_thickens_bids_and_thins_asks_at_the_touch() {
        let mut draws = NormalDraws::new(4);
        let mut bid_total = 0.0;
        let mut ask_total = 0.0;
        for _ in 0..200 {
            let quote = best_quote(0, 3_000.0, 0.01, 60.0e6, (9.0, 1.0), &mut draws);
            bid_total += quote.bid_size;
            ask_total += quote.ask_size;
        }
        assert!(bid_total > 2.0 * ask_total);
    }

    proptest! {
        /// The quote brackets the price it was built from and is one tick wide.
        #[test]
        fn quote_brackets_the_last_price(last in 1.0f64..200_000.0, tick_index in 0usize..3) {
            let tick = [0.01, 0.1, 0.5][tick_index];
            let (bid, ask) = inside_quote(last, tick);
            prop_assert!(bid <= last && last < ask + 1e-9 && bid < ask);
            prop_assert!((ask - bid - tick).abs() < 1e-9);
        }
    }
}
