//! Shareable scenarios: the whole state of a browser simulation (matrix
//! choice, term, channel, offers, usage profile) as plain data, and its
//! URL-fragment codec.
//!
//! A [`Scenario`] holds what a user typed, decimals as strings exactly as
//! entered; [`Scenario::resolve`] turns it into engine inputs against a
//! matrix, with errors that name the offending field and value. A share link
//! is `#v1.` followed by the base64url (no padding) of the scenario's JSON:
//! [`encode`] writes one, [`decode`] reads one and refuses, with a clear
//! [`Error`], anything larger than [`MAX_LINK_BYTES`], another version,
//! damaged base64, JSON that is not a scenario, or a float where a decimal
//! string belongs. Uploaded CSV usage is never put in a link: links carry
//! only a usage profile.
//!
//! ```
//! use unitcalc_core::scenario::{decode, encode, Scenario};
//! let s = Scenario::example();
//! let link = encode(&s).unwrap();
//! assert!(link.starts_with("#v1."));
//! assert_eq!(decode(&link).unwrap(), s);
//! assert!(decode("#v2.e30").unwrap_err().to_string().contains("version 2"));
//! ```

use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Origin, Result};
use crate::json;
use crate::matrix::{CellId, Matrix};
use crate::matrix_toml;
use crate::num::{Money, Price, Quantity, Ratio, Units};
use crate::offer::{
    Channel, Commitment, DealTerms, Entitlement, FixedCapacity, Offer, OfferKind, OveragePolicy,
    PayAsYouGo, Payment,
};
use crate::profile::{Burst, CellProfile, Profile};
use crate::time::{Date, Hour, Term};

/// The scenario format version written by [`encode`] and read by [`decode`].
pub const VERSION: u32 = 1;
/// The largest share link [`decode`] accepts, in bytes (the fragment after `#`): 64 KiB.
pub const MAX_LINK_BYTES: usize = 64 * 1024;
/// At most this many offers are compared side by side.
pub const MAX_OFFERS: usize = 4;

const LINK: &str = "share link";

mod from_json;

/// Which matrix a scenario prices with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatrixChoice {
    /// A matrix bundled with the tool, by name (e.g. `spec-m`).
    Bundled(String),
    /// A matrix given as TOML text (pasted or loaded by the user).
    Custom(String),
}

/// The price books bundled with the tools, embedded at build time: (name,
/// TOML text). Illustrative, not real list prices; `spec-m` is the pricing
/// model's matrix M.
pub const BUNDLED: &[(&str, &str)] = &[
    ("spec-m", include_str!("../../matrices/spec-m.toml")),
    (
        "illustrative",
        include_str!("../../matrices/illustrative.toml"),
    ),
    (
        "illustrative-candidate",
        include_str!("../../matrices/illustrative-candidate.toml"),
    ),
];

impl MatrixChoice {
    /// The TOML text of the choice, `None` for an unknown bundled name.
    pub fn text(&self) -> Option<&str> {
        match self {
            MatrixChoice::Bundled(n) => BUNDLED.iter().find(|(b, _)| b == n).map(|(_, t)| *t),
            MatrixChoice::Custom(t) => Some(t.as_str()),
        }
    }

    /// Parses the chosen matrix: a bundled one by name (errors name
    /// `NAME.toml`), or custom TOML (errors name `pasted matrix`).
    ///
    /// ```
    /// use unitcalc_core::scenario::MatrixChoice;
    /// let m = MatrixChoice::Bundled("spec-m".into()).load().unwrap();
    /// assert_eq!(m.name, "spec-m");
    /// let e = MatrixChoice::Bundled("spec-x".into()).load().unwrap_err();
    /// assert_eq!(e.to_string(), "scenario matrix: unknown bundled matrix `spec-x`");
    /// ```
    pub fn load(&self) -> Result<Matrix> {
        match self {
            MatrixChoice::Bundled(name) => match self.text() {
                Some(text) => matrix_toml::parse_matrix(text, &format!("{name}.toml")),
                None => Err(Error::Unknown {
                    at: Origin::file("scenario matrix"),
                    what: "bundled matrix",
                    value: name.clone(),
                }),
            },
            MatrixChoice::Custom(text) => matrix_toml::parse_matrix(text, "pasted matrix"),
        }
    }
}

/// Opens a share link: [`decode`] the fragment, load its matrix,
/// [`Scenario::resolve`] it and run the engine's and the profile generator's
/// own checks ([`crate::engine::Pricer::new`] for every offer,
/// [`crate::profile::validate`]), so a link that opens is one that prices
/// (short of an arithmetic overflow in the pricing itself).
///
/// ```
/// use unitcalc_core::scenario::{encode, open_link, Scenario};
/// let link = encode(&Scenario::example()).unwrap();
/// assert_eq!(open_link(&link).unwrap(), Scenario::example());
/// assert!(open_link("#v1.AAAA").is_err());
/// ```
pub fn open_link(fragment: &str) -> Result<Scenario> {
    let s = decode(fragment)?;
    let m = s.matrix.load()?;
    let r = s.resolve(&m)?;
    for offer in &r.offers {
        crate::engine::Pricer::new(&m, &r.terms, offer)?;
    }
    crate::profile::validate(&r.profile, &r.terms.term)?;
    Ok(s)
}

