//! What the simulator is asked to produce: seed, clock, assets and venues. [`SimConfig::default`] is the embedded
//! sample the app ships.

use crate::error::{MathError, Result};
use crate::funding::BINANCE_INTEREST_PER_8H;
use crate::series::HOUR_MS;

/// Longest simulation accepted: one leap year of hourly bars.
pub const MAX_HOURS: u32 = 24 * 366;
/// At most this many assets and venues, so a hostile config cannot ask for unbounded memory.
pub const MAX_ASSETS: usize = 8;
pub const MAX_VENUES: usize = 8;
/// At most this many simulated accounts per asset and venue.
pub const MAX_TRADERS_PER_VENUE: u32 = 5_000;
/// The highest leverage any simulated account chooses (the top of the leverage mix in `agents`).
pub const HIGHEST_LEVERAGE: f64 = 50.0;

/// Everything that determines a simulated market. Same config, same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Seed of every random number in the model.
    pub seed: u64,
    /// Time of the first bar's open, ms UTC; must sit on a whole hour.
    pub start_ms: i64,
    /// Number of hourly bars, 1..=[`MAX_HOURS`].
    pub hours: u32,
    /// Pairwise correlation of the assets' diffusive returns (one common market factor), in [0, 1).
    pub asset_correlation: f64,
    /// Chance per hour of a market-wide news jump.
    pub news_jump_probability_per_hour: f64,
    /// News on fixed dates, in place of the random jump of their hour: the days a real month made headlines.
    pub scheduled_news: Vec<ScheduledNews>,
    pub assets: Vec<AssetConfig>,
    pub venues: Vec<VenueConfig>,
}

/// A market-wide news jump at a fixed time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScheduledNews {
    /// Hours since the start; news after the last simulated hour never happens (a shorter run of the same
    /// config is the same month cut short).
    pub hour: u32,
    /// Minute of that hour, `0..60`.
    pub minute: u8,
    /// Size in each asset's news-jump standard deviations (−3 = a fall of three of them).
    pub size_sd: f64,
}

/// At most this many scheduled news items.
pub const MAX_SCHEDULED_NEWS: usize = 64;

/// One underlying (BTC, ETH, …) and the size of its markets summed over all venues.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetConfig {
    pub symbol: String,
    pub initial_price_usd: f64,
    /// Annualised volatility of the fundamental in the normal regime (0.55 = 55 %).
    pub annual_volatility: f64,
    /// Standard deviation of a news jump as a fraction of price (0.03 = 3 %).
    pub news_jump_sd: f64,
    /// Coins in circulation, for the market cap.
    pub circulating_supply: f64,
    /// Price grid of quotes and book levels.
    pub tick_size_usd: f64,
    /// Wallet capital of all simulated perp traders (margin they can post), summed over venues.
    pub trader_capital_usd: f64,
    /// Background (non-agent) taker volume on the perps per day, summed over venues.
    pub perp_volume_usd_per_day: f64,
    /// Spot volume per day of the reference spot market (the spot klines).
    pub spot_volume_usd_per_day: f64,
    /// Market orders (USD) that move the perp price by 1 %, summed over venues.
    pub depth_usd_per_pct: f64,
    /// Share of retail entries (noise traders, gamblers) that go long: the long bias that keeps the account
    /// ratio above 1 (0.56 ≈ a ratio of 1.3).
    pub retail_long_share: f64,
    /// Venues whose share of this asset's capital differs from their [`VenueConfig::market_share`] (a venue
    /// whose users favour the asset), as `(venue name, market share)`.
    pub market_share_overrides: Vec<(String, f64)>,
}

