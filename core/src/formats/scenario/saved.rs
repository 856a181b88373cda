//! Saved scenarios: named deals as one JSON object, for the browser's
//! local storage.

use std::collections::BTreeMap;

use crate::deal::DealSpec;
use crate::error::{Error, Origin, Result};

use super::{from_json, invalid, read_json, Versioned, VERSION};

/// Writes named scenarios as one JSON object (see [`read_saved`]).
///
/// ```
/// use std::collections::BTreeMap;
/// use unitcalc_core::deal::DealSpec;
/// use unitcalc_core::scenario::{read_saved, write_saved};
/// let all = BTreeMap::from([("Acme".to_string(), DealSpec::example())]);
/// let text = write_saved(&all).unwrap();
/// let (back, refused) = read_saved(&text);
/// assert_eq!((back, refused.len()), (all, 0));
/// ```
pub fn write_saved(all: &BTreeMap<String, DealSpec>) -> Result<String> {
    // As in `encode`: the writer cannot fail on these plain structs.
    serde_json::to_string(&Saved(all))
        .map_err(|_| invalid("", "they could not be written as JSON".into()))
}

/// The saved scenarios as written: each deal with its version, in name
/// order (serialized straight from the map, without building another).
struct Saved<'a>(&'a BTreeMap<String, DealSpec>);

impl serde::Serialize for Saved<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .map(|(name, deal)| (name, Versioned::of(deal))),
        )
    }
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
pub fn read_saved(text: &str) -> (BTreeMap<String, DealSpec>, Vec<(String, Error)>) {
    let origin = |offset| Origin::from_offset("saved scenarios JSON", text, offset);
    let mut all = BTreeMap::new();
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
            Ok((VERSION, s)) => {
                all.insert(name, s);
            }
            Ok((version, _)) => {
                let message = format!(
                    "saved scenario \"{name}\": version {version} is not supported (expected {VERSION})"
                );
                refused.push((name, invalid("", message)));
            }
            Err(e) => refused.push((name, e)),
        }
    }
    (all, refused)
}

/// Writes the lab's part of saved scenarios: by saved scenario's name, the
/// first model's name and the extra models, as one JSON object of lab
/// links ([`encode_lab_scenario`](super::encode_lab_scenario), each with
/// its deal). The browser keeps it apart from [`write_saved`]'s text (which
/// holds the deal, so the simulator lists and opens it unchanged); the lab
/// reads both ([`open_saved_lab`]).
///
/// ```
/// use std::collections::BTreeMap;
/// use unitcalc_core::deal::DealSpec;
/// use unitcalc_core::scenario::{read_saved_lab, write_saved_lab, LabScenario};
/// let s = LabScenario { deal: DealSpec::example(), first: Some("today".into()), models: vec![] };
/// let all = BTreeMap::from([("Acme".to_string(), s)]);
/// let text = write_saved_lab(&all).unwrap();
/// assert!(text.starts_with(r##"{"Acme":"#lab1."##));
/// assert_eq!(read_saved_lab(&text), (all, vec![]));
/// ```
pub fn write_saved_lab(all: &BTreeMap<String, super::LabScenario>) -> Result<String> {
    let mut links = BTreeMap::new();
    for (name, s) in all {
        links.insert(name, super::encode_lab_scenario(s)?);
    }
    serde_json::to_string(&links)
        .map_err(|_| invalid("", "they could not be written as JSON".into()))
}

/// Reads what [`write_saved_lab`] wrote; an entry that does not read is
/// left out and reported (name and error), as [`read_saved`] does. An
/// empty text (nothing saved from the lab) reads as nothing.
pub fn read_saved_lab(text: &str) -> (BTreeMap<String, super::LabScenario>, Vec<(String, Error)>) {
    let mut all = BTreeMap::new();
    let mut refused = Vec::new();
    if text.trim().is_empty() {
        return (all, refused);
    }
    let links: BTreeMap<String, String> = match serde_json::from_str(text) {
        Ok(l) => l,
        Err(e) => {
            let message = format!("the lab's saved models are not a JSON object of links: {e}");
            refused.push((String::new(), invalid("", message)));
            return (all, refused);
        }
    };
    for (name, link) in links {
        match super::decode_lab_scenario(&link) {
            Ok(s) => {
                all.insert(name, s);
            }
            Err(e) => refused.push((name, e)),
        }
    }
    (all, refused)
}

/// What the lab opens for the saved scenario whose deal is `deal`: that
/// deal, with the first model's name and the extra models saved from the
/// lab under the same name when they were saved with this very deal. A
/// scenario saved from the simulator (before the lab, or again since) has
/// none: models saved with another deal are not put on this one.
///
/// ```
/// use unitcalc_core::deal::DealSpec;
/// use unitcalc_core::scenario::{open_saved_lab, LabScenario};
/// let deal = DealSpec::example();
/// let lab = LabScenario { deal: deal.clone(), first: Some("today".into()), models: vec![] };
/// assert_eq!(open_saved_lab(deal.clone(), Some(&lab)), lab);
/// let mut other = deal.clone();
/// other.name = "Saved again from the simulator".into();
/// assert_eq!(open_saved_lab(other.clone(), Some(&lab)).first, None);
/// assert_eq!(open_saved_lab(deal, None).models, vec![]);
/// ```
pub fn open_saved_lab(deal: DealSpec, lab: Option<&super::LabScenario>) -> super::LabScenario {
    match lab {
        Some(l) if l.deal == deal => l.clone(),
        _ => super::LabScenario {
            deal,
            first: None,
            models: Vec::new(),
        },
    }
}