/// One entitlement as typed: a cell `meter/environment/use_case` and a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitlementSpec {
    /// `meter/environment/use_case`.
    pub cell: String,
    /// Entitled quantity, a decimal string.
    pub quantity: String,
}

/// The kind of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KindSpec {
    /// Pay-as-you-go.
    PayAsYouGo,
    /// Fixed-capacity private offer.
    #[default]
    FixedCapacity,
    /// Units commitment.
    Commitment,
}

impl KindSpec {
    /// `pay-as-you-go`, `fixed-capacity` or `commitment`.
    pub fn as_str(self) -> &'static str {
        match self {
            KindSpec::PayAsYouGo => "pay-as-you-go",
            KindSpec::FixedCapacity => "fixed-capacity",
            KindSpec::Commitment => "commitment",
        }
    }
    /// The kind for its name.
    pub fn from_name(s: &str) -> Option<KindSpec> {
        [
            KindSpec::PayAsYouGo,
            KindSpec::FixedCapacity,
            KindSpec::Commitment,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One offer as typed. Every kind's fields are kept, so switching the kind
/// back and forth loses nothing; [`Scenario::resolve`] reads the kind's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferSpec {
    /// Name shown on bills.
    pub name: String,
    /// Kind.
    pub kind: KindSpec,
    /// Pay-as-you-go discount in `[0, 1]`.
    pub discount: String,
    /// Fixed capacity: entitlements.
    pub entitlements: Vec<EntitlementSpec>,
    /// Fixed capacity: monthly fee.
    pub monthly_fee: String,
    /// Fixed capacity and commitment: payment schedule.
    pub payment: Payment,
    /// Fixed capacity: tolerance band b.
    pub tolerance: String,
    /// Fixed capacity: grace hours g.
    pub grace_hours: String,
    /// Overage price per unit; empty is the list price.
    pub overage_price: String,
    /// Commitment: units bought N.
    pub commit_units: String,
    /// Commitment: price per unit P.
    pub commit_price: String,
}

impl Default for OfferSpec {
    fn default() -> Self {
        OfferSpec {
            name: "Offer".into(),
            kind: KindSpec::FixedCapacity,
            discount: "0".into(),
            entitlements: Vec::new(),
            monthly_fee: "0".into(),
            payment: Payment::Monthly,
            tolerance: "0.10".into(),
            grace_hours: "72".into(),
            overage_price: String::new(),
            commit_units: "1000".into(),
            commit_price: "1.00".into(),
        }
    }
}

/// A burst as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BurstSpec {
    /// First hour, RFC 3339 (`2026-03-10T00:00:00Z`).
    pub start: String,
    /// Length in hours.
    pub hours: String,
    /// Level held during the burst.
    pub level: String,
}

/// One cell's usage profile as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellUsageSpec {
    /// `meter/environment/use_case`.
    pub cell: String,
    /// Quantity at the start of the term.
    pub baseline: String,
    /// Compounded growth per month.
    pub monthly_growth: String,
    /// Daily swing fraction.
    pub daily_amplitude: String,
    /// Weekend dip fraction.
    pub weekend_dip: String,
    /// Noise fraction.
    pub noise: String,
    /// Bursts.
    pub bursts: Vec<BurstSpec>,
}

impl Default for CellUsageSpec {
    fn default() -> Self {
        CellUsageSpec {
            cell: String::new(),
            baseline: "0".into(),
            monthly_growth: "0".into(),
            daily_amplitude: "0".into(),
            weekend_dip: "0".into(),
            noise: "0".into(),
            bursts: Vec::new(),
        }
    }
}

/// The usage profile as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UsageSpec {
    /// Noise seed.
    pub seed: String,
    /// Cells.
    pub cells: Vec<CellUsageSpec>,
}

/// A whole browser scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// Format version, [`VERSION`].
    pub version: u32,
    /// Deal or customer name.
    pub name: String,
    /// The matrix.
    pub matrix: MatrixChoice,
    /// Term start `YYYY-MM-DD`.
    pub term_start: String,
    /// Term length in months.
    pub term_months: String,
    /// `direct` or a marketplace environment id.
    pub channel: String,
    /// One to [`MAX_OFFERS`] offers over the same usage.
    pub offers: Vec<OfferSpec>,
    /// Usage profile.
    pub usage: UsageSpec,
}

/// A scenario resolved against its matrix: what the engine prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Term and channel.
    pub terms: DealTerms,
    /// Offers, in order.
    pub offers: Vec<Offer>,
    /// Usage profile.
    pub profile: Profile,
}

