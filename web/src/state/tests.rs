//! The reducer as a table: actions and the scenario or figures each gives.

//! The reducer on plain data: native `#[test]`s (`cargo test -p
//! unitcalc-web`), and the same tests in the browser under
//! wasm-bindgen-test (`scripts/test-browser.sh`).

use super::*;
use crate::export::{self, ExportKind};
use unitcalc_core::bundled::BUNDLED;
use unitcalc_core::deal::{BurstSpec, EntitlementSpec, MAX_OFFERS};
use unitcalc_core::offer::Payment;
use unitcalc_core::scenario::encode;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod metering;

fn example() -> Rc<AppState> {
    Rc::new(AppState::new(DealSpec::example()))
}

fn apply(s: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
    actions.into_iter().fold(s, |s, a| s.reduce(a))
}

/// The priced total of the shown offer's period `k`, or the error message.
fn period_total(s: &AppState, k: usize) -> Result<String, String> {
    let c = s.outcome.as_ref().as_ref().map_err(Clone::clone)?;
    Ok(c.bills()[s.selected].periods[k].total.to_string())
}

fn set_offer(offer: usize, field: OfferField, value: &str) -> Action {
    Action::SetOfferField {
        offer,
        field,
        value: value.into(),
    }
}

fn set_usage(field: UsageField, value: &str) -> Action {
    Action::SetUsageField {
        cell: 0,
        field,
        value: value.into(),
    }
}

fn set_burst(field: BurstField, value: &str) -> Action {
    Action::SetBurstField {
        cell: 0,
        burst: 0,
        field,
        value: value.into(),
    }
}

/// An action, and the change it should make to the scenario.
type Case = (Action, fn(&mut DealSpec));

/// Each scenario edit, applied to worked example C, against the
/// scenario it should give.
#[test]
fn scenario_edits_table() {
    let cases: Vec<Case> = vec![
        (Action::SetName("Acme".into()), |s| s.name = "Acme".into()),
        (
            Action::SetMatrix(MatrixChoice::Bundled("illustrative".into())),
            |s| s.matrix = MatrixChoice::Bundled("illustrative".into()),
        ),
        (
            Action::SetMatrix(MatrixChoice::Custom("x = 1".into())),
            |s| s.matrix = MatrixChoice::Custom("x = 1".into()),
        ),
        (Action::CustomizeMatrix, |s| {
            s.matrix = MatrixChoice::Custom(BUNDLED[0].1.into())
        }),
        (Action::SetTermStart("2026-04-01".into()), |s| {
            s.term_start = "2026-04-01".into()
        }),
        (Action::SetTermMonths("24".into()), |s| {
            s.term_months = "24".into()
        }),
        (Action::SetChannel("aws".into()), |s| {
            s.channel = "aws".into()
        }),
        (set_offer(0, OfferField::Name, "Big"), |s| {
            s.offers[0].name = "Big".into()
        }),
        (set_offer(0, OfferField::Discount, "0.2"), |s| {
            s.offers[0].discount = "0.2".into()
        }),
        (set_offer(0, OfferField::MonthlyFee, "1.50"), |s| {
            s.offers[0].monthly_fee = "1.50".into()
        }),
        (set_offer(0, OfferField::Tolerance, "0.05"), |s| {
            s.offers[0].tolerance = "0.05".into()
        }),
        (set_offer(0, OfferField::GraceHours, "24"), |s| {
            s.offers[0].grace_hours = "24".into()
        }),
        (set_offer(0, OfferField::OveragePrice, "0.002"), |s| {
            s.offers[0].overage_price = "0.002".into()
        }),
        (set_offer(0, OfferField::CommitUnits, "5"), |s| {
            s.offers[0].commit_units = "5".into()
        }),
        (set_offer(0, OfferField::CommitPrice, "2"), |s| {
            s.offers[0].commit_price = "2".into()
        }),
        (
            Action::SetOfferKind {
                offer: 0,
                kind: KindSpec::Commitment,
            },
            |s| s.offers[0].kind = KindSpec::Commitment,
        ),
        (
            Action::SetPayment {
                offer: 0,
                payment: Payment::Upfront,
            },
            |s| s.offers[0].payment = Payment::Upfront,
        ),
        (Action::AddOffer, |s| {
            let mut o = s.offers[0].clone();
            o.name = "Offer 2".into();
            s.offers.push(o);
        }),
        (
            Action::AddEntitlement {
                offer: 0,
                cell: "capacity/aws/hot".into(),
            },
            |s| {
                s.offers[0].entitlements.push(EntitlementSpec {
                    cell: "capacity/aws/hot".into(),
                    quantity: "100".into(),
                })
            },
        ),
        (
            Action::SetEntitlement {
                offer: 0,
                entitlement: 0,
                field: EntitlementField::Cell,
                value: "capacity/aws/hot".into(),
            },
            // Example C's usage mirrors its entitlement: the usage cell follows.
            |s| {
                s.offers[0].entitlements[0].cell = "capacity/aws/hot".into();
                s.usage.cells[0].cell = "capacity/aws/hot".into();
            },
        ),
        (
            Action::SetEntitlement {
                offer: 0,
                entitlement: 0,
                field: EntitlementField::Quantity,
                value: "600".into(),
            },
            |s| {
                s.offers[0].entitlements[0].quantity = "600".into();
                s.usage.cells[0].baseline = "600".into();
            },
        ),
        (
            Action::RemoveEntitlement {
                offer: 0,
                entitlement: 0,
            },
            |s| s.offers[0].entitlements.clear(),
        ),
        (Action::SetSeed("9".into()), |s| s.usage.seed = "9".into()),
        (
            Action::AddUsageCell {
                cell: "capacity/aws/hot".into(),
            },
            |s| {
                s.usage.cells.push(CellUsageSpec {
                    cell: "capacity/aws/hot".into(),
                    baseline: "100".into(),
                    ..CellUsageSpec::default()
                })
            },
        ),
        (set_usage(UsageField::Cell, "capacity/aws/hot"), |s| {
            s.usage.cells[0].cell = "capacity/aws/hot".into()
        }),
        (set_usage(UsageField::Baseline, "450"), |s| {
            s.usage.cells[0].baseline = "450".into()
        }),
        (set_usage(UsageField::MonthlyGrowth, "0.01"), |s| {
            s.usage.cells[0].monthly_growth = "0.01".into()
        }),
        (set_usage(UsageField::DailyAmplitude, "0.1"), |s| {
            s.usage.cells[0].daily_amplitude = "0.1".into()
        }),
        (set_usage(UsageField::WeekendDip, "0.2"), |s| {
            s.usage.cells[0].weekend_dip = "0.2".into()
        }),
        (set_usage(UsageField::Noise, "0.03"), |s| {
            s.usage.cells[0].noise = "0.03".into()
        }),
        (Action::RemoveUsageCell(0), |s| s.usage.cells.clear()),
        // A new burst starts at the term's first hour, 24 hours at the baseline.
        (Action::AddBurst { cell: 0 }, |s| {
            s.usage.cells[0].bursts.push(BurstSpec {
                after_hours: String::new(),
                start: "2026-03-01T00:00:00Z".into(),
                hours: "24".into(),
                level: "500".into(),
            })
        }),
        (set_burst(BurstField::Start, "2026-03-11T00:00:00Z"), |s| {
            s.usage.cells[0].bursts[0].start = "2026-03-11T00:00:00Z".into()
        }),
        (set_burst(BurstField::Hours, "10"), |s| {
            s.usage.cells[0].bursts[0].hours = "10".into()
        }),
        (set_burst(BurstField::Level, "520"), |s| {
            s.usage.cells[0].bursts[0].level = "520".into()
        }),
        (Action::RemoveBurst { cell: 0, burst: 0 }, |s| {
            s.usage.cells[0].bursts.clear()
        }),
    ];
    for (action, change) in cases {
        let before = example();
        let mut want = DealSpec::example();
        change(&mut want);
        assert_ne!(
            want, before.scenario,
            "{action:?}: the table's change is a change"
        );
        let after = before.clone().reduce(action.clone());
        assert_eq!(after.scenario, want, "{action:?}");
        assert_eq!(
            after.generation,
            before.generation + 1,
            "{action:?} re-prices"
        );
    }
}

