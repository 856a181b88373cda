//! Evidence from the worker: the explain trail, the quote's fingerprints,
//! printing, and exports that carry the fingerprints.

use super::*;

// In the browser these run under wasm-bindgen-test; named here, since
// `super::*` and the prelude would both offer a `test`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The worker's answer to the state's current evidence request, as the
/// page's hook would deliver it (off the browser the worker's function
/// answers at once).
fn with_evidence(s: Rc<AppState>) -> Rc<AppState> {
    let req = s.evidence_request.clone().expect("an evidence request");
    let answer = crate::worker::decode_answer(&crate::worker::answer(&req.encode())).unwrap();
    apply(s, [Action::EvidenceReady(Rc::new(answer))])
}

/// The trail and fingerprints are asked of the worker only when the trail is
/// open, for the selected offer, again when the bill changes; a stale
/// answer is dropped; the exports then carry them.
#[test]
fn explain_asks_the_worker_for_the_selected_offers_evidence() {
    let s = example();
    assert!(
        s.evidence_request.is_none(),
        "not asked unless the trail is open"
    );
    let s = apply(s, [Action::Explain(true)]);
    let stale = s.evidence_request.clone().unwrap();
    let s = with_evidence(s);
    let e = match s.evidence.as_ref().map(|e| e.0.as_ref()) {
        Some(Ok(e)) => e.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        e.trails[0][1].join(" ").contains("2.10"),
        "{:?}",
        e.trails[0]
    );
    let csv = export::file(&s, ExportKind::BillCsv).unwrap();
    assert_eq!(
        csv.name,
        format!("Example-C-Fixed-500-TB-bill-{}.csv", e.short)
    );
    let json = export::file(&s, ExportKind::BillJson).unwrap();
    assert!(
        json.text.contains("\"trail\":[") && json.text.contains(&e.digests[0].1),
        "{}",
        json.name
    );
    let ledger = export::file(&s, ExportKind::LedgerCsv).unwrap();
    assert!(ledger.text.starts_with("offer,hour,period,"));
    // An edit asks again; the old answer is dropped.
    let old = crate::worker::decode_answer(&crate::worker::answer(&stale.encode())).unwrap();
    let s = apply(
        s,
        [Action::SetGranularity(
            unitcalc_core::report::Granularity::IsoWeek,
        )],
    );
    assert!(s.evidence.is_none() && s.evidence_request.as_ref().unwrap().key != stale.key);
    let s = apply(s, [Action::EvidenceReady(Rc::new(old))]);
    assert!(
        s.evidence.is_none(),
        "an answer to an older request is dropped"
    );
    let s = apply(s, [Action::Explain(false)]);
    assert!(s.evidence_request.is_none() && s.evidence.is_none());
}

/// The deal's fingerprints as the CLI computes them (`unitcalc fingerprint`).
fn core_fingerprints(s: &AppState) -> unitcalc_core::evidence::Fingerprints {
    let c = s.outcome.as_ref().as_ref().unwrap();
    let usage = unitcalc_core::quote::usage_of::<Error>(&c.deal, |_| unreachable!()).unwrap();
    unitcalc_core::evidence::fingerprints(&c.matrix, &c.deal, &usage, c.bills()).unwrap()
}

/// The Quote tab asks the worker for the deal's fingerprints alone (no
/// trail): every offer's bill digest and the inputs', the core's own.
#[test]
fn the_quote_tab_asks_for_the_fingerprints() {
    let s = apply(example(), [Action::AddOffer]);
    assert!(s.evidence_request.is_none());
    let s = apply(s, [Action::SetView(View::Quote)]);
    let req = s
        .evidence_request
        .clone()
        .expect("asked when the tab opens");
    assert!(!req.trail, "the fingerprints only");
    let s = with_evidence(s);
    let e = match s.evidence.as_ref().map(|e| e.0.as_ref()) {
        Some(Ok(e)) => e.clone(),
        other => panic!("{other:?}"),
    };
    assert!(e.trails.is_empty() && e.ledger_csv.is_empty());
    let f = core_fingerprints(&s);
    assert_eq!(f.bills.len(), 2);
    assert_eq!(e.fingerprints(), f);
    // Leaving the tab keeps them until the scenario changes.
    let s = apply(s, [Action::SetView(View::Bill)]);
    assert!(s.evidence.is_some());
}

/// Print: at once when the page has the fingerprints; otherwise it asks the
/// worker and prints on its answer, or without it after the wait.
#[test]
fn print_waits_for_the_fingerprints() {
    let s = apply(example(), [Action::Print]);
    assert!(s.printing && s.print_now == 0);
    assert!(s.evidence_request.is_some());
    let s = with_evidence(s);
    assert!(!s.printing && s.print_now == 1);
    let s = apply(s, [Action::Print]);
    assert_eq!(
        s.print_now, 2,
        "the fingerprints are there: printed at once"
    );
    // No answer in time: printed without them, once.
    let s = apply(
        example(),
        [Action::Print, Action::PrintAnyway, Action::PrintAnyway],
    );
    assert!(!s.printing && s.print_now == 1);
    // A scenario that does not price (the page shows the last that did):
    // the worker says why, and the quote prints without fingerprints.
    let s = apply(
        example(),
        [Action::SetTermMonths("x".into()), Action::Print],
    );
    let s = with_evidence(s);
    assert!(matches!(
        s.evidence.as_ref().map(|e| e.0.as_ref()),
        Some(Err(_))
    ));
    assert!(!s.printing && s.print_now == 1);
}

/// Every export written by the worker carries the fingerprints: the CSVs
/// five digest columns (as `unitcalc quote|compare -f csv --evidence`), the
/// deal and matrix TOML a comment with every digest; both TOML files read
/// back to the same deal and matrix.
#[test]
fn worker_exports_carry_the_fingerprints() {
    let s = example();
    let f = core_fingerprints(&s);
    let link = encode(s.written()).unwrap();
    let export = |k: ExportKind| {
        crate::worker::decode_file(&crate::worker::answer(&crate::worker::export_request(
            k, &link, 0, None,
        )))
        .unwrap()
    };
    let bill = export(ExportKind::BillCsv);
    let c = s.outcome.as_ref().as_ref().unwrap();
    assert_eq!(
        bill.text,
        unitcalc_core::bill_csv::to_csv_with_digests(&c.deal.name, &c.bills()[0], &f.per_bill()[0])
    );
    let compare = export(ExportKind::CompareCsv);
    assert_eq!(
        compare.text,
        unitcalc_core::compare_csv::to_csv_with_digests(&c.deal.name, &c.comparison, &f.per_bill())
    );
    let deal = export(ExportKind::DealToml);
    assert!(deal.text.starts_with(&f.toml_comment()), "{}", deal.text);
    let back = unitcalc_core::deal_toml::read(&deal.text, &deal.name)
        .unwrap()
        .spec;
    let m = back.matrix.load().unwrap();
    let resolved = back.resolve(&m, &unitcalc_core::deal::FieldLabels).unwrap();
    assert_eq!(
        (&resolved.terms, &resolved.offers, &resolved.usage),
        (&c.deal.terms, &c.deal.offers, &c.deal.usage)
    );
    let matrix = export(ExportKind::MatrixToml);
    assert_eq!(matrix.text, f.toml_comment() + BUNDLED[0].1);
    let m = unitcalc_core::matrix_toml::parse_matrix(&matrix.text, "matrix.toml").unwrap();
    assert_eq!(
        unitcalc_core::evidence::sha256_hex(&unitcalc_core::matrix_toml::to_toml(&m)),
        f.matrix
    );
}
