//! The liquidation engine of one venue, and the trigger band that spares it most of its scans.

use super::VenueMarket;
use crate::market::{Liquidation, Side};
use crate::sim::perp::AssetDepth;

impl VenueMarket {
    /// Recomputes the trigger band from every open position.
    pub(super) fn refresh_triggers(&mut self) {
        self.long_trigger = f64::NEG_INFINITY;
        self.short_trigger = f64::INFINITY;
        for position in self.traders.iter().filter_map(|t| t.position.as_ref()) {
            self.long_trigger = self.long_trigger.max(position.long_trigger());
            self.short_trigger = self.short_trigger.min(position.short_trigger());
        }
    }

    /// Moves one funding payment through every isolated margin; the liquidation prices move with it.
    pub(super) fn pay_funding(&mut self, rate: f64, mark: f64) {
        let mmr = self.params.maintenance_margin_rate;
        self.long_trigger = f64::NEG_INFINITY;
        self.short_trigger = f64::INFINITY;
        for position in self.traders.iter_mut().filter_map(|t| t.position.as_mut()) {
            position.pay_funding(rate, mark, mmr);
            self.long_trigger = self.long_trigger.max(position.long_trigger());
            self.short_trigger = self.short_trigger.min(position.short_trigger());
        }
    }

    /// The liquidation engine: every long whose trigger the mark reached (and every short) is closed by a market
    /// order that walks the book, stops as ordinary orders and liquidations as forced ones recorded in the feed.
    /// Returns whether anything was closed, so the caller can look again at the lower (or higher) price.
    pub(crate) fn force_closures(
        &mut self,
        index: &mut f64,
        depth: AssetDepth,
        time_ms: i64,
    ) -> bool {
        let mark = self.price.mark(*index);
        if mark > self.long_trigger && mark < self.short_trigger {
            return false;
        }
        let mut closed_any = false;
        let mut long_trigger = f64::NEG_INFINITY;
        let mut short_trigger = f64::INFINITY;
        for trader in &mut self.traders {
            let Some(position) = trader.position else {
                continue;
            };
            let reached = |price: f64| match position.side {
                Side::Long => mark <= price,
                Side::Short => mark >= price,
            };
            if reached(position.liquidation_price) {
                let fill = self
                    .price
                    .fill(-position.side.sign() * position.quantity, index, depth);
                self.record.liquidations.push(Liquidation {
                    time_ms,
                    side: position.side,
                    price: fill,
                    quantity: position.quantity,
                });
                // The isolated margin is gone; the wallet outside it is untouched.
                trader.position = None;
                closed_any = true;
            } else if position.stop_price.is_some_and(reached) {
                let fill = self
                    .price
                    .fill(-position.side.sign() * position.quantity, index, depth);
                trader.settle(fill);
                closed_any = true;
            } else {
                long_trigger = long_trigger.max(position.long_trigger());
                short_trigger = short_trigger.min(position.short_trigger());
            }
        }
        self.long_trigger = long_trigger;
        self.short_trigger = short_trigger;
        closed_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::agents::{Strategy, Trader};
    use crate::sim::perp::BOOK_RESILIENCE;
    use crate::sim::position::{Position, isolated_liquidation_price};

    fn long_at(leverage: f64, stop_price: Option<f64>) -> Trader {
        let margin = 1_000.0 / leverage;
        Trader {
            strategy: Strategy::Noise,
            leverage,
            margin_fraction: 0.5,
            stop_loss_roe: None,
            conviction: 1.0,
            exit_threshold_z: 1.0,
            retail_bias: 1.0,
            deposit_usd: 1_000.0,
            wallet_usd: 0.0,
            position: Some(Position {
                side: Side::Long,
                quantity: 10.0,
                entry_price: 100.0,
                initial_margin_usd: margin,
                margin_usd: margin,
                liquidation_price: isolated_liquidation_price(
                    Side::Long,
                    10.0,
                    100.0,
                    margin,
                    0.005,
                ),
                stop_price,
            }),
        }
    }

    /// Hand-checked: the 50× long liquidates at 100 × 0.98/0.995 = 98.49; selling 10 × 98.4 = 984 USD moves the
    /// index by 0.4 × 1 % × 984/100 = 3.94 % to 94.53, under the 20× long's 100 × 0.95/0.995 = 95.48: the
    /// forced sale triggers the next liquidation, a cascade of two rounds.
    #[test]
    fn one_forced_sale_liquidates_the_next_long() {
        // A thin venue (flow of 100 USD moves it 1 %: the visible depth times the book's resilience) with a 50×
        // and a 20× long of 1,000 USD each, entered at 100.
        let thin = 100.0 / BOOK_RESILIENCE;
        let mut venue =
            VenueMarket::with_traders(vec![long_at(50.0, None), long_at(20.0, None)], thin);
        let depth = AssetDepth::new(thin);
        let mut index = 98.4;
        assert!(venue.force_closures(&mut index, depth, 0));
        assert_eq!(venue.record.liquidations.len(), 1);
        assert!((index - 98.4 * (1.0 - 0.4 * 0.01 * 9.84)).abs() < 1e-9);
        assert!(venue.force_closures(&mut index, depth, 60_000));
        assert_eq!(venue.record.liquidations.len(), 2);
        let [first, second] = [venue.record.liquidations[0], venue.record.liquidations[1]];
        assert!(first.side == Side::Long && second.price < first.price);
        assert!(!venue.force_closures(&mut index, depth, 120_000));
    }

    #[test]
    fn a_stop_closes_before_liquidation_and_is_not_reported_as_one() {
        let mut venue = VenueMarket::with_traders(vec![long_at(20.0, Some(99.0))], 1e9);
        let mut index = 98.9;
        assert!(venue.force_closures(&mut index, AssetDepth::new(1e9), 0));
        assert!(venue.record.liquidations.is_empty());
        // Margin 50 minus the loss 10 × (100 − 98.9) = 11 goes back to the wallet.
        assert!(venue.traders[0].position.is_none());
        assert!((venue.traders[0].wallet_usd - 39.0).abs() < 1e-4);
    }

    #[test]
    fn a_mark_inside_the_trigger_band_scans_nothing() {
        let mut venue = VenueMarket::with_traders(vec![long_at(20.0, None)], 100.0);
        let mut index = 99.0;
        assert!(!venue.force_closures(&mut index, AssetDepth::new(100.0), 0));
        assert_eq!(index, 99.0);
    }

    /// Paying funding lifts a long's liquidation price, and the trigger band follows.
    #[test]
    fn funding_payment_moves_the_trigger_band() {
        let mut venue = VenueMarket::with_traders(vec![long_at(20.0, None)], 100.0);
        let before = venue.long_trigger;
        venue.pay_funding(0.01, 100.0);
        assert!(venue.long_trigger > before);
        assert_eq!(
            venue.long_trigger,
            venue.traders[0].position.unwrap().liquidation_price
        );
    }
}
