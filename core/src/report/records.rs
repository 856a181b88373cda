//! Usage reports from a stream of hourly records (a usage CSV, with or
//! without a customer column), for finance systems that take usage by month
//! or ISO week: the CLI's `unitcalc usage report`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Origin, Result, UsageIssue};
use crate::matrix::{CellId, Matrix};
use crate::num::{Quantity, Rate, Units};
use crate::time::Hour;

use super::{bucket, Granularity, ReportRow};

/// One customer × period × cell of a [`RecordReport`]: the customer and the
/// period's [`ReportRow`] (whose `start` and `end` are the whole period's
/// bounds; ISO weeks are labelled with the ISO week-numbering year, so
/// 2027-01-01 is in `2026-W53`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerPeriodRow {
    /// The customer column's value; empty when the usage has none.
    pub customer: String,
    /// The period, cell and sums.
    #[serde(flatten)]
    pub row: ReportRow,
}

#[derive(Debug)]
struct Acc {
    period: String,
    end: Hour,
    sum: Quantity,
    peak: Quantity,
}

/// Adds up hourly records by customer, period and cell, in bounded memory
/// (one entry per customer × period × cell, never per record). Records may
/// come in any order; a zero quantity is an absent hour (as for the bill).
///
/// ```
/// use unitcalc_core::{bundled, report::{Granularity, RecordReport}, time::Hour};
/// let m = bundled::matrix("spec-m").unwrap();
/// let aws_hot = m.cell("capacity", "aws", "hot").unwrap();
/// let mut r = RecordReport::new(&m, Granularity::IsoWeek);
/// let h = Hour::parse_rfc3339("2027-01-01T00:00:00Z").unwrap();
/// r.push("acme", h, aws_hot, "200".parse().unwrap()).unwrap();
/// let rows = r.finish().unwrap();
/// assert_eq!(rows[0].row.label, "2026-W53"); // ISO: 1 January 2027 is in 2026's week 53
/// assert_eq!(rows[0].row.units.to_string(), "0.36"); // 200 × 0.0015 × 1.20
/// ```
#[derive(Debug)]
pub struct RecordReport<'m> {
    matrix: &'m Matrix,
    by: Granularity,
    rows: BTreeMap<(String, Hour, CellId), Acc>,
}

