//! Cache policies (issue 16, in progress).
