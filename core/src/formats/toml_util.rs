//! Shared rules of the matrix and deal TOML formats: exact-decimal string
//! values, the number- and date-literal messages, located errors and TOML
//! string writing.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::error::{Error, Origin};

/// The largest matrix or deal file accepted, in bytes (1 MiB). Larger inputs
/// are refused with [`Error::TooLarge`] before parsing.
pub const MAX_TOML_BYTES: usize = 1 << 20;

/// A decimal written as a TOML string, parsed with `Decimal::from_str_exact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dec(pub Decimal);

/// A date written as a TOML string (`"2026-01-01"`), not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateStr(pub String);

/// A multiplier: a decimal string or `"not-offered"` (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mult(pub Option<Decimal>);

/// The multiplier text for a cell that is not offered.
pub(crate) const NOT_OFFERED: &str = "not-offered";

impl Mult {
    /// Reads a multiplier's text: `"not-offered"` or a decimal string; the
    /// message names the value.
    pub(crate) fn parse(v: &str) -> Result<Mult, String> {
        if v == NOT_OFFERED {
            return Ok(Mult(None));
        }
        if v.bytes().any(|b| b.is_ascii_alphabetic()) {
            return Err(format!(
                "multiplier `{v}` is neither a decimal string nor \"{NOT_OFFERED}\""
            ));
        }
        parse_decimal(v).map(|d| Mult(Some(d)))
    }
}

/// The message for a number literal (as `written`) where a decimal string belongs.
pub(crate) fn number_literal(written: &str) -> String {
    format!("number literal `{written}` where a decimal string belongs: write decimals as strings, e.g. \"1.10\"")
}

/// The message for a TOML date literal (as `written`) where a date string belongs.
pub(crate) fn date_literal(written: &str) -> String {
    format!("date literal `{written}` where a date string belongs: write dates as strings, e.g. \"2026-01-01\"")
}

/// Parses a decimal string exactly; the message names the value.
pub(crate) fn parse_decimal(s: &str) -> Result<Decimal, String> {
    let b = s.as_bytes();
    let digits = b
        .iter()
        .skip(usize::from(matches!(b.first(), Some(b'+' | b'-'))))
        .copied()
        .collect::<Vec<u8>>();
    let well_formed = digits.iter().any(u8::is_ascii_digit)
        && digits.iter().all(|c| c.is_ascii_digit() || *c == b'.')
        && digits.iter().filter(|c| **c == b'.').count() <= 1;
    if !well_formed {
        return Err(format!(
            "`{s}` is not a decimal number (write e.g. \"1.10\")"
        ));
    }
    Decimal::from_str_exact(s)
        .map_err(|_| format!("decimal `{s}` has more digits than can be held exactly (28 significant digits at most)"))
}

/// Refuses inputs above [`MAX_TOML_BYTES`], and files with nothing but blank
/// lines and comments (`expected`, e.g. "a matrix: `name`, `version`, …",
/// says what the file should have held).
pub(crate) fn check_input(src: &str, file: &str, expected: &str) -> Result<(), Error> {
    Error::check_size(file, src.len(), MAX_TOML_BYTES)?;
    let empty = src.lines().all(|l| {
        let l = l.trim_start_matches(['\u{feff}', ' ', '\t', '\r']);
        l.is_empty() || l.starts_with('#')
    });
    if empty {
        return Err(Error::Invalid {
            at: Origin::file(file),
            message: format!(
                "the file is empty (only blank lines or comments): expected {expected}"
            ),
        });
    }
    Ok(())
}

/// Locates spans in one source text.
#[derive(Clone, Copy)]
pub(crate) struct Locator<'a> {
    pub file: &'a str,
    pub src: &'a str,
}

impl Locator<'_> {
    /// The origin of a span's start.
    pub fn at(&self, span: Range<usize>) -> Origin {
        Origin::from_offset(self.file, self.src, span.start)
    }
    /// An [`Error::Invalid`] at a span.
    pub fn invalid(&self, span: Range<usize>, message: impl Into<String>) -> Error {
        Error::Invalid {
            at: self.at(span),
            message: message.into(),
        }
    }
    /// An [`Error::Unknown`] at a span.
    pub fn unknown(&self, span: Range<usize>, what: &'static str, value: &str) -> Error {
        Error::Unknown {
            at: self.at(span),
            what,
            value: value.to_string(),
        }
    }
}

/// A TOML basic string literal for `s`, quoted and escaped.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(2));
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, quoted otherwise.
pub(crate) fn key(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        s.to_string()
    } else {
        quote(s)
    }
}

/// True when `id` is a valid meter, environment or use-case id: ASCII
/// letters, digits, `-` and `_`, not empty.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_strings() {
        // (input, ok)
        let table = [
            ("1.10", true),
            ("0", true),
            ("-0.5", true),
            ("40000.00", true),
            ("1_000", false),
            ("1e3", false),
            ("", false),
            (" 1", false),
            ("abc", false),
            ("1.2.3", false),
            ("0.12345678901234567890123456789", false),
            ("99999999999999999999999999999999", false),
            ("+1.5", true),
            (".5", true),
            ("--1", false),
            ("1-", false),
        ];
        for (s, ok) in table {
            assert_eq!(parse_decimal(s).is_ok(), ok, "{s:?}");
        }
    }

    #[test]
    fn quoting() {
        let table = [
            ("a", "\"a\""),
            ("a\"b", "\"a\\\"b\""),
            ("a\\b", "\"a\\\\b\""),
            ("x\ny", "\"x\\ny\""),
        ];
        for (s, q) in table {
            assert_eq!(quote(s), q);
        }
        assert_eq!(key("on-prem"), "on-prem");
        assert_eq!(key("a b"), "\"a b\"");
    }
}
