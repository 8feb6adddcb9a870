//! ISA-L: as `compress_libdeflate`, plus the streaming properties in every format.
//!
//! The property lives in `arsenal_fuzz::compress` (fuzz/src/compress.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::compress::compress_isal(data));
