//! Venue adapters: each module only translates. It turns a [`Query`] ("funding history of BTC for 30 days")
//! into the venue's HTTP [`Request`]s, and the venue's response bytes into a normalised [`Payload`].
//! Nothing here touches the network; `market::client` does, and these functions are tested natively on
//! fixtures in each venue's exact format.

pub mod binance;
pub mod bybit;
pub mod deribit;
pub mod dydx;
pub mod hyperliquid;
mod kit;
pub mod okx;

use super::parse::ParseError;

use super::model::{
    Asset, BasisPoint, Candle, FundingRate, FundingSettings, Liquidation, LongShortRatio,
    OpenInterest, OptionQuote, OrderBookSnapshot, PriceKind, Quote, RatioKind, TakerVolume, Ticker,
    Venue,
};

/// A sampling period for history endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    M1,
    M5,
    M15,
    M30,
    H1,
    H4,
    D1,
}

impl Period {
    pub fn ms(self) -> i64 {
        const MINUTE: i64 = 60_000;
        match self {
            Period::M1 => MINUTE,
            Period::M5 => 5 * MINUTE,
            Period::M15 => 15 * MINUTE,
            Period::M30 => 30 * MINUTE,
            Period::H1 => 60 * MINUTE,
            Period::H4 => 240 * MINUTE,
            Period::D1 => 1_440 * MINUTE,
        }
    }
}

/// What a page asks a venue for. Time windows are `[from_ms, to_ms]`, both inclusive, in ms UTC.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// Funding payments in a window.
    FundingHistory {
        asset: Asset,
        from_ms: i64,
        to_ms: i64,
    },
    /// Funding interval, cap and floor.
    FundingSettings { asset: Asset },
    /// The live state: mark, index, last, current funding, open interest.
    Ticker { asset: Asset },
    /// Open interest sampled every `period`.
    OpenInterestHistory {
        asset: Asset,
        period: Period,
        from_ms: i64,
        to_ms: i64,
    },
    /// A long/short ratio series.
    LongShortRatio {
        asset: Asset,
        kind: RatioKind,
        period: Period,
        from_ms: i64,
        to_ms: i64,
    },
    /// Taker buy/sell volume per period.
    TakerVolume {
        asset: Asset,
        period: Period,
        from_ms: i64,
        to_ms: i64,
    },
    /// Candles of the traded, mark or index price.
    Candles {
        asset: Asset,
        price: PriceKind,
        period: Period,
        from_ms: i64,
        to_ms: i64,
    },
    /// Perpetual basis (futures vs index) per period.
    Basis {
        asset: Asset,
        period: Period,
        from_ms: i64,
        to_ms: i64,
    },
    /// An order-book snapshot with up to `depth` levels per side.
    OrderBook { asset: Asset, depth: u32 },
    /// The option chain of the asset.
    OptionChain { asset: Asset },
    /// Recent liquidations available over REST.
    RecentLiquidations { asset: Asset },
}

impl Query {
    pub fn asset(&self) -> &Asset {
        match self {
            Query::FundingHistory { asset, .. }
            | Query::FundingSettings { asset }
            | Query::Ticker { asset }
            | Query::OpenInterestHistory { asset, .. }
            | Query::LongShortRatio { asset, .. }
            | Query::TakerVolume { asset, .. }
            | Query::Candles { asset, .. }
            | Query::Basis { asset, .. }
            | Query::OrderBook { asset, .. }
            | Query::OptionChain { asset }
            | Query::RecentLiquidations { asset } => asset,
        }
    }
}

/// What a venue's response becomes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Payload {
    Funding(Vec<FundingRate>),
    FundingSettings(FundingSettings),
    Ticker(Ticker),
    OpenInterest(Vec<OpenInterest>),
    Ratios(Vec<LongShortRatio>),
    Taker(Vec<TakerVolume>),
    Candles(Vec<Candle>),
    Basis(Vec<BasisPoint>),
    Book(OrderBookSnapshot),
    Options(Vec<OptionQuote>),
    Liquidations(Vec<Liquidation>),
    /// Best-quote snapshots (from a stream or the simulated sample), oldest first.
    Quotes(Vec<Quote>),
}

/// HTTP method of a request. Public market data is GET everywhere except Hyperliquid's `POST /info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

