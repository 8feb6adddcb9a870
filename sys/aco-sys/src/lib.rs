//! Raw FFI to libaco (vendor/libaco submodule only) plus a shim for its macros; no logic. (skeleton: being written).
