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

pub mod bill;
pub mod bill_csv;
pub mod book;
pub mod bundled;
pub mod compare;
pub mod deal;
pub mod deal_toml;
pub mod display;
pub mod engine;
pub mod error;
mod json;
pub mod kpi;
pub mod matrix;
pub mod matrix_toml;
pub mod num;
pub mod offer;
pub mod profile;
pub mod quote;
pub mod report;
pub mod scenario;
pub mod time;
mod toml_tree;
mod toml_util;
pub mod usage;
pub mod usage_csv;
mod wide;

pub use error::{Error, Result};
