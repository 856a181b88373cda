//! The text formats: one reader (and writer) per format, re-exported at the
//! crate root (`unitcalc_core::matrix_toml`, …). Formats are described in
//! `docs/`: matrices (`docs/matrix-format.md`), deals
//! (`docs/deal-format.md`), hourly usage (`docs/usage-format.md`), share
//! links (`docs/web.md`), the tidy bill CSV (`docs/cli.md`).
//!
//! - `toml_tree` (private): the one TOML walker over `toml_edit`'s spanned
//!   tree (matrices, deals, books): keys, types and positions, in plain words.
//! - `toml_util` (private): the decimal rule, literal messages, size checks,
//!   TOML string writing.
//! - `json` (private): a small strict JSON reader (share links, saved
//!   scenarios), for the browser's size.
//! - `bill_csv`, `compare_csv`: the tidy CSVs of a bill and of a comparison.
//! - `csv_line` (private): the one CSV field splitter (quoted fields), for
//!   the usage reader and the marketplace reports.
//! - `typed`: the one lenient reader, for values typed into a form field
//!   (grouping, a currency, a unit, a percentage); files and links stay strict.
//! - `usage_parquet` (feature `parquet`): hourly usage in Parquet, read by
//!   the usage CSV's own reader, batch by batch.

pub mod bill_csv;
pub mod compare_csv;
pub(crate) mod csv_line;
pub mod deal_toml;
pub(crate) mod json;
pub mod ledger_csv;
pub mod matrix_toml;
pub mod scenario;
pub(crate) mod toml_tree;
pub(crate) mod toml_util;
pub mod typed;
pub mod usage_csv;
#[cfg(feature = "parquet")]
pub mod usage_parquet;
