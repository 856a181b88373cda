//! The deal file walker: TOML text to a [`DealSpec`] and the byte offset of
//! every value ([`Field`] → offset), with the format's own rules.

use std::ops::Range;

use toml_edit::Item;

use crate::deal::{
    BurstField, BurstSpec, CellPart, CellUsageSpec, DealSpec, DimensionField, DimensionSpec,
    EntitlementSpec, Field, KindSpec, MatrixChoice, MeteringField, MeteringSpec, OfferField,
    OfferSpec, UsageField, UsageSpec, PROFILE_KEYS,
};
use crate::error::{Error, Origin, Result};
use crate::metering::IDENTIFIER_KEYS;
use crate::toml_tree::{Sp, Src, Table};
use crate::toml_util::check_input;

/// What an empty deal file should have held, for its error message.
const DEAL_KEYS: &str = "a deal: `name`, `matrix`, `[term]`, `[usage]` and `[[offers]]`";
const ROOT: &[&str] = &[
    "name", "matrix", "channel", "term", "usage", "offers", "metering",
];
const DIMENSION: &[&str] = &["name", "unit", "price", "cells"];
const CELL: &[&str] = &["meter", "environment", "use_case"];
const TERM: &[&str] = &["start", "months"];
const USAGE: &[&str] = &["csv", "profile"];
const PROFILE: &[&str] = &["seed", "cells"];
const BURST: &[&str] = &["start", "after_hours", "hours", "level"];
const OFFER: &[&str] = &[
    "name",
    "kind",
    "discount",
    "monthly_fee",
    "tolerance",
    "grace_hours",
    "entitlements",
    "units",
    "commit_price",
    "payment",
    "overage_price",
];
const ENTITLEMENT: &[&str] = &["meter", "environment", "use_case", "quantity"];

/// The walk's state: the source and the spans found so far.
struct Walk<'a> {
    src: Src<'a>,
    spans: Vec<(Field, usize)>,
}

impl<'a> Walk<'a> {
    fn note(&mut self, field: Field, span: Range<usize>) {
        self.spans.push((field, span.start));
    }

    /// A string value, noted at `field`.
    fn string(&mut self, item: &Item, field: Field) -> Result<String> {
        let v = self.src.string(item)?;
        self.note(field, v.span());
        Ok(v.get_ref().clone())
    }

    /// A decimal string, kept as written, noted at `field`.
    fn decimal(&mut self, item: &Item, field: Field) -> Result<String> {
        let v = self.src.decimal_text(item)?;
        self.note(field, v.span());
        Ok(v.get_ref().clone())
    }

    /// A whole number under `key`, as its text, noted at `field`.
    fn whole(&mut self, key: &str, item: &Item, field: Field) -> Result<String> {
        let v = self.src.whole(key, item)?;
        self.note(field, v.span());
        Ok(v.get_ref().clone())
    }

    /// An optional decimal under `key` into `slot`.
    fn opt_decimal(
        &mut self,
        t: &Table<'_>,
        key: &str,
        field: Field,
        slot: &mut String,
    ) -> Result<()> {
        if let Some(item) = t.get(key) {
            *slot = self.decimal(item, field)?;
        }
        Ok(())
    }

    /// A cell given as `meter`, `environment` and `use_case` keys, as
    /// `meter/environment/use_case`; each name noted at its own part.
    fn cell(&mut self, t: &Table<'_>, at: impl Fn(CellPart) -> Field) -> Result<String> {
        let parts = [
            ("meter", CellPart::Meter),
            ("environment", CellPart::Environment),
            ("use_case", CellPart::UseCase),
        ];
        let mut names = Vec::with_capacity(3);
        for (key, part) in parts {
            let item = t.require(key)?;
            let name = self.string(item, at(part))?;
            if name.contains('/') {
                let v = self.src.string(item)?;
                return Err(Error::Unknown {
                    at: Origin::from_offset(self.src.file, self.src.text, v.span().start),
                    what: match part {
                        CellPart::Meter => "meter",
                        CellPart::Environment => "environment",
                        _ => "use case",
                    },
                    value: name,
                });
            }
            names.push(name);
        }
        self.note(at(CellPart::Whole), t.span());
        Ok(names.join("/"))
    }
}