impl Scenario {
    /// The spec's worked example C: matrix `spec-m`, fixed capacity 500 TB on
    /// azure/hot for 40,000.00 a month from 2026-03-01 for 12 months, usage
    /// 500 TB with a 100-hour burst at 540 TB in March.
    pub fn example() -> Scenario {
        Scenario {
            version: VERSION,
            name: "Example C".into(),
            matrix: MatrixChoice::Bundled("spec-m".into()),
            term_start: "2026-03-01".into(),
            term_months: "12".into(),
            channel: "direct".into(),
            offers: vec![OfferSpec {
                name: "Fixed 500 TB".into(),
                entitlements: vec![EntitlementSpec {
                    cell: "capacity/azure/hot".into(),
                    quantity: "500".into(),
                }],
                monthly_fee: "40000.00".into(),
                ..OfferSpec::default()
            }],
            usage: UsageSpec {
                seed: "1".into(),
                cells: vec![CellUsageSpec {
                    cell: "capacity/azure/hot".into(),
                    baseline: "500".into(),
                    bursts: vec![BurstSpec {
                        start: "2026-03-10T00:00:00Z".into(),
                        hours: "100".into(),
                        level: "540".into(),
                    }],
                    ..CellUsageSpec::default()
                }],
            },
        }
    }

    /// Resolves names and parses every typed value against `matrix`.
    ///
    /// ```
    /// use unitcalc_core::{matrix_toml, scenario::Scenario};
    /// let m = matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
    /// let r = Scenario::example().resolve(&m).unwrap();
    /// assert_eq!(r.terms.term.months, 12);
    /// let mut bad = Scenario::example();
    /// bad.offers[0].entitlements[0].cell = "capacity/azure/cold".into();
    /// assert!(bad.resolve(&m).unwrap_err().to_string().contains("unknown use case `cold`"));
    /// ```
    pub fn resolve(&self, matrix: &Matrix) -> Result<Resolved> {
        if self.version != VERSION {
            return Err(invalid(
                "version",
                format!(
                    "scenario version {} is not supported (expected {VERSION})",
                    self.version
                ),
            ));
        }
        let start = Date::parse(self.term_start.trim()).map_err(|e| Error::Time {
            at: field("term start"),
            source: e,
        })?;
        let months: u32 = parse_int(&self.term_months, "term months")?;
        let term = Term::new(start, months).map_err(|e| Error::Time {
            at: field("term months"),
            source: e,
        })?;
        let channel = match self.channel.trim() {
            "" | "direct" => Channel::Direct,
            env => {
                if matrix.environment_index(env).is_none() {
                    return Err(Error::Unknown {
                        at: field("channel"),
                        what: "environment",
                        value: env.into(),
                    });
                }
                if matrix.marketplace(env).is_none() {
                    return Err(invalid(
                        "channel",
                        format!("environment `{env}` has no marketplace fee schedule"),
                    ));
                }
                Channel::Marketplace(env.into())
            }
        };
        if self.offers.is_empty() || self.offers.len() > MAX_OFFERS {
            return Err(invalid(
                "offers",
                format!("{} offers; give 1 to {MAX_OFFERS}", self.offers.len()),
            ));
        }
        let offers = self
            .offers
            .iter()
            .enumerate()
            .map(|(i, o)| o.resolve(matrix, i))
            .collect::<Result<Vec<_>>>()?;
        for (i, o) in offers.iter().enumerate() {
            if offers.iter().take(i).any(|p| p.name == o.name) {
                return Err(invalid(
                    &format!("offer {}", i.saturating_add(1)),
                    format!("two offers are named `{}`", o.name),
                ));
            }
        }
        let profile = self.usage.resolve(matrix)?;
        Ok(Resolved {
            terms: DealTerms { term, channel },
            offers,
            profile,
        })
    }
}

impl OfferSpec {
    fn resolve(&self, matrix: &Matrix, index: usize) -> Result<Offer> {
        let at = |f: &str| format!("offer {} {f}", index.saturating_add(1));
        let name = self.name.trim();
        if name.is_empty() {
            return Err(invalid(&at("name"), "an offer needs a name".into()));
        }
        let overage_price = if self.overage_price.trim().is_empty() {
            None
        } else {
            Some(Price(dec(&self.overage_price, &at("overage price"))?))
        };
        let kind = match self.kind {
            KindSpec::PayAsYouGo => OfferKind::PayAsYouGo(PayAsYouGo {
                discount: Ratio(dec(&self.discount, &at("discount"))?),
            }),
            KindSpec::FixedCapacity => {
                let mut entitlements = Vec::with_capacity(self.entitlements.len());
                for (k, e) in self.entitlements.iter().enumerate() {
                    let what = at(&format!("entitlement {}", k.saturating_add(1)));
                    entitlements.push(Entitlement {
                        cell: cell(matrix, &e.cell, &what)?,
                        quantity: Quantity(dec(&e.quantity, &what)?),
                    });
                }
                FixedCapacity {
                    entitlements,
                    monthly_fee: Money(dec(&self.monthly_fee, &at("monthly fee"))?),
                    payment: self.payment,
                    overage: OveragePolicy {
                        tolerance: Ratio(dec(&self.tolerance, &at("tolerance band"))?),
                        grace_hours: parse_int(&self.grace_hours, &at("grace hours"))?,
                        price: overage_price,
                    },
                }
                .into()
            }
            KindSpec::Commitment => OfferKind::Commitment(Commitment {
                units: Units(dec(&self.commit_units, &at("committed units"))?),
                price: Price(dec(&self.commit_price, &at("commit price"))?),
                payment: self.payment,
                overage_price,
            }),
        };
        Ok(Offer {
            name: name.into(),
            kind,
        })
    }
}

