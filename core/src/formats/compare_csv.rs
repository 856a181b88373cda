//! The comparison CSV: one row per offer × period, the one layout of a
//! comparison, written by `unitcalc compare -f csv` and the browser's
//! Compare tab alike.
//!
//! Columns ([`COLUMNS`]): `customer, offer, offer_kind, period, total,
//! delta_vs_first, marketplace_fee, net_revenue, currency`. Amounts are the
//! bills' exact values (nothing is rounded here); `delta_vs_first` is the
//! period total minus the first offer's. Text fields are guarded against
//! spreadsheet formulas ([`crate::bill_csv::text_field`]), the amounts,
//! negative differences too, stay numbers; quoting as in the bill CSV.
//!
//! ```
//! use unitcalc_core::{compare, compare_csv, offer::*, time::*, usage::UsageSeries};
//! let m = unitcalc_core::bundled::matrix("spec-m").unwrap();
//! let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
//! let mut usage = UsageSeries::new(&term);
//! usage.set_series(m.cell("capacity", "azure", "hot").unwrap(), vec!["200".parse().unwrap(); term.hours()]);
//! let list = Offer { name: "List".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo::default()) };
//! let disc = Offer { name: "-20%".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.2".parse().unwrap() }) };
//! let c = compare::compare(&m, &DealTerms { term, channel: Channel::Direct }, &[list, disc], &usage).unwrap();
//! let csv = compare_csv::to_csv("Acme", &c);
//! let rows: Vec<&str> = csv.lines().collect();
//! assert_eq!(rows[0], compare_csv::COLUMNS.join(","));
//! assert_eq!(rows[1], "Acme,List,pay-as-you-go,2026-03,279.00,0.00,0.00,279.00,USD");
//! assert_eq!(rows[2], "Acme,'-20%,pay-as-you-go,2026-03,223.20,-55.80,0.00,223.20,USD");
//! ```

use crate::bill_csv::{push_row, text_field};
use crate::compare::Comparison;

/// The header: the nine column names, in order.
pub const COLUMNS: [&str; 9] = [
    "customer",
    "offer",
    "offer_kind",
    "period",
    "total",
    "delta_vs_first",
    "marketplace_fee",
    "net_revenue",
    "currency",
];

/// The whole CSV: the header, then one row per offer and period, offers in
/// the comparison's order; `customer` (the deal's name) fills the first
/// column.
pub fn to_csv(customer: &str, c: &Comparison) -> String {
    write(customer, c, &[])
}

/// The comparison CSV with each offer's fingerprints: the nine [`COLUMNS`],
/// then the five [`crate::evidence::DIGEST_COLUMNS`] of that row's bill
/// (`digests[i]` is offer `i`'s, as
/// [`crate::evidence::Fingerprints::per_bill`] gives them), as `unitcalc
/// compare -f csv --evidence` and the browser's comparison export write it.
///
/// ```
/// use unitcalc_core::{bundled, compare_csv, deal::{DealSpec, FieldLabels}, evidence, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let q = quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
/// let f = evidence::fingerprints(&m, &deal, &usage, &q.comparison.bills).unwrap();
/// let csv = compare_csv::to_csv_with_digests(&deal.name, &q.comparison, &f.per_bill());
/// assert!(csv.lines().nth(1).unwrap().ends_with(&f.per_bill()[0].columns().join(",")));
/// ```
pub fn to_csv_with_digests(
    customer: &str,
    c: &Comparison,
    digests: &[crate::evidence::BillEvidence],
) -> String {
    write(customer, c, digests)
}

/// The CSV, with the digest columns when `digests` has one per offer.
fn write(customer: &str, c: &Comparison, digests: &[crate::evidence::BillEvidence]) -> String {
    let with = !digests.is_empty();
    let mut out = String::new();
    let mut header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_string()).collect();
    if with {
        header.extend(crate::evidence::DIGEST_COLUMNS.map(String::from));
    }
    push_row(&mut out, &header);
    for (i, (r, b)) in c.rows.iter().zip(&c.bills).enumerate() {
        let tail = digests.get(i).map(|d| d.columns().map(String::from));
        for (pd, pb) in r.periods.iter().zip(&b.periods) {
            let mut row = vec![
                text_field(customer).into_owned(),
                text_field(&r.offer).into_owned(),
                text_field(&r.offer_kind).into_owned(),
                text_field(&pd.label).into_owned(),
                pd.total.to_string(),
                pd.delta.to_string(),
                pb.marketplace_fee.to_string(),
                pb.net_revenue.to_string(),
                text_field(&b.currency).into_owned(),
            ];
            row.extend(tail.iter().flatten().cloned());
            push_row(&mut out, &row);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formula-like names are written as text, quoted when they hold a comma;
    /// a negative difference stays a number (read back by the csv crate).
    #[test]
    fn names_are_text_and_amounts_numbers() {
        use crate::deal::DealSpec;
        let m = crate::bundled::matrix("spec-m").unwrap();
        let mut spec = DealSpec::example();
        spec.offers[0].name = "=SUM(A1),x".into();
        let deal = spec.resolve(&m, &crate::deal::FieldLabels).unwrap();
        let usage = crate::quote::usage_of::<crate::Error>(&deal, |_| unreachable!()).unwrap();
        let q = crate::quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
        let mut c = q.comparison;
        c.rows[0].periods[0].delta = "-2.10".parse().unwrap();
        let csv = to_csv("@acme", &c);
        let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            COLUMNS.to_vec()
        );
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(rec.get(0), Some("'@acme"));
        assert_eq!(rec.get(1), Some("'=SUM(A1),x"));
        assert_eq!(rec.get(5), Some("-2.10"));
        assert_eq!(
            csv.lines().count(),
            1 + c.rows.len() * c.rows[0].periods.len()
        );
    }
}
