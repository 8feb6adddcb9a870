//! Cache policies: `cache_trace` (see `arsenal_fuzz::cache::cache_trace`).
//!
//! The property lives in `arsenal_fuzz::cache` (fuzz/src/cache.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::cache::cache_trace(data));
