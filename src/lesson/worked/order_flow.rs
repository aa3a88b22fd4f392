//! Order-flow imbalances: Cont–Kukanov–Stoikov OFI over six best quotes, taker flow and cumulative volume
//! delta over three klines, depth imbalance within a band, and the weighted mid.

use lens_math::flow::{
    DepthImbalance, cumulative_volume_delta, ofi_contribution, taker_imbalance, weighted_mid,
};
use lens_math::market::{Bar, BestQuote, BookLevel, OrderBook};

use super::{Input, Ladder, Model, Outputs, Problem, Values, by_sign, signed, signed_tidy, tidy};
use crate::lesson::text::num;

const fn size(key: &'static str, label: &'static str, default: f64) -> Input {
    Input::new(key, label, default, (0.0, 1_000_000.0, 1.0), 4)
}

static BID0: Input = size("bid0", "Bid size, step 0", 10.0);
static ASK0: Input = size("ask0", "Ask size, step 0", 10.0);
static BID1: Input = size("bid1", "Bid size, step 1", 15.0);
static ASK1: Input = size("ask1", "Ask size, step 1", 10.0);
static BID2: Input = size("bid2", "Bid size, step 2", 15.0);
static ASK2: Input = size("ask2", "Ask size, step 2", 4.0);
static BID3: Input = size("bid3", "Bid size, step 3", 5.0);
static ASK3: Input = size("ask3", "Ask size, step 3", 8.0);
static BID4: Input = size("bid4", "Bid size, step 4", 20.0);
static ASK4: Input = size("ask4", "Ask size, step 4", 9.0);
static BID5: Input = size("bid5", "Bid size, step 5", 20.0);
static ASK5: Input = size("ask5", "Ask size, step 5", 9.0);
static VOL1: Input = size("vol1", "Volume, kline 1", 1_200.0);
static BUY1: Input = size("buy1", "Taker buy volume, kline 1", 700.0);
static VOL2: Input = size("vol2", "Volume, kline 2", 900.0);
static BUY2: Input = size("buy2", "Taker buy volume, kline 2", 380.0);
static VOL3: Input = size("vol3", "Volume, kline 3", 1_500.0);
static BUY3: Input = size("buy3", "Taker buy volume, kline 3", 900.0);
static DB1: Input = size("db1", "Bid depth, level 1", 4.0);
static DB2: Input = size("db2", "Bid depth, level 2", 6.0);
static DB3: Input = size("db3", "Bid depth, level 3", 10.0);
static DA1: Input = size("da1", "Ask depth, level 1", 3.0);
static DA2: Input = size("da2", "Ask depth, level 2", 2.0);
static DA3: Input = size("da3", "Ask depth, level 3", 5.0);
static WM_BID: Input = size("wm-bid", "Best bid size", 1.0);
static WM_ASK: Input = size("wm-ask", "Best ask size", 3.0);

pub static MODEL: Model = Model {
    slug: "order-flow-imbalances",
    inputs: &[
        &BID0, &ASK0, &BID1, &ASK1, &BID2, &ASK2, &BID3, &ASK3, &BID4, &ASK4, &BID5, &ASK5, &VOL1,
        &BUY1, &VOL2, &BUY2, &VOL3, &BUY3, &DB1, &DB2, &DB3, &DA1, &DA2, &DA3, &WM_BID, &WM_ASK,
        &BP0, &AP0, &BP1, &AP1, &BP2, &AP2, &BP3, &AP3, &BP4, &AP4, &BP5, &AP5,
    ],
    compute,
    ladder: Some(Ladder {
        input: &WM_ASK,
        from: 0.0,
        to: 10.0,
        answer: "Weighted mid",
        at: |v| weighted_mid(&best(v.of(&WM_BID), v.of(&WM_ASK))).ok(),
    }),
};

const fn price(key: &'static str, label: &'static str, default: f64) -> Input {
    Input::new(key, label, default, (1.0, 1_000_000.0, 1.0), 4)
}

