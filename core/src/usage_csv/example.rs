//! A doc and test fixture: the spec's matrix M, built from constants.

use rust_decimal::Decimal;

use crate::matrix::Matrix;

/// The spec's matrix M (pricing-model.md section 11), built in code, for
/// examples and tests that must not depend on the TOML parser.
#[doc(hidden)]
// Built from constant literals that are known to be valid.
#[allow(clippy::expect_used)]
pub fn example_matrix() -> Matrix {
    use crate::matrix::{Currency, Environment, Meter, UseCase};
    use crate::num::{Price, Rate, Ratio, RoundingMode};
    use crate::time::Date;
    let d = |s: &str| Decimal::from_str_exact(s).expect("valid decimal");
    Matrix {
        name: "spec-m".into(),
        version: "1".into(),
        effective: Date::new(2026, 1, 1).expect("valid date"),
        description: "Matrix M".into(),
        currency: Currency {
            code: "USD".into(),
            minor_units: 2,
        },
        rounding: RoundingMode::HalfUp,
        list_price: Price(d("1.00")),
        meters: vec![
            Meter {
                id: "capacity".into(),
                unit: "TB".into(),
                base_rate: Rate(d("0.0015")),
            },
            Meter {
                id: "compute".into(),
                unit: "vCPU".into(),
                base_rate: Rate(d("0.02")),
            },
        ],
        environments: vec![
            Environment {
                id: "on-prem".into(),
                marketplace: None,
            },
            Environment {
                id: "aws".into(),
                marketplace: None,
            },
            Environment {
                id: "azure".into(),
                marketplace: None,
            },
        ],
        use_cases: vec![
            UseCase { id: "hot".into() },
            UseCase {
                id: "archive".into(),
            },
        ],
        multipliers: vec![
            Some(Ratio(d("1.00"))),
            None,
            Some(Ratio(d("1.20"))),
            None,
            Some(Ratio(d("1.25"))),
            Some(Ratio(d("0.40"))),
        ],
    }
}
