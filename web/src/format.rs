//! Display formatting of core decimals (strings only, never arithmetic).

use std::fmt::Display;

/// Groups the integer digits of a decimal by thousands: `40002.10` → `40,002.10`.
///
/// ```
/// assert_eq!(unitcalc_web::format::grouped(&"-1234567.5"), "-1,234,567.5");
/// assert_eq!(unitcalc_web::format::grouped(&"999"), "999");
/// ```
pub fn grouped(v: &impl Display) -> String {
    let s = v.to_string();
    let (sign, rest) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A decimal shown with at most `places` decimals, trailing zeros removed
/// (display of quantities and units; exact values stay in the exports).
pub fn short(v: &impl Display, places: usize) -> String {
    let s = v.to_string();
    match s.split_once('.') {
        Some((i, f)) => {
            let f: String = f.chars().take(places).collect();
            let f = f.trim_end_matches('0');
            if f.is_empty() {
                grouped(&i)
            } else {
                grouped(&format!("{i}.{f}"))
            }
        }
        None => grouped(&s),
    }
}

/// A ratio as a percentage string with up to 2 decimals: `0.8` → `80%`.
pub fn percent(v: &rust_decimal::Decimal) -> String {
    let p = v * rust_decimal::Decimal::ONE_HUNDRED;
    format!("{}%", short(&p.round_dp(2), 2))
}
