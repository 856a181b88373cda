//! Shared by the benchmarks: matrix M, the four cells they meter, and the
//! fixed-capacity offer (500 per cell, 40,000.00 a month, default rule).
//! Matrix M is parsed from `matrices/spec-m.toml`, never built by hand.

// Each bench uses part of this module.
#![allow(dead_code)]

use rust_decimal::Decimal;
use unitcalc_core::matrix::{CellId, Matrix};
use unitcalc_core::matrix_toml::parse_matrix;
use unitcalc_core::num::{Money, Quantity};
use unitcalc_core::offer::*;

/// Matrix M of the pricing model.
pub fn spec_m() -> Matrix {
    parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap()
}

/// on-prem/hot, azure/hot, azure/archive capacity and azure/hot compute.
pub fn four_cells(m: &Matrix) -> [CellId; 4] {
    [
        m.cell("capacity", "on-prem", "hot").unwrap(),
        m.cell("capacity", "azure", "hot").unwrap(),
        m.cell("capacity", "azure", "archive").unwrap(),
        m.cell("compute", "azure", "hot").unwrap(),
    ]
}

/// 500 entitled in every cell for 40,000.00 a month, default overage rule.
pub fn fixed_offer(cells: &[CellId]) -> Offer {
    Offer {
        name: "fixed".into(),
        kind: OfferKind::FixedCapacity(FixedCapacity {
            entitlements: cells
                .iter()
                .map(|&cell| Entitlement {
                    cell,
                    quantity: Quantity(Decimal::new(500, 0)),
                })
                .collect(),
            monthly_fee: Money(Decimal::new(4_000_000, 2)),
            payment: Payment::Monthly,
            overage: OveragePolicy::default(),
        }),
    }
}
