//! Reads a scenario (a versioned [`DealSpec`]) from a [`crate::json`] tree: the inverse of the
//! derived `Serialize` (`serde_json`) that [`super::encode`] and saved
//! scenarios write.
//!
//! The rules are serde's, spelled out: objects refuse unknown and
//! duplicate members; a missing member is an error except where the type
//! has a default (`name`; every member of an offer, of the usage profile and
//! of a cell's usage, whose defaults are [`crate::deal::OfferSpec::default`] …); every
//! typed value is a JSON string, so a number where a decimal belongs is an
//! error, never a float; `version` is a JSON integer; enums are their
//! kebab-case names, the matrix choice `{"bundled": "…"}` or
//! `{"custom": "…"}`. Errors name the member path (`offers[1].monthly_fee`)
//! and the byte offset of the value.
//!
//! Stricter than serde in one way, on purpose: an enum is only its name as
//! a string (`"kind": "commitment"`); serde also took `{"commitment": null}`,
//! which nothing writes. Links written by [`super::encode`] before this
//! reader existed read the same (the round-trip property test and the link
//! catalogue check it).

use crate::json::{Node, Value};
use crate::offer::Payment;

use crate::deal::{
    BurstSpec, CellUsageSpec, DealSpec, EntitlementSpec, KindSpec, MatrixChoice, OfferSpec,
    UsageSpec, PROFILE_KEYS,
};

/// A decoding error: the message and the byte offset of the value at fault.
#[derive(Debug)]
pub(crate) struct Bad {
    pub message: String,
    pub offset: usize,
}

type R<T> = std::result::Result<T, Bad>;

/// A deal read with the version it was written in.
type Versioned = (u32, DealSpec);

fn bad(n: &Node, path: &str, message: String) -> Bad {
    Bad {
        message: if path.is_empty() {
            message
        } else {
            format!("{path}: {message}")
        },
        offset: n.offset,
    }
}

/// The members of an object, checked against the allowed names.
struct Obj<'a> {
    members: &'a [(String, Node)],
    path: &'a str,
    node: &'a Node,
}

impl<'a> Obj<'a> {
    fn new(n: &'a Node, path: &'a str, what: &str, allowed: &[&str]) -> R<Obj<'a>> {
        let Value::Object(members) = &n.value else {
            return Err(bad(
                n,
                path,
                format!(
                    "expected {what} (a JSON object), found {}",
                    n.value.describe()
                ),
            ));
        };
        for (i, (k, v)) in members.iter().enumerate() {
            if !allowed.contains(&k.as_str()) {
                return Err(bad(v, path, crate::error::unknown_field(k, allowed)));
            }
            if members.iter().take(i).any(|(seen, _)| seen == k) {
                return Err(bad(v, path, format!("duplicate field `{k}`")));
            }
        }
        Ok(Obj {
            members,
            path,
            node: n,
        })
    }

    fn get(&self, key: &str) -> Option<&'a Node> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn sub(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Fails on the first of `keys` that is missing.
    fn require(&self, keys: &[&str]) -> R<()> {
        match keys.iter().find(|k| self.get(k).is_none()) {
            Some(k) => Err(bad(self.node, self.path, format!("missing field `{k}`"))),
            None => Ok(()),
        }
    }

    /// Reads the string members present among `slots` into them (the
    /// others keep their value). Table-driven, so each field costs a table
    /// entry rather than its own code in the WebAssembly module.
    fn strings(&self, slots: &mut [(&str, &mut String)]) -> R<()> {
        for (key, slot) in slots.iter_mut() {
            if let Some(v) = self.get(key) {
                **slot = string(v, &self.sub(key))?;
            }
        }
        Ok(())
    }

    /// Reads the member `key`, if present, with `read` into `slot`.
    fn read<T>(&self, key: &str, slot: &mut T, read: fn(&Node, &str) -> R<T>) -> R<()> {
        if let Some(v) = self.get(key) {
            *slot = read(v, &self.sub(key))?;
        }
        Ok(())
    }

    /// Reads the list member `key`, if present, item by item into `slot`.
    fn list<T>(&self, key: &str, slot: &mut Vec<T>, read: fn(&Node, &str) -> R<T>) -> R<()> {
        let Some(n) = self.get(key) else {
            return Ok(());
        };
        let path = self.sub(key);
        let Value::Array(items) = &n.value else {
            return Err(bad(
                n,
                &path,
                format!(
                    "expected a list (a JSON array), found {}",
                    n.value.describe()
                ),
            ));
        };
        slot.clear();
        for (i, item) in items.iter().enumerate() {
            slot.push(read(item, &format!("{path}[{i}]"))?);
        }
        Ok(())
    }
}

