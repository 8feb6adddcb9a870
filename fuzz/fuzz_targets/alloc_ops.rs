//! Random alloc / realloc / dealloc sequences (sizes up to `usize::MAX`, alignments up to
//! 4096) on every arsenal-alloc backend against a model of the live blocks.
//! Property: `arsenal_fuzz::ops::alloc_ops` (fuzz/src/ops.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::ops::alloc_ops(data));
