//! The one golden-file rule of the workspace.
//!
//! A golden file holds the exact expected bytes of an output (a bill, a
//! table, an error message). A test compares its output with the file; with
//! `UPDATE_SNAPSHOTS=1` (exactly `1`) in the environment it rewrites the file
//! instead, and the diff is reviewed before committing. Any other value, or
//! none, compares.

use std::ffi::OsStr;
use std::path::Path;

/// The environment variable that rewrites golden files when it is `1`.
pub const UPDATE_VAR: &str = "UPDATE_SNAPSHOTS";

/// Whether this run rewrites golden files: `UPDATE_SNAPSHOTS=1` exactly.
pub fn update_requested() -> bool {
    rewrites(std::env::var_os(UPDATE_VAR).as_deref())
}

/// The rule on the variable's value: only `1` rewrites.
fn rewrites(value: Option<&OsStr>) -> bool {
    value == Some(OsStr::new("1"))
}

/// Compares `actual` with the golden file at `path`, byte for byte; with
/// `UPDATE_SNAPSHOTS=1` writes `actual` there instead (creating folders,
/// leaving an equal file untouched). The error names the file, shows the
/// first line that differs and says how to rewrite it.
pub fn check_golden(path: impl AsRef<Path>, actual: &str) -> Result<(), String> {
    let path = path.as_ref();
    let name = crate::display(path);
    let want = std::fs::read(path);
    if update_requested() {
        if want.as_deref().ok() != Some(actual.as_bytes()) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{name}: {e}"))?;
            }
            std::fs::write(path, actual).map_err(|e| format!("{name}: {e}"))?;
        }
        return Ok(());
    }
    let want = want.map_err(|e| {
        format!(
            "golden file {name} cannot be read ({e}); \
             run with {UPDATE_VAR}=1 to write it and review the new file"
        )
    })?;
    if want == actual.as_bytes() {
        return Ok(());
    }
    let want = String::from_utf8_lossy(&want);
    let mut diff = first_difference(&want, actual);
    if diff.is_empty() {
        diff = " (not valid UTF-8)\n".into();
    }
    Err(format!(
        "output differs from golden file {name}{diff}\
         If the change is intended, run with {UPDATE_VAR}=1 to rewrite it \
         and review the diff (git diff -- {name})."
    ))
}

/// [`check_golden`], panicking with its message.
#[track_caller]
pub fn assert_golden(path: impl AsRef<Path>, actual: &str) {
    if let Err(e) = check_golden(path, actual) {
        panic!("{e}");
    }
}

/// ` at line N:\n  golden: …\n  output: …\n` for the first line that differs.
fn first_difference(want: &str, got: &str) -> String {
    let (mut w, mut g) = (want.split_inclusive('\n'), got.split_inclusive('\n'));
    for line in 1.. {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                let show = |l: Option<&str>| l.map_or("(end of text)".into(), |l| format!("{l:?}"));
                return format!(
                    " at line {line}:\n  golden: {}\n  output: {}\n",
                    show(a),
                    show(b)
                );
            }
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (value of UPDATE_SNAPSHOTS, whether golden files are rewritten).
    #[test]
    fn only_exactly_1_rewrites() {
        let table: [(Option<&str>, bool); 7] = [
            (Some("1"), true),
            (None, false),
            (Some(""), false),
            (Some("0"), false),
            (Some("true"), false),
            (Some("yes"), false),
            (Some(" 1"), false),
        ];
        for (value, want) in table {
            assert_eq!(rewrites(value.map(OsStr::new)), want, "{value:?}");
        }
    }

    /// (golden text, output, where the message says they differ).
    #[test]
    fn the_message_shows_the_first_line_that_differs() {
        let table = [
            (
                "a\nb\n",
                "a\nc\n",
                " at line 2:\n  golden: \"b\\n\"\n  output: \"c\\n\"\n",
            ),
            (
                "a\n",
                "a\nb\n",
                " at line 2:\n  golden: (end of text)\n  output: \"b\\n\"\n",
            ),
            (
                "a\n",
                "a",
                " at line 1:\n  golden: \"a\\n\"\n  output: \"a\"\n",
            ),
        ];
        for (want, got, msg) in table {
            assert_eq!(first_difference(want, got), msg);
        }
    }

    #[test]
    fn a_mismatch_names_the_file_and_how_to_rewrite_it() {
        if update_requested() {
            return; // this run rewrites; the rule under test is the comparing one
        }
        let dir = std::env::temp_dir().join(format!("unitcalc-golden-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bill.json");
        std::fs::write(&file, "{\n  \"total\": \"1.00\"\n}\n").unwrap();
        let name = file.display().to_string();
        let err = check_golden(&file, "{\n  \"total\": \"2.00\"\n}\n").unwrap_err();
        assert!(
            err.starts_with(&format!(
                "output differs from golden file {name} at line 2:"
            )),
            "{err}"
        );
        assert!(
            err.contains("run with UPDATE_SNAPSHOTS=1 to rewrite it and review the diff"),
            "{err}"
        );
        assert_eq!(check_golden(&file, "{\n  \"total\": \"1.00\"\n}\n"), Ok(()));
        let missing = dir.join("missing.json");
        let err = check_golden(&missing, "{}\n").unwrap_err();
        assert!(
            err.contains(&format!("{} cannot be read", missing.display())),
            "{err}"
        );
        assert!(
            err.contains("run with UPDATE_SNAPSHOTS=1 to write it"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
