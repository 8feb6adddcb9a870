//! LEB128: decoding is consistent (fast path = byte loop, re-encoding, u32 vs u64, slices vs single values) and round-trips.
//!
//! The property lives in `arsenal_fuzz::compress` (fuzz/src/compress.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::compress::int_leb128(data));
