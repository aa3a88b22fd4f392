//! Order flow: who is pushing the price, read from the book and from aggressive trades.
//!
//! | module | what it computes |
//! |---|---|
//! | [`ofi`] | Cont–Kukanov–Stoikov OFI from best quotes, per time bucket, and its price-impact regression |
//! | [`multi_level`] | the same rule on each of the first M book levels (Xu, Gould & Howison), and its regression |
//! | [`taker`] | taker imbalance and cumulative volume delta from klines, Binance's taker buy/sell ratio |
//! | [`book`] | queue imbalance, weighted mid and depth imbalance inside a price band, from one snapshot |
//!
//! Sizes are in whatever unit the venue reports (coins or contracts); convert to coins before comparing venues.

pub mod book;
mod buckets;
pub mod multi_level;
pub mod ofi;
mod ols;
pub mod taker;

pub use book::{DepthImbalance, queue_imbalance, signed_queue_imbalance, weighted_mid};
pub use multi_level::{MultiLevelOfi, MultiLevelOfiSeries, MultiLevelRegression};
pub use ofi::{
    OfiRegression, OfiSeries, OrderFlowImbalance, ofi_contribution, order_flow_imbalance,
};
pub use taker::{cumulative_volume_delta, taker_buy_sell_ratio, taker_imbalance};

use crate::error::{MathError, Result, ensure_finite};
use crate::market::{BestQuote, BookLevel};

/// Rejects a price that is NaN, infinite, zero or negative.
fn check_price(name: &'static str, price: f64) -> Result<()> {
    ensure_finite(name, price)?;
    if price > 0.0 {
        Ok(())
    } else {
        Err(MathError::InvalidParameter {
            name,
            reason: "must be positive",
        })
    }
}

/// Rejects a size that is NaN, infinite or negative (an empty queue, size 0, is allowed).
fn check_size(name: &'static str, size: f64) -> Result<()> {
    ensure_finite(name, size)?;
    if size >= 0.0 {
        Ok(())
    } else {
        Err(MathError::InvalidParameter {
            name,
            reason: "must not be negative",
        })
    }
}

/// A best quote the formulas can use: positive finite prices, non-negative finite sizes. A crossed or locked
/// quote is let through, since feeds do show them for a moment and the formulas stay defined.
fn check_best_quote(quote: &BestQuote) -> Result<()> {
    check_price("bid price", quote.bid_price)?;
    check_price("ask price", quote.ask_price)?;
    check_size("bid size", quote.bid_size)?;
    check_size("ask size", quote.ask_size)
}

/// Which way prices must move from one level to the next when a side is listed best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BookSide {
    Bids,
    Asks,
}

/// Checks the levels of one side: valid prices and sizes, best first with strictly worsening prices.
fn check_book_side(levels: &[BookLevel], side: BookSide) -> Result<()> {
    let (price_name, size_name, order_reason) = match side {
        BookSide::Bids => (
            "bid price",
            "bid size",
            "bids must be listed best (highest) first, one level per price",
        ),
        BookSide::Asks => (
            "ask price",
            "ask size",
            "asks must be listed best (lowest) first, one level per price",
        ),
    };
    for level in levels {
        check_price(price_name, level.price)?;
        check_size(size_name, level.size)?;
    }
    let in_order = levels
        .windows(2)
        .all(|pair| match (pair.first(), pair.get(1)) {
            (Some(better), Some(worse)) => match side {
                BookSide::Bids => worse.price < better.price,
                BookSide::Asks => worse.price > better.price,
            },
            _ => true,
        });
    if in_order {
        Ok(())
    } else {
        Err(MathError::InvalidParameter {
            name: "order book",
            reason: order_reason,
        })
    }
}

/// One queue's contribution to the Cont–Kukanov–Stoikov event: the side's new size counts when its price
/// did not fall (bid) or rise (ask), its old size when the price did not rise (bid) or fall (ask). Inclusive
/// inequalities, so an unchanged price counts both terms and the event reduces to the change in size.
///
/// Returns the bid term minus the ask term, i.e. `e_n` for this level.
#[inline]
fn level_event(prev_bid: BookLevel, bid: BookLevel, prev_ask: BookLevel, ask: BookLevel) -> f64 {
    let mut e = 0.0;
    if bid.price >= prev_bid.price {
        e += bid.size;
    }
    if bid.price <= prev_bid.price {
        e -= prev_bid.size;
    }
    if ask.price <= prev_ask.price {
        e -= ask.size;
    }
    if ask.price >= prev_ask.price {
        e += prev_ask.size;
    }
    e
}

fn bid_level(quote: &BestQuote) -> BookLevel {
    BookLevel {
        price: quote.bid_price,
        size: quote.bid_size,
    }
}

fn ask_level(quote: &BestQuote) -> BookLevel {
    BookLevel {
        price: quote.ask_price,
        size: quote.ask_size,
    }
}
