//! Approximate membership filters: `filter_build` (see `arsenal_fuzz::filter::filter_build`).
//!
//! The property lives in `arsenal_fuzz::filter` (fuzz/src/filter.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::filter::filter_build(data));
