//! Deal TOML reading and writing: tables of inputs and messages.

use super::*;
use crate::deal::UsageSource;
use crate::matrix_toml::parse_matrix;
use crate::offer::{Channel, OfferKind, OveragePolicy};

const SPEC_M: &str = include_str!("../../../../matrices/spec-m.toml");

fn spec_m() -> Matrix {
    parse_matrix(SPEC_M, "spec-m.toml").unwrap()
}

const HEAD: &str = "name = \"Acme\"\nmatrix = \"spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = 12\n[usage]\ncsv = \"u.csv\"\n";

#[test]
fn example_c_parses() {
    let m = spec_m();
    let d = parse_deal(
        include_str!("../../../../examples/deals/spec-example-c.toml"),
        "c.toml",
        &m,
    )
    .unwrap();
    assert_eq!(d.terms.term.months, 12);
    let UsageSource::Profile(p) = &d.usage else {
        panic!("expected a profile")
    };
    assert_eq!(p.cells[0].baseline.to_string(), "500");
    assert_eq!(p.cells[0].bursts[0].hours, 100);
    let OfferKind::FixedCapacity(f) = &d.offers[0].kind else {
        panic!("expected fixed capacity")
    };
    assert_eq!(f.monthly_fee.to_string(), "40000.00");
    assert_eq!(f.overage, OveragePolicy::default());
    assert_eq!(
        m.cell_name(f.entitlements[0].cell).to_string(),
        "capacity/azure/hot"
    );
}

#[test]
fn offers_table() {
    let m = spec_m();
    // (offer body, expected kind or error text)
    let table = [
        ("kind = \"pay-as-you-go\"", Ok("pay-as-you-go")),
        ("kind = \"commitment\"\nunits = \"1000\"\ncommit_price = \"0.85\"\npayment = \"upfront\"", Ok("commitment")),
        (
            "kind = \"fixed-capacity\"\nmonthly_fee = \"1\"\nentitlements = [{ meter = \"capacity\", environment = \"azure\", use_case = \"archive\", quantity = \"1\" }]",
            Ok("fixed-capacity"),
        ),
        ("kind = \"pay-as-you-go\"\ndiscount = \"1\"", Err("d.toml:12:12: offer `o`: discount must be in [0, 1), got `1`")),
        ("kind = \"commitment\"\nunits = \"1000\"", Err("d.toml:9:1: offer `o`: a commitment offer needs `commit_price`")),
        ("kind = \"barter\"", Err("d.toml:11:8: offer `o`: unknown kind `barter` (expected \"pay-as-you-go\", \"fixed-capacity\" or \"commitment\")")),
        ("kind = \"commitment\"\nunits = \"0\"\ncommit_price = \"1\"", Err("d.toml:12:9: offer `o`: units must be greater than 0, got `0`")),
        (
            "kind = \"fixed-capacity\"\nmonthly_fee = \"1\"\nentitlements = [{ meter = \"capacity\", environment = \"aws\", use_case = \"archive\", quantity = \"1\" }]",
            Err("d.toml:13:17: offer `o`: cell capacity/aws/archive is not offered in matrix `spec-m`"),
        ),
        (
            "kind = \"fixed-capacity\"\nmonthly_fee = \"1\"\nentitlements = [{ meter = \"disk\", environment = \"aws\", use_case = \"hot\", quantity = \"1\" }]",
            Err("d.toml:13:27: unknown meter `disk`"),
        ),
    ];
    for (body, want) in table {
        let src = format!("{HEAD}\n[[offers]]\nname = \"o\"\n{body}\n");
        let got = parse_deal(&src, "d.toml", &m)
            .map(|d| d.offers[0].kind.as_str())
            .map_err(|e| e.to_string());
        assert_eq!(got, want.map_err(String::from), "{body}");
    }
}

