//! One asset: its index (the fundamental plus what arbitrage carries over from the perps), its spot klines, and
//! its perps on every venue, advanced together minute by minute so a cascade on one venue reaches the others.

use super::agents::Signals;
use super::config::{AssetConfig, SimConfig};
use super::detmath::{NormalDraws, ln, substream_seed};
use super::engine::HourPlan;
use super::funding_clock::FundingClock;
use super::perp::{AssetDepth, BarBuilder, PerpPrice};
use super::venue::{Crowd, VenueMarket, VenueParams};
use crate::error::Result;
use crate::market::Bar;

const MINUTES_PER_YEAR: f64 = 365.0 * 24.0 * 60.0;
/// A cascade gets this many rounds of "liquidate, move the price, look again" per minute; the rest carries
/// over to the next minute (a real engine also works through its queue over time).
const CASCADE_ROUNDS_PER_MINUTE: usize = 12;
/// A news jump never moves the index by more than this fraction.
const MAX_JUMP: f64 = 0.3;

/// The state of one asset across all venues.
#[derive(Debug, Clone)]
pub(crate) struct AssetMarket {
    pub symbol: String,
    pub circulating_supply: f64,
    pub annual_volatility: f64,
    sigma_per_minute: f64,
    sigma_per_hour: f64,
    jump_sd: f64,
    retail_long_share: f64,
    own_shock_weight: f64,
    market_shock_weight: f64,
    spot_usd_per_hour: f64,
    pub index: f64,
    depth: AssetDepth,
    pub venues: Vec<VenueMarket>,
    spot: BarBuilder,
    draws: NormalDraws,
    /// Index at every hour end, after the initial price.
    pub index_history: Vec<f64>,
    pub spot_bars: Vec<Bar>,
}

impl AssetMarket {
    pub(crate) fn new(config: &SimConfig, asset_number: u64, asset: &AssetConfig) -> Self {
        let market_share = |venue: &super::config::VenueConfig| {
            asset
                .market_share_overrides
                .iter()
                .find(|(name, _)| *name == venue.name)
                .map_or(venue.market_share, |(_, share)| *share)
        };
        let share_total: f64 = config.venues.iter().map(market_share).sum();
        let liquidity_total: f64 = config.venues.iter().map(|v| v.liquidity_share).sum();
        let index = asset.initial_price_usd;
        let venues = config
            .venues
            .iter()
            .zip(0u64..)
            .map(|(venue, venue_number)| {
                let share = market_share(venue) / share_total;
                let liquidity = venue.liquidity_share / liquidity_total;
                let params = VenueParams {
                    maintenance_margin_rate: venue.maintenance_margin_rate,
                    background_usd_per_minute: asset.perp_volume_usd_per_day * liquidity / 1_440.0,
                    tick: asset.tick_size_usd,
                };
                let stream = substream_seed(config.seed, 2_000 + 100 * asset_number + venue_number);
                VenueMarket::new(
                    params,
                    PerpPrice::new(index, asset.depth_usd_per_pct * liquidity),
                    FundingClock::new(
                        venue.funding_interval_hours,
                        venue.interest_per_8h,
                        venue.funding_cap_per_8h,
                    ),
                    Crowd {
                        count: venue.traders_per_asset,
                        capital_usd: asset.trader_capital_usd * share,
                        max_leverage: venue.max_leverage,
                        retail_long_share: asset.retail_long_share,
                    },
                    NormalDraws::new(stream),
                )
            })
            .collect();
        let sigma_per_minute = asset.annual_volatility / MINUTES_PER_YEAR.sqrt();
        Self {
            symbol: asset.symbol.clone(),
            circulating_supply: asset.circulating_supply,
            annual_volatility: asset.annual_volatility,
            sigma_per_minute,
            sigma_per_hour: sigma_per_minute * 60f64.sqrt(),
            jump_sd: asset.news_jump_sd,
            retail_long_share: asset.retail_long_share,
            own_shock_weight: (1.0 - config.asset_correlation).sqrt(),
            market_shock_weight: config.asset_correlation.sqrt(),
            spot_usd_per_hour: asset.spot_volume_usd_per_day / 24.0,
            index,
            depth: AssetDepth::new(asset.depth_usd_per_pct),
            venues,
            spot: BarBuilder::new(index),
            draws: NormalDraws::new(substream_seed(config.seed, 1_000 + asset_number)),
            index_history: vec![index],
            spot_bars: Vec::new(),
        }
    }

