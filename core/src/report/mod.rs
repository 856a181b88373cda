//! Usage and units reports by billing month or ISO week (reporting only):
//! of a deal's dense usage ([`usage_report`], the browser's bars) or of a
//! stream of records with customers ([`RecordReport`], `unitcalc usage
//! report`).

mod records;

pub use records::{to_csv, CustomerPeriodRow, RecordReport, CSV_COLUMNS};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Origin, Result, UsageIssue};
use crate::matrix::{CellName, Matrix};
use crate::num::{Quantity, Units};
use crate::time::{Date, Hour};
use crate::usage::UsageSeries;

/// Report buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Granularity {
    /// Calendar months (billing periods).
    Month,
    /// ISO weeks, Monday 00:00 UTC.
    IsoWeek,
}

/// One bucket × cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// `2026-03` or `2026-W10`.
    pub label: String,
    /// First hour of the bucket inside the usage (inclusive).
    pub start: Hour,
    /// End of the bucket inside the usage (exclusive).
    pub end: Hour,
    /// The cell.
    pub cell: CellName,
    /// Σ hourly quantity.
    pub quantity_hours: Quantity,
    /// Σ hourly units.
    pub units: Units,
    /// Highest hourly quantity.
    pub peak: Quantity,
}

/// The bucket containing `h`: its label, start and (unclipped) end.
fn bucket(h: Hour, by: Granularity) -> (String, Hour, Hour) {
    match by {
        Granularity::Month => {
            let d = h.date();
            let first = Date::new(d.year(), d.month(), 1).unwrap_or(d);
            let next = first.add_months(1).unwrap_or(first);
            (
                format!("{:04}-{:02}", d.year(), d.month()),
                first.start_hour(),
                next.start_hour(),
            )
        }
        Granularity::IsoWeek => {
            let (year, week) = h.iso_week();
            let start = h.iso_week_start();
            (
                format!("{year:04}-W{week:02}"),
                start,
                Hour(start.0.saturating_add(7 * 24)),
            )
        }
    }
}

