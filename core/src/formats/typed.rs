//! The one lenient reader, for values people type into a form field (the
//! browser's deal form). Files, share links and saved scenarios stay strict:
//! they are read by their own readers, never by this one.
//!
//! A typed value is read as the strict decimal rule reads it after taking
//! away, in this order:
//!
//! - surrounding spaces;
//! - for a money field, the deal's currency: its code before or after the
//!   number, in any case (`USD 40,000.00`, `40000 usd`), or its symbol
//!   before it (`$40,000`; `$` USD, `€` EUR, `£` GBP, `¥` JPY); another
//!   currency is not taken away, so `EUR 40` in a USD deal stays an error;
//! - for a quantity field, the unit of the cell's meter after the number,
//!   in any case (`500 TB`, `500tb`); another unit stays an error;
//! - for a fraction field, a trailing `%`: `10 %` is `0.10`, `12.5%` is
//!   `0.125` (exact: the decimal point moves two places);
//! - grouping of the whole part in threes, by commas or by spaces (also
//!   no-break and narrow no-break spaces), one kind per number:
//!   `40,000`, `1 234 567.5`. Groups of another size (`4,0000`, `1,5`) are
//!   refused rather than guessed at: `1,5` may be a decimal comma.
//!
//! [`canonical`] gives the value as the strict formats write it (`40000`,
//! `0.10`), or `None` when the text needs no change or does not read; the
//! caller then reads the text as typed, with the strict reader's message.

use rust_decimal::Decimal;

use crate::toml_util::parse_decimal;

/// What kind of value a field holds, for [`canonical`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed<'a> {
    /// A plain number (counts, hours, units): grouping only.
    Plain,
    /// Money in the currency with this ISO code (`USD`).
    Money(&'a str),
    /// A quantity of the meter with this unit (`TB`).
    Quantity(&'a str),
    /// A fraction (`0.10`), also written as a percentage (`10 %`).
    Fraction,
    /// A UTC hour (RFC 3339, `2026-03-10T00:00:00Z`), also written as a
    /// plain date (its first hour, `2026-03-10`) or a date and an hour
    /// without the zone (`2026-03-10 14:00`, `2026-03-10T14:00`: UTC).
    Hour,
}

/// The currency symbols taken before a number, by currency code.
const SYMBOLS: [(&str, &str); 4] = [("USD", "$"), ("EUR", "€"), ("GBP", "£"), ("JPY", "¥")];

/// `text` without `word` at its start or end (ASCII case ignored), trimmed.
fn strip_word<'t>(text: &'t str, word: &str, start: bool, end: bool) -> &'t str {
    if word.is_empty() {
        return text;
    }
    let n = word.len();
    if start && text.len() > n && text.is_char_boundary(n) && text[..n].eq_ignore_ascii_case(word) {
        return text[n..].trim();
    }
    let k = text.len().wrapping_sub(n);
    if end && text.len() > n && text.is_char_boundary(k) && text[k..].eq_ignore_ascii_case(word) {
        return text[..k].trim();
    }
    text
}

/// The number without its grouping, or `None` when grouped wrongly.
fn ungroup(text: &str) -> Option<String> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (whole, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(w, f)| (w, Some(f)));
    let is_space = |c: char| c == ' ' || c == '\u{a0}' || c == '\u{202f}';
    let groups: Vec<&str> = if whole.contains(',') {
        whole.split(',').collect()
    } else {
        whole.split(is_space).collect()
    };
    if groups.len() > 1 {
        let sizes_ok = groups.iter().enumerate().all(|(i, g)| {
            g.bytes().all(|b| b.is_ascii_digit())
                && if i == 0 {
                    (1..=3).contains(&g.len())
                } else {
                    g.len() == 3
                }
        });
        if !sizes_ok {
            return None;
        }
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(sign);
    groups.iter().for_each(|g| out.push_str(g));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// The value typed into a field of `kind`, as the strict formats write it,
/// when that differs from the text; `None` when the text is already
/// written that way or does not read (see the module's rules).
///
/// ```
/// use unitcalc_core::typed::{canonical, Typed};
/// assert_eq!(canonical("$40,000", Typed::Money("USD")).as_deref(), Some("40000"));
/// assert_eq!(canonical("10 %", Typed::Fraction).as_deref(), Some("0.10"));
/// assert_eq!(canonical("500 TB", Typed::Quantity("TB")).as_deref(), Some("500"));
/// assert_eq!(canonical("40000", Typed::Money("USD")), None);
/// assert_eq!(canonical("1,5", Typed::Plain), None);
/// assert_eq!(canonical("2026-03-10", Typed::Hour).as_deref(), Some("2026-03-10T00:00:00Z"));
/// assert_eq!(canonical("2026-03-10 14:00", Typed::Hour).as_deref(), Some("2026-03-10T14:00:00Z"));
/// assert_eq!(canonical("2026-03-10T14:30", Typed::Hour), None);
/// ```
pub fn canonical(text: &str, kind: Typed<'_>) -> Option<String> {
    if kind == Typed::Hour {
        return hour(text);
    }
    let t = text.trim();
    let mut s = t;
    let mut percent = false;
    match kind {
        Typed::Plain => {}
        Typed::Money(code) => {
            s = strip_word(s, code, true, true);
            if let Some((_, sym)) = SYMBOLS.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)) {
                s = strip_word(s, sym, true, false);
            }
        }
        Typed::Quantity(unit) => s = strip_word(s, unit, false, true),
        Typed::Hour => return None,
        Typed::Fraction => {
            if let Some(r) = s.strip_suffix('%') {
                s = r.trim_end();
                percent = true;
            }
        }
    }
    let plain = ungroup(s)?;
    let d: Decimal = parse_decimal(&plain).ok()?;
    let out = if percent {
        let mut p = d;
        p.set_scale(d.scale().checked_add(2)?).ok()?;
        p.to_string()
    } else {
        plain
    };
    (out != text).then_some(out)
}

