//! The CLI's error type: core errors (book errors among them), I/O and
//! argument errors, each printed as one line naming the file, line and
//! offending value.

use std::path::PathBuf;

/// Everything the `unitcalc` binary can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// An error from the core library (matrix, deal, usage, pricing); it
    /// already names the file, line and value.
    #[error(transparent)]
    Core(#[from] unitcalc_core::Error),
    /// A core error while pricing one customer of a book.
    #[error("customer `{customer}`: {source}")]
    Customer {
        /// The customer's name.
        customer: String,
        /// What went wrong.
        source: Box<unitcalc_core::Error>,
    },
    /// An error that arose only under the candidate matrix of a book (a deal
    /// whose cells the candidate lacks or does not offer).
    #[error("{source} (under candidate matrix `{matrix}`)")]
    Candidate {
        /// The candidate matrix's name.
        matrix: String,
        /// What went wrong.
        source: Box<CliError>,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Command-line arguments that are valid syntax but make no sense together.
    #[error("{0}")]
    Args(String),
    /// `verify`: the bill is not what its inputs give.
    #[error("{0}")]
    Differs(String),
    /// Serializing an output failed (should not happen for plain data).
    #[error("writing {what}: {message}")]
    Output {
        /// What was being written.
        what: &'static str,
        /// The serializer's message.
        message: String,
    },
}

impl CliError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result alias for the CLI.
pub type Result<T, E = CliError> = std::result::Result<T, E>;