/// A deal file as read: the deal, its metering plan and the offsets of
/// their values.
pub(super) type Read = (DealSpec, Option<MeteringSpec>, Vec<(Field, usize)>);

/// Reads a deal file into its spec and the offsets of its values; the
/// `[metering]` plan is walked only `with_metering` (the browser, which
/// carries no plan, leaves it out, and with it the plan's reading code).
pub(super) fn deal(text: &str, file: &str, with_metering: bool) -> Result<Read> {
    check_input(text, file, DEAL_KEYS)?;
    let src = Src { file, text };
    let doc = src.parse()?;
    let root = src.root(&doc, ROOT)?;
    let mut w = Walk {
        src,
        spans: Vec::new(),
    };

    let name_item = root.require("name")?;
    let name = w.src.string(name_item)?;
    if name.get_ref().trim().is_empty() {
        return Err(src.error(Some(name.span()), "the deal name must not be empty".into()));
    }
    w.note(Field::Name, name.span());
    let matrix = w.string(root.require("matrix")?, Field::Matrix)?;
    let channel = match root.get("channel") {
        Some(item) => w.string(item, Field::Channel)?,
        None => "direct".into(),
    };
    let term = src.table(root.require("term")?, TERM)?;
    let term_start = {
        let v = src.date(term.require("start")?)?;
        w.note(Field::TermStart, v.span());
        v.get_ref().0.clone()
    };
    let term_months = w.whole("months", term.require("months")?, Field::TermMonths)?;

    let (usage, usage_csv) = match root.get("usage") {
        None => (UsageSpec::default(), None),
        Some(item) => usage(&mut w, item)?,
    };

    let mut offers = Vec::new();
    if let Some(item) = root.get("offers") {
        let list = src.tables(item, OFFER)?;
        w.note(Field::Offers, list.span());
        for (i, t) in list.get_ref().iter().enumerate() {
            offers.push(offer(&mut w, i, t)?);
        }
    }

    let metering = match root.get("metering") {
        Some(item) if with_metering => Some(metering(&mut w, item)?),
        Some(item) => {
            src.map(item)?;
            None
        }
        None => None,
    };

    let spec = DealSpec {
        name: name.get_ref().clone(),
        matrix: MatrixChoice::File(matrix),
        term_start,
        term_months,
        channel,
        offers,
        usage,
        usage_csv,
    };
    Ok((spec, metering, w.spans))
}

fn metering(w: &mut Walk<'_>, item: &Item) -> Result<MeteringSpec> {
    let src = w.src;
    // `offer`, every marketplace's identifiers, and `dimensions`.
    let keys: Vec<&str> = ["offer"]
        .into_iter()
        .chain(crate::metering::IDENTIFIER_KEYS)
        .chain(["dimensions"])
        .collect();
    let t = src.table(item, &keys)?;
    w.note(Field::Metering(MeteringField::Whole), t.span());
    let mut m = MeteringSpec::default();
    if let Some(o) = t.get("offer") {
        m.offer = w.string(o, Field::Metering(MeteringField::Offer))?;
    }
    for (key, value) in t.entries().filter(|(k, _)| IDENTIFIER_KEYS.contains(k)) {
        let at = Field::Metering(MeteringField::Identifier(m.identifiers.len()));
        let v = w.string(value, at)?;
        m.identifiers.push((key.to_string(), v));
    }
    if let Some(list) = t.get("dimensions") {
        let list = src.tables(list, DIMENSION)?;
        for (i, d) in list.get_ref().iter().enumerate() {
            let at = |f| Field::Metering(MeteringField::Dimension(i, f));
            w.note(at(DimensionField::Whole), d.span());
            let mut dim = DimensionSpec {
                name: w.string(d.require("name")?, at(DimensionField::Name))?,
                unit: w.string(d.require("unit")?, at(DimensionField::Unit))?,
                price: w.decimal(d.require("price")?, at(DimensionField::Price))?,
                cells: Vec::new(),
            };
            let cells = src.tables(d.require("cells")?, CELL)?;
            for (k, c) in cells.get_ref().iter().enumerate() {
                dim.cells
                    .push(w.cell(c, |p| at(DimensionField::Cell(k, p)))?);
            }
            m.dimensions.push(dim);
        }
    }
    Ok(m)
}

