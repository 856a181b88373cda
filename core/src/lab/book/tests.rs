use super::*;
use crate::{bundled, deal_toml, matrix_toml};

/// The example book (`examples/book/`) in the lab: its usage, the offers of
/// its customers' deal files (`deals/*.toml`) and each customer's offer and
/// channel (`offers.csv`), under spec-m and the book's candidate matrix.
fn example_book(candidate: &crate::matrix::Matrix) -> Result<BookReport> {
    example_book_read(candidate, None, &mut |_, _| {})
}

/// [`example_book`], its usage read whole, or in slices of `slice` bytes
/// through [`price_book_from`].
fn example_book_read(
    candidate: &crate::matrix::Matrix,
    slice: Option<usize>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<BookReport> {
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
    let csv: &[u8] = include_bytes!("../../../../examples/book/usage.csv");
    match slice {
        None => price_book(&models, &terms, &offers, &map, csv, "usage.csv", progress),
        Some(n) => price_book_from(
            &models,
            &terms,
            &offers,
            &map,
            Slices(csv, n),
            csv.len() as u64,
            "usage.csv",
            progress,
        ),
    }
}

/// A reader that hands over at most `.1` bytes a read, as the browser's
/// worker reads a file in slices.
struct Slices<'a>(&'a [u8], usize);

impl std::io::Read for Slices<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(buf.len()).min(self.0.len());
        let (head, tail) = self.0.split_at(n);
        buf[..n].copy_from_slice(head);
        self.0 = tail;
        Ok(n)
    }
}

/// The example book read as a stream, in slices of 1, 7, 4,096 and 8 MiB
/// bytes (lines span the slices): the same report as read whole, and the
/// progress by bytes rises to the file's size.
#[test]
fn example_book_streamed_in_slices_equals_whole() {
    let c = candidate();
    let whole = example_book(&c).unwrap();
    let size = include_bytes!("../../../../examples/book/usage.csv").len() as u64;
    for slice in [1, 7, 4096, 8 << 20] {
        let mut seen = Vec::new();
        let r = example_book_read(&c, Some(slice), &mut |d, t| seen.push((d, t))).unwrap();
        assert_eq!(r, whole, "slices of {slice} bytes");
        assert!(
            seen.windows(2).all(|w| w[0].0 <= w[1].0),
            "{slice}: {seen:?}"
        );
        assert_eq!(seen.last(), Some(&(size, size)), "slices of {slice} bytes");
        assert!(seen.len() > 2, "slices of {slice} bytes: {seen:?}");
    }
}

/// Streamed books that are refused, each with the file, line and value.
#[test]
fn streamed_books_refused() {
    let spec = bundled::matrix("spec-m").unwrap();
    let models = [Model {
        name: "spec-m",
        matrix: &spec,
    }];
    let terms = DealTerms {
        term: crate::time::Term::new(crate::time::Date::parse("2026-03-01").unwrap(), 1).unwrap(),
        channel: Default::default(),
    };
    let offers = [Offer {
        name: "PAYG".into(),
        kind: crate::offer::OfferKind::PayAsYouGo(crate::offer::PayAsYouGo {
            discount: "0".parse().unwrap(),
        }),
    }];
    let map = OfferMap {
        customers: vec![],
        default: Some(OfferChoice {
            offer: 0,
            channel: None,
        }),
    };
    let h = "customer,timestamp,meter,environment,use_case,quantity";
    let row = "acme,2026-03-01T00:00:00Z,capacity,azure,hot,200";
    let table = [
        (format!("{h}\n{row}\nacme,2026-03-01T01:00:00Z,capacity,azure,cold,5\n"), None, "big.csv:3: unknown use case `cold`"),
        (format!("{h}\n{row}\n{row}\n"), None, "customer `acme`: big.csv:3: duplicate record for hour 2026-03-01T00:00:00Z and cell capacity/azure/hot"),
        ("timestamp,meter,environment,use_case,quantity\n".to_string(), None, "big.csv:1: a book's usage needs the customer column: header `customer,timestamp,meter,environment,use_case,quantity`"),
        (format!("{h}\n"), Some(MAX_BOOK_BYTES as u64 + 1), "big.csv is 3221225473 bytes; the limit is 3221225472 bytes"),
    ];
    for (text, size, want) in table {
        for slice in [1, 5, 64] {
            let size = size.unwrap_or(text.len() as u64);
            let got = price_book_from(
                &models,
                &terms,
                &offers,
                &map,
                Slices(text.as_bytes(), slice),
                size,
                "big.csv",
                |_, _| {},
            )
            .unwrap_err()
            .to_string();
            assert_eq!(got, want, "{text} in slices of {slice}");
        }
    }
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
