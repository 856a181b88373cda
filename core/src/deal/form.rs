//! The browser form's way through the one resolver: the failing [`Field`]
//! handed back with the error (to mark its input), values typed in the form
//! read by the lenient reader ([`crate::typed`]) and written back in strict
//! form for links and saved scenarios, and one text value of a deal by its
//! [`Field`] ([`DealSpec::text_mut`]). Files and links are resolved strictly
//! (`resolve.rs`).

use std::borrow::Cow;
use std::cell::RefCell;

use crate::error::Error;
use crate::matrix::Matrix;
use crate::typed::{canonical, Typed};

use super::field::{BurstField, CellPart, Field, FieldRecorder, OfferField, UsageField};
use super::resolve::Ctx;
use super::spec::DealSpec;
use super::Deal;

impl<'a> Ctx<'a> {
    /// The text to read for `field`: as typed, or, for the browser's form,
    /// as the lenient reader writes it (kept for the written spec).
    pub(super) fn text<'t>(&self, field: Field, text: &'t str) -> Cow<'t, str> {
        let Some(rewrites) = &self.typed else {
            return Cow::Borrowed(text);
        };
        let unit = |m: &'a Matrix| {
            let meter = m.meters.get(usize::from(self.meter.get()));
            meter.map_or("", |me| me.unit.as_str())
        };
        let kind = match field {
            Field::Offer(
                _,
                OfferField::MonthlyFee | OfferField::OveragePrice | OfferField::CommitPrice,
            ) => Typed::Money(&self.m.currency.code),
            Field::Offer(_, OfferField::Discount | OfferField::Tolerance) => Typed::Fraction,
            Field::UsageValue(_, UsageField::Baseline)
            | Field::Entitlement(_, _, CellPart::Quantity)
            | Field::Burst(_, _, BurstField::Level) => Typed::Quantity(unit(self.m)),
            Field::UsageValue(..) => Typed::Fraction,
            Field::Burst(_, _, BurstField::Start) => Typed::Hour,
            _ => Typed::Plain,
        };
        match canonical(text, kind) {
            Some(c) => {
                rewrites.borrow_mut().push((field, c.clone()));
                Cow::Owned(c)
            }
            None => Cow::Borrowed(text),
        }
    }
}

impl DealSpec {
    /// [`DealSpec::resolve`] with [`FieldLabels`](super::FieldLabels) (the
    /// same errors, word for word), also handing back the [`Field`] at fault,
    /// so a form can show the message on that input. The field is `None` only
    /// for an error of the profile generator's own checks, which the
    /// resolver runs last and which look at the profile as a whole.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, Field, OfferField}};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let mut bad = DealSpec::example();
    /// bad.offers[0].monthly_fee = "lots".into();
    /// let (field, e) = bad.resolve_field(&m).unwrap_err();
    /// assert_eq!(field, Some(Field::Offer(0, OfferField::MonthlyFee)));
    /// assert_eq!(e.to_string(), "scenario offer 1 monthly fee: `lots` is not a decimal number (write e.g. \"1.10\")");
    /// ```
    pub fn resolve_field(
        &self,
        matrix: &Matrix,
    ) -> std::result::Result<Deal, (Option<Field>, Error)> {
        let rec = FieldRecorder::default();
        self.resolve(matrix, &rec).map_err(|e| (rec.field(), e))
    }

    /// What the browser's form resolves: [`DealSpec::resolve_field`], but
    /// each value read with the lenient reader for typed input
    /// ([`crate::typed`]: `$40,000`, `500 TB`, `10 %`), and the spec with
    /// every value that reader rewrote written as the strict formats read
    /// it, for the share link and the saved scenario. A value that does
    /// not read gets the strict reader's message, on the text as typed.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::DealSpec};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let mut typed = DealSpec::example();
    /// typed.offers[0].monthly_fee = "$40,000.00".into();
    /// typed.offers[0].tolerance = "10 %".into();
    /// typed.usage.cells[0].baseline = "500 TB".into();
    /// let form = typed.resolve_form(&m);
    /// assert_eq!(form.deal.unwrap(), DealSpec::example().resolve_field(&m).unwrap());
    /// assert_eq!(form.written, Some(DealSpec::example()));
    /// ```
    pub fn resolve_form(&self, matrix: &Matrix) -> FormDeal {
        let rec = FieldRecorder::default();
        let cx = Ctx {
            typed: Some(RefCell::default()),
            ..Ctx::new(matrix, &rec)
        };
        let deal = self.resolve_in(&cx).map_err(|e| (rec.field(), e));
        let rewrites = cx.typed.map(RefCell::into_inner).unwrap_or_default();
        let written = (!rewrites.is_empty()).then(|| {
            let mut spec = self.clone();
            for (field, text) in rewrites {
                if let Some(slot) = spec.text_mut(field) {
                    *slot = text;
                }
            }
            spec
        });
        FormDeal { deal, written }
    }

