//! Plain shapes of market data that the indicators work on: bars, best quotes, book levels, liquidations,
//! option quotes. Venue formats are translated into these by the app; the math never sees a venue's JSON.
//!
//! Conventions: times are ms UTC; prices in quote currency (USD/USDT) per unit of base; quantities in base
//! units (BTC, ETH) unless a field name says otherwise.

/// Which side of the market a position or an aggressive order is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Long,
    Short,
}

impl Side {
    /// +1 for long, −1 for short: the sign of P&L for a rising price.
    pub fn sign(self) -> f64 {
        match self {
            Side::Long => 1.0,
            Side::Short => -1.0,
        }
    }

    pub fn opposite(self) -> Side {
        match self {
            Side::Long => Side::Short,
            Side::Short => Side::Long,
        }
    }
}

/// One candlestick with taker (aggressive) buy volume, as Binance klines report it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Start of the bar.
    pub open_time_ms: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    /// Traded volume in base units.
    pub volume: f64,
    /// The part of `volume` where the buyer was the taker; taker sell volume is `volume − taker_buy_volume`.
    pub taker_buy_volume: f64,
}

impl Bar {
    /// Volume where the seller was the taker.
    pub fn taker_sell_volume(&self) -> f64 {
        self.volume - self.taker_buy_volume
    }

    /// (high + low + close) / 3.
    pub fn typical_price(&self) -> f64 {
        (self.high + self.low + self.close) / 3.0
    }

    /// Whether every number is finite, prices are positive, high ≥ low, and volumes are consistent.
    pub fn is_valid(&self) -> bool {
        let all_finite = [
            self.open,
            self.high,
            self.low,
            self.close,
            self.volume,
            self.taker_buy_volume,
        ]
        .iter()
        .all(|v| v.is_finite());
        all_finite
            && self.low > 0.0
            && self.high >= self.low
            && (self.low..=self.high).contains(&self.open)
            && (self.low..=self.high).contains(&self.close)
            && self.volume >= 0.0
            && (0.0..=self.volume).contains(&self.taker_buy_volume)
    }
}

/// Best bid and ask with the sizes resting there (level 1 of the book).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BestQuote {
    pub time_ms: i64,
    pub bid_price: f64,
    pub bid_size: f64,
    pub ask_price: f64,
    pub ask_size: f64,
}

impl BestQuote {
    pub fn mid(&self) -> f64 {
        (self.bid_price + self.ask_price) / 2.0
    }
}

/// One price level of an order book.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BookLevel {
    pub price: f64,
    pub size: f64,
}

/// An order-book snapshot: bids best (highest) first, asks best (lowest) first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderBook {
    pub time_ms: i64,
    pub bids: Vec<BookLevel>,
    pub asks: Vec<BookLevel>,
}

/// A forced closure reported by a venue (or produced by the simulator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Liquidation {
    pub time_ms: i64,
    /// The side of the position that was liquidated (a long liquidation is a forced sell).
    pub side: Side,
    pub price: f64,
    /// Base units closed.
    pub quantity: f64,
}

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionKind {
    Call,
    Put,
}

/// One option of a chain, as a venue's ticker reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionQuote {
    pub kind: OptionKind,
    pub strike: f64,
    pub expiry_ms: i64,
    /// Mark price in quote currency per unit of underlying (Deribit quotes in coin: convert before).
    pub mark_price: f64,
    /// Implied volatility as a decimal (0.55 = 55 %).
    pub mark_iv: f64,
    /// Underlying (index or future) price the quote refers to.
    pub underlying_price: f64,
}
