//! Pricing by cells ([`price_cell`], [`price_shares`]) against the whole.

use super::recorded::scattered_usage;
use super::*;

/// The same usage as dense series: the records of `cells`, plus a cell
/// used only from the second month, and a not-offered one whose hours are
/// all zero.
fn dense(seed: u64, m: &Matrix, t: &DealTerms, cells: &[CellId]) -> UsageSeries {
    let (ordered, _) = scattered_usage(seed, t, cells);
    let mut u = UsageSeries::new(&t.term);
    for r in ordered {
        u.insert(Some(m), r.hour, r.cell, r.quantity).unwrap();
    }
    let hours = t.term.hours();
    let late: Vec<Quantity> = (0..hours)
        .map(|h| Quantity(if h < 800 { Decimal::ZERO } else { d("520.5") }))
        .collect();
    u.set_series(m.cell("capacity", "aws", "hot").unwrap(), late);
    u.set_series(
        m.cell("capacity", "aws", "archive").unwrap(),
        vec![Quantity::ZERO; hours],
    );
    u
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
    /// Each cell priced apart and the bill written from the shares, in any
    /// order: the same bill and excess runs as the whole pricing, for pay
    /// as you go and fixed capacity (an entitled cell without usage, a cell
    /// first used in the second period, a cell of zeros), direct and
    /// through a marketplace.
    #[test]
    fn shares_price_as_the_whole(seed in 0u64..10_000, reversed: bool) {
        let m = spec_m();
        let cells = [
            m.cell("compute", "azure", "hot").unwrap(),
            m.cell("capacity", "on-prem", "hot").unwrap(),
            m.cell("capacity", "azure", "archive").unwrap(),
        ];
        let fixed = Offer {
            name: "fixed".into(),
            kind: OfferKind::FixedCapacity(FixedCapacity {
                entitlements: [cells[0], cells[1], m.cell("compute", "aws", "hot").unwrap()]
                    .iter()
                    .map(|&cell| Entitlement { cell, quantity: Quantity(d("500")) })
                    .collect(),
                monthly_fee: crate::num::Money(d("40000.00")),
                payment: Payment::Monthly,
                overage: OveragePolicy::default(),
            }),
        };
        let payg = Offer {
            name: "payg".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: Ratio(d("0.1")) }),
        };
        for channel in [Channel::Direct, Channel::Marketplace("azure".into())] {
            let t = DealTerms { channel, ..term("2026-03-15", 2) };
            let usage = dense(seed, &m, &t, &cells);
            for offer in [&fixed, &payg] {
                let whole = price_with_excess(&m, &t, offer, &usage).unwrap();
                let mut shares: Vec<CellShare> = usage
                    .cells()
                    .iter()
                    .map(|c| price_cell(&m, &t, offer, &usage, c).unwrap())
                    .collect();
                if reversed {
                    shares.reverse();
                }
                let by_parts = price_shares(&m, &t, offer, &shares.iter().collect::<Vec<_>>()).unwrap();
                proptest::prop_assert_eq!(&by_parts.0, &whole.0);
                proptest::prop_assert_eq!(&by_parts.1, &whole.1);
            }
        }
    }
}

/// A commitment's cells share its bucket: refused by cells, with a message
/// that says so.
#[test]
fn a_commitment_is_not_priced_by_cells() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let (usage, offer) = example_f(&m, &t);
    assert!(!prices_cells_apart(&offer));
    let e = price_cell(&m, &t, &offer, &usage, &usage.cells()[0]).unwrap_err();
    assert!(e.to_string().contains("priced whole"), "{e}");
    let e = price_shares(&m, &t, &offer, &[]).unwrap_err();
    assert!(e.to_string().contains("priced whole"), "{e}");
}