fn string(n: &Node, path: &str) -> R<String> {
    match &n.value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(_) => Err(bad(
            n,
            path,
            format!(
                "expected a string, found {} (values are written as strings, e.g. \"1.10\")",
                n.value.describe()
            ),
        )),
        v => Err(bad(
            n,
            path,
            format!("expected a string, found {}", v.describe()),
        )),
    }
}

/// A kebab-case enum name among `(name, value)` pairs.
fn name_of<T: Copy>(n: &Node, path: &str, names: &[(&str, T)]) -> R<T> {
    let s = string(n, path)?;
    names
        .iter()
        .find(|(k, _)| *k == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let all: Vec<String> = names.iter().map(|(k, _)| format!("`{k}`")).collect();
            bad(
                n,
                path,
                format!("unknown variant `{s}`, expected one of {}", all.join(", ")),
            )
        })
}

fn kind(n: &Node, path: &str) -> R<KindSpec> {
    let all = [
        KindSpec::PayAsYouGo,
        KindSpec::FixedCapacity,
        KindSpec::Commitment,
    ];
    let names: Vec<(&str, KindSpec)> = all.iter().map(|k| (k.as_str(), *k)).collect();
    name_of(n, path, &names)
}

fn payment(n: &Node, path: &str) -> R<Payment> {
    name_of(
        n,
        path,
        &[("monthly", Payment::Monthly), ("upfront", Payment::Upfront)],
    )
}

fn version(n: &Node, path: &str) -> R<u32> {
    match &n.value {
        Value::Number(t) => t.parse::<u32>().map_err(|_| {
            bad(
                n,
                path,
                format!("expected a version number such as 1, found {t}"),
            )
        }),
        v => Err(bad(
            n,
            path,
            format!(
                "expected a version number such as 1, found {}",
                v.describe()
            ),
        )),
    }
}

fn matrix(n: &Node, path: &str) -> R<MatrixChoice> {
    let o = Obj::new(n, path, "a matrix choice", &["bundled", "custom"])?;
    match o.members {
        [(k, v)] if k == "bundled" => Ok(MatrixChoice::Bundled(string(v, &o.sub(k))?)),
        [(k, v)] => Ok(MatrixChoice::Custom(string(v, &o.sub(k))?)),
        _ => Err(bad(
            n,
            path,
            "expected one of {\"bundled\": NAME} or {\"custom\": TOML}".into(),
        )),
    }
}

fn entitlement(n: &Node, path: &str) -> R<EntitlementSpec> {
    let o = Obj::new(n, path, "an entitlement", &["cell", "quantity"])?;
    o.require(&["cell", "quantity"])?;
    let mut e = EntitlementSpec {
        cell: String::new(),
        quantity: String::new(),
    };
    o.strings(&mut [("cell", &mut e.cell), ("quantity", &mut e.quantity)])?;
    Ok(e)
}

