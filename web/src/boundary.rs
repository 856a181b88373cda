//! The one boundary where core errors become user messages.

use unitcalc_core::Error;

/// A message for a core error: it already names the source, line and value.
pub fn message(e: &Error) -> String {
    match e {
        Error::TooLarge { .. } => format!("Refused: {e}."),
        _ => e.to_string(),
    }
}

/// A message for a share link that could not be opened.
pub fn link_message(e: &Error) -> String {
    let m = message(e);
    let stop = if m.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    };
    format!("This share link could not be opened: {m}{stop} The page shows the previous or default scenario instead.")
}
