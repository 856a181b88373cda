//! Fingerprints: SHA-256 digests of a bill's inputs and of the bill, over
//! canonical texts anyone can rebuild and check with `sha256sum`
//! (`docs/evidence.md`). The same inputs give the same digests on every
//! platform; any change of an input changes its digest.
//!
//! | input | canonical text |
//! |---|---|
//! | matrix | [`crate::matrix_toml::to_toml`] of the parsed matrix |
//! | deal | [`crate::deal_toml::to_toml`] of the resolved deal, its matrix referenced as `matrix.toml` and a usage CSV as `usage.csv` (so the digest does not depend on where the files lie, and the written folder quotes as it is) |
//! | usage | [`canonical_usage`]: `timestamp,meter,environment,use_case,quantity`, sorted by hour then matrix cell order, exact decimals without trailing zeros, zero hours left out |
//! | engine | [`engine_text`]: the crate's version and the pricing-model revision it implements |
//! | bill | [`canonical_bill`]: the bill's compact JSON (decimals as strings) |

pub mod trail;

use std::fmt::Write as _;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::bill::Bill;
use crate::deal::{Deal, MatrixChoice, UsageSource};
use crate::error::{Error, Result};
use crate::matrix::Matrix;
use crate::usage::UsageSeries;

/// The revision of `pricing-model.md` this engine implements (raised when a
/// meaning in the contract changes).
pub const PRICING_MODEL_REVISION: &str = "2026-11";

/// The digests of one deal's inputs and of each offer's bill, as lowercase
/// hexadecimal SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fingerprints {
    /// The matrix's canonical TOML.
    pub matrix: String,
    /// The deal's canonical TOML.
    pub deal: String,
    /// The usage's canonical CSV.
    pub usage: String,
    /// The engine's identity.
    pub engine: String,
    /// Per offer, in the deal's order: (offer name, the bill's canonical JSON).
    pub bills: Vec<(String, String)>,
}

/// The names of the columns a CSV export adds for its bill's fingerprints
/// ([`BillEvidence::columns`], in this order).
pub const DIGEST_COLUMNS: [&str; 5] = [
    "bill_sha256",
    "matrix_sha256",
    "deal_sha256",
    "usage_sha256",
    "engine_sha256",
];

impl Fingerprints {
    /// Each offer's bill with the inputs' digests, in the deal's order.
    pub fn per_bill(&self) -> Vec<BillEvidence> {
        self.bills
            .iter()
            .map(|(_, bill)| BillEvidence {
                matrix: self.matrix.clone(),
                deal: self.deal.clone(),
                usage: self.usage.clone(),
                engine: self.engine.clone(),
                bill: bill.clone(),
            })
            .collect()
    }

    /// The digests as lines of `digest  file` (the layout `sha256sum`
    /// prints), each naming the canonical file `unitcalc fingerprint --write
    /// DIR` writes; a bill's line ends with its offer in parentheses.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, evidence, quote};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
    /// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
    /// let q = quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
    /// let f = evidence::fingerprints(&m, &deal, &usage, &q.comparison.bills).unwrap();
    /// let text = f.to_text();
    /// assert!(text.starts_with(&format!("{}  matrix.toml\n", f.matrix)));
    /// assert!(text.ends_with("  bill-1.json  (Fixed 500 TB)\n"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (digest, file) in [
            (&self.matrix, "matrix.toml"),
            (&self.deal, "deal.toml"),
            (&self.usage, "usage.csv"),
            (&self.engine, "engine.txt"),
        ] {
            let _ = writeln!(out, "{digest}  {file}");
        }
        for (i, (offer, digest)) in self.bills.iter().enumerate() {
            let _ = writeln!(
                out,
                "{digest}  bill-{}.json  ({offer})",
                i.saturating_add(1)
            );
        }
        out
    }

    /// [`Fingerprints::to_text`] as TOML comment lines under a line saying
    /// what they are: the head of a deal or matrix file the browser exports.
    /// Readers skip comments, so the file reads, and fingerprints, as
    /// without them.
    pub fn toml_comment(&self) -> String {
        let mut out = String::from(
            "# SHA-256 fingerprints of this deal's inputs and bills (docs/evidence.md;\n\
             # `unitcalc fingerprint` prints them, `--write DIR` writes the files they digest):\n",
        );
        for line in self.to_text().lines() {
            let _ = writeln!(out, "#   {line}");
        }
        out
    }
}

