//! Test data once: what the workspace's tests share (this crate's `tests/`
//! and `cli/tests/`, which dev-depends on this crate).
//!
//! | item | what |
//! |---|---|
//! | [`root`], [`path`] | the workspace root; a path under it |
//! | [`spec_m`] | matrix M of the pricing model, parsed from `matrices/spec-m.toml` |
//! | [`fixtures`] | where the fixtures live; the files of a folder, sorted |
//! | [`golden`] | the one golden-file rule: [`assert_golden`], [`check_golden`] |
//! | [`examples`] | worked examples A–F: deal files, golden bills, headline figures |
//! | [`deals`] | a deal file loaded and priced as the CLI and the browser do |
//!
//! Golden files are rewritten by running the tests with `UPDATE_SNAPSHOTS=1`
//! (exactly `1`); review the diff before committing.

use std::path::{Path, PathBuf};

use unitcalc_core::matrix::Matrix;
use unitcalc_core::matrix_toml::parse_matrix;

pub mod deals;
pub mod examples;
pub mod fixtures;
pub mod golden;

pub use golden::{assert_golden, check_golden};

/// The text of `matrices/spec-m.toml`, matrix M of the pricing model.
pub const SPEC_M_TOML: &str = include_str!("../../matrices/spec-m.toml");

/// Matrix M of the pricing model (section 11), parsed from
/// `matrices/spec-m.toml` with the file name `spec-m.toml`.
pub fn spec_m() -> Matrix {
    parse_matrix(SPEC_M_TOML, "spec-m.toml").unwrap_or_else(|e| panic!("matrix M: {e}"))
}

/// The workspace root (the folder holding `matrices/`, `tests/`, `cli/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_path_buf()
}

/// `rel` under the workspace root.
pub fn path(rel: impl AsRef<Path>) -> PathBuf {
    root().join(rel)
}

/// `path` relative to the workspace root when it is under it (for messages).
pub fn display(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
