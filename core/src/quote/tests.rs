//! Pricing an offer again by cells after usage edits ([`OfferShares`]).

use rust_decimal::Decimal;

use super::*;
use crate::matrix::CellId;
use crate::num::{Money, Price, Ratio, Units};
use crate::offer::{
    Channel, Commitment, Entitlement, FixedCapacity, OfferKind, OveragePolicy, PayAsYouGo, Payment,
};
use crate::profile::{CellCache, CellProfile, Profile};
use crate::time::{Date, Term};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn spec_m() -> Matrix {
    crate::bundled::matrix("spec-m").unwrap()
}

fn offers(cell: CellId) -> Vec<Offer> {
    vec![
        Offer {
            name: "fixed".into(),
            kind: OfferKind::FixedCapacity(FixedCapacity {
                entitlements: vec![Entitlement {
                    cell,
                    quantity: Quantity(d("500")),
                }],
                monthly_fee: Money(d("40000.00")),
                payment: Payment::Monthly,
                overage: OveragePolicy::default(),
            }),
        },
        Offer {
            name: "payg".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo {
                discount: Ratio(d("0.10")),
            }),
        },
        Offer {
            name: "commitment".into(),
            kind: OfferKind::Commitment(Commitment {
                units: Units(d("20000")),
                price: Price(d("0.90")),
                payment: Payment::Upfront,
                overage_price: None,
            }),
        },
    ]
}

/// The browser's edits, one after another: each changes one cell's
/// profile (or none), and each offer is priced again with its shares. The
/// quote is always the whole pricing's; a pay-as-you-go or fixed-capacity
/// offer prices only the edited cell, a commitment every cell.
#[test]
fn an_edit_of_one_cell_prices_that_cell_again() {
    let m = spec_m();
    let term = Term::new(Date::parse("2026-03-10").unwrap(), 3).unwrap();
    let terms = DealTerms {
        term,
        channel: Channel::Marketplace("azure".into()),
    };
    let cell = |e: &str, u: &str, baseline: &str| CellProfile {
        cell: m.cell("capacity", e, u).unwrap(),
        baseline: Quantity(d(baseline)),
        monthly_growth: Ratio(d("0.05")),
        daily_amplitude: Ratio(d("0.05")),
        weekend_dip: Ratio(d("0.1")),
        noise: Ratio(d("0.02")),
        bursts: vec![],
    };
    let mut profile = Profile {
        seed: 7,
        cells: vec![
            cell("azure", "hot", "490"),
            cell("aws", "hot", "300"),
            cell("azure", "archive", "2000"),
        ],
    };
    let offers = offers(profile.cells[0].cell);
    let mut cache = CellCache::default();
    let mut shares: Vec<OfferShares> = offers.iter().map(|_| OfferShares::default()).collect();
    // (the edit: cell and new baseline, or none; cells each offer prices:
    // fixed, payg, commitment)
    type Edit = (Option<(usize, &'static str)>, [usize; 3]);
    let edits: [Edit; 5] = [
        (None, [3, 3, 3]),
        (Some((0, "520")), [1, 1, 3]),
        (Some((2, "2100")), [1, 1, 3]),
        (None, [0, 0, 3]),
        (Some((0, "490")), [1, 1, 3]),
    ];
    for (edit, expected) in edits {
        if let Some((k, baseline)) = edit {
            profile.cells[k].baseline = Quantity(d(baseline));
        }
        let usage = crate::profile::generate_reusing(&profile, &term, &mut cache).unwrap();
        for ((offer, shares), cells) in offers.iter().zip(&mut shares).zip(expected) {
            let q = shares.price(&m, &terms, offer, &usage).unwrap();
            assert_eq!(
                q,
                price_offer(&m, &terms, offer, &usage).unwrap(),
                "{edit:?}"
            );
            assert_eq!(
                shares.last_priced(),
                cells,
                "{}, after {edit:?}",
                offer.name
            );
        }
    }
}

/// Two not-offered cells: the one in matrix order first (on-prem/archive)
/// has usage only from hour 100, the other (aws/archive) from hour 0. The
/// error is the whole pricing's (aws/archive's, at hour 0), though by cells
/// the first cell would fail first.
#[test]
fn an_error_is_the_whole_pricings() {
    let m = spec_m();
    let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
    let terms = DealTerms {
        term,
        channel: Channel::Direct,
    };
    let mut usage = UsageSeries::new(&term);
    let hours = term.hours();
    let from = |h0: usize| -> Vec<Quantity> {
        (0..hours)
            .map(|h| Quantity(if h < h0 { Decimal::ZERO } else { d("5") }))
            .collect()
    };
    usage.set_series(m.cell("capacity", "on-prem", "archive").unwrap(), from(100));
    usage.set_series(m.cell("capacity", "aws", "archive").unwrap(), from(0));
    let payg = &offers(m.cell("capacity", "azure", "hot").unwrap())[1];
    let whole = price_offer(&m, &terms, payg, &usage)
        .unwrap_err()
        .to_string();
    let by_cells = OfferShares::default()
        .price(&m, &terms, payg, &usage)
        .unwrap_err()
        .to_string();
    assert_eq!(by_cells, whole);
    assert!(whole.contains("aws/archive"), "{whole}");
}
