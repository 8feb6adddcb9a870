//! Cache policies conformance (issue 16, in progress).
