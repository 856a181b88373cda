//! Share-link decoder on arbitrary text: `decode` and `open_link` (what the
//! browser calls) must return `Ok` or an error, never panic or hang; a
//! decoded scenario re-encodes to a link that decodes to the same scenario;
//! and a link that opens is a link that prices: generating its usage and
//! pricing every offer succeeds or fails only by arithmetic overflow (checked
//! for terms up to 3 months, to keep executions fast).
#![no_main]

use libfuzzer_sys::fuzz_target;
use unitcalc_core::deal::FieldLabels;
use unitcalc_core::scenario::{decode, encode, open_link};
use unitcalc_core::{quote, Error};

fuzz_target!(|data: &[u8]| {
    let link = String::from_utf8_lossy(data);
    let Ok(s) = decode(&link) else { return };
    if let Ok(again) = encode(&s) {
        assert_eq!(decode(&again).expect("an encoded link decodes"), s, "share link round trip");
    }
    let Ok(opened) = open_link(&link) else { return };
    assert_eq!(opened, s, "open_link returns the decoded scenario");
    let m = s.matrix.load().expect("an opened link's matrix loads");
    let r = s.resolve(&m, &FieldLabels).expect("an opened link resolves");
    if r.terms.term.months > 3 {
        return;
    }
    let priced = quote::usage_of::<Error>(&r, |_| unreachable!("links carry no CSV"))
        .and_then(|usage| quote::quote(&m, &r.terms, &r.offers, &usage).map(|_| ()));
    if let Err(e) = priced {
        assert!(
            matches!(e, Error::Overflow { .. }) || e.to_string().contains("overflow"),
            "an opened link failed to price: {e}"
        );
    }
});
