//! The price books bundled with the tools, embedded at build time.
//! Illustrative, not real list prices; `spec-m` is the pricing model's
//! matrix M (`matrices/*.toml`).

use crate::deal::MatrixChoice;
use crate::error::{Error, Origin, Result};
use crate::matrix::Matrix;
use crate::matrix_toml;

/// (name, TOML text) of every bundled matrix, in the order menus list them.
pub const BUNDLED: &[(&str, &str)] = &[
    ("spec-m", include_str!("../../matrices/spec-m.toml")),
    (
        "illustrative",
        include_str!("../../matrices/illustrative.toml"),
    ),
    (
        "illustrative-candidate",
        include_str!("../../matrices/illustrative-candidate.toml"),
    ),
];

/// The TOML text of a bundled matrix.
pub fn text(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(b, _)| *b == name).map(|(_, t)| *t)
}

/// Parses a bundled matrix (errors name `NAME.toml`).
///
/// ```
/// use unitcalc_core::bundled;
/// assert_eq!(bundled::matrix("spec-m").unwrap().name, "spec-m");
/// assert_eq!(
///     bundled::matrix("spec-x").unwrap_err().to_string(),
///     "scenario matrix: unknown bundled matrix `spec-x`"
/// );
/// ```
pub fn matrix(name: &str) -> Result<Matrix> {
    match text(name) {
        Some(text) => matrix_toml::parse_matrix(text, &format!("{name}.toml")),
        None => Err(Error::Unknown {
            at: Origin::file("scenario matrix"),
            what: "bundled matrix",
            value: name.to_string(),
        }),
    }
}

/// The bundled matrix a deal file's matrix path names, by its file name:
/// `../../matrices/spec-m.toml` is `spec-m`. For front ends without a file
/// system (the browser opening a deal file).
///
/// ```
/// use unitcalc_core::bundled::by_path;
/// assert_eq!(by_path("../../matrices/spec-m.toml"), Some("spec-m"));
/// assert_eq!(by_path("candidate-m.toml"), None);
/// ```
pub fn by_path(path: &str) -> Option<&'static str> {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file.strip_suffix(".toml")?;
    BUNDLED.iter().find(|(b, _)| *b == stem).map(|(b, _)| *b)
}

impl MatrixChoice {
    /// The TOML text of the choice: `None` for an unknown bundled name, and
    /// for a file path that names no bundled matrix (the caller reads files).
    pub fn text(&self) -> Option<&str> {
        match self {
            MatrixChoice::Bundled(n) => text(n),
            MatrixChoice::Custom(t) => Some(t.as_str()),
            MatrixChoice::File(p) => by_path(p).and_then(text),
        }
    }

    /// Parses the chosen matrix: a bundled one by name (errors name
    /// `NAME.toml`), custom TOML (errors name `pasted matrix`), or a file
    /// path that names a bundled matrix (see [`by_path`]).
    ///
    /// ```
    /// use unitcalc_core::deal::MatrixChoice;
    /// let m = MatrixChoice::Bundled("spec-m".into()).load().unwrap();
    /// assert_eq!(m.name, "spec-m");
    /// let m = MatrixChoice::File("../matrices/spec-m.toml".into()).load().unwrap();
    /// assert_eq!(m.name, "spec-m");
    /// ```
    pub fn load(&self) -> Result<Matrix> {
        match self {
            MatrixChoice::Bundled(name) => matrix(name),
            MatrixChoice::Custom(text) => matrix_toml::parse_matrix(text, "pasted matrix"),
            MatrixChoice::File(path) => match by_path(path) {
                Some(name) => matrix(name),
                None => Err(Error::Invalid {
                    at: Origin::file("deal matrix"),
                    message: format!(
                        "matrix file `{path}` is not a bundled matrix: load it as a custom matrix"
                    ),
                }),
            },
        }
    }
}