impl From<FixedCapacity> for OfferKind {
    fn from(f: FixedCapacity) -> Self {
        OfferKind::FixedCapacity(f)
    }
}

impl UsageSpec {
    fn resolve(&self, matrix: &Matrix) -> Result<Profile> {
        let seed = if self.seed.trim().is_empty() {
            0
        } else {
            parse_int(&self.seed, "usage seed")?
        };
        let mut cells: Vec<CellProfile> = Vec::with_capacity(self.cells.len());
        for (i, c) in self.cells.iter().enumerate() {
            let at = |f: &str| format!("usage {} {f}", i.saturating_add(1));
            let id = cell(matrix, &c.cell, &at("cell"))?;
            if matrix.cell_rate(id).is_none() {
                return Err(invalid(
                    &at("cell"),
                    format!(
                        "cell `{}` is not offered in matrix {}",
                        c.cell.trim(),
                        matrix.name
                    ),
                ));
            }
            if cells.iter().any(|p| p.cell == id) {
                return Err(invalid(
                    &at("cell"),
                    format!("cell `{}` has two usage profiles", c.cell.trim()),
                ));
            }
            let mut bursts = Vec::with_capacity(c.bursts.len());
            for (k, b) in c.bursts.iter().enumerate() {
                let what = at(&format!("burst {}", k.saturating_add(1)));
                let start = Hour::parse_rfc3339(b.start.trim()).map_err(|e| Error::Time {
                    at: field(&format!("{what} start")),
                    source: e,
                })?;
                bursts.push(Burst {
                    start,
                    hours: parse_int(&b.hours, &format!("{what} hours"))?,
                    level: Quantity(dec(&b.level, &format!("{what} level"))?),
                });
            }
            cells.push(CellProfile {
                cell: id,
                baseline: Quantity(dec(&c.baseline, &at("baseline"))?),
                monthly_growth: Ratio(dec(&c.monthly_growth, &at("monthly growth"))?),
                daily_amplitude: Ratio(dec(&c.daily_amplitude, &at("daily amplitude"))?),
                weekend_dip: Ratio(dec(&c.weekend_dip, &at("weekend dip"))?),
                noise: Ratio(dec(&c.noise, &at("noise"))?),
                bursts,
            });
        }
        Ok(Profile { seed, cells })
    }
}

/// Writes a share link fragment: `#v1.` + base64url(JSON), no padding.
///
/// Refuses (with [`Error::TooLarge`]) a scenario whose link would exceed
/// [`MAX_LINK_BYTES`], e.g. one carrying a very large custom matrix.
pub fn encode(s: &Scenario) -> Result<String> {
    let json = serde_json::to_vec(s).map_err(|e| invalid("scenario", e.to_string()))?;
    let link = format!("#v{VERSION}.{}", URL_SAFE_NO_PAD.encode(json));
    // The size of the fragment without its leading `#`.
    Error::check_size(
        "the share link",
        link.len().saturating_sub(1),
        MAX_LINK_BYTES,
    )?;
    Ok(link)
}

/// Reads a share link fragment (with or without the leading `#`) back into a
/// scenario, checking size, version, base64url, JSON shape and the version
/// field. Names and values are checked later by [`Scenario::resolve`].
pub fn decode(fragment: &str) -> Result<Scenario> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    Error::check_size("the share link", f.len(), MAX_LINK_BYTES)?;
    let Some((version, body)) = f.split_once('.') else {
        return Err(invalid(
            "",
            "this is not a scenario link (expected `#v1.` followed by the scenario)".into(),
        ));
    };
    match version.strip_prefix('v').map(u32::from_str) {
        Some(Ok(VERSION)) => {}
        Some(Ok(v)) => {
            return Err(invalid(
                "",
                format!(
                    "link version {v} is not supported: this tool reads version {VERSION} links"
                ),
            ))
        }
        _ => {
            return Err(invalid(
                "",
                format!(
                    "this is not a scenario link: unknown prefix `{}`",
                    clip(version)
                ),
            ))
        }
    }
    let bytes = URL_SAFE_NO_PAD.decode(body.trim_end_matches('=')).map_err(|e| {
        invalid(
            "",
            format!("the link is truncated or damaged (not valid base64url: {e}); was it copied completely?"),
        )
    })?;
    let json = std::str::from_utf8(&bytes).map_err(|_| {
        invalid(
            "",
            "the link is damaged (its content is not UTF-8 text)".into(),
        )
    })?;
    let s = read_json(json, from_json::scenario).map_err(|e| {
        let what = if e.eof {
            "the link is truncated or damaged"
        } else {
            "the link does not hold a valid scenario"
        };
        Error::Invalid {
            at: Origin::from_offset(format!("{LINK} JSON"), json, e.offset),
            message: format!("{what}: {}", e.message),
        }
    })?;
    if s.version != VERSION {
        return Err(invalid(
            "",
            format!(
                "scenario version {} is not supported (expected {VERSION})",
                s.version
            ),
        ));
    }
    Ok(s)
}

