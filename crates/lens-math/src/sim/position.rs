//! An isolated-margin position and where it gets liquidated.

use crate::market::Side;

/// An isolated-margin perp position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Position {
    pub side: Side,
    /// Base units.
    pub quantity: f64,
    pub entry_price: f64,
    /// Margin posted at entry.
    pub initial_margin_usd: f64,
    /// Isolated margin now: the initial margin plus funding received minus funding paid.
    pub margin_usd: f64,
    pub liquidation_price: f64,
    /// Mark price at which a resting stop closes the position, if the account uses one.
    pub stop_price: Option<f64>,
}

impl Position {
    /// Mark price at which something forces the position shut: the stop or the liquidation, whichever comes first.
    pub(crate) fn trigger_price(&self) -> f64 {
        let stop = self.stop_price.unwrap_or(self.liquidation_price);
        match self.side {
            Side::Long => stop.max(self.liquidation_price),
            Side::Short => stop.min(self.liquidation_price),
        }
    }

    /// The trigger price if long, −∞ if short: the branch-free input to the highest long trigger of a book.
    pub(crate) fn long_trigger(&self) -> f64 {
        if self.side == Side::Long {
            self.trigger_price()
        } else {
            f64::NEG_INFINITY
        }
    }

    /// The trigger price if short, +∞ if long.
    pub(crate) fn short_trigger(&self) -> f64 {
        if self.side == Side::Short {
            self.trigger_price()
        } else {
            f64::INFINITY
        }
    }

    /// Unrealised P&L at `price`.
    pub(crate) fn pnl_usd(&self, price: f64) -> f64 {
        self.side.sign() * self.quantity * (price - self.entry_price)
    }

    /// Moves funding into or out of the isolated margin; the liquidation price follows the margin.
    /// Positive `rate` means longs pay.
    pub(crate) fn pay_funding(&mut self, rate: f64, mark: f64, maintenance_margin_rate: f64) {
        self.margin_usd -= self.side.sign() * self.quantity * mark * rate;
        self.liquidation_price = isolated_liquidation_price(
            self.side,
            self.quantity,
            self.entry_price,
            self.margin_usd,
            maintenance_margin_rate,
        );
    }
}

/// Liquidation price of a one-way isolated position with a flat maintenance margin rate (no tier, cum = 0).
///
/// # Formula
/// Long `LP = (Q·EP − W)/(Q·(1 − MMR))`, short `LP = (Q·EP + W)/(Q·(1 + MMR))`, W the isolated margin;
/// with `W = Q·EP/L` this is `EP(1 − 1/L)/(1 − MMR)` and `EP(1 + 1/L)/(1 + MMR)`.
/// Source: Binance USDⓈ-M liquidation-price definitions.
pub(crate) fn isolated_liquidation_price(
    side: Side,
    quantity: f64,
    entry_price: f64,
    margin_usd: f64,
    maintenance_margin_rate: f64,
) -> f64 {
    let notional = quantity * entry_price;
    match side {
        Side::Long => (notional - margin_usd) / (quantity * (1.0 - maintenance_margin_rate)),
        Side::Short => (notional + margin_usd) / (quantity * (1.0 + maintenance_margin_rate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hand-checked with Python: 65,000 × (1 − 1/10)/(1 − 0.005) = 58,793.969…, and the short mirror
    /// 65,000 × 1.1/1.005 = 71,144.278….
    #[test]
    fn liquidation_price_matches_isolated_formula_at_ten_times() {
        let quantity = 4.0;
        let margin = quantity * 65_000.0 / 10.0;
        let long = isolated_liquidation_price(Side::Long, quantity, 65_000.0, margin, 0.005);
        let short = isolated_liquidation_price(Side::Short, quantity, 65_000.0, margin, 0.005);
        assert!((long - 58_793.969_849).abs() < 1e-5, "{long}");
        assert!((short - 71_144.278_607).abs() < 1e-5, "{short}");
    }

    /// Glossary term 2: distance for a long is `1 − (1 − 1/L)/(1 − MMR)`, for a short `(1 + 1/L)/(1 + MMR) − 1`.
    #[test]
    fn liquidation_distance_matches_glossary_term_2() {
        for leverage in [2.0, 5.0, 20.0, 50.0] {
            let margin = 100.0 / leverage;
            let long = isolated_liquidation_price(Side::Long, 1.0, 100.0, margin, 0.004);
            let short = isolated_liquidation_price(Side::Short, 1.0, 100.0, margin, 0.004);
            let long_distance = 1.0 - (1.0 - 1.0 / leverage) / (1.0 - 0.004);
            let short_distance = (1.0 + 1.0 / leverage) / (1.0 + 0.004) - 1.0;
            assert!((1.0 - long / 100.0 - long_distance).abs() < 1e-12);
            assert!((short / 100.0 - 1.0 - short_distance).abs() < 1e-12);
        }
    }

    fn ten_times_long() -> Position {
        Position {
            side: Side::Long,
            quantity: 1.0,
            entry_price: 100.0,
            initial_margin_usd: 10.0,
            margin_usd: 10.0,
            liquidation_price: isolated_liquidation_price(Side::Long, 1.0, 100.0, 10.0, 0.005),
            stop_price: Some(95.0),
        }
    }

    /// Paying 0.1 % of 100 moves 0.1 out of the margin: LP = (100 − 9.9)/0.995 = 90.552…, up from 90.452….
    #[test]
    fn paying_funding_moves_a_long_liquidation_price_up() {
        let mut position = ten_times_long();
        position.pay_funding(0.001, 100.0, 0.005);
        assert!((position.margin_usd - 9.9).abs() < 1e-12);
        assert!((position.liquidation_price - 90.1 / 0.995).abs() < 1e-9);
    }

    #[test]
    fn trigger_is_the_nearer_of_stop_and_liquidation() {
        let position = ten_times_long();
        assert_eq!(position.trigger_price(), 95.0);
        assert_eq!(position.long_trigger(), 95.0);
        assert_eq!(position.short_trigger(), f64::INFINITY);
        let unstopped = Position {
            stop_price: None,
            ..position
        };
        assert_eq!(unstopped.trigger_price(), unstopped.liquidation_price);
    }

    proptest! {
        /// A long's liquidation price sits below entry and a short's above, for any leverage the mix can produce.
        #[test]
        fn liquidation_price_sits_on_the_losing_side(leverage in 1.01f64..50.0, mmr in 0.001f64..0.0199) {
            let margin = 100.0 / leverage;
            let long = isolated_liquidation_price(Side::Long, 1.0, 100.0, margin, mmr);
            let short = isolated_liquidation_price(Side::Short, 1.0, 100.0, margin, mmr);
            prop_assert!(long < 100.0 && short > 100.0);
        }
    }
}