static BP0: Input = price("bp0", "Bid price, step 0", 100.0);
static AP0: Input = price("ap0", "Ask price, step 0", 101.0);
static BP1: Input = price("bp1", "Bid price, step 1", 100.0);
static AP1: Input = price("ap1", "Ask price, step 1", 101.0);
static BP2: Input = price("bp2", "Bid price, step 2", 100.0);
static AP2: Input = price("ap2", "Ask price, step 2", 101.0);
static BP3: Input = price("bp3", "Bid price, step 3", 101.0);
static AP3: Input = price("ap3", "Ask price, step 3", 102.0);
static BP4: Input = price("bp4", "Bid price, step 4", 100.0);
static AP4: Input = price("ap4", "Ask price, step 4", 101.0);
static BP5: Input = price("bp5", "Bid price, step 5", 100.0);
static AP5: Input = price("ap5", "Ask price, step 5", 101.0);

/// The six snapshots' prices (bid, ask).
const PRICES: [(&Input, &Input); 6] = [
    (&BP0, &AP0),
    (&BP1, &AP1),
    (&BP2, &AP2),
    (&BP3, &AP3),
    (&BP4, &AP4),
    (&BP5, &AP5),
];
const SIZES: [(&Input, &Input); 6] = [
    (&BID0, &ASK0),
    (&BID1, &ASK1),
    (&BID2, &ASK2),
    (&BID3, &ASK3),
    (&BID4, &ASK4),
    (&BID5, &ASK5),
];
/// Steps 1–5: the table's bid term, ask term and event, and the two terms alone for the text.
const STEP_KEYS: [[&str; 5]; 5] = [
    ["b1", "a1", "e1", "bt1", "at1"],
    ["b2", "a2", "e2", "bt2", "at2"],
    ["b3", "a3", "e3", "bt3", "at3"],
    ["b4", "a4", "e4", "bt4", "at4"],
    ["b5", "a5", "e5", "bt5", "at5"],
];
const KLINES: [(&Input, &Input, [&str; 3]); 3] = [
    (&VOL1, &BUY1, ["sell1", "ti1", "cvd1"]),
    (&VOL2, &BUY2, ["sell2", "ti2", "cvd2"]),
    (&VOL3, &BUY3, ["sell3", "ti3", "cvd3"]),
];

fn best(bid_size: f64, ask_size: f64) -> BestQuote {
    BestQuote {
        time_ms: 0,
        bid_price: 100.0,
        bid_size,
        ask_price: 101.0,
        ask_size,
    }
}

/// How one side's term reads in the table: `15 − 10 = +5` at an unchanged price, `up: +5`, `down: −5`.
fn term_text(previous_price: f64, price: f64, same: String, term: f64) -> String {
    if price > previous_price {
        format!("up: {}", signed_tidy(term, 4))
    } else if price < previous_price {
        format!("down: {}", signed_tidy(term, 4))
    } else {
        format!("{same} = {}", signed_tidy(term, 4))
    }
}

