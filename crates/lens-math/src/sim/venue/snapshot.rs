//! The hourly snapshots of one venue: open interest, the long/short account ratio and the top-trader ratio.

use super::VenueMarket;
use crate::market::Side;

/// Share of accounts (by margin balance) that count as "top traders", as on Binance.
const TOP_TRADER_SHARE: f64 = 0.2;

impl VenueMarket {
    /// Open interest and the long/short ratios at the hour end, in one pass over the accounts. The liquidity
    /// providers hold the traders' net position, so open interest (one side) is the larger of the traders'
    /// long and short totals.
    pub(super) fn snapshot(&mut self, mark: f64) {
        let mut sides = SideTotals::default();
        let mut top_sides = SideTotals::default();
        for (trader, is_top) in self.traders.iter().zip(&self.top_traders) {
            if let Some(position) = trader.position {
                sides.add(position.side, position.quantity);
                if *is_top {
                    top_sides.add(position.side, position.quantity);
                }
            }
        }
        let open_interest = sides.long.max(sides.short);
        self.record.mark.push(mark);
        self.record.open_interest_base.push(open_interest);
        self.record.open_interest_usd.push(open_interest * mark);
        let previous_accounts = self
            .record
            .long_short_account_ratio
            .last()
            .copied()
            .unwrap_or(1.0);
        let accounts_ratio = ratio_or(
            f64::from(sides.long_accounts),
            f64::from(sides.short_accounts),
            previous_accounts,
        );
        self.record.long_short_account_ratio.push(accounts_ratio);
        let previous_top = self
            .record
            .top_trader_position_ratio
            .last()
            .copied()
            .unwrap_or(1.0);
        self.record.top_trader_position_ratio.push(ratio_or(
            top_sides.long,
            top_sides.short,
            previous_top,
        ));
        self.price
            .set_inventory_target((sides.long - sides.short) * mark);
    }

    /// Marks the top [`TOP_TRADER_SHARE`] of accounts by margin balance at `mark`. Done once a day: the
    /// ranking moves slowly, and a daily refresh keeps the hourly snapshot to a single pass.
    pub(crate) fn rank_top_traders(&mut self, mark: f64) {
        self.ranking.clear();
        self.ranking
            .extend(self.traders.iter().map(|t| t.margin_balance_usd(mark)));
        let count = self.ranking.len();
        self.top_traders.clear();
        if count == 0 {
            return;
        }
        let top_count = ((count as f64 * TOP_TRADER_SHARE).ceil() as usize).clamp(1, count);
        let (_, threshold, _) = self
            .ranking
            .select_nth_unstable_by(top_count - 1, |a, b| b.total_cmp(a));
        let threshold = *threshold;
        self.top_traders.extend(
            self.traders
                .iter()
                .map(|t| t.margin_balance_usd(mark) >= threshold),
        );
    }

    /// Long and short base quantity held by the accounts (recomputed from scratch, for the tests).
    #[cfg(test)]
    pub(crate) fn trader_sides(&self) -> (f64, f64) {
        let mut long = 0.0;
        let mut short = 0.0;
        for position in self.traders.iter().filter_map(|t| t.position.as_ref()) {
            match position.side {
                Side::Long => long += position.quantity,
                Side::Short => short += position.quantity,
            }
        }
        (long, short)
    }
}

/// Long and short quantity and account counts.
#[derive(Debug, Clone, Copy, Default)]
struct SideTotals {
    long: f64,
    short: f64,
    long_accounts: u32,
    short_accounts: u32,
}

impl SideTotals {
    fn add(&mut self, side: Side, quantity: f64) {
        match side {
            Side::Long => {
                self.long += quantity;
                self.long_accounts += 1;
            }
            Side::Short => {
                self.short += quantity;
                self.short_accounts += 1;
            }
        }
    }
}

/// `numerator / denominator`, or `fallback` when either side is empty (a ratio of nothing is not information).
fn ratio_or(numerator: f64, denominator: f64, fallback: f64) -> f64 {
    if numerator > 0.0 && denominator > 0.0 {
        numerator / denominator
    } else {
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::agents::{Strategy, Trader};
    use crate::sim::position::Position;

    fn account(wallet_usd: f64, side: Option<Side>, quantity: f64) -> Trader {
        Trader {
            strategy: Strategy::Noise,
            leverage: 5.0,
            margin_fraction: 0.5,
            stop_loss_roe: None,
            conviction: 1.0,
            exit_threshold_z: 1.0,
            retail_bias: 1.0,
            deposit_usd: wallet_usd,
            wallet_usd,
            position: side.map(|side| Position {
                side,
                quantity,
                entry_price: 100.0,
                initial_margin_usd: 10.0,
                margin_usd: 10.0,
                liquidation_price: 50.0,
                stop_price: None,
            }),
        }
    }

    /// Five accounts: the richest (top 20 %) is short 1; three longs of 2 each and one flat account. Open
    /// interest is the larger side (6), accounts 3 long ÷ 1 short, top traders 0 long ÷ 1 short → no long
    /// side, so the ratio keeps its previous value (1.0 at the start).
    #[test]
    fn snapshot_counts_sides_accounts_and_top_traders() {
        let traders = vec![
            account(1_000_000.0, Some(Side::Short), 1.0),
            account(100.0, Some(Side::Long), 2.0),
            account(100.0, Some(Side::Long), 2.0),
            account(100.0, Some(Side::Long), 2.0),
            account(100.0, None, 0.0),
        ];
        let mut venue = VenueMarket::with_traders(traders, 1e6);
        assert_eq!(venue.top_traders, vec![true, false, false, false, false]);
        venue.snapshot(101.0);
        assert_eq!(venue.record.open_interest_base, vec![6.0]);
        assert_eq!(venue.record.open_interest_usd, vec![606.0]);
        assert_eq!(venue.record.long_short_account_ratio, vec![3.0]);
        assert_eq!(venue.record.top_trader_position_ratio, vec![1.0]);
        // Traders net long 5 × 101 USD: the liquidity providers, short, quote the perp rich.
        assert!(venue.price.premium_target > 0.0);
    }

    #[test]
    fn ratio_of_an_empty_side_falls_back() {
        assert_eq!(ratio_or(3.0, 0.0, 1.7), 1.7);
        assert_eq!(ratio_or(3.0, 2.0, 1.7), 1.5);
    }
}
