//! Golden fingerprints in the browser build (`docs/evidence.md`): the
//! worked examples A–F read, priced and fingerprinted by the core compiled
//! to WebAssembly, in headless Chromium, must give exactly the native
//! tests' golden file `tests/golden/fingerprints.txt` (the same file, the
//! same deal files, through `unitcalc-tests`). Run by
//! `scripts/test-browser.sh`'s component-test step.
#![cfg(target_arch = "wasm32")]

use unitcalc_tests::examples::{
    fingerprints_block, fingerprints_of_text, DEAL_TEXTS, GOLDEN_FINGERPRINTS,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn worked_examples_have_the_native_golden_fingerprints() {
    let mut out = String::new();
    for (id, src) in DEAL_TEXTS {
        out.push_str(&fingerprints_block(id, &fingerprints_of_text(id, src)));
    }
    assert_eq!(out, GOLDEN_FINGERPRINTS);
}
