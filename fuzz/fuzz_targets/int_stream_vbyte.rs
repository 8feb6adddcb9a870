//! Stream VByte: every decoder variant gives the same result, truncation is detected exactly, round trips (plain and delta).
//!
//! The property lives in `arsenal_fuzz::compress` (fuzz/src/compress.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::compress::int_stream_vbyte(data));
