//! The formula trail: how each money line of a bill was reached, with exact
//! intermediate values (`docs/evidence.md`). Built from the bill, the offer,
//! the matrix and the hourly ledger the engine recorded with the bill
//! ([`crate::engine::price_recorded`]); nothing here decides a rule again,
//! it restates the engine's figures and rounds each exact amount once more
//! with the line's named rounding, so a reader can check every step.

use serde::Serialize;

use crate::bill::{Bill, Line, LineKind};
use crate::engine::{
    installment_share, installments_paid, prorated_fees, HourAction, LedgerRow, Recorded,
};
use crate::error::Result;
use crate::matrix::{CellName, Matrix};
use crate::num::{
    self, Fraction, Money, Overflow, Price, Quantity, Rate, Ratio, RoundingMode, Units,
};
use crate::offer::{DealTerms, Offer, OfferKind, Payment};
use crate::time::{Date, Hour};

/// The one rounding of a line: mode, scale and the rounded amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rounding {
    /// `half-up` or `half-even` (the matrix's).
    pub mode: RoundingMode,
    /// Decimal places (the currency's minor units).
    pub scale: u32,
    /// The exact amount rounded: the line's amount.
    pub amount: Money,
}

/// An exact amount that may not end in decimals: `numerator ÷ denominator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Exact {
    /// Numerator.
    pub numerator: Money,
    /// Denominator (hours).
    pub denominator: u64,
}

impl From<Fraction> for Exact {
    fn from(f: Fraction) -> Exact {
        Exact {
            numerator: Money(f.numerator()),
            denominator: f.denominator(),
        }
    }
}

/// One period's share of an upfront fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeShare {
    /// The period, `YYYY-MM`.
    pub period: String,
    /// Hours of the period in the term.
    pub hours_in_term: u32,
    /// Hours in its whole calendar month.
    pub hours_in_month: u32,
}

/// How a line's exact amount was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "formula", rename_all = "kebab-case")]
pub enum Formula {
    /// Consumption (pay as you go) or fixed-capacity overage: quantity-hours
    /// × base rate × multiplier = units; units × unit price = exact amount.
    Units {
        /// Quantity-hours priced (overage: the charged excess).
        quantity_hours: Quantity,
        /// The meter's base rate.
        base_rate: Rate,
        /// The cell's multiplier.
        multiplier: Ratio,
        /// Units.
        units: Units,
        /// Price per unit.
        unit_price: Price,
        /// units × unit price.
        exact: Money,
    },
    /// Commitment overage: the units beyond the bucket × the overage price.
    BeyondBucket {
        /// Units beyond the bucket this period.
        units: Units,
        /// Overage price per unit.
        unit_price: Price,
        /// units × unit price.
        exact: Money,
    },
    /// A monthly fee share: fee × hours in term ÷ hours in month.
    ProratedFee {
        /// The monthly fee F.
        fee: Money,
        /// Hours of the period in the term.
        hours_in_term: u32,
        /// Hours in the whole calendar month.
        hours_in_month: u32,
        /// F × hours in term ÷ hours in month.
        exact: Exact,
    },
    /// An upfront fee: the sum of every period's share, rounded once.
    UpfrontFee {
        /// The monthly fee F.
        fee: Money,
        /// Each period's hours.
        shares: Vec<FeeShare>,
        /// Σ F × hours in term ÷ hours in month.
        exact: Exact,
    },
    /// A commitment paid upfront: units × commit price.
    Commitment {
        /// Units bought N.
        units: Units,
        /// Commit price P.
        unit_price: Price,
        /// N × P.
        exact: Money,
    },
    /// A monthly installment: commitment × period hours ÷ term hours.
    Installment {
        /// The commitment's amount C = round(N × P).
        commitment_amount: Money,
        /// Hours of the period in the term.
        hours_in_period: u32,
        /// Hours of the term.
        hours_in_term: u64,
        /// C × period hours ÷ term hours.
        exact: Exact,
    },
    /// The last installment: the rest, so the installments add up to C.
    LastInstallment {
        /// The commitment's amount C.
        commitment_amount: Money,
        /// Σ the earlier installments.
        paid_before: Money,
        /// C − paid before.
        exact: Money,
    },
}

