//! Sketches conformance (issue 16, in progress).
#![cfg(feature = "sketch")]
