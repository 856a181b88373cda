//! Deal TOML: parsing against a matrix, and writing. Format: `docs/deal-format.md`.

use std::fmt::Write as _;
use std::ops::Range;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::deal::{Deal, UsageSource};
use crate::error::{Error, Result};
use crate::matrix::{CellId, Matrix};
use crate::num::{Money, Price, Quantity, Ratio, Units};
use crate::offer::{
    Channel, Commitment, DealTerms, Entitlement, FixedCapacity, Offer, OfferKind, OveragePolicy,
    PayAsYouGo, Payment,
};
use crate::profile::{Burst, CellProfile, Profile};
use crate::time::{Date, Hour, Term};
use crate::toml_util::{check_input, quote, toml_error, DateStr, Dec, Locator, Spanned};

/// What an empty deal file should have held, for its error message.
const DEAL_KEYS: &str = "a deal: `name`, `matrix`, `[term]`, `[usage]` and `[[offers]]`";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeal {
    name: Spanned<String>,
    matrix: Spanned<String>,
    channel: Option<Spanned<String>>,
    term: RawTerm,
    usage: RawUsage,
    offers: Option<Spanned<Vec<Spanned<RawOffer>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    start: Spanned<DateStr>,
    months: Spanned<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUsage {
    csv: Option<Spanned<String>>,
    profile: Option<RawProfile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    #[serde(default)]
    seed: u64,
    cells: Spanned<Vec<Spanned<RawCellProfile>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCellProfile {
    meter: Spanned<String>,
    environment: Spanned<String>,
    use_case: Spanned<String>,
    baseline: Spanned<Dec>,
    monthly_growth: Option<Spanned<Dec>>,
    daily_amplitude: Option<Spanned<Dec>>,
    weekend_dip: Option<Spanned<Dec>>,
    noise: Option<Spanned<Dec>>,
    #[serde(default)]
    bursts: Vec<Spanned<RawBurst>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBurst {
    start: Spanned<String>,
    hours: Spanned<u32>,
    level: Spanned<Dec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    name: Spanned<String>,
    kind: Spanned<String>,
    // pay-as-you-go
    discount: Option<Spanned<Dec>>,
    // fixed-capacity
    monthly_fee: Option<Spanned<Dec>>,
    tolerance: Option<Spanned<Dec>>,
    grace_hours: Option<Spanned<u32>>,
    entitlements: Option<Spanned<Vec<Spanned<RawEntitlement>>>>,
    // commitment
    units: Option<Spanned<Dec>>,
    commit_price: Option<Spanned<Dec>>,
    // fixed-capacity and commitment
    payment: Option<Spanned<String>>,
    overage_price: Option<Spanned<Dec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntitlement {
    meter: Spanned<String>,
    environment: Spanned<String>,
    use_case: Spanned<String>,
    quantity: Spanned<Dec>,
}

#[derive(Deserialize)]
struct RawRef {
    matrix: String,
}

/// The matrix reference of a deal file (the `matrix` key), to load it first.
///
/// ```
/// use unitcalc_core::deal_toml::matrix_ref;
/// let src = "name = \"Acme\"\nmatrix = \"../../matrices/spec-m.toml\"\n";
/// assert_eq!(matrix_ref(src, "acme.toml").unwrap(), "../../matrices/spec-m.toml");
/// assert_eq!(matrix_ref("name = \"Acme\"", "acme.toml").unwrap_err().to_string(), "acme.toml:1:1: missing field `matrix`");
/// ```
pub fn matrix_ref(src: &str, file: &str) -> Result<String> {
    check_input(src, file, DEAL_KEYS)?;
    let raw: RawRef = toml::from_str(src).map_err(|e| toml_error(&e, file, src))?;
    Ok(raw.matrix)
}

/// Ratio bounds for a decimal field.
#[derive(Clone, Copy)]
enum Bound {
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

fn bounded(loc: &Locator<'_>, what: &str, v: &Spanned<Dec>, b: Bound) -> Result<Decimal> {
    let d = v.get_ref().0;
    let (ok, rule) = match b {
        Bound::NonNegative => (d >= Decimal::ZERO, "must be 0 or more"),
        Bound::Positive => (d > Decimal::ZERO, "must be greater than 0"),
        Bound::UnitOpen => (d >= Decimal::ZERO && d < Decimal::ONE, "must be in [0, 1)"),
        Bound::UnitClosed => (d >= Decimal::ZERO && d <= Decimal::ONE, "must be in [0, 1]"),
        Bound::AboveMinusOne => (d > Decimal::NEGATIVE_ONE, "must be greater than -1"),
    };
    if ok {
        Ok(d)
    } else {
        Err(loc.invalid(v.span(), format!("{what} {rule}, got `{d}`")))
    }
}

fn opt_bounded(
    loc: &Locator<'_>,
    what: &str,
    v: &Option<Spanned<Dec>>,
    b: Bound,
) -> Result<Option<Decimal>> {
    v.as_ref().map(|v| bounded(loc, what, v, b)).transpose()
}

/// Resolves a cell by names, pointing an unknown name at its own span, and
/// refuses a not-offered cell.
fn resolve_cell(
    loc: &Locator<'_>,
    m: &Matrix,
    meter: &Spanned<String>,
    env: &Spanned<String>,
    uc: &Spanned<String>,
    whole: Range<usize>,
    context: &str,
) -> Result<CellId> {
    let mi = m
        .meter_index(meter.get_ref())
        .ok_or_else(|| loc.unknown(meter.span(), "meter", meter.get_ref()))?;
    let ei = m
        .environment_index(env.get_ref())
        .ok_or_else(|| loc.unknown(env.span(), "environment", env.get_ref()))?;
    let ui = m
        .use_case_index(uc.get_ref())
        .ok_or_else(|| loc.unknown(uc.span(), "use case", uc.get_ref()))?;
    let cell = CellId {
        meter: mi,
        environment: ei,
        use_case: ui,
    };
    if m.cell_rate(cell).is_none() {
        return Err(loc.invalid(
            whole,
            format!(
                "{context}: cell {} is not offered in matrix `{}`",
                m.cell_name(cell),
                m.name
            ),
        ));
    }
    Ok(cell)
}

fn payment(loc: &Locator<'_>, offer: &str, p: &Option<Spanned<String>>) -> Result<Payment> {
    match p {
        None => Ok(Payment::Monthly),
        Some(s) => match s.get_ref().as_str() {
            "monthly" => Ok(Payment::Monthly),
            "upfront" => Ok(Payment::Upfront),
            other => Err(loc.invalid(
                s.span(),
                format!("offer `{offer}`: unknown payment `{other}` (expected \"monthly\" or \"upfront\")"),
            )),
        },
    }
}

/// Parses a deal and resolves its cells against `matrix`.
///
/// ```
/// use unitcalc_core::deal_toml::parse_deal;
/// use unitcalc_core::matrix_toml::parse_matrix;
/// use unitcalc_core::offer::OfferKind;
/// let m = parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let src = r#"
/// name = "Acme"
/// matrix = "spec-m.toml"
/// [term]
/// start = "2026-03-01"
/// months = 12
/// [usage]
/// csv = "acme.csv"
/// [[offers]]
/// name = "PAYG 20% off"
/// kind = "pay-as-you-go"
/// discount = "0.20"
/// "#;
/// let deal = parse_deal(src, "acme.toml", &m).unwrap();
/// assert!(matches!(&deal.offers[0].kind, OfferKind::PayAsYouGo(p) if p.discount.to_string() == "0.20"));
///
/// let bad = src.replace("discount = \"0.20\"", "discount = \"0.20\"\nmonthly_fee = \"1\"");
/// assert_eq!(
///     parse_deal(&bad, "acme.toml", &m).unwrap_err().to_string(),
///     "acme.toml:13:15: offer `PAYG 20% off`: `monthly_fee` does not apply to a pay-as-you-go offer"
/// );
/// ```
pub fn parse_deal(src: &str, file: &str, matrix: &Matrix) -> Result<Deal> {
    check_input(src, file, DEAL_KEYS)?;
    let raw: RawDeal = toml::from_str(src).map_err(|e| toml_error(&e, file, src))?;
    let loc = Locator { file, src };

    if raw.name.get_ref().trim().is_empty() {
        return Err(loc.invalid(raw.name.span(), "the deal name must not be empty"));
    }

    // Term.
    let start = Date::parse(&raw.term.start.get_ref().0).map_err(|source| Error::Time {
        at: loc.at(raw.term.start.span()),
        source,
    })?;
    let term = Term::new(start, *raw.term.months.get_ref()).map_err(|source| Error::Time {
        at: loc.at(raw.term.months.span()),
        source,
    })?;

    // Channel.
    let channel = match &raw.channel {
        None => Channel::Direct,
        Some(c) if c.get_ref() == "direct" => Channel::Direct,
        Some(c) => {
            let id = c.get_ref();
            if matrix.environment_index(id).is_none() {
                return Err(loc.unknown(c.span(), "environment", id));
            }
            if matrix.marketplace(id).is_none() {
                return Err(loc.invalid(
                    c.span(),
                    format!("channel `{id}`: environment `{id}` has no marketplace fee schedule in matrix `{}`", matrix.name),
                ));
            }
            Channel::Marketplace(id.clone())
        }
    };

    // Usage.
    let usage = match (&raw.usage.csv, &raw.usage.profile) {
        (Some(csv), None) => {
            if csv.get_ref().trim().is_empty() {
                return Err(loc.invalid(csv.span(), "usage csv path must not be empty"));
            }
            UsageSource::Csv(csv.get_ref().clone())
        }
        (None, Some(p)) => UsageSource::Profile(profile(&loc, matrix, &term, p)?),
        (Some(csv), Some(_)) => {
            return Err(loc.invalid(
                csv.span(),
                "[usage] takes either `csv` or a [usage.profile], not both",
            ))
        }
        (None, None) => {
            let at = src.find("\n[usage]").map_or(0, |i| i.saturating_add(1));
            return Err(loc.invalid(
                at..at,
                "[usage] needs either `csv = \"file.csv\"` or a [usage.profile]",
            ));
        }
    };

    // Offers.
    let Some(raw_offers) = &raw.offers else {
        return Err(Error::Invalid {
            at: crate::error::Origin::file(file),
            message: "a deal needs at least one [[offers]] entry".into(),
        });
    };
    if raw_offers.get_ref().is_empty() {
        return Err(loc.invalid(
            raw_offers.span(),
            "a deal needs at least one [[offers]] entry",
        ));
    }
    let mut offers: Vec<Offer> = Vec::with_capacity(raw_offers.get_ref().len());
    for o in raw_offers.get_ref() {
        let offer = offer(&loc, matrix, o)?;
        if offers.iter().any(|x| x.name == offer.name) {
            return Err(loc.invalid(
                o.get_ref().name.span(),
                format!("duplicate offer name `{}`", offer.name),
            ));
        }
        offers.push(offer);
    }

    Ok(Deal {
        name: raw.name.get_ref().clone(),
        matrix: raw.matrix.get_ref().clone(),
        terms: DealTerms { term, channel },
        usage,
        offers,
    })
}

fn profile(loc: &Locator<'_>, m: &Matrix, term: &Term, p: &RawProfile) -> Result<Profile> {
    if p.cells.get_ref().is_empty() {
        return Err(loc.invalid(
            p.cells.span(),
            "a usage profile needs at least one [[usage.profile.cells]] entry",
        ));
    }
    let mut cells: Vec<CellProfile> = Vec::with_capacity(p.cells.get_ref().len());
    for c in p.cells.get_ref() {
        let r = c.get_ref();
        let cell = resolve_cell(
            loc,
            m,
            &r.meter,
            &r.environment,
            &r.use_case,
            c.span(),
            "usage profile",
        )?;
        if cells.iter().any(|x| x.cell == cell) {
            return Err(loc.invalid(
                c.span(),
                format!(
                    "usage profile: cell {} is profiled twice",
                    m.cell_name(cell)
                ),
            ));
        }
        let name = m.cell_name(cell);
        let ctx = |what: &str| format!("usage profile {name}: {what}");
        let mut bursts = Vec::with_capacity(r.bursts.len());
        for b in &r.bursts {
            let rb = b.get_ref();
            let start = Hour::parse_rfc3339(rb.start.get_ref()).map_err(|source| Error::Time {
                at: loc.at(rb.start.span()),
                source,
            })?;
            if !term.contains(start) {
                return Err(loc.invalid(
                    rb.start.span(),
                    ctx(&format!(
                        "burst start {} is outside the term {} to {}",
                        rb.start.get_ref(),
                        term.start_hour(),
                        term.end_hour()
                    )),
                ));
            }
            if *rb.hours.get_ref() == 0 {
                return Err(loc.invalid(
                    rb.hours.span(),
                    ctx("burst hours must be at least 1, got `0`"),
                ));
            }
            let level = bounded(loc, &ctx("burst level"), &rb.level, Bound::NonNegative)?;
            bursts.push(Burst {
                start,
                hours: *rb.hours.get_ref(),
                level: Quantity(level),
            });
        }
        let ratio = |what: &str, v: &Option<Spanned<Dec>>, b: Bound| -> Result<Ratio> {
            Ok(Ratio(
                opt_bounded(loc, &ctx(what), v, b)?.unwrap_or(Decimal::ZERO),
            ))
        };
        cells.push(CellProfile {
            cell,
            baseline: Quantity(bounded(
                loc,
                &ctx("baseline"),
                &r.baseline,
                Bound::NonNegative,
            )?),
            monthly_growth: ratio("monthly_growth", &r.monthly_growth, Bound::AboveMinusOne)?,
            daily_amplitude: ratio("daily_amplitude", &r.daily_amplitude, Bound::UnitClosed)?,
            weekend_dip: ratio("weekend_dip", &r.weekend_dip, Bound::UnitClosed)?,
            noise: ratio("noise", &r.noise, Bound::UnitClosed)?,
            bursts,
        });
    }
    Ok(Profile {
        seed: p.seed,
        cells,
    })
}

fn offer(loc: &Locator<'_>, m: &Matrix, o: &Spanned<RawOffer>) -> Result<Offer> {
    let r = o.get_ref();
    let name = r.name.get_ref().clone();
    if name.trim().is_empty() {
        return Err(loc.invalid(r.name.span(), "offer name must not be empty"));
    }
    let kind = r.kind.get_ref().as_str();
    // Which optional fields each kind takes.
    let present: [(&str, Option<Range<usize>>); 9] = [
        ("discount", r.discount.as_ref().map(Spanned::span)),
        ("monthly_fee", r.monthly_fee.as_ref().map(Spanned::span)),
        ("tolerance", r.tolerance.as_ref().map(Spanned::span)),
        ("grace_hours", r.grace_hours.as_ref().map(Spanned::span)),
        ("entitlements", r.entitlements.as_ref().map(Spanned::span)),
        ("units", r.units.as_ref().map(Spanned::span)),
        ("commit_price", r.commit_price.as_ref().map(Spanned::span)),
        ("payment", r.payment.as_ref().map(Spanned::span)),
        ("overage_price", r.overage_price.as_ref().map(Spanned::span)),
    ];
    let allowed: &[&str] = match kind {
        "pay-as-you-go" => &["discount"],
        "fixed-capacity" => &["monthly_fee", "tolerance", "grace_hours", "entitlements", "payment", "overage_price"],
        "commitment" => &["units", "commit_price", "payment", "overage_price"],
        other => {
            return Err(loc.invalid(
                r.kind.span(),
                format!(
                    "offer `{name}`: unknown kind `{other}` (expected \"pay-as-you-go\", \"fixed-capacity\" or \"commitment\")"
                ),
            ))
        }
    };
    let mut stray: Vec<(&str, Range<usize>)> = present
        .iter()
        .filter(|(k, _)| !allowed.contains(k))
        .filter_map(|(k, s)| s.clone().map(|s| (*k, s)))
        .collect();
    stray.sort_by_key(|(_, s)| s.start);
    if let Some((k, span)) = stray.first() {
        return Err(loc.invalid(
            span.clone(),
            format!("offer `{name}`: `{k}` does not apply to a {kind} offer"),
        ));
    }
    let missing = |field: &str| {
        loc.invalid(
            o.span(),
            format!("offer `{name}`: a {kind} offer needs `{field}`"),
        )
    };
    let ctx = |field: &str| format!("offer `{name}`: {field}");

    let kind = match kind {
        "pay-as-you-go" => OfferKind::PayAsYouGo(PayAsYouGo {
            discount: Ratio(
                opt_bounded(loc, &ctx("discount"), &r.discount, Bound::UnitOpen)?
                    .unwrap_or_default(),
            ),
        }),
        "fixed-capacity" => {
            let fee = r
                .monthly_fee
                .as_ref()
                .ok_or_else(|| missing("monthly_fee"))?;
            let ents = r
                .entitlements
                .as_ref()
                .ok_or_else(|| missing("entitlements"))?;
            if ents.get_ref().is_empty() {
                return Err(loc.invalid(
                    ents.span(),
                    format!("offer `{name}`: at least one entitlement is required"),
                ));
            }
            let mut entitlements: Vec<Entitlement> = Vec::with_capacity(ents.get_ref().len());
            for e in ents.get_ref() {
                let re = e.get_ref();
                let cell = resolve_cell(
                    loc,
                    m,
                    &re.meter,
                    &re.environment,
                    &re.use_case,
                    e.span(),
                    &format!("offer `{name}`"),
                )?;
                if entitlements.iter().any(|x| x.cell == cell) {
                    return Err(loc.invalid(
                        e.span(),
                        format!(
                            "offer `{name}`: a second entitlement for cell {}",
                            m.cell_name(cell)
                        ),
                    ));
                }
                let q = bounded(
                    loc,
                    &ctx("entitlement quantity"),
                    &re.quantity,
                    Bound::Positive,
                )?;
                entitlements.push(Entitlement {
                    cell,
                    quantity: Quantity(q),
                });
            }
            let defaults = OveragePolicy::default();
            OfferKind::FixedCapacity(FixedCapacity {
                entitlements,
                monthly_fee: Money(bounded(loc, &ctx("monthly_fee"), fee, Bound::NonNegative)?),
                payment: payment(loc, &name, &r.payment)?,
                overage: OveragePolicy {
                    tolerance: opt_bounded(
                        loc,
                        &ctx("tolerance"),
                        &r.tolerance,
                        Bound::NonNegative,
                    )?
                    .map_or(defaults.tolerance, Ratio),
                    grace_hours: r
                        .grace_hours
                        .as_ref()
                        .map_or(defaults.grace_hours, |g| *g.get_ref()),
                    price: opt_bounded(
                        loc,
                        &ctx("overage_price"),
                        &r.overage_price,
                        Bound::NonNegative,
                    )?
                    .map(Price),
                },
            })
        }
        _ => {
            let units = r.units.as_ref().ok_or_else(|| missing("units"))?;
            let price = r
                .commit_price
                .as_ref()
                .ok_or_else(|| missing("commit_price"))?;
            OfferKind::Commitment(Commitment {
                units: Units(bounded(loc, &ctx("units"), units, Bound::Positive)?),
                price: Price(bounded(
                    loc,
                    &ctx("commit_price"),
                    price,
                    Bound::NonNegative,
                )?),
                payment: payment(loc, &name, &r.payment)?,
                overage_price: opt_bounded(
                    loc,
                    &ctx("overage_price"),
                    &r.overage_price,
                    Bound::NonNegative,
                )?
                .map(Price),
            })
        }
    };
    Ok(Offer { name, kind })
}

fn payment_str(p: Payment) -> &'static str {
    match p {
        Payment::Monthly => "monthly",
        Payment::Upfront => "upfront",
    }
}

fn cell_keys(m: &Matrix, cell: CellId) -> String {
    let n = m.cell_name(cell);
    format!(
        "meter = {}, environment = {}, use_case = {}",
        quote(&n.meter),
        quote(&n.environment),
        quote(&n.use_case)
    )
}

/// Writes a deal as TOML that [`parse_deal`] reads back to an equal deal.
///
/// ```
/// use unitcalc_core::deal_toml::{parse_deal, to_toml};
/// use unitcalc_core::matrix_toml::parse_matrix;
/// let m = parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let src = include_str!("../../examples/deals/spec-example-c.toml");
/// let deal = parse_deal(src, "spec-example-c.toml", &m).unwrap();
/// assert_eq!(parse_deal(&to_toml(&deal, &m), "written", &m).unwrap(), deal);
/// ```
pub fn to_toml(deal: &Deal, matrix: &Matrix) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "name = {}", quote(&deal.name));
    let _ = writeln!(s, "matrix = {}", quote(&deal.matrix));
    let channel = match &deal.terms.channel {
        Channel::Direct => "direct",
        Channel::Marketplace(env) => env.as_str(),
    };
    let _ = writeln!(s, "channel = {}", quote(channel));
    let _ = writeln!(
        s,
        "\n[term]\nstart = \"{}\"\nmonths = {}",
        deal.terms.term.start, deal.terms.term.months
    );
    match &deal.usage {
        UsageSource::Csv(path) => {
            let _ = writeln!(s, "\n[usage]\ncsv = {}", quote(path));
        }
        UsageSource::Profile(p) => {
            let _ = writeln!(s, "\n[usage.profile]\nseed = {}", p.seed);
            for c in &p.cells {
                let n = matrix.cell_name(c.cell);
                let _ = writeln!(
                    s,
                    "\n[[usage.profile.cells]]\nmeter = {}\nenvironment = {}\nuse_case = {}",
                    quote(&n.meter),
                    quote(&n.environment),
                    quote(&n.use_case)
                );
                let _ = writeln!(s, "baseline = \"{}\"", c.baseline);
                let _ = writeln!(s, "monthly_growth = \"{}\"", c.monthly_growth);
                let _ = writeln!(s, "daily_amplitude = \"{}\"", c.daily_amplitude);
                let _ = writeln!(s, "weekend_dip = \"{}\"", c.weekend_dip);
                let _ = writeln!(s, "noise = \"{}\"", c.noise);
                let bursts: Vec<String> = c
                    .bursts
                    .iter()
                    .map(|b| {
                        format!(
                            "{{ start = \"{}\", hours = {}, level = \"{}\" }}",
                            b.start, b.hours, b.level
                        )
                    })
                    .collect();
                let _ = writeln!(s, "bursts = [{}]", bursts.join(", "));
            }
        }
    }
    for o in &deal.offers {
        let _ = writeln!(
            s,
            "\n[[offers]]\nname = {}\nkind = \"{}\"",
            quote(&o.name),
            o.kind.as_str()
        );
        match &o.kind {
            OfferKind::PayAsYouGo(p) => {
                let _ = writeln!(s, "discount = \"{}\"", p.discount);
            }
            OfferKind::FixedCapacity(f) => {
                let _ = writeln!(s, "monthly_fee = \"{}\"", f.monthly_fee);
                let _ = writeln!(s, "payment = \"{}\"", payment_str(f.payment));
                let _ = writeln!(s, "tolerance = \"{}\"", f.overage.tolerance);
                let _ = writeln!(s, "grace_hours = {}", f.overage.grace_hours);
                if let Some(p) = f.overage.price {
                    let _ = writeln!(s, "overage_price = \"{p}\"");
                }
                s.push_str("entitlements = [\n");
                for e in &f.entitlements {
                    let _ = writeln!(
                        s,
                        "  {{ {}, quantity = \"{}\" }},",
                        cell_keys(matrix, e.cell),
                        e.quantity
                    );
                }
                s.push_str("]\n");
            }
            OfferKind::Commitment(c) => {
                let _ = writeln!(s, "units = \"{}\"", c.units);
                let _ = writeln!(s, "commit_price = \"{}\"", c.price);
                let _ = writeln!(s, "payment = \"{}\"", payment_str(c.payment));
                if let Some(p) = c.overage_price {
                    let _ = writeln!(s, "overage_price = \"{p}\"");
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix_toml::parse_matrix;

    const SPEC_M: &str = include_str!("../../matrices/spec-m.toml");

    fn spec_m() -> Matrix {
        parse_matrix(SPEC_M, "spec-m.toml").unwrap()
    }

    const HEAD: &str = "name = \"Acme\"\nmatrix = \"spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = 12\n[usage]\ncsv = \"u.csv\"\n";

    #[test]
    fn example_c_parses() {
        let m = spec_m();
        let d = parse_deal(
            include_str!("../../examples/deals/spec-example-c.toml"),
            "c.toml",
            &m,
        )
        .unwrap();
        assert_eq!(d.terms.term.months, 12);
        let UsageSource::Profile(p) = &d.usage else {
            panic!("expected a profile")
        };
        assert_eq!(p.cells[0].baseline.to_string(), "500");
        assert_eq!(p.cells[0].bursts[0].hours, 100);
        let OfferKind::FixedCapacity(f) = &d.offers[0].kind else {
            panic!("expected fixed capacity")
        };
        assert_eq!(f.monthly_fee.to_string(), "40000.00");
        assert_eq!(f.overage, OveragePolicy::default());
        assert_eq!(
            m.cell_name(f.entitlements[0].cell).to_string(),
            "capacity/azure/hot"
        );
    }

    #[test]
    fn offers_table() {
        let m = spec_m();
        // (offer body, expected kind or error text)
        let table = [
            ("kind = \"pay-as-you-go\"", Ok("pay-as-you-go")),
            ("kind = \"commitment\"\nunits = \"1000\"\ncommit_price = \"0.85\"\npayment = \"upfront\"", Ok("commitment")),
            (
                "kind = \"fixed-capacity\"\nmonthly_fee = \"1\"\nentitlements = [{ meter = \"capacity\", environment = \"azure\", use_case = \"archive\", quantity = \"1\" }]",
                Ok("fixed-capacity"),
            ),
            ("kind = \"pay-as-you-go\"\ndiscount = \"1\"", Err("d.toml:12:12: offer `o`: discount must be in [0, 1), got `1`")),
            ("kind = \"commitment\"\nunits = \"1000\"", Err("d.toml:9:1: offer `o`: a commitment offer needs `commit_price`")),
            ("kind = \"barter\"", Err("d.toml:11:8: offer `o`: unknown kind `barter` (expected \"pay-as-you-go\", \"fixed-capacity\" or \"commitment\")")),
            ("kind = \"commitment\"\nunits = \"0\"\ncommit_price = \"1\"", Err("d.toml:12:9: offer `o`: units must be greater than 0, got `0`")),
            (
                "kind = \"fixed-capacity\"\nmonthly_fee = \"1\"\nentitlements = [{ meter = \"capacity\", environment = \"aws\", use_case = \"archive\", quantity = \"1\" }]",
                Err("d.toml:13:17: offer `o`: cell capacity/aws/archive is not offered in matrix `spec-m`"),
            ),
            (
                "kind = \"fixed-capacity\"\nmonthly_fee = \"1\"\nentitlements = [{ meter = \"disk\", environment = \"aws\", use_case = \"hot\", quantity = \"1\" }]",
                Err("d.toml:13:27: unknown meter `disk`"),
            ),
        ];
        for (body, want) in table {
            let src = format!("{HEAD}\n[[offers]]\nname = \"o\"\n{body}\n");
            let got = parse_deal(&src, "d.toml", &m)
                .map(|d| d.offers[0].kind.as_str())
                .map_err(|e| e.to_string());
            assert_eq!(got, want.map_err(String::from), "{body}");
        }
    }

    #[test]
    fn round_trips() {
        let m = spec_m();
        let strict = format!(
            "{HEAD}channel = \"aws\"\n[[offers]]\nname = \"strict \\\"quoted\\\"\"\nkind = \"fixed-capacity\"\n\
             monthly_fee = \"0\"\npayment = \"upfront\"\ntolerance = \"0\"\ngrace_hours = 0\noverage_price = \"1.25\"\n\
             entitlements = [{{ meter = \"compute\", environment = \"on-prem\", use_case = \"hot\", quantity = \"0.5\" }}]\n\
             [[offers]]\nname = \"c\"\nkind = \"commitment\"\nunits = \"1\"\ncommit_price = \"0\"\n"
        )
        .replacen("[usage]\ncsv = \"u.csv\"\nchannel = \"aws\"", "[usage]\ncsv = \"u.csv\"", 1)
        .replacen("name = \"Acme\"\n", "name = \"Acme\"\nchannel = \"aws\"\n", 1);
        let d = parse_deal(&strict, "strict.toml", &m).unwrap();
        assert_eq!(d.terms.channel, Channel::Marketplace("aws".into()));
        assert_eq!(d.usage, UsageSource::Csv("u.csv".into()));
        for src in [
            strict.as_str(),
            include_str!("../../examples/deals/spec-example-c.toml"),
            include_str!("../../examples/deals/acme-compare.toml"),
        ] {
            let d = parse_deal(src, "d.toml", &m).unwrap();
            let text = to_toml(&d, &m);
            assert_eq!(parse_deal(&text, "written", &m).unwrap(), d, "{text}");
        }
    }
}
