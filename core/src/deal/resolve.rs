//! The one resolver: a [`DealSpec`] checked against a [`Matrix`] becomes the
//! [`Deal`] the engine prices. Every check on a deal's values happens here,
//! once, with one wording, whatever the deal was read from. Where each
//! error points is the reader's [`Locate`] (`field.rs`).

use std::cell::{Cell, RefCell};
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::{clip, Error, Result};
use crate::matrix::{CellId, CellName, Matrix};
use crate::num::{Money, Price, Quantity, Ratio, Units};
use crate::offer::{
    Channel, Commitment, DealTerms, Entitlement, FixedCapacity, Offer, OfferKind, OveragePolicy,
    PayAsYouGo,
};
use crate::profile::{Burst, CellProfile, Profile};
use crate::time::{Date, Hour, Term};
use crate::toml_util::parse_decimal;

use super::field::{BurstField, CellPart, Field, Locate, OfferField, UsageField};
use super::spec::{
    BurstSpec, CellUsageSpec, DealSpec, EntitlementSpec, KindSpec, OfferSpec, UsageSpec, MAX_OFFERS,
};
use super::{Deal, UsageSource};

/// Bounds for a decimal field.
#[derive(Clone, Copy)]
pub(super) enum Bound {
    /// ≥ 0.
    NonNegative,
    /// > 0.
    Positive,
    /// In [0, 1).
    UnitOpen,
    /// In [0, 1].
    UnitClosed,
    /// > −1.
    AboveMinusOne,
}

/// The resolver's state: the matrix and where errors point.
pub(super) struct Ctx<'a> {
    pub(super) m: &'a Matrix,
    pub(super) loc: &'a dyn Locate,
    /// For the browser's form: values are read with the lenient reader
    /// ([`crate::typed`]), and each value it rewrote is kept here.
    pub(super) typed: Option<RefCell<Vec<(Field, String)>>>,
    /// The meter of the cell whose quantities are being read (its unit may
    /// follow a typed quantity).
    pub(super) meter: Cell<u16>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(m: &'a Matrix, loc: &'a dyn Locate) -> Ctx<'a> {
        Ctx {
            m,
            loc,
            typed: None,
            meter: Cell::new(0),
        }
    }

    /// An [`Error::Invalid`] at `field`: `context: message`, or just
    /// `message` where the origin names the field.
    pub(super) fn invalid(&self, field: Field, context: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        let message = if self.loc.names_fields() || context.is_empty() {
            message
        } else {
            format!("{context}: {message}")
        };
        Error::Invalid {
            at: self.loc.origin(field),
            message,
        }
    }

    /// A decimal written as a string (surrounding spaces ignored).
    fn decimal(&self, field: Field, text: &str) -> Result<Decimal> {
        parse_decimal(self.text(field, text).trim()).map_err(|message| Error::Invalid {
            at: self.loc.origin(field),
            message,
        })
    }

    /// A decimal within `bound`; in files the message names it after
    /// `context` (`offer `X`: discount must be in [0, 1), got `1``).
    pub(super) fn bounded(
        &self,
        field: Field,
        context: &str,
        text: &str,
        bound: Bound,
    ) -> Result<Decimal> {
        let what = field.what();
        let d = self.decimal(field, text)?;
        let (ok, rule) = match bound {
            Bound::NonNegative => (d >= Decimal::ZERO, "must be 0 or more"),
            Bound::Positive => (d > Decimal::ZERO, "must be greater than 0"),
            Bound::UnitOpen => (d >= Decimal::ZERO && d < Decimal::ONE, "must be in [0, 1)"),
            Bound::UnitClosed => (d >= Decimal::ZERO && d <= Decimal::ONE, "must be in [0, 1]"),
            Bound::AboveMinusOne => (d > Decimal::NEGATIVE_ONE, "must be greater than -1"),
        };
        if ok {
            Ok(d)
        } else if self.loc.names_fields() {
            Err(self.invalid(field, "", format!("{rule}, got `{d}`")))
        } else {
            Err(self.invalid(field, context, format!("{what} {rule}, got `{d}`")))
        }
    }

    /// A whole number written as text.
    fn whole<T: FromStr>(&self, field: Field, text: &str) -> Result<T> {
        let text = self.text(field, text);
        let t = text.trim();
        t.parse().map_err(|_| Error::Invalid {
            at: self.loc.origin(field),
            message: format!("`{}` is not a whole number in range", clip(t)),
        })
    }

    /// A cell `meter/environment/use_case` that the matrix offers.
    pub(super) fn cell(
        &self,
        text: &str,
        at: impl Fn(CellPart) -> Field,
        context: &str,
    ) -> Result<CellId> {
        let name: CellName = text
            .trim()
            .parse()
            .map_err(|m: String| self.invalid(at(CellPart::Whole), "", m))?;
        let (meter, env, uc) = (
            name.meter.as_str(),
            name.environment.as_str(),
            name.use_case.as_str(),
        );
        let unknown = |part, what, value: &str| Error::Unknown {
            at: self.loc.origin(at(part)),
            what,
            value: value.to_string(),
        };
        let cell = CellId {
            meter: (self.m.meter_index(meter))
                .ok_or_else(|| unknown(CellPart::Meter, "meter", meter))?,
            environment: (self.m.environment_index(env))
                .ok_or_else(|| unknown(CellPart::Environment, "environment", env))?,
            use_case: (self.m.use_case_index(uc))
                .ok_or_else(|| unknown(CellPart::UseCase, "use case", uc))?,
        };
        if self.m.cell_rate(cell).is_none() {
            return Err(self.invalid(
                at(CellPart::Whole),
                context,
                format!(
                    "cell {} is not offered in matrix `{}`",
                    self.m.cell_name(cell),
                    self.m.name
                ),
            ));
        }
        Ok(cell)
    }
}

