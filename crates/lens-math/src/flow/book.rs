//! Imbalance read from one snapshot of the book: queue imbalance at the best quotes, the weighted mid, and
//! depth imbalance inside a price band around the mid.

use super::{BookSide, check_best_quote, check_book_side, check_price};
use crate::error::{MathError, Result, ensure_finite};
use crate::market::{BestQuote, BookLevel, OrderBook};

/// Queue imbalance in its ratio form: the bid's share of the two best queues.
///
/// # Formula
/// `I = q^B / (q^B + q^A)`, in [0, 1] (Gould & Bonart, "Queue imbalance as a one-tick-ahead price predictor
/// in a limit order book", arXiv 1512.03492). Above ½ the bid queue is the larger one.
///
/// # Errors
/// The quote errors of [`super::ofi_contribution`]; [`MathError::InvalidParameter`] when both queues are empty.
///
/// ```
/// use lens_math::flow::queue_imbalance;
/// use lens_math::market::BestQuote;
/// let quote = BestQuote { time_ms: 0, bid_price: 100.0, bid_size: 1.0, ask_price: 101.0, ask_size: 3.0 };
/// assert_eq!(queue_imbalance(&quote)?, 0.25);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn queue_imbalance(quote: &BestQuote) -> Result<f64> {
    let total = best_queues_total(quote)?;
    Ok(quote.bid_size / total)
}

/// Queue imbalance in its signed form, in [−1, 1].
///
/// # Formula
/// `Ĩ = (q^B − q^A) / (q^B + q^A) = 2I − 1` (Gould & Bonart, arXiv 1512.03492).
///
/// # Errors
/// As [`queue_imbalance`].
///
/// ```
/// use lens_math::flow::signed_queue_imbalance;
/// use lens_math::market::BestQuote;
/// let quote = BestQuote { time_ms: 0, bid_price: 100.0, bid_size: 1.0, ask_price: 101.0, ask_size: 3.0 };
/// assert_eq!(signed_queue_imbalance(&quote)?, -0.5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn signed_queue_imbalance(quote: &BestQuote) -> Result<f64> {
    let total = best_queues_total(quote)?;
    Ok((quote.bid_size - quote.ask_size) / total)
}

/// Size-weighted mid price, which leans toward the side with the thinner queue.
///
/// # Formula
/// `μ = (P^A·q^B + P^B·q^A) / (q^B + q^A) = mid + (spread / 2)·Ĩ` (Stoikov's weighted mid). Often called
/// "microprice"; Stoikov's (2018) micro-price proper is a model-based refinement, so this is labelled
/// "weighted mid".
///
/// # Errors
/// As [`queue_imbalance`].
///
/// ```
/// use lens_math::flow::weighted_mid;
/// use lens_math::market::BestQuote;
/// // The glossary's example: bid 100 × 1, ask 101 × 3 → 100.25, below the plain mid of 100.5.
/// let quote = BestQuote { time_ms: 0, bid_price: 100.0, bid_size: 1.0, ask_price: 101.0, ask_size: 3.0 };
/// assert_eq!(weighted_mid(&quote)?, 100.25);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn weighted_mid(quote: &BestQuote) -> Result<f64> {
    let total = best_queues_total(quote)?;
    let weighted = quote.ask_price * quote.bid_size + quote.bid_price * quote.ask_size;
    ensure_finite("weighted mid", weighted / total)
}

fn best_queues_total(quote: &BestQuote) -> Result<f64> {
    check_best_quote(quote)?;
    let total = ensure_finite("best queue sizes", quote.bid_size + quote.ask_size)?;
    if total > 0.0 {
        Ok(total)
    } else {
        Err(MathError::InvalidParameter {
            name: "best queue sizes",
            reason: "both queues are empty",
        })
    }
}

/// Depth imbalance: net bid depth as a share of all depth within a band around the mid.
///
/// # Formula
/// ```text
/// mid = (best bid + best ask) / 2
/// in band ⇔ |price − mid| / mid ≤ band        (boundaries included)
/// DI  = (Σ bid sizes in band − Σ ask sizes in band) / (Σ bid sizes in band + Σ ask sizes in band)
/// ```
/// In [−1, 1], positive when more size rests on the bid (the nautilus imbalance actor and
/// the "bid-ask delta" views of aggr and Coinglass). The band is a free choice; state it with the number.
/// The distance is compared as a fraction of the mid because `100 · (1 − 0.005)` is not exactly 99.5 in
/// floating point, while `0.5 / 100` is exactly the double nearest 0.005, so a level quoted on the boundary
/// stays in.
///
/// ```
/// use lens_math::flow::DepthImbalance;
/// use lens_math::market::{BookLevel, OrderBook};
/// let l = |price, size| BookLevel { price, size };
/// let bids = vec![l(99.9, 4.0), l(99.5, 6.0), l(99.0, 50.0)];
/// let book = OrderBook { time_ms: 0, bids, asks: vec![l(100.1, 3.0)] };
/// // ±0.5 % around the mid 100.0 keeps bids at 99.9 and 99.5 (the boundary) and leaves out 99.0.
/// let di = DepthImbalance::new(0.005)?.compute(&book)?;
/// assert!((di - (10.0 - 3.0) / 13.0).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DepthImbalance {
    band_fraction: f64,
}

impl DepthImbalance {
    /// Depth within `band_fraction` of the mid on either side (0.005 = ±0.5 %).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] unless `0 < band_fraction ≤ 1`.
    pub fn new(band_fraction: f64) -> Result<Self> {
        if band_fraction > 0.0 && band_fraction <= 1.0 {
            Ok(Self { band_fraction })
        } else {
            Err(MathError::InvalidParameter {
                name: "depth band",
                reason: "must be a fraction of the mid in (0, 1]",
            })
        }
    }

    /// Half-width of the band as a fraction of the mid.
    pub fn band_fraction(&self) -> f64 {
        self.band_fraction
    }

    /// DI of one snapshot.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] when a side is empty; [`MathError::NotFinite`] /
    /// [`MathError::InvalidParameter`] for a bad price or size, or a side not listed best first;
    /// [`MathError::InvalidParameter`] when no size rests within the band.
    pub fn compute(&self, book: &OrderBook) -> Result<f64> {
        check_book_side(&book.bids, BookSide::Bids)?;
        check_book_side(&book.asks, BookSide::Asks)?;
        let (Some(best_bid), Some(best_ask)) = (book.bids.first(), book.asks.first()) else {
            return Err(MathError::NotEnoughData { needed: 1, got: 0 });
        };
        let mid = (best_bid.price + best_ask.price) / 2.0;
        check_price("mid price", mid)?;
        let bid_depth = self.depth_within_band(&book.bids, mid);
        let ask_depth = self.depth_within_band(&book.asks, mid);
        let total = ensure_finite("depth within band", bid_depth + ask_depth)?;
        if total > 0.0 {
            Ok((bid_depth - ask_depth) / total)
        } else {
            Err(MathError::InvalidParameter {
                name: "depth within band",
                reason: "no size rests within the band",
            })
        }
    }

    /// Size of the levels within the band. Every level is tested, not only a run from the best one, because in
    /// a crossed book the best level can sit outside the band while the next one is inside.
    fn depth_within_band(&self, levels: &[BookLevel], mid: f64) -> f64 {
        levels
            .iter()
            .filter(|level| (level.price - mid).abs() / mid <= self.band_fraction)
            .map(|level| level.size)
            .sum()
    }
}

#[cfg(test)]
mod tests;
