//! Golden fingerprints of the worked examples A–F (`docs/evidence.md`): the
//! same inputs give the same digests on every platform, and a change of any
//! one input changes its digest.

use proptest::prelude::*;
use unitcalc_core::evidence::{canonical_usage, fingerprints, sha256_hex};
use unitcalc_tests::deals::load_deal;
use unitcalc_tests::examples::{fingerprints_block, fingerprints_of_text, DEAL_TEXTS, EXAMPLES};
use unitcalc_tests::{assert_golden, path, spec_m};

/// Every worked example's fingerprints, one block each. The browser build
/// computes the same text from the same deal files
/// (`web/tests/fingerprints.rs`); here each deal is also loaded from its
/// file as the CLI does, which must give the same digests.
#[test]
fn worked_examples_have_golden_fingerprints() {
    let mut out = String::new();
    for (e, (id, src)) in EXAMPLES.iter().zip(DEAL_TEXTS) {
        assert_eq!(e.id, id);
        let d = load_deal(e.deal());
        let c = d.compare();
        let f = fingerprints(&d.matrix, &d.deal, &d.usage, &c.bills).unwrap();
        assert_eq!(
            f,
            fingerprints_of_text(id, src),
            "example {id}: from the file and from its text"
        );
        out.push_str(&fingerprints_block(id, &f));
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
        let mut q = usage.cells()[0].quantities.to_vec();
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