    /// Index `hours` hours ago (the initial price while the history is shorter).
    fn index_hours_ago(&self, hours: usize) -> f64 {
        let fallback = self.index_history.first().copied().unwrap_or(self.index);
        self.index_history
            .iter()
            .rev()
            .nth(hours)
            .copied()
            .unwrap_or(fallback)
    }

    /// Top of the hour: traders see the recent trend and their venue's premium and place their orders.
    pub(crate) fn begin_hour(&mut self, activity: f64) {
        let z6 = ln(self.index / self.index_hours_ago(6)) / (self.sigma_per_hour * 6f64.sqrt());
        let z24 = ln(self.index / self.index_hours_ago(24)) / (self.sigma_per_hour * 24f64.sqrt());
        let momentum_z = 0.5 * (z6 + z24);
        let index = self.index;
        for venue in &mut self.venues {
            let signals = Signals {
                momentum_z,
                premium_z: venue.price.premium_ema / 0.000_5,
                activity,
                retail_long_share: self.retail_long_share,
            };
            venue.plan_hour(&signals, index);
        }
    }

    /// One minute: the fundamental moves (diffusion scaled by the regime, plus a news jump if one is due),
    /// every venue trades, premiums relax, and the liquidation engines run until the price stops reaching
    /// new triggers.
    pub(crate) fn minute(
        &mut self,
        minute: u8,
        time_ms: i64,
        market_shock: f64,
        plan: HourPlan,
        record_quote: bool,
    ) {
        let activity = plan.activity;
        let jump = plan
            .jump
            .and_then(|(at, size)| (at == minute).then_some(size));
        if record_quote {
            let index = self.index;
            for venue in &mut self.venues {
                venue.record_quote(time_ms, index);
            }
        }
        let shock =
            self.market_shock_weight * market_shock + self.own_shock_weight * self.draws.normal();
        let jump_return = jump.map_or(0.0, |z| (z * self.jump_sd).clamp(-MAX_JUMP, MAX_JUMP));
        // Simple (not log) returns keep exp() out of the hot loop; the only drift is the sentiment.
        let drift = plan.sentiment * self.sigma_per_hour / 60.0;
        self.index *= 1.0 + drift + self.sigma_per_minute * activity * shock + jump_return;
        for venue in &mut self.venues {
            venue.trade_minute(minute, &mut self.index, self.depth, shock, activity);
        }
        for venue in &mut self.venues {
            venue.relax(self.index);
        }
        for _ in 0..CASCADE_ROUNDS_PER_MINUTE {
            let mut closed_any = false;
            for venue in &mut self.venues {
                closed_any |= venue.force_closures(&mut self.index, self.depth, time_ms);
            }
            if !closed_any {
                break;
            }
            for venue in &mut self.venues {
                venue.price.bar.track(venue.price.last(self.index));
            }
        }
        self.spot.track(self.index);
    }

    /// End of the hour: bars, funding, snapshots, and the spot kline.
    ///
    /// # Errors
    /// [`crate::MathError::NotFinite`] if the model produced a non-finite premium.
    pub(crate) fn end_hour(
        &mut self,
        bar_open_ms: i64,
        hour_end_ms: i64,
        activity: f64,
    ) -> Result<()> {
        for venue in &mut self.venues {
            venue.end_hour(bar_open_ms, hour_end_ms, self.index)?;
        }
        // Spot volume rises with the size of the hour's move, as volume and |return| do in every market.
        let move_z = (self.spot.close() / self.spot.open() - 1.0) / self.sigma_per_hour;
        let usd = self.spot_usd_per_hour
            * activity
            * (0.6 + 0.8 * self.draws.uniform())
            * (1.0 + 0.3 * move_z.abs());
        let quantity = usd / self.index;
        let buy_share = (0.5 + 0.1 * move_z).clamp(0.1, 0.9);
        self.spot.add_volume(quantity, buy_share * quantity);
        self.spot_bars.push(self.spot.finish(bar_open_ms));
        self.index_history.push(self.index);
        Ok(())
    }
}
