//! Cache policies conformance (issue 16, in progress).
#![cfg(feature = "cache")]
