//! A small, strict JSON reader (RFC 8259) for share links and saved
//! scenarios: text in, a tree of [`Node`]s out, each with its byte offset so
//! errors can name a line and column.
//!
//! Why not `serde_json`'s deserializer: code size in the browser. Reading a
//! scenario through `serde_json` and the derived `Deserialize` impls cost
//! about 22 KB of the gzipped WebAssembly module (measured, see
//! `docs/web.md`), more than the whole reader and the scenario decoder
//! here. Writing JSON still uses `serde_json` (it is small). This reader is
//! checked against `serde_json` itself: the tests and the `json` fuzz
//! target compare both on the same text.
//!
//! What it keeps and refuses:
//! - numbers stay as their text (no floats): callers decide what a number
//!   may be;
//! - strings are unescaped; a lone surrogate escape (`"\ud800"`), a raw
//!   control character or a bad escape is an error;
//! - object members keep their order and duplicates; callers refuse
//!   duplicates where they matter;
//! - nesting deeper than [`MAX_DEPTH`] is an error (no stack overflow on
//!   `[[[[…`), at the same depth `serde_json` stops;
//! - anything after the value other than whitespace is an error.

/// Arrays and objects nest at most this deep (`serde_json`'s limit: its
/// 128-level budget refuses the 128th level).
pub(crate) const MAX_DEPTH: usize = 127;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// A number, as written (already checked against the JSON grammar).
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order, duplicates kept.
    Object(Vec<(String, Node)>),
}

/// A value and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub value: Value,
    /// Byte offset of the value's first character in the text.
    pub offset: usize,
}

impl Value {
    /// What kind of value this is, for messages: `a number (12)`, `an array`…
    pub(crate) fn describe(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => format!("`{b}`"),
            Value::Number(n) => format!("the number {n}"),
            Value::String(s) => {
                format!("the string \"{}\"", s.chars().take(40).collect::<String>())
            }
            Value::Array(_) => "an array".into(),
            Value::Object(_) => "an object".into(),
        }
    }
}

/// A syntax error: what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub message: &'static str,
    /// Byte offset of the offending character (the text's length at its end).
    pub offset: usize,
    /// The text ended before the value did.
    pub eof: bool,
}

