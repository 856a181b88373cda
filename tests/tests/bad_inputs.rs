//! The golden bad-input catalogue: every fixture under `tests/fixtures/bad/`
//! is its own test, named `KIND/NAME`, and must be refused with exactly the
//! text of its `.err` file (the message and a newline).
//!
//! | kind | fixture | read by |
//! |---|---|---|
//! | `matrix` | `bad/matrix/NAME.toml` | `parse_matrix(src, "NAME.toml")` |
//! | `deal` | `bad/deal/NAME.toml` | `parse_deal(src, "NAME.toml", &spec_m)` |
//! | `usage` | `bad/usage/NAME.csv` | `read_usage(bytes, "NAME.csv", &spec_m, &term)`, term 2026-03-01 for 12 months |
//! | `bill` | `bad/bill/NAME.json` | `evidence::verify_bill` against worked example C's deal (`tests/fixtures/examples/example-c.toml`): an edited bill must name its first difference |
//! | `link` | `bad/link/NAME.link` | `scenario::open_link(fragment)`: decode, load the matrix, resolve, as the browser does with a share link (fixtures written by `scripts/make-link-fixtures.py`) |
//!
//! Checks of the catalogue as a whole are tests named `catalogue/…`: every
//! `.err` has its fixture, each kind has its fixtures, and no message speaks
//! the parser's type jargon (`expected u32`, `invalid type`, `a map`).
//!
//! `cargo test -p unitcalc-tests --test bad_inputs -- deal/term-zero-months`
//! runs one fixture. With `UPDATE_SNAPSHOTS=1` the `.err` files are
//! (re)written instead of compared; review them by eye before committing.

use std::fs;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use unitcalc_core::deal_toml::parse_deal;
use unitcalc_core::matrix_toml::parse_matrix;
use unitcalc_core::time::{Date, Term};
use unitcalc_core::usage_csv::read_usage;
use unitcalc_tests::fixtures::{self, files, stem};
use unitcalc_tests::{check_golden, display, spec_m};

/// How a fixture of one kind is read: `Err(message)` when it is refused.
type Reader = fn(&Path, &str) -> Result<(), String>;

/// (folder under `bad/`, fixture extension, at least this many fixtures, reader).
const KINDS: [(&str, &str, usize, Reader); 5] = [
    ("matrix", "toml", 20, read_matrix),
    ("deal", "toml", 12, read_deal),
    ("usage", "csv", 12, read_usage_file),
    ("link", "link", 30, read_link),
    ("bill", "json", 3, read_bill),
];

fn read_matrix(path: &Path, name: &str) -> Result<(), String> {
    let src = fs::read_to_string(path).map_err(|e| e.to_string())?;
    parse_matrix(&src, name)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn read_deal(path: &Path, name: &str) -> Result<(), String> {
    let src = fs::read_to_string(path).map_err(|e| e.to_string())?;
    parse_deal(&src, name, &spec_m())
        .map(drop)
        .map_err(|e| e.to_string())
}

fn read_usage_file(path: &Path, name: &str) -> Result<(), String> {
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    let term = Term::new(Date::parse("2026-03-01").expect("date"), 12).expect("term");
    read_usage(&bytes, name, &spec_m(), &term)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn read_link(path: &Path, _: &str) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    unitcalc_core::scenario::open_link(text.trim_end_matches('\n'))
        .map(drop)
        .map_err(|e| e.to_string())
}

/// A bill that must not verify against worked example C's inputs.
fn read_bill(path: &Path, name: &str) -> Result<(), String> {
    use unitcalc_core::evidence::{verify_bill, ExplainedBill, Verification};
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let c = unitcalc_tests::deals::load_deal(unitcalc_tests::path(
        "tests/fixtures/examples/example-c.toml",
    ));
    let priced = c.compare().bills.remove(0);
    let expected = ExplainedBill {
        bill: &priced,
        trail: None,
        evidence: None,
    };
    match verify_bill(&text, name, &expected).map_err(|e| e.to_string())? {
        v @ Verification::Differs { .. } => Err(v.message(name)),
        Verification::Verified { .. } => Ok(()),
    }
}

/// One fixture: refused, with exactly the text of its `.err` file.
fn refused_as_catalogued(path: &Path, read: Reader) -> Result<(), Failed> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name");
    match read(path, name) {
        Ok(()) => Err(format!("{}: read without error, but must be refused", display(path)).into()),
        Err(got) => Ok(check_golden(
            path.with_extension("err"),
            &format!("{got}\n"),
        )?),
    }
}

