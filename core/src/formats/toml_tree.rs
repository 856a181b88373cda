//! Reading a TOML document by walking `toml_edit`'s parsed tree (with
//! spans) instead of through serde's derived `Deserialize` impls.
//!
//! Why: the matrix is the one TOML format the browser reads, and serde's
//! derive instantiates the TOML deserializer once per matrix type and field
//! wrapper: about 100 KB of the WebAssembly module (28 KB gzipped, measured,
//! see `docs/web.md`). The walk below is the same rules, written once:
//! unknown keys are refused (`deny_unknown_fields`), missing keys are
//! errors, decimals must be strings read with `Decimal::from_str_exact`
//! (a number literal is refused, quoting it as written), dates must be
//! strings, whole numbers must be integers. Positions follow what serde and
//! `toml` reported (`missing field `x`` at the table, `unknown field `x`,
//! expected one of …` at the key, `expected …, found …` at the value).
//!
//! Matrices ([`crate::matrix_toml`]) and deals ([`crate::deal_toml`]) are
//! both read this way; type errors are worded without type names
//! (`expected a table, found the string "1.00"`).

use std::ops::Range;

use toml_edit::{ImDocument, InlineTable, Item, Key, TableLike, Value};

use crate::error::{Error, Origin, Result};
use crate::toml_util::{date_literal, number_literal, parse_decimal, DateStr, Dec, Mult};

/// A value and the byte range it was read from.
#[derive(Debug, Clone)]
pub(crate) struct Sp<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Sp<T> {
    pub fn new(span: Range<usize>, value: T) -> Sp<T> {
        Sp { span, value }
    }
    /// Converts the value, keeping the span.
    pub fn map<U>(self, f: impl FnOnce(T) -> Result<U>) -> Result<Sp<U>> {
        Ok(Sp {
            span: self.span,
            value: f(self.value)?,
        })
    }
    pub fn get_ref(&self) -> &T {
        &self.value
    }
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// The source text being walked, for errors.
#[derive(Clone, Copy)]
pub(crate) struct Src<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl<'a> Src<'a> {
    /// Parses the text (a syntax error is an [`Error::Toml`] at its place).
    pub fn parse(self) -> Result<ImDocument<&'a str>> {
        ImDocument::parse(self.text)
            .map_err(|e| self.error(e.span(), e.message().trim().to_string()))
    }

    /// An [`Error::Toml`] at the start of `span` (the file alone without one).
    pub fn error(self, span: Option<Range<usize>>, message: String) -> Error {
        let at = match span {
            Some(s) => Origin::from_offset(self.file, self.text, s.start),
            None => Origin::file(self.file),
        };
        Error::Toml { at, message }
    }

