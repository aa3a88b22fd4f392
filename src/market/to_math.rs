//! The market model in `lens_math`'s terms: the one place where a venue's row becomes the math crate's input.
//!
//! The two models differ on purpose: `model` keeps what a venue reported (units in the field names, optional
//! fields it may omit), `lens_math::market` holds only what a formula needs.

use lens_math::market as math;

use crate::market::model::{
    Candle, Level, Liquidation, OptionKind, OptionQuote, OrderBookSnapshot, PositionSide, Quote,
};

impl From<PositionSide> for math::Side {
    fn from(side: PositionSide) -> Self {
        match side {
            PositionSide::Long => math::Side::Long,
            PositionSide::Short => math::Side::Short,
        }
    }
}

/// A bar; where the venue does not report taker buys, the volume is split evenly (no flow either way).
impl From<&Candle> for math::Bar {
    fn from(c: &Candle) -> Self {
        math::Bar {
            open_time_ms: c.open_time_ms,
            open: c.open,
            high: c.high,
            low: c.low,
            close: c.close,
            volume: c.volume_base,
            taker_buy_volume: c.taker_buy_base.unwrap_or(c.volume_base / 2.0),
        }
    }
}

impl From<&Liquidation> for math::Liquidation {
    fn from(l: &Liquidation) -> Self {
        math::Liquidation {
            time_ms: l.time_ms,
            side: l.side.into(),
            price: l.price,
            quantity: l.quantity_base,
        }
    }
}

impl From<&Quote> for math::BestQuote {
    fn from(q: &Quote) -> Self {
        math::BestQuote {
            time_ms: q.time_ms,
            bid_price: q.bid_price,
            bid_size: q.bid_size,
            ask_price: q.ask_price,
            ask_size: q.ask_size,
        }
    }
}

impl From<&Level> for math::BookLevel {
    fn from(l: &Level) -> Self {
        math::BookLevel {
            price: l.price,
            size: l.size,
        }
    }
}

impl From<&OrderBookSnapshot> for math::OrderBook {
    fn from(book: &OrderBookSnapshot) -> Self {
        math::OrderBook {
            time_ms: book.time_ms,
            bids: book.bids.iter().map(math::BookLevel::from).collect(),
            asks: book.asks.iter().map(math::BookLevel::from).collect(),
        }
    }
}

impl From<OptionKind> for math::OptionKind {
    fn from(kind: OptionKind) -> Self {
        match kind {
            OptionKind::Call => math::OptionKind::Call,
            OptionKind::Put => math::OptionKind::Put,
        }
    }
}

/// The quote's mark in USD (venues quoting in coin are converted when parsed).
impl From<&OptionQuote> for math::OptionQuote {
    fn from(q: &OptionQuote) -> Self {
        math::OptionQuote {
            kind: q.kind.into(),
            strike: q.strike,
            expiry_ms: q.expiry_ms,
            mark_price: q.mark_price_usd,
            mark_iv: q.mark_iv,
            underlying_price: q.underlying_price,
        }
    }
}

/// Candles as bars, in order.
pub fn bars(candles: &[Candle]) -> Vec<math::Bar> {
    candles.iter().map(math::Bar::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_candle_without_taker_buys_splits_its_volume_evenly() {
        let candle = Candle {
            open_time_ms: 0,
            open: 1.0,
            high: 2.0,
            low: 0.5,
            close: 1.5,
            volume_base: 10.0,
            taker_buy_base: None,
        };
        assert_eq!(math::Bar::from(&candle).taker_buy_volume, 5.0);
        let reported = Candle {
            taker_buy_base: Some(7.0),
            ..candle
        };
        assert_eq!(math::Bar::from(&reported).taker_buy_volume, 7.0);
    }

    #[test]
    fn sides_and_kinds_keep_their_meaning() {
        assert_eq!(math::Side::from(PositionSide::Long), math::Side::Long);
        assert_eq!(math::Side::from(PositionSide::Short), math::Side::Short);
        assert_eq!(
            math::OptionKind::from(OptionKind::Put),
            math::OptionKind::Put
        );
        assert_eq!(
            math::OptionKind::from(OptionKind::Call),
            math::OptionKind::Call
        );
    }
}