/// The fixed-capacity overage rule that charged an overage line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverageRule {
    /// Entitlement E.
    pub entitlement: Quantity,
    /// Tolerance band b.
    pub tolerance: Ratio,
    /// E × (1 + b).
    pub band_top: Quantity,
    /// Grace hours g.
    pub grace_hours: u32,
}

/// Consecutive charged hours of an overage line's cell in its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChargedRun {
    /// First hour charged.
    pub first_hour: Hour,
    /// Last hour charged (inclusive).
    pub last_hour: Hour,
    /// Hours in the run.
    pub hours: u32,
    /// Σ (usage − E) over the run.
    pub excess_quantity_hours: Quantity,
    /// The streak count at the first hour of the run.
    pub streak_at_first: u32,
}

/// The bucket of a units commitment around a line's period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BucketTrail {
    /// Units bought N.
    pub units_purchased: Units,
    /// Units left when the period began.
    pub before: Units,
    /// Units left when the period ended.
    pub after: Units,
    /// The hour that left the bucket at 0, if any.
    pub exhausted_at: Option<Hour>,
    /// Units left at the end of the term, which expire.
    pub expired_units: Units,
    /// When they expire: the term's end.
    pub expires: Date,
    /// Their value at P, rounded once.
    pub expired_value: Money,
}

/// The trail of one money line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineTrail {
    /// The period, `YYYY-MM`.
    pub period: String,
    /// Index of the line in the period's lines.
    pub line: usize,
    /// The formula and its exact values.
    #[serde(flatten)]
    pub formula: Formula,
    /// The one rounding.
    pub rounding: Rounding,
    /// Fixed-capacity overage: the rule that charged it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<OverageRule>,
    /// Fixed-capacity overage: the charged runs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub charged_runs: Vec<ChargedRun>,
    /// Commitment offers: the bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<BucketTrail>,
}

/// What every line's trail needs.
struct Ctx<'a> {
    matrix: &'a Matrix,
    terms: &'a DealTerms,
    offer: &'a Offer,
    bill: &'a Bill,
    ledger: &'a [LedgerRow],
    /// Commitment: the bucket before each period, and after the last.
    buckets: Vec<Units>,
}

/// The trail of every money line of a recorded bill, period by period in
/// the bill's order (the ledger must have been recorded:
/// [`crate::engine::price_recorded`]).
///
/// ```
/// use unitcalc_core::{bundled, engine, evidence::trail::{trail, Formula}, offer::*, time::*, usage::UsageSeries};
/// let m = bundled::matrix("spec-m").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = m.cell("capacity", "azure", "hot").unwrap();
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(cell, vec!["200".parse().unwrap(); term.hours()]);
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.20".parse().unwrap() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let r = engine::price_recorded(&m, &terms, &offer, &usage).unwrap();
/// let t = trail(&m, &terms, &offer, &r).unwrap();
/// let Formula::Units { quantity_hours, units, exact, .. } = &t[0].formula else { panic!() };
/// assert_eq!((quantity_hours.to_string(), units.to_string()), ("148800".into(), "279".into()));
/// assert_eq!(exact.get().normalize().to_string(), "223.2");
/// assert_eq!(t[0].rounding.amount.to_string(), "223.20"); // worked example A
/// ```
pub fn trail(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    recorded: &Recorded,
) -> Result<Vec<LineTrail>> {
    let bill = &recorded.bill;
    let mut ctx = Ctx {
        matrix,
        terms,
        offer,
        bill,
        ledger: &recorded.ledger,
        buckets: Vec::new(),
    };
    if let OfferKind::Commitment(c) = &offer.kind {
        ctx.buckets = buckets(c.units, bill.periods.len(), &recorded.ledger);
    }
    let mut out = Vec::new();
    for (k, p) in bill.periods.iter().enumerate() {
        for (i, l) in p.lines.iter().enumerate() {
            out.push(ctx.line(k, i, l)?);
        }
    }
    Ok(out)
}

/// Units without trailing zeros (the same exact value), as the JSON writes them.
fn plain(u: Units) -> Units {
    Units(u.get().normalize())
}

