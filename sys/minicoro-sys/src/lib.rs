//! Raw FFI to minicoro (compiled by crates.io's minicoro-sys) with a C-ABI entry point; no logic. (skeleton: being written).
