//! Bills as plain serde data. Decimals serialize as JSON strings.

use serde::{Deserialize, Serialize};

use crate::matrix::CellName;
use crate::num::{Money, Price, Quantity, Ratio, Units};
use crate::time::{Date, Hour};

/// What a bill line charges for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// Fixed-capacity fee (monthly share or upfront).
    Fee,
    /// Commitment installment (monthly payment).
    Installment,
    /// Commitment paid upfront.
    Commitment,
    /// Pay-as-you-go consumption.
    PayAsYouGo,
    /// Overage beyond entitlement or commitment.
    Overage,
}

impl LineKind {
    /// The kind's name as written in bills (JSON) and CSV exports, kebab-case.
    ///
    /// ```
    /// use unitcalc_core::bill::LineKind;
    /// assert_eq!(LineKind::PayAsYouGo.as_str(), "pay-as-you-go");
    /// assert_eq!(LineKind::Overage.as_str(), "overage");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Fee => "fee",
            LineKind::Installment => "installment",
            LineKind::Commitment => "commitment",
            LineKind::PayAsYouGo => "pay-as-you-go",
            LineKind::Overage => "overage",
        }
    }
}

/// One rounded money line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Kind.
    pub kind: LineKind,
    /// Human description, e.g. "Monthly fee, 336 of 672 hours".
    pub description: String,
    /// The cell, for consumption and overage lines.
    pub cell: Option<CellName>,
    /// Quantity-hours priced (consumption: all; overage: charged excess).
    pub quantity_hours: Option<Quantity>,
    /// Units priced, exact.
    pub units: Option<Units>,
    /// Price per unit, exact.
    pub unit_price: Option<Price>,
    /// Amount, rounded once to the currency's minor units.
    pub amount: Money,
}

/// Per-cell figures for one period (or the whole term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellStats {
    /// The cell.
    pub cell: CellName,
    /// Entitled quantity, fixed-capacity only.
    pub entitlement: Option<Quantity>,
    /// Σ hourly quantity.
    pub quantity_hours: Quantity,
    /// Σ hourly units burned.
    pub units: Units,
    /// Highest hourly quantity.
    pub peak: Quantity,
    /// Average hourly quantity over the hours of the period in the term.
    pub average: Quantity,
    /// Average ÷ entitlement, when there is an entitlement.
    pub utilization: Option<Ratio>,
    /// Fixed capacity: hours with excess that were tolerated (0 for the
    /// other offers, where the overage rule of section 5 does not apply).
    pub tolerated_hours: u32,
    /// Fixed capacity: hours with excess that were charged (0 for the other
    /// offers).
    pub charged_hours: u32,
    /// Fixed capacity: Σ excess over charged hours (0 for the other offers).
    pub charged_quantity_hours: Quantity,
    /// Commitment: units drawn from the bucket.
    pub drawn_units: Option<Units>,
    /// Overage units (fixed capacity: charged; commitment: beyond the bucket).
    pub overage_units: Units,
}

/// One billing period (calendar month part of the term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodBill {
    /// `YYYY-MM`.
    pub label: String,
    /// First hour in the term.
    pub start: Hour,
    /// End hour (exclusive).
    pub end: Hour,
    /// Hours of the period in the term.
    pub hours: u32,
    /// Hours in the whole calendar month.
    pub month_hours: u32,
    /// Less than a whole month.
    pub partial: bool,
    /// Rounded lines.
    pub lines: Vec<Line>,
    /// Σ lines.
    pub total: Money,
    /// Marketplace fee, round(total × fee rate).
    pub marketplace_fee: Money,
    /// total − marketplace fee.
    pub net_revenue: Money,
    /// Per-cell figures, matrix order; cells with usage or entitlement.
    pub cells: Vec<CellStats>,
}

/// The state of a units commitment at the end of the term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentState {
    /// N.
    pub units_purchased: Units,
    /// P.
    pub commit_price: Price,
    /// C = round(N × P).
    pub commitment_amount: Money,
    /// Units burned by usage over the term (= drawn + overage).
    pub units_consumed: Units,
    /// Units drawn from the bucket.
    pub units_drawn: Units,
    /// Units beyond the bucket.
    pub overage_units: Units,
    /// Units left in the bucket (they expire at the end of the term).
    pub units_remaining: Units,
    /// The first hour that left the balance at 0.
    pub exhausted_at: Option<Hour>,
    /// 1-based hour of the term at exhaustion (spec example F: 667).
    pub exhausted_term_hour: Option<u64>,
    /// Units that expire unused (= remaining).
    pub expired_units: Units,
    /// Their value at P, rounded once.
    pub expired_value: Money,
}

/// A priced deal: one offer over one usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    /// Offer name.
    pub offer: String,
    /// `pay-as-you-go`, `fixed-capacity` or `commitment`.
    pub offer_kind: String,
    /// Matrix name.
    pub matrix: String,
    /// Matrix version.
    pub matrix_version: String,
    /// Currency code.
    pub currency: String,
    /// Term start.
    pub term_start: Date,
    /// Term end (exclusive).
    pub term_end: Date,
    /// Term length in months.
    pub term_months: u32,
    /// `direct` or the marketplace environment id.
    pub channel: String,
    /// Periods in order.
    pub periods: Vec<PeriodBill>,
    /// Σ period totals: total contract value.
    pub total: Money,
    /// Marketplace fee rate chosen by total contract value (0 for direct).
    pub marketplace_fee_rate: Ratio,
    /// Σ period marketplace fees.
    pub marketplace_fee: Money,
    /// total − marketplace fee.
    pub net_revenue: Money,
    /// Units burned by usage over the term.
    pub units_consumed: Units,
    /// Per-cell figures over the whole term.
    pub cells: Vec<CellStats>,
    /// Commitment state, for commitment offers.
    pub commitment: Option<CommitmentState>,
}
