//! The hourly ledger as tidy CSV (`docs/evidence.md`): one row per hour per
//! used cell of one offer's bill, what the offer's rule did with the hour,
//! and the exact units and amount it adds to a money line. Summing `amount`
//! over a line's rows gives the line's exact amount before its one rounding.
//! Text fields go through the CSV text rule ([`crate::bill_csv::text_field`]).

use rust_decimal::Decimal;

use crate::bill::{Bill, LineKind};
use crate::bill_csv::{push_row, text_field};
use crate::engine::{HourAction, LedgerRow};
use crate::matrix::Matrix;
use crate::num::Overflow;

/// The ledger CSV's columns, in order.
pub const COLUMNS: [&str; 19] = [
    "offer",
    "hour",
    "period",
    "meter",
    "environment",
    "use_case",
    "quantity",
    "rate",
    "units",
    "action",
    "streak",
    "excess",
    "line",
    "priced_units",
    "unit_price",
    "amount",
    "drawn",
    "bucket_remaining",
    "currency",
];

/// The money line an hour's priced units go to: `pay-as-you-go`,
/// `overage`, or none.
///
/// ```
/// use unitcalc_core::{bill::LineKind, engine::HourAction, ledger_csv::line_of};
/// assert_eq!(line_of(HourAction::Charged), Some(LineKind::Overage));
/// assert_eq!(line_of(HourAction::Tolerated), None);
/// ```
pub fn line_of(action: HourAction) -> Option<LineKind> {
    match action {
        HourAction::Usage => Some(LineKind::PayAsYouGo),
        HourAction::Charged | HourAction::Overage => Some(LineKind::Overage),
        HourAction::Included | HourAction::Tolerated | HourAction::Drawn => None,
    }
}

/// The ledger of `bill` (recorded with it by `engine::price_recorded`) as
/// tidy CSV with a header: exact decimals without trailing zeros; the unit
/// price and amount only on rows that add to a line.
///
/// ```
/// use unitcalc_core::{bundled, engine, ledger_csv, offer::*, time::*, usage::UsageSeries};
/// let m = bundled::matrix("spec-m").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = m.cell("capacity", "azure", "hot").unwrap();
/// let mut usage = UsageSeries::new(&term);
/// let mut q = vec!["0".parse().unwrap(); term.hours()];
/// q[0] = "200".parse().unwrap();
/// usage.set_series(cell, q);
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.20".parse().unwrap() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let r = engine::price_recorded(&m, &terms, &offer, &usage).unwrap();
/// let csv = ledger_csv::to_csv(&m, &r.bill, &r.ledger).unwrap();
/// assert_eq!(csv.lines().nth(1).unwrap(),
///     "PAYG,2026-03-01T00:00:00Z,2026-03,capacity,azure,hot,200,0.001875,0.375,usage,0,0,pay-as-you-go,0.375,0.8000,0.3,0,,USD");
/// ```
pub fn to_csv(matrix: &Matrix, bill: &Bill, ledger: &[LedgerRow]) -> Result<String, Overflow> {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    let text = |t: &str| text_field(t).into_owned();
    let plain = |d: Decimal| d.normalize().to_string();
    for row in ledger {
        let name = matrix.cell_name(row.cell);
        let period = bill.periods.get(row.period);
        let kind = line_of(row.action);
        let line = period.and_then(|p| {
            p.lines
                .iter()
                .find(|l| Some(l.kind) == kind && l.cell.as_ref() == Some(&name))
        });
        let price = line.and_then(|l| l.unit_price);
        let amount = match price {
            Some(p) => Some(row.priced_units.at(p)?.get()),
            None => None,
        };
        let fields = [
            text(&bill.offer),
            row.hour.to_string(),
            text(period.map_or("", |p| p.label.as_str())),
            text(&name.meter),
            text(&name.environment),
            text(&name.use_case),
            plain(row.quantity.get()),
            matrix
                .cell_rate(row.cell)
                .map(|r| plain(r.get()))
                .unwrap_or_default(),
            plain(row.units.get()),
            row.action.as_str().to_string(),
            row.streak.to_string(),
            plain(row.excess.get()),
            kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
            plain(row.priced_units.get()),
            price.map(|p| p.to_string()).unwrap_or_default(),
            amount.map(plain).unwrap_or_default(),
            plain(row.drawn.get()),
            row.bucket_remaining
                .map(|u| plain(u.get()))
                .unwrap_or_default(),
            text(&bill.currency),
        ];
        push_row(&mut out, &fields);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::bundled;
    use crate::engine::price_recorded;
    use crate::offer::{Channel, DealTerms, Offer, OfferKind, PayAsYouGo};
    use crate::time::{Date, Term};
    use crate::usage::UsageSeries;

    /// An offer named like a formula is written as text; the numbers stay
    /// numbers.
    #[test]
    fn text_fields_are_guarded_against_formulas() {
        let m = bundled::matrix("spec-m").unwrap();
        let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
        let mut usage = UsageSeries::new(&term);
        let mut q = vec!["0".parse().unwrap(); term.hours()];
        q[0] = "200".parse().unwrap();
        usage.set_series(m.cell("capacity", "azure", "hot").unwrap(), q);
        let offer = Offer {
            name: "=HYPERLINK(\"x\")".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
        };
        let terms = DealTerms {
            term,
            channel: Channel::Direct,
        };
        let r = price_recorded(&m, &terms, &offer, &usage).unwrap();
        let csv = super::to_csv(&m, &r.bill, &r.ledger).unwrap();
        assert_eq!(
            csv.lines().nth(1).unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",2026-03-01T00:00:00Z,2026-03,capacity,azure,hot,200,0.001875,0.375,usage,0,0,pay-as-you-go,0.375,1.00,0.375,0,,USD"
        );
    }
}
