//! The one CSV field splitter: a line (without its line end) into fields,
//! double quotes wrapping a field (`""` an escaped quote), a quoted field
//! never spanning lines. The usage reader (`usage_csv`) uses it for its
//! quoted lines; the marketplace reports (`metering::report`) for theirs.

/// Why a line cannot be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SplitError {
    /// A quote opened and not closed on the line.
    Unterminated,
    /// Text between a closing quote and the next comma.
    AfterQuote,
    /// A quote inside an unquoted field.
    StrayQuote,
}

impl SplitError {
    /// The plain-words message, quoting `excerpt` (the line, shortened).
    pub(crate) fn message(self, excerpt: &str) -> String {
        match self {
            SplitError::Unterminated => format!(
                "unterminated quoted field in `{excerpt}` (quoted fields cannot span lines)"
            ),
            SplitError::AfterQuote => format!("text after a closing quote in `{excerpt}`"),
            SplitError::StrayQuote => format!("stray quote in `{excerpt}`"),
        }
    }
}

/// Splits `line` into fields, unquoted one after the other into `out`;
/// `field(i, (start, end))` receives the span in `out` of field `i`.
/// Returns the number of fields (a trailing comma ends with an empty one).
pub(crate) fn split_quoted<F: FnMut(usize, (usize, usize))>(
    line: &[u8],
    out: &mut Vec<u8>,
    mut field: F,
) -> Result<usize, SplitError> {
    let mut n: usize = 0;
    let mut i: usize = 0;
    loop {
        let start = out.len();
        if line.get(i) == Some(&b'"') {
            i = i.saturating_add(1);
            loop {
                match line.get(i) {
                    None => return Err(SplitError::Unterminated),
                    Some(b'"') if line.get(i.saturating_add(1)) == Some(&b'"') => {
                        out.push(b'"');
                        i = i.saturating_add(2);
                    }
                    Some(b'"') => {
                        i = i.saturating_add(1);
                        break;
                    }
                    Some(&b) => {
                        out.push(b);
                        i = i.saturating_add(1);
                    }
                }
            }
            if !matches!(line.get(i), None | Some(b',')) {
                return Err(SplitError::AfterQuote);
            }
        } else {
            while let Some(&b) = line.get(i) {
                if b == b',' {
                    break;
                }
                if b == b'"' {
                    return Err(SplitError::StrayQuote);
                }
                out.push(b);
                i = i.saturating_add(1);
            }
        }
        field(n, (start, out.len()));
        n = n.saturating_add(1);
        if i >= line.len() {
            break;
        }
        i = i.saturating_add(1); // the comma
        if i == line.len() {
            // A trailing comma: one more, empty field.
            field(n, (out.len(), out.len()));
            n = n.saturating_add(1);
            break;
        }
    }
    Ok(n)
}

/// The fields of `line` as text (for small files: reports, not usage books).
pub(crate) fn fields(line: &str) -> Result<Vec<String>, SplitError> {
    let mut out = Vec::with_capacity(line.len());
    let mut spans = Vec::new();
    split_quoted(line.as_bytes(), &mut out, |_, s| spans.push(s))?;
    Ok(spans
        .into_iter()
        .map(|(a, b)| String::from_utf8_lossy(out.get(a..b).unwrap_or_default()).into_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_quote_and_refuse() {
        let table: [(&str, Result<Vec<&str>, SplitError>); 7] = [
            ("a,b,c", Ok(vec!["a", "b", "c"])),
            ("a,,", Ok(vec!["a", "", ""])),
            ("\"a,b\",c", Ok(vec!["a,b", "c"])),
            ("\"say \"\"hi\"\"\",x", Ok(vec!["say \"hi\"", "x"])),
            ("\"open,x", Err(SplitError::Unterminated)),
            ("\"a\"b,c", Err(SplitError::AfterQuote)),
            ("a\"b,c", Err(SplitError::StrayQuote)),
        ];
        for (line, want) in table {
            let got = fields(line);
            let want = want.map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
            assert_eq!(got, want, "{line}");
        }
    }
}