/// The canonical texts behind [`Fingerprints`], to write as files and check
/// with `sha256sum`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalTexts {
    /// `matrix.toml`.
    pub matrix: String,
    /// `deal.toml`.
    pub deal: String,
    /// `usage.csv`.
    pub usage: String,
    /// `engine.txt`.
    pub engine: String,
    /// Per offer: (offer name, `bill-N.json` text).
    pub bills: Vec<(String, String)>,
}

/// Lowercase hexadecimal SHA-256 of `text`'s UTF-8 bytes.
///
/// ```
/// assert_eq!(
///     unitcalc_core::evidence::sha256_hex(""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The engine's identity: `unitcalc-core VERSION` and `pricing-model REVISION`, one per line.
pub fn engine_text() -> String {
    format!(
        "unitcalc-core {}\npricing-model {PRICING_MODEL_REVISION}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The usage as canonical CSV: a header, then one row per hour and used
/// cell, by hour then matrix cell order, quantities exact without trailing
/// zeros; zero hours are left out (a zero record is an absent hour).
///
/// ```
/// use unitcalc_core::{bundled, evidence::canonical_usage, time::{Date, Term}, usage::UsageSeries};
/// let m = bundled::matrix("spec-m").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let mut u = UsageSeries::new(&term);
/// let mut q = vec!["0".parse().unwrap(); term.hours()];
/// q[1] = "500.50".parse().unwrap();
/// u.set_series(m.cell("capacity", "azure", "hot").unwrap(), q);
/// assert_eq!(
///     canonical_usage(&m, &u),
///     "timestamp,meter,environment,use_case,quantity\n2026-03-01T01:00:00Z,capacity,azure,hot,500.5\n"
/// );
/// ```
pub fn canonical_usage(m: &Matrix, usage: &UsageSeries) -> String {
    let mut out = String::from("timestamp,meter,environment,use_case,quantity\n");
    let mut cells: Vec<_> = usage.cells().iter().collect();
    cells.sort_by_key(|c| c.cell);
    let names: Vec<_> = cells.iter().map(|c| m.cell_name(c.cell)).collect();
    for h in 0..usage.hours() {
        let hour = crate::time::Hour(
            usage
                .start()
                .0
                .saturating_add(i64::try_from(h).unwrap_or(i64::MAX)),
        );
        for (c, n) in cells.iter().zip(&names) {
            let Some(q) = c.quantities.get(h) else {
                continue;
            };
            if q.is_zero() {
                continue;
            }
            let _ = writeln!(
                out,
                "{hour},{},{},{},{}",
                n.meter,
                n.environment,
                n.use_case,
                q.get().normalize()
            );
        }
    }
    out
}

/// The bill's canonical JSON: compact, fields in declaration order, decimals
/// as strings.
pub fn canonical_bill(b: &Bill) -> Result<String> {
    serde_json::to_string(b).map_err(|e| Error::Invalid {
        at: crate::error::Origin::file("bill"),
        message: e.to_string(),
    })
}

/// The canonical texts of a priced deal.
pub fn canonical_texts(
    m: &Matrix,
    deal: &Deal,
    usage: &UsageSeries,
    bills: &[Bill],
) -> Result<CanonicalTexts> {
    let mut deal = deal.clone();
    deal.matrix = MatrixChoice::File("matrix.toml".into());
    if let UsageSource::Csv(_) = deal.usage {
        deal.usage = UsageSource::Csv("usage.csv".into());
    }
    Ok(CanonicalTexts {
        matrix: crate::matrix_toml::to_toml(m),
        deal: crate::deal_toml::to_toml(&deal, m),
        usage: canonical_usage(m, usage),
        engine: engine_text(),
        bills: bills
            .iter()
            .map(|b| Ok((b.offer.clone(), canonical_bill(b)?)))
            .collect::<Result<_>>()?,
    })
}

/// The fingerprints of a priced deal: SHA-256 of each canonical text.
///
/// ```
/// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, evidence, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let q = quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
/// let f = evidence::fingerprints(&m, &deal, &usage, &q.comparison.bills).unwrap();
/// assert_eq!(f.matrix, evidence::sha256_hex(&unitcalc_core::matrix_toml::to_toml(&m)));
/// assert_eq!(f.bills[0].0, "Fixed 500 TB");
/// ```
pub fn fingerprints(
    m: &Matrix,
    deal: &Deal,
    usage: &UsageSeries,
    bills: &[Bill],
) -> Result<Fingerprints> {
    let t = canonical_texts(m, deal, usage, bills)?;
    Ok(Fingerprints {
        matrix: sha256_hex(&t.matrix),
        deal: sha256_hex(&t.deal),
        usage: sha256_hex(&t.usage),
        engine: sha256_hex(&t.engine),
        bills: t
            .bills
            .iter()
            .map(|(o, b)| (o.clone(), sha256_hex(b)))
            .collect(),
    })
}

/// The fingerprints a bill carries in its JSON under `evidence`: its
/// inputs' and its own. The bill's own digest is over its canonical JSON
/// ([`canonical_bill`]), which has neither the `evidence` nor the `trail`
/// key, so it is the same digest `unitcalc fingerprint` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BillEvidence {
    /// The matrix's canonical TOML.
    pub matrix: String,
    /// The deal's canonical TOML.
    pub deal: String,
    /// The usage's canonical CSV.
    pub usage: String,
    /// The engine's identity.
    pub engine: String,
    /// The bill's canonical JSON (without `evidence` and `trail`).
    pub bill: String,
}

impl BillEvidence {
    /// The five digests in [`DIGEST_COLUMNS`] order.
    pub fn columns(&self) -> [&str; 5] {
        [
            self.bill.as_str(),
            self.matrix.as_str(),
            self.deal.as_str(),
            self.usage.as_str(),
            self.engine.as_str(),
        ]
    }

    /// The digests as the end of a CSV row: `,bill,matrix,deal,usage,engine`
    /// (hex digits need no quoting).
    pub(crate) fn tail(&self) -> String {
        self.columns().iter().fold(String::new(), |mut t, d| {
            t.push(',');
            t.push_str(d);
            t
        })
    }

    /// The evidence of `bill`, priced from `deal` over `usage` with `m`.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, evidence, quote};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
    /// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
    /// let bill = &quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap().comparison.bills[0];
    /// let e = evidence::BillEvidence::of(&m, &deal, &usage, bill).unwrap();
    /// assert_eq!(e.bill, evidence::sha256_hex(&evidence::canonical_bill(bill).unwrap()));
    /// ```
    pub fn of(m: &Matrix, deal: &Deal, usage: &UsageSeries, bill: &Bill) -> Result<BillEvidence> {
        let f = fingerprints(m, deal, usage, std::slice::from_ref(bill))?;
        let own = f
            .bills
            .into_iter()
            .next()
            .map(|(_, d)| d)
            .unwrap_or_default();
        Ok(BillEvidence {
            matrix: f.matrix,
            deal: f.deal,
            usage: f.usage,
            engine: f.engine,
            bill: own,
        })
    }
}

/// A bill as written with what was asked for beside its fields: the formula
/// trail (`trail`) and the fingerprints (`evidence`). Without either it is
/// the bill's own JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedBill<'a> {
    /// The bill's fields.
    #[serde(flatten)]
    pub bill: &'a Bill,
    /// Each money line's formula trail, period by period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trail: Option<&'a [trail::LineTrail]>,
    /// The fingerprints of the inputs and of the bill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<&'a BillEvidence>,
}

