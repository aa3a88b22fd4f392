//! A liquidation cascade: a price shock liquidates the positions whose liquidation price it crosses, their forced
//! market orders move the price further through the order book, and the loop repeats until it stops by itself
//! or one side of the book is gone.
//!
//! # Impact model and why
//! The book holds `K` USD of resting orders per 1 % of the *prevailing* price on each side (bids absorb forced
//! sells, asks absorb forced buys), so a forced order of `N` USD moves the log price by `N / (100·K)`:
//! `P′ = P·exp(∓0.01·N/K)`. This is the linear-depth rule `ΔP/P = 0.01·N/K` of the systemic-leverage-risk page
//! for moves of a few percent, but it never crosses zero and the total impact does not depend on how a sale is
//! split into pieces. Book depth rather than a square-root law (Almgren et al. 2005; Tóth et al. 2011) because
//! liquidation engines send market orders into the visible book at once, while the square-root law describes
//! metaorders worked over hours against daily volume; `K` is also what a user can read off an order book (the
//! USD resting within 1 % of mid). Forced orders are valued at the price at which their round fires.
//!
//! Liquidation prices use Binance's one-way isolated formula with maintenance amount `cum = 0`; see
//! [`isolated_liquidation_price`](super::isolated_liquidation_price).

use super::position::LeveragedPosition;
use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::market::Side;

/// Resting depth on each side of the order book, in USD per 1 % of the prevailing price.
///
/// # Formula
/// A forced sell of `N` USD gives `P′ = P·exp(−0.01·N/K_bid)`; a forced buy `P′ = P·exp(+0.01·N/K_ask)`
/// (module docs explain the choice).
///
/// ```
/// use lens_math::spiral::BookDepth;
/// let depth = BookDepth::symmetric(1_000_000.0)?;
/// // Selling 1 M USD into 1 M USD per 1 % moves the log price by 1 %.
/// assert!((depth.price_after_sell(100.0, 1_000_000.0)? - 100.0 * (-0.01f64).exp()).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BookDepth {
    bid_usd_per_pct: f64,
    ask_usd_per_pct: f64,
}

impl BookDepth {
    /// Depth on the bid side (absorbs sells) and the ask side (absorbs buys).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] when either depth is not a positive finite number.
    pub fn new(bid_usd_per_pct: f64, ask_usd_per_pct: f64) -> Result<Self> {
        ensure_positive("bid depth", bid_usd_per_pct)?;
        ensure_positive("ask depth", ask_usd_per_pct)?;
        Ok(Self {
            bid_usd_per_pct,
            ask_usd_per_pct,
        })
    }

    /// The same depth on both sides.
    ///
    /// # Errors
    /// As [`BookDepth::new`].
    pub fn symmetric(usd_per_pct: f64) -> Result<Self> {
        Self::new(usd_per_pct, usd_per_pct)
    }

    /// USD of bids per 1 % of price.
    pub fn bid_usd_per_pct(&self) -> f64 {
        self.bid_usd_per_pct
    }

    /// USD of asks per 1 % of price.
    pub fn ask_usd_per_pct(&self) -> f64 {
        self.ask_usd_per_pct
    }

    /// Price after a market sell of `notional_usd` walks the bids.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a price that is not positive or a notional that is negative;
    /// [`MathError::NotFinite`] for NaN/∞.
    pub fn price_after_sell(&self, price: f64, notional_usd: f64) -> Result<f64> {
        check_trade(price, notional_usd)?;
        Ok(self.after_sell(price, notional_usd))
    }

    /// Price after a market buy of `notional_usd` walks the asks.
    ///
    /// # Errors
    /// As [`BookDepth::price_after_sell`], plus [`MathError::NotFinite`] when the result overflows.
    pub fn price_after_buy(&self, price: f64, notional_usd: f64) -> Result<f64> {
        check_trade(price, notional_usd)?;
        ensure_finite("price after buy", self.after_buy(price, notional_usd))
    }

    fn after_sell(&self, price: f64, notional_usd: f64) -> f64 {
        price * (-0.01 * notional_usd / self.bid_usd_per_pct).exp()
    }

    fn after_buy(&self, price: f64, notional_usd: f64) -> f64 {
        price * (0.01 * notional_usd / self.ask_usd_per_pct).exp()
    }
}

