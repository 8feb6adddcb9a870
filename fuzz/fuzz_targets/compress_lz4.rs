//! The LZ4 frame format: the properties of `compress_zstd`.
//!
//! The property lives in `arsenal_fuzz::compress` (fuzz/src/compress.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::compress::compress_lz4(data));