/// Every `.err` file of the catalogue, sorted.
fn err_files() -> Vec<PathBuf> {
    KINDS
        .iter()
        .flat_map(|(kind, ..)| files(&fixtures::bad(kind), "err"))
        .collect()
}

/// An `.err` without its fixture is a stale snapshot; a kind with fewer
/// fixtures than its minimum lost some (or its folder).
fn catalogue_is_complete() -> Result<(), Failed> {
    let mut problems = Vec::new();
    for (kind, ext, min, _) in KINDS {
        let dir = fixtures::bad(kind);
        let n = files(&dir, ext).len();
        if n < min {
            problems.push(format!(
                "{}: {n} .{ext} fixtures, expected at least {min}",
                display(&dir)
            ));
        }
        for err in files(&dir, "err") {
            if !err.with_extension(ext).exists() {
                problems.push(format!(
                    "{}: no fixture {}.{ext} beside it",
                    display(&err),
                    stem(&err)
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// Words of the Rust type system and of the parsers' generic messages, which
/// mean nothing to the person who wrote the file. A message says what to
/// write instead (e.g. "`months` is a whole number: write months = 3").
const JARGON: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "a borrowed string",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "sequence",
    "map",
    "struct",
    "enum",
    "variant",
    "tuple",
    "newtype",
];

/// The jargon in `message`, outside what it quotes (`…` or "…": the file's own
/// text, which may say anything). Whole words, case-insensitive.
fn jargon_in(message: &str) -> Vec<&'static str> {
    let mut unquoted = String::new();
    let mut quote = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '`' || c == '"' => {
                quote = Some(c);
                unquoted.push(' ');
            }
            None => unquoted.push(c),
        }
    }
    let words: Vec<String> = unquoted
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let text = format!(" {} ", words.join(" "));
    JARGON
        .iter()
        .copied()
        .filter(|j| text.contains(&format!(" {j} ")))
        .collect()
}

/// The rule of [`jargon_in`] as a table: (message, the jargon it finds).
fn jargon_rule_holds() -> Result<(), Failed> {
    let table: [(&str, &[&str]); 7] = [
        (
            "deal.toml:8:10: invalid type: string \"12\", expected u32",
            &["invalid type", "u32"],
        ),
        (
            "m.toml:46:11: invalid type: string \"1.00\", expected a map",
            &["invalid type", "map"],
        ),
        (
            "x: invalid type: sequence, expected a borrowed string",
            &["invalid type", "a borrowed string", "sequence"],
        ),
        (
            "x: unknown variant `fixed`, expected enum Kind",
            &["enum", "variant"],
        ),
        (
            "deal.toml:8:10: `months` is a whole number: write months = 3",
            &[],
        ),
        (
            "usage.csv:2: unknown meter `map` (or \"u32\", or `struct`)",
            &[],
        ),
        (
            "a second customer `globex`: read one customer per file",
            &[],
        ),
    ];
    let wrong: Vec<String> = table
        .iter()
        .filter(|(msg, want)| jargon_in(msg) != *want)
        .map(|(msg, want)| format!("{msg:?}: found {:?}, expected {want:?}", jargon_in(msg)))
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("\n").into())
    }
}

/// No catalogued message speaks type jargon; lists every offending file.
fn no_type_jargon() -> Result<(), Failed> {
    let offending: Vec<String> = err_files()
        .iter()
        .filter_map(|err| {
            let text = fs::read_to_string(err).ok()?;
            let found = jargon_in(&text);
            (!found.is_empty()).then(|| {
                format!(
                    "{} ({}): {}",
                    display(err),
                    found.join(", "),
                    text.trim_end()
                )
            })
        })
        .collect();
    if offending.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} catalogued message(s) speak type jargon; say what to write instead:\n{}",
            offending.len(),
            offending.join("\n")
        )
        .into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for (kind, ext, _, read) in KINDS {
        for path in files(&fixtures::bad(kind), ext) {
            trials.push(Trial::test(format!("{kind}/{}", stem(&path)), move || {
                refused_as_catalogued(&path, read)
            }));
        }
    }
    trials.push(Trial::test("catalogue/complete", catalogue_is_complete));
    trials.push(Trial::test("catalogue/jargon-rule", jargon_rule_holds));
    trials.push(Trial::test("catalogue/no-type-jargon", no_type_jargon));
    libtest_mimic::run(&args, trials).exit();
}