/// A plain date, or a date and a whole UTC hour without the zone, as
/// RFC 3339 (`None` for anything else: the strict reader names it).
fn hour(text: &str) -> Option<String> {
    let t = text.trim();
    let (date, time) = match t.split_once(['T', ' ']) {
        Some((d, h)) => (d.trim(), Some(h.trim())),
        None => (t, None),
    };
    let d = crate::time::Date::parse(date).ok()?;
    let h: u8 = match time {
        None => 0,
        Some(h) => {
            let (hh, mm) = h.split_once(':').unwrap_or((h, "00"));
            (mm == "00" && hh.len() == 2)
                .then(|| hh.parse().ok())
                .flatten()
                .filter(|h| *h < 24)?
        }
    };
    let out = format!("{d}T{h:02}:00:00Z");
    (out != text).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What people type, the field's kind, and what the strict formats
    /// read (`None`: left as typed, so the strict reader's message names it).
    #[test]
    fn typed_values() {
        let usd = Typed::Money("USD");
        let tb = Typed::Quantity("TB");
        let cases: &[(&str, Typed, Option<&str>)] = &[
            // grouping
            ("40,000", Typed::Plain, Some("40000")),
            ("40 000", Typed::Plain, Some("40000")),
            ("40\u{a0}000", Typed::Plain, Some("40000")),
            ("1,234,567.89", Typed::Plain, Some("1234567.89")),
            ("-1,000", Typed::Plain, Some("-1000")),
            (" 72 ", Typed::Plain, Some("72")),
            ("72", Typed::Plain, None),
            ("4,0000", Typed::Plain, None),
            ("1,5", Typed::Plain, None),
            ("40,000 000", Typed::Plain, None),
            ("1.234,5", Typed::Plain, None),
            ("lots", Typed::Plain, None),
            ("", Typed::Plain, None),
            // money
            ("$40000", usd, Some("40000")),
            ("$40,000.50", usd, Some("40000.50")),
            ("USD 40,000.00", usd, Some("40000.00")),
            ("40000 usd", usd, Some("40000")),
            ("usd40,000", usd, Some("40000")),
            ("EUR 40", usd, None),
            ("€40", usd, None),
            ("€40", Typed::Money("EUR"), Some("40")),
            ("$40", Typed::Plain, None),
            ("40 TB", usd, None),
            // hours (a burst's start)
            ("2026-03-10", Typed::Hour, Some("2026-03-10T00:00:00Z")),
            (" 2026-03-10 ", Typed::Hour, Some("2026-03-10T00:00:00Z")),
            (
                "2026-03-10 14:00",
                Typed::Hour,
                Some("2026-03-10T14:00:00Z"),
            ),
            ("2026-03-10T14", Typed::Hour, Some("2026-03-10T14:00:00Z")),
            ("2026-03-10T14:00:00Z", Typed::Hour, None),
            ("2026-03-10T14:30", Typed::Hour, None),
            ("2026-03-10 24:00", Typed::Hour, None),
            ("2026-02-30", Typed::Hour, None),
            ("03/10/2026", Typed::Hour, None),
            // quantities
            ("500 TB", tb, Some("500")),
            ("1,500tb", tb, Some("1500")),
            ("500 GB", tb, None),
            ("500 TB", Typed::Plain, None),
            // fractions
            ("10 %", Typed::Fraction, Some("0.10")),
            ("12.5%", Typed::Fraction, Some("0.125")),
            ("0%", Typed::Fraction, Some("0.00")),
            ("0.10", Typed::Fraction, None),
            ("10 %", Typed::Plain, None),
            ("%", Typed::Fraction, None),
        ];
        for (text, kind, want) in cases {
            assert_eq!(
                canonical(text, *kind).as_deref(),
                *want,
                "{text:?} as {kind:?}"
            );
        }
    }
}