impl DealSpec {
    /// Resolves names and checks every value against `matrix`, with errors
    /// located by `locate`. The result prices: its offers pass the engine's
    /// own checks and its profile the generator's.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
    /// assert_eq!(deal.terms.term.months, 12);
    /// let mut bad = DealSpec::example();
    /// bad.offers[0].monthly_fee = "40,000".into();
    /// assert_eq!(
    ///     bad.resolve(&m, &FieldLabels).unwrap_err().to_string(),
    ///     "scenario offer 1 monthly fee: `40,000` is not a decimal number (write e.g. \"1.10\")"
    /// );
    /// ```
    pub fn resolve(&self, matrix: &Matrix, locate: &dyn Locate) -> Result<Deal> {
        self.resolve_in(&Ctx::new(matrix, locate))
    }

    pub(super) fn resolve_in(&self, cx: &Ctx<'_>) -> Result<Deal> {
        let locate = cx.loc;
        let start = Date::parse(self.term_start.trim()).map_err(|source| Error::Time {
            at: locate.origin(Field::TermStart),
            source,
        })?;
        let months: u32 = cx.whole(Field::TermMonths, &self.term_months)?;
        let term = Term::new(start, months).map_err(|source| Error::Time {
            at: locate.origin(Field::TermMonths),
            source,
        })?;
        let channel = cx.channel(self.channel.trim())?;
        let offers = cx.offers(&self.offers)?;
        let usage = cx.usage(self, &term)?;
        Ok(Deal {
            name: self.name.trim().to_string(),
            matrix: self.matrix.clone(),
            terms: DealTerms { term, channel },
            usage,
            offers,
            metering: None,
        })
    }
}

impl UsageSpec {
    /// Resolves a usage profile alone (for tools that generate usage
    /// without a deal), with the same checks and wording as in a deal.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{CellUsageSpec, FieldLabels, UsageSpec}, time::{Date, Term}};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
    /// let cell = CellUsageSpec { cell: "capacity/azure/hot".into(), baseline: "-1".into(), ..Default::default() };
    /// let spec = UsageSpec { seed: "1".into(), cells: vec![cell] };
    /// assert_eq!(
    ///     spec.resolve(&m, &term, &FieldLabels).unwrap_err().to_string(),
    ///     "scenario usage 1 baseline: must be 0 or more, got `-1`"
    /// );
    /// ```
    pub fn resolve(&self, matrix: &Matrix, term: &Term, locate: &dyn Locate) -> Result<Profile> {
        Ctx::new(matrix, locate).profile(self, term)
    }
}

