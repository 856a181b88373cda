//! Usage CSV on arbitrary bytes against the spec's matrix M, through both the
//! whole-file reader and the streaming reader: errors, never panics; the two
//! readers agree on what they accept.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::bundled;
use unitcalc_core::time::{Date, Term};
use unitcalc_core::usage_csv::{read_usage, CsvRecord, UsageReader};

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| bundled::matrix("spec-m").expect("spec-m parses"))
}

fuzz_target!(|data: &[u8]| {
    let m = matrix();
    let term = Term::new(Date::new(2026, 3, 1).expect("date"), 1).expect("term");
    let whole = read_usage(data, "fuzz.csv", m, &term);

    let mut streamed_ok = true;
    match UsageReader::new(data, "fuzz.csv", m) {
        Err(_) => streamed_ok = false,
        Ok(mut r) => {
            let mut rec = CsvRecord::default();
            loop {
                match r.next_record(&mut rec) {
                    Ok(true) => {
                        // Accepted records are real: offered cell, quantity ≥ 0.
                        assert!(
                            m.cell_rate(rec.cell).is_some(),
                            "record for a cell that is not offered"
                        );
                        assert!(
                            rec.quantity.get() >= rust_decimal::Decimal::ZERO,
                            "negative quantity accepted"
                        );
                    }
                    Ok(false) => break,
                    Err(_) => {
                        streamed_ok = false;
                        // After an error the reader stays at the end.
                        assert!(!r.next_record(&mut rec).expect("no second error"));
                        break;
                    }
                }
            }
        }
    }
    // The whole-file reader adds term, duplicate and customer checks on top of
    // the streaming reader, so it never accepts what the stream refuses.
    if whole.is_ok() {
        assert!(
            streamed_ok,
            "read_usage accepted a file the streaming reader refused"
        );
    }
});
