//! How the dashboard and the dynamics-assessment worked example name each regime: one set of words for both.

use lens_math::positioning::{BasisRegime, FundingRegime, OiPriceQuadrant, RiskReversalRegime};

pub fn quadrant_name(q: OiPriceQuadrant) -> &'static str {
    match q {
        OiPriceQuadrant::NewLongs => "New longs",
        OiPriceQuadrant::ShortCovering => "Short covering",
        OiPriceQuadrant::NewShorts => "New shorts",
        OiPriceQuadrant::LongLiquidation => "Long liquidation",
        OiPriceQuadrant::NoClearRead => "No clear read",
    }
}

pub fn funding_words(regime: FundingRegime) -> &'static str {
    match regime {
        FundingRegime::ShortsPayHeavily => "shorts pay heavily",
        FundingRegime::ShortsPay => "shorts pay",
        FundingRegime::Neutral => "neutral",
        FundingRegime::Elevated => "elevated, longs pay",
        FundingRegime::Hot => "hot, longs pay heavily",
    }
}

pub fn basis_words(regime: BasisRegime) -> &'static str {
    match regime {
        BasisRegime::Backwardation => "backwardation",
        BasisRegime::Normal => "normal",
        BasisRegime::Rich => "rich",
        BasisRegime::Overheated => "overheated",
    }
}

pub fn skew_words(regime: RiskReversalRegime) -> &'static str {
    match regime {
        RiskReversalRegime::CallSkew => "calls dearer",
        RiskReversalRegime::Balanced => "balanced",
        RiskReversalRegime::PutSkew => "puts dearer",
    }
}