impl Ctx<'_> {
    fn channel(&self, id: &str) -> Result<Channel> {
        if id.is_empty() || id == "direct" {
            return Ok(Channel::Direct);
        }
        if self.m.environment_index(id).is_none() {
            return Err(Error::Unknown {
                at: self.loc.origin(Field::Channel),
                what: "environment",
                value: id.into(),
            });
        }
        if self.m.marketplace(id).is_none() {
            return Err(self.invalid(
                Field::Channel,
                &format!("channel `{id}`"),
                format!(
                    "environment `{id}` has no marketplace fee schedule in matrix `{}`",
                    self.m.name
                ),
            ));
        }
        Ok(Channel::Marketplace(id.into()))
    }

    fn offers(&self, specs: &[OfferSpec]) -> Result<Vec<Offer>> {
        if specs.is_empty() {
            return Err(self.invalid(Field::Offers, "", "a deal needs at least one offer"));
        }
        if specs.len() > MAX_OFFERS {
            return Err(self.invalid(
                Field::Offers,
                "",
                format!("{} offers; give 1 to {MAX_OFFERS}", specs.len()),
            ));
        }
        let mut offers: Vec<Offer> = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            let offer = self.offer(i, spec)?;
            if offers.iter().any(|o| o.name == offer.name) {
                return Err(self.invalid(
                    Field::Offer(i, OfferField::Name),
                    "",
                    format!("two offers are named `{}`", offer.name),
                ));
            }
            offers.push(offer);
        }
        Ok(offers)
    }

    fn offer(&self, i: usize, o: &OfferSpec) -> Result<Offer> {
        let name = o.name.trim();
        let at = |f| Field::Offer(i, f);
        if name.is_empty() {
            return Err(self.invalid(at(OfferField::Name), "", "an offer needs a name"));
        }
        let ctx = format!("offer `{name}`");
        let price = |text: &str| -> Result<Option<Price>> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            let d = self.bounded(at(OfferField::OveragePrice), &ctx, text, Bound::NonNegative)?;
            Ok(Some(Price(d)))
        };
        let kind = match o.kind {
            KindSpec::PayAsYouGo => OfferKind::PayAsYouGo(PayAsYouGo {
                discount: Ratio(self.bounded(
                    at(OfferField::Discount),
                    &ctx,
                    &o.discount,
                    Bound::UnitOpen,
                )?),
            }),
            KindSpec::FixedCapacity => OfferKind::FixedCapacity(FixedCapacity {
                entitlements: self.entitlements(i, &ctx, &o.entitlements)?,
                monthly_fee: Money(self.bounded(
                    at(OfferField::MonthlyFee),
                    &ctx,
                    &o.monthly_fee,
                    Bound::NonNegative,
                )?),
                payment: o.payment,
                overage: OveragePolicy {
                    tolerance: Ratio(self.bounded(
                        at(OfferField::Tolerance),
                        &ctx,
                        &o.tolerance,
                        Bound::NonNegative,
                    )?),
                    grace_hours: self.whole(at(OfferField::GraceHours), &o.grace_hours)?,
                    price: price(&o.overage_price)?,
                },
            }),
            KindSpec::Commitment => OfferKind::Commitment(Commitment {
                units: Units(self.bounded(
                    at(OfferField::CommitUnits),
                    &ctx,
                    &o.commit_units,
                    Bound::Positive,
                )?),
                price: Price(self.bounded(
                    at(OfferField::CommitPrice),
                    &ctx,
                    &o.commit_price,
                    Bound::NonNegative,
                )?),
                payment: o.payment,
                overage_price: price(&o.overage_price)?,
            }),
        };
        Ok(Offer {
            name: name.into(),
            kind,
        })
    }

    fn entitlements(
        &self,
        i: usize,
        ctx: &str,
        specs: &[EntitlementSpec],
    ) -> Result<Vec<Entitlement>> {
        if specs.is_empty() {
            return Err(self.invalid(
                Field::Offer(i, OfferField::Entitlements),
                ctx,
                "at least one entitlement is required",
            ));
        }
        let mut out: Vec<Entitlement> = Vec::with_capacity(specs.len());
        for (k, e) in specs.iter().enumerate() {
            let at = |p| Field::Entitlement(i, k, p);
            let cell = self.cell(&e.cell, at, ctx)?;
            self.meter.set(cell.meter);
            if out.iter().any(|x| x.cell == cell) {
                return Err(self.invalid(
                    at(CellPart::Whole),
                    ctx,
                    format!("a second entitlement for cell {}", self.m.cell_name(cell)),
                ));
            }
            let q = self.bounded(at(CellPart::Quantity), ctx, &e.quantity, Bound::Positive)?;
            out.push(Entitlement {
                cell,
                quantity: Quantity(q),
            });
        }
        Ok(out)
    }

    fn usage(&self, spec: &DealSpec, term: &Term) -> Result<UsageSource> {
        match (&spec.usage_csv, spec.usage.cells.is_empty()) {
            (Some(_), false) => Err(self.invalid(
                Field::Usage,
                "",
                "usage comes from a CSV file or a profile, not both",
            )),
            (Some(path), true) => {
                if path.trim().is_empty() {
                    return Err(self.invalid(Field::Usage, "", "usage csv path must not be empty"));
                }
                Ok(UsageSource::Csv(path.clone()))
            }
            (None, true) => Ok(UsageSource::Zero),
            (None, false) => Ok(UsageSource::Profile(self.profile(&spec.usage, term)?)),
        }
    }

    fn profile(&self, spec: &UsageSpec, term: &Term) -> Result<Profile> {
        let seed = if spec.seed.trim().is_empty() {
            0
        } else {
            self.whole(Field::UsageSeed, &spec.seed)?
        };
        let mut cells: Vec<CellProfile> = Vec::with_capacity(spec.cells.len());
        for (i, c) in spec.cells.iter().enumerate() {
            let p = self.cell_profile(i, c, term)?;
            if cells.iter().any(|x| x.cell == p.cell) {
                return Err(self.invalid(
                    Field::UsageCell(i, CellPart::Whole),
                    "usage profile",
                    format!("cell {} is profiled twice", self.m.cell_name(p.cell)),
                ));
            }
            cells.push(p);
        }
        let profile = Profile { seed, cells };
        crate::profile::validate(&profile, term)?;
        Ok(profile)
    }

    fn cell_profile(&self, i: usize, c: &CellUsageSpec, term: &Term) -> Result<CellProfile> {
        let cell = self.cell(&c.cell, |p| Field::UsageCell(i, p), "usage profile")?;
        self.meter.set(cell.meter);
        let ctx = format!("usage profile {}", self.m.cell_name(cell));
        let value = |f, text: &str, bound| self.bounded(Field::UsageValue(i, f), &ctx, text, bound);
        let mut bursts = Vec::with_capacity(c.bursts.len());
        for (k, b) in c.bursts.iter().enumerate() {
            bursts.push(self.burst(i, k, b, term, &ctx)?);
        }
        Ok(CellProfile {
            cell,
            baseline: Quantity(value(
                UsageField::Baseline,
                &c.baseline,
                Bound::NonNegative,
            )?),
            monthly_growth: Ratio(value(
                UsageField::MonthlyGrowth,
                &c.monthly_growth,
                Bound::AboveMinusOne,
            )?),
            daily_amplitude: Ratio(value(
                UsageField::DailyAmplitude,
                &c.daily_amplitude,
                Bound::UnitClosed,
            )?),
            weekend_dip: Ratio(value(
                UsageField::WeekendDip,
                &c.weekend_dip,
                Bound::UnitClosed,
            )?),
            noise: Ratio(value(UsageField::Noise, &c.noise, Bound::UnitClosed)?),
            bursts,
        })
    }

    fn burst(&self, i: usize, k: usize, b: &BurstSpec, term: &Term, ctx: &str) -> Result<Burst> {
        let at = |f| Field::Burst(i, k, f);
        let (start, field) = match (b.start.trim(), b.after_hours.trim()) {
            (s, "") => {
                let start = Hour::parse_rfc3339(s).map_err(|source| Error::Time {
                    at: self.loc.origin(at(BurstField::Start)),
                    source,
                })?;
                (start, BurstField::Start)
            }
            ("", after) => {
                let hours: u32 = self.whole(at(BurstField::AfterHours), after)?;
                let start = Hour(term.start_hour().0.saturating_add(i64::from(hours)));
                (start, BurstField::AfterHours)
            }
            _ => {
                return Err(self.invalid(
                    at(BurstField::Whole),
                    ctx,
                    "a burst starts at `start` or `after_hours`, not both",
                ))
            }
        };
        if !term.contains(start) {
            return Err(self.invalid(
                at(field),
                ctx,
                format!(
                    "burst start {start} is outside the term {} to {}",
                    term.start_hour(),
                    term.end_hour()
                ),
            ));
        }
        let hours: u32 = self.whole(at(BurstField::Hours), &b.hours)?;
        if hours == 0 {
            return Err(self.invalid(
                at(BurstField::Hours),
                ctx,
                "burst hours must be at least 1, got `0`",
            ));
        }
        let level = self.bounded(at(BurstField::Level), ctx, &b.level, Bound::NonNegative)?;
        Ok(Burst {
            start,
            hours,
            level: Quantity(level),
        })
    }
}