/// Why JSON did not read, where (byte offset of the offending value or
/// character), and whether the text ended early.
struct JsonFailure {
    message: String,
    offset: usize,
    eof: bool,
}

/// Parses `text` as JSON and reads it with `read`.
fn read_json<T>(
    text: &str,
    read: impl Fn(&json::Node) -> std::result::Result<T, from_json::Bad>,
) -> std::result::Result<T, JsonFailure> {
    let tree = json::parse(text).map_err(|e| JsonFailure {
        message: e.message.to_string(),
        offset: e.offset,
        eof: e.eof,
    })?;
    read(&tree).map_err(|e| JsonFailure {
        message: e.message,
        offset: e.offset,
        eof: false,
    })
}

/// Writes named scenarios as one JSON object (see [`read_saved`]).
///
/// ```
/// use std::collections::BTreeMap;
/// use unitcalc_core::scenario::{read_saved, write_saved, Scenario};
/// let all = BTreeMap::from([("Acme".to_string(), Scenario::example())]);
/// let text = write_saved(&all).unwrap();
/// let (back, refused) = read_saved(&text);
/// assert_eq!((back, refused.len()), (all, 0));
/// ```
pub fn write_saved(all: &std::collections::BTreeMap<String, Scenario>) -> Result<String> {
    serde_json::to_string(all).map_err(|e| invalid("", e.to_string()))
}

/// Reads what [`write_saved`] wrote. Each entry is read like a share link's
/// JSON and must carry version [`VERSION`]; an entry that does not read is
/// left out and reported (name and error), so one damaged entry does not
/// hide the others. A text that is not a JSON object reads as nothing, with
/// one error under the name `""`.
///
/// ```
/// use unitcalc_core::scenario::read_saved;
/// let (all, refused) = read_saved(r#"{"old": {"version": 0}}"#);
/// assert!(all.is_empty());
/// assert_eq!(refused[0].0, "old");
/// ```
pub fn read_saved(
    text: &str,
) -> (
    std::collections::BTreeMap<String, Scenario>,
    Vec<(String, Error)>,
) {
    let origin = |offset| Origin::from_offset("saved scenarios JSON", text, offset);
    let mut all = std::collections::BTreeMap::new();
    let mut refused = Vec::new();
    let entries = match read_json(text, from_json::saved) {
        Ok(entries) => entries,
        Err(e) => {
            let at = origin(e.offset);
            refused.push((
                String::new(),
                Error::Invalid {
                    at,
                    message: e.message,
                },
            ));
            return (all, refused);
        }
    };
    for (name, entry) in entries {
        let read = entry.map_err(|e| Error::Invalid {
            at: origin(e.offset),
            message: format!("saved scenario \"{name}\": {}", e.message),
        });
        match read {
            Ok(s) if s.version == VERSION => {
                all.insert(name, s);
            }
            Ok(s) => {
                let message = format!(
                    "saved scenario \"{name}\": version {} is not supported (expected {VERSION})",
                    s.version
                );
                refused.push((name, invalid("", message)));
            }
            Err(e) => refused.push((name, e)),
        }
    }
    (all, refused)
}

fn clip(s: &str) -> String {
    s.chars().take(20).collect()
}

fn field(name: &str) -> Origin {
    if name.is_empty() {
        Origin::file(LINK.to_string())
    } else {
        Origin::file(format!("scenario {name}"))
    }
}

fn invalid(name: &str, message: String) -> Error {
    Error::Invalid {
        at: field(name),
        message,
    }
}

fn dec(s: &str, name: &str) -> Result<Decimal> {
    let t = s.trim();
    Decimal::from_str_exact(t)
        .map_err(|_| invalid(name, format!("`{}` is not a decimal number", clip(t))))
}

fn parse_int<T: FromStr>(s: &str, name: &str) -> Result<T> {
    let t = s.trim();
    t.parse().map_err(|_| {
        invalid(
            name,
            format!("`{}` is not a whole number in range", clip(t)),
        )
    })
}

