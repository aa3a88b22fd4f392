//! A clearing network of your own for the contagion worked example: 2–6 institutions with external assets,
//! external liabilities and what each owes each other one, cleared by Eisenberg–Noe's fictitious-default
//! algorithm. Starts as Barucca's three-bank ring; travels in the link as `x.net`.

use lens_math::contagion::ClearingNetwork;

use super::{Input, Problem};
use crate::lesson::text::num;

pub const MIN_INSTITUTIONS: usize = 2;
pub const MAX_INSTITUTIONS: usize = 6;
/// The link key (after the worked examples' `x.` prefix).
pub const LINK_KEY: &str = "net";
/// The largest amount a cell accepts.
pub const MAX_AMOUNT: f64 = 1e12;

/// How a cell is read and written: amounts from 0, to three decimals.
pub static AMOUNT: Input = Input::new("amount", "Amount", 0.0, (0.0, MAX_AMOUNT, 1.0), 3);

/// One cell a person can edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    ExternalAssets(usize),
    ExternalLiabilities(usize),
    /// What `from` owes `to`.
    Owes {
        from: usize,
        to: usize,
    },
}

/// The network as edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub external_assets: Vec<f64>,
    pub external_liabilities: Vec<f64>,
    /// `owes[i][j]`: what institution `i` owes `j` (the diagonal is zero).
    pub owes: Vec<Vec<f64>>,
}

/// One institution after clearing.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleared {
    /// What it pays of what it owes, e.g. "3 of 4".
    pub pays: String,
    pub defaults: bool,
    pub equity_before: String,
    pub equity_after: String,
}

impl Default for Network {
    /// Barucca's three-bank ring, as the worked example publishes it.
    fn default() -> Self {
        Self {
            external_assets: vec![20.0, 20.0, 10.0],
            external_liabilities: vec![17.0, 18.0, 8.0],
            owes: vec![
                vec![0.0, 4.0, 0.0],
                vec![0.0, 0.0, 3.0],
                vec![2.0, 0.0, 0.0],
            ],
        }
    }
}

impl Network {
    pub fn len(&self) -> usize {
        self.external_assets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.external_assets.is_empty()
    }

    /// The value of a cell (0 outside the network).
    pub fn get(&self, cell: Cell) -> f64 {
        match cell {
            Cell::ExternalAssets(i) => self.external_assets.get(i).copied(),
            Cell::ExternalLiabilities(i) => self.external_liabilities.get(i).copied(),
            Cell::Owes { from, to } => self.owes.get(from).and_then(|r| r.get(to)).copied(),
        }
        .unwrap_or(0.0)
    }

    /// Sets a cell; amounts are finite, from 0 to [`MAX_AMOUNT`], and nobody owes itself.
    pub fn set(&mut self, cell: Cell, value: f64) -> Result<(), String> {
        if !value.is_finite() {
            return Err("Enter a number.".to_string());
        }
        if value < 0.0 {
            return Err("Amounts cannot be negative.".to_string());
        }
        if value > MAX_AMOUNT {
            return Err(format!("At most {}.", num(MAX_AMOUNT, 0)));
        }
        let slot = match cell {
            Cell::ExternalAssets(i) => self.external_assets.get_mut(i),
            Cell::ExternalLiabilities(i) => self.external_liabilities.get_mut(i),
            Cell::Owes { from, to } if from != to => {
                self.owes.get_mut(from).and_then(|r| r.get_mut(to))
            }
            Cell::Owes { .. } => return Err("An institution does not owe itself.".to_string()),
        };
        match slot {
            Some(slot) => {
                *slot = value;
                Ok(())
            }
            None => Err("There is no such institution.".to_string()),
        }
    }

    /// Adds an institution with nothing on its books; `false` at [`MAX_INSTITUTIONS`].
    pub fn add(&mut self) -> bool {
        if self.len() >= MAX_INSTITUTIONS {
            return false;
        }
        self.external_assets.push(0.0);
        self.external_liabilities.push(0.0);
        for row in &mut self.owes {
            row.push(0.0);
        }
        self.owes.push(vec![0.0; self.len()]);
        true
    }

    /// Removes institution `i` and every debt to and from it; `false` at [`MIN_INSTITUTIONS`].
    pub fn remove(&mut self, i: usize) -> bool {
        if self.len() <= MIN_INSTITUTIONS || i >= self.len() {
            return false;
        }
        self.external_assets.remove(i);
        self.external_liabilities.remove(i);
        self.owes.remove(i);
        for row in &mut self.owes {
            row.remove(i);
        }
        true
    }

    /// Clears the network twice: as it stands, and after a cut of `cut` (a fraction) to every external asset.
    pub fn clear(&self, cut: f64) -> Result<Vec<Cleared>, Problem> {
        let run = |cut: f64| {
            let assets: Vec<f64> = self
                .external_assets
                .iter()
                .map(|a| a * (1.0 - cut))
                .collect();
            ClearingNetwork::from_balance_sheets(&self.owes, &assets, &self.external_liabilities)
                .and_then(|n| n.clearing_by_fictitious_default())
        };
        let before = run(0.0)?;
        let after = run(cut)?;
        let amount = |x: f64| super::tidy(x, 3);
        Ok((0..self.len())
            .map(|i| {
                let owed: f64 = self.owes[i].iter().sum();
                let paid = after.payments.get(i).copied().unwrap_or(0.0);
                Cleared {
                    pays: format!("{} of {}", amount(paid), amount(owed)),
                    defaults: paid + 1e-9 < owed,
                    equity_before: amount(before.equity.get(i).copied().unwrap_or(0.0)),
                    equity_after: amount(after.equity.get(i).copied().unwrap_or(0.0)),
                }
            })
            .collect())
    }

