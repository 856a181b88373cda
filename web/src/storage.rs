//! Named scenarios in the browser's localStorage (never sent anywhere).
//!
//! The stored text is [`scenario::write_saved`]'s JSON object; reading it
//! back goes through [`scenario::read_saved`], so a saved scenario is read
//! by the same code and rules as a share link's. Every call reads the store
//! afresh, so scenarios saved from another tab are kept.
//!
//! A scenario saved from the lab is saved as the simulator saves it (its
//! deal: the simulator lists and opens it, under the deal's matrix), and
//! its first model's name and extra models apart, under [`LAB_KEY`]
//! ([`scenario::write_saved_lab`]); the lab reopens both
//! ([`scenario::open_saved_lab`]: models saved with another deal than the
//! one saved now under that name are not put on it).

use std::collections::BTreeMap;

use unitcalc_core::deal::DealSpec;
use unitcalc_core::scenario::{self, LabScenario};

use crate::browser::{self, StoreError};

const KEY: &str = "unitcalc.scenarios.v1";
/// Names of the scenarios saved while usage came from an uploaded file, and
/// that file's name, as `name\tfile` lines: the page marks those entries
/// (the file itself is not kept; see docs/web.md).
const CSV_KEY: &str = "unitcalc.scenarios.v1.csv";
/// The lab's part of saved scenarios (first model's name, extra models).
const LAB_KEY: &str = "unitcalc.scenarios.v1.lab";

/// All saved scenarios by name. A store that cannot be read reads as
/// empty; an entry that does not read is left out.
pub fn load_all() -> BTreeMap<String, DealSpec> {
    browser::stored(KEY)
        .map(|t| scenario::read_saved(&t).0)
        .unwrap_or_default()
}

/// The names of the saved scenarios, in order.
pub fn names() -> Vec<String> {
    load_all().into_keys().collect()
}

fn write(all: &BTreeMap<String, DealSpec>) -> Result<(), String> {
    let text = scenario::write_saved(all).map_err(|e| e.to_string())?;
    store(KEY, &text)
}

fn store(key: &str, text: &str) -> Result<(), String> {
    browser::store(key, text).map_err(|e| match e {
        StoreError::Unavailable => "this browser's storage is not available".to_string(),
        StoreError::Refused => {
            "could not save in this browser's storage (is it full or disabled?)".to_string()
        }
    })
}

/// The saved scenarios that were saved with uploaded usage, by name: the
/// file's name.
pub fn csv_names() -> BTreeMap<String, String> {
    let text = browser::stored(CSV_KEY).unwrap_or_default();
    let mut all = BTreeMap::new();
    // Inserted one by one: collecting into a map links a stable sort.
    for (n, f) in text.lines().filter_map(|l| l.split_once('\t')) {
        all.insert(n.to_string(), f.to_string());
    }
    all
}

fn set_csv(name: &str, csv: Option<&str>) {
    let mut all = csv_names();
    match csv {
        Some(f) => all.insert(name.to_string(), f.replace(['\t', '\n'], " ")),
        None => all.remove(name),
    };
    let text: String = all.iter().map(|(n, f)| format!("{n}\t{f}\n")).collect();
    // Only a marker: a store that refuses it loses the mark, not the scenario.
    let _ = browser::store(CSV_KEY, &text);
}

/// Saves a scenario under a name (replacing one of the same name); `csv`
/// names the uploaded usage file in use (not kept; the entry is marked).
pub fn save(name: &str, s: &DealSpec, csv: Option<&str>) -> Result<(), String> {
    let mut all = load_all();
    all.insert(name.to_string(), s.clone());
    write(&all)?;
    set_csv(name, csv);
    Ok(())
}

/// Deletes a saved scenario.
pub fn delete(name: &str) {
    let mut all = load_all();
    all.remove(name);
    let _ = write(&all);
    set_csv(name, None);
}

fn load_labs() -> BTreeMap<String, LabScenario> {
    browser::stored(LAB_KEY)
        .map(|t| scenario::read_saved_lab(&t).0)
        .unwrap_or_default()
}

/// Saves a scenario from the lab under a name (replacing one of the same
/// name): its deal as [`save`] does, its first model's name and models
/// under [`LAB_KEY`] (entries of scenarios deleted since are dropped).
pub fn save_lab(name: &str, s: &LabScenario, csv: Option<&str>) -> Result<(), String> {
    save(name, &s.deal, csv)?;
    let saved = load_all();
    let mut all = load_labs();
    all.retain(|n, _| saved.contains_key(n));
    all.insert(name.to_string(), s.clone());
    let text = scenario::write_saved_lab(&all).map_err(|e| e.to_string())?;
    store(LAB_KEY, &text)
}

/// The saved scenario `name` as the lab opens it: its deal, with the models
/// saved from the lab with that deal.
pub fn open_lab(name: &str) -> Option<LabScenario> {
    let deal = load_all().remove(name)?;
    Some(scenario::open_saved_lab(deal, load_labs().get(name)))
}
