//! What an edit prices: only the offers it changed, a large scenario a few
//! offers per task, and bad or typed values (the last bill kept, the input
//! named).

use super::*;

// In the browser these run under wasm-bindgen-test; named here, since
// `super::*` and the prelude would both offer a `test`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Edits re-price through the core: worked example C's March total, a
/// fee edit, and a bad value's message.
#[test]
fn edits_reprice() {
    let s = example();
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
    let s = s.reduce(set_offer(0, OfferField::MonthlyFee, "40000.50"));
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.60"));
    let s = s.reduce(set_offer(0, OfferField::MonthlyFee, "40,000 US"));
    let err = period_total(&s, 0).unwrap_err();
    assert!(
        err.contains("offer 1 monthly fee") && err.contains("`40,000 US` is not a decimal number"),
        "{err}"
    );
    assert!(s.matrix.is_some(), "the matrix still parses");
}

/// Per offer, whether an edit kept its quote (the same one, not priced
/// again) or priced it again.
fn kept(before: &AppState, after: &AppState) -> Vec<bool> {
    let offers = |s: &AppState| match s.outcome.as_ref() {
        Ok(c) => c.offers.clone(),
        Err(m) => panic!("{m}"),
    };
    let (b, a) = (offers(before), offers(after));
    a.iter().zip(&b).map(|(a, b)| Rc::ptr_eq(a, b)).collect()
}

#[test]
fn an_edit_reprices_only_the_offers_it_changes() {
    // Example C and a second, pay-as-you-go offer.
    let two = apply(
        example(),
        [
            Action::AddOffer,
            Action::SetOfferKind {
                offer: 1,
                kind: KindSpec::PayAsYouGo,
            },
        ],
    );
    let table = [
        (
            "fee of offer 1",
            set_offer(0, OfferField::MonthlyFee, "40000.50"),
            [false, true],
        ),
        (
            "discount of offer 2",
            set_offer(1, OfferField::Discount, "0.10"),
            [true, false],
        ),
        (
            "name of offer 2",
            set_offer(1, OfferField::Name, "Other"),
            [true, false],
        ),
        (
            "usage baseline",
            set_usage(UsageField::Baseline, "501"),
            [false, false],
        ),
        (
            "term months",
            Action::SetTermMonths("13".into()),
            [false, false],
        ),
        ("deal name", Action::SetName("Other".into()), [true, true]),
        ("view", Action::SetView(View::Compare), [true, true]),
    ];
    // One after the other, as typed (the states share the page's cache).
    let mut s = two;
    for (what, action, want) in table {
        let after = s.clone().reduce(action.clone());
        assert_eq!(kept(&s, &after), want, "{what}");
        // What was kept is what pricing afresh gives.
        let fresh = AppState::new(after.scenario.clone());
        let bills = |s: &AppState| s.outcome.as_ref().as_ref().map(|c| c.bills().to_vec()).ok();
        assert_eq!(bills(&after), bills(&fresh), "{what}");
        s = after;
    }
}

#[test]
fn a_large_scenario_is_priced_a_few_offers_per_task() {
    // Example C with three offers, priced at most one offer per task.
    let mut s = AppState::new(DealSpec::example());
    s.slice = Some(1);
    let three = apply(Rc::new(s), [Action::AddOffer, Action::AddOffer]);
    let priced = |s: &AppState| s.outcome.as_ref().as_ref().map(|c| c.bills().len()).ok();
    // A usage edit prices every offer again: one per task, the views keep
    // the last complete pricing until the last one.
    let mut s = three.reduce(set_usage(UsageField::Baseline, "501"));
    let mut tasks = 1;
    while s.pending {
        assert_eq!(priced(&s), Some(3), "the last complete pricing is shown");
        s = s.reduce(Action::Continue);
        tasks += 1;
    }
    assert_eq!(tasks, 3);
    let fresh = AppState::new(s.scenario.clone());
    let bills = |s: &AppState| s.outcome.as_ref().as_ref().map(|c| c.bills().to_vec()).ok();
    assert_eq!(bills(&s), bills(&fresh));
    // An edit of one offer prices it in one task; Continue then changes nothing.
    let s = s.reduce(set_offer(1, OfferField::MonthlyFee, "39000"));
    assert!(!s.pending);
    let g = s.generation;
    assert_eq!(s.reduce(Action::Continue).generation, g);
}