/// What happened at a step where a quote moved, side by side, in the words of Cont, Kukanov and Stoikov's
/// rule: a rising bid counts only its new size, a falling bid loses its old one; a rising ask removes the old
/// ask's supply, a falling ask adds its new size against buyers.
fn move_sentence(
    step: usize,
    prev: &BestQuote,
    cur: &BestQuote,
    bid_term: f64,
    ask_term: f64,
) -> String {
    let n = |x: f64| tidy(x, 4);
    let bid = if cur.bid_price > prev.bid_price {
        format!(
            "the bid rises, so only the new bid size counts ({})",
            signed_tidy(bid_term, 4)
        )
    } else if cur.bid_price < prev.bid_price {
        format!(
            "the bid falls, so the old bid of {} is lost ({})",
            n(prev.bid_size),
            signed_tidy(bid_term, 4)
        )
    } else {
        format!(
            "the bid stays, so its change in size counts ({})",
            signed_tidy(bid_term, 4)
        )
    };
    let ask = if cur.ask_price > prev.ask_price {
        format!(
            "the ask rises, so the {} that used to sit at {} counts as supply removed ({})",
            n(prev.ask_size),
            n(prev.ask_price),
            signed_tidy(ask_term, 4)
        )
    } else if cur.ask_price < prev.ask_price {
        format!(
            "the ask falls, so the new ask of {} counts against buyers ({})",
            n(cur.ask_size),
            signed_tidy(ask_term, 4)
        )
    } else {
        format!(
            "the ask stays, so its change in size counts ({})",
            signed_tidy(ask_term, 4)
        )
    };
    format!("In step {step} {bid}; {ask}.")
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    if let Some((_, ask)) = PRICES.iter().find(|(bid, ask)| v.of(ask) <= v.of(bid)) {
        return Err(Problem::at(ask, "The best ask must be above the best bid."));
    }
    let quotes: Vec<BestQuote> = PRICES
        .iter()
        .zip(SIZES)
        .enumerate()
        .map(|(i, ((bid_price, ask_price), (bid, ask)))| BestQuote {
            time_ms: i as i64,
            bid_price: v.of(bid_price),
            bid_size: v.of(bid),
            ask_price: v.of(ask_price),
            ask_size: v.of(ask),
        })
        .collect();
    let mut out: Outputs = Vec::new();
    let mut events = Vec::new();
    let mut still = Vec::new();
    let mut moves = Vec::new();
    for (pair, [b, a, e, bt, at]) in quotes.windows(2).zip(STEP_KEYS) {
        let (prev, cur) = (&pair[0], &pair[1]);
        let event = ofi_contribution(prev, cur)?;
        // The two terms of Cont, Kukanov and Stoikov (2014), read off the same quotes as the event.
        let bid_term = if cur.bid_price >= prev.bid_price {
            cur.bid_size
        } else {
            0.0
        } - if cur.bid_price <= prev.bid_price {
            prev.bid_size
        } else {
            0.0
        };
        let ask_term = event - bid_term;
        let n = |x: f64| tidy(x, 4);
        out.extend([
            (
                b,
                term_text(
                    prev.bid_price,
                    cur.bid_price,
                    format!("{} − {}", n(cur.bid_size), n(prev.bid_size)),
                    bid_term,
                ),
            ),
            (
                a,
                term_text(
                    prev.ask_price,
                    cur.ask_price,
                    format!("−{} + {}", n(cur.ask_size), n(prev.ask_size)),
                    ask_term,
                ),
            ),
            (e, signed_tidy(event, 4)),
            (bt, signed_tidy(bid_term, 4)),
            (at, signed_tidy(ask_term, 4)),
        ]);
        events.push(event);
        let step = events.len();
        if cur.bid_price == prev.bid_price && cur.ask_price == prev.ask_price {
            still.push(step);
        } else {
            moves.push(move_sentence(step, prev, cur, bid_term, ask_term));
        }
    }
    let still_text = match still.as_slice() {
        [] => String::new(),
        [one] => format!(
            "In step {one} the prices do not move, so each side counts both terms and the event reduces to the \
             change in bid size minus the change in ask size. "
        ),
        [rest @ .., last] => format!(
            "In steps {} and {last} the prices do not move, so each side counts both terms and the event reduces \
             to the change in bid size minus the change in ask size. ",
            rest.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    out.push((
        "moves",
        format!("{still_text}{}", moves.join(" "))
            .trim()
            .to_string(),
    ));
    let mids: Vec<f64> = quotes.iter().map(BestQuote::mid).collect();
    let mut path: Vec<f64> = Vec::new();
    for m in &mids {
        if path.last() != Some(m) {
            path.push(*m);
        }
    }
    let net = mids.last().copied().unwrap_or(0.0) - mids.first().copied().unwrap_or(0.0);
    out.extend([
        (
            "mid-path",
            path.iter()
                .map(|m| tidy(*m, 4))
                .collect::<Vec<_>>()
                .join(" → "),
        ),
        (
            "mid-change",
            if net.abs() < 1e-9 {
                "zero".to_string()
            } else {
                signed_tidy(net, 4)
            },
        ),
    ]);
    let mut sum = String::new();
    for (i, e) in events.iter().enumerate() {
        let magnitude = tidy(e.abs(), 4);
        match (i, *e < 0.0) {
            (0, false) => sum.push_str(&magnitude),
            (0, true) => sum.push_str(&format!("−{magnitude}")),
            (_, false) => sum.push_str(&format!(" + {magnitude}")),
            (_, true) => sum.push_str(&format!(" − {magnitude}")),
        }
    }
    let total: f64 = events.iter().sum();
    out.extend([("ofi-sum", sum), ("ofi", signed_tidy(total, 4))]);

    let mut bars = Vec::new();
    for (i, (volume, buy, _)) in KLINES.iter().enumerate() {
        if v.of(buy) > v.of(volume) {
            return Err(Problem::at(
                buy,
                "Taker buy volume is part of the volume: it cannot exceed it.",
            ));
        }
        bars.push(Bar {
            open_time_ms: i as i64,
            open: 1.0,
            high: 1.0,
            low: 1.0,
            close: 1.0,
            volume: v.of(volume),
            taker_buy_volume: v.of(buy),
        });
    }
    let cvd = cumulative_volume_delta(&bars)?;
    for (i, (volume, buy, [sell, ti, cvd_key])) in KLINES.iter().enumerate() {
        let imbalance = taker_imbalance(&bars[i..=i])?.values().first().copied();
        out.extend([
            (*sell, tidy(v.of(volume) - v.of(buy), 4)),
            (
                *ti,
                imbalance.map_or_else(|| "–".to_string(), |x| signed(x, 3)),
            ),
            (
                *cvd_key,
                cvd.values()
                    .get(i)
                    .map_or_else(|| "–".to_string(), |x| signed_tidy(*x, 4)),
            ),
        ]);
    }

    let bids = [(99.9, &DB1), (99.7, &DB2), (99.5, &DB3)];
    let asks = [(100.1, &DA1), (100.3, &DA2), (100.5, &DA3)];
    let level = |(price, input): (f64, &Input)| BookLevel {
        price,
        size: v.of(input),
    };
    let book = OrderBook {
        time_ms: 0,
        bids: bids.into_iter().map(level).collect(),
        asks: asks.into_iter().map(level).collect(),
    };
    let bid_depth: f64 = book.bids.iter().map(|l| l.size).sum();
    let ask_depth: f64 = book.asks.iter().map(|l| l.size).sum();
    let di = DepthImbalance::new(0.005)?.compute(&book).map_err(|_| {
        Problem::at(
            &DB1,
            "The band holds no depth at all: there is nothing to compare.",
        )
    })?;
    out.extend([
        ("bid-depth", tidy(bid_depth, 4)),
        ("ask-depth", tidy(ask_depth, 4)),
        ("depth", tidy(bid_depth + ask_depth, 4)),
        ("di", signed(di, 2)),
    ]);

    let quote = best(v.of(&WM_BID), v.of(&WM_ASK));
    let wm = weighted_mid(&quote)
        .map_err(|_| Problem::at(&WM_BID, "Both queues are empty: there is no weighted mid."))?;
    out.extend([
        ("wm-total", tidy(v.of(&WM_BID) + v.of(&WM_ASK), 4)),
        ("wm", num(wm, 2)),
        ("wm-side", by_sign(wm - quote.mid(), "below", "at", "above")),
        (
            "wm-reason",
            by_sign(
                v.of(&WM_ASK) - v.of(&WM_BID),
                "the heavier bid queue points to a fair price nearer the ask",
                "equal queues leave the fair price in the middle",
                "the heavier ask queue points to a fair price nearer the bid",
            ),
        ),
    ]);
    Ok(out)
}
