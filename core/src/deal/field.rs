//! Where a deal's errors point. The resolver names the [`Field`] at fault;
//! a [`Locate`] turns it into an [`Origin`]. Deal files point at the value's
//! line and column ([`crate::deal_toml::DealFile`]); share links, saved
//! scenarios and the browser's form name the field ([`FieldLabels`], e.g.
//! `scenario offer 1 monthly fee`). When the origin already names the
//! field, messages leave out the context they would otherwise carry
//! (`offer `X`: monthly_fee`).

use std::cell::Cell;

use crate::error::Origin;

/// A field of a [`super::DealSpec`], for locating errors. Indices are 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The deal's name.
    Name,
    /// The matrix reference.
    Matrix,
    /// Term start.
    TermStart,
    /// Term length in months.
    TermMonths,
    /// Channel.
    Channel,
    /// The list of offers.
    Offers,
    /// A field of offer `0`.
    Offer(usize, OfferField),
    /// Entitlement `1` of offer `0`.
    Entitlement(usize, usize, CellPart),
    /// Where the usage comes from (CSV or profile).
    Usage,
    /// The usage profile's seed.
    UsageSeed,
    /// A field of the usage profile's cell `0`.
    UsageCell(usize, CellPart),
    /// A ratio or baseline of the usage profile's cell `0`.
    UsageValue(usize, UsageField),
    /// Burst `1` of the usage profile's cell `0`.
    Burst(usize, usize, BurstField),
    /// A part of the metering plan (deal files only).
    Metering(MeteringField),
}

/// A part of a deal's metering plan (`[metering]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeteringField {
    /// The plan as a whole (its `[metering]` header).
    Whole,
    /// The metered offer's name.
    Offer,
    /// Identifier `0` as written (product code, plan id, …).
    Identifier(usize),
    /// A field of dimension `0`.
    Dimension(usize, DimensionField),
}

/// A field of a metering dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DimensionField {
    /// The dimension as a whole.
    Whole,
    /// Its name.
    Name,
    /// Its unit.
    Unit,
    /// Its listed price.
    Price,
    /// Part `1` of its cell `0`.
    Cell(usize, CellPart),
}

/// A field of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferField {
    /// The offer as a whole.
    Whole,
    /// Name.
    Name,
    /// Kind.
    Kind,
    /// Pay-as-you-go discount.
    Discount,
    /// The list of entitlements.
    Entitlements,
    /// Monthly fee.
    MonthlyFee,
    /// Payment schedule.
    Payment,
    /// Tolerance band.
    Tolerance,
    /// Grace hours.
    GraceHours,
    /// Overage price.
    OveragePrice,
    /// Committed units.
    CommitUnits,
    /// Commit price.
    CommitPrice,
}

/// A part of a cell reference with a quantity (an entitlement or a usage
/// profile's cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellPart {
    /// The whole entry.
    Whole,
    /// The meter's name.
    Meter,
    /// The environment's name.
    Environment,
    /// The use case's name.
    UseCase,
    /// The entitled quantity.
    Quantity,
}

/// A value of a usage profile's cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageField {
    /// Baseline.
    Baseline,
    /// Monthly growth.
    MonthlyGrowth,
    /// Daily amplitude.
    DailyAmplitude,
    /// Weekend dip.
    WeekendDip,
    /// Noise.
    Noise,
}

/// A field of a burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BurstField {
    /// The burst as a whole.
    Whole,
    /// Start timestamp.
    Start,
    /// Start as hours after the term's start.
    AfterHours,
    /// Length in hours.
    Hours,
    /// Level.
    Level,
}

impl Field {
    /// How messages about deal files name a value (its key, with a word of
    /// context where the key alone is ambiguous): `monthly_fee`,
    /// `entitlement quantity`, `burst level`.
    pub fn what(self) -> &'static str {
        match self {
            Field::Offer(_, f) => match f {
                OfferField::Whole => "offer",
                OfferField::Name => "name",
                OfferField::Kind => "kind",
                OfferField::Discount => "discount",
                OfferField::Entitlements => "entitlements",
                OfferField::MonthlyFee => "monthly_fee",
                OfferField::Payment => "payment",
                OfferField::Tolerance => "tolerance",
                OfferField::GraceHours => "grace_hours",
                OfferField::OveragePrice => "overage_price",
                OfferField::CommitUnits => "units",
                OfferField::CommitPrice => "commit_price",
            },
            Field::Entitlement(..) => "entitlement quantity",
            Field::UsageValue(_, f) => match f {
                UsageField::Baseline => "baseline",
                UsageField::MonthlyGrowth => "monthly_growth",
                UsageField::DailyAmplitude => "daily_amplitude",
                UsageField::WeekendDip => "weekend_dip",
                UsageField::Noise => "noise",
            },
            Field::Burst(..) => "burst level",
            Field::Metering(MeteringField::Dimension(_, DimensionField::Price)) => "price",
            _ => "value",
        }
    }
}

