//! Scenario edits: each field against the scenario it gives, edits out of
//! range, removing and restoring offers, entitlements and cells, an edited
//! matrix and offer names.

use super::*;

// In the browser these run under wasm-bindgen-test; named here, since
// `super::*` and the prelude would both offer a `test`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

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
