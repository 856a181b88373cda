//! Views and tabs: the view actions and the tab keys.

use super::*;

// In the browser these run under wasm-bindgen-test; named here, since
// `super::*` and the prelude would both offer a `test`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The view actions change the view state only; the ISO-week bars
/// bring the weekly report.
#[test]
fn view_actions() {
    let s = example();
    let gen = s.generation;
    let s = s.reduce(Action::SetView(View::Compare));
    assert_eq!((s.view, s.generation), (View::Compare, gen));
    let s = s.reduce(Action::SelectOffer(0));
    assert_eq!(s.generation, gen + 1);
    let s = s.reduce(Action::SetGranularity(Granularity::IsoWeek));
    let c = s.outcome.as_ref().as_ref().unwrap();
    assert!(c.report.len() >= 52, "{} weekly rows", c.report.len());
    let s = s.reduce(Action::Alert("no".into()));
    assert_eq!(s.alert.as_deref(), Some("no"));
    let s = s.reduce(Action::DismissAlert);
    assert_eq!(s.alert, None);
    assert_eq!(s.scenario, DealSpec::example());
}

/// The tab list's keys (WAI-ARIA tabs): (from, key, to), without the
/// Metering tab (a deal without a plan) and with it.
#[test]
fn tab_keys_table() {
    use View::{Bill, Compare, Matrix, Metering, Quote};
    let four = [Bill, Compare, Matrix, Quote];
    let table = [
        (Bill, "ArrowRight", Some(Compare)),
        (Quote, "ArrowRight", Some(Bill)),
        (Bill, "ArrowLeft", Some(Quote)),
        (Matrix, "ArrowLeft", Some(Compare)),
        (Matrix, "Home", Some(Bill)),
        (Compare, "End", Some(Quote)),
        (Compare, "Enter", None),
        (Compare, "ArrowDown", None),
    ];
    for (from, key, to) in table {
        assert_eq!(from.after_key(key, &four), to, "{from:?} {key}");
    }
    let with_plan = [
        (Quote, "ArrowRight", Some(Metering)),
        (Metering, "ArrowRight", Some(Bill)),
        (Bill, "ArrowLeft", Some(Metering)),
        (Compare, "End", Some(Metering)),
        (Metering, "Home", Some(Bill)),
    ];
    for (from, key, to) in with_plan {
        assert_eq!(from.after_key(key, &View::ALL), to, "{from:?} {key}");
    }
    let ids: Vec<&str> = View::ALL.iter().map(|v| v.tab_id()).collect();
    assert_eq!(
        ids,
        [
            "tab-bill",
            "tab-compare",
            "tab-matrix",
            "tab-quote",
            "tab-metering"
        ]
    );
}
