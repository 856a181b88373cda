//! Share links and saved scenarios: round trips, the JSON rules, broken links.

use super::*;
use crate::deal::{BurstSpec, CellUsageSpec, EntitlementSpec, KindSpec, OfferSpec, UsageSpec};
use crate::matrix::Matrix;
use crate::offer::{Channel, OfferKind, Payment};
use std::collections::BTreeMap;

fn spec_m() -> Matrix {
    crate::bundled::matrix("spec-m").unwrap()
}

/// The JSON a link carries for `s`.
fn json_of(s: &DealSpec) -> String {
    String::from_utf8(to_json(s).unwrap()).unwrap()
}

fn link_of_json(json: &str) -> String {
    format!("#v1.{}", URL_SAFE_NO_PAD.encode(json))
}

#[test]
fn round_trip_and_resolve() {
    let s = DealSpec::example();
    let link = encode(&s).unwrap();
    assert_eq!(decode(&link).unwrap(), s);
    assert_eq!(decode(link.trim_start_matches('#')).unwrap(), s);
    let r = decode(&link)
        .unwrap()
        .resolve(&spec_m(), &FieldLabels)
        .unwrap();
    assert_eq!(r.offers.len(), 1);
    let crate::deal::UsageSource::Profile(p) = &r.usage else {
        panic!("profile")
    };
    assert_eq!(p.cells[0].bursts[0].hours, 100);
    let OfferKind::FixedCapacity(f) = &r.offers[0].kind else {
        panic!("kind")
    };
    assert_eq!(f.monthly_fee.to_string(), "40000.00");
    assert_eq!(f.overage.grace_hours, 72);
}

/// Any text, including quotes, escapes, control characters and non-ASCII.
fn text() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::string::string_regex("(\\PC|[\"\\\\\n\t\u{1}é€😀]){0,8}").unwrap()
}

fn scenario_strategy() -> impl proptest::strategy::Strategy<Value = DealSpec> {
    use proptest::collection::vec;
    use proptest::prelude::*;
    let kind = prop_oneof![
        Just(KindSpec::PayAsYouGo),
        Just(KindSpec::FixedCapacity),
        Just(KindSpec::Commitment)
    ];
    let payment = prop_oneof![Just(Payment::Monthly), Just(Payment::Upfront)];
    let ent = (text(), text()).prop_map(|(cell, quantity)| EntitlementSpec { cell, quantity });
    let offer = (
        (text(), kind, text(), vec(ent, 0..3), text(), payment),
        (text(), text(), text(), text(), text()),
    )
        .prop_map(
            |((name, kind, discount, entitlements, monthly_fee, payment), r)| OfferSpec {
                name,
                kind,
                discount,
                entitlements,
                monthly_fee,
                payment,
                tolerance: r.0,
                grace_hours: r.1,
                overage_price: r.2,
                commit_units: r.3,
                commit_price: r.4,
            },
        );
    let burst =
        (text(), text(), text(), text()).prop_map(|(start, after_hours, hours, level)| BurstSpec {
            start,
            after_hours,
            hours,
            level,
        });
    let cell = (
        (text(), text(), text()),
        (text(), text(), text()),
        vec(burst, 0..3),
    )
        .prop_map(
            |((cell, baseline, monthly_growth), (daily_amplitude, weekend_dip, noise), bursts)| {
                CellUsageSpec {
                    cell,
                    baseline,
                    monthly_growth,
                    daily_amplitude,
                    weekend_dip,
                    noise,
                    bursts,
                }
            },
        );
    let matrix = prop_oneof![
        text().prop_map(MatrixChoice::Bundled),
        text().prop_map(MatrixChoice::Custom)
    ];
    (
        (text(), matrix, text(), text(), text()),
        vec(offer, 0..4),
        (text(), vec(cell, 0..3)),
    )
        .prop_map(
            |((name, matrix, term_start, term_months, channel), offers, (seed, cells))| DealSpec {
                name,
                matrix,
                term_start,
                term_months,
                channel,
                offers,
                usage: UsageSpec { seed, cells },
                usage_csv: None,
            },
        )
}