    /// The text of a value field (`None` for the fields that are not one
    /// text value: lists, kinds, payment, a whole offer or burst).
    pub fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::Name => &mut self.name,
            Field::TermStart => &mut self.term_start,
            Field::TermMonths => &mut self.term_months,
            Field::Channel => &mut self.channel,
            Field::UsageSeed => &mut self.usage.seed,
            Field::Offer(i, f) => {
                let o = self.offers.get_mut(i)?;
                match f {
                    OfferField::Name => &mut o.name,
                    OfferField::Discount => &mut o.discount,
                    OfferField::MonthlyFee => &mut o.monthly_fee,
                    OfferField::Tolerance => &mut o.tolerance,
                    OfferField::GraceHours => &mut o.grace_hours,
                    OfferField::OveragePrice => &mut o.overage_price,
                    OfferField::CommitUnits => &mut o.commit_units,
                    OfferField::CommitPrice => &mut o.commit_price,
                    OfferField::Whole
                    | OfferField::Kind
                    | OfferField::Entitlements
                    | OfferField::Payment => return None,
                }
            }
            Field::Entitlement(i, k, p) => {
                let e = self.offers.get_mut(i)?.entitlements.get_mut(k)?;
                match p {
                    CellPart::Quantity => &mut e.quantity,
                    _ => &mut e.cell,
                }
            }
            Field::UsageCell(i, _) => &mut self.usage.cells.get_mut(i)?.cell,
            Field::UsageValue(i, f) => {
                let c = self.usage.cells.get_mut(i)?;
                match f {
                    UsageField::Baseline => &mut c.baseline,
                    UsageField::MonthlyGrowth => &mut c.monthly_growth,
                    UsageField::DailyAmplitude => &mut c.daily_amplitude,
                    UsageField::WeekendDip => &mut c.weekend_dip,
                    UsageField::Noise => &mut c.noise,
                }
            }
            Field::Burst(i, k, f) => {
                let b = self.usage.cells.get_mut(i)?.bursts.get_mut(k)?;
                match f {
                    BurstField::Start => &mut b.start,
                    BurstField::AfterHours => &mut b.after_hours,
                    BurstField::Hours => &mut b.hours,
                    BurstField::Level => &mut b.level,
                    BurstField::Whole => return None,
                }
            }
            Field::Matrix | Field::Offers | Field::Usage | Field::Metering(_) => return None,
        })
    }
}

/// What [`DealSpec::resolve_form`] gives the browser's form.
#[derive(Debug)]
pub struct FormDeal {
    /// The deal, or the error and the field at fault.
    pub deal: std::result::Result<Deal, (Option<Field>, Error)>,
    /// The spec with the values the lenient reader rewrote written as the
    /// strict formats read them (`None`: nothing was rewritten).
    pub written: Option<DealSpec>,
}

#[cfg(test)]
mod tests {
    use super::super::field::FieldLabels;
    use super::*;

    /// Each bad value of worked example C, the field `resolve_field` names
    /// and the start of its message, which is `resolve`'s with
    /// `FieldLabels` word for word.
    #[test]
    fn resolve_field_names_the_field_at_fault() {
        type Edit = fn(&mut DealSpec);
        let cases: &[(Edit, Option<Field>, &str)] = &[
            (
                |d| d.term_start = "2026-13-01".into(),
                Some(Field::TermStart),
                "scenario term start: ",
            ),
            (
                |d| d.term_months = "".into(),
                Some(Field::TermMonths),
                "scenario term months: ``",
            ),
            (
                |d| d.channel = "moon".into(),
                Some(Field::Channel),
                "scenario channel: ",
            ),
            (
                |d| d.offers[0].monthly_fee = "".into(),
                Some(Field::Offer(0, OfferField::MonthlyFee)),
                "scenario offer 1 monthly fee: ",
            ),
            (
                |d| d.offers[0].tolerance = "x".into(),
                Some(Field::Offer(0, OfferField::Tolerance)),
                "scenario offer 1 tolerance band: ",
            ),
            (
                |d| d.offers[0].entitlements[0].quantity = "0".into(),
                Some(Field::Entitlement(0, 0, CellPart::Quantity)),
                "scenario offer 1 entitlement 1: ",
            ),
            (
                |d| d.offers[0].entitlements[0].cell = "capacity/azure/warm".into(),
                Some(Field::Entitlement(0, 0, CellPart::UseCase)),
                "scenario offer 1 entitlement 1: ",
            ),
            (
                |d| d.usage.cells[0].baseline = "x".into(),
                Some(Field::UsageValue(0, UsageField::Baseline)),
                "scenario usage 1 baseline: ",
            ),
            (
                |d| d.usage.cells[0].bursts[0].level = "-1".into(),
                Some(Field::Burst(0, 0, BurstField::Level)),
                "scenario usage 1 burst 1 level: ",
            ),
            (
                |d| d.usage.cells.push(d.usage.cells[0].clone()),
                Some(Field::UsageCell(1, CellPart::Whole)),
                "scenario usage 2 cell: ",
            ),
        ];
        let m = crate::bundled::matrix("spec-m").unwrap();
        for (edit, field, starts) in cases {
            let mut d = DealSpec::example();
            edit(&mut d);
            let (got, e) = d.resolve_field(&m).unwrap_err();
            let plain = d.resolve(&m, &FieldLabels).unwrap_err().to_string();
            assert_eq!((got, e.to_string()), (*field, plain.clone()), "{d:?}");
            assert!(plain.starts_with(starts), "{plain}");
        }
        assert!(DealSpec::example().resolve_field(&m).is_ok());
    }
}

