//! Ordered maps: `tree_ops` (see `arsenal_fuzz::tree::tree_ops`).
//!
//! The property lives in `arsenal_fuzz::tree` (fuzz/src/tree.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::tree::tree_ops(data));