/// Edits naming what does not exist, and the limits, change nothing.
#[test]
fn edits_out_of_range_change_nothing() {
    let four = apply(
        example(),
        [Action::AddOffer, Action::AddOffer, Action::AddOffer],
    );
    assert_eq!(four.scenario.offers.len(), MAX_OFFERS);
    for (start, action) in [
        (example(), Action::RemoveOffer(0)),
        (four.clone(), Action::AddOffer),
        (four.clone(), Action::RemoveOffer(4)),
        (example(), set_offer(1, OfferField::Name, "x")),
        (
            example(),
            Action::SetOfferKind {
                offer: 1,
                kind: KindSpec::Commitment,
            },
        ),
        (
            example(),
            Action::SetEntitlement {
                offer: 0,
                entitlement: 1,
                field: EntitlementField::Quantity,
                value: "1".into(),
            },
        ),
        (
            example(),
            Action::RemoveEntitlement {
                offer: 0,
                entitlement: 1,
            },
        ),
        (
            example(),
            Action::AddEntitlement {
                offer: 2,
                cell: "capacity/aws/hot".into(),
            },
        ),
        (example(), Action::RemoveUsageCell(1)),
        (
            example(),
            Action::SetUsageField {
                cell: 1,
                field: UsageField::Baseline,
                value: "1".into(),
            },
        ),
        (example(), Action::AddBurst { cell: 1 }),
        (example(), Action::RemoveBurst { cell: 0, burst: 1 }),
        (
            example(),
            Action::SetBurstField {
                cell: 0,
                burst: 1,
                field: BurstField::Hours,
                value: "1".into(),
            },
        ),
    ] {
        let after = start.clone().reduce(action.clone());
        assert_eq!(after.scenario, start.scenario, "{action:?}");
    }
}