#[cfg(test)]
mod form_tests {
    use super::super::field::FieldLabels;
    use super::*;

    /// Values typed into the form, read by the lenient reader: each edit of
    /// worked example C, typed as people type it, resolves to example C,
    /// and the written spec is example C again (what links and saved
    /// scenarios get); the strict resolver still refuses the typed text.
    #[test]
    fn typed_values_resolve_and_are_written_strictly() {
        type Edit = fn(&mut DealSpec);
        let cases: &[Edit] = &[
            |d| d.offers[0].monthly_fee = "$40,000.00".into(),
            |d| d.offers[0].monthly_fee = "USD 40 000.00".into(),
            |d| d.offers[0].tolerance = "10 %".into(),
            |d| d.offers[0].grace_hours = "7 2".into(),
            |d| d.offers[0].entitlements[0].quantity = "500 TB".into(),
            |d| d.usage.cells[0].baseline = "500tb".into(),
            |d| d.usage.cells[0].bursts[0].level = "540 TB".into(),
            |d| d.usage.cells[0].bursts[0].hours = " 100 ".into(),
            |d| d.term_months = "12 ".into(),
        ];
        let m = crate::bundled::matrix("spec-m").unwrap();
        let want = DealSpec::example().resolve_field(&m).unwrap();
        for (k, edit) in cases.iter().enumerate() {
            let mut d = DealSpec::example();
            edit(&mut d);
            let form = d.resolve_form(&m);
            if k == 3 {
                // `7 2` is not grouped in threes: refused, in the strict words.
                let (field, e) = form.deal.unwrap_err();
                assert_eq!(field, Some(Field::Offer(0, OfferField::GraceHours)));
                assert_eq!(
                    e.to_string(),
                    d.resolve(&m, &FieldLabels).unwrap_err().to_string()
                );
                continue;
            }
            assert_eq!(form.deal.as_ref().ok(), Some(&want), "{d:?}");
            let written = form.written.unwrap_or_else(|| d.clone());
            assert_eq!(written, DealSpec::example(), "{d:?}");
            assert_eq!(written.resolve(&m, &FieldLabels).ok(), Some(want.clone()));
        }
    }

    /// What the lenient reader does not take keeps the strict message, on
    /// the text as typed, at its field.
    #[test]
    fn untyped_values_keep_the_strict_message() {
        type Edit = fn(&mut DealSpec);
        let cases: &[(Edit, Field, &str)] = &[
            (
                |d| d.offers[0].monthly_fee = "EUR 40,000".into(),
                Field::Offer(0, OfferField::MonthlyFee),
                "scenario offer 1 monthly fee: `EUR 40,000` is not a decimal number (write e.g. \"1.10\")",
            ),
            (
                |d| d.usage.cells[0].baseline = "500 GB".into(),
                Field::UsageValue(0, UsageField::Baseline),
                "scenario usage 1 baseline: `500 GB` is not a decimal number (write e.g. \"1.10\")",
            ),
            (
                |d| d.offers[0].tolerance = "1,5".into(),
                Field::Offer(0, OfferField::Tolerance),
                "scenario offer 1 tolerance band: `1,5` is not a decimal number (write e.g. \"1.10\")",
            ),
        ];
        let m = crate::bundled::matrix("spec-m").unwrap();
        for (edit, field, want) in cases {
            let mut d = DealSpec::example();
            edit(&mut d);
            let (got, e) = d.resolve_form(&m).deal.unwrap_err();
            assert_eq!((got, e.to_string()), (Some(*field), (*want).to_string()));
        }
    }
}