proptest::proptest! {
    /// What `encode` (serde_json's writer) writes, `decode` (our reader) reads back.
    #[test]
    fn any_scenario_round_trips_through_a_link_and_saved_storage(s in scenario_strategy()) {
        proptest::prop_assert_eq!(&decode(&encode(&s).unwrap()).unwrap(), &s);
        let all = std::collections::BTreeMap::from([(s.name.clone(), s.clone())]);
        let (back, refused) = read_saved(&write_saved(&all).unwrap());
        proptest::prop_assert!(refused.is_empty());
        proptest::prop_assert_eq!(back, all);
    }
}

#[test]
fn the_json_reader_follows_serde_rules() {
    let good = json_of(&DealSpec::example());
    let v = |json: &str| {
        decode(&link_of_json(json)).map_err(|e| {
            let msg = e.to_string();
            msg.split_once("valid scenario: ")
                .map_or(msg.clone(), |(_, m)| m.to_string())
        })
    };
    // Members with defaults may be left out: an empty offer is the default offer.
    let bare = good.replace(r#""name":"Example C","#, "");
    let with_empty_offer = |offers: &str| {
        let start = bare.find(r#""offers":["#).unwrap();
        let end = bare.find(r#"],"usage""#).unwrap();
        format!("{}\"offers\":[{offers}{}", &bare[..start], &bare[end..])
    };
    let s = v(&with_empty_offer("{}")).unwrap();
    assert_eq!(
        (s.name.as_str(), &s.offers[..]),
        ("", &[OfferSpec::default()][..])
    );
    // (JSON, expected message)
    let table: Vec<(String, &str)> = vec![
        (good.replace(r#""channel":"direct","#, ""), "missing field `channel`"),
        (good.replace(r#""version":1,"#, r#""version":1,"version":1,"#), "duplicate field `version`"),
        (good.replace(r#""version":1"#, r#""version":1.0"#), "version: expected a version number such as 1, found 1.0"),
        (good.replace(r#""version":1"#, r#""version":"1""#), "version: expected a version number such as 1, found the string \"1\""),
        (with_empty_offer(r#"{"kind":"payg"}"#), "offers[0].kind: unknown variant `payg`, expected one of `pay-as-you-go`, `fixed-capacity`, `commitment`"),
        (with_empty_offer(r#"{"kind":{"commitment":null}}"#), "offers[0].kind: expected a string, found an object"),
        (with_empty_offer(r#"{"payment":"yearly"}"#), "offers[0].payment: unknown variant `yearly`, expected one of `monthly`, `upfront`"),
        (with_empty_offer(r#"{"entitlements":[{"cell":"a/b/c"}]}"#), "offers[0].entitlements[0]: missing field `quantity`"),
        (with_empty_offer(r#"{"entitlements":{}}"#), "offers[0].entitlements: expected a list (a JSON array), found an object"),
        (with_empty_offer(r#"{},null"#), "offers[1]: expected an offer (a JSON object), found null"),
        (good.replace(r#"{"bundled":"spec-m"}"#, r#"{"bundled":"spec-m","custom":"x"}"#), "matrix: expected one of {\"bundled\": NAME} or {\"custom\": TOML}"),
        (good.replace(r#"{"bundled":"spec-m"}"#, r#""spec-m""#), "matrix: expected a matrix choice (a JSON object), found the string \"spec-m\""),
        (good.replace(r#""seed":"#, r#""seed":true,"x":"#), "usage: unknown field `x`, expected `seed` or `cells`"),
    ];
    for (json, want) in table {
        assert_eq!(v(&json).unwrap_err(), want, "{json}");
    }
}

#[test]
fn broken_links_give_clear_errors() {
    let good = encode(&DealSpec::example()).unwrap();
    let truncated = &good[..good.len() / 2];
    let huge = format!("#v1.{}", "A".repeat(MAX_LINK_BYTES + 10));
    let good_json = json_of(&DealSpec::example());
    let float_json = good_json.replace("\"term_months\":\"12\"", "\"term_months\":12.0");
    let extra_json = good_json.replace("\"version\":1", "\"version\":1,\"admin\":true");
    let v2_json = good_json.replace("\"version\":1", "\"version\":2");
    // (link, expected fragment of the message)
    let table: Vec<(String, &str)> = vec![
        (truncated.to_string(), "truncated"),
        ("#v2.e30".into(), "link version 2 is not supported"),
        ("#v0.e30".into(), "link version 0 is not supported"),
        ("#hello".into(), "not a scenario link"),
        ("#x1.abc".into(), "unknown prefix `x1`"),
        ("#v1.@@@".into(), "not valid base64url"),
        ("#v1.".into(), "truncated"),
        (link_of_json("{\"a\":1}"), "does not hold a valid scenario"),
        (
            link_of_json(&"[".repeat(200)),
            "does not hold a valid scenario: nested too deeply",
        ),
        (link_of_json("{\"version\":1,\"name\":\"x"), "truncated"),
        (link_of_json(&float_json), "does not hold a valid scenario"),
        (link_of_json(&extra_json), "unknown field `admin`"),
        (
            link_of_json(&v2_json),
            "scenario version 2 is not supported",
        ),
        (
            format!("#v1.{}", URL_SAFE_NO_PAD.encode([0xff, 0xfe])),
            "not UTF-8",
        ),
        (huge, "the limit is 65536 bytes"),
    ];
    for (link, want) in table {
        let err = decode(&link)
            .expect_err(&link[..link.len().min(40)])
            .to_string();
        assert!(
            err.contains(want),
            "{}: got `{err}`, want `{want}`",
            &link[..link.len().min(40)]
        );
    }
}

#[test]
fn semantic_errors_name_field_and_value() {
    let m = spec_m();
    type Edit = fn(&mut DealSpec);
    let table: Vec<(Edit, &str)> = vec![
        (
            |s| s.offers[0].entitlements[0].cell = "capacity/gcp/hot".into(),
            "unknown environment `gcp`",
        ),
        (
            |s| s.offers[0].entitlements[0].cell = "disk/azure/hot".into(),
            "unknown meter `disk`",
        ),
        (
            |s| s.offers[0].entitlements[0].cell = "capacity-azure-hot".into(),
            "is not meter/environment/use_case",
        ),
        (
            |s| s.offers[0].monthly_fee = "40,000".into(),
            "offer 1 monthly fee: `40,000` is not a decimal number",
        ),
        (
            |s| s.offers[0].grace_hours = "-1".into(),
            "offer 1 grace hours: `-1` is not a whole number",
        ),
        (
            |s| s.term_start = "2026-02-30".into(),
            "invalid date `2026-02-30`",
        ),
        (
            |s| s.term_months = "0".into(),
            "term of 0 months is out of range",
        ),
        (
            |s| s.term_months = "121".into(),
            "term of 121 months is out of range",
        ),
        (
            |s| s.channel = "on-prem".into(),
            "`on-prem` has no marketplace fee schedule",
        ),
        (|s| s.channel = "ibm".into(), "unknown environment `ibm`"),
        (|s| s.offers.clear(), "a deal needs at least one offer"),
        (|s| s.offers = vec![s.offers[0].clone(); 5], "5 offers"),
        (
            |s| s.offers.push(s.offers[0].clone()),
            "two offers are named `Fixed 500 TB`",
        ),
        (|s| s.offers[0].name = " ".into(), "an offer needs a name"),
        (
            |s| s.usage.cells[0].cell = "capacity/on-prem/archive".into(),
            "is not offered in matrix `spec-m`",
        ),
        (
            |s| s.usage.cells.push(s.usage.cells[0].clone()),
            "is profiled twice",
        ),
        (
            |s| s.usage.cells[0].bursts[0].start = "2026-03-10T00:30:00Z".into(),
            "not on the hour",
        ),
        (
            |s| s.usage.cells[0].baseline = "5e2".into(),
            "`5e2` is not a decimal number",
        ),
    ];
    for (edit, want) in table {
        let mut s = DealSpec::example();
        edit(&mut s);
        let err = s.resolve(&m, &FieldLabels).expect_err(want).to_string();
        assert!(err.contains(want), "got `{err}`, want `{want}`");
    }
}

#[test]
fn other_kinds_resolve() {
    let m = spec_m();
    let mut s = DealSpec::example();
    s.channel = "azure".into();
    s.offers[0].kind = KindSpec::PayAsYouGo;
    s.offers[0].discount = "0.20".into();
    s.offers.push(OfferSpec {
        name: "Bucket".into(),
        kind: KindSpec::Commitment,
        overage_price: "1.10".into(),
        ..OfferSpec::default()
    });
    let r = s.resolve(&m, &FieldLabels).unwrap();
    assert_eq!(r.terms.channel, Channel::Marketplace("azure".into()));
    assert!(
        matches!(&r.offers[0].kind, OfferKind::PayAsYouGo(p) if p.discount.to_string() == "0.20")
    );
    let OfferKind::Commitment(c) = &r.offers[1].kind else {
        panic!("kind")
    };
    assert_eq!(
        (c.units.to_string(), c.overage_price.map(|p| p.to_string())),
        ("1000".into(), Some("1.10".into()))
    );
}

#[test]
fn oversize_scenario_is_refused_on_encode() {
    let mut s = DealSpec::example();
    s.matrix = MatrixChoice::Custom("#".repeat(MAX_LINK_BYTES));
    assert!(matches!(encode(&s), Err(Error::TooLarge { .. })));
}

/// Saved scenarios with the lab's models: the saved text from before (no
/// lab part) opens the deal alone; saved from the lab, the deal opens in
/// the simulator as before and in the lab with its first model's name and
/// models; a deal saved again from the simulator drops models saved with
/// the older deal; a damaged lab entry is refused by name, the others read.
#[test]
fn saved_scenarios_carry_the_lab_models() {
    let deal = DealSpec::example();
    let lab = LabScenario {
        deal: deal.clone(),
        first: Some("today".into()),
        models: vec![LinkedModel {
            name: "candidate".into(),
            bundled: Some("illustrative-candidate".into()),
            toml: None,
            edited: false,
        }],
    };
    let saved = write_saved(&BTreeMap::from([("Acme".to_string(), deal.clone())])).unwrap();
    let lab_text = write_saved_lab(&BTreeMap::from([("Acme".to_string(), lab.clone())])).unwrap();
    let open = |saved: &str, lab_text: &str| {
        let (mut deals, refused) = read_saved(saved);
        assert!(refused.is_empty(), "{refused:?}");
        let (labs, _) = read_saved_lab(lab_text);
        open_saved_lab(deals.remove("Acme").unwrap(), labs.get("Acme"))
    };
    // Before the lab saved anything: the deal alone.
    let old = open(&saved, "");
    assert_eq!(
        (old.deal, old.first, old.models),
        (deal.clone(), None, vec![])
    );
    // Saved from the lab: the simulator's reader sees the deal, the lab all.
    assert_eq!(read_saved(&saved).0["Acme"], deal);
    assert_eq!(open(&saved, &lab_text), lab);
    // Saved again from the simulator with another deal: no models.
    let mut other = deal.clone();
    other.name = "Acme renewal".into();
    let again = write_saved(&BTreeMap::from([("Acme".to_string(), other.clone())])).unwrap();
    let s = open(&again, &lab_text);
    assert_eq!((s.deal, s.first, s.models), (other, None, vec![]));
    // A damaged entry is refused by its name; the others read.
    let damaged = lab_text.replacen('{', r##"{"Broken":"#lab1.@@","##, 1);
    let (labs, refused) = read_saved_lab(&damaged);
    assert_eq!(labs.get("Acme"), Some(&lab));
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, "Broken");
    let (labs, refused) = read_saved_lab("[1]");
    assert!(labs.is_empty() && refused[0].0.is_empty());
}