/// One derivatives venue; it lists a perpetual on every asset.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueConfig {
    pub name: String,
    /// Hours between funding payments (1..=24); payments fall on multiples of it since the Unix epoch.
    pub funding_interval_hours: u32,
    /// Interest component `I` of the funding formula, per 8 h.
    pub interest_per_8h: f64,
    /// Funding is clamped to ± this per 8 h (scaled to the venue's interval).
    pub funding_cap_per_8h: f64,
    /// Flat maintenance margin rate (no tiers), below 1/[`HIGHEST_LEVERAGE`].
    pub maintenance_margin_rate: f64,
    /// Leverage above this is capped to it.
    pub max_leverage: f64,
    /// Relative share of the traders' capital, hence of open interest (normalised over venues; an asset may
    /// override it, [`AssetConfig::market_share_overrides`]).
    pub market_share: f64,
    /// Relative share of the liquidity: background volume and book depth (normalised over venues). Venues
    /// differ here: Binance turns its open interest over faster than Bybit.
    pub liquidity_share: f64,
    pub traders_per_asset: u32,
}

impl Default for SimConfig {
    /// The embedded "simulated sample": 30 days from 2025-01-01 00:00 UTC, BTC and ETH on Binance-, Bybit- and
    /// Hyperliquid-like venues. Sizes are round numbers of the right order for 2025, not any venue's published
    /// figures; see [`DEFAULT_SEED`] for how the seed was chosen.
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED,
            start_ms: 1_735_689_600_000,
            hours: 720,
            asset_correlation: 0.8,
            news_jump_probability_per_hour: 1.0 / 120.0,
            scheduled_news: january_2025_news(),
            assets: vec![
                AssetConfig {
                    symbol: "BTC".into(),
                    initial_price_usd: 93_576.0,
                    annual_volatility: 0.36,
                    news_jump_sd: 0.015,
                    circulating_supply: 19_800_000.0,
                    tick_size_usd: 0.1,
                    trader_capital_usd: 48.0e9,
                    perp_volume_usd_per_day: 27.0e9,
                    spot_volume_usd_per_day: 2.5e9,
                    depth_usd_per_pct: 170.0e6,
                    retail_long_share: 0.56,
                    market_share_overrides: Vec::new(),
                },
                AssetConfig {
                    symbol: "ETH".into(),
                    initial_price_usd: 3_338.0,
                    annual_volatility: 0.48,
                    news_jump_sd: 0.025,
                    circulating_supply: 120_500_000.0,
                    tick_size_usd: 0.01,
                    trader_capital_usd: 23.0e9,
                    perp_volume_usd_per_day: 17.0e9,
                    spot_volume_usd_per_day: 1.2e9,
                    depth_usd_per_pct: 80.0e6,
                    retail_long_share: 0.93,
                    // ETH is a quarter of Hyperliquid's open interest against a sixth on Binance (CALIBRATION.md).
                    market_share_overrides: vec![("hyperliquid".into(), 0.1)],
                },
            ],
            venues: vec![
                VenueConfig {
                    name: "binance".into(),
                    funding_interval_hours: 8,
                    interest_per_8h: BINANCE_INTEREST_PER_8H,
                    // BTCUSDT's adjusted cap of ±0.3 % (Binance's funding rate history).
                    funding_cap_per_8h: 0.003,
                    maintenance_margin_rate: 0.005,
                    max_leverage: 125.0,
                    market_share: 0.56,
                    liquidity_share: 0.66,
                    traders_per_asset: 400,
                },
                VenueConfig {
                    name: "bybit".into(),
                    funding_interval_hours: 8,
                    interest_per_8h: BINANCE_INTEREST_PER_8H,
                    funding_cap_per_8h: 0.0025,
                    maintenance_margin_rate: 0.005,
                    max_leverage: 100.0,
                    market_share: 0.37,
                    liquidity_share: 0.28,
                    traders_per_asset: 300,
                },
                VenueConfig {
                    // Computes funding on an 8 h basis and pays 1/8 of it every hour; maintenance margin is
                    // half the initial margin at its 40× maximum.
                    name: "hyperliquid".into(),
                    funding_interval_hours: 1,
                    interest_per_8h: BINANCE_INTEREST_PER_8H,
                    funding_cap_per_8h: 0.32,
                    maintenance_margin_rate: 0.0125,
                    max_leverage: 40.0,
                    market_share: 0.075,
                    liquidity_share: 0.06,
                    traders_per_asset: 200,
                },
            ],
        }
    }
}

