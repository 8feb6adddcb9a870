//! Filters conformance (issue 16, in progress).
#![cfg(feature = "filter")]