    /// The text of a span, as written.
    fn written(self, span: &Option<Range<usize>>) -> &'a str {
        span.clone()
            .and_then(|s| self.text.get(s))
            .unwrap_or("?")
            .trim()
    }

    /// `expected …, found …` at the item, in plain words (no type names).
    fn invalid_type(self, item: &Item, expected: &str) -> Error {
        let span = item.span();
        let found = match item {
            Item::Value(Value::String(s)) => format!("the string {:?}", s.value()),
            Item::Value(Value::Integer(_) | Value::Float(_)) => {
                format!("the number `{}`", self.written(&span))
            }
            Item::Value(Value::Boolean(b)) => format!("`{}`", b.value()),
            Item::Value(Value::Datetime(_)) => format!("the date `{}`", self.written(&span)),
            Item::Value(Value::Array(_)) | Item::ArrayOfTables(_) => "a list".into(),
            Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table".into(),
            Item::None => "nothing".into(),
        };
        self.error(span, format!("expected {expected}, found {found}"))
    }

    fn spanned<T>(item: &Item, value: T) -> Sp<T> {
        Sp {
            span: item.span().unwrap_or(0..0),
            value,
        }
    }

    /// A string value.
    pub fn string(self, item: &Item) -> Result<Sp<String>> {
        match item {
            Item::Value(Value::String(s)) => Ok(Self::spanned(item, s.value().clone())),
            _ => Err(self.invalid_type(item, "a string")),
        }
    }

    /// A number literal where a decimal string belongs, quoted as written.
    fn number_literal(self, item: &Item) -> Error {
        let span = item.span();
        let written = self.written(&span);
        self.error(span, number_literal(written))
    }

    /// A decimal written as a string, read exactly.
    pub fn decimal(self, item: &Item) -> Result<Sp<Dec>> {
        match item {
            Item::Value(Value::String(s)) => parse_decimal(s.value())
                .map(|d| Self::spanned(item, Dec(d)))
                .map_err(|m| self.error(item.span(), m)),
            Item::Value(Value::Integer(_) | Value::Float(_)) => Err(self.number_literal(item)),
            _ => Err(self.invalid_type(item, "a decimal written as a string, e.g. \"1.10\"")),
        }
    }

    /// A decimal written as a string, kept as written (the deal resolver
    /// reads it); a number literal is refused, quoting it.
    pub fn decimal_text(self, item: &Item) -> Result<Sp<String>> {
        match item {
            Item::Value(Value::String(s)) => Ok(Self::spanned(item, s.value().clone())),
            Item::Value(Value::Integer(_) | Value::Float(_)) => Err(self.number_literal(item)),
            _ => Err(self.invalid_type(item, "a decimal written as a string, e.g. \"1.10\"")),
        }
    }

    /// A whole number under `key`, as its text. A string or a fraction is
    /// refused in plain words: `` `months` is a whole number: write months = 3 ``.
    pub fn whole(self, key: &str, item: &Item) -> Result<Sp<String>> {
        let span = item.span();
        match item {
            Item::Value(Value::Integer(i)) => Ok(Self::spanned(item, i.value().to_string())),
            Item::Value(Value::String(s)) if s.value().trim().parse::<i64>().is_ok() => Err(self
                .error(
                    span,
                    format!(
                        "`{key}` is a whole number: write {key} = {}",
                        s.value().trim()
                    ),
                )),
            _ => {
                let written = self.written(&span);
                Err(self.error(
                    span.clone(),
                    format!("`{key}` is a whole number, got `{written}`"),
                ))
            }
        }
    }

    /// A multiplier: a decimal string or `"not-offered"`.
    pub fn multiplier(self, item: &Item) -> Result<Sp<Mult>> {
        match item {
            Item::Value(Value::String(s)) => Mult::parse(s.value())
                .map(|m| Self::spanned(item, m))
                .map_err(|m| self.error(item.span(), m)),
            Item::Value(Value::Integer(_) | Value::Float(_)) => Err(self.number_literal(item)),
            _ => {
                Err(self.invalid_type(item, "a decimal string such as \"1.25\" or \"not-offered\""))
            }
        }
    }

    /// A date written as a string; a TOML date literal is refused.
    pub fn date(self, item: &Item) -> Result<Sp<DateStr>> {
        match item {
            Item::Value(Value::String(s)) => Ok(Self::spanned(item, DateStr(s.value().clone()))),
            Item::Value(Value::Datetime(_)) => {
                let span = item.span();
                let written = self.written(&span);
                Err(self.error(span, date_literal(written)))
            }
            _ => Err(self.invalid_type(item, "a date written as a string, e.g. \"2026-01-01\"")),
        }
    }

    /// A table (`[x]` or inline `{ … }`) with any keys (a map).
    pub fn map(self, item: &'a Item) -> Result<Table<'a>> {
        let t = match item {
            Item::Table(t) => Tbl::Table(t),
            Item::Value(Value::InlineTable(t)) => Tbl::Inline(t),
            _ => return Err(self.invalid_type(item, "a table")),
        };
        Ok(Table {
            src: self,
            t,
            span: item.span().unwrap_or(0..0),
        })
    }

    /// A table (`[x]` or inline `{ … }`) whose keys must be among `allowed`.
    pub fn table(self, item: &'a Item, allowed: &[&str]) -> Result<Table<'a>> {
        let table = self.map(item)?;
        table.check_keys(allowed)?;
        Ok(table)
    }

    /// The root table of a document.
    pub fn root(self, doc: &'a ImDocument<&'a str>, allowed: &[&str]) -> Result<Table<'a>> {
        let table = Table {
            src: self,
            t: Tbl::Table(doc.as_table()),
            span: 0..0,
        };
        table.check_keys(allowed)?;
        Ok(table)
    }

    /// A list of tables: `[[x]]` sections or an inline array of `{ … }`.
    pub fn tables(self, item: &'a Item, allowed: &[&str]) -> Result<Sp<Vec<Table<'a>>>> {
        let span = item.span().unwrap_or(0..0);
        let mut out = Vec::new();
        match item {
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    let table = Table {
                        src: self,
                        t: Tbl::Table(t),
                        span: t.span().unwrap_or(0..0),
                    };
                    table.check_keys(allowed)?;
                    out.push(table);
                }
            }
            Item::Value(Value::Array(a)) => {
                for v in a.iter() {
                    let Value::InlineTable(t) = v else {
                        return Err(self.invalid_type(&Item::Value(v.clone()), "a table"));
                    };
                    let table = Table {
                        src: self,
                        t: Tbl::Inline(t),
                        span: t.span().unwrap_or(0..0),
                    };
                    table.check_keys(allowed)?;
                    out.push(table);
                }
            }
            _ => return Err(self.invalid_type(item, "a list of tables")),
        }
        Ok(Sp { span, value: out })
    }
}

