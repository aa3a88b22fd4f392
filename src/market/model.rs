//! The normalised, venue-neutral market data the rest of the app works with.
//!
//! Every venue adapter translates into these types at the border, so nothing downstream knows which venue a
//! number came from. Conventions, enforced by the adapters and their tests:
//! - times are milliseconds since the Unix epoch, UTC;
//! - rows are sorted oldest first, without duplicate timestamps;
//! - prices are in quote currency (USD or USDT) per unit of base; sizes and volumes are in base units (BTC, ETH);
//! - a funding rate is a decimal per its own interval (`interval_hours`), positive when longs pay shorts;
//! - open interest is ONE side of the market (longs = shorts), in base units and, where known, USD.

use serde::{Deserialize, Serialize};

/// A derivatives venue with a public API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Venue {
    Binance,
    Bybit,
    Okx,
    Hyperliquid,
    Deribit,
    Dydx,
}

impl Venue {
    pub const ALL: [Venue; 6] = [
        Venue::Binance,
        Venue::Bybit,
        Venue::Okx,
        Venue::Hyperliquid,
        Venue::Deribit,
        Venue::Dydx,
    ];

    /// The name people know the venue by.
    pub fn display_name(self) -> &'static str {
        match self {
            Venue::Binance => "Binance",
            Venue::Bybit => "Bybit",
            Venue::Okx => "OKX",
            Venue::Hyperliquid => "Hyperliquid",
            Venue::Deribit => "Deribit",
            Venue::Dydx => "dYdX",
        }
    }

    /// The stable lowercase id used in URLs, config and snapshots.
    pub fn id(self) -> &'static str {
        match self {
            Venue::Binance => "binance",
            Venue::Bybit => "bybit",
            Venue::Okx => "okx",
            Venue::Hyperliquid => "hyperliquid",
            Venue::Deribit => "deribit",
            Venue::Dydx => "dydx",
        }
    }

    pub fn from_id(id: &str) -> Option<Venue> {
        Venue::ALL.into_iter().find(|v| v.id() == id)
    }
}

/// The underlying asset of a perpetual, e.g. `BTC`. Uppercase ASCII letters and digits, at most 12 of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Asset(String);

impl Asset {
    /// Accepts `btc`, `BTC`; rejects anything that could smuggle characters into a URL.
    pub fn new(symbol: &str) -> Option<Asset> {
        let upper = symbol.trim().to_ascii_uppercase();
        let ok = !upper.is_empty()
            && upper.len() <= 12
            && upper.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then_some(Asset(upper))
    }

    /// Bitcoin, the default asset.
    pub fn btc() -> Asset {
        Asset("BTC".to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Asset {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Asset::new(&value).ok_or_else(|| format!("'{value}' is not an asset symbol"))
    }
}

impl From<Asset> for String {
    fn from(asset: Asset) -> String {
        asset.0
    }
}

impl std::fmt::Display for Asset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One funding payment (or, for a live snapshot, the rate that will be paid next).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FundingRate {
    pub time_ms: i64,
    /// Decimal per `interval_hours` (0.0001 = 0.01 %).
    pub rate: f64,
    pub interval_hours: f64,
    /// Mark price at the funding time, where the venue reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark_price: Option<f64>,
}

/// Open interest at a time: one side of the market.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OpenInterest {
    pub time_ms: i64,
    pub base: f64,
    /// USD value where the venue reports it or a price was at hand; `None` rather than a guess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd: Option<f64>,
}

/// Which long/short ratio a series is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatioKind {
    /// Accounts net long ÷ accounts net short, over all accounts.
    GlobalAccounts,
    /// The same over the venue's top traders (by margin balance).
    TopAccounts,
    /// Top traders' long position size ÷ short position size.
    TopPositions,
}

/// A long/short ratio at a time (`long ÷ short`, so 1.0 is balanced).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LongShortRatio {
    pub time_ms: i64,
    pub ratio: f64,
}

impl LongShortRatio {
    /// The long share `r / (1 + r)`.
    pub fn long_share(&self) -> f64 {
        self.ratio / (1.0 + self.ratio)
    }
}

/// Aggressive (taker) buy and sell volume over one period starting at `time_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TakerVolume {
    pub time_ms: i64,
    pub buy_base: f64,
    pub sell_base: f64,
}

/// Which price a candle series tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceKind {
    /// Traded price of the contract.
    Last,
    /// The venue's mark price (drives P&L and liquidations).
    Mark,
    /// The spot index the contract tracks.
    Index,
}

/// One OHLCV candle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Candle {
    pub open_time_ms: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    /// Volume in base units (0 for mark/index candles).
    pub volume_base: f64,
    /// Taker buy volume in base units, where the venue reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker_buy_base: Option<f64>,
}

/// One price level of an order book.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub price: f64,
    pub size: f64,
}

/// An order-book snapshot: bids best (highest) first, asks best (lowest) first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OrderBookSnapshot {
    pub time_ms: i64,
    pub bids: Vec<Level>,
    pub asks: Vec<Level>,
}

/// Best bid and ask with their sizes (for order-flow imbalance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub time_ms: i64,
    pub bid_price: f64,
    pub bid_size: f64,
    pub ask_price: f64,
    pub ask_size: f64,
}

/// The side of the position that was force-closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PositionSide {
    Long,
    Short,
}

/// A liquidation (forced closure) of a position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Liquidation {
    pub time_ms: i64,
    /// The liquidated position's side: a long liquidation is a forced sell.
    pub side: PositionSide,
    pub price: f64,
    pub quantity_base: f64,
}

/// The live state of one perpetual: what a ticker or premium-index endpoint reports now.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Ticker {
    pub time_ms: i64,
    #[serde(default)]
    pub mark_price: Option<f64>,
    #[serde(default)]
    pub index_price: Option<f64>,
    #[serde(default)]
    pub last_price: Option<f64>,
    /// The rate of the current (next) funding period, per `funding_interval_hours`.
    #[serde(default)]
    pub funding_rate: Option<f64>,
    #[serde(default)]
    pub funding_interval_hours: Option<f64>,
    #[serde(default)]
    pub next_funding_time_ms: Option<i64>,
    #[serde(default)]
    pub open_interest_base: Option<f64>,
    #[serde(default)]
    pub volume_24h_base: Option<f64>,
}

/// A venue's funding settings for a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FundingSettings {
    pub interval_hours: f64,
    /// Highest and lowest rate per interval the venue allows, where published.
    #[serde(default)]
    pub cap: Option<f64>,
    #[serde(default)]
    pub floor: Option<f64>,
}

/// Perpetual or dated-future basis at a time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BasisPoint {
    pub time_ms: i64,
    pub futures_price: f64,
    pub index_price: f64,
}

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    Call,
    Put,
}

/// One option of a chain, prices converted to USD per unit of underlying.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionQuote {
    pub instrument: String,
    pub kind: OptionKind,
    pub strike: f64,
    pub expiry_ms: i64,
    pub mark_price_usd: f64,
    /// Decimal (0.55 = 55 %).
    pub mark_iv: f64,
    pub underlying_price: f64,
    #[serde(default)]
    pub delta: Option<f64>,
    #[serde(default)]
    pub open_interest_base: Option<f64>,
}

/// A value at a time (market cap, circulating supply…).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub time_ms: i64,
    pub value: f64,
}
