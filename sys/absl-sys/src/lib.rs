//! Raw FFI to a C++ shim over Abseil (issue 16, in progress).
