//! Lines and fields: reading one line at a time within the line limit, and
//! splitting it into (possibly quoted) fields.

use std::io::{BufRead, Read};

use super::reader::UsageReader;
use super::{EXCERPT, MAX_LINE_BYTES};
use crate::error::{Error, Result};
use crate::formats::csv_line::split_quoted;

impl<R: Read> UsageReader<'_, R> {
    /// Reads the next non-blank line into `self.line` (without the line end);
    /// `Ok(false)` at the end of input.
    pub(super) fn read_line(&mut self) -> Result<bool> {
        loop {
            self.line.clear();
            let mut any = false;
            loop {
                let buf = match self.input.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(self.io_err(&e)),
                };
                if buf.is_empty() {
                    break;
                }
                if !any {
                    any = true;
                    self.line_no = self.line_no.saturating_add(1);
                }
                match memchr::memchr(b'\n', buf) {
                    Some(i) => {
                        if self.line.len().saturating_add(i) > MAX_LINE_BYTES + 1 {
                            return Err(self.too_long());
                        }
                        self.line.extend_from_slice(buf.get(..i).unwrap_or(buf));
                        self.input.consume(i.saturating_add(1));
                        break;
                    }
                    None => {
                        let n = buf.len();
                        if self.line.len().saturating_add(n) > MAX_LINE_BYTES + 1 {
                            return Err(self.too_long());
                        }
                        self.line.extend_from_slice(buf);
                        self.input.consume(n);
                    }
                }
            }
            if !any {
                return Ok(false);
            }
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
            if self.line.len() > MAX_LINE_BYTES {
                return Err(self.too_long());
            }
            if !self.line.is_empty() {
                return Ok(true);
            }
        }
    }

    pub(super) fn too_long(&self) -> Error {
        self.csv_err(format!(
            "line is longer than the limit of {MAX_LINE_BYTES} bytes"
        ))
    }

    /// Splits `self.line` into fields; returns the field count (counting
    /// beyond 6 without recording).
    pub(super) fn split(&mut self) -> Result<usize> {
        // Unquoted (the usual case): field bounds in one pass; a quote
        // anywhere sends the line to the quoted reading below.
        let mut n = 0usize;
        let mut start = 0;
        let mut quoted = false;
        for i in memchr::memchr2_iter(b',', b'"', &self.line) {
            if self.line.get(i) == Some(&b'"') {
                quoted = true;
                break;
            }
            // Fields beyond the sixth are counted, not recorded.
            if let Some(f) = self.fields.get_mut(n) {
                *f = (start, i);
            }
            n = n.saturating_add(1);
            start = i.saturating_add(1);
        }
        self.quoted = quoted;
        if !quoted {
            if let Some(f) = self.fields.get_mut(n) {
                *f = (start, self.line.len());
            }
            return Ok(n.saturating_add(1));
        }
        // Quoted fields: unquote into `scratch` (the one splitter,
        // `formats::csv_line`), then swap.
        self.scratch.clear();
        let fields = &mut self.fields;
        let n = split_quoted(&self.line, &mut self.scratch, |i, span| {
            if let Some(f) = fields.get_mut(i) {
                *f = span;
            }
        })
        .map_err(|e| self.csv_err(e.message(&excerpt(&self.line))))?;
        std::mem::swap(&mut self.line, &mut self.scratch);
        Ok(n)
    }
}

/// `a == b` for the short texts of a usage row (a customer, three names):
/// eight bytes at a time, inline, instead of a call to `memcmp` per row.
#[inline]
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8]));
    for (x, y) in ca.by_ref().zip(cb.by_ref()) {
        if word(x) != word(y) {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

/// Field `i` of a split line; empty when out of range (never, by construction).
#[inline]
pub(super) fn span<'l>(line: &'l [u8], fields: &[(usize, usize); 6], i: usize) -> &'l [u8] {
    fields
        .get(i)
        .and_then(|&(a, b)| line.get(a..b))
        .unwrap_or_default()
}

pub(super) fn excerpt(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    if s.chars().count() > EXCERPT {
        let mut t: String = s.chars().take(EXCERPT).collect();
        t.push('…');
        t
    } else {
        s.into_owned()
    }
}
