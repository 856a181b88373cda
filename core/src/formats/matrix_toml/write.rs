//! Writing a matrix as TOML.

use std::fmt::Write as _;

use crate::matrix::Matrix;
use crate::toml_util::{key, quote, NOT_OFFERED};

/// Writes a matrix as TOML that [`parse_matrix`](super::parse_matrix) reads back
/// to an equal matrix.
///
/// ```
/// use unitcalc_core::matrix_toml::{parse_matrix, to_toml};
/// let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../matrices/spec-m.toml")).unwrap();
/// let m = parse_matrix(&src, "spec-m.toml").unwrap();
/// assert_eq!(parse_matrix(&to_toml(&m), "written").unwrap(), m);
/// ```
pub fn to_toml(m: &Matrix) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "name = {}", quote(&m.name));
    let _ = writeln!(s, "version = {}", quote(&m.version));
    let _ = writeln!(s, "effective = \"{}\"", m.effective);
    let _ = writeln!(s, "description = {}", quote(&m.description));
    let _ = writeln!(s, "currency = {}", quote(&m.currency.code));
    let _ = writeln!(s, "rounding = \"{}\"", m.rounding.as_str());
    let _ = writeln!(s, "list_price = \"{}\"", m.list_price);
    for meter in &m.meters {
        let _ = writeln!(
            s,
            "\n[[meters]]\nid = {}\nunit = {}\nbase_rate = \"{}\"",
            quote(&meter.id),
            quote(&meter.unit),
            meter.base_rate
        );
    }
    for env in &m.environments {
        let _ = writeln!(s, "\n[[environments]]\nid = {}", quote(&env.id));
        if let Some(schedule) = &env.marketplace {
            s.push_str("marketplace = [\n");
            for t in &schedule.tiers {
                let _ = writeln!(s, "  {{ from = \"{}\", rate = \"{}\" }},", t.from, t.rate);
            }
            s.push_str("]\n");
        }
    }
    for uc in &m.use_cases {
        let _ = writeln!(s, "\n[[use_cases]]\nid = {}", quote(&uc.id));
    }
    s.push_str("\n[multipliers]\n");
    for (e, env) in m.environments.iter().enumerate() {
        let cells: Vec<String> = m
            .use_cases
            .iter()
            .enumerate()
            .map(|(u, uc)| {
                let v = match m
                    .multipliers
                    .get(e.saturating_mul(m.use_cases.len()).saturating_add(u))
                    .copied()
                    .flatten()
                {
                    Some(r) => format!("\"{r}\""),
                    None => format!("\"{NOT_OFFERED}\""),
                };
                format!("{} = {v}", key(&uc.id))
            })
            .collect();
        let _ = writeln!(s, "{} = {{ {} }}", key(&env.id), cells.join(", "));
    }
    s
}