/// Turns the field at fault into where the error points.
pub trait Locate {
    /// Where `field` was written.
    fn origin(&self, field: Field) -> Origin;
    /// True when [`Locate::origin`] names the field in words (so messages
    /// need not repeat it).
    fn names_fields(&self) -> bool;
}

/// Locates fields by name, for deals without a text position: share links,
/// saved scenarios and the browser's form (`scenario offer 1 monthly fee`).
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldLabels;

impl FieldLabels {
    /// The words for a field, e.g. `offer 1 monthly fee`.
    ///
    /// ```
    /// use unitcalc_core::deal::{Field, FieldLabels, OfferField};
    /// assert_eq!(FieldLabels::label(Field::Offer(0, OfferField::MonthlyFee)), "offer 1 monthly fee");
    /// ```
    pub fn label(field: Field) -> String {
        let n = |i: usize| i.saturating_add(1);
        match field {
            Field::Name => "name".into(),
            Field::Matrix => "matrix".into(),
            Field::TermStart => "term start".into(),
            Field::TermMonths => "term months".into(),
            Field::Channel => "channel".into(),
            Field::Offers => "offers".into(),
            Field::Offer(i, f) => {
                let what = match f {
                    OfferField::Whole => return format!("offer {}", n(i)),
                    OfferField::Name => "name",
                    OfferField::Kind => "kind",
                    OfferField::Discount => "discount",
                    OfferField::Entitlements => "entitlements",
                    OfferField::MonthlyFee => "monthly fee",
                    OfferField::Payment => "payment",
                    OfferField::Tolerance => "tolerance band",
                    OfferField::GraceHours => "grace hours",
                    OfferField::OveragePrice => "overage price",
                    OfferField::CommitUnits => "committed units",
                    OfferField::CommitPrice => "commit price",
                };
                format!("offer {} {what}", n(i))
            }
            Field::Entitlement(i, k, _) => format!("offer {} entitlement {}", n(i), n(k)),
            Field::Usage => "usage".into(),
            Field::UsageSeed => "usage seed".into(),
            Field::UsageCell(i, _) => format!("usage {} cell", n(i)),
            Field::UsageValue(i, f) => {
                let what = match f {
                    UsageField::Baseline => "baseline",
                    UsageField::MonthlyGrowth => "monthly growth",
                    UsageField::DailyAmplitude => "daily amplitude",
                    UsageField::WeekendDip => "weekend dip",
                    UsageField::Noise => "noise",
                };
                format!("usage {} {what}", n(i))
            }
            Field::Burst(i, k, f) => {
                let what = match f {
                    BurstField::Whole => return format!("usage {} burst {}", n(i), n(k)),
                    BurstField::Start => "start",
                    BurstField::AfterHours => "after hours",
                    BurstField::Hours => "hours",
                    BurstField::Level => "level",
                };
                format!("usage {} burst {} {what}", n(i), n(k))
            }
            Field::Metering(f) => match f {
                MeteringField::Whole => "metering".into(),
                MeteringField::Offer => "metering offer".into(),
                MeteringField::Identifier(i) => format!("metering identifier {}", n(i)),
                MeteringField::Dimension(i, f) => {
                    let what = match f {
                        DimensionField::Whole => return format!("metering dimension {}", n(i)),
                        DimensionField::Name => "name",
                        DimensionField::Unit => "unit",
                        DimensionField::Price => "price",
                        DimensionField::Cell(..) => "cell",
                    };
                    format!("metering dimension {} {what}", n(i))
                }
            },
        }
    }
}

impl Locate for FieldLabels {
    fn origin(&self, field: Field) -> Origin {
        Origin::file(format!("scenario {}", FieldLabels::label(field)))
    }
    fn names_fields(&self) -> bool {
        true
    }
}

/// [`FieldLabels`] that also keeps the field of the error it located, so a
/// form can mark the input at fault: see [`super::DealSpec::resolve_field`].
/// The resolver asks for an origin only when it makes an error, so the
/// field kept is the one at fault.
#[derive(Debug, Default)]
pub(crate) struct FieldRecorder(Cell<Option<Field>>);

impl FieldRecorder {
    /// The field of the last error located, if any.
    pub(crate) fn field(&self) -> Option<Field> {
        self.0.get()
    }
}

impl Locate for FieldRecorder {
    fn origin(&self, field: Field) -> Origin {
        self.0.set(Some(field));
        FieldLabels.origin(field)
    }
    fn names_fields(&self) -> bool {
        true
    }
}