/// The headline days of January 2025 (UTC), with sizes from that day's move, so the sample's month has its
/// shape: the rally of the 6th, a sell-off on the 7th, the low of the 13th, the CPI rally of the 15th, the run to a record in the early
/// hours of the inauguration day, the sell-off later that day, and the DeepSeek sell-off of the 27th. Everything
/// between them is the model's own.
fn january_2025_news() -> Vec<ScheduledNews> {
    let at = |day: u32, hour: u32, minute: u8, size_sd: f64| ScheduledNews {
        hour: (day - 1) * 24 + hour,
        minute,
        size_sd,
    };
    vec![
        at(6, 14, 0, 2.0),
        at(7, 15, 0, -2.0),
        at(13, 13, 0, -1.5),
        at(15, 13, 30, 2.0),
        at(17, 14, 0, 2.0),
        at(20, 5, 0, 2.0),
        at(20, 15, 0, -2.5),
        at(27, 2, 0, -2.5),
    ]
}

/// Seed of the embedded sample: one whose month shows a whole leverage cycle in both assets (a build-up, then a
/// model-made cascade that glossary term 13's detector confirms; here the market-wide cascade of 20 January at
/// 15:00 UTC) and whose every size lies within its published range (`CALIBRATION.md`). About one seed in 140
/// tells the story and about one in 140 is within every range, but the two rarely meet: a crowd leveraged enough
/// to cascade tends to liquidate more in a day than January 2025 did. This one came from searching 34,000
/// seeds with the ignored test `default_seed_candidates` (env `FIRST_SEED`, `SEEDS`, `STORY`).
pub const DEFAULT_SEED: u64 = 10_865;

fn invalid(name: &'static str, reason: &'static str) -> MathError {
    MathError::InvalidParameter { name, reason }
}

fn positive(name: &'static str, value: f64) -> Result<()> {
    crate::error::ensure_positive(name, value).map(|_| ())
}

impl SimConfig {
    /// Checks every field before anything is simulated.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] naming the first field out of range, [`MathError::NotFinite`] for a
    /// NaN/∞ interest rate.
    ///
    /// ```
    /// use lens_math::sim::SimConfig;
    /// assert!(SimConfig::default().validate().is_ok());
    /// let empty = SimConfig { hours: 0, ..SimConfig::default() };
    /// assert!(empty.validate().is_err());
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        if self.hours == 0 || self.hours > MAX_HOURS {
            return Err(invalid(
                "hours",
                "must be between 1 and 8784 (one leap year)",
            ));
        }
        if self.start_ms.rem_euclid(HOUR_MS) != 0 {
            return Err(invalid("start_ms", "must sit on a whole hour"));
        }
        // The option chain reaches 90 days past the end; keep every timestamp far from i64 overflow.
        if !(0..=4_102_444_800_000).contains(&self.start_ms) {
            return Err(invalid("start_ms", "must lie between 1970 and 2100"));
        }
        if !(0.0..1.0).contains(&self.asset_correlation) {
            return Err(invalid("asset_correlation", "must lie in [0, 1)"));
        }
        if !(0.0..=0.5).contains(&self.news_jump_probability_per_hour) {
            return Err(invalid(
                "news_jump_probability_per_hour",
                "must lie in [0, 0.5]",
            ));
        }
        if self.scheduled_news.len() > MAX_SCHEDULED_NEWS {
            return Err(invalid("scheduled_news", "at most 64 items"));
        }
        for news in &self.scheduled_news {
            if news.minute >= 60 {
                return Err(invalid("scheduled_news", "minute must lie in 0..60"));
            }
            if !(news.size_sd.is_finite() && news.size_sd.abs() <= 10.0) {
                return Err(invalid(
                    "scheduled_news",
                    "size must lie within ±10 standard deviations",
                ));
            }
        }
        if self.assets.is_empty() || self.assets.len() > MAX_ASSETS {
            return Err(invalid("assets", "need between 1 and 8 assets"));
        }
        if self.venues.is_empty() || self.venues.len() > MAX_VENUES {
            return Err(invalid("venues", "need between 1 and 8 venues"));
        }
        self.assets.iter().try_for_each(AssetConfig::validate)?;
        for (venue, share) in self.assets.iter().flat_map(|a| &a.market_share_overrides) {
            if !self.venues.iter().any(|v| &v.name == venue) {
                return Err(invalid(
                    "market_share_overrides",
                    "must name a configured venue",
                ));
            }
            positive("market_share_overrides", *share)?;
        }
        self.venues.iter().try_for_each(VenueConfig::validate)
    }
}