/// A `[x]` table or an inline `{ … }` one. Not `&dyn TableLike`: that
/// would keep every method of the trait's two vtables (inserts, removals,
/// sorts) in the browser module; these static calls keep only the three
/// read here.
#[derive(Clone, Copy)]
enum Tbl<'a> {
    Table(&'a toml_edit::Table),
    Inline(&'a InlineTable),
}

impl<'a> Tbl<'a> {
    fn iter(self) -> toml_edit::Iter<'a> {
        match self {
            Tbl::Table(t) => TableLike::iter(t),
            Tbl::Inline(t) => TableLike::iter(t),
        }
    }

    fn get(self, key: &str) -> Option<&'a Item> {
        match self {
            Tbl::Table(t) => TableLike::get(t, key),
            Tbl::Inline(t) => TableLike::get(t, key),
        }
    }

    fn get_key_value(self, key: &str) -> Option<(&'a Key, &'a Item)> {
        match self {
            Tbl::Table(t) => TableLike::get_key_value(t, key),
            Tbl::Inline(t) => TableLike::get_key_value(t, key),
        }
    }
}

/// One table being read.
pub(crate) struct Table<'a> {
    src: Src<'a>,
    t: Tbl<'a>,
    span: Range<usize>,
}

impl<'a> Table<'a> {
    /// Refuses the first key not in `allowed`, at the key.
    fn check_keys(&self, allowed: &[&str]) -> Result<()> {
        for (k, _) in self.t.iter() {
            if !allowed.contains(&k) {
                let span = self.t.get_key_value(k).and_then(|(key, _)| key.span());
                return Err(self
                    .src
                    .error(span, crate::error::unknown_field(k, allowed)));
            }
        }
        Ok(())
    }

    /// The table's span (its header or opening brace).
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The item under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&'a Item> {
        self.t.get(key)
    }

    /// The item under `key`, or `missing field `key`` at the table.
    pub fn require(&self, key: &str) -> Result<&'a Item> {
        self.get(key).ok_or_else(|| {
            self.src
                .error(Some(self.span()), format!("missing field `{key}`"))
        })
    }

    /// Every key and item, in document order.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, &'a Item)> {
        self.t.iter()
    }
}
