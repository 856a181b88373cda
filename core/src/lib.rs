//! # unitcalc-core
//!
//! The exact-decimal engine behind the unitcalc pricing and units calculator.
//! It implements `pricing-model.md`: a [`matrix::Matrix`] price book, hourly
//! [`usage`], three kinds of [`offer`], and [`bill::Bill`]s priced by the
//! [`engine`]. No binary floating point, no I/O: callers hand in text or
//! readers, the core hands back plain serde data or an [`error::Error`] that
//! names the file, line and offending value.
#![deny(clippy::float_arithmetic)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]
#![warn(missing_docs)]

// The model.
pub mod bill;
pub mod deal;
pub mod error;
pub mod matrix;
pub mod num;
pub mod offer;
mod short_sort;
pub mod time;
pub mod usage;
mod wide;

// Pricing.
pub mod engine;
pub mod profile;

// Answers to whole questions, and figures for people.
pub mod book;
pub mod compare;
pub mod display;
pub mod evidence;
pub mod kpi;
pub mod lab;
pub mod metering;
pub mod quote;
pub mod report;
pub mod sheet;

// The text formats (`formats/`), one reader each, and the bundled matrices.
pub mod bundled;
mod formats;
#[cfg(feature = "parquet")]
pub use formats::usage_parquet;
pub use formats::{
    bill_csv, compare_csv, deal_toml, ledger_csv, matrix_toml, scenario, typed, usage_csv,
};
use formats::{json, toml_tree, toml_util};

pub use error::{Error, Result};
