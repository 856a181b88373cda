use super::*;
use crate::{bundled, deal_toml, matrix_toml};

/// The example book (`examples/book/`) in the lab: its usage, the offers of
/// its customers' deal files (`deals/*.toml`) and each customer's offer and
/// channel (`offers.csv`), under spec-m and the book's candidate matrix.
fn example_book(candidate: &crate::matrix::Matrix) -> Result<BookReport> {
    let spec = bundled::matrix("spec-m").unwrap();
    let deals = [
        (
            "acme.toml",
            include_str!("../../../../examples/book/deals/acme.toml"),
        ),
        (
            "globex.toml",
            include_str!("../../../../examples/book/deals/globex.toml"),
        ),
        (
            "initech.toml",
            include_str!("../../../../examples/book/deals/initech.toml"),
        ),
        (
            "umbrella.toml",
            include_str!("../../../../examples/book/deals/umbrella.toml"),
        ),
        (
            "hooli.toml",
            include_str!("../../../../examples/book/deals/hooli.toml"),
        ),
    ]
    .map(|(name, text)| deal_toml::parse_deal(text, name, &spec).unwrap());
    let (terms, offers) = offers_of(&deals).unwrap();
    let map = OfferMap::read(
        include_str!("../../../../examples/book/offers.csv"),
        "offers.csv",
        &offers,
    )
    .unwrap();
    let models = [
        Model {
            name: "spec-m",
            matrix: &spec,
        },
        Model {
            name: "candidate",
            matrix: candidate,
        },
    ];
    price_book(
        &models,
        &terms,
        &offers,
        &map,
        include_bytes!("../../../../examples/book/usage.csv"),
        "usage.csv",
        |_, _| {},
    )
}

fn candidate() -> crate::matrix::Matrix {
    matrix_toml::parse_matrix(
        include_str!("../../../../examples/book/candidate-m.toml"),
        "candidate-m.toml",
    )
    .unwrap()
}

/// The candidate's column is `unitcalc reprice examples/book/book.toml`'s
/// summary, to the cent (the CLI's golden JSON).
#[test]
fn example_book_equals_the_cli_reprice_golden() {
    let r = example_book(&candidate()).unwrap();
    let golden: Summary = serde_json::from_str(include_str!(
        "../../../../cli/tests/golden/reprice-book.json"
    ))
    .unwrap();
    let BookOutcome::Priced(f) = &r.columns[1].outcome else {
        panic!("{:?}", r.columns[1].outcome)
    };
    assert_eq!(f.summary, golden);
    let BookOutcome::Priced(base) = &r.columns[0].outcome else {
        panic!()
    };
    assert_eq!(base.summary.dispersion_current, golden.dispersion_current);
    assert_eq!(
        f.histogram.iter().map(|b| b.customers).sum::<usize>(),
        5,
        "every customer in one bar"
    );
    let total = |v: &[CellRevenue]| {
        v.iter()
            .try_fold(Money::ZERO, |a, c| a.checked_add(c.amount))
            .unwrap()
    };
    assert_eq!(total(&f.by_cell), golden.total_candidate.unwrap());
    assert_eq!(total(&base.by_cell), golden.total_current);
}

/// A model that does not offer a cell the book uses says so; the first
/// model's column stands.
#[test]
fn a_model_without_a_used_cell_is_not_priced() {
    let mut c = candidate();
    let (e, u) = (
        c.environment_index("on-prem").unwrap(),
        c.use_case_index("hot").unwrap(),
    );
    let i = usize::from(e) * c.use_cases.len() + usize::from(u);
    c.multipliers[i] = None;
    let r = example_book(&c).unwrap();
    assert!(matches!(r.columns[0].outcome, BookOutcome::Priced(_)));
    let BookOutcome::NotPriced(n) = &r.columns[1].outcome else {
        panic!()
    };
    assert_eq!(n.reason, "not offered here: capacity/on-prem/hot");
}

/// Offer maps that are refused, each with its message.
#[test]
fn offer_maps_refused() {
    let offers = [Offer {
        name: "PAYG".into(),
        kind: crate::offer::OfferKind::PayAsYouGo(crate::offer::PayAsYouGo {
            discount: "0".parse().unwrap(),
        }),
    }];
    let table = [
        ("name,offer\na,PAYG\n", "map.csv:1: header must be `customer,offer` or `customer,offer,channel`, found `name,offer`"),
        ("customer,offer\n,PAYG\n", "map.csv:2: empty customer"),
        ("customer,offer\na,PAYG\na,PAYG\n", "map.csv:3: customer `a` is listed twice (first on line 2)"),
        ("customer,offer\na,\"PAYG\n", "map.csv:2: unterminated quoted field in `a,\"PAYG` (quoted fields cannot span lines)"),
    ];
    for (text, want) in table {
        let got = OfferMap::read(text, "map.csv", &offers)
            .unwrap_err()
            .to_string();
        assert_eq!(got, want, "{text}");
    }
}
