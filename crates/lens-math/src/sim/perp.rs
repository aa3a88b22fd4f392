//! How one venue's perp price moves: market orders walk a linear book, the premium over the index decays by
//! arbitrage toward what the liquidity providers' inventory demands, and the mark is a smoothed premium on the
//! index.
//!
//! - **Impact through depth.** A market order of `U` USD moves the venue's price by `U / depth_1%` percent
//!   (a book with constant depth per price step, so the average fill is the midpoint of the move). This is the
//!   linear impact that the OFI literature finds (slope inversely proportional to depth) and the `K` of the
//!   systemic-risk page (USD of selling per 1 % move).
//! - **Pass-through.** Arbitrageurs carry part of every perp order to spot, so the index moves by
//!   [`PASS_THROUGH`] of the order's impact measured on the depth of all venues together. Without it a liquidation
//!   cascade would only make a wick on one venue; with it forced selling anywhere lowers every venue's price,
//!   which is how real cascades spread.
//! - **Premium decay and inventory target.** The premium `p = last/index − 1` decays each minute by
//!   [`PREMIUM_DECAY_PER_MINUTE`] toward a target proportional to the net position the liquidity providers hold
//!   against the traders: when traders are net long, the providers are short and quote the perp rich until
//!   funding pays them for it. This is what makes funding follow crowding.
//! - **Mark.** `mark = index × (1 + EMA(p))`, a few-minute smoothing like Binance's moving-average basis, so a
//!   single print does not liquidate anyone but a sustained move does.

use crate::market::Bar;

/// Flows meet `depth × BOOK_RESILIENCE` over a minute: the book refills while they trade, and snapshots (quotes,
/// the final book) show the visible depth only.
pub(crate) use crate::spiral::BOOK_RESILIENCE;
/// Share of a perp order's price impact that arbitrage carries into the index.
pub(crate) const PASS_THROUGH: f64 = 0.4;
/// Share of the gap between the premium and its target closed each minute (half-life ≈ 6.6 minutes).
pub(crate) const PREMIUM_DECAY_PER_MINUTE: f64 = 0.1;
/// Weight of the newest premium in the mark's moving average (≈ 3-minute EMA).
pub(crate) const MARK_SMOOTHING_PER_MINUTE: f64 = 0.3;
/// Premium the liquidity providers ask per unit of inventory, inventory measured as the percent price move it
/// would cause if dumped (net trader position USD ÷ depth per 1 %).
pub(crate) const PREMIUM_PER_INVENTORY_DEPTH: f64 = 0.000_8;
/// Liquidity providers never ask more than this premium (+10 bp) for a short inventory, nor quote the perp more
/// than 7 bp cheap for a long one: with `F = P + clamp(I − P, ±0.05 %)` funding then stays within about −0.02 %
/// and +0.05 % per 8 h outside a cascade. The asymmetry is the funding record's (`CALIBRATION.md`): January 2025's
/// rallies lifted funding to +0.035 %, its sell-offs took it to −0.0128 %.
const MAX_INVENTORY_PREMIUM: f64 = 0.001;
const MIN_INVENTORY_PREMIUM: f64 = -0.000_7;
/// No single order moves a price by more than this fraction (keeps prices positive whatever the config).
const MAX_MOVE_PER_ORDER: f64 = 0.2;

/// Depth of one asset's perps summed over venues, kept as the index move per USD of perp order flow (the
/// pass-through share of `1 % / depth`), so the hot loop multiplies instead of dividing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AssetDepth {
    index_move_per_usd: f64,
}

impl AssetDepth {
    /// From the visible depth of all venues together (the flow meets it `BOOK_RESILIENCE` times over).
    pub(crate) fn new(total_usd_per_pct: f64) -> Self {
        Self {
            index_move_per_usd: PASS_THROUGH * 0.01 / (total_usd_per_pct * BOOK_RESILIENCE),
        }
    }
}

/// Open, high, low, close and taker volume of the hour in progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BarBuilder {
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    volume: f64,
    taker_buy_volume: f64,
}

impl BarBuilder {
    pub(crate) fn new(open: f64) -> Self {
        Self {
            open,
            high: open,
            low: open,
            close: open,
            volume: 0.0,
            taker_buy_volume: 0.0,
        }
    }

    /// A price the market traded or stood at.
    pub(crate) fn track(&mut self, price: f64) {
        self.high = self.high.max(price);
        self.low = self.low.min(price);
        self.close = price;
    }

    pub(crate) fn add_volume(&mut self, quantity: f64, taker_buy_quantity: f64) {
        self.volume += quantity;
        self.taker_buy_volume += taker_buy_quantity;
    }

    pub(crate) fn close(&self) -> f64 {
        self.close
    }

    pub(crate) fn open(&self) -> f64 {
        self.open
    }

    /// The finished bar; the builder restarts at the close.
    pub(crate) fn finish(&mut self, open_time_ms: i64) -> Bar {
        let bar = Bar {
            open_time_ms,
            open: self.open,
            high: self.high,
            low: self.low,
            close: self.close,
            volume: self.volume,
            taker_buy_volume: self.taker_buy_volume.min(self.volume),
        };
        *self = Self::new(self.close);
        bar
    }
}

/// Price state of one perp.
#[derive(Debug, Clone)]
pub(crate) struct PerpPrice {
    pub premium: f64,
    pub premium_ema: f64,
    pub premium_target: f64,
    /// The depth a snapshot shows (USD within 1 % of the price, one side).
    pub depth_usd_per_pct: f64,
    /// `1 % / (depth × resilience)`: the fractional price move per USD of market order.
    move_per_usd: f64,
    pub bar: BarBuilder,
    /// Taker buy and sell quantity since the last quote snapshot (tilts the quoted sizes).
    pub recent_buy: f64,
    pub recent_sell: f64,
}

