//! The clock: market-wide volatility regimes and news jumps, the hour/minute loop, and the assembly of the output.

use super::asset::AssetMarket;
use super::config::{ScheduledNews, SimConfig};
use super::detmath::{NormalDraws, ln, substream_seed};
use super::options::{ChainInputs, option_chain};
use super::output::{SimulatedAsset, SimulatedMarket, SimulatedVenue};
use crate::error::Result;
use crate::series::{HOUR_MS, TimeSeries};

/// From the normal regime, a switch goes to stress with this probability (otherwise to calm).
const NORMAL_TO_STRESS: f64 = 0.4;
/// Realised vol for the option chain is measured over the last week, the skew over the last two.
const REALISED_VOL_HOURS: usize = 168;
const SKEW_RETURN_HOURS: usize = 336;
const HOURS_PER_YEAR: f64 = 8_760.0;
/// Market sentiment: a mean-reverting drift (Ornstein–Uhlenbeck, hourly steps) in units of each asset's hourly
/// standard deviation per hour. Stationary s.d. 0.12 and a 72-hour time constant give multi-day trends of a few
/// percent, the raw material of build-ups, which a driftless walk produces far less often.
const SENTIMENT_SD: f64 = 0.09;
const SENTIMENT_HOURS: f64 = 72.0;

/// Market-wide volatility regime, a Markov chain switching once an hour at most: volatility clusters, and
/// traders are busier in busy markets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Regime {
    Calm,
    Normal,
    Stressed,
}

impl Regime {
    /// Multiplier of every asset's volatility and of trading activity.
    fn multiplier(self) -> f64 {
        match self {
            Regime::Calm => 0.7,
            Regime::Normal => 1.0,
            Regime::Stressed => 1.8,
        }
    }

    /// Mean stay in hours: calm and normal stretches last days, stress about a day.
    fn mean_hours(self) -> f64 {
        match self {
            Regime::Calm => 96.0,
            Regime::Normal => 120.0,
            Regime::Stressed => 24.0,
        }
    }
}

/// Shocks shared by every asset: the regime, the sentiment drift, news jumps and the common return factor.
#[derive(Debug, Clone)]
struct MarketFactors {
    regime: Regime,
    sentiment: f64,
    draws: NormalDraws,
    jump_probability_per_hour: f64,
    scheduled_news: Vec<ScheduledNews>,
}

/// What the factors decided for one hour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HourPlan {
    pub activity: f64,
    /// Drift per hour in units of hourly standard deviations.
    pub sentiment: f64,
    /// Minute of a news jump and its size in standard deviations.
    pub jump: Option<(u8, f64)>,
}

impl MarketFactors {
    fn new(config: &SimConfig) -> Self {
        Self {
            regime: Regime::Normal,
            sentiment: 0.0,
            draws: NormalDraws::new(substream_seed(config.seed, 1)),
            jump_probability_per_hour: config.news_jump_probability_per_hour,
            scheduled_news: config.scheduled_news.clone(),
        }
    }

    /// The hour's plan. A scheduled news item replaces the hour's random jump (whose draws are still taken, so
    /// the rest of the month's random stream does not depend on the schedule).
    fn begin_hour(&mut self, hour: u32) -> HourPlan {
        if self.draws.uniform() < 1.0 / self.regime.mean_hours() {
            self.regime = match self.regime {
                Regime::Normal if self.draws.uniform() < NORMAL_TO_STRESS => Regime::Stressed,
                Regime::Normal => Regime::Calm,
                Regime::Calm | Regime::Stressed => Regime::Normal,
            };
        }
        let mut jump = (self.draws.uniform() < self.jump_probability_per_hour)
            .then(|| (self.draws.index(60) as u8, self.draws.normal()));
        if let Some(news) = self.scheduled_news.iter().find(|n| n.hour == hour) {
            jump = Some((news.minute, news.size_sd));
        }
        let activity = self.regime.multiplier();
        let persistence = 1.0 - 1.0 / SENTIMENT_HOURS;
        let innovation_sd = SENTIMENT_SD * (1.0 - persistence * persistence).sqrt();
        self.sentiment = persistence * self.sentiment + innovation_sd * self.draws.normal();
        HourPlan {
            activity,
            sentiment: self.sentiment,
            jump,
        }
    }
}

/// Runs the model; the public entry point is [`super::simulate`].
pub(crate) fn run(config: &SimConfig) -> Result<SimulatedMarket> {
    config.validate()?;
    let mut assets: Vec<AssetMarket> = config
        .assets
        .iter()
        .zip(0u64..)
        .map(|(asset, number)| AssetMarket::new(config, number, asset))
        .collect();
    let mut factors = MarketFactors::new(config);
    for hour in 0..config.hours {
        step_hour(config, hour, &mut factors, &mut assets)?;
    }
    finish(config, assets)
}

fn step_hour(
    config: &SimConfig,
    hour: u32,
    factors: &mut MarketFactors,
    assets: &mut [AssetMarket],
) -> Result<()> {
    let bar_open_ms = config.start_ms + i64::from(hour) * HOUR_MS;
    let hour_end_ms = bar_open_ms + HOUR_MS;
    let record_quotes = hour + 24 >= config.hours;
    let plan = factors.begin_hour(hour);
    for asset in assets.iter_mut() {
        asset.begin_hour(plan.activity);
    }
    for minute in 0..60u8 {
        let time_ms = bar_open_ms + i64::from(minute) * 60_000;
        let market_shock = factors.draws.normal();
        for asset in assets.iter_mut() {
            asset.minute(minute, time_ms, market_shock, plan, record_quotes);
        }
    }
    for asset in assets.iter_mut() {
        asset.end_hour(bar_open_ms, hour_end_ms, plan.activity)?;
    }
    Ok(())
}

