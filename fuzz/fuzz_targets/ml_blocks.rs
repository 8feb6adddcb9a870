//! Property: `arsenal_fuzz::ml::ml_blocks` (fuzz/src/ml.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::ml::ml_blocks(data));
