//! Marketplace metering: a deal's metered usage, reported to AWS, Azure or
//! Google Cloud in whole numbers that add up, period by period, to exactly
//! what the bill charges. Guide: `docs/metering.md`.
//!
//! - [`plan`]: the resolved `[metering]` plan of a deal (marketplace,
//!   identifiers, dimensions); read by the deal reader, checked by the deal
//!   resolver.
//! - [`meter`](mod@meter): what the plan reports, hour by hour in whole numbers, and
//!   its reconciliation against the bill, period by period.
//! - [`daily`]: what will be reported, per UTC day and dimension (the
//!   browser's Metering view, computed in its Web Worker).
//! - [`reconcile`]: the records against the bill, per period and dimension.
//! - [`report`]: the marketplace's own report against what was sent
//!   (matched, missing, duplicate, rejected, mismatched, unexpected).
//! - [`requests`](mod@requests): the request bodies for AWS, Azure and Google Cloud, one
//!   JSON file per request, or all as JSON Lines ([`uuid`]: the name-based ids of Google Cloud
//!   operations). They live here, not in `formats/`, because they are
//!   outputs of this module's records only. The browser's Metering view
//!   runs them (SHA-1 included) in the page's Web Worker, never in the
//!   page's first load.

pub mod daily;
pub mod meter;
pub mod plan;
pub mod reconcile;
pub mod report;
pub mod requests;
pub mod uuid;

pub use meter::{meter, meter_bill, MeterRecord, Metering, PeriodDimension};
pub use plan::{
    Dimension, DimensionUnit, Identifiers, Marketplace, MeteringPlan, IDENTIFIER_KEYS,
    MAX_DIMENSION_NAME, MAX_IDENTIFIER,
};
pub use requests::{requests, Request, Window};
