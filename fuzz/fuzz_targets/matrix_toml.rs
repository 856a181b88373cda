//! Matrix TOML parser on arbitrary bytes: it must return `Ok` or an error,
//! never panic or hang; a matrix it accepts must validate and survive
//! `to_toml` → `parse_matrix` unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unitcalc_core::matrix_toml::{parse_matrix, to_toml, validate};

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    if let Ok(m) = parse_matrix(&src, "fuzz.toml") {
        validate(&m, "fuzz.toml").expect("a parsed matrix validates");
        let again = to_toml(&m);
        let back = parse_matrix(&again, "again.toml").expect("to_toml output parses");
        assert_eq!(back, m, "matrix TOML round trip");
    }
});
