//! The unit-model commands: `matrix check`, `matrix diff`, `models` (a deal
//! under several matrices side by side) and `sweep`. `UPDATE_SNAPSHOTS=1
//! cargo test -p unitcalc-cli` rewrites the golden files.

mod common;

use common::{golden, run, stdout_ok};

#[test]
fn matrix_check_prints_the_grid() {
    golden(
        "matrix-check-spec-m.txt",
        &stdout_ok(&["matrix", "check", "matrices/spec-m.toml"]),
    );
}

/// `models`: worked example C's deal under spec-m, a copy with azure/hot
/// raised to 1.40 (March's overage 2.10 → 2.35) and a copy that does not
/// offer azure/hot (its column says so, the others stand).
#[test]
fn models_side_by_side() {
    let args = [
        "models",
        "examples/deals/spec-example-c.toml",
        "--model",
        "cli/tests/fixtures/spec-m-azure-hot-1.40.toml",
        "--model",
        "cli/tests/fixtures/spec-m-no-azure-hot.toml",
    ];
    golden("models-example-c.txt", &stdout_ok(&args));
    golden(
        "models-example-c.csv",
        &stdout_ok(&[&args[..], &["-f", "csv"]].concat()),
    );
    let five = run(&[
        &args[..],
        &[
            "--model",
            "matrices/spec-m.toml",
            "--model",
            "matrices/spec-m.toml",
        ],
    ]
    .concat());
    assert_eq!(five.status.code(), Some(1));
    let err = String::from_utf8_lossy(&five.stderr);
    assert!(
        err.contains("5 unit models; at most 4 side by side"),
        "{err}"
    );
}

/// `sweep`: the example deal's revenue against its fixed offer's tolerance
/// band (table, the current 0.10 marked) and the azure/hot multiplier over an
/// evenly spaced range (CSV); a value the matrix rules refuse is an error.
#[test]
fn sweep_outputs() {
    let deal = "examples/deals/acme-compare.toml";
    golden(
        "sweep-tolerance.txt",
        &stdout_ok(&[
            "sweep",
            deal,
            "--param",
            "tolerance-band",
            "--values",
            "0,0.05,0.1,0.2",
        ]),
    );
    golden(
        "sweep-multiplier.csv",
        &stdout_ok(&[
            "sweep",
            deal,
            "--param",
            "multiplier:azure/hot",
            "--from",
            "1.0",
            "--to",
            "1.5",
            "--steps",
            "6",
            "-f",
            "csv",
        ]),
    );
    let bad = run(&["sweep", deal, "--param", "list-price", "--values", "0"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("list price must be greater than 0"), "{err}");
}

/// `matrix diff` of the bundled matrix and its candidate, as a table and as
/// tidy CSV; a matrix against itself has no differences.
#[test]
fn matrix_diff_outputs() {
    let args = [
        "matrix",
        "diff",
        "matrices/illustrative.toml",
        "matrices/illustrative-candidate.toml",
    ];
    golden("matrix-diff.txt", &stdout_ok(&args));
    golden(
        "matrix-diff.csv",
        &stdout_ok(&[&args[..], &["-f", "csv"]].concat()),
    );
    let same = stdout_ok(&[
        "matrix",
        "diff",
        "matrices/spec-m.toml",
        "matrices/spec-m.toml",
    ]);
    assert!(same.ends_with("no differences\n"), "{same}");
}