impl AssetConfig {
    fn validate(&self) -> Result<()> {
        if self.symbol.is_empty() {
            return Err(invalid("symbol", "must not be empty"));
        }
        crate::error::ensure_all_finite(
            "asset parameter",
            &[
                self.initial_price_usd,
                self.annual_volatility,
                self.news_jump_sd,
                self.circulating_supply,
                self.tick_size_usd,
                self.trader_capital_usd,
                self.perp_volume_usd_per_day,
                self.spot_volume_usd_per_day,
                self.depth_usd_per_pct,
                self.retail_long_share,
            ],
        )?;
        positive("initial_price_usd", self.initial_price_usd)?;
        positive("circulating_supply", self.circulating_supply)?;
        positive("tick_size_usd", self.tick_size_usd)?;
        positive("trader_capital_usd", self.trader_capital_usd)?;
        positive("perp_volume_usd_per_day", self.perp_volume_usd_per_day)?;
        positive("spot_volume_usd_per_day", self.spot_volume_usd_per_day)?;
        positive("depth_usd_per_pct", self.depth_usd_per_pct)?;
        if !(self.annual_volatility > 0.0 && self.annual_volatility <= 5.0) {
            return Err(invalid("annual_volatility", "must lie in (0, 5]"));
        }
        if !(0.05..=0.95).contains(&self.retail_long_share) {
            return Err(invalid("retail_long_share", "must lie in [0.05, 0.95]"));
        }
        if !(0.0..=0.2).contains(&self.news_jump_sd) {
            return Err(invalid("news_jump_sd", "must lie in [0, 0.2]"));
        }
        if self.tick_size_usd > self.initial_price_usd / 100.0 {
            return Err(invalid("tick_size_usd", "must be below 1 % of the price"));
        }
        Ok(())
    }
}

impl VenueConfig {
    fn validate(&self) -> Result<()> {
        if self.name.is_empty() {
            return Err(invalid("venue name", "must not be empty"));
        }
        if !(1..=24).contains(&self.funding_interval_hours) {
            return Err(invalid(
                "funding_interval_hours",
                "must be between 1 and 24",
            ));
        }
        crate::error::ensure_finite("interest_per_8h", self.interest_per_8h)?;
        if self.interest_per_8h.abs() > 0.01 {
            return Err(invalid("interest_per_8h", "must lie within ±1 % per 8 h"));
        }
        positive("funding_cap_per_8h", self.funding_cap_per_8h)?;
        positive("market_share", self.market_share)?;
        positive("liquidity_share", self.liquidity_share)?;
        if !(self.maintenance_margin_rate > 0.0
            && self.maintenance_margin_rate < 1.0 / HIGHEST_LEVERAGE)
        {
            return Err(invalid("maintenance_margin_rate", "must lie in (0, 1/50)"));
        }
        if !(self.max_leverage >= 1.0 && self.max_leverage <= 1_000.0) {
            return Err(invalid("max_leverage", "must lie in [1, 1000]"));
        }
        if !(2..=MAX_TRADERS_PER_VENUE).contains(&self.traders_per_asset) {
            return Err(invalid("traders_per_asset", "must be between 2 and 5000"));
        }
        Ok(())
    }
}