fn check_trade(price: f64, notional_usd: f64) -> Result<()> {
    ensure_positive("price", price)?;
    if ensure_finite("notional", notional_usd)? < 0.0 {
        return Err(MathError::InvalidParameter {
            name: "notional",
            reason: "must not be negative",
        });
    }
    Ok(())
}

/// Why a cascade ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CascadeStop {
    /// A round crossed no further liquidation price (the shock was absorbed).
    NoNewLiquidations,
    /// Every position on the side under pressure was liquidated.
    SideWipedOut,
}

/// One round of a cascade: the liquidations fired at `trigger_price` and where their orders left the price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CascadeRound {
    /// 0 for the round fired by the exogenous shock itself.
    pub round: usize,
    /// Side of the positions liquidated (longs are sold, shorts bought back).
    pub side: Side,
    /// Price at which this round's liquidations fire.
    pub trigger_price: f64,
    /// Positions liquidated in this round.
    pub positions_liquidated: usize,
    /// Base units liquidated in this round.
    pub volume_base: f64,
    /// `volume_base × trigger_price`.
    pub volume_usd: f64,
    /// Price after the round's forced orders walked the book.
    pub price_after: f64,
}

/// Result of [`PositionBook::cascade`].
#[derive(Debug, Clone, PartialEq)]
pub struct Cascade {
    /// Reference price, shocked price, then the price after each round.
    pub price_path: Vec<f64>,
    /// Every round that liquidated something.
    pub rounds: Vec<CascadeRound>,
    /// Why the cascade ended.
    pub stop: CascadeStop,
}

impl Cascade {
    /// Last price of the path.
    pub fn final_price(&self) -> f64 {
        self.price_path.last().copied().unwrap_or(f64::NAN)
    }

    /// Base units liquidated over all rounds.
    pub fn total_volume_base(&self) -> f64 {
        self.rounds.iter().map(|r| r.volume_base).sum()
    }

    /// USD liquidated over all rounds, each round at its trigger price.
    pub fn total_volume_usd(&self) -> f64 {
        self.rounds.iter().map(|r| r.volume_usd).sum()
    }

    /// Positions liquidated over all rounds.
    pub fn total_positions_liquidated(&self) -> usize {
        self.rounds.iter().map(|r| r.positions_liquidated).sum()
    }
}

/// Liquidation prices of one side, in the order a move away from the reference price reaches them, with prefix
/// sums of size so a round's volume is one subtraction.
#[derive(Debug, Clone, Default, PartialEq)]
struct SideLevels {
    liquidation_prices: Vec<f64>,
    cumulative_base: Vec<f64>,
}

impl SideLevels {
    fn build(mut levels: Vec<(f64, f64)>, descending: bool) -> Self {
        // Sorting on (price, size) makes the order, and so every floating-point sum, independent of input order.
        crate::sort::sort_by(&mut levels, |a, b| {
            a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
        });
        if descending {
            levels.reverse();
        }
        let mut cumulative_base = Vec::with_capacity(levels.len() + 1);
        let mut running = 0.0;
        cumulative_base.push(running);
        for &(_, size) in &levels {
            running += size;
            cumulative_base.push(running);
        }
        Self {
            liquidation_prices: levels.into_iter().map(|(lp, _)| lp).collect(),
            cumulative_base,
        }
    }

    fn len(&self) -> usize {
        self.liquidation_prices.len()
    }

    fn base_between(&self, from: usize, to: usize) -> f64 {
        match (self.cumulative_base.get(to), self.cumulative_base.get(from)) {
            (Some(hi), Some(lo)) => hi - lo,
            _ => 0.0,
        }
    }
}