/// One HTTP request to a venue, relative to the venue's base URL (which the site owner may point at a proxy).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    pub venue: Venue,
    pub method: Method,
    /// Path and query string, starting with `/`, e.g. `/fapi/v1/fundingRate?symbol=BTCUSDT&limit=1000`.
    pub path_and_query: String,
    /// JSON body for POST requests.
    pub body: Option<String>,
}

impl Request {
    /// A GET with the given query parameters (values are percent-encoded here).
    pub fn get(venue: Venue, path: &str, params: &[(&str, String)]) -> Request {
        let mut path_and_query = path.to_string();
        for (i, (key, value)) in params.iter().enumerate() {
            path_and_query.push(if i == 0 { '?' } else { '&' });
            path_and_query.push_str(key);
            path_and_query.push('=');
            path_and_query.push_str(&crate::base::percent::encode(value));
        }
        Request {
            venue,
            method: Method::Get,
            path_and_query,
            body: None,
        }
    }

    /// A POST with a JSON body.
    pub fn post_json(venue: Venue, path: &str, body: String) -> Request {
        Request {
            venue,
            method: Method::Post,
            path_and_query: path.to_string(),
            body: Some(body),
        }
    }
}

/// A query this venue has no public endpoint for (the client then tries another venue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub venue: Venue,
    pub what: &'static str,
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} has no public endpoint for {}",
            self.venue.display_name(),
            self.what
        )
    }
}

/// What arrives on a venue's WebSocket stream, normalised.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    Quote(Quote),
    Liquidation(Liquidation),
    Book(OrderBookSnapshot),
}

/// Which stream a page wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StreamKind {
    /// Best bid/ask updates (for OFI).
    BestQuotes,
    /// Liquidation orders.
    Liquidations,
    /// Level-2 book snapshots.
    Book,
}

impl StreamKind {
    pub const ALL: [StreamKind; 3] = [
        StreamKind::BestQuotes,
        StreamKind::Liquidations,
        StreamKind::Book,
    ];

    /// Stable id for element ids.
    pub fn id(self) -> &'static str {
        match self {
            StreamKind::BestQuotes => "quotes",
            StreamKind::Liquidations => "liquidations",
            StreamKind::Book => "book",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StreamKind::BestQuotes => "best quotes",
            StreamKind::Liquidations => "liquidations",
            StreamKind::Book => "order book",
        }
    }
}

/// How to open a stream: the path under the venue's WebSocket base URL and the message to send once open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamRequest {
    pub venue: Venue,
    pub path: String,
    pub subscribe_message: Option<String>,
}

/// The requests that answer `query` on `venue` (several when the window needs paging), oldest window first.
pub fn requests(venue: Venue, query: &Query) -> Result<Vec<Request>, Unsupported> {
    match venue {
        Venue::Binance => binance::requests(query),
        Venue::Bybit => bybit::requests(query),
        Venue::Okx => okx::requests(query),
        Venue::Hyperliquid => hyperliquid::requests(query),
        Venue::Deribit => deribit::requests(query),
        Venue::Dydx => dydx::requests(query),
    }
}

/// One response page of `query` from `venue`, normalised.
pub fn parse(venue: Venue, query: &Query, body: &[u8]) -> Result<Payload, ParseError> {
    match venue {
        Venue::Binance => binance::parse(query, body),
        Venue::Bybit => bybit::parse(query, body),
        Venue::Okx => okx::parse(query, body),
        Venue::Hyperliquid => hyperliquid::parse(query, body),
        Venue::Deribit => deribit::parse(query, body),
        Venue::Dydx => dydx::parse(query, body),
    }
}

/// Whether `venue` has a public endpoint for `query` (cheap: builds the request, sends nothing).
pub fn supports(venue: Venue, query: &Query) -> bool {
    requests(venue, query).is_ok()
}

/// How to open a stream on `venue`.
pub fn stream_request(
    venue: Venue,
    asset: &Asset,
    kind: StreamKind,
) -> Result<StreamRequest, Unsupported> {
    match venue {
        Venue::Binance => binance::stream_request(asset, kind),
        Venue::Bybit => bybit::stream_request(asset, kind),
        Venue::Okx => okx::stream_request(asset, kind),
        Venue::Hyperliquid => hyperliquid::stream_request(asset, kind),
        Venue::Deribit | Venue::Dydx => Err(Unsupported {
            venue,
            what: "streams",
        }),
    }
}