/// The bucket before each period and after the last, from the ledger's
/// remaining units (a period without usage leaves it as it was).
fn buckets(n: Units, periods: usize, ledger: &[LedgerRow]) -> Vec<Units> {
    let mut out = vec![n];
    let mut left = n;
    for k in 0..periods {
        if let Some(r) = ledger.iter().rev().find(|r| r.period == k) {
            left = r.bucket_remaining.unwrap_or(left);
        }
        out.push(left);
    }
    out
}

impl Ctx<'_> {
    fn rounding(&self, exact: Fraction) -> Result<Rounding, Overflow> {
        let (scale, mode) = (self.matrix.currency.minor_units, self.matrix.rounding);
        Ok(Rounding {
            mode,
            scale,
            amount: exact.round(scale, mode)?,
        })
    }

    fn line(&self, k: usize, i: usize, l: &Line) -> Result<LineTrail> {
        let period = self
            .bill
            .periods
            .get(k)
            .map(|p| p.label.clone())
            .unwrap_or_default();
        let (formula, exact) = self.formula(k, l)?;
        let mut t = LineTrail {
            period,
            line: i,
            formula,
            rounding: self.rounding(exact)?,
            rule: None,
            charged_runs: Vec::new(),
            bucket: None,
        };
        match &self.offer.kind {
            OfferKind::FixedCapacity(f) if l.kind == LineKind::Overage => {
                let cell = l.cell.as_ref();
                let e = f
                    .entitlements
                    .iter()
                    .find(|e| Some(&self.matrix.cell_name(e.cell)) == cell)
                    .map_or(Quantity::ZERO, |e| e.quantity);
                t.rule = Some(OverageRule {
                    entitlement: e,
                    tolerance: f.overage.tolerance,
                    band_top: Quantity(f.overage.band_top(e)?.get().normalize()),
                    grace_hours: f.overage.grace_hours,
                });
                t.charged_runs = self.charged_runs(k, cell)?;
            }
            OfferKind::Commitment(c) => {
                let state = self.bill.commitment.as_ref();
                let bucket = |k: usize| plain(self.buckets.get(k).copied().unwrap_or(c.units));
                t.bucket = Some(BucketTrail {
                    units_purchased: c.units,
                    before: bucket(k),
                    after: bucket(k.saturating_add(1)),
                    exhausted_at: state.and_then(|s| s.exhausted_at),
                    expired_units: plain(state.map_or(Units::ZERO, |s| s.expired_units)),
                    expires: self.terms.term.end(),
                    expired_value: state.map_or(Money::ZERO, |s| s.expired_value),
                });
            }
            _ => {}
        }
        Ok(t)
    }

    /// The line's formula and its exact amount.
    fn formula(&self, k: usize, l: &Line) -> Result<(Formula, Fraction)> {
        let whole = |m: Money| Fraction::from_decimal(m.get());
        Ok(match (&self.offer.kind, l.kind) {
            (OfferKind::FixedCapacity(f), LineKind::Fee) => {
                let shares = prorated_fees(f.monthly_fee, &self.terms.term)?;
                let periods = self.terms.term.periods();
                if f.payment == Payment::Upfront {
                    let exact = shares
                        .iter()
                        .try_fold(Fraction::ZERO, |a, s| a.checked_add(*s))?;
                    let shares = periods
                        .iter()
                        .map(|p| FeeShare {
                            period: p.label(),
                            hours_in_term: p.hours(),
                            hours_in_month: p.month_hours,
                        })
                        .collect();
                    let fee = f.monthly_fee;
                    (
                        Formula::UpfrontFee {
                            fee,
                            shares,
                            exact: exact.into(),
                        },
                        exact,
                    )
                } else {
                    let exact = shares.get(k).copied().unwrap_or(Fraction::ZERO);
                    let p = periods.get(k);
                    (
                        Formula::ProratedFee {
                            fee: f.monthly_fee,
                            hours_in_term: p.map_or(0, |p| p.hours()),
                            hours_in_month: p.map_or(0, |p| p.month_hours),
                            exact: exact.into(),
                        },
                        exact,
                    )
                }
            }
            (OfferKind::Commitment(c), LineKind::Commitment) => {
                let exact = c.units.at(c.price)?;
                let f = Formula::Commitment {
                    units: c.units,
                    unit_price: c.price,
                    exact,
                };
                (f, whole(exact))
            }
            (OfferKind::Commitment(c), LineKind::Installment) => {
                let commit = c
                    .units
                    .at(c.price)?
                    .round(self.matrix.currency.minor_units, self.matrix.rounding);
                if k.saturating_add(1) == self.bill.periods.len() {
                    let paid = installments_paid(self.bill.periods.get(..k).unwrap_or_default())?;
                    let exact = commit.checked_sub(paid)?;
                    let f = Formula::LastInstallment {
                        commitment_amount: commit,
                        paid_before: paid,
                        exact,
                    };
                    (f, whole(exact))
                } else {
                    let hours = self.bill.periods.get(k).map_or(0, |p| p.hours);
                    let term_hours = self.terms.term.hours() as u64;
                    let exact = installment_share(commit, hours.into(), term_hours)?;
                    let f = Formula::Installment {
                        commitment_amount: commit,
                        hours_in_period: hours,
                        hours_in_term: term_hours,
                        exact: exact.into(),
                    };
                    (f, exact)
                }
            }
            (OfferKind::Commitment(_), _) => {
                let units = plain(l.units.unwrap_or(Units::ZERO));
                let unit_price = l.unit_price.unwrap_or_default();
                let exact = units.at(unit_price)?;
                (
                    Formula::BeyondBucket {
                        units,
                        unit_price,
                        exact,
                    },
                    whole(exact),
                )
            }
            _ => {
                let cell = l
                    .cell
                    .as_ref()
                    .and_then(|c| self.matrix.cell(&c.meter, &c.environment, &c.use_case).ok());
                let (base_rate, multiplier) = cell
                    .and_then(|c| {
                        let meter = self.matrix.meters.get(usize::from(c.meter))?;
                        Some((
                            meter.base_rate,
                            self.matrix.multiplier(c.environment, c.use_case)?,
                        ))
                    })
                    .unwrap_or_default();
                let quantity_hours =
                    Quantity(l.quantity_hours.unwrap_or(Quantity::ZERO).get().normalize());
                let rate = cell
                    .and_then(|c| self.matrix.cell_rate(c))
                    .unwrap_or_default();
                let units = plain(quantity_hours.units_at(rate)?);
                let unit_price = l.unit_price.unwrap_or_default();
                let exact = units.at(unit_price)?;
                let f = Formula::Units {
                    quantity_hours,
                    base_rate,
                    multiplier,
                    units,
                    unit_price,
                    exact,
                };
                (f, whole(exact))
            }
        })
    }

    /// The charged hours of `cell` in period `k`, as runs of consecutive hours.
    fn charged_runs(&self, k: usize, cell: Option<&CellName>) -> Result<Vec<ChargedRun>, Overflow> {
        let mut runs: Vec<ChargedRun> = Vec::new();
        let rows = self.ledger.iter().filter(|r| {
            r.period == k
                && r.action == HourAction::Charged
                && Some(&self.matrix.cell_name(r.cell)) == cell
        });
        for r in rows {
            match runs.last_mut() {
                Some(run) if run.last_hour.0.checked_add(1) == Some(r.hour.0) => {
                    run.last_hour = r.hour;
                    run.hours = run.hours.saturating_add(1);
                    run.excess_quantity_hours = Quantity(num::add(
                        run.excess_quantity_hours.get(),
                        r.excess.get(),
                        "excess quantity-hours",
                    )?);
                }
                _ => runs.push(ChargedRun {
                    first_hour: r.hour,
                    last_hour: r.hour,
                    hours: 1,
                    excess_quantity_hours: r.excess,
                    streak_at_first: r.streak,
                }),
            }
        }
        Ok(runs)
    }
}

