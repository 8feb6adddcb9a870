//! Cache policies: `cache_ops` (see `arsenal_fuzz::cache::cache_ops`).
//!
//! The property lives in `arsenal_fuzz::cache` (fuzz/src/cache.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::cache::cache_ops(data));
