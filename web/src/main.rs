//! Browser tool (placeholder until the browser issue).
fn main() {}
