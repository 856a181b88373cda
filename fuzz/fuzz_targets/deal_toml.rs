//! Deal TOML parser on arbitrary bytes against the spec's matrix M: `Ok` or
//! an error, never a panic; a deal it accepts survives `to_toml` →
//! `parse_deal` unchanged.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use unitcalc_core::deal_toml::{parse_deal, read, to_toml};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::bundled;

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| bundled::matrix("spec-m").expect("spec-m parses"))
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let _ = read(&src, "fuzz.toml");
    if let Ok(deal) = parse_deal(&src, "fuzz.toml", matrix()) {
        let again = to_toml(&deal, matrix());
        let back = parse_deal(&again, "again.toml", matrix()).expect("to_toml output parses");
        assert_eq!(back, deal, "deal TOML round trip");
    }
});