#[test]
fn round_trips() {
    let m = spec_m();
    let strict = format!(
        "{HEAD}channel = \"aws\"\n[[offers]]\nname = \"strict \\\"quoted\\\"\"\nkind = \"fixed-capacity\"\n\
         monthly_fee = \"0\"\npayment = \"upfront\"\ntolerance = \"0\"\ngrace_hours = 0\noverage_price = \"1.25\"\n\
         entitlements = [{{ meter = \"compute\", environment = \"on-prem\", use_case = \"hot\", quantity = \"0.5\" }}]\n\
         [[offers]]\nname = \"c\"\nkind = \"commitment\"\nunits = \"1\"\ncommit_price = \"0\"\n"
    )
    .replacen("[usage]\ncsv = \"u.csv\"\nchannel = \"aws\"", "[usage]\ncsv = \"u.csv\"", 1)
    .replacen("name = \"Acme\"\n", "name = \"Acme\"\nchannel = \"aws\"\n", 1);
    let d = parse_deal(&strict, "strict.toml", &m).unwrap();
    assert_eq!(d.terms.channel, Channel::Marketplace("aws".into()));
    assert_eq!(d.usage, UsageSource::Csv("u.csv".into()));
    for src in [
        strict.as_str(),
        include_str!("../../../../examples/deals/spec-example-c.toml"),
        include_str!("../../../../examples/deals/acme-compare.toml"),
    ] {
        let d = parse_deal(src, "d.toml", &m).unwrap();
        let text = to_toml(&d, &m);
        assert_eq!(parse_deal(&text, "written", &m).unwrap(), d, "{text}");
    }
}

/// The friction a finance user hit writing deals by hand: (edit of a
/// deal with a profile, expected outcome).
#[test]
fn hand_written_deals() {
    let m = spec_m();
    let base = "name = \"Acme\"\nmatrix = \"spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = 3\n\
                [[offers]]\nname = \"Fixed\"\nkind = \"fixed-capacity\"\nmonthly_fee = \"100.00\"\n\
                entitlements = [{ meter = \"capacity\", environment = \"azure\", use_case = \"hot\", quantity = \"500\" }]\n";
    // No [usage]: zero usage, the fees still bill.
    let d = parse_deal(base, "d.toml", &m).unwrap();
    assert_eq!(d.usage, UsageSource::Zero);
    let usage = crate::quote::usage_of::<crate::Error>(&d, |_| unreachable!("no CSV")).unwrap();
    let q = crate::quote::quote(&m, &d.terms, &d.offers, &usage).unwrap();
    assert_eq!(q.comparison.bills[0].total.to_string(), "300.00");

    let profile = |burst: &str| {
        format!(
            "{base}[usage.profile]\n[[usage.profile.cells]]\nmeter = \"capacity\"\nenvironment = \"azure\"\n\
             use_case = \"hot\"\nbaseline = \"500\"\nbursts = [{{ {burst} }}]\n"
        )
    };
    // A burst 3 days in is the burst that starts at 2026-03-04T00:00:00Z.
    let after = parse_deal(
        &profile("after_hours = 72, hours = 4, level = \"540\""),
        "d.toml",
        &m,
    )
    .unwrap();
    let at = parse_deal(
        &profile("start = \"2026-03-04T00:00:00Z\", hours = 4, level = \"540\""),
        "d.toml",
        &m,
    )
    .unwrap();
    assert_eq!(after, at);

    // (deal text, expected message)
    let table = [
        (base.replace("months = 3", "months = \"3\""), "d.toml:5:10: `months` is a whole number: write months = 3"),
        (base.replace("months = 3", "months = 2.5"), "d.toml:5:10: `months` is a whole number, got `2.5`"),
        (base.replace("months = 3", "months = -3"), "d.toml:5:10: `-3` is not a whole number in range"),
        (base.replace("monthly_fee = \"100.00\"", "monthly_fee = \"100.00\"\ngrace_hours = \"72\""), "d.toml:10:15: `grace_hours` is a whole number: write grace_hours = 72"),
        (
            profile("after_hours = 72, start = \"2026-03-04T00:00:00Z\", hours = 4, level = \"540\""),
            "d.toml:17:27: a burst starts at `start` or `after_hours`, not both",
        ),
        (
            profile("hours = 4, level = \"540\""),
            "d.toml:17:11: a burst needs `start = \"2026-03-10T00:00:00Z\"` or `after_hours = 72`",
        ),
        (
            profile("after_hours = 5000, hours = 4, level = \"540\""),
            "d.toml:17:27: usage profile capacity/azure/hot: burst start 2026-09-25T08:00:00Z is outside the term 2026-03-01T00:00:00Z to 2026-06-01T00:00:00Z",
        ),
        (base.replace("[[offers]]", "offers = []\n[[x]]"), "d.toml:7:3: unknown field `x`, expected one of `name`, `matrix`, `channel`, `term`, `usage`, `offers`, `metering`"),
    ];
    for (src, want) in table {
        let got = parse_deal(&src, "d.toml", &m)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(got, want, "{src}");
    }
}
