//! The worked examples A–F of the pricing model (section 11), once: a deal
//! file each under `tests/fixtures/examples/` (matrix M, usage as a profile),
//! one golden bill each under `tests/golden/` (exactly what
//! `unitcalc quote DEAL -f json` prints), and the headline figures the
//! pricing model states.

use std::path::PathBuf;

use unitcalc_core::bill::Bill;
use unitcalc_core::evidence::{fingerprints, Fingerprints};

/// One worked example: its letter and the figures the pricing model states.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// `"a"` … `"f"`.
    pub id: &'static str,
    /// The billing period the example is about.
    pub period: &'static str,
    /// That period's total.
    pub period_total: &'static str,
    /// The term's total (every period).
    pub term_total: &'static str,
}

/// (example, period, its total, term total), as pricing-model.md section 11
/// states them; term totals add the other months' fees.
pub const EXAMPLES: [Example; 6] = [
    ex("a", "2026-03", "223.20", "223.20"),
    ex("b", "2026-03", "40000.00", "480000.00"),
    ex("c", "2026-03", "40002.10", "480002.10"),
    ex("d", "2026-03", "40000.94", "480000.94"),
    ex("e", "2026-02", "20000.00", "480000.00"),
    ex("f", "2026-03", "966.00", "966.00"),
];

const fn ex(
    id: &'static str,
    period: &'static str,
    period_total: &'static str,
    term_total: &'static str,
) -> Example {
    Example {
        id,
        period,
        period_total,
        term_total,
    }
}

/// The worked example `id` (`"a"` … `"f"`).
pub fn example(id: &str) -> Example {
    *EXAMPLES
        .iter()
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("no worked example {id:?}"))
}

impl Example {
    /// The deal file, relative to the workspace root (the CLI tests run
    /// `unitcalc` there): `tests/fixtures/examples/example-a.toml`.
    pub fn deal_rel(&self) -> String {
        format!("{}/example-{}.toml", crate::fixtures::EXAMPLES, self.id)
    }

    /// The deal file.
    pub fn deal(&self) -> PathBuf {
        crate::path(self.deal_rel())
    }

    /// The golden bill: `tests/golden/example-a.json`.
    pub fn golden_bill(&self) -> PathBuf {
        crate::path(crate::fixtures::GOLDEN).join(format!("example-{}.json", self.id))
    }

    /// The bill of the deal's one offer, priced from the deal file.
    pub fn bill(&self) -> Bill {
        let mut c = crate::deals::price_deal_file(self.deal());
        assert_eq!(c.bills.len(), 1, "example {}: one offer", self.id);
        c.bills.remove(0)
    }
}

/// A bill as its golden file holds it: pretty JSON and a newline, as
/// `unitcalc quote -f json` prints it.
pub fn bill_json(bill: &Bill) -> String {
    serde_json::to_string_pretty(bill).expect("a bill is JSON") + "\n"
}

/// The worked examples' deal files as text, by letter, for builds that read
/// no files (the browser build's tests, `web/tests/fingerprints.rs`). Their
/// matrix is matrix M ([`crate::SPEC_M_TOML`]) and their usage a profile.
pub const DEAL_TEXTS: [(&str, &str); 6] = [
    ("a", include_str!("../fixtures/examples/example-a.toml")),
    ("b", include_str!("../fixtures/examples/example-b.toml")),
    ("c", include_str!("../fixtures/examples/example-c.toml")),
    ("d", include_str!("../fixtures/examples/example-d.toml")),
    ("e", include_str!("../fixtures/examples/example-e.toml")),
    ("f", include_str!("../fixtures/examples/example-f.toml")),
];

/// `tests/golden/fingerprints.txt`, the worked examples' golden fingerprints
/// (the native tests and the browser build's compare with it).
pub const GOLDEN_FINGERPRINTS: &str = include_str!("../golden/fingerprints.txt");

/// The fingerprints of worked example `id`'s deal file text `src`, read,
/// resolved and priced without files (matrix M, the profile's usage).
pub fn fingerprints_of_text(id: &str, src: &str) -> Fingerprints {
    let file = format!("example-{id}.toml");
    let deal_file = unitcalc_core::deal_toml::read(src, &file).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        deal_file.matrix_path().ends_with("spec-m.toml"),
        "{file}: priced with matrix M"
    );
    let m = crate::spec_m();
    let deal = deal_file.resolve(&m).unwrap_or_else(|e| panic!("{e}"));
    let usage = unitcalc_core::quote::usage_of::<unitcalc_core::Error>(&deal, |csv| {
        panic!("{file}: a usage file ({csv}) where a profile was expected")
    })
    .unwrap_or_else(|e| panic!("{file}: {e}"));
    let q = unitcalc_core::quote::quote(&m, &deal.terms, &deal.offers, &usage)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    fingerprints(&m, &deal, &usage, &q.comparison.bills).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Example `id`'s block of `tests/golden/fingerprints.txt`.
pub fn fingerprints_block(id: &str, f: &Fingerprints) -> String {
    let mut out = format!(
        "example {id}\n  matrix {}\n  deal   {}\n  usage  {}\n  engine {}\n",
        f.matrix, f.deal, f.usage, f.engine
    );
    for (offer, digest) in &f.bills {
        out.push_str(&format!("  bill   {digest}  {offer}\n"));
    }
    out
}
