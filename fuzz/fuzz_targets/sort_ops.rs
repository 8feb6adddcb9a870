//! Sorting: `sort_ops` (see `arsenal_fuzz::sort::sort_ops`).
//!
//! The property lives in `arsenal_fuzz::sort` (fuzz/src/sort.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::sort::sort_ops(data));