/// A book of leveraged positions sorted once by liquidation price, ready for any number of cascades.
///
/// # Formula
/// Round `r` fires at price `P_r`: every long with `LP ≥ P_r` (after a fall) or short with `LP ≤ P_r` (after a
/// rise) not yet liquidated is closed at market; the round's notional `N_r = P_r·Σ size` moves the price through
/// [`BookDepth`]; stop when a round crosses no new level or the side is empty. Each round is a binary search from
/// where the previous one stopped, so a cascade costs `O(rounds · log n)` after the `O(n log n)` build.
///
/// ```
/// use lens_math::market::Side;
/// use lens_math::spiral::{BookDepth, CascadeStop, LeveragedPosition, PositionBook};
/// let book = PositionBook::new(&[
///     LeveragedPosition::new(Side::Long, 50.0, 100.0, 20.0, 0.0)?, // LP 95
///     LeveragedPosition::new(Side::Long, 1.0, 100.0, 10.0, 0.0)?,  // LP 90
/// ]);
/// let cascade = book.cascade(100.0, -0.06, &BookDepth::symmetric(1_000.0)?)?;
/// assert_eq!(cascade.total_positions_liquidated(), 2); // the first round's selling reaches 90
/// assert_eq!(cascade.stop, CascadeStop::SideWipedOut);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PositionBook {
    longs: SideLevels,
    shorts: SideLevels,
}

impl PositionBook {
    /// Sorts the positions by liquidation price, per side. Cannot fail: every [`LeveragedPosition`] was
    /// validated when it was built.
    pub fn new(positions: &[LeveragedPosition]) -> Self {
        let (mut longs, mut shorts) = (Vec::new(), Vec::new());
        for p in positions {
            let level = (p.liquidation_price(), p.size_base());
            match p.side() {
                Side::Long => longs.push(level),
                Side::Short => shorts.push(level),
            }
        }
        Self {
            longs: SideLevels::build(longs, true),
            shorts: SideLevels::build(shorts, false),
        }
    }

    /// Number of long positions.
    pub fn long_count(&self) -> usize {
        self.longs.len()
    }

    /// Number of short positions.
    pub fn short_count(&self) -> usize {
        self.shorts.len()
    }

    /// Runs the cascade that a move of `shock` (a fraction: −0.05 for −5 %) from `reference_price` sets off.
    /// Positions already past their liquidation price at the reference price are liquidated in round 0 of a
    /// shock in their direction; a shock of exactly 0 liquidates nothing.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a reference price that is not positive or a shock that is not in
    /// (−1, ∞); [`MathError::NotFinite`] if forced buying overflows the price (ask depth absurdly thin).
    pub fn cascade(&self, reference_price: f64, shock: f64, depth: &BookDepth) -> Result<Cascade> {
        ensure_positive("reference price", reference_price)?;
        ensure_finite("shock", shock)?;
        if shock <= -1.0 {
            return Err(MathError::InvalidParameter {
                name: "shock",
                reason: "must be above −100 %",
            });
        }
        let mut price = reference_price * (1.0 + shock);
        let mut price_path = vec![reference_price, price];
        let mut rounds = Vec::new();
        let (levels, side) = match shock.partial_cmp(&0.0) {
            Some(std::cmp::Ordering::Less) => (&self.longs, Side::Long),
            Some(std::cmp::Ordering::Greater) => (&self.shorts, Side::Short),
            _ => {
                return Ok(Cascade {
                    price_path,
                    rounds,
                    stop: CascadeStop::NoNewLiquidations,
                });
            }
        };
        let mut next = 0usize;
        let stop = loop {
            if next >= levels.len() {
                break CascadeStop::SideWipedOut;
            }
            let remaining = levels.liquidation_prices.get(next..).unwrap_or_default();
            let crossed = match side {
                Side::Long => remaining.partition_point(|&lp| lp >= price),
                Side::Short => remaining.partition_point(|&lp| lp <= price),
            };
            if crossed == 0 {
                break CascadeStop::NoNewLiquidations;
            }
            let volume_base = levels.base_between(next, next + crossed);
            let volume_usd = volume_base * price;
            let price_after = match side {
                Side::Long => depth.after_sell(price, volume_usd),
                Side::Short => depth.after_buy(price, volume_usd),
            };
            if !price_after.is_finite() {
                return Err(MathError::NotFinite {
                    name: "cascade price (forced buying exceeds the ask depth)",
                });
            }
            rounds.push(CascadeRound {
                round: rounds.len(),
                side,
                trigger_price: price,
                positions_liquidated: crossed,
                volume_base,
                volume_usd,
                price_after,
            });
            price_path.push(price_after);
            price = price_after;
            next += crossed;
        };
        Ok(Cascade {
            price_path,
            rounds,
            stop,
        })
    }
}

#[cfg(test)]
mod tests;
