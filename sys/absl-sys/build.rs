//! Build script (issue 16, in progress).
fn main() {}