fn cell(matrix: &Matrix, s: &str, name: &str) -> Result<CellId> {
    let parts: Vec<&str> = s.trim().split('/').collect();
    let [m, e, u] = parts[..] else {
        return Err(invalid(
            name,
            format!(
                "cell `{}` is not meter/environment/use_case",
                clip(s.trim())
            ),
        ));
    };
    matrix
        .cell(m, e, u)
        .map_err(|(what, value)| Error::Unknown {
            at: field(name),
            what,
            value,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{Currency, Environment, FeeSchedule, FeeTier, Meter, UseCase};
    use crate::num::{Rate, RoundingMode};

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    /// Matrix M built in code, so these tests do not depend on the TOML parser.
    fn spec_m() -> Matrix {
        let fees = FeeSchedule {
            tiers: vec![FeeTier {
                from: Money(d("0")),
                rate: Ratio(d("0.03")),
            }],
        };
        Matrix {
            name: "spec-m".into(),
            version: "1".into(),
            effective: Date::parse("2026-01-01").unwrap(),
            description: String::new(),
            currency: Currency::from_code("USD").unwrap(),
            rounding: RoundingMode::HalfUp,
            list_price: Price(d("1.00")),
            meters: vec![
                Meter {
                    id: "capacity".into(),
                    unit: "TB".into(),
                    base_rate: Rate(d("0.0015")),
                },
                Meter {
                    id: "compute".into(),
                    unit: "vCPU".into(),
                    base_rate: Rate(d("0.02")),
                },
            ],
            environments: vec![
                Environment {
                    id: "on-prem".into(),
                    marketplace: None,
                },
                Environment {
                    id: "aws".into(),
                    marketplace: Some(fees.clone()),
                },
                Environment {
                    id: "azure".into(),
                    marketplace: Some(fees),
                },
            ],
            use_cases: vec![
                UseCase { id: "hot".into() },
                UseCase {
                    id: "archive".into(),
                },
            ],
            multipliers: vec![
                Some(Ratio(d("1.00"))),
                None,
                Some(Ratio(d("1.20"))),
                None,
                Some(Ratio(d("1.25"))),
                Some(Ratio(d("0.40"))),
            ],
        }
    }

    fn link_of_json(json: &str) -> String {
        format!("#v1.{}", URL_SAFE_NO_PAD.encode(json))
    }

    #[test]
    fn round_trip_and_resolve() {
        let s = Scenario::example();
        let link = encode(&s).unwrap();
        assert_eq!(decode(&link).unwrap(), s);
        assert_eq!(decode(link.trim_start_matches('#')).unwrap(), s);
        let r = decode(&link).unwrap().resolve(&spec_m()).unwrap();
        assert_eq!(r.offers.len(), 1);
        assert_eq!(r.profile.cells[0].bursts[0].hours, 100);
        let OfferKind::FixedCapacity(f) = &r.offers[0].kind else {
            panic!("kind")
        };
        assert_eq!(f.monthly_fee.to_string(), "40000.00");
        assert_eq!(f.overage.grace_hours, 72);
    }

    /// Any text, including quotes, escapes, control characters and non-ASCII.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("(\\PC|[\"\\\\\n\t\u{1}é€😀]){0,8}").unwrap()
    }

    fn scenario_strategy() -> impl proptest::strategy::Strategy<Value = Scenario> {
        use proptest::collection::vec;
        use proptest::prelude::*;
        let kind = prop_oneof![
            Just(KindSpec::PayAsYouGo),
            Just(KindSpec::FixedCapacity),
            Just(KindSpec::Commitment)
        ];
        let payment = prop_oneof![Just(Payment::Monthly), Just(Payment::Upfront)];
        let ent = (text(), text()).prop_map(|(cell, quantity)| EntitlementSpec { cell, quantity });
        let offer = (
            (text(), kind, text(), vec(ent, 0..3), text(), payment),
            (text(), text(), text(), text(), text()),
        )
            .prop_map(
                |((name, kind, discount, entitlements, monthly_fee, payment), r)| OfferSpec {
                    name,
                    kind,
                    discount,
                    entitlements,
                    monthly_fee,
                    payment,
                    tolerance: r.0,
                    grace_hours: r.1,
                    overage_price: r.2,
                    commit_units: r.3,
                    commit_price: r.4,
                },
            );
        let burst = (text(), text(), text()).prop_map(|(start, hours, level)| BurstSpec {
            start,
            hours,
            level,
        });
        let cell = (
            (text(), text(), text()),
            (text(), text(), text()),
            vec(burst, 0..3),
        )
            .prop_map(
                |(
                    (cell, baseline, monthly_growth),
                    (daily_amplitude, weekend_dip, noise),
                    bursts,
                )| {
                    CellUsageSpec {
                        cell,
                        baseline,
                        monthly_growth,
                        daily_amplitude,
                        weekend_dip,
                        noise,
                        bursts,
                    }
                },
            );
        let matrix = prop_oneof![
            text().prop_map(MatrixChoice::Bundled),
            text().prop_map(MatrixChoice::Custom)
        ];
        (
            (text(), matrix, text(), text(), text()),
            vec(offer, 0..4),
            (text(), vec(cell, 0..3)),
        )
            .prop_map(
                |((name, matrix, term_start, term_months, channel), offers, (seed, cells))| {
                    Scenario {
                        version: VERSION,
                        name,
                        matrix,
                        term_start,
                        term_months,
                        channel,
                        offers,
                        usage: UsageSpec { seed, cells },
                    }
                },
            )
    }

    proptest::proptest! {
        /// What `encode` (serde_json's writer) writes, `decode` (our reader) reads back.
        #[test]
        fn any_scenario_round_trips_through_a_link_and_saved_storage(s in scenario_strategy()) {
            proptest::prop_assert_eq!(&decode(&encode(&s).unwrap()).unwrap(), &s);
            let all = std::collections::BTreeMap::from([(s.name.clone(), s.clone())]);
            let (back, refused) = read_saved(&write_saved(&all).unwrap());
            proptest::prop_assert!(refused.is_empty());
            proptest::prop_assert_eq!(back, all);
        }
    }

    #[test]
    fn the_json_reader_follows_serde_rules() {
        let good = serde_json::to_string(&Scenario::example()).unwrap();
        let v = |json: &str| {
            decode(&link_of_json(json)).map_err(|e| {
                let msg = e.to_string();
                msg.split_once("valid scenario: ")
                    .map_or(msg.clone(), |(_, m)| m.to_string())
            })
        };
        // Members with defaults may be left out: an empty offer is the default offer.
        let bare = good.replace(r#""name":"Example C","#, "");
        let with_empty_offer = |offers: &str| {
            let start = bare.find(r#""offers":["#).unwrap();
            let end = bare.find(r#"],"usage""#).unwrap();
            format!("{}\"offers\":[{offers}{}", &bare[..start], &bare[end..])
        };
        let s = v(&with_empty_offer("{}")).unwrap();
        assert_eq!(
            (s.name.as_str(), &s.offers[..]),
            ("", &[OfferSpec::default()][..])
        );
        // (JSON, expected message)
        let table: Vec<(String, &str)> = vec![
            (good.replace(r#""channel":"direct","#, ""), "missing field `channel`"),
            (good.replace(r#""version":1,"#, r#""version":1,"version":1,"#), "duplicate field `version`"),
            (good.replace(r#""version":1"#, r#""version":1.0"#), "version: expected a version number such as 1, found 1.0"),
            (good.replace(r#""version":1"#, r#""version":"1""#), "version: expected a version number such as 1, found the string \"1\""),
            (with_empty_offer(r#"{"kind":"payg"}"#), "offers[0].kind: unknown variant `payg`, expected one of `pay-as-you-go`, `fixed-capacity`, `commitment`"),
            (with_empty_offer(r#"{"kind":{"commitment":null}}"#), "offers[0].kind: expected a string, found an object"),
            (with_empty_offer(r#"{"payment":"yearly"}"#), "offers[0].payment: unknown variant `yearly`, expected one of `monthly`, `upfront`"),
            (with_empty_offer(r#"{"entitlements":[{"cell":"a/b/c"}]}"#), "offers[0].entitlements[0]: missing field `quantity`"),
            (with_empty_offer(r#"{"entitlements":{}}"#), "offers[0].entitlements: expected a list (a JSON array), found an object"),
            (with_empty_offer(r#"{},null"#), "offers[1]: expected an offer (a JSON object), found null"),
            (good.replace(r#"{"bundled":"spec-m"}"#, r#"{"bundled":"spec-m","custom":"x"}"#), "matrix: expected one of {\"bundled\": NAME} or {\"custom\": TOML}"),
            (good.replace(r#"{"bundled":"spec-m"}"#, r#""spec-m""#), "matrix: expected a matrix choice (a JSON object), found the string \"spec-m\""),
            (good.replace(r#""seed":"#, r#""seed":true,"x":"#), "usage: unknown field `x`, expected `seed` or `cells`"),
        ];
        for (json, want) in table {
            assert_eq!(v(&json).unwrap_err(), want, "{json}");
        }
    }

    #[test]
    fn broken_links_give_clear_errors() {
        let good = encode(&Scenario::example()).unwrap();
        let truncated = &good[..good.len() / 2];
        let huge = format!("#v1.{}", "A".repeat(MAX_LINK_BYTES + 10));
        let good_json = serde_json::to_string(&Scenario::example()).unwrap();
        let float_json = good_json.replace("\"term_months\":\"12\"", "\"term_months\":12.0");
        let extra_json = good_json.replace("\"version\":1", "\"version\":1,\"admin\":true");
        let v2_json = good_json.replace("\"version\":1", "\"version\":2");
        // (link, expected fragment of the message)
        let table: Vec<(String, &str)> = vec![
            (truncated.to_string(), "truncated"),
            ("#v2.e30".into(), "link version 2 is not supported"),
            ("#v0.e30".into(), "link version 0 is not supported"),
            ("#hello".into(), "not a scenario link"),
            ("#x1.abc".into(), "unknown prefix `x1`"),
            ("#v1.@@@".into(), "not valid base64url"),
            ("#v1.".into(), "truncated"),
            (link_of_json("{\"a\":1}"), "does not hold a valid scenario"),
            (
                link_of_json(&"[".repeat(200)),
                "does not hold a valid scenario: nested too deeply",
            ),
            (link_of_json("{\"version\":1,\"name\":\"x"), "truncated"),
            (link_of_json(&float_json), "does not hold a valid scenario"),
            (link_of_json(&extra_json), "unknown field `admin`"),
            (
                link_of_json(&v2_json),
                "scenario version 2 is not supported",
            ),
            (
                format!("#v1.{}", URL_SAFE_NO_PAD.encode([0xff, 0xfe])),
                "not UTF-8",
            ),
            (huge, "the limit is 65536 bytes"),
        ];
        for (link, want) in table {
            let err = decode(&link)
                .expect_err(&link[..link.len().min(40)])
                .to_string();
            assert!(
                err.contains(want),
                "{}: got `{err}`, want `{want}`",
                &link[..link.len().min(40)]
            );
        }
    }

    #[test]
    fn semantic_errors_name_field_and_value() {
        let m = spec_m();
        type Edit = fn(&mut Scenario);
        let table: Vec<(Edit, &str)> = vec![
            (
                |s| s.offers[0].entitlements[0].cell = "capacity/gcp/hot".into(),
                "unknown environment `gcp`",
            ),
            (
                |s| s.offers[0].entitlements[0].cell = "disk/azure/hot".into(),
                "unknown meter `disk`",
            ),
            (
                |s| s.offers[0].entitlements[0].cell = "capacity-azure-hot".into(),
                "is not meter/environment/use_case",
            ),
            (
                |s| s.offers[0].monthly_fee = "40,000".into(),
                "offer 1 monthly fee: `40,000` is not a decimal number",
            ),
            (
                |s| s.offers[0].grace_hours = "-1".into(),
                "offer 1 grace hours: `-1` is not a whole number",
            ),
            (
                |s| s.term_start = "2026-02-30".into(),
                "invalid date `2026-02-30`",
            ),
            (
                |s| s.term_months = "0".into(),
                "term of 0 months is out of range",
            ),
            (
                |s| s.term_months = "121".into(),
                "term of 121 months is out of range",
            ),
            (
                |s| s.channel = "on-prem".into(),
                "`on-prem` has no marketplace fee schedule",
            ),
            (|s| s.channel = "ibm".into(), "unknown environment `ibm`"),
            (|s| s.offers.clear(), "0 offers; give 1 to 4"),
            (|s| s.offers = vec![s.offers[0].clone(); 5], "5 offers"),
            (
                |s| s.offers.push(s.offers[0].clone()),
                "two offers are named `Fixed 500 TB`",
            ),
            (|s| s.offers[0].name = " ".into(), "an offer needs a name"),
            (
                |s| s.usage.cells[0].cell = "capacity/on-prem/archive".into(),
                "is not offered in matrix spec-m",
            ),
            (
                |s| s.usage.cells.push(s.usage.cells[0].clone()),
                "has two usage profiles",
            ),
            (
                |s| s.usage.cells[0].bursts[0].start = "2026-03-10T00:30:00Z".into(),
                "not on the hour",
            ),
            (
                |s| s.usage.cells[0].baseline = "5e2".into(),
                "`5e2` is not a decimal number",
            ),
            (|s| s.version = 3, "scenario version 3"),
        ];
        for (edit, want) in table {
            let mut s = Scenario::example();
            edit(&mut s);
            let err = s.resolve(&m).expect_err(want).to_string();
            assert!(err.contains(want), "got `{err}`, want `{want}`");
        }
    }

    #[test]
    fn other_kinds_resolve() {
        let m = spec_m();
        let mut s = Scenario::example();
        s.channel = "azure".into();
        s.offers[0].kind = KindSpec::PayAsYouGo;
        s.offers[0].discount = "0.20".into();
        s.offers.push(OfferSpec {
            name: "Bucket".into(),
            kind: KindSpec::Commitment,
            overage_price: "1.10".into(),
            ..OfferSpec::default()
        });
        let r = s.resolve(&m).unwrap();
        assert_eq!(r.terms.channel, Channel::Marketplace("azure".into()));
        assert!(
            matches!(&r.offers[0].kind, OfferKind::PayAsYouGo(p) if p.discount.to_string() == "0.20")
        );
        let OfferKind::Commitment(c) = &r.offers[1].kind else {
            panic!("kind")
        };
        assert_eq!(
            (c.units.to_string(), c.overage_price.map(|p| p.to_string())),
            ("1000".into(), Some("1.10".into()))
        );
    }

    #[test]
    fn oversize_scenario_is_refused_on_encode() {
        let mut s = Scenario::example();
        s.matrix = MatrixChoice::Custom("#".repeat(MAX_LINK_BYTES));
        assert!(matches!(encode(&s), Err(Error::TooLarge { .. })));
    }
}
