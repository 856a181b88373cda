//! What the CLI's test files share: running the built `unitcalc`.

use std::process::{Command, Output};

use unitcalc_tests::{assert_golden, root};

/// Runs `unitcalc` from the workspace root, so paths in messages are stable.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unitcalc"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run unitcalc")
}

pub fn stdout_ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "unitcalc {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `unitcalc ARGS --format F` for each of `formats` (`table`, `csv`,
/// `json`), each output checked against its golden file
/// `cli/tests/golden/STEM.EXT` (`txt`, `csv`, `json`); the JSON output
/// parsed, when `json` is one of them.
#[allow(dead_code)] // not every test file checks goldens this way
pub fn goldens(args: &[&str], stem: &str, formats: &[&str]) -> Option<serde_json::Value> {
    let mut json = None;
    for &format in formats {
        let ext = match format {
            "table" => "txt",
            other => other,
        };
        let out = stdout_ok(&[args, &["--format", format]].concat());
        assert_golden(root().join(format!("cli/tests/golden/{stem}.{ext}")), &out);
        if format == "json" {
            json = Some(serde_json::from_str(&out).expect("valid JSON"));
        }
    }
    json
}

/// `actual` against the golden file `cli/tests/golden/NAME`.
#[allow(dead_code)] // not every test file has goldens of its own
pub fn golden(name: &str, actual: &str) {
    assert_golden(root().join("cli/tests/golden").join(name), actual);
}

/// `unitcalc ARGS`'s standard output, parsed as JSON.
#[allow(dead_code)] // not every test file reads JSON
pub fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_ok(args)).expect("valid JSON")
}
