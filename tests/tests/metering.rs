//! Marketplace metering end to end: the metered fixture deals of
//! `tests/fixtures/metering/` (worked example C through Azure, AWS and
//! Google Cloud; a pay-as-you-go deal through Azure) read, resolved and
//! written back, then metered: the records reconcile to the bill, and the
//! request bodies match their golden files in `tests/golden/metering/`.

use unitcalc_core::deal_toml;
use unitcalc_core::metering::{self, Marketplace, Metering, Request, Window};
use unitcalc_core::time::Hour;
use unitcalc_tests::deals::{load_deal, LoadedDeal};
use unitcalc_tests::fixtures::files;
use unitcalc_tests::{assert_golden, display, path};

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
/// A); 16 vCPU of compute for 48 hours is 0.32 an hour, 1,536 cents.
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
    assert_eq!(row("2026-03", 1).quantity, 1_536);
    assert_eq!(row("2026-03", 1).bill_amount.to_string(), "15.36");
    assert!(m.periods.iter().all(|p| p.difference.is_zero()));
    // Every hour of March reports capacity (0.375 units carried: 0, 0, 1, …).
    let march_capacity = m
        .records
        .iter()
        .filter(|r| r.dimension == 0 && r.hour.date().month() == 3)
        .count();
    assert!(march_capacity > 270, "{march_capacity}");
}

/// The request bodies of a fixture deal in `window`.
fn requests_of(name: &str, window: Window) -> Vec<Request> {
    let l = load(name);
    let plan = l.deal.metering.as_ref().expect("a metering plan");
    let (_, m) = metering::meter(&l.matrix, &l.deal.terms, &l.deal.offers, plan, &l.usage)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    metering::requests(plan, &l.deal.name, &m, window).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every request of a fixture deal matches its golden body in
/// `tests/golden/metering/NAME/`, and that folder holds no other file.
fn golden_requests(name: &str) -> Vec<Request> {
    let reqs = requests_of(name, Window::default());
    let dir = path("tests/golden/metering").join(name);
    for r in &reqs {
        assert_golden(dir.join(&r.file_name), &r.body);
    }
    let written: Vec<String> = reqs.iter().map(|r| r.file_name.clone()).collect();
    let on_disk: Vec<String> = files(&dir, "json")
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(String::from))
        .collect();
    assert_eq!(on_disk, written, "{}: stale golden requests", display(&dir));
    // Deterministic: the same deal writes the same bytes.
    assert_eq!(requests_of(name, Window::default()), reqs, "{name}");
    reqs
}

#[test]
fn example_c_azure_requests() {
    // 28 charged hours: 25 events, then 3.
    let reqs = golden_requests("example-c-azure");
    assert_eq!(reqs.len(), 2);
    let body: serde_json::Value = serde_json::from_str(&reqs[0].body).unwrap();
    assert_eq!(body["request"].as_array().map(Vec::len), Some(25));
    assert_eq!(
        body["request"][0]["effectiveStartTime"],
        "2026-03-13T00:00:00Z"
    );
}

#[test]
fn example_c_aws_requests() {
    let reqs = golden_requests("example-c-aws");
    let body: serde_json::Value = serde_json::from_str(&reqs[0].body).unwrap();
    assert_eq!(body["ProductCode"], "7x1k9unitcalc2");
    assert_eq!(body["UsageRecords"].as_array().map(Vec::len), Some(25));
}

#[test]
fn example_c_gcp_requests() {
    let reqs = golden_requests("example-c-gcp");
    assert_eq!(reqs.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&reqs[0].body).unwrap();
    let ops = body["operations"].as_array().unwrap();
    let ids: std::collections::BTreeSet<_> =
        ops.iter().map(|o| o["operationId"].to_string()).collect();
    assert_eq!(ids.len(), ops.len(), "operation ids are unique");
    assert_eq!(
        ops[0]["metricValueSets"][0]["metricName"],
        "unitcalc.endpoints.vast-example.cloud.goog/overage_usd_cents"
    );
}

#[test]
fn payg_azure_requests() {
    let reqs = golden_requests("payg-azure");
    for r in &reqs {
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let events = body["request"].as_array().unwrap();
        assert!(!events.is_empty() && events.len() <= 25, "{}", r.file_name);
        assert!(events
            .iter()
            .all(|e| e["quantity"].as_u64().is_some_and(|q| q > 0)));
    }
}

/// `--from`/`--to`: only the hours in `[from, to)`, numbered from 1.
#[test]
fn a_window_writes_only_its_hours() {
    let h = |s: &str| Some(Hour::parse_rfc3339(s).unwrap());
    let window = Window {
        from: h("2026-03-13T00:00:00Z"),
        to: h("2026-03-13T10:00:00Z"),
    };
    let reqs = requests_of("example-c-azure", window);
    assert_eq!(reqs.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&reqs[0].body).unwrap();
    assert_eq!(body["request"].as_array().map(Vec::len), Some(10));
    assert_eq!(reqs[0].file_name, "azure-0001.json");
    let empty = Window {
        from: h("2026-04-01T00:00:00Z"),
        to: None,
    };
    assert!(requests_of("example-c-azure", empty).is_empty());
}
