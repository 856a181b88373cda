//! The golden bad-input catalogue: every fixture under `tests/fixtures/bad/`
//! must be refused with exactly the error text in its `.err` file.
//!
//! - `bad/matrix/NAME.toml`: `parse_matrix(src, "NAME.toml")`
//! - `bad/deal/NAME.toml`: `parse_deal(src, "NAME.toml", &spec_m)`
//! - `bad/usage/NAME.csv`: `read_usage(bytes, "NAME.csv", &spec_m, &term)`,
//!   term 2026-03-01 for 12 months
//! - `bad/link/NAME.link`: `scenario::open_link(fragment)` (decode, load the
//!   matrix, resolve), exactly what the browser does with a share link; the
//!   fixtures are written by `scripts/make-link-fixtures.py`
//!
//! With `UPDATE_SNAPSHOTS=1` the `.err` files are (re)written instead; review
//! them by eye before committing. Also checks that every matrix in `matrices/`
//! and every deal in `examples/deals/` parses and round-trips through `to_toml`.

use std::fs;
use std::path::{Path, PathBuf};

use unitcalc_core::deal_toml::{matrix_ref, parse_deal};
use unitcalc_core::matrix_toml::parse_matrix;
use unitcalc_core::time::{Date, Term};
use unitcalc_core::usage_csv::read_usage;
use unitcalc_tests::{check_golden, spec_m};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Files in `dir` ending in `.ext`, sorted by name.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Runs one catalogue directory: `parse(path, name)` must fail with the text
/// of the fixture's `.err`. Returns the failures, one line each.
fn run(
    kind: &str,
    ext: &str,
    parse: &dyn Fn(&Path, &str) -> Result<(), String>,
) -> (usize, Vec<String>) {
    let dir = root().join("tests/fixtures/bad").join(kind);
    let mut failures = Vec::new();
    let fixtures = files(&dir, ext);
    for path in &fixtures {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 file name")
            .to_string();
        let err_path = path.with_extension("err");
        let got = match parse(path, &name) {
            Ok(()) => {
                failures.push(format!(
                    "{kind}/{name}: parsed OK but should have been refused"
                ));
                continue;
            }
            Err(e) => e,
        };
        if let Err(e) = check_golden(&err_path, &format!("{got}\n")) {
            failures.push(format!("{kind}/{name}: {e}"));
        }
    }
    // An .err without its fixture is a stale snapshot.
    for err in files(&dir, "err") {
        if !err.with_extension(ext).exists() {
            failures.push(format!("{kind}: {} has no fixture", err.display()));
        }
    }
    (fixtures.len(), failures)
}

fn check(kind: &str, min: usize, result: (usize, Vec<String>)) {
    let (count, failures) = result;
    assert!(
        failures.is_empty(),
        "{} failing {kind} fixture(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        count >= min,
        "expected at least {min} {kind} fixtures, found {count}"
    );
}

#[test]
fn bad_matrices_are_refused_with_golden_errors() {
    let r = run("matrix", "toml", &|path, name| {
        let src = fs::read_to_string(path).map_err(|e| e.to_string())?;
        parse_matrix(&src, name)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    check("matrix", 20, r);
}

#[test]
fn bad_deals_are_refused_with_golden_errors() {
    let m = spec_m();
    let r = run("deal", "toml", &|path, name| {
        let src = fs::read_to_string(path).map_err(|e| e.to_string())?;
        parse_deal(&src, name, &m)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    check("deal", 12, r);
}

#[test]
fn bad_usage_files_are_refused_with_golden_errors() {
    let m = spec_m();
    let term = Term::new(Date::parse("2026-03-01").expect("date"), 12).expect("term");
    let r = run("usage", "csv", &|path, name| {
        let bytes = fs::read(path).map_err(|e| e.to_string())?;
        read_usage(&bytes, name, &m, &term)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    check("usage", 12, r);
}

#[test]
fn bad_share_links_are_refused_with_golden_errors() {
    let r = run("link", "link", &|path, _| {
        let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
        unitcalc_core::scenario::open_link(text.trim_end_matches('\n'))
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    check("link", 30, r);
}

#[test]
fn every_shipped_matrix_and_deal_parses() {
    let matrices = files(&root().join("matrices"), "toml");
    assert!(
        matrices.len() >= 3,
        "expected spec-m, illustrative and illustrative-candidate"
    );
    for path in &matrices {
        let src = fs::read_to_string(path).expect("read matrix");
        let m = parse_matrix(&src, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let written = unitcalc_core::matrix_toml::to_toml(&m);
        assert_eq!(
            parse_matrix(&written, "written").expect("written matrix parses"),
            m,
            "{}",
            path.display()
        );
    }
    let deals_dir = root().join("examples/deals");
    let deals = files(&deals_dir, "toml");
    assert!(deals.len() >= 2, "expected at least two example deals");
    for path in &deals {
        let name = path.display().to_string();
        let src = fs::read_to_string(path).expect("read deal");
        let mref = matrix_ref(&src, &name).unwrap_or_else(|e| panic!("{e}"));
        let mpath = deals_dir.join(&mref);
        let msrc = fs::read_to_string(&mpath)
            .unwrap_or_else(|e| panic!("{name}: matrix {}: {e}", mpath.display()));
        let m = parse_matrix(&msrc, &mpath.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let deal = parse_deal(&src, &name, &m).unwrap_or_else(|e| panic!("{e}"));
        let written = unitcalc_core::deal_toml::to_toml(&deal, &m);
        assert_eq!(
            parse_deal(&written, "written", &m).expect("written deal parses"),
            deal,
            "{name}"
        );
    }
}
