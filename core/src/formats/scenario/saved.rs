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
