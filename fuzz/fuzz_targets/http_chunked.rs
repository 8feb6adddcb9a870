//! The chunked decoder alone: a fixed chunked request head followed by the fuzz bytes,
//! through llhttp, picohttpparser and http_parser, with unlimited (`u64::MAX` /
//! `usize::MAX`) and small limits: no panic, the same verdict from every backend.
//! Property: `arsenal_fuzz::http_chunked` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::http_chunked(data));
