//! zstd: `decompress` and `decompress_into` agree and respect the limit, round trips at the default and fastest level, `reader` agrees with `decompress` and with itself over 1-16 byte input pieces, `writer` output reads back.
//!
//! The property lives in `arsenal_fuzz::compress` (fuzz/src/compress.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::compress::compress_zstd(data));