/// Every event in one stream message (Bybit batches several liquidations in one push); heartbeats and
/// acknowledgements give none.
pub fn parse_stream_message(venue: Venue, text: &str) -> Result<Vec<StreamEvent>, ParseError> {
    match venue {
        Venue::Binance => binance::parse_stream_messages(text),
        Venue::Bybit => bybit::parse_stream_messages(text),
        Venue::Okx => okx::parse_stream_messages(text),
        Venue::Hyperliquid => {
            hyperliquid::parse_stream_message(text).map(|e| e.into_iter().collect())
        }
        Venue::Deribit | Venue::Dydx => Ok(Vec::new()),
    }
}

/// Joins the pages of one query into one payload: series are concatenated, sorted oldest first and
/// de-duplicated (pages may overlap at their edges); for snapshots the last page wins. `None` for no pages.
pub fn merge_pages(pages: Vec<Payload>) -> Option<Payload> {
    use super::parse::oldest_first;
    let mut pages = pages.into_iter();
    let first = pages.next()?;
    Some(pages.fold(first, |acc, page| match (acc, page) {
        (Payload::Funding(mut a), Payload::Funding(b)) => {
            a.extend(b);
            Payload::Funding(oldest_first(a, |r| r.time_ms))
        }
        (Payload::OpenInterest(mut a), Payload::OpenInterest(b)) => {
            a.extend(b);
            Payload::OpenInterest(oldest_first(a, |r| r.time_ms))
        }
        (Payload::Ratios(mut a), Payload::Ratios(b)) => {
            a.extend(b);
            Payload::Ratios(oldest_first(a, |r| r.time_ms))
        }
        (Payload::Taker(mut a), Payload::Taker(b)) => {
            a.extend(b);
            Payload::Taker(oldest_first(a, |r| r.time_ms))
        }
        (Payload::Candles(mut a), Payload::Candles(b)) => {
            a.extend(b);
            Payload::Candles(oldest_first(a, |r| r.open_time_ms))
        }
        (Payload::Basis(mut a), Payload::Basis(b)) => {
            a.extend(b);
            Payload::Basis(oldest_first(a, |r| r.time_ms))
        }
        (Payload::Liquidations(mut a), Payload::Liquidations(b)) => {
            a.extend(b);
            lens_math::sort::sort_by_key(&mut a, |l| l.time_ms);
            Payload::Liquidations(a)
        }
        (Payload::Quotes(mut a), Payload::Quotes(b)) => {
            a.extend(b);
            lens_math::sort::sort_by_key(&mut a, |q| q.time_ms);
            Payload::Quotes(a)
        }
        (Payload::Options(mut a), Payload::Options(b)) => {
            a.extend(b);
            Payload::Options(a)
        }
        (_, last) => last,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::model::FundingRate;

    fn funding(times: &[i64]) -> Payload {
        Payload::Funding(
            times
                .iter()
                .map(|&t| FundingRate {
                    time_ms: t,
                    rate: 0.0001,
                    interval_hours: 8.0,
                    mark_price: None,
                })
                .collect(),
        )
    }

    #[test]
    fn pages_merge_oldest_first_without_overlap_duplicates() {
        let merged = merge_pages(vec![funding(&[3, 4]), funding(&[1, 2, 3])]).unwrap();
        let Payload::Funding(rows) = merged else {
            panic!("wrong kind")
        };
        assert_eq!(
            rows.iter().map(|r| r.time_ms).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        assert_eq!(merge_pages(vec![]), None);
    }

    #[test]
    fn payload_round_trips_through_json() {
        let p = funding(&[1, 2]);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Payload>(&json).unwrap(), p);
    }

    #[test]
    fn get_requests_encode_their_parameters() {
        let r = Request::get(
            Venue::Binance,
            "/x",
            &[("symbol", "BTC USDT".into()), ("limit", "5".into())],
        );
        assert_eq!(r.path_and_query, "/x?symbol=BTC%20USDT&limit=5");
        assert_eq!(r.method, Method::Get);
    }
}
