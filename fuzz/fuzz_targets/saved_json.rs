//! The scenario JSON reader (`core::json` and the scenario decoder, through
//! `read_saved`, what the browser calls on its localStorage) on arbitrary
//! text: it must return, never panic or hang; a text `serde_json` refuses
//! must be refused as a whole (the reader accepts no more than JSON, short
//! of numbers beyond f64, which it keeps as text); and what it reads,
//! `write_saved` writes back to a text that reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unitcalc_core::scenario::{read_saved, write_saved};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (all, refused) = read_saved(&text);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
        if !e.to_string().starts_with("number out of range") {
            assert!(
                all.is_empty() && refused.len() == 1 && refused[0].0.is_empty(),
                "serde_json refuses ({e}) but the reader read {} and refused {:?}",
                all.len(),
                refused.iter().map(|(n, _)| n).collect::<Vec<_>>()
            );
        }
    }
    let again = write_saved(&all).expect("saved scenarios write");
    let (back, refused_again) = read_saved(&again);
    assert!(refused_again.is_empty(), "written scenarios read back: {refused_again:?}");
    assert_eq!(back, all, "saved scenarios round trip");
});