impl<'m> RecordReport<'m> {
    /// An empty report of `matrix`'s cells by `by`.
    pub fn new(matrix: &'m Matrix, by: Granularity) -> RecordReport<'m> {
        RecordReport {
            matrix,
            by,
            rows: BTreeMap::new(),
        }
    }

    /// Adds one hour of usage.
    pub fn push(&mut self, customer: &str, hour: Hour, cell: CellId, q: Quantity) -> Result<()> {
        if q.is_zero() {
            return Ok(());
        }
        let (period, start, end) = bucket(hour, self.by);
        let key = (customer.to_string(), start, cell);
        let acc = self.rows.entry(key).or_insert(Acc {
            period,
            end,
            sum: Quantity::ZERO,
            peak: Quantity::ZERO,
        });
        acc.sum = acc.sum.checked_add(q).map_err(overflow)?;
        acc.peak = acc.peak.max(q);
        Ok(())
    }

    /// The rows: by customer, then period in time order, then cell in matrix
    /// order.
    pub fn finish(self) -> Result<Vec<CustomerPeriodRow>> {
        let mut out = Vec::with_capacity(self.rows.len());
        for ((customer, start, cell), acc) in self.rows {
            let rate = rate(self.matrix, cell)?;
            out.push(CustomerPeriodRow {
                customer,
                row: ReportRow {
                    label: acc.period,
                    start,
                    end: acc.end,
                    cell: self.matrix.cell_name(cell),
                    quantity_hours: Quantity(acc.sum.get().normalize()),
                    units: Units(acc.sum.units_at(rate).map_err(overflow)?.get().normalize()),
                    peak: acc.peak,
                },
            });
        }
        Ok(out)
    }
}

fn rate(m: &Matrix, cell: CellId) -> Result<Rate> {
    m.cell_rate(cell).ok_or_else(|| {
        Error::usage(
            Origin::file("usage report"),
            UsageIssue::NotOffered(m.cell_name(cell).to_string()),
        )
    })
}

fn overflow(source: crate::num::Overflow) -> Error {
    Error::Overflow {
        context: "usage report".to_string(),
        source,
    }
}

/// The columns of [`to_csv`], in order.
pub const CSV_COLUMNS: [&str; 11] = [
    "customer",
    "period",
    "start",
    "end",
    "meter",
    "environment",
    "use_case",
    "quantity_hours",
    "units",
    "peak",
    "unit",
];

/// The rows as tidy CSV (one row per customer × period × cell; decimals
/// exact, without trailing zeros; `unit` is the meter's quantity unit; text
/// fields that a spreadsheet would run as formulas get a `'`).
///
/// ```
/// use unitcalc_core::{bundled, report::{to_csv, Granularity, RecordReport}, time::Hour};
/// let m = bundled::matrix("spec-m").unwrap();
/// let mut r = RecordReport::new(&m, Granularity::Month);
/// r.push("", Hour::parse_rfc3339("2026-03-01T00:00:00Z").unwrap(), m.cell("capacity", "azure", "hot").unwrap(), "500".parse().unwrap()).unwrap();
/// let csv = to_csv(&m, &r.finish().unwrap());
/// assert_eq!(csv.lines().nth(1), Some(",2026-03,2026-03-01T00:00:00Z,2026-04-01T00:00:00Z,capacity,azure,hot,500,0.9375,500,TB"));
/// ```
pub fn to_csv(matrix: &Matrix, rows: &[CustomerPeriodRow]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push('\n');
    for CustomerPeriodRow { customer, row: r } in rows {
        let unit = matrix
            .meters
            .iter()
            .find(|m| m.id == r.cell.meter)
            .map_or("", |m| m.unit.as_str());
        let text = |t: &str| crate::bill_csv::text_field(t).into_owned();
        let fields = [
            text(customer),
            r.label.clone(),
            r.start.to_string(),
            r.end.to_string(),
            text(&r.cell.meter),
            text(&r.cell.environment),
            text(&r.cell.use_case),
            r.quantity_hours.to_string(),
            r.units.to_string(),
            r.peak.to_string(),
            text(unit),
        ];
        crate::bill_csv::push_row(&mut out, &fields);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bill::LineKind;
    use crate::deal::{DealSpec, FieldLabels, KindSpec};
    use crate::num::Units;

    /// By month and by ISO week, the report's units add up exactly to the
    /// consumption the pay-as-you-go bill priced (worked example C's usage,
    /// twelve months crossing 2026-W53).
    #[test]
    fn report_units_add_up_to_the_billed_consumption() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let mut spec = DealSpec::example();
        spec.offers[0].kind = KindSpec::PayAsYouGo;
        let deal = spec.resolve(&m, &FieldLabels).unwrap();
        let usage = crate::quote::usage_of::<Error>(&deal, |_| unreachable!()).unwrap();
        let q = crate::quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
        let billed = q.comparison.bills[0]
            .periods
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| l.kind == LineKind::PayAsYouGo)
            .filter_map(|l| l.units)
            .fold(Units::ZERO, |a, u| a.checked_add(u).unwrap());
        for by in [Granularity::Month, Granularity::IsoWeek] {
            let mut r = RecordReport::new(&m, by);
            for c in usage.cells() {
                for (i, q) in c.quantities.iter().enumerate() {
                    let h = Hour(usage.start().0 + i as i64);
                    r.push("acme", h, c.cell, *q).unwrap();
                }
            }
            let rows = r.finish().unwrap();
            let total = rows
                .iter()
                .fold(Units::ZERO, |a, r| a.checked_add(r.row.units).unwrap());
            assert_eq!(total.get().normalize(), billed.get().normalize(), "{by:?}");
            if by == Granularity::IsoWeek {
                let labels: Vec<&str> = rows.iter().map(|r| r.row.label.as_str()).collect();
                assert!(labels.contains(&"2026-W53"), "{labels:?}");
                assert!(!labels.contains(&"2027-W53"), "{labels:?}");
            }
        }
    }

    /// A customer name a spreadsheet would run as a formula is written as
    /// text; quantities stay numbers.
    #[test]
    fn csv_names_are_not_formulas() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let mut r = RecordReport::new(&m, Granularity::Month);
        let h = Hour::parse_rfc3339("2026-03-01T00:00:00Z").unwrap();
        r.push(
            "=cmd()",
            h,
            m.cell("capacity", "azure", "hot").unwrap(),
            "5".parse().unwrap(),
        )
        .unwrap();
        let csv = to_csv(&m, &r.finish().unwrap());
        assert!(
            csv.lines().nth(1).unwrap().starts_with("'=cmd(),2026-03,"),
            "{csv}"
        );
    }

    /// Customers, periods and cells each get their own row, in order; zero
    /// hours are absent hours.
    #[test]
    fn rows_by_customer_period_and_cell() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let cell = |e, u| m.cell("capacity", e, u).unwrap();
        let h = |s: &str| Hour::parse_rfc3339(s).unwrap();
        let q = |s: &str| s.parse::<Quantity>().unwrap();
        let mut r = RecordReport::new(&m, Granularity::Month);
        // (customer, hour, cell, quantity), in no particular order
        let records = [
            ("globex", "2026-04-01T00:00:00Z", cell("aws", "hot"), "10"),
            ("acme", "2026-03-31T23:00:00Z", cell("azure", "hot"), "500"),
            ("acme", "2026-03-01T00:00:00Z", cell("azure", "hot"), "540"),
            ("acme", "2026-03-02T00:00:00Z", cell("aws", "hot"), "0"),
            ("acme", "2026-04-01T00:00:00Z", cell("azure", "hot"), "1.5"),
        ];
        for (c, t, cell, v) in records {
            r.push(c, h(t), cell, q(v)).unwrap();
        }
        let rows: Vec<String> = r
            .finish()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {} {}",
                    r.customer, r.row.label, r.row.cell, r.row.quantity_hours, r.row.peak
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                "acme 2026-03 capacity/azure/hot 1040 540",
                "acme 2026-04 capacity/azure/hot 1.5 1.5",
                "globex 2026-04 capacity/aws/hot 10 10",
            ]
        );
    }
}
