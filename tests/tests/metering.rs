//! Marketplace metering end to end: the metered fixture deals of
//! `tests/fixtures/metering/` (worked example C through Azure, AWS and
//! Google Cloud; a pay-as-you-go deal through Azure) read, resolved and
//! written back, then metered: the records reconcile to the bill, and the
//! request bodies match their golden files in `tests/golden/metering/`.

use unitcalc_core::deal_toml;
use unitcalc_core::metering::{self, Marketplace, Metering, Request, Window};
use unitcalc_core::time::Hour;
use unitcalc_core::usage::UsageSeries;
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
        loaded.assert_round_trips(name);
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

/// A deal through AWS on matrix M, one month of 1,000 TB on aws/hot (1.8
/// units an hour), with `offer` and a money dimension on aws/hot.
fn aws_deal(offer: &str) -> (unitcalc_core::matrix::Matrix, unitcalc_core::deal::Deal) {
    let m = unitcalc_tests::spec_m();
    let src = format!(
        r#"name = "Acme"
matrix = "spec-m.toml"
channel = "aws"
[term]
start = "2026-03-01"
months = 1
[usage.profile]
[[usage.profile.cells]]
meter = "capacity"
environment = "aws"
use_case = "hot"
baseline = "1000"
[[offers]]
name = "Offer"
{offer}
[metering]
product_code = "prod1"
customer_identifier = "cust1"
[[metering.dimensions]]
name = "usage_cents"
unit = "money"
price = "0.01"
cells = [{{ meter = "capacity", environment = "aws", use_case = "hot" }}]
"#
    );
    let deal = deal_toml::parse_deal(&src, "acme.toml", &m).unwrap_or_else(|e| panic!("{e}"));
    (m, deal)
}

/// A commitment meters nothing until the bucket is empty: 1,000 units at 1.8
/// an hour last 555 full hours (999 units); hour 556 draws the last unit and
/// 0.8 unit is overage (80 cents); every later hour is 1.8 units (180
/// cents). March: 744 × 1.8 − 1,000 = 339.2 units of overage, 33,920 cents.
#[test]
fn a_commitment_meters_only_overage_after_the_bucket() {
    let (m, deal) = aws_deal("kind = \"commitment\"\nunits = \"1000\"\ncommit_price = \"0.85\"");
    let usage =
        unitcalc_core::quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
    let plan = deal.metering.as_ref().unwrap();
    let (bill, metered) = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap();
    let exhausted = bill.commitment.as_ref().unwrap().exhausted_at.unwrap();
    assert_eq!(exhausted, Hour(deal.terms.term.start_hour().0 + 555));
    assert_eq!(metered.records[0].hour, exhausted);
    assert_eq!(metered.records[0].quantity, 80);
    assert!(metered.records[1..].iter().all(|r| r.quantity == 180));
    assert_eq!(metered.periods[0].quantity, 33_920);
    assert!(metered.periods[0].difference.is_zero());
}

/// A `units` dimension reconciles only in whole units of its price; a bill
/// of 1,339.20 at 1.00 a unit is not, and metering says so.
#[test]
fn a_units_dimension_that_cannot_reconcile_is_an_error() {
    let (m, mut deal) = aws_deal("kind = \"pay-as-you-go\"\ndiscount = \"0.10\"");
    let plan = deal.metering.as_mut().unwrap();
    plan.dimensions[0].unit = metering::DimensionUnit::Units;
    plan.dimensions[0].price = "0.90".parse().unwrap();
    let plan = deal.metering.as_ref().unwrap();
    let usage =
        unitcalc_core::quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
    // 744 × 1.8 = 1,339.2 units at 0.90: 1,205.28, exactly 1,339.2 units: no
    // whole number.
    let err = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap_err();
    assert_eq!(
        err.to_string(),
        "metering: dimension `usage_cents`, 2026-03: the bill's 1205.28 is not a whole number of the listed price 0.90 (count money in minor units instead)"
    );
}

/// Usage in a cell the plan does not count (here from a CSV, which the
/// resolver cannot see) stops metering, naming the cell, amount and period.
#[test]
fn metered_usage_in_a_cell_without_dimension_is_an_error() {
    let (m, deal) = aws_deal("kind = \"pay-as-you-go\"");
    let plan = deal.metering.as_ref().unwrap();
    let term = deal.terms.term;
    let mut usage = UsageSeries::new(&term);
    let other = m.cell("capacity", "azure", "hot").unwrap();
    usage.set_series(other, vec!["100".parse().unwrap(); term.hours()]);
    let err = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap_err();
    assert_eq!(
        err.to_string(),
        "metering: cell capacity/azure/hot bills 139.50 of metered usage in 2026-03 but no dimension counts it"
    );
}

/// AWS takes quantities up to 2,147,483,647 a record.
#[test]
fn an_aws_quantity_past_the_limit_is_an_error() {
    let (_, deal) = aws_deal("kind = \"pay-as-you-go\"");
    let plan = deal.metering.as_ref().unwrap();
    let hour = deal.terms.term.start_hour();
    let record = |quantity| Metering {
        records: vec![metering::MeterRecord {
            dimension: 0,
            hour,
            quantity,
        }],
        periods: Vec::new(),
    };
    let limit = metering::requests::MAX_AWS_QUANTITY;
    assert!(metering::requests(plan, "Acme", &record(limit), Window::default()).is_ok());
    assert_eq!(
        metering::requests(plan, "Acme", &record(limit + 1), Window::default())
            .unwrap_err()
            .to_string(),
        "metering: dimension `usage_cents` at 2026-03-01T00:00:00Z: quantity 2147483648 is above AWS's limit 2147483647"
    );
}

/// The browser opens a metered deal file as the deal alone (it meters
/// nothing); `[metering]` must still be a table.
#[test]
fn the_browser_opens_a_metered_deal_without_its_plan() {
    let src =
        std::fs::read_to_string(path("tests/fixtures/metering/example-c-azure.toml")).unwrap();
    let spec = unitcalc_core::scenario::open_deal_file(&src, "example-c-azure.toml").unwrap();
    assert_eq!(spec.channel, "azure");
    let m = unitcalc_tests::spec_m();
    let deal = spec.resolve(&m, &unitcalc_core::deal::FieldLabels).unwrap();
    assert_eq!(deal.metering, None);
    let deal_only = src.split("\n[metering]").next().unwrap();
    let bad = format!("metering = 1\n{deal_only}");
    assert_eq!(
        unitcalc_core::scenario::open_deal_file(&bad, "d.toml")
            .unwrap_err()
            .to_string(),
        "d.toml:1:12: expected a table, found the number `1`"
    );
}
