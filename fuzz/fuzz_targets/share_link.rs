//! Share-link decoder on arbitrary text: `decode` must return `Ok` or an
//! error, never panic or hang; a decoded scenario must resolve against
//! matrix M or be refused with an error, and re-encode to a link that decodes
//! to the same scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unitcalc_core::matrix_toml::parse_matrix;
use unitcalc_core::scenario::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let link = String::from_utf8_lossy(data);
    if let Ok(s) = decode(&link) {
        let m = parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").expect("spec-m parses");
        let _ = s.resolve(&m);
        if let Ok(again) = encode(&s) {
            assert_eq!(decode(&again).expect("an encoded link decodes"), s, "share link round trip");
        }
    }
});
