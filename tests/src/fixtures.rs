//! Where the fixtures live.

use std::path::{Path, PathBuf};

/// The bad-input catalogue: `tests/fixtures/bad/{deal,link,matrix,usage}/`.
pub const BAD: &str = "tests/fixtures/bad";

/// The worked examples' deal files: `tests/fixtures/examples/`.
pub const EXAMPLES: &str = "tests/fixtures/examples";

/// Golden bills and comparisons of the tests crate: `tests/golden/`.
pub const GOLDEN: &str = "tests/golden";

/// One folder of the bad-input catalogue, e.g. `bad("deal")`.
pub fn bad(kind: &str) -> PathBuf {
    crate::path(BAD).join(kind)
}

/// The files in `dir` whose name ends in `.ext`, sorted by name; none if
/// `dir` does not exist.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// The name of `path` without its extension, e.g. `term-zero-months`.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .expect("a UTF-8 file name")
        .to_string()
}