fn usage(w: &mut Walk<'_>, item: &Item) -> Result<(UsageSpec, Option<String>)> {
    let src = w.src;
    let t = src.table(item, USAGE)?;
    match (t.get("csv"), t.get("profile")) {
        (Some(csv), None) => {
            let path = w.string(csv, Field::Usage)?;
            Ok((UsageSpec::default(), Some(path)))
        }
        (None, Some(p)) => Ok((profile(w, p)?, None)),
        (Some(csv), Some(_)) => Err(src.error(
            csv.span(),
            "[usage] takes either `csv` or a [usage.profile], not both".into(),
        )),
        (None, None) => {
            let at = src
                .text
                .find("\n[usage]")
                .map_or(0, |i| i.saturating_add(1));
            Err(Error::Invalid {
                at: Origin::from_offset(src.file, src.text, at),
                message: "[usage] needs either `csv = \"file.csv\"` or a [usage.profile]".into(),
            })
        }
    }
}

fn profile(w: &mut Walk<'_>, item: &Item) -> Result<UsageSpec> {
    let src = w.src;
    let p = src.table(item, PROFILE)?;
    let seed = match p.get("seed") {
        Some(s) => w.whole("seed", s, Field::UsageSeed)?,
        None => "0".into(),
    };
    let keys: Vec<&str> = ["meter", "environment", "use_case"]
        .into_iter()
        .chain(PROFILE_KEYS)
        .collect();
    let list = src.tables(p.require("cells")?, &keys)?;
    if list.get_ref().is_empty() {
        return Err(Error::Invalid {
            at: Origin::from_offset(src.file, src.text, list.span().start),
            message: "a usage profile needs at least one [[usage.profile.cells]] entry".into(),
        });
    }
    let mut cells = Vec::with_capacity(list.get_ref().len());
    for (i, t) in list.get_ref().iter().enumerate() {
        cells.push(cell_usage(w, i, t)?);
    }
    Ok(UsageSpec { seed, cells })
}

fn cell_usage(w: &mut Walk<'_>, i: usize, t: &Table<'_>) -> Result<CellUsageSpec> {
    let cell = w.cell(t, |p| Field::UsageCell(i, p))?;
    let baseline = w.decimal(
        t.require("baseline")?,
        Field::UsageValue(i, UsageField::Baseline),
    )?;
    let mut c = CellUsageSpec {
        cell,
        baseline,
        ..CellUsageSpec::default()
    };
    let at = |f| Field::UsageValue(i, f);
    w.opt_decimal(
        t,
        "monthly_growth",
        at(UsageField::MonthlyGrowth),
        &mut c.monthly_growth,
    )?;
    w.opt_decimal(
        t,
        "daily_amplitude",
        at(UsageField::DailyAmplitude),
        &mut c.daily_amplitude,
    )?;
    w.opt_decimal(
        t,
        "weekend_dip",
        at(UsageField::WeekendDip),
        &mut c.weekend_dip,
    )?;
    w.opt_decimal(t, "noise", at(UsageField::Noise), &mut c.noise)?;
    if let Some(item) = t.get("bursts") {
        let list = w.src.tables(item, BURST)?;
        for (k, b) in list.get_ref().iter().enumerate() {
            c.bursts.push(burst(w, i, k, b)?);
        }
    }
    Ok(c)
}

fn burst(w: &mut Walk<'_>, i: usize, k: usize, t: &Table<'_>) -> Result<BurstSpec> {
    let at = |f| Field::Burst(i, k, f);
    w.note(at(BurstField::Whole), t.span());
    let mut b = BurstSpec::default();
    match (t.get("start"), t.get("after_hours")) {
        (Some(s), None) => b.start = w.string(s, at(BurstField::Start))?,
        (None, Some(a)) => b.after_hours = w.whole("after_hours", a, at(BurstField::AfterHours))?,
        (Some(_), Some(a)) => {
            return Err(w.src.error(
                a.span(),
                "a burst starts at `start` or `after_hours`, not both".into(),
            ))
        }
        (None, None) => {
            return Err(w.src.error(
                Some(t.span()),
                "a burst needs `start = \"2026-03-10T00:00:00Z\"` or `after_hours = 72`".into(),
            ))
        }
    }
    b.hours = w.whole("hours", t.require("hours")?, at(BurstField::Hours))?;
    b.level = w.decimal(t.require("level")?, at(BurstField::Level))?;
    Ok(b)
}

