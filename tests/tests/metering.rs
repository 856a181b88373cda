//! Marketplace metering end to end: the metered fixture deals of
//! `tests/fixtures/metering/` (worked example C through Azure, AWS and
//! Google Cloud; a pay-as-you-go deal through Azure) read, resolved and
//! written back, then metered: the records reconcile to the bill.

use unitcalc_core::deal_toml;
use unitcalc_core::metering::{self, Marketplace, Metering};
use unitcalc_core::time::Hour;
use unitcalc_tests::deals::{load_deal, LoadedDeal};
use unitcalc_tests::path;

/// The metered fixture deals and the marketplace each reports to.
const DEALS: [(&str, Marketplace); 4] = [
    ("example-c-azure", Marketplace::Azure),
    ("example-c-aws", Marketplace::Aws),
    ("example-c-gcp", Marketplace::Gcp),
    ("payg-azure", Marketplace::Azure),
];

fn load(name: &str) -> LoadedDeal {
    load_deal(path(format!("tests/fixtures/metering/{name}.toml")))
}

#[test]
fn metered_deals_resolve_their_plan_and_round_trip() {
    for (name, market) in DEALS {
        let loaded = load(name);
        let plan = loaded.deal.metering.as_ref().expect("a metering plan");
        assert_eq!(plan.marketplace(), market, "{name}");
        let written = deal_toml::to_toml(&loaded.deal, &loaded.matrix);
        assert_eq!(
            deal_toml::parse_deal(&written, "written", &loaded.matrix)
                .unwrap_or_else(|e| panic!("{name} as written: {e}")),
            loaded.deal,
            "{name}: to_toml round trip"
        );
    }
}

/// Meters a fixture deal: its bill and metering.
fn metered(name: &str) -> (unitcalc_core::bill::Bill, Metering) {
    let l = load(name);
    let plan = l.deal.metering.as_ref().expect("a metering plan");
    metering::meter(&l.matrix, &l.deal.terms, &l.deal.offers, plan, &l.usage)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Worked example C through each marketplace: only the 28 charged hours of
/// March are metered, 1,120 TB-hours of excess, reported in cents that add
/// up to the overage line (azure/hot 1.25: 2.10; aws/hot and gcp/hot 1.20:
/// 2.016 rounded to 2.02); every other period reports nothing.
#[test]
fn example_c_meters_only_the_charged_hours() {
    for (name, cents) in [
        ("example-c-azure", 210),
        ("example-c-aws", 202),
        ("example-c-gcp", 202),
    ] {
        let (bill, m) = metered(name);
        let march = &m.periods[0];
        assert_eq!(
            (march.period.as_str(), march.quantity),
            ("2026-03", cents),
            "{name}"
        );
        assert_eq!(march.amount, march.bill_amount, "{name}");
        assert!(m.periods[1..].iter().all(|p| p.quantity == 0), "{name}");
        assert!(m.periods.iter().all(|p| p.difference.is_zero()), "{name}");
        // Charged hours: 2026-03-13T00:00Z (hour 73 of the burst) to 04:00Z
        // on the 14th (exclusive); the true-up rides on March's last hour.
        let first = Hour::parse_rfc3339("2026-03-13T00:00:00Z").unwrap();
        let end = Hour::parse_rfc3339("2026-03-14T04:00:00Z").unwrap();
        let last = Hour(bill.periods[0].end.0 - 1);
        assert!(
            m.records
                .iter()
                .all(|r| (r.hour >= first && r.hour < end) || r.hour == last),
            "{name}: {:?}",
            m.records
        );
        assert_eq!(m.records.iter().map(|r| r.quantity).sum::<u64>(), cents);
    }
}

/// Pay-as-you-go meters all consumption: 200 TB on azure/hot is 0.375 units
/// an hour, 279 units in March at the listed 0.80 (223.20, worked example
/// A); 16 vCPU of compute from April is 0.32 an hour, 23,040 cents in April.
#[test]
fn pay_as_you_go_meters_all_consumption() {
    let (_, m) = metered("payg-azure");
    let row = |period: &str, d: usize| {
        m.periods
            .iter()
            .find(|p| p.period == period && p.dimension == d)
            .unwrap_or_else(|| panic!("{period} {d}"))
            .clone()
    };
    assert_eq!(row("2026-03", 0).quantity, 279);
    assert_eq!(row("2026-03", 0).bill_amount.to_string(), "223.20");
    assert_eq!(row("2026-04", 0).quantity, 270);
    assert_eq!(row("2026-03", 1).quantity, 0);
    assert_eq!(row("2026-04", 1).quantity, 23_040);
    assert!(m.periods.iter().all(|p| p.difference.is_zero()));
    // Every hour of March reports capacity (0.375 units carried: 0, 0, 1, …).
    let march_capacity = m
        .records
        .iter()
        .filter(|r| r.dimension == 0 && r.hour.date().month() == 3)
        .count();
    assert!(march_capacity > 270, "{march_capacity}");
}
