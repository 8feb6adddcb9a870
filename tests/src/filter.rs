//! Filters conformance (issue 16, in progress).