/// Everything one offer's bill can show of its evidence, computed together
/// (the browser asks for it when the user opens the trail, and for exports):
/// the bill priced with its hourly ledger, each money line's formula trail
/// and the fingerprints.
#[derive(Debug, Clone)]
pub struct OfferEvidence {
    /// The bill, its excess runs and its hourly ledger.
    pub recorded: crate::engine::Recorded,
    /// Each money line's trail, period by period.
    pub trail: Vec<trail::LineTrail>,
    /// The fingerprints of the inputs and of the bill.
    pub evidence: BillEvidence,
}

/// Hex digits of a digest shown where space is short (a printed quote, a
/// file name): the first 12 of the 64.
pub const SHORT_DIGEST: usize = 12;

impl OfferEvidence {
    /// Prices `offer` of `deal` with everything recorded, and builds its trail
    /// and fingerprints.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, evidence::OfferEvidence, quote};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
    /// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
    /// let e = OfferEvidence::of(&m, &deal, &usage, &deal.offers[0]).unwrap();
    /// assert_eq!(e.short().len(), 12);
    /// assert!(e.evidence.bill.starts_with(e.short()));
    /// assert_eq!(e.trail.len(), e.recorded.bill.periods.iter().map(|p| p.lines.len()).sum::<usize>());
    /// assert!(e.ledger_csv(&m).unwrap().starts_with("offer,hour,period,"));
    /// assert_eq!(e.lines().len(), e.recorded.bill.periods.len());
    /// ```
    pub fn of(
        m: &Matrix,
        deal: &Deal,
        usage: &UsageSeries,
        offer: &crate::offer::Offer,
    ) -> Result<OfferEvidence> {
        let recorded = crate::engine::price_recorded(m, &deal.terms, offer, usage)?;
        let trail = trail::trail(m, &deal.terms, offer, &recorded)?;
        let evidence = BillEvidence::of(m, deal, usage, &recorded.bill)?;
        Ok(OfferEvidence {
            recorded,
            trail,
            evidence,
        })
    }