/// Sample standard deviation of hourly log returns over the last `hours`, annualised.
fn realised_volatility(history: &[f64], hours: usize) -> Option<f64> {
    let start = history.len().saturating_sub(hours + 1);
    let window = history.get(start..)?;
    let returns: Vec<f64> = window
        .iter()
        .zip(window.iter().skip(1))
        .map(|(a, b)| ln(b / a))
        .collect();
    if returns.len() < 2 {
        return None;
    }
    let n = returns.len() as f64;
    let mean = returns.iter().sum::<f64>() / n;
    let variance = returns.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / (n - 1.0);
    Some((variance * HOURS_PER_YEAR).sqrt())
}

/// What the option chain is priced from: realised vol of the last week, the return of the last two weeks, and
/// the carry implied by the last three days of funding (averaged over venues, per year).
fn chain_inputs(asset: &AssetMarket, end_ms: i64) -> ChainInputs {
    let history = &asset.index_history;
    let spot = asset.index;
    let past = history
        .iter()
        .rev()
        .nth(SKEW_RETURN_HOURS)
        .or(history.first())
        .copied()
        .unwrap_or(spot);
    let carry_per_year = asset
        .venues
        .iter()
        .map(|v| {
            let payments_in_three_days = 72 / v.funding.interval_hours().max(1) as usize;
            v.record
                .funding
                .iter()
                .rev()
                .take(payments_in_three_days)
                .sum::<f64>()
                * 365.0
                / 3.0
        })
        .sum::<f64>()
        / asset.venues.len().max(1) as f64;
    ChainInputs {
        spot,
        time_ms: end_ms,
        realised_volatility: realised_volatility(history, REALISED_VOL_HOURS)
            .unwrap_or(asset.annual_volatility),
        long_run_volatility: asset.annual_volatility,
        recent_return: spot / past - 1.0,
        carry_per_year: carry_per_year.clamp(-0.5, 0.5),
    }
}

fn finish(config: &SimConfig, assets: Vec<AssetMarket>) -> Result<SimulatedMarket> {
    let hour_ends: Vec<i64> = (1..=i64::from(config.hours))
        .map(|h| config.start_ms + h * HOUR_MS)
        .collect();
    let end_ms = config.start_ms + i64::from(config.hours) * HOUR_MS;
    let series = |values: Vec<f64>| TimeSeries::new(hour_ends.clone(), values);
    let mut simulated = Vec::with_capacity(assets.len());
    for mut asset in assets {
        let inputs = chain_inputs(&asset, end_ms);
        let option_chain = option_chain(&inputs);
        let index_values: Vec<f64> = asset.index_history.iter().skip(1).copied().collect();
        let market_cap: Vec<f64> = index_values
            .iter()
            .map(|p| p * asset.circulating_supply)
            .collect();
        let index = asset.index;
        let mut venues = Vec::with_capacity(asset.venues.len());
        for (venue, venue_config) in asset.venues.iter_mut().zip(&config.venues) {
            let order_book = venue.final_book(end_ms, index);
            let record = std::mem::take(&mut venue.record);
            venues.push(SimulatedVenue {
                venue: venue_config.name.clone(),
                funding_interval_hours: venue_config.funding_interval_hours,
                bars: record.bars,
                mark: series(record.mark)?,
                funding: TimeSeries::new(record.funding_times_ms, record.funding)?,
                open_interest_base: series(record.open_interest_base)?,
                open_interest_usd: series(record.open_interest_usd)?,
                long_short_account_ratio: series(record.long_short_account_ratio)?,
                top_trader_position_ratio: series(record.top_trader_position_ratio)?,
                liquidations: record.liquidations,
                quotes: record.quotes,
                order_book,
            });
        }
        simulated.push(SimulatedAsset {
            symbol: asset.symbol,
            index: series(index_values)?,
            market_cap_usd: series(market_cap)?,
            spot_bars: asset.spot_bars,
            venues,
            option_chain,
        });
    }
    Ok(SimulatedMarket {
        config: config.clone(),
        assets: simulated,
    })
}

#[cfg(test)]
pub(crate) mod testing {
    //! Hooks for the whole-market tests: run the model hour by hour and look inside.
    use super::*;

    pub(crate) struct Stepper {
        pub config: SimConfig,
        pub assets: Vec<AssetMarket>,
        factors: MarketFactors,
        pub hour: u32,
    }

    impl Stepper {
        pub(crate) fn new(config: SimConfig) -> Self {
            let assets = config
                .assets
                .iter()
                .zip(0u64..)
                .map(|(asset, number)| AssetMarket::new(&config, number, asset))
                .collect();
            let factors = MarketFactors::new(&config);
            Self {
                config,
                assets,
                factors,
                hour: 0,
            }
        }

        pub(crate) fn step(&mut self) {
            step_hour(&self.config, self.hour, &mut self.factors, &mut self.assets).unwrap();
            self.hour += 1;
        }
    }
}
