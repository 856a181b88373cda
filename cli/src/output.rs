//! Output destinations: stdout, or a file written to a temporary file in the
//! target directory and renamed into place only when complete, so a failed
//! run never leaves a partial file that looks finished.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{CliError, Result};

/// Where an output goes.
pub enum Sink {
    /// Standard output.
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// A temporary file next to `path`, persisted by [`Sink::finish`].
    File {
        /// The final path.
        path: PathBuf,
        /// The temporary file being written.
        tmp: BufWriter<tempfile::NamedTempFile>,
    },
}

impl Sink {
    /// Stdout when `path` is `None` or `-`, else a temporary file beside `path`.
    pub fn open(path: Option<&Path>) -> Result<Sink> {
        match path {
            None => Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout().lock(),
            ))),
            Some(p) if p.as_os_str() == "-" => Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout().lock(),
            ))),
            Some(p) => {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let mut b = tempfile::Builder::new();
                b.prefix(".unitcalc-").suffix(".tmp");
                // A finished output is an ordinary file (0644 on Unix), not the
                // temporary file's private 0600.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    b.permissions(std::fs::Permissions::from_mode(0o644));
                }
                let tmp = b.tempfile_in(dir).map_err(|e| CliError::io(dir, e))?;
                Ok(Sink::File {
                    path: p.to_path_buf(),
                    tmp: BufWriter::with_capacity(1 << 20, tmp),
                })
            }
        }
    }

    /// The path errors should name.
    pub fn display(&self) -> PathBuf {
        match self {
            Sink::Stdout(_) => PathBuf::from("<stdout>"),
            Sink::File { path, .. } => path.clone(),
        }
    }

    /// Writes all bytes.
    pub fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        let r = match self {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::File { tmp, .. } => tmp.write_all(buf),
        };
        r.map_err(|e| CliError::io(self.display(), e))
    }

    /// Flushes and, for a file, renames the temporary file into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(|e| CliError::io("<stdout>", e)),
            Sink::File { path, tmp } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(|e| CliError::io(&path, e.into_error()))?;
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| CliError::io(&path, e))?;
                tmp.persist(&path)
                    .map_err(|e| CliError::io(&path, e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { tmp, .. } => tmp.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File { tmp, .. } => tmp.flush(),
        }
    }
}

/// Writes `text` to `path` (or stdout) through a [`Sink`].
pub fn write_text(path: Option<&Path>, text: &str) -> Result<()> {
    let mut s = Sink::open(path)?;
    s.write_all(text.as_bytes())?;
    s.finish()
}
