//! A large file (the lab's book), picked on the page and read in the
//! worker in slices: part of [`crate::browser`], the one module that calls
//! browser APIs.

use yew::prelude::*;

use web_sys::HtmlInputElement;

/// A file the user picked, not read: its name, its size and the browser's
/// handle, posted to the worker with [`super::ask_worker_with_file`] (the lab's
/// book, too large to read whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickedFile {
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    pub(super) file: web_sys::File,
}

/// The first file chosen in the file input that fired `e`, unread, when
/// its size is within `limit` bytes (else the input is cleared and the
/// core's refusal returned).
pub fn picked_file(e: &Event, limit: usize) -> Result<Option<PickedFile>, unitcalc_core::Error> {
    let input: HtmlInputElement = e.target_unchecked_into();
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    let name = file.name();
    // `File.size` is a JS number: saturating casts, compared by the core.
    if let Err(e) = unitcalc_core::Error::check_size(&name, file.size() as usize, limit) {
        input.set_value("");
        return Err(e);
    }
    Ok(Some(PickedFile {
        name,
        size: file.size() as u64,
        file,
    }))
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static POSTED_FILE: std::cell::RefCell<Option<web_sys::Blob>> = const { std::cell::RefCell::new(None) };
}

/// The worker's side: the file posted with the message being answered
/// (`None` once answered).
#[cfg(target_arch = "wasm32")]
pub(super) fn set_posted(file: Option<web_sys::Blob>) {
    POSTED_FILE.with(|p| *p.borrow_mut() = file);
}

/// How much of a posted file the worker reads at once.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
const FILE_SLICE: u64 = 8 << 20;

/// The worker's side: the file posted with the message being answered
/// ([`super::ask_worker_with_file`]) as a reader of [`FILE_SLICE`]-byte slices
/// (`Blob.slice` read by `FileReaderSync`, which a worker may block on):
/// at most one slice is in memory. `None` when no file came (and off the
/// browser).
pub fn posted_file() -> Option<FileSlices> {
    #[cfg(target_arch = "wasm32")]
    {
        let blob = POSTED_FILE.with(|p| p.borrow().clone())?;
        Some(FileSlices {
            size: blob.size() as u64,
            reader: web_sys::FileReaderSync::new().ok()?,
            blob,
            at: 0,
            slice: Vec::new(),
            taken: 0,
        })
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// A posted file read in slices ([`posted_file`]).
pub struct FileSlices {
    #[cfg(target_arch = "wasm32")]
    blob: web_sys::Blob,
    #[cfg(target_arch = "wasm32")]
    reader: web_sys::FileReaderSync,
    /// The file's size in bytes.
    pub size: u64,
    /// Where the next slice starts in the file.
    at: u64,
    /// The slice in hand and how much of it was taken.
    slice: Vec<u8>,
    taken: usize,
}

impl std::io::Read for FileSlices {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.taken >= self.slice.len() {
            if self.at >= self.size {
                return Ok(0);
            }
            let end = self.at.saturating_add(FILE_SLICE).min(self.size);
            #[cfg(target_arch = "wasm32")]
            {
                let failed = || std::io::Error::other("the file could not be read");
                let part = self
                    .blob
                    .slice_with_f64_and_f64(self.at as f64, end as f64)
                    .map_err(|_| failed())?;
                let bytes = self
                    .reader
                    .read_as_array_buffer(&part)
                    .map_err(|_| failed())?;
                let bytes = js_sys::Uint8Array::new(&bytes);
                self.slice.resize(bytes.length() as usize, 0);
                bytes.copy_to(&mut self.slice);
            }
            self.taken = 0;
            self.at = end;
            if self.slice.is_empty() {
                return Ok(0);
            }
        }
        let rest = self.slice.get(self.taken..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(rest.get(..n).unwrap_or_default());
        self.taken = self.taken.saturating_add(n);
        Ok(n)
    }
}