#[test]
fn removing_the_shown_offer_shows_the_first() {
    let s = apply(
        example(),
        [
            Action::AddOffer,
            Action::SelectOffer(1),
            Action::RemoveOffer(1),
        ],
    );
    assert_eq!(s.scenario.offers.len(), 1);
    assert_eq!(s.selected, 0);
    assert!(s.outcome.is_ok());
}

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

/// The March total the views show (the last bill that priced, while the
/// scenario as typed does not).
fn shown_total(s: &AppState) -> Option<String> {
    let c = s.shown.as_ref().as_ref().ok()?;
    Some(c.bills()[s.selected].periods[0].total.to_string())
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

/// "+ entitlement" adds one that prices: the first usage cell the offer
/// does not entitle, for its baseline; else the cell the form passes, for 100.
#[test]
fn a_new_entitlement_prices() {
    let add = |cell: &str| Action::AddEntitlement {
        offer: 0,
        cell: cell.into(),
    };
    // The default scenario switched to fixed capacity has no entitlement.
    let s = apply(
        Rc::new(AppState::new(default_scenario())),
        [Action::SetOfferKind {
            offer: 0,
            kind: KindSpec::FixedCapacity,
        }],
    );
    assert!(s.fault.is_some());
    let s = s.reduce(add("capacity/azure/hot"));
    let e = &s.scenario.offers[0].entitlements;
    assert_eq!(
        (e[0].cell.as_str(), e[0].quantity.as_str()),
        ("capacity/aws/hot", "200")
    );
    assert_eq!(s.fault, None, "{:?}", s.fault);
    // Every usage cell entitled: the form's cell, for 100.
    let s = s.reduce(add("capacity/azure/hot"));
    let e = &s.scenario.offers[0].entitlements;
    assert_eq!(
        (e[1].cell.as_str(), e[1].quantity.as_str()),
        ("capacity/azure/hot", "100")
    );
    assert_eq!(s.fault, None, "{:?}", s.fault);
}

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

/// An uploaded CSV replaces the profile until cleared: 80 hours at 540
/// TB from 2026-03-10 charge hours 73–80, March 40,000.60.
#[test]
fn csv_upload_and_clear() {
    let mut csv = String::from("timestamp,meter,environment,use_case,quantity\n");
    for h in 0..80 {
        csv.push_str(&format!(
            "2026-03-{:02}T{:02}:00:00Z,capacity,azure,hot,540\n",
            10 + h / 24,
            h % 24
        ));
    }
    let upload = Rc::new(CsvUsage {
        name: "burst.csv".into(),
        bytes: csv.into_bytes(),
    });
    let s = example().reduce(Action::UploadCsv(upload.clone()));
    assert_eq!(s.csv, Some(upload));
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40000.60"));
    let s = s.reduce(Action::ClearCsv);
    assert_eq!(s.csv, None);
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
}

/// A usage CSV that does not read is refused: the previous usage (the
/// profile, or an earlier upload) keeps pricing, and the alert names the
/// file and the reader's message. Each bad file, and the words it gives.
#[test]
fn a_bad_csv_upload_keeps_the_previous_usage() {
    let header = "timestamp,meter,environment,use_case,quantity\n";
    let bad: Vec<(&str, String, &str)> = vec![
        (
            "cells.csv",
            format!("{header}2026-03-10T00:00:00Z,capacity,azure,warm,540\n"),
            "unknown use case `warm`",
        ),
        (
            "qty.csv",
            format!("{header}2026-03-10T00:00:00Z,capacity,azure,hot,5x0\n"),
            "`5x0`",
        ),
        ("header.csv", "when,what\n".to_string(), "header.csv"),
    ];
    let good = Rc::new(CsvUsage {
        name: "burst.csv".into(),
        bytes: (0..80)
            .map(|h| {
                format!(
                    "2026-03-{:02}T{:02}:00:00Z,capacity,azure,hot,540\n",
                    10 + h / 24,
                    h % 24
                )
            })
            .fold(header.to_string(), |acc, l| acc + &l)
            .into_bytes(),
    });
    for (start, csv, march) in [
        (example(), None, "40002.10"),
        (
            example().reduce(Action::UploadCsv(good.clone())),
            Some(good.clone()),
            "40000.60",
        ),
    ] {
        for (name, text, says) in &bad {
            let upload = Rc::new(CsvUsage {
                name: (*name).into(),
                bytes: text.clone().into_bytes(),
            });
            let s = start.clone().reduce(Action::UploadCsv(upload));
            assert_eq!(s.csv, csv, "{name}");
            assert_eq!(period_total(&s, 0).as_deref(), Ok(march), "{name}");
            assert_eq!(s.fault, None, "{name}");
            let alert = s.alert.clone().unwrap_or_default();
            assert!(
                alert.starts_with(&format!("{name} was not used: "))
                    && alert.contains(says)
                    && alert.ends_with("The bill still uses the previous usage."),
                "{alert}"
            );
        }
    }
}

/// The Copy button's outcome is the notice, and nothing else changes:
/// (copied, notice).
#[test]
fn copying_the_link_says_whether_it_worked() {
    let cases = [
        (true, "Share link copied to the clipboard."),
        (
            false,
            "The browser did not allow copying: select the link and copy it (Ctrl+C or ⌘C).",
        ),
    ];
    for (ok, want) in cases {
        let start = example();
        let s = start.clone().reduce(Action::Copied(ok));
        assert_eq!(s.notice.as_deref(), Some(want));
        assert_eq!(
            (s.generation, &s.scenario),
            (start.generation, &start.scenario)
        );
    }
}

/// The first state, and links opened in an open page.
#[test]
fn share_links() {
    let link = encode(&DealSpec::example()).unwrap();
    assert_eq!(AppState::open("").scenario, default_scenario());
    assert_eq!(AppState::open("#").scenario, default_scenario());
    let s = AppState::open(&link);
    assert_eq!(
        (s.scenario.clone(), s.alert.clone()),
        (DealSpec::example(), None)
    );
    let s = AppState::open("#v1.AAAA");
    assert_eq!(s.scenario, default_scenario());
    assert!(s
        .alert
        .as_deref()
        .is_some_and(|m| m.starts_with("This share link could not be opened")));

    // A good link replaces the scenario, the upload, the alert and the shown offer.
    let start = apply(
        Rc::new(AppState::open("")),
        [
            Action::AddOffer,
            Action::SelectOffer(1),
            Action::Alert("old".into()),
            Action::UploadCsv(Rc::new(CsvUsage {
                name: "u.csv".into(),
                bytes: Vec::new(),
            })),
        ],
    );
    let s = start.clone().reduce(Action::LoadLink(link.clone()));
    assert_eq!(s.scenario, DealSpec::example());
    assert_eq!(
        (s.selected, s.csv.is_none(), s.alert.is_none()),
        (0, true, true)
    );
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
    // A broken one keeps the scenario and says why.
    let s = s.reduce(Action::LoadLink(link[..link.len() - 30].into()));
    assert_eq!(s.scenario, DealSpec::example());
    let m = s.alert.clone().unwrap_or_default();
    assert!(
        m.contains("could not be opened") && m.contains("truncated"),
        "{m}"
    );
    // An empty fragment is no link: nothing happens.
    for empty in ["", "#"] {
        let again = s.clone().reduce(Action::LoadLink(empty.into()));
        assert!(Rc::ptr_eq(&again, &s));
    }
}

/// Save, load and delete a named scenario in the browser's store.
#[test]
fn saved_scenarios() {
    let name = "state.rs unit test";
    let s = example().reduce(Action::Save(name.into()));
    assert!(s.saved.iter().any(|n| n == name), "{:?}", s.saved);
    assert_eq!(
        s.notice.as_deref(),
        Some("Saved “state.rs unit test” in this browser.")
    );
    let s = apply(
        s,
        [
            Action::SetName("changed".into()),
            Action::Alert("old".into()),
            Action::LoadSaved(name.into()),
        ],
    );
    assert_eq!(s.scenario, DealSpec::example());
    assert_eq!(s.alert, None);
    assert_eq!(s.notice.as_deref(), Some("Loaded “state.rs unit test”."));
    // A fresh page lists it.
    assert!(AppState::open("").saved.iter().any(|n| n == name));
    let s = s.reduce(Action::DeleteSaved(name.into()));
    assert!(!s.saved.iter().any(|n| n == name));
    assert_eq!(s.notice.as_deref(), Some("Deleted “state.rs unit test”."));
    let s = apply(
        s,
        [
            Action::SetName("kept".into()),
            Action::LoadSaved(name.into()),
        ],
    );
    assert_eq!(s.scenario.name, "kept");
    assert_eq!(
        s.notice.as_deref(),
        Some("“state.rs unit test” is no longer saved.")
    );
}

/// Exports are files of the shown offer's bill, deal and matrix, and
/// none when the scenario does not price.
#[test]
fn export_files() {
    let s = example();
    let csv = export::file(&s, ExportKind::BillCsv).unwrap();
    assert_eq!(
        (csv.name.as_str(), csv.mime),
        ("Example-C-Fixed-500-TB-bill.csv", "text/csv")
    );
    // No ledger until the trail is open (the worker computes it).
    assert_eq!(export::file(&s, ExportKind::LedgerCsv), None);
    assert!(
        csv.text.contains("\nExample C,spec-m,1,Fixed 500 TB,fixed-capacity,2026-03,overage,\"Overage capacity/azure/hot, 28 charged hours\",capacity,azure,hot,1120,2.1,1.00,2.10,USD\n"),
        "{}",
        csv.text
    );
    // The deal exports as the deal TOML the CLI reads, and reads back to the same deal.
    let deal = export::file(&s, ExportKind::DealToml).unwrap();
    let back = unitcalc_core::deal_toml::read(&deal.text, &deal.name)
        .unwrap()
        .spec;
    let m = back.matrix.load().unwrap();
    let resolved = back.resolve(&m, &unitcalc_core::deal::FieldLabels).unwrap();
    let computed = s.outcome.as_ref().as_ref().unwrap();
    assert_eq!(
        (&resolved.terms, &resolved.offers, &resolved.usage),
        (
            &computed.deal.terms,
            &computed.deal.offers,
            &computed.deal.usage
        )
    );
    let m = export::file(&s, ExportKind::MatrixToml).unwrap();
    assert_eq!(
        (m.name.as_str(), m.text.as_str()),
        ("matrix.toml", BUNDLED[0].1)
    );
    let bad = s.reduce(Action::SetTermMonths("x".into()));
    assert_eq!(export::file(&bad, ExportKind::DealToml), None);
}

/// A deal file through the page's worker, as the page's callback delivers
/// it: the scenario it opens to, or the alert.
fn open_deal(s: Rc<AppState>, name: &str, text: &str) -> Rc<AppState> {
    let answer = crate::worker::answer(&crate::worker::deal_request(name, text));
    match crate::worker::decode_deal(&answer) {
        Ok((link, csv, plan)) => s.reduce(Action::OpenedDeal {
            name: name.into(),
            link,
            csv,
            plan: plan.then(|| {
                Rc::new(crate::worker::metering::DealFile {
                    name: name.into(),
                    text: text.into(),
                })
            }),
        }),
        Err(m) => s.reduce(Action::Alert(m)),
    }
}

/// A deal TOML file opens through the core's deal reader (in the page's
/// worker): the browser's own export reopens to the same bill; a file the
/// reader refuses leaves the deal as it was and says why.
#[test]
fn deal_files_open() {
    let s = example();
    let exported = export::file(&s, ExportKind::DealToml).unwrap();
    let blank = Rc::new(AppState::new(default_scenario()));
    let opened = open_deal(blank, &exported.name, &exported.text);
    assert_eq!(period_total(&opened, 0), Ok("40002.10".into()));
    assert_eq!(opened.notice.as_deref(), Some("Opened Example-C.toml."));
    let bad = open_deal(
        opened.clone(),
        "bad.toml",
        "name = \"x\"\nmatrix = \"spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = \"12\"\n",
    );
    assert_eq!(
        bad.alert.as_deref(),
        Some("bad.toml:5:10: `months` is a whole number: write months = 12")
    );
    assert_eq!(bad.scenario, opened.scenario);
}

/// The worker's answer to the state's current evidence request, as the
/// page's hook would deliver it (off the browser the worker's function
/// answers at once).
fn with_evidence(s: Rc<AppState>) -> Rc<AppState> {
    let req = s.evidence_request.clone().expect("an evidence request");
    let answer = crate::worker::decode_answer(&crate::worker::answer(&req.encode())).unwrap();
    apply(s, [Action::EvidenceReady(Rc::new(answer))])
}

/// The trail and fingerprints are asked of the worker only when the trail is
/// open, for the selected offer, again when the bill changes; a stale
/// answer is dropped; the exports then carry them.
#[test]
fn explain_asks_the_worker_for_the_selected_offers_evidence() {
    let s = example();
    assert!(
        s.evidence_request.is_none(),
        "not asked unless the trail is open"
    );
    let s = apply(s, [Action::Explain(true)]);
    let stale = s.evidence_request.clone().unwrap();
    let s = with_evidence(s);
    let e = match s.evidence.as_ref().map(|e| e.0.as_ref()) {
        Some(Ok(e)) => e.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        e.trails[0][1].join(" ").contains("2.10"),
        "{:?}",
        e.trails[0]
    );
    let csv = export::file(&s, ExportKind::BillCsv).unwrap();
    assert_eq!(
        csv.name,
        format!("Example-C-Fixed-500-TB-bill-{}.csv", e.short)
    );
    let json = export::file(&s, ExportKind::BillJson).unwrap();
    assert!(
        json.text.contains("\"trail\":[") && json.text.contains(&e.digests[0].1),
        "{}",
        json.name
    );
    let ledger = export::file(&s, ExportKind::LedgerCsv).unwrap();
    assert!(ledger.text.starts_with("offer,hour,period,"));
    // An edit asks again; the old answer is dropped.
    let old = crate::worker::decode_answer(&crate::worker::answer(&stale.encode())).unwrap();
    let s = apply(
        s,
        [Action::SetGranularity(
            unitcalc_core::report::Granularity::IsoWeek,
        )],
    );
    assert!(s.evidence.is_none() && s.evidence_request.as_ref().unwrap().key != stale.key);
    let s = apply(s, [Action::EvidenceReady(Rc::new(old))]);
    assert!(
        s.evidence.is_none(),
        "an answer to an older request is dropped"
    );
    let s = apply(s, [Action::Explain(false)]);
    assert!(s.evidence_request.is_none() && s.evidence.is_none());
}

/// The first offer's first entitlement is the usage's default cell: while
/// the first usage cell mirrors it, the usage follows its cell and
/// quantity (the README's tour); once the usage is set apart, it stays.
#[test]
fn the_usage_follows_the_first_entitlement() {
    let set_ent = |offer: usize, field: EntitlementField, value: &str| Action::SetEntitlement {
        offer,
        entitlement: 0,
        field,
        value: value.into(),
    };
    let usage = |s: &AppState| {
        let u = &s.scenario.usage.cells[0];
        (u.cell.clone(), u.baseline.clone())
    };
    let s = apply(
        Rc::new(AppState::new(default_scenario())),
        [
            Action::SetOfferKind {
                offer: 0,
                kind: KindSpec::FixedCapacity,
            },
            Action::AddEntitlement {
                offer: 0,
                cell: "capacity/azure/hot".into(),
            },
            set_ent(0, EntitlementField::Cell, "capacity/azure/hot"),
            set_ent(0, EntitlementField::Quantity, "5"),
            set_ent(0, EntitlementField::Quantity, "500"),
        ],
    );
    assert_eq!(usage(&s), ("capacity/azure/hot".into(), "500".into()));
    assert_eq!(s.fault, None);
    // A second offer's entitlement is not the default.
    let s = apply(
        s,
        [
            Action::AddOffer,
            set_ent(1, EntitlementField::Quantity, "700"),
        ],
    );
    assert_eq!(usage(&s), ("capacity/azure/hot".into(), "500".into()));
    // The usage set apart: the entitlement no longer moves it.
    let s = apply(
        s,
        [
            set_usage(UsageField::Baseline, "450"),
            set_ent(0, EntitlementField::Quantity, "600"),
            set_ent(0, EntitlementField::Cell, "capacity/aws/hot"),
        ],
    );
    assert_eq!(usage(&s), ("capacity/azure/hot".into(), "450".into()));
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

/// Saving says why nothing happened (an empty name), asks before saving
/// over a name, and says that uploaded usage is not kept (on the entry too).
#[test]
fn saving_asks_and_says_what_is_kept() {
    let name = "state.rs save test";
    let s = example().reduce(Action::Save("   ".into()));
    assert_eq!(
        s.notice.as_deref(),
        Some("Nothing was saved: type a name for the scenario first.")
    );
    assert!(!s.saved.iter().any(|n| n.trim().is_empty()));
    let s = s.reduce(Action::Save(name.into()));
    assert!(s.saved.iter().any(|n| n == name) && s.confirm.is_none());
    // Saving over it asks; Cancel keeps the saved one, Replace replaces it.
    let s = apply(
        s,
        [Action::SetName("second".into()), Action::Save(name.into())],
    );
    assert_eq!(s.confirm, Some(Confirm::Overwrite(name.into())));
    let (question, yes) = s.confirm.clone().unwrap().question(&s);
    assert_eq!(
        (question.as_str(), yes),
        (
            "A scenario named “state.rs save test” is already saved in this browser. Replace it?",
            "Replace"
        )
    );
    let s = s.reduce(Action::Answer(false));
    assert_eq!(s.confirm, None);
    assert_eq!(storage::load_all()[name].name, "Example C");
    let s = apply(s, [Action::Save(name.into()), Action::Answer(true)]);
    assert_eq!(storage::load_all()[name].name, "second");
    // With an uploaded CSV: the profile is saved, and the page says the file is not.
    let upload = Rc::new(CsvUsage {
        name: "two-days.csv".into(),
        bytes: b"timestamp,meter,environment,use_case,quantity\n2026-03-10T00:00:00Z,capacity,azure,hot,540\n".to_vec(),
    });
    let s = apply(
        s,
        [
            Action::UploadCsv(upload),
            Action::Save("state.rs csv test".into()),
        ],
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Saved “state.rs csv test” in this browser, with the usage profile: the uploaded usage (two-days.csv) is not kept. Upload it again after loading.")
    );
    assert_eq!(
        s.saved_csv.get("state.rs csv test").map(String::as_str),
        Some("two-days.csv")
    );
    assert_eq!(
        AppState::open("")
            .saved_csv
            .get("state.rs csv test")
            .map(String::as_str),
        Some("two-days.csv")
    );
    let s = s.reduce(Action::DeleteSaved("state.rs csv test".into()));
    assert!(!s.saved_csv.contains_key("state.rs csv test"));
    s.reduce(Action::DeleteSaved(name.into()));
}

/// Removing an offer or a saved scenario can be undone.
#[test]
fn removals_can_be_undone() {
    let s = apply(
        example(),
        [
            Action::AddOffer,
            Action::SetOfferField {
                offer: 1,
                field: OfferField::Name,
                value: "Second".into(),
            },
            Action::AddOffer,
            Action::RemoveOffer(1),
        ],
    );
    let names = |s: &AppState| {
        s.scenario
            .offers
            .iter()
            .map(|o| o.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&s), ["Fixed 500 TB", "Offer 3"]);
    assert_eq!(
        s.undo.as_ref().map(|u| u.notice()).as_deref(),
        Some("Removed offer “Second”.")
    );
    // Looking around keeps the Undo notice; the next change ends it.
    let looked = apply(
        s.clone(),
        [Action::SetView(View::Compare), Action::SelectOffer(1)],
    );
    assert!(looked.undo.is_some());
    assert_eq!(looked.reduce(Action::SetName("x".into())).undo, None);
    let s = s.reduce(Action::Undo);
    assert_eq!(names(&s), ["Fixed 500 TB", "Second", "Offer 3"]);
    assert_eq!(s.undo, None);
    assert_eq!(s.outcome.as_ref().as_ref().unwrap().bills().len(), 3);
    // The last offer is never removed, so there is nothing to undo.
    let s = apply(example(), [Action::RemoveOffer(0)]);
    assert_eq!((s.scenario.offers.len(), s.undo.is_none()), (1, true));
    // A deleted saved scenario comes back.
    let name = "state.rs undo test";
    let s = apply(
        example(),
        [Action::Save(name.into()), Action::DeleteSaved(name.into())],
    );
    assert!(!s.saved.iter().any(|n| n == name));
    assert_eq!(
        s.undo.as_ref().map(|u| u.notice()).as_deref(),
        Some("Deleted saved scenario “state.rs undo test”.")
    );
    let s = s.reduce(Action::Undo);
    assert!(s.saved.iter().any(|n| n == name));
    assert_eq!(s.notice.as_deref(), Some("Restored “state.rs undo test”."));
    assert_eq!(storage::load_all()[name], DealSpec::example());
    s.reduce(Action::DeleteSaved(name.into()));
}

/// An edited bundled matrix is named "(edited)" on the bills (so in every
/// view and export); switching away from it asks first.
#[test]
fn an_edited_matrix_is_named_and_kept() {
    use unitcalc_core::matrix_toml::{self, GridCell};
    let spec_m = unitcalc_core::bundled::matrix("spec-m").unwrap();
    let edited = matrix_toml::to_toml(
        &matrix_toml::edit_grid(&spec_m, GridCell::BaseRate { meter: 0 }, "0.002").unwrap(),
    );
    let versions = |s: &AppState| {
        let c = s.outcome.as_ref().as_ref().unwrap();
        c.bills()
            .iter()
            .map(|b| b.matrix_version.clone())
            .collect::<Vec<_>>()
    };
    // Custom but as shipped: not edited, and nothing to lose.
    let s = example().reduce(Action::CustomizeMatrix);
    assert_eq!(s.matrix_label().as_deref(), Some("spec-m v1"));
    assert_eq!(versions(&s), ["1"]);
    let s = s.reduce(Action::ChooseMatrix(MatrixChoice::Bundled(
        "illustrative".into(),
    )));
    assert_eq!(
        (s.confirm.clone(), s.scenario.matrix.clone()),
        (None, MatrixChoice::Bundled("illustrative".into()))
    );
    // Edited: named so on the bill and in the CSV export.
    let s = example().reduce(Action::SetMatrix(MatrixChoice::Custom(edited.clone())));
    assert_eq!(s.matrix_label().as_deref(), Some("spec-m v1 (edited)"));
    assert_eq!(versions(&s), ["1 (edited)"]);
    let csv = export::file(&s, ExportKind::BillCsv).unwrap().text;
    assert!(
        csv.lines().nth(1).unwrap().contains(",spec-m,1 (edited),"),
        "{csv}"
    );
    // Switching asks; Cancel keeps the edits, Switch drops them.
    let choose = Action::ChooseMatrix(MatrixChoice::Bundled("spec-m".into()));
    let s = s.reduce(choose.clone());
    assert_eq!(
        s.confirm,
        Some(Confirm::SwitchMatrix(MatrixChoice::Bundled(
            "spec-m".into()
        )))
    );
    assert!(s
        .confirm
        .clone()
        .unwrap()
        .question(&s)
        .0
        .starts_with("The matrix spec-m v1 (edited) has edits that are not kept anywhere else"));
    let s = s.reduce(Action::Answer(false));
    assert_eq!(
        (s.confirm.clone(), s.scenario.matrix.clone()),
        (None, MatrixChoice::Custom(edited))
    );
    let s = apply(s, [choose, Action::Answer(true)]);
    assert_eq!(s.scenario.matrix, MatrixChoice::Bundled("spec-m".into()));
    assert_eq!(versions(&s), ["1"]);
}

/// An uploaded file that covers part of the term: the months it has no
/// usage for, from the core (empty for the profile).
#[test]
fn months_without_usage() {
    let months = |s: &AppState| {
        s.outcome
            .as_ref()
            .as_ref()
            .unwrap()
            .months_without_usage
            .join(",")
    };
    assert_eq!(months(&example()), "");
    let upload = Rc::new(CsvUsage {
        name: "march-april.csv".into(),
        bytes: b"timestamp,meter,environment,use_case,quantity\n2026-03-10T00:00:00Z,capacity,azure,hot,540\n2026-04-30T23:00:00Z,capacity,azure,hot,0\n".to_vec(),
    });
    let s = example().reduce(Action::UploadCsv(upload));
    assert_eq!(
        months(&s),
        "2026-05,2026-06,2026-07,2026-08,2026-09,2026-10,2026-11,2026-12,2027-01,2027-02"
    );
}

/// An offer still named after its kind is renamed when its kind changes; a
/// name the user gave stays.
#[test]
fn an_offer_named_after_its_kind_follows_it() {
    let kind = |k| Action::SetOfferKind { offer: 0, kind: k };
    let s = apply(
        Rc::new(AppState::new(default_scenario())),
        [kind(KindSpec::FixedCapacity)],
    );
    assert_eq!(s.scenario.offers[0].name, "Fixed capacity");
    let s = apply(s, [kind(KindSpec::Commitment)]);
    assert_eq!(s.scenario.offers[0].name, "Commitment");
    let s = apply(
        s,
        [
            set_offer(0, OfferField::Name, "Acme prepaid"),
            kind(KindSpec::PayAsYouGo),
        ],
    );
    assert_eq!(s.scenario.offers[0].name, "Acme prepaid");
}

/// The deal's fingerprints as the CLI computes them (`unitcalc fingerprint`).
fn core_fingerprints(s: &AppState) -> unitcalc_core::evidence::Fingerprints {
    let c = s.outcome.as_ref().as_ref().unwrap();
    let usage = quote::usage_of::<Error>(&c.deal, |_| unreachable!()).unwrap();
    unitcalc_core::evidence::fingerprints(&c.matrix, &c.deal, &usage, c.bills()).unwrap()
}

/// The Quote tab asks the worker for the deal's fingerprints alone (no
/// trail): every offer's bill digest and the inputs', the core's own.
#[test]
fn the_quote_tab_asks_for_the_fingerprints() {
    let s = apply(example(), [Action::AddOffer]);
    assert!(s.evidence_request.is_none());
    let s = apply(s, [Action::SetView(View::Quote)]);
    let req = s
        .evidence_request
        .clone()
        .expect("asked when the tab opens");
    assert!(!req.trail, "the fingerprints only");
    let s = with_evidence(s);
    let e = match s.evidence.as_ref().map(|e| e.0.as_ref()) {
        Some(Ok(e)) => e.clone(),
        other => panic!("{other:?}"),
    };
    assert!(e.trails.is_empty() && e.ledger_csv.is_empty());
    let f = core_fingerprints(&s);
    assert_eq!(f.bills.len(), 2);
    assert_eq!(e.fingerprints(), f);
    // Leaving the tab keeps them until the scenario changes.
    let s = apply(s, [Action::SetView(View::Bill)]);
    assert!(s.evidence.is_some());
}

/// Print: at once when the page has the fingerprints; otherwise it asks the
/// worker and prints on its answer, or without it after the wait.
#[test]
fn print_waits_for_the_fingerprints() {
    let s = apply(example(), [Action::Print]);
    assert!(s.printing && s.print_now == 0);
    assert!(s.evidence_request.is_some());
    let s = with_evidence(s);
    assert!(!s.printing && s.print_now == 1);
    let s = apply(s, [Action::Print]);
    assert_eq!(
        s.print_now, 2,
        "the fingerprints are there: printed at once"
    );
    // No answer in time: printed without them, once.
    let s = apply(
        example(),
        [Action::Print, Action::PrintAnyway, Action::PrintAnyway],
    );
    assert!(!s.printing && s.print_now == 1);
    // A scenario that does not price (the page shows the last that did):
    // the worker says why, and the quote prints without fingerprints.
    let s = apply(
        example(),
        [Action::SetTermMonths("x".into()), Action::Print],
    );
    let s = with_evidence(s);
    assert!(matches!(
        s.evidence.as_ref().map(|e| e.0.as_ref()),
        Some(Err(_))
    ));
    assert!(!s.printing && s.print_now == 1);
}

/// Every export written by the worker carries the fingerprints: the CSVs
/// five digest columns (as `unitcalc quote|compare -f csv --evidence`), the
/// deal and matrix TOML a comment with every digest; both TOML files read
/// back to the same deal and matrix.
#[test]
fn worker_exports_carry_the_fingerprints() {
    let s = example();
    let f = core_fingerprints(&s);
    let link = encode(s.written()).unwrap();
    let export = |k: ExportKind| {
        crate::worker::decode_file(&crate::worker::answer(&crate::worker::export_request(
            k, &link, 0, None,
        )))
        .unwrap()
    };
    let bill = export(ExportKind::BillCsv);
    let c = s.outcome.as_ref().as_ref().unwrap();
    assert_eq!(
        bill.text,
        unitcalc_core::bill_csv::to_csv_with_digests(&c.deal.name, &c.bills()[0], &f.per_bill()[0])
    );
    let compare = export(ExportKind::CompareCsv);
    assert_eq!(
        compare.text,
        unitcalc_core::compare_csv::to_csv_with_digests(&c.deal.name, &c.comparison, &f.per_bill())
    );
    let deal = export(ExportKind::DealToml);
    assert!(deal.text.starts_with(&f.toml_comment()), "{}", deal.text);
    let back = unitcalc_core::deal_toml::read(&deal.text, &deal.name)
        .unwrap()
        .spec;
    let m = back.matrix.load().unwrap();
    let resolved = back.resolve(&m, &unitcalc_core::deal::FieldLabels).unwrap();
    assert_eq!(
        (&resolved.terms, &resolved.offers, &resolved.usage),
        (&c.deal.terms, &c.deal.offers, &c.deal.usage)
    );
    let matrix = export(ExportKind::MatrixToml);
    assert_eq!(matrix.text, f.toml_comment() + BUNDLED[0].1);
    let m = unitcalc_core::matrix_toml::parse_matrix(&matrix.text, "matrix.toml").unwrap();
    assert_eq!(
        unitcalc_core::evidence::sha256_hex(&unitcalc_core::matrix_toml::to_toml(&m)),
        f.matrix
    );
}
