//! Golden fingerprints of the worked examples A–F (`docs/evidence.md`): the
//! same inputs give the same digests on every platform, and a change of any
//! one input changes its digest.

use proptest::prelude::*;
use unitcalc_core::evidence::{canonical_usage, fingerprints, sha256_hex};
use unitcalc_tests::deals::load_deal;
use unitcalc_tests::examples::EXAMPLES;
use unitcalc_tests::{assert_golden, path, spec_m};

/// Every worked example's fingerprints, one block each.
#[test]
fn worked_examples_have_golden_fingerprints() {
    let mut out = String::new();
    for e in EXAMPLES {
        let d = load_deal(e.deal());
        let c = d.compare();
        let f = fingerprints(&d.matrix, &d.deal, &d.usage, &c.bills).unwrap();
        out.push_str(&format!(
            "example {}\n  matrix {}\n  deal   {}\n  usage  {}\n  engine {}\n",
            e.id, f.matrix, f.deal, f.usage, f.engine
        ));
        for (offer, digest) in &f.bills {
            out.push_str(&format!("  bill   {digest}  {offer}\n"));
        }
    }
    assert_golden(path("tests/golden/fingerprints.txt"), &out);
}

/// Worked example C, loaded once for the property test.
fn example_c() -> &'static unitcalc_tests::deals::LoadedDeal {
    static C: std::sync::OnceLock<unitcalc_tests::deals::LoadedDeal> = std::sync::OnceLock::new();
    C.get_or_init(|| load_deal(EXAMPLES[2].deal()))
}

proptest! {
    // Each case writes the 8,760-hour canonical CSV three times.
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Changing one hour's quantity of worked example C's usage changes the
    /// usage digest (and setting it back restores it).
    #[test]
    fn one_changed_hour_changes_the_usage_digest(hour in 0usize..8760, delta in 1u32..1000) {
        let m = spec_m();
        let d = example_c();
        let before = sha256_hex(&canonical_usage(&m, &d.usage));
        let mut usage = d.usage.clone();
        let cell = usage.cells()[0].cell;
        let mut q = usage.cells()[0].quantities.clone();
        prop_assume!(hour < q.len());
        let old = q[hour];
        q[hour] = old.checked_add(format!("0.{delta:03}").parse().unwrap()).unwrap();
        usage.set_series(cell, q.clone());
        let after = sha256_hex(&canonical_usage(&m, &usage));
        prop_assert_ne!(&before, &after);
        q[hour] = old;
        usage.set_series(cell, q);
        prop_assert_eq!(before, sha256_hex(&canonical_usage(&m, &usage)));
    }
}