    /// [`OfferEvidence::of`] when the deal's [`Fingerprints`] are already
    /// computed (for every offer, as the browser's worker does for the
    /// quote): the offer is priced with everything recorded and its trail
    /// built, and its fingerprints are taken from `fingerprints`, not hashed
    /// again.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, evidence::{self, OfferEvidence}, quote};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
    /// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
    /// let q = quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
    /// let f = evidence::fingerprints(&m, &deal, &usage, &q.comparison.bills).unwrap();
    /// let e = OfferEvidence::with_fingerprints(&m, &deal, &usage, 0, &f).unwrap();
    /// assert_eq!(e.evidence, OfferEvidence::of(&m, &deal, &usage, &deal.offers[0]).unwrap().evidence);
    /// ```
    pub fn with_fingerprints(
        m: &Matrix,
        deal: &Deal,
        usage: &UsageSeries,
        offer: usize,
        fingerprints: &Fingerprints,
    ) -> Result<OfferEvidence> {
        let missing = || Error::Invalid {
            at: crate::error::Origin::file("deal"),
            message: format!("the deal has no offer {}", offer.saturating_add(1)),
        };
        let o = deal.offers.get(offer).ok_or_else(missing)?;
        let evidence = fingerprints
            .per_bill()
            .into_iter()
            .nth(offer)
            .ok_or_else(missing)?;
        let recorded = crate::engine::price_recorded(m, &deal.terms, o, usage)?;
        let trail = trail::trail(m, &deal.terms, o, &recorded)?;
        Ok(OfferEvidence {
            recorded,
            trail,
            evidence,
        })
    }

    /// The bill's short fingerprint ([`SHORT_DIGEST`] hex digits).
    pub fn short(&self) -> &str {
        self.evidence
            .bill
            .get(..SHORT_DIGEST)
            .unwrap_or(&self.evidence.bill)
    }

    /// The bill as its JSON is written with the trail and the fingerprints.
    pub fn json(&self) -> ExplainedBill<'_> {
        ExplainedBill {
            bill: &self.recorded.bill,
            trail: Some(&self.trail),
            evidence: Some(&self.evidence),
        }
    }

    /// The bill as its JSON is written with the fingerprints only (as
    /// `unitcalc quote --evidence -f json`).
    pub fn json_with_digests(&self) -> BillWithDigests<'_> {
        BillWithDigests {
            bill: &self.recorded.bill,
            evidence: &self.evidence,
        }
    }

    /// The hourly ledger as tidy CSV ([`crate::ledger_csv`]).
    pub fn ledger_csv(&self, m: &Matrix) -> Result<String> {
        Ok(crate::ledger_csv::to_csv(
            m,
            &self.recorded.bill,
            &self.recorded.ledger,
        )?)
    }

    /// Each line's trail, as the bill's periods and lines are ordered:
    /// `lines()[k][i]` explains period `k`'s line `i`.
    pub fn lines(&self) -> Vec<&[trail::LineTrail]> {
        let mut rest = self.trail.as_slice();
        self.recorded
            .bill
            .periods
            .iter()
            .map(|p| {
                let (these, after) = rest.split_at(p.lines.len().min(rest.len()));
                rest = after;
                these
            })
            .collect()
    }
}

/// A bill with its fingerprints under `evidence`: [`ExplainedBill`] without
/// the trail, for writers that leave the trail out (the browser's export).
#[derive(Debug, Clone, Serialize)]
pub struct BillWithDigests<'a> {
    /// The bill's fields.
    #[serde(flatten)]
    pub bill: &'a Bill,
    /// The fingerprints of the inputs and of the bill.
    pub evidence: &'a BillEvidence,
}

/// The keys a bill file may carry beside the bill's own fields; `verify`
/// sets them aside before comparing the fields.
pub const ADDED_KEYS: [&str; 2] = ["trail", "evidence"];

/// The result of checking a bill against the bill its inputs give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every field is the same; the bill's fingerprint.
    Verified {
        /// SHA-256 of the bill's canonical JSON.
        bill: String,
    },
    /// The first field that differs (object members in alphabetical order,
    /// array items in order).
    Differs {
        /// Its path, e.g. `periods[0].lines[1].amount`.
        path: String,
        /// What the bill file says (JSON, `absent` when missing).
        found: String,
        /// What the inputs give.
        expected: String,
    },
}