/// A bad or empty value keeps the last bill that priced on screen and
/// names the input at fault: each edit of worked example C, the input id
/// and the start of the message (the core's, naming the field).
#[test]
fn a_bad_value_keeps_the_last_bill_and_names_its_input() {
    let cases: Vec<(Action, &str, &str)> = vec![
        (
            set_offer(0, OfferField::MonthlyFee, ""),
            "offer-0-fee",
            "scenario offer 1 monthly fee: ``",
        ),
        (
            set_offer(0, OfferField::Tolerance, "lots"),
            "offer-0-tolerance",
            "scenario offer 1 tolerance band: ",
        ),
        (
            set_offer(0, OfferField::GraceHours, "-1"),
            "offer-0-grace",
            "scenario offer 1 grace hours: ",
        ),
        (
            Action::SetTermStart("2026-02-30".into()),
            "term-start",
            "scenario term start: ",
        ),
        (
            Action::SetTermMonths("".into()),
            "term-months",
            "scenario term months: ",
        ),
        (Action::SetSeed("x".into()), "seed", "scenario usage seed: "),
        (
            Action::SetEntitlement {
                offer: 0,
                entitlement: 0,
                field: EntitlementField::Quantity,
                value: "0".into(),
            },
            "offer-0-ent-0-qty",
            "scenario offer 1 entitlement 1: ",
        ),
        (
            Action::SetEntitlement {
                offer: 0,
                entitlement: 0,
                field: EntitlementField::Cell,
                value: "capacity/azure/warm".into(),
            },
            "offer-0-ent-0-cell",
            "scenario offer 1 entitlement 1: ",
        ),
        (
            set_usage(UsageField::Baseline, "500 GB"),
            "usage-0-baseline",
            "scenario usage 1 baseline: ",
        ),
        (
            set_usage(UsageField::Noise, "2"),
            "usage-0-noise",
            "scenario usage 1 noise: ",
        ),
        (
            set_burst(BurstField::Start, "soon"),
            "usage-0-burst-0-start",
            "scenario usage 1 burst 1 start: ",
        ),
        (
            set_burst(BurstField::Hours, "1.5"),
            "usage-0-burst-0-hours",
            "scenario usage 1 burst 1 hours: ",
        ),
        (
            set_burst(BurstField::Level, "-5"),
            "usage-0-burst-0-level",
            "scenario usage 1 burst 1 level: ",
        ),
    ];
    for (action, input, starts) in cases {
        let s = example().reduce(action.clone());
        let fault = s
            .fault
            .as_deref()
            .unwrap_or_else(|| panic!("{action:?} prices"));
        assert_eq!(fault.input.as_deref(), Some(input), "{action:?}");
        assert!(
            fault.message.starts_with(starts),
            "{action:?}: {}",
            fault.message
        );
        assert_eq!(
            period_total(&s, 0),
            Err(fault.message.clone()),
            "{action:?}"
        );
        assert_eq!(shown_total(&s).as_deref(), Some("40002.10"), "{action:?}");
    }
    // Fixed, the scenario prices again: no fault, the new bill shown.
    let s = apply(
        example(),
        [
            set_offer(0, OfferField::MonthlyFee, ""),
            set_offer(0, OfferField::MonthlyFee, "40000.50"),
        ],
    );
    assert_eq!(s.fault, None);
    assert_eq!(shown_total(&s).as_deref(), Some("40002.60"));
    // Two bad edits in a row still show the last bill that priced.
    let s = apply(
        example(),
        [
            set_offer(0, OfferField::MonthlyFee, "40000.50"),
            set_offer(0, OfferField::MonthlyFee, "x"),
            set_usage(UsageField::Baseline, "y"),
        ],
    );
    assert_eq!(shown_total(&s).as_deref(), Some("40002.60"));
    assert_eq!(
        s.fault.as_ref().and_then(|f| f.input.as_deref()),
        Some("offer-0-fee")
    );
}

/// Values typed as people type them price, and the share link and the
/// saved scenario hold them as the strict formats read them: each edit,
/// the March total, and the written value.
#[test]
fn typed_values_price_and_are_written_strictly() {
    type Written = fn(&DealSpec) -> &str;
    let cases: Vec<(Action, &str, Written, &str)> = vec![
        (
            set_offer(0, OfferField::MonthlyFee, "$40,000.50"),
            "40002.60",
            |d| &d.offers[0].monthly_fee,
            "40000.50",
        ),
        (
            set_offer(0, OfferField::MonthlyFee, "USD 40 000.50"),
            "40002.60",
            |d| &d.offers[0].monthly_fee,
            "40000.50",
        ),
        (
            set_offer(0, OfferField::Tolerance, "10 %"),
            "40002.10",
            |d| &d.offers[0].tolerance,
            "0.10",
        ),
        (
            Action::SetEntitlement {
                offer: 0,
                entitlement: 0,
                field: EntitlementField::Quantity,
                value: "500 TB".into(),
            },
            "40002.10",
            |d| &d.offers[0].entitlements[0].quantity,
            "500",
        ),
        (
            set_usage(UsageField::Baseline, "500 tb"),
            "40002.10",
            |d| &d.usage.cells[0].baseline,
            "500",
        ),
        (
            set_burst(BurstField::Level, "540 TB"),
            "40002.10",
            |d| &d.usage.cells[0].bursts[0].level,
            "540",
        ),
    ];
    for (action, march, field, written) in cases {
        let s = example().reduce(action.clone());
        assert_eq!(period_total(&s, 0).as_deref(), Ok(march), "{action:?}");
        assert_eq!(field(s.written()), written, "{action:?}");
        assert_ne!(
            field(&s.scenario),
            written,
            "{action:?}: the input keeps what was typed"
        );
        let link = encode(s.written()).unwrap();
        let back = open_link(&link).unwrap();
        assert_eq!(field(&back), written, "{action:?}");
    }
    // The saved scenario holds the written value too.
    let s = example().reduce(set_offer(0, OfferField::MonthlyFee, "$40,000.50"));
    let s = s.reduce(Action::Save("typed".into()));
    let s = s.reduce(Action::LoadSaved("typed".into()));
    assert_eq!(s.scenario.offers[0].monthly_fee, "40000.50");
    let _ = s.reduce(Action::DeleteSaved("typed".into()));
}

/// A fault the form has no input for is named without one; a scenario
/// that never priced shows its error.
#[test]
fn faults_without_an_input_and_without_a_previous_bill() {
    let mut offers = DealSpec::example();
    offers.offers[0].entitlements.clear();
    let s = AppState::new(offers);
    let fault = s.fault.as_deref().unwrap();
    assert_eq!(fault.input, None);
    assert!(
        fault.message.contains("at least one entitlement"),
        "{}",
        fault.message
    );
    assert_eq!(s.shown.as_ref().as_ref().err(), Some(&fault.message));
    let s = example().reduce(Action::SetMatrix(MatrixChoice::Custom("x = 1".into())));
    assert_eq!(s.fault.as_ref().and_then(|f| f.input.as_deref()), None);
    assert_eq!(shown_total(&s).as_deref(), Some("40002.10"));
}
