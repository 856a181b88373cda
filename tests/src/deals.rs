//! A deal file loaded and priced as the CLI and the browser do: read the
//! deal, load its matrix (a path relative to the deal file), build its usage
//! (CSV beside it, the profile, or none), price every offer and compare.

use std::path::Path;

use unitcalc_core::compare::Comparison;
use unitcalc_core::deal::Deal;
use unitcalc_core::deal_toml;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::matrix_toml::parse_matrix;
use unitcalc_core::quote::{quote, usage_of};
use unitcalc_core::usage::UsageSeries;
use unitcalc_core::usage_csv::read_usage;

/// A deal file with its matrix and usage.
pub struct LoadedDeal {
    pub matrix: Matrix,
    pub deal: Deal,
    pub usage: UsageSeries,
}

impl LoadedDeal {
    /// Every offer priced over the usage, compared against the first.
    pub fn compare(&self) -> Comparison {
        quote(
            &self.matrix,
            &self.deal.terms,
            &self.deal.offers,
            &self.usage,
        )
        .unwrap_or_else(|e| panic!("deal {}: {e}", self.deal.name))
        .comparison
    }

    /// Asserts that the deal written by `deal_toml::to_toml` reads back to the
    /// same deal (`name` names the fixture in the failure).
    pub fn assert_round_trips(&self, name: &str) {
        let written = deal_toml::to_toml(&self.deal, &self.matrix);
        assert_eq!(
            deal_toml::parse_deal(&written, "written", &self.matrix)
                .unwrap_or_else(|e| panic!("{name} as written: {e}")),
            self.deal,
            "{name}: to_toml round trip"
        );
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", crate::display(path)))
}

/// Loads the deal file at `path`; panics with the file and the error if any
/// step fails (these are fixtures that must load).
pub fn load_deal(path: impl AsRef<Path>) -> LoadedDeal {
    let path = path.as_ref();
    let src = read(path);
    let file = crate::display(path);
    let dir = path.parent().expect("a deal file is in a folder");
    let deal_file = deal_toml::read(&src, &file).unwrap_or_else(|e| panic!("{e}"));
    let matrix_path = dir.join(deal_file.matrix_path());
    let matrix = parse_matrix(&read(&matrix_path), &crate::display(&matrix_path))
        .unwrap_or_else(|e| panic!("{e}"));
    let deal = deal_file.resolve(&matrix).unwrap_or_else(|e| panic!("{e}"));
    let usage = usage_of(&deal, |csv| {
        let p = dir.join(csv);
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", crate::display(&p)));
        read_usage(&bytes, &crate::display(&p), &matrix, &deal.terms.term)
    })
    .unwrap_or_else(|e| panic!("{file}: {e}"));
    LoadedDeal {
        matrix,
        deal,
        usage,
    }
}

/// Loads the deal file at `path` and prices every offer.
pub fn price_deal_file(path: impl AsRef<Path>) -> Comparison {
    load_deal(path).compare()
}
