//! Sketches (issue 16, in progress).