    /// `a:20,20,10;l:17,18,8;o:0,4,0/0,0,3/2,0,0` — short, readable, and only numbers.
    pub fn to_link(&self) -> String {
        let list = |v: &[f64]| v.iter().map(|x| trim(*x)).collect::<Vec<_>>().join(",");
        let owes = self
            .owes
            .iter()
            .map(|r| list(r))
            .collect::<Vec<_>>()
            .join("/");
        format!(
            "a:{};l:{};o:{owes}",
            list(&self.external_assets),
            list(&self.external_liabilities)
        )
    }

    /// Reads [`Network::to_link`]'s form; anything else is refused with the reason.
    pub fn from_link(raw: &str) -> Result<Self, String> {
        let refuse = || "The network in the link is not one this page can read.".to_string();
        let mut parts = raw.split(';');
        let mut field = |name: &str| -> Result<&str, String> {
            parts
                .next()
                .and_then(|p| p.strip_prefix(name))
                .ok_or_else(refuse)
        };
        let numbers = |s: &str| -> Result<Vec<f64>, String> {
            s.split(',')
                .map(|x| x.trim().parse::<f64>().map_err(|_| refuse()))
                .collect()
        };
        let assets = numbers(field("a:")?)?;
        let liabilities = numbers(field("l:")?)?;
        let owes: Vec<Vec<f64>> = field("o:")?
            .split('/')
            .map(numbers)
            .collect::<Result<_, _>>()?;
        if parts.next().is_some() {
            return Err(refuse());
        }
        let n = assets.len();
        if !(MIN_INSTITUTIONS..=MAX_INSTITUTIONS).contains(&n)
            || liabilities.len() != n
            || owes.len() != n
            || owes.iter().any(|r| r.len() != n)
        {
            return Err(format!(
                "The network in the link needs {MIN_INSTITUTIONS} to {MAX_INSTITUTIONS} institutions with a full table."
            ));
        }
        let mut network = Network {
            external_assets: vec![0.0; n],
            external_liabilities: vec![0.0; n],
            owes: vec![vec![0.0; n]; n],
        };
        for (i, ((asset, liability), row)) in assets.iter().zip(&liabilities).zip(&owes).enumerate()
        {
            network.set(Cell::ExternalAssets(i), *asset)?;
            network.set(Cell::ExternalLiabilities(i), *liability)?;
            for (j, amount) in row.iter().enumerate() {
                if i != j {
                    network.set(Cell::Owes { from: i, to: j }, *amount)?;
                } else if *amount != 0.0 {
                    return Err("An institution does not owe itself.".to_string());
                }
            }
        }
        Ok(network)
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barucca_ring_clears_as_published() {
        // The worked example's table after a 10 % cut: bank 0 pays 3 of 4 and defaults; equity 1, 3, 3 → 0, 0, 2.
        let rows = Network::default().clear(0.10).expect("clears");
        let shown: Vec<(&str, bool, &str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r.pays.as_str(),
                    r.defaults,
                    r.equity_before.as_str(),
                    r.equity_after.as_str(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ("3 of 4", true, "1", "0"),
                ("3 of 3", false, "3", "0"),
                ("2 of 2", false, "3", "2")
            ]
        );
    }

    #[test]
    fn adding_and_removing_keeps_the_table_square() {
        let mut net = Network::default();
        assert!(net.add() && net.add() && net.add());
        assert_eq!(net.len(), 6);
        assert!(!net.add(), "six at most");
        net.set(Cell::Owes { from: 5, to: 0 }, 7.0)
            .expect("in range");
        assert!(net.remove(1));
        assert_eq!(net.owes.len(), 5);
        assert!(net.owes.iter().all(|r| r.len() == 5));
        assert_eq!(net.get(Cell::Owes { from: 4, to: 0 }), 7.0);
        while net.remove(0) {}
        assert_eq!(net.len(), MIN_INSTITUTIONS);
    }

    #[test]
    fn impossible_entries_are_refused() {
        let mut net = Network::default();
        assert!(net.set(Cell::ExternalAssets(0), -1.0).is_err());
        assert!(net.set(Cell::Owes { from: 1, to: 1 }, 1.0).is_err());
        assert!(net.set(Cell::ExternalAssets(9), 1.0).is_err());
        assert!(net.set(Cell::ExternalLiabilities(0), f64::NAN).is_err());
        assert_eq!(net, Network::default());
    }

    #[test]
    fn the_link_round_trips_and_refuses_what_it_cannot_read() {
        let mut net = Network::default();
        net.add();
        net.set(Cell::Owes { from: 3, to: 0 }, 2.5)
            .expect("in range");
        let link = net.to_link();
        assert_eq!(Network::from_link(&link), Ok(net));
        assert_eq!(
            Network::default().to_link(),
            "a:20,20,10;l:17,18,8;o:0,4,0/0,0,3/2,0,0"
        );
        for hostile in [
            "",
            "a:1;l:1;o:0",
            "a:1,2;l:1;o:0,1/1,0",
            "a:1,2;l:1,2;o:0,-1/1,0",
            "a:1,2;l:1,2;o:5,1/1,0",
            "a:1,2;l:1,2;o:0,1/1,0;x",
            "<script>",
            "a:1,2,3,4,5,6,7;l:1,2,3,4,5,6,7;o:0",
        ] {
            assert!(Network::from_link(hostile).is_err(), "{hostile}");
        }
    }
}
