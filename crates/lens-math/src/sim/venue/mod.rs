//! One perp on one venue: its traders, their orders through the hour, funding payments, and (in the child
//! modules) the liquidation engine and the hourly snapshots.

mod liquidation;
mod snapshot;

use super::agents::{HourlyOdds, Intent, Signals, Trader};
use super::book::{best_quote, order_book};
use super::detmath::NormalDraws;
use super::funding_clock::FundingClock;
use super::perp::{AssetDepth, PerpPrice};
use super::population::{population, seed_positions};
use crate::error::Result;
use crate::market::{Bar, BestQuote, Liquidation, OrderBook};
use crate::series::DAY_MS;

/// Taker imbalance of background flow per unit of the minute's return shock, and of its own noise.
const BACKGROUND_FLOW_ON_RETURN: f64 = 0.08;
const BACKGROUND_FLOW_NOISE: f64 = 0.08;

/// An order an account placed at the top of the hour, executed at its minute.
#[derive(Debug, Clone, Copy)]
struct Order {
    minute: u8,
    trader: usize,
    intent: Intent,
}

/// Everything recorded about one venue, hour by hour (series times are the hour ends, kept by the caller).
#[derive(Debug, Clone, Default)]
pub(crate) struct VenueRecord {
    pub bars: Vec<Bar>,
    pub mark: Vec<f64>,
    pub funding_times_ms: Vec<i64>,
    pub funding: Vec<f64>,
    pub open_interest_base: Vec<f64>,
    pub open_interest_usd: Vec<f64>,
    pub long_short_account_ratio: Vec<f64>,
    pub top_trader_position_ratio: Vec<f64>,
    pub liquidations: Vec<Liquidation>,
    pub quotes: Vec<BestQuote>,
}

/// Static facts about the venue and asset that the minute loop needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VenueParams {
    pub maintenance_margin_rate: f64,
    pub background_usd_per_minute: f64,
    pub tick: f64,
}

/// Who trades on a venue: how many accounts, with how much capital between them, up to what leverage.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crowd {
    pub count: u32,
    pub capital_usd: f64,
    pub max_leverage: f64,
    /// Share of retail positions that are long (the asset's retail long bias).
    pub retail_long_share: f64,
}

/// State of one perp.
#[derive(Debug, Clone)]
pub(crate) struct VenueMarket {
    params: VenueParams,
    pub price: PerpPrice,
    pub funding: FundingClock,
    pub traders: Vec<Trader>,
    draws: NormalDraws,
    orders: Vec<Order>,
    next_order: usize,
    /// Highest trigger (stop or liquidation) among longs and lowest among shorts; a mark between them cannot
    /// force anyone out, so the positions are scanned only when it leaves that band. Stale values after a
    /// voluntary close only cause one extra scan.
    long_trigger: f64,
    short_trigger: f64,
    /// Whether each account (same order as `traders`) is among the top traders by margin balance.
    top_traders: Vec<bool>,
    ranking: Vec<f64>,
    pub record: VenueRecord,
}

impl VenueMarket {
    /// A venue at the start: the accounts are drawn and some already hold positions entered around the
    /// starting price (the open of `price`'s first bar).
    pub(crate) fn new(
        params: VenueParams,
        price: PerpPrice,
        funding: FundingClock,
        crowd: Crowd,
        mut draws: NormalDraws,
    ) -> Self {
        let initial_price = price.bar.open();
        let mut traders = population(
            &mut draws,
            crowd.count,
            crowd.capital_usd,
            crowd.max_leverage,
        );
        seed_positions(
            &mut traders,
            &mut draws,
            initial_price,
            params.maintenance_margin_rate,
            crowd.retail_long_share,
        );
        let mut venue = Self {
            params,
            price,
            funding,
            traders,
            draws,
            orders: Vec::new(),
            next_order: 0,
            long_trigger: f64::NEG_INFINITY,
            short_trigger: f64::INFINITY,
            top_traders: Vec::new(),
            ranking: Vec::new(),
            record: VenueRecord::default(),
        };
        venue.refresh_triggers();
        venue.rank_top_traders(initial_price);
        venue
    }

    /// Top of the hour: every account decides, and each order gets a random minute of the hour.
    pub(crate) fn plan_hour(&mut self, signals: &Signals, index: f64) {
        let mark = self.price.mark(index);
        let odds = HourlyOdds::new(signals);
        self.orders.clear();
        self.next_order = 0;
        for (trader_index, trader) in self.traders.iter_mut().enumerate() {
            if let Some(intent) = trader.decide(&odds, mark, &mut self.draws) {
                let minute = self.draws.index(60) as u8;
                self.orders.push(Order {
                    minute,
                    trader: trader_index,
                    intent,
                });
            }
        }
        // Stable sort: orders of the same minute keep account order, so the result does not depend on the sort.
        crate::sort::sort_by_key(&mut self.orders, |order| order.minute);
    }

