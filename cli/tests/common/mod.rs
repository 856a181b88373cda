//! What the CLI's test files share: running the built `unitcalc`.

use std::process::{Command, Output};

use unitcalc_tests::root;

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