/// Parses one JSON value (with optional surrounding whitespace).
pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut r = Reader {
        b: text.as_bytes(),
        i: 0,
    };
    let v = r.value(0)?;
    r.ws();
    if r.i < r.b.len() {
        return Err(r.err("trailing characters after the value"));
    }
    Ok(v)
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn err(&self, message: &'static str) -> SyntaxError {
        SyntaxError {
            message,
            offset: self.i,
            eof: self.i >= self.b.len(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i = self.i.saturating_add(1);
        }
    }

    /// Consumes `c` (after whitespace) or fails with `message`.
    fn expect(&mut self, c: u8, message: &'static str) -> Result<(), SyntaxError> {
        self.ws();
        if self.peek() == Some(c) {
            self.i = self.i.saturating_add(1);
            Ok(())
        } else {
            Err(self.err(message))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        self.ws();
        let offset = self.i;
        let value = match self.peek() {
            None => return Err(self.err("expected a value")),
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => {
                return Err(self.err("nested too deeply"))
            }
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => self.literal()?,
        };
        Ok(Node { value, offset })
    }

    fn literal(&mut self) -> Result<Value, SyntaxError> {
        for (word, v) in [
            (&b"true"[..], Value::Bool(true)),
            (b"false", Value::Bool(false)),
            (b"null", Value::Null),
        ] {
            let rest = self.b.get(self.i..).unwrap_or_default();
            if rest.starts_with(word) {
                self.i = self.i.saturating_add(word.len());
                return Ok(v);
            }
            // A cut-off literal (`tr` at the end) is a truncated text.
            if !rest.is_empty() && word.starts_with(rest) {
                self.i = self.b.len();
                return Err(self.err("expected a value"));
            }
        }
        Err(self.err("expected a value"))
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.i = self.i.saturating_add(1); // `{`
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i = self.i.saturating_add(1);
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a member name in double quotes"));
            }
            let key = self.string()?;
            self.expect(b':', "expected `:`")?;
            let v = self.value(depth.saturating_add(1))?;
            members.push((key, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i = self.i.saturating_add(1),
                Some(b'}') => {
                    self.i = self.i.saturating_add(1);
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.i = self.i.saturating_add(1); // `[`
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i = self.i.saturating_add(1);
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth.saturating_add(1))?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i = self.i.saturating_add(1),
                Some(b']') => {
                    self.i = self.i.saturating_add(1);
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i = self.i.saturating_add(1);
        }
        self.i.saturating_sub(start)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text.
    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i = self.i.saturating_add(1);
        }
        match self.peek() {
            Some(b'0') => {
                self.i = self.i.saturating_add(1);
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.err("invalid number (leading zero)"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.i = self.i.saturating_add(1);
            if self.digits() == 0 {
                return Err(self.err("invalid number (no digit after `.`)"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i = self.i.saturating_add(1);
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i = self.i.saturating_add(1);
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number (no digit in the exponent)"));
            }
        }
        let text = self.b.get(start..self.i).unwrap_or_default();
        // Only ASCII digits, signs, `.` and `e` were consumed.
        Ok(Value::Number(String::from_utf8_lossy(text).into_owned()))
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        // Fewer than four characters left: the text was cut (as serde_json reads it).
        if self.b.len().saturating_sub(self.i) < 4 {
            self.i = self.b.len();
            return Err(self.err("the text ends inside a string"));
        }
        let mut n: u32 = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c.wrapping_sub(b'0'),
                Some(c @ b'a'..=b'f') => c.wrapping_sub(b'a').wrapping_add(10),
                Some(c @ b'A'..=b'F') => c.wrapping_sub(b'A').wrapping_add(10),
                _ => return Err(self.err("invalid `\\u` escape (expected 4 hex digits)")),
            };
            n = (n << 4) | u32::from(d);
            self.i = self.i.saturating_add(1);
        }
        Ok(n)
    }

    /// A string starting at `"`; the text is valid UTF-8, so only escapes
    /// and control characters need checking.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i = self.i.saturating_add(1); // `"`
        let mut out: Vec<u8> = Vec::new();
        loop {
            let start = self.i;
            while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                self.i = self.i.saturating_add(1);
            }
            out.extend_from_slice(self.b.get(start..self.i).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err("the text ends inside a string")),
                Some(b'"') => {
                    self.i = self.i.saturating_add(1);
                    // Runs end at ASCII bytes, escapes push whole chars: valid UTF-8.
                    return String::from_utf8(out).map_err(|_| self.err("invalid UTF-8"));
                }
                Some(b'\\') => {
                    self.i = self.i.saturating_add(1);
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    return Err(self.err("control character in a string (write it as an escape)"))
                }
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), SyntaxError> {
        let simple = match self.peek() {
            None => return Err(self.err("the text ends inside a string")),
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                self.i = self.i.saturating_add(1);
                let c = self.unicode_escape()?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                return Ok(());
            }
            Some(_) => return Err(self.err("invalid escape")),
        };
        self.i = self.i.saturating_add(1);
        out.push(simple);
        Ok(())
    }

    /// After `\u`: one code point, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                let rest = self.b.get(self.i..).unwrap_or_default();
                if !rest.starts_with(b"\\u") {
                    if rest.is_empty() || rest == b"\\" {
                        self.i = self.b.len();
                        return Err(self.err("the text ends inside a string"));
                    }
                    return Err(self.err("lone leading surrogate in a `\\u` escape"));
                }
                self.i = self.i.saturating_add(2);
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.err("lone leading surrogate in a `\\u` escape"));
                }
                // In range: first ∈ D800..=DBFF, second ∈ DC00..=DFFF.
                0x10000_u32
                    .wrapping_add((first.wrapping_sub(0xD800) << 10) | second.wrapping_sub(0xDC00))
            }
            0xDC00..=0xDFFF => return Err(self.err("lone trailing surrogate in a `\\u` escape")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.err("invalid `\\u` escape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Our tree as a `serde_json::Value` (duplicate members: the last wins,
    /// as in `serde_json`).
    fn to_serde(n: &Node) -> serde_json::Value {
        match &n.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(t) => serde_json::from_str(t).unwrap(),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
            Value::Object(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect())
            }
        }
    }

    /// The oracle: ours and `serde_json` accept the same texts and read
    /// them the same. `serde_json` (without arbitrary precision) also
    /// refuses numbers beyond a binary float's range; ours keeps their text.
    fn agrees(text: &str) {
        let ours = parse(text);
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(&to_serde(a), b, "{text:?}"),
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
        if let (Err(a), Err(b)) = (&ours, &theirs) {
            assert_eq!(a.eof, b.is_eof(), "{text:?}: ours {a:?}, serde_json {b}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_a_table_of_texts() {
        let deep_ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let deep_bad = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let texts = [
            "",
            " ",
            "{}",
            "[]",
            "[1,2]",
            "[1,]",
            "[,1]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":1,\"a\":2}",
            "null",
            "nul",
            "nulll",
            "true",
            "tru",
            "false ",
            " [true] x",
            "0",
            "-0",
            "01",
            "-",
            "1.",
            "1.5",
            ".5",
            "1e",
            "1e+",
            "1E-7",
            "-1.5e300",
            "1e400",
            "123456789012345678901234567890",
            "\"\"",
            "\"a",
            "\"\\\"\"",
            "\"\\u00e9\"",
            "\"\\u00\"",
            "\"\\ud83d\\ude00\"",
            "\"\\ud840\\udc00\"",
            "\"\\udbff\\udfff\"",
            "\"\\ud83d\"",
            "\"\\ud83dx\"",
            "\"\\ude00\"",
            "\"\\ud83d\\u0041\"",
            "\"\\x\"",
            "\"\t\"",
            "\"é€😀\"",
            "\"\\/\\b\\f\\n\\r\\t\"",
            "\"\\",
            "\"\\u12",
            "[1 2]",
            "{\"a\":[{\"b\":null}]}",
            "\u{feff}{}",
            "{\"a\"",
            "{\"a\":",
            "[\"x\",",
            "\n\r\t[ ]\n",
            &deep_ok,
            &deep_bad,
        ];
        for t in texts {
            agrees(t);
        }
    }

    #[test]
    fn errors_name_the_place() {
        let cases: &[(&str, &str, (u32, u32), bool)] = &[
            ("[1,\n 2,\n x]", "expected a value", (3, 2), false),
            ("{\"a\":1", "expected `,` or `}`", (1, 7), true),
            (
                "[1] 2",
                "trailing characters after the value",
                (1, 5),
                false,
            ),
            (
                "\"é\u{1}\"",
                "control character in a string (write it as an escape)",
                (1, 3),
                false,
            ),
        ];
        for (text, message, at, eof) in cases {
            let e = parse(text).unwrap_err();
            let o = crate::error::Origin::from_offset("t", text, e.offset);
            assert_eq!(
                (e.message, (o.line.unwrap(), o.column.unwrap()), e.eof),
                (*message, *at, *eof),
                "{text:?}"
            );
        }
    }

    /// Texts built from JSON's own tokens (so most are near-valid).
    fn tokens() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            Just("{"),
            Just("}"),
            Just("["),
            Just("]"),
            Just(","),
            Just(":"),
            Just(" "),
            Just("\"k\""),
            Just("\"\\u00e9\""),
            Just("\"\\ud83d\\ude00\""),
            Just("\"\\ud83d\""),
            Just("0"),
            Just("-1.5e3"),
            Just("01"),
            Just("true"),
            Just("null"),
            Just("\"a\\n\""),
        ];
        proptest::collection::vec(token, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn agrees_with_serde_json_on_token_soup(text in tokens()) {
            agrees(&text);
        }

        #[test]
        fn agrees_with_serde_json_on_any_text(text in "\\PC{0,40}") {
            agrees(&text);
        }
    }
}
