//! Filters (issue 16, in progress).