/// Aggregates usage to months or ISO weeks per cell.
///
/// Buckets are calendar months (`2026-03`) or ISO weeks starting Monday
/// 00:00 UTC (`2026-W10`, with the ISO week-numbering year), clipped to the
/// usage's hours, so the first and last may be partial. Rows come bucket by
/// bucket in time order, and within a bucket one row per used cell in matrix
/// order. `units = quantity_hours × base rate × multiplier`, exact; `peak` is
/// the highest hourly quantity in the bucket. A used cell that the matrix does
/// not offer is an error.
///
/// ```
/// use unitcalc_core::report::{usage_report, Granularity};
/// use unitcalc_core::time::{Date, Hour, Term};
/// use unitcalc_core::usage::UsageSeries;
/// use unitcalc_core::matrix::CellId;
/// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let mut usage = UsageSeries::new(&term);
/// let aws_hot = CellId { meter: 0, environment: 1, use_case: 0 };
/// usage.set_series(aws_hot, vec!["200".parse().unwrap(); term.hours()]);
/// let rows = usage_report(&matrix, &usage, Granularity::Month).unwrap();
/// assert_eq!(rows.len(), 1);
/// assert_eq!(rows[0].label, "2026-03");
/// assert_eq!(rows[0].quantity_hours.to_string(), "148800"); // 200 TB × 744 h
/// assert_eq!(rows[0].units.to_string(), "267.84");          // × 0.0015 × 1.20
/// let weeks = usage_report(&matrix, &usage, Granularity::IsoWeek).unwrap();
/// assert_eq!(weeks[0].label, "2026-W09"); // Sunday 1 March belongs to week 9
/// assert_eq!(weeks.len(), 6);
/// ```
pub fn usage_report(
    matrix: &Matrix,
    usage: &UsageSeries,
    by: Granularity,
) -> Result<Vec<ReportRow>> {
    let overflow = |source| Error::Overflow {
        context: "usage report".to_string(),
        source,
    };
    let mut rates = Vec::with_capacity(usage.cells().len());
    for c in usage.cells() {
        let name = matrix.cell_name(c.cell);
        let rate = matrix.cell_rate(c.cell).ok_or_else(|| {
            Error::usage(
                Origin::file("usage report"),
                UsageIssue::NotOffered(name.to_string()),
            )
        })?;
        rates.push((name, rate));
    }
    let hours = i64::try_from(usage.hours()).unwrap_or(i64::MAX);
    let (first, end) = (usage.start(), Hour(usage.start().0.saturating_add(hours)));
    let mut rows = Vec::new();
    let mut cursor = first;
    while cursor < end {
        let (label, _, bucket_end) = bucket(cursor, by);
        // A bucket that does not move forward (December 9999 has no next
        // month) runs to the end of the usage instead of looping.
        let stop = if bucket_end > cursor {
            bucket_end.min(end)
        } else {
            end
        };
        let index = |h: Hour| usize::try_from(h.0.saturating_sub(first.0)).unwrap_or(0);
        let (i0, i1) = (index(cursor), index(stop));
        for (c, (name, rate)) in usage.cells().iter().zip(&rates) {
            let mut sum = Quantity::ZERO;
            let mut peak = Quantity::ZERO;
            for &q in c.quantities.get(i0..i1).unwrap_or_default() {
                sum = sum.checked_add(q).map_err(overflow)?;
                peak = peak.max(q);
            }
            let units: Units = sum.units_at(*rate).map_err(overflow)?;
            rows.push(ReportRow {
                label: label.clone(),
                start: cursor,
                end: stop,
                cell: name.clone(),
                quantity_hours: Quantity(sum.get().normalize()),
                units: Units(units.get().normalize()),
                peak,
            });
        }
        cursor = stop;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::CellId;
    use crate::profile::{generate, CellProfile, Profile};
    use crate::time::Term;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    const AWS_HOT: CellId = CellId {
        meter: 0,
        environment: 1,
        use_case: 0,
    };
    const AZURE_ARCHIVE: CellId = CellId {
        meter: 0,
        environment: 2,
        use_case: 1,
    };
    const COMPUTE_ONPREM: CellId = CellId {
        meter: 1,
        environment: 0,
        use_case: 0,
    };

    fn noisy(cell: CellId, baseline: &str) -> CellProfile {
        CellProfile {
            cell,
            baseline: Quantity(d(baseline)),
            monthly_growth: crate::num::Ratio(d("0.03")),
            daily_amplitude: crate::num::Ratio(d("0.2")),
            weekend_dip: crate::num::Ratio(d("0.1")),
            noise: crate::num::Ratio(d("0.05")),
            bursts: vec![],
        }
    }

    fn sample(start: &str, months: u32) -> UsageSeries {
        let term = Term::new(Date::parse(start).unwrap(), months).unwrap();
        let p = Profile {
            seed: 42,
            cells: vec![
                noisy(COMPUTE_ONPREM, "64"),
                noisy(AWS_HOT, "500"),
                noisy(AZURE_ARCHIVE, "120.5"),
            ],
        };
        generate(&p, &term).unwrap()
    }

    #[test]
    fn rows_table() {
        // Term from Wednesday 2026-03-11 for one month: Mar 11 – Apr 11.
        let term = Term::new(Date::parse("2026-03-11").unwrap(), 1).unwrap();
        let mut u = UsageSeries::new(&term);
        let mut q = vec![Quantity(d("10")); term.hours()];
        q[5] = Quantity(d("99.5"));
        u.set_series(AWS_HOT, q);
        let m = crate::bundled::matrix("spec-m").unwrap();
        let show = |rows: Vec<ReportRow>| -> Vec<String> {
            rows.iter()
                .map(|r| {
                    format!(
                        "{} {} {} {} {} {} {}",
                        r.label, r.start, r.end, r.cell, r.quantity_hours, r.units, r.peak
                    )
                })
                .collect()
        };
        assert_eq!(
            show(usage_report(&m, &u, Granularity::Month).unwrap()),
            [
                // 21 days × 24 h = 504 h × 10 + 89.5 extra = 5129.5; × 0.0018
                "2026-03 2026-03-11T00:00:00Z 2026-04-01T00:00:00Z capacity/aws/hot 5129.5 9.2331 99.5",
                // 10 days = 240 h × 10
                "2026-04 2026-04-01T00:00:00Z 2026-04-11T00:00:00Z capacity/aws/hot 2400 4.32 10",
            ]
        );
        let weeks = show(usage_report(&m, &u, Granularity::IsoWeek).unwrap());
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0], "2026-W11 2026-03-11T00:00:00Z 2026-03-16T00:00:00Z capacity/aws/hot 1289.5 2.3211 99.5");
        assert_eq!(
            weeks[1],
            "2026-W12 2026-03-16T00:00:00Z 2026-03-23T00:00:00Z capacity/aws/hot 1680 3.024 10"
        );
        assert_eq!(
            weeks[4],
            "2026-W15 2026-04-06T00:00:00Z 2026-04-11T00:00:00Z capacity/aws/hot 1200 2.16 10"
        );
    }

    #[test]
    fn iso_year_label_at_new_year() {
        let term = Term::new(Date::parse("2026-12-01").unwrap(), 2).unwrap();
        let mut u = UsageSeries::new(&term);
        u.set_series(AWS_HOT, vec![Quantity(d("1")); term.hours()]);
        let rows = usage_report(
            &crate::bundled::matrix("spec-m").unwrap(),
            &u,
            Granularity::IsoWeek,
        )
        .unwrap();
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        // 2027-01-01 is a Friday: it belongs to 2026-W53; 2027-W01 starts Monday 4 January.
        assert!(
            labels.windows(2).any(|w| w == ["2026-W53", "2027-W01"]),
            "{labels:?}"
        );
        let w53 = rows.iter().find(|r| r.label == "2026-W53").unwrap();
        assert_eq!(
            (w53.start.to_string(), w53.end.to_string()),
            ("2026-12-28T00:00:00Z".into(), "2027-01-04T00:00:00Z".into())
        );
    }

    #[test]
    fn weekly_totals_sum_to_monthly_totals_and_matrix_order() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let u = sample("2026-02-15", 13);
        let months = usage_report(&m, &u, Granularity::Month).unwrap();
        let weeks = usage_report(&m, &u, Granularity::IsoWeek).unwrap();
        // Within each bucket, cells come in matrix order.
        for rows in [&months, &weeks] {
            for chunk in rows.chunks(3) {
                let cells: Vec<String> = chunk.iter().map(|r| r.cell.to_string()).collect();
                assert_eq!(
                    cells,
                    [
                        "capacity/aws/hot",
                        "capacity/azure/archive",
                        "compute/on-prem/hot"
                    ]
                );
            }
        }
        let total = |rows: &[ReportRow], cell: &str| -> (Decimal, Decimal, Decimal) {
            rows.iter().filter(|r| r.cell.to_string() == cell).fold(
                (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO),
                |a, r| {
                    (
                        a.0 + r.quantity_hours.get(),
                        a.1 + r.units.get(),
                        a.2.max(r.peak.get()),
                    )
                },
            )
        };
        for cell in [
            "capacity/aws/hot",
            "capacity/azure/archive",
            "compute/on-prem/hot",
        ] {
            let (mq, mu, mp) = total(&months, cell);
            assert_eq!((mq, mu, mp), total(&weeks, cell), "{cell}");
            // And both equal the series itself.
            let s = u
                .cells()
                .iter()
                .find(|c| m.cell_name(c.cell).to_string() == cell)
                .unwrap();
            assert_eq!(mq, s.quantities.iter().map(|q| q.get()).sum::<Decimal>());
        }
        assert_eq!(
            months.len(),
            14 * 3,
            "Feb 15 … Mar 15 next year: 14 buckets"
        );
        assert_eq!(months[0].end.0 - months[0].start.0, 14 * 24);
    }

    #[test]
    fn not_offered_cell_is_an_error() {
        let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
        let mut u = UsageSeries::new(&term);
        u.set_series(
            CellId {
                meter: 0,
                environment: 0,
                use_case: 1,
            },
            vec![Quantity(d("1")); term.hours()],
        );
        let e = usage_report(
            &crate::bundled::matrix("spec-m").unwrap(),
            &u,
            Granularity::Month,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "usage report: cell capacity/on-prem/archive is not offered in this matrix"
        );
    }
}