/// Which optional keys each kind takes.
fn allowed(kind: KindSpec) -> &'static [&'static str] {
    match kind {
        KindSpec::PayAsYouGo => &["discount"],
        KindSpec::FixedCapacity => &[
            "monthly_fee",
            "tolerance",
            "grace_hours",
            "entitlements",
            "payment",
            "overage_price",
        ],
        KindSpec::Commitment => &["units", "commit_price", "payment", "overage_price"],
    }
}

/// Which keys each kind needs.
fn required(kind: KindSpec) -> &'static [&'static str] {
    match kind {
        KindSpec::PayAsYouGo => &[],
        KindSpec::FixedCapacity => &["monthly_fee", "entitlements"],
        KindSpec::Commitment => &["units", "commit_price"],
    }
}

fn offer(w: &mut Walk<'_>, i: usize, t: &Table<'_>) -> Result<OfferSpec> {
    let src = w.src;
    let at = |f| Field::Offer(i, f);
    w.note(at(OfferField::Whole), t.span());
    let name = w.string(t.require("name")?, at(OfferField::Name))?;
    let kind_item = t.require("kind")?;
    let kind_text: Sp<String> = src.string(kind_item)?;
    let label = name.clone();
    let invalid = |span: Range<usize>, message: String| Error::Invalid {
        at: Origin::from_offset(src.file, src.text, span.start),
        message: format!("offer `{label}`: {message}"),
    };
    let kind: KindSpec = kind_text
        .get_ref()
        .parse()
        .map_err(|m| invalid(kind_text.span(), m))?;
    w.note(at(OfferField::Kind), kind_text.span());
    // A key of another kind, at the first one written.
    let stray = t
        .entries()
        .filter(|(k, _)| !["name", "kind"].contains(k) && !allowed(kind).contains(k))
        .map(|(k, item)| (k, item.span().unwrap_or(0..0)))
        .min_by_key(|(_, s)| s.start);
    if let Some((k, span)) = stray {
        return Err(invalid(
            span,
            format!("`{k}` does not apply to a {} offer", kind.as_str()),
        ));
    }
    if let Some(k) = required(kind).iter().find(|k| t.get(k).is_none()) {
        return Err(invalid(
            t.span(),
            format!("a {} offer needs `{k}`", kind.as_str()),
        ));
    }
    let mut o = OfferSpec {
        name,
        kind,
        ..OfferSpec::default()
    };
    w.opt_decimal(t, "discount", at(OfferField::Discount), &mut o.discount)?;
    w.opt_decimal(
        t,
        "monthly_fee",
        at(OfferField::MonthlyFee),
        &mut o.monthly_fee,
    )?;
    w.opt_decimal(t, "tolerance", at(OfferField::Tolerance), &mut o.tolerance)?;
    if let Some(g) = t.get("grace_hours") {
        o.grace_hours = w.whole("grace_hours", g, at(OfferField::GraceHours))?;
    }
    w.opt_decimal(t, "units", at(OfferField::CommitUnits), &mut o.commit_units)?;
    w.opt_decimal(
        t,
        "commit_price",
        at(OfferField::CommitPrice),
        &mut o.commit_price,
    )?;
    w.opt_decimal(
        t,
        "overage_price",
        at(OfferField::OveragePrice),
        &mut o.overage_price,
    )?;
    if let Some(p) = t.get("payment") {
        let v = src.string(p)?;
        o.payment = v.get_ref().parse().map_err(|m| invalid(v.span(), m))?;
        w.note(at(OfferField::Payment), v.span());
    }
    if let Some(item) = t.get("entitlements") {
        let list = src.tables(item, ENTITLEMENT)?;
        w.note(at(OfferField::Entitlements), list.span());
        for (k, e) in list.get_ref().iter().enumerate() {
            let cell = w.cell(e, |p| Field::Entitlement(i, k, p))?;
            let quantity = w.decimal(
                e.require("quantity")?,
                Field::Entitlement(i, k, CellPart::Quantity),
            )?;
            o.entitlements.push(EntitlementSpec { cell, quantity });
        }
    }
    Ok(o)
}