fn offer(n: &Node, path: &str) -> R<OfferSpec> {
    let o = Obj::new(
        n,
        path,
        "an offer",
        &[
            "name",
            "kind",
            "discount",
            "entitlements",
            "monthly_fee",
            "payment",
            "tolerance",
            "grace_hours",
            "overage_price",
            "commit_units",
            "commit_price",
        ],
    )?;
    let mut f = OfferSpec::default();
    o.strings(&mut [
        ("name", &mut f.name),
        ("discount", &mut f.discount),
        ("monthly_fee", &mut f.monthly_fee),
        ("tolerance", &mut f.tolerance),
        ("grace_hours", &mut f.grace_hours),
        ("overage_price", &mut f.overage_price),
        ("commit_units", &mut f.commit_units),
        ("commit_price", &mut f.commit_price),
    ])?;
    o.read("kind", &mut f.kind, kind)?;
    o.read("payment", &mut f.payment, payment)?;
    o.list("entitlements", &mut f.entitlements, entitlement)?;
    Ok(f)
}

fn burst(n: &Node, path: &str) -> R<BurstSpec> {
    const KEYS: [&str; 4] = ["start", "hours", "level", "after_hours"];
    let o = Obj::new(n, path, "a burst", &KEYS)?;
    o.require(&KEYS[..3])?;
    let mut b = BurstSpec::default();
    o.strings(&mut [
        ("start", &mut b.start),
        ("after_hours", &mut b.after_hours),
        ("hours", &mut b.hours),
        ("level", &mut b.level),
    ])?;
    Ok(b)
}

fn cell_usage(n: &Node, path: &str) -> R<CellUsageSpec> {
    let keys: Vec<&str> = ["cell"].into_iter().chain(PROFILE_KEYS).collect();
    let o = Obj::new(n, path, "a cell's usage", &keys)?;
    let mut c = CellUsageSpec::default();
    o.strings(&mut [
        ("cell", &mut c.cell),
        ("baseline", &mut c.baseline),
        ("monthly_growth", &mut c.monthly_growth),
        ("daily_amplitude", &mut c.daily_amplitude),
        ("weekend_dip", &mut c.weekend_dip),
        ("noise", &mut c.noise),
    ])?;
    o.list("bursts", &mut c.bursts, burst)?;
    Ok(c)
}

fn usage(n: &Node, path: &str) -> R<UsageSpec> {
    let o = Obj::new(n, path, "a usage profile", &["seed", "cells"])?;
    let mut u = UsageSpec::default();
    o.strings(&mut [("seed", &mut u.seed)])?;
    o.list("cells", &mut u.cells, cell_usage)?;
    Ok(u)
}

/// A whole scenario: its version (read, not checked) and the deal.
pub(super) fn scenario(n: &Node) -> R<Versioned> {
    const KEYS: [&str; 8] = [
        "version",
        "name",
        "matrix",
        "term_start",
        "term_months",
        "channel",
        "offers",
        "usage",
    ];
    let o = Obj::new(n, "", "a scenario", &KEYS)?;
    // Every member but `name` is required.
    o.require(&[&KEYS[..1], &KEYS[2..]].concat())?;
    let mut version_read = 0;
    let mut s = DealSpec {
        name: String::new(),
        matrix: MatrixChoice::Bundled(String::new()),
        term_start: String::new(),
        term_months: String::new(),
        channel: String::new(),
        offers: Vec::new(),
        usage: UsageSpec::default(),
        usage_csv: None,
    };
    o.read("version", &mut version_read, version)?;
    o.strings(&mut [
        ("name", &mut s.name),
        ("term_start", &mut s.term_start),
        ("term_months", &mut s.term_months),
        ("channel", &mut s.channel),
    ])?;
    o.read("matrix", &mut s.matrix, matrix)?;
    o.list("offers", &mut s.offers, offer)?;
    o.read("usage", &mut s.usage, usage)?;
    Ok((version_read, s))
}

/// Saved scenarios: an object of name → scenario. Entries that do not
/// read are returned as errors, so one bad entry does not hide the rest.
pub(super) fn saved(n: &Node) -> R<Vec<(String, R<Versioned>)>> {
    let Value::Object(members) = &n.value else {
        return Err(bad(
            n,
            "",
            format!(
                "expected saved scenarios (a JSON object), found {}",
                n.value.describe()
            ),
        ));
    };
    Ok(members
        .iter()
        .map(|(name, v)| (name.clone(), scenario(v)))
        .collect())
}