    /// One minute of trading: background flow (its imbalance leaning with the minute's return shock, the informed
    /// part of order flow) and the accounts' orders scheduled for this minute.
    pub(crate) fn trade_minute(
        &mut self,
        minute: u8,
        index: &mut f64,
        depth: AssetDepth,
        shock: f64,
        activity: f64,
    ) {
        let last = self.price.last(*index);
        let gross =
            self.params.background_usd_per_minute * activity * (0.5 + self.draws.uniform()) / last;
        let lean =
            BACKGROUND_FLOW_ON_RETURN * shock + BACKGROUND_FLOW_NOISE * self.draws.symmetric_unit();
        let net = gross * lean.clamp(-0.9, 0.9);
        self.price.fill(net, index, depth);
        let two_sided = gross - net.abs();
        self.price.bar.add_volume(two_sided, 0.5 * two_sided);

        while let Some(order) = self.orders.get(self.next_order).copied() {
            if order.minute != minute {
                break;
            }
            self.next_order += 1;
            self.execute(order, index, depth);
        }
    }

    fn execute(&mut self, order: Order, index: &mut f64, depth: AssetDepth) {
        let Some(trader) = self.traders.get_mut(order.trader) else {
            return;
        };
        match (order.intent, trader.position) {
            (Intent::Open(side), None) => {
                let quantity = trader.entry_quantity(self.price.last(*index));
                if quantity <= 0.0 {
                    return;
                }
                let fill = self.price.fill(side.sign() * quantity, index, depth);
                trader.open(side, quantity, fill, self.params.maintenance_margin_rate);
                if let Some(position) = trader.position {
                    self.long_trigger = self.long_trigger.max(position.long_trigger());
                    self.short_trigger = self.short_trigger.min(position.short_trigger());
                }
            }
            (Intent::Close, Some(position)) => {
                let fill = self
                    .price
                    .fill(-position.side.sign() * position.quantity, index, depth);
                trader.settle(fill);
            }
            // The position was stopped or liquidated before the order's minute, or the account was not flat.
            _ => {}
        }
    }

    /// End of a minute: premium decay, mark smoothing, and a premium sample for funding.
    pub(crate) fn relax(&mut self, index: f64) {
        self.price.relax(index);
        self.funding.sample(self.price.premium);
    }

    /// A level-1 snapshot of the current state.
    pub(crate) fn record_quote(&mut self, time_ms: i64, index: f64) {
        let flow = (self.price.recent_buy, self.price.recent_sell);
        let quote = best_quote(
            time_ms,
            self.price.last(index),
            self.params.tick,
            self.price.depth_usd_per_pct,
            flow,
            &mut self.draws,
        );
        self.record.quotes.push(quote);
        self.price.recent_buy = 0.0;
        self.price.recent_sell = 0.0;
    }

    /// The final depth snapshot.
    pub(crate) fn final_book(&mut self, time_ms: i64, index: f64) -> OrderBook {
        let last_bar = self.record.bars.last();
        let flow = last_bar.map_or((0.0, 0.0), |bar| {
            (bar.taker_buy_volume, bar.taker_sell_volume())
        });
        order_book(
            time_ms,
            self.price.last(index),
            self.params.tick,
            self.price.depth_usd_per_pct,
            flow,
            &mut self.draws,
        )
    }

    /// End of the hour: close the bar, pay funding if due, and take the snapshots.
    ///
    /// # Errors
    /// [`crate::MathError::NotFinite`] if the model produced a non-finite premium.
    pub(crate) fn end_hour(
        &mut self,
        bar_open_ms: i64,
        hour_end_ms: i64,
        index: f64,
    ) -> Result<()> {
        self.record.bars.push(self.price.bar.finish(bar_open_ms));
        let mark = self.price.mark(index);
        if self.funding.is_due(hour_end_ms) {
            let rate = self.funding.settle()?;
            self.pay_funding(rate, mark);
            self.record.funding_times_ms.push(hour_end_ms);
            self.record.funding.push(rate);
        }
        if hour_end_ms.rem_euclid(DAY_MS) == 0 {
            self.rank_top_traders(mark);
        }
        self.snapshot(mark);
        Ok(())
    }
}

#[cfg(test)]
impl VenueMarket {
    /// A quiet venue at price 100 (no background flow, 0.5 % maintenance margin) holding exactly `traders`,
    /// with `depth_usd_per_pct` of depth: the fixture of the engine's unit tests.
    pub(crate) fn with_traders(traders: Vec<Trader>, depth_usd_per_pct: f64) -> Self {
        let params = VenueParams {
            maintenance_margin_rate: 0.005,
            background_usd_per_minute: 0.0,
            tick: 0.01,
        };
        let crowd = Crowd {
            count: 2,
            capital_usd: 1_000.0,
            max_leverage: 50.0,
            retail_long_share: 0.56,
        };
        let funding = FundingClock::new(8, 0.0001, 0.003);
        let price = PerpPrice::new(100.0, depth_usd_per_pct);
        let mut venue = Self::new(params, price, funding, crowd, NormalDraws::new(1));
        venue.traders = traders;
        venue.refresh_triggers();
        venue.rank_top_traders(100.0);
        venue
    }
}