impl Verification {
    /// What to tell the user about the bill file `file`: `verified` with the
    /// bill's fingerprint, or where it differs and both values.
    pub fn message(&self, file: &str) -> String {
        match self {
            Verification::Verified { bill } => {
                format!("verified: {file} is what its inputs give (bill {bill})")
            }
            Verification::Differs {
                path,
                found,
                expected,
            } => format!(
                "{file} differs from what its inputs give at `{path}`: the bill says {found}, the inputs give {expected}"
            ),
        }
    }
}

/// Checks a bill file's JSON (`text`, named `file` in errors) against what
/// its inputs give (`expected`: the bill, and its trail and fingerprints
/// when the caller has them). The fingerprints under `evidence` are compared
/// first (a different input is the cause of any other difference), then
/// every field (object members in alphabetical order, array items in
/// order). A key the file does not carry beside the bill's own fields
/// (`trail`, `evidence`: [`ADDED_KEYS`]) is not asked of it. A text that is
/// not JSON is an error.
///
/// ```
/// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, evidence::{verify_bill, ExplainedBill, Verification}, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let bill = &quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap().comparison.bills[0];
/// let expected = ExplainedBill { bill, trail: None, evidence: None };
/// let text = serde_json::to_string_pretty(bill).unwrap();
/// assert!(matches!(verify_bill(&text, "c.json", &expected).unwrap(), Verification::Verified { .. }));
/// let edited = text.replacen("\"40002.10\"", "\"40002.11\"", 1);
/// let Verification::Differs { path, found, expected } = verify_bill(&edited, "c.json", &expected).unwrap() else { panic!() };
/// assert_eq!((path.as_str(), found.as_str(), expected.as_str()), ("periods[0].total", "\"40002.11\"", "\"40002.10\""));
/// ```
pub fn verify_bill(text: &str, file: &str, expected: &ExplainedBill<'_>) -> Result<Verification> {
    let found: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::Invalid {
        at: crate::error::Origin::line(file, u32::try_from(e.line()).unwrap_or(u32::MAX)),
        message: format!("not a bill's JSON: {e}"),
    })?;
    let mut want = serde_json::to_value(expected).map_err(|e| Error::Invalid {
        at: crate::error::Origin::file("bill"),
        message: e.to_string(),
    })?;
    if let (Some(w), Some(f)) = (want.as_object_mut(), found.as_object()) {
        for k in ADDED_KEYS {
            if !f.contains_key(k) {
                w.remove(k);
            }
        }
    }
    let evidence = |v: &serde_json::Value| v.get("evidence").cloned();
    let first = match (evidence(&found), evidence(&want)) {
        (Some(f), Some(w)) => first_difference(&f, &w, "evidence".into()),
        _ => None,
    };
    Ok(
        match first.or_else(|| first_difference(&found, &want, String::new())) {
            None => Verification::Verified {
                bill: sha256_hex(&canonical_bill(expected.bill)?),
            },
            Some((path, f, e)) => Verification::Differs {
                path,
                found: f,
                expected: e,
            },
        },
    )
}

/// The first place where two JSON trees differ: objects member by member in
/// the expected order (then members only the found one has), arrays item by
/// item.
fn first_difference(
    found: &serde_json::Value,
    expected: &serde_json::Value,
    path: String,
) -> Option<(String, String, String)> {
    use serde_json::Value;
    let show = |v: Option<&Value>| v.map_or("absent".to_string(), Value::to_string);
    match (found, expected) {
        (Value::Object(f), Value::Object(e)) => {
            let join = |k: &str| {
                if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                }
            };
            for (k, ev) in e {
                match f.get(k) {
                    Some(fv) => {
                        if let Some(d) = first_difference(fv, ev, join(k)) {
                            return Some(d);
                        }
                    }
                    None => return Some((join(k), show(None), show(Some(ev)))),
                }
            }
            f.iter()
                .find(|(k, _)| !e.contains_key(*k))
                .map(|(k, fv)| (join(k), show(Some(fv)), show(None)))
        }
        (Value::Array(f), Value::Array(e)) => {
            for i in 0..f.len().max(e.len()) {
                let at = format!("{path}[{i}]");
                match (f.get(i), e.get(i)) {
                    (Some(fv), Some(ev)) => {
                        if let Some(d) = first_difference(fv, ev, at) {
                            return Some(d);
                        }
                    }
                    (fv, ev) => return Some((at, show(fv), show(ev))),
                }
            }
            None
        }
        _ if found == expected => None,
        _ => Some((path, show(Some(found)), show(Some(expected)))),
    }
}