impl LineTrail {
    /// The trail as lines of text for people, one step a line (the CLI's
    /// `quote --explain` prints them under the line).
    ///
    /// ```
    /// use unitcalc_core::evidence::trail::*;
    /// use unitcalc_core::num::{Money, RoundingMode};
    /// let t = LineTrail {
    ///     period: "2026-02".into(), line: 0,
    ///     formula: Formula::ProratedFee { fee: "40000.00".parse().unwrap(), hours_in_term: 336, hours_in_month: 672,
    ///         exact: Exact { numerator: "13440000.00".parse().unwrap(), denominator: 672 } },
    ///     rounding: Rounding { mode: RoundingMode::HalfUp, scale: 2, amount: "20000.00".parse().unwrap() },
    ///     rule: None, charged_runs: vec![], bucket: None,
    /// };
    /// assert_eq!(t.explain(), [
    ///     "fee 40000.00 × 336 hours in term ÷ 672 hours in month = 13440000.00 ÷ 672",
    ///     "rounded half-up to 2 places = 20000.00",
    /// ]);
    /// ```
    pub fn explain(&self) -> Vec<String> {
        let mut out = Vec::new();
        let exact = |e: &Exact| {
            if e.denominator == 1 {
                e.numerator.to_string()
            } else {
                format!("{} ÷ {}", e.numerator, e.denominator)
            }
        };
        match &self.formula {
            Formula::Units {
                quantity_hours,
                base_rate,
                multiplier,
                units,
                unit_price,
                exact,
            } => {
                out.push(format!(
                    "{quantity_hours} quantity-hours × {base_rate} base rate × {multiplier} multiplier = {units} units"
                ));
                out.push(format!("{units} units × {unit_price} per unit = {exact}"));
            }
            Formula::BeyondBucket {
                units,
                unit_price,
                exact,
            } => {
                out.push(format!(
                    "{units} units beyond the bucket × {unit_price} per unit = {exact}"
                ));
            }
            Formula::ProratedFee {
                fee,
                hours_in_term,
                hours_in_month,
                exact: e,
            } => {
                out.push(format!(
                    "fee {fee} × {hours_in_term} hours in term ÷ {hours_in_month} hours in month = {}",
                    exact(e)
                ));
            }
            Formula::UpfrontFee {
                fee,
                shares,
                exact: e,
            } => {
                let parts: Vec<String> = shares
                    .iter()
                    .map(|s| format!("{} ÷ {}", s.hours_in_term, s.hours_in_month))
                    .collect();
                out.push(format!(
                    "fee {fee} × ({}) = {}",
                    parts.join(" + "),
                    exact(e)
                ));
            }
            Formula::Commitment {
                units,
                unit_price,
                exact,
            } => {
                out.push(format!(
                    "{units} units × {unit_price} commit price = {exact}"
                ));
            }
            Formula::Installment {
                commitment_amount,
                hours_in_period,
                hours_in_term,
                exact: e,
            } => {
                out.push(format!(
                    "commitment {commitment_amount} × {hours_in_period} hours in period ÷ {hours_in_term} hours in term = {}",
                    exact(e)
                ));
            }
            Formula::LastInstallment {
                commitment_amount,
                paid_before,
                exact,
            } => {
                out.push(format!(
                    "commitment {commitment_amount} − {paid_before} paid before = {exact} (the rest)"
                ));
            }
        }
        let r = &self.rounding;
        out.push(format!(
            "rounded {} to {} places = {}",
            r.mode.as_str(),
            r.scale,
            r.amount
        ));
        if let Some(rule) = &self.rule {
            out.push(format!(
                "rule: entitlement {}, band {} (tolerance {}), grace {} hours",
                rule.entitlement, rule.band_top, rule.tolerance, rule.grace_hours
            ));
        }
        for run in &self.charged_runs {
            out.push(format!(
                "charged {} to {}: {} hours from streak hour {}, {} excess quantity-hours",
                run.first_hour,
                run.last_hour,
                run.hours,
                run.streak_at_first,
                run.excess_quantity_hours
            ));
        }
        if let Some(b) = &self.bucket {
            let out_at = b
                .exhausted_at
                .map_or("not emptied".to_string(), |h| format!("emptied at {h}"));
            out.push(format!(
                "bucket of {} units: {} before the period, {} after; {out_at}; {} units expire at {} worth {}",
                b.units_purchased, b.before, b.after, b.expired_units, b.expires, b.expired_value
            ));
        }
        out
    }
}