impl PerpPrice {
    pub(crate) fn new(index: f64, depth_usd_per_pct: f64) -> Self {
        Self {
            premium: 0.0,
            premium_ema: 0.0,
            premium_target: 0.0,
            depth_usd_per_pct,
            move_per_usd: 0.01 / (depth_usd_per_pct * BOOK_RESILIENCE),
            bar: BarBuilder::new(index),
            recent_buy: 0.0,
            recent_sell: 0.0,
        }
    }

    pub(crate) fn last(&self, index: f64) -> f64 {
        index * (1.0 + self.premium)
    }

    pub(crate) fn mark(&self, index: f64) -> f64 {
        index * (1.0 + self.premium_ema)
    }

    /// Executes a market order of `signed_quantity` base units (+ buy, − sell): moves this venue's price by the
    /// order's impact and the index by the pass-through. Returns the average fill price (midpoint of the walk).
    pub(crate) fn fill(&mut self, signed_quantity: f64, index: &mut f64, depth: AssetDepth) -> f64 {
        let before = self.last(*index);
        let order_usd = signed_quantity * before;
        let venue_move =
            (order_usd * self.move_per_usd).clamp(-MAX_MOVE_PER_ORDER, MAX_MOVE_PER_ORDER);
        let index_move =
            (order_usd * depth.index_move_per_usd).clamp(-MAX_MOVE_PER_ORDER, MAX_MOVE_PER_ORDER);
        let after = before * (1.0 + venue_move);
        *index *= 1.0 + index_move;
        self.premium = after / *index - 1.0;
        self.bar.track(before);
        self.bar.track(after);
        let quantity = signed_quantity.abs();
        if signed_quantity > 0.0 {
            self.bar.add_volume(quantity, quantity);
            self.recent_buy += quantity;
        } else {
            self.bar.add_volume(quantity, 0.0);
            self.recent_sell += quantity;
        }
        0.5 * (before + after)
    }

    /// End of a minute: the premium decays toward its target and the mark's average takes the new premium.
    pub(crate) fn relax(&mut self, index: f64) {
        self.premium += PREMIUM_DECAY_PER_MINUTE * (self.premium_target - self.premium);
        self.premium_ema += MARK_SMOOTHING_PER_MINUTE * (self.premium - self.premium_ema);
        self.bar.track(self.last(index));
    }

    /// Premium the liquidity providers ask for holding the other side of `net_trader_position_usd`.
    pub(crate) fn set_inventory_target(&mut self, net_trader_position_usd: f64) {
        let inventory_depth = net_trader_position_usd / (self.depth_usd_per_pct * BOOK_RESILIENCE);
        self.premium_target = (PREMIUM_PER_INVENTORY_DEPTH * inventory_depth)
            .clamp(MIN_INVENTORY_PREMIUM, MAX_INVENTORY_PREMIUM);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buy_worth_the_depth_lifts_the_venue_one_percent_and_the_index_by_the_pass_through() {
        let depth = AssetDepth::new(2.0e6 / BOOK_RESILIENCE);
        let mut perp = PerpPrice::new(100.0, 1.0e6 / BOOK_RESILIENCE);
        let mut index = 100.0;
        // 10,000 units at 100 = 1e6 USD = one venue-depth of order flow (the visible depth refilled 20 times).
        let fill = perp.fill(10_000.0, &mut index, depth);
        assert!((perp.last(index) - 101.0).abs() < 1e-9);
        assert!((index - 100.0 * (1.0 + PASS_THROUGH * 0.005)).abs() < 1e-9);
        assert!((fill - 100.5).abs() < 1e-9);
        let bar = perp.bar.finish(0);
        assert_eq!(
            (bar.low, bar.high, bar.volume, bar.taker_buy_volume),
            (100.0, 101.0, 10_000.0, 10_000.0)
        );
    }

    #[test]
    fn premium_decays_toward_the_inventory_target() {
        let mut perp = PerpPrice::new(100.0, 1.0e6);
        perp.premium = 0.01;
        perp.set_inventory_target(1.0e6 * BOOK_RESILIENCE);
        for _ in 0..200 {
            perp.relax(100.0);
        }
        assert!((perp.premium - PREMIUM_PER_INVENTORY_DEPTH).abs() < 1e-9);
        assert!((perp.premium_ema - perp.premium).abs() < 1e-9);
    }

    /// A crowd however large pays a bounded premium, and a net-short crowd a smaller discount than a net-long
    /// crowd's premium (the asymmetry of January 2025's funding).
    #[test]
    fn inventory_premium_is_clamped_asymmetrically() {
        let mut perp = PerpPrice::new(100.0, 1.0e6);
        perp.set_inventory_target(1.0e12);
        assert_eq!(perp.premium_target, MAX_INVENTORY_PREMIUM);
        perp.set_inventory_target(-1.0e12);
        assert_eq!(perp.premium_target, MIN_INVENTORY_PREMIUM);
        assert!(MIN_INVENTORY_PREMIUM.abs() < MAX_INVENTORY_PREMIUM);
    }

    #[test]
    fn bar_builder_keeps_open_and_close_inside_high_and_low() {
        let mut bar = BarBuilder::new(10.0);
        for price in [11.0, 9.0, 10.5] {
            bar.track(price);
        }
        bar.add_volume(3.0, 5.0);
        let finished = bar.finish(7);
        assert!(finished.is_valid());
        assert_eq!(
            (finished.open, finished.high, finished.low, finished.close),
            (10.0, 11.0, 9.0, 10.5)
        );
        assert_eq!(bar.open(), 10.5);
    }
}
