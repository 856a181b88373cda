//! The one boundary where core errors become user messages.

use unitcalc_core::Error;

/// A message for a core error: it already names the source, line and value.
pub fn message(e: &Error) -> String {
    match e {
        Error::TooLarge { .. } => format!("Refused: {e}."),
        _ => e.to_string(),
    }
}

/// `m` ending with a full stop.
fn stop(m: &str) -> &'static str {
    if m.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    }
}

/// A message for a share link that could not be opened.
pub fn link_message(e: &Error) -> String {
    let m = message(e);
    let stop = stop(&m);
    format!("This share link could not be opened: {m}{stop} The page shows the previous or default scenario instead.")
}

/// A message for an uploaded usage CSV that did not read (`m`, the core's
/// message): the bill keeps the previous usage.
pub fn upload_refused(name: &str, m: &str) -> String {
    let stop = stop(m);
    format!("{name} was not used: {m}{stop} The bill still uses the previous usage.")
}
